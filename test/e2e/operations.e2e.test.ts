/**
 * Every operation end to end in real n8n, through the four example workflows (what users import) plus
 * two small workflows for Get and Approval → Get Many. Runs in order against one emulator:
 * import → re-import (duplicates) → get → daily results → leave → approvals → delete.
 */
import {
	chain,
	countBy,
	describeTargets,
	EXAMPLES,
	exampleNode,
	exampleWorkflow,
	feishuNode,
	itemsNode,
	NODES,
	pairedIndex,
	setupEnv,
	teardownEnv,
	type E2eEnv,
	expectSuccess,
} from './fixtures';
import { NODE_TYPE, nodeItems, type ExecuteResult, type WorkflowExport } from './n8n';

const DAY = '2026-11-20';
const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';

/** The daily-sync example asks for the last working day; pin it to the day of the example CSV. */
function pinnedDailySync(wf: WorkflowExport): WorkflowExport {
	const node = wf.nodes.find((n) => n.name === 'Employees and last working day');
	if (!node)
		throw new Error('daily sync example changed: no "Employees and last working day" node');
	const code = String(node.parameters.jsCode);
	const pinned = code.replace(
		/const date = day\.toFormat\('yyyy-MM-dd'\);/,
		`const date = '${DAY}';`,
	);
	if (pinned === code) throw new Error('daily sync example changed: cannot pin its date');
	node.parameters.jsCode = pinned;
	return wf;
}

/** Every output item of every Feishu node is paired with an existing input item of that node. */
function expectAllPaired(r: ExecuteResult, wf: WorkflowExport): void {
	for (const node of wf.nodes.filter((n) => n.type === NODE_TYPE)) {
		const runs = r.run?.data.resultData.runData[node.name];
		if (!runs) continue;
		const parent = Object.entries(wf.connections).find(([, c]) =>
			(c.main?.[0] ?? []).some((t: { node: string }) => t.node === node.name),
		)?.[0];
		const inputCount = parent ? nodeItems(r.run, parent).length : 1;
		for (const item of nodeItems(r.run, node.name)) {
			const p = item.pairedItem;
			expect(p).toBeDefined();
			const list = Array.isArray(p) ? p : [typeof p === 'number' ? { item: p } : p!];
			for (const { item: i } of list) expect(i).toBeLessThan(inputCount);
		}
	}
}

describeTargets('operations', (info) => {
	let env: E2eEnv;
	const wfs: Record<string, WorkflowExport> = {};

	beforeAll(async () => {
		env = await setupEnv(info, {
			workflows: (cred) => {
				wfs.importCsv = exampleWorkflow(EXAMPLES.importCsv, cred);
				wfs.dailySync = pinnedDailySync(exampleWorkflow(EXAMPLES.dailySync, cred));
				wfs.leave = exampleWorkflow(EXAMPLES.leave, cred);
				wfs.cleanup = exampleWorkflow(EXAMPLES.cleanup, cred);
				wfs.get = chain('e2eFlowGet', 'get one punch record', [
					itemsNode('Range', [
						{ employee_no: 'NO0001', from: `${DAY} 00:00:00`, to: `${DAY} 23:59:59` },
					]),
					exampleNode(EXAMPLES.cleanup, NODES.getFlows, cred),
					feishuNode('Get Punch Record', 'punchFlowGet', cred),
				]);
				wfs.approvals = chain('e2eApprovals', 'get approvals', [
					itemsNode('Who', [
						{ employee_no: 'NO0006', date: DAY },
						{ employee_no: 'NO0003', date: DAY },
					]),
					feishuNode('Get Approvals', 'approvalGetMany', cred),
				]);
				return Object.values(wfs);
			},
		});
	});
	afterAll(() => teardownEnv(env));

	it('punchFlow.import: imports the CSV rows, fails the unknown badge on its own, pairs every item', async () => {
		const r = await env.n8n.execute(wfs.importCsv.id);
		expectSuccess(r);
		const items = nodeItems(r.run, NODES.importFlows);
		expect(items).toHaveLength(10);
		items.forEach((item, i) => expect(pairedIndex(item)).toBe(i));
		expect(countBy(items, (i) => String(i.json.status))).toEqual({ imported: 9, failed: 1 });
		expect(items[9].json.error).toMatch(/NO9999/);
		expect(items.slice(0, 9).every((i) => typeof i.json.record_id === 'string')).toBe(true);
		expect(env.emulator.flows()).toHaveLength(9);
		expect(
			env.emulator
				.flows()
				.map((f) => f.external_id)
				.sort(),
		).toEqual(Array.from({ length: 9 }, (_, i) => `K40-0001${String(i + 1).padStart(2, '0')}`));
		expect(env.emulator.counters().tokenExchanges).toBe(1);
		expectAllPaired(r, wfs.importCsv);
	});

	it('punchFlow.import again: no new records, every imported row reported as duplicate', async () => {
		const before = env.emulator.counters().requests[BATCH_CREATE] ?? 0;
		const r = await env.n8n.execute(wfs.importCsv.id);
		expectSuccess(r);
		const items = nodeItems(r.run, NODES.importFlows);
		expect(countBy(items, (i) => String(i.json.status))).toEqual({ duplicate: 9, failed: 1 });
		expect(env.emulator.flows()).toHaveLength(9);
		expect((env.emulator.counters().requests[BATCH_CREATE] ?? 0) - before).toBe(1);
		// the stored token of the first run is reused
		expect(env.emulator.counters().tokenExchanges).toBe(1);
	});

	it('punchFlow.getMany + punchFlow.get: reads the imported records back', async () => {
		const r = await env.n8n.execute(wfs.get.id);
		expectSuccess(r);
		const flows = nodeItems(r.run, NODES.getFlows);
		expect(flows).toHaveLength(2);
		const got = nodeItems(r.run, 'Get Punch Record');
		expect(got.map((i) => i.json.record_id)).toEqual(flows.map((i) => i.json.record_id));
		expect(got[0].json.user_id).toBe('NO0001');
		expect(got[0].json.location_name).toBe('Gate A (K40)');
		expectAllPaired(r, wfs.get);
	});

	it('punchResult.getMany (daily sync example): Late and Lack counted', async () => {
		const r = await env.n8n.execute(wfs.dailySync.id);
		expectSuccess(r);
		expect(nodeItems(r.run, NODES.getResults).every((i) => i.json.status === 'ok')).toBe(true);
		const [summary] = nodeItems(r.run, NODES.dailySummary);
		expect(summary.json).toMatchObject({
			day: DAY,
			results: 6,
			late: 1,
			lateEmployees: ['NO0002'],
		});
		expect([...(summary.json.lackEmployees as string[])].sort()).toEqual(['NO0003', 'NO0006']);
		expectAllPaired(r, wfs.dailySync);
	});

	it('approval.create (leave example): Lack becomes Lack/Leave in the punch results', async () => {
		const r = await env.n8n.execute(wfs.leave.id);
		expectSuccess(r);
		expect(countBy(nodeItems(r.run, NODES.writeLeave), (i) => String(i.json.status))).toEqual({
			created: 2,
		});
		expect(env.emulator.approvals()).toHaveLength(2);
		const rows = nodeItems(r.run, NODES.leaveCompare).map((i) => i.json);
		// one row per employee and day, named by employee and day (no shift type that reads like a result)
		expect(rows.map((x) => [x.employee, x.day])).toEqual(
			expect.arrayContaining([
				['NO0006', '2026-11-20'],
				['NO0003', '2026-11-20'],
			]),
		);
		expect(rows.flatMap((x) => Object.keys(x))).not.toContain('shift_type');
		const no6 = rows.find((x) => x.employee === 'NO0006')!;
		expect(no6.before).toEqual({ in: 'Lack', out: 'Lack' });
		expect(no6.after).toEqual({ in: 'Lack/Leave', out: 'Lack/Leave' });
		const no3 = rows.find((x) => x.employee === 'NO0003')!;
		expect(no3.before).toEqual({ in: 'Normal', out: 'Lack' });
		expect(no3.after).toEqual({ in: 'Normal', out: 'Lack/Leave' });
		expectAllPaired(r, wfs.leave);
	});

	it('approval.create again writes nothing new (idempotency key from the approval number)', async () => {
		const r = await env.n8n.execute(wfs.leave.id);
		expectSuccess(r);
		expect(env.emulator.approvals()).toHaveLength(2);
	});

	it('approval.getMany: returns the written leave per employee', async () => {
		const r = await env.n8n.execute(wfs.approvals.id);
		expectSuccess(r);
		const items = nodeItems(r.run, 'Get Approvals');
		expect(items).toHaveLength(2);
		expect(items.map((i) => i.json.approval_id).sort()).toEqual(
			env.emulator
				.approvals()
				.map((a) => a.approval_id)
				.sort(),
		);
		expectAllPaired(r, wfs.approvals);
	});

	it('punchFlow.delete (cleanup example): deletes exactly the imported records', async () => {
		const r = await env.n8n.execute(wfs.cleanup.id);
		expectSuccess(r);
		const deleted = nodeItems(r.run, NODES.deleteFlows);
		expect(deleted).toHaveLength(9);
		expect(deleted.every((i) => i.json.deleted === true)).toBe(true);
		expect(nodeItems(r.run, NODES.deleteSummary)[0].json).toMatchObject({
			deleted: 9,
			notDeleted: 0,
		});
		expect(env.emulator.flows()).toHaveLength(0);
		expectAllPaired(r, wfs.cleanup);
	});
});
