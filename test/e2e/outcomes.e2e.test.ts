/**
 * Issue 27 in real n8n (1.123 and 2.41): what the node reports is what Feishu holds, whatever Feishu answers.
 * - re-runs and lost answers: revokes run twice (the repeat answered in Feishu's two readings), revokes, a remedy
 *   create + approve and schedule entries whose answers are lost after Feishu applied them (http500After);
 * - refused and failed items leave through the error output ("Continue (using error output)");
 * - an unknown Operator ID on Statistics → Get Many is one error about it, after at most two statistics calls;
 * - a Get Many cut at its Limit while Feishu has more shows n8n's execution hint on the node.
 * One emulator and one n8n per line; the tests depend on the ones before them (run the file whole, not with -t).
 */
import {
	chain,
	describeTargets,
	expectSuccess,
	feishuNode,
	itemsNode,
	manualTrigger,
	pairedIndex,
	setupEnv,
	teardownEnv,
	codeNode,
	type E2eEnv,
} from './fixtures';
import { httpJson, nodeItems, type ExecuteResult, type WorkflowExport } from './n8n';

const ZONE = 'Asia/Shanghai';
const ATT = 'POST /open-apis/attendance/v1';
const PROCESS = '/approval_infos/process';
/** the emulator's today is 2026-11-21 (setupEnv); the last working day before it */
const WORKDAY = '2026-11-20';

const json = (r: ExecuteResult, node: string, output = 0) =>
	nodeItems(r.run, node, output).map((i) => i.json);
const ran = (r: ExecuteResult, node: string) => r.run?.data.resultData.runData[node] !== undefined;

/** Leave approvals as an OA system hands them over (one per item, its OA number as idempotency key). */
function leaves(name: string, keys: string[], employees: string[]) {
	return itemsNode(
		name,
		keys.map((key, i) => ({
			employee_no: employees[i],
			start: `2026-11-1${8 + (i % 2)} 09:00:00`,
			end: `2026-11-1${8 + (i % 2)} 18:00:00`,
			reason: 'Family matters',
			leave_type: 'Annual leave',
			approval_no: key,
		})),
	);
}

function noOp(name: string, n: number): Record<string, any> {
	return {
		id: `e2e0000b-0000-4000-8000-00000000000${n}`,
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

describeTargets('outcomes', (info) => {
	let env: E2eEnv;
	const wfs: Record<string, WorkflowExport> = {};
	const requests = (endpoint: string) => env.emulator.counters().requests[`${ATT}${endpoint}`] ?? 0;
	const status500 = () => env.emulator.counters().status['500'] ?? 0;
	const approvalStatus = (id: unknown) =>
		env.emulator.approvals().find((a) => a.approval_id === id)?.status;
	const remedies = async () =>
		(await httpJson('GET', `${env.emulator.url}/__admin/remedies`)).body as Array<
			Record<string, any>
		>;

	beforeAll(async () => {
		env = await setupEnv(info, {
			workflows: (cred) => {
				const comment = { options: { comment: 'Cancelled in the OA system' } };
				// Write Leave (idempotent: a re-run answers the stored approvals) → Revoke
				wfs.revokeTwice = chain('e2eOutRevoke2', 'revoke twice', [
					leaves('Leaves', ['OUT-R-1', 'OUT-R-2'], ['NO0011', 'NO0012']),
					feishuNode('Write Leave', 'approvalCreate', cred),
					feishuNode('Revoke', 'approvalUpdateStatus', cred, comment),
				]);
				wfs.revokeLost = chain('e2eOutRevLost', 'revoke, answers lost', [
					leaves('Leaves', ['OUT-L-1', 'OUT-L-2'], ['NO0013', 'NO0014']),
					feishuNode('Write Leave', 'approvalCreate', cred),
					feishuNode('Revoke', 'approvalUpdateStatus', cred, comment),
				]);
				// Remedy → Create → Approve (both answers lost in the first run)
				wfs.remedy = chain('e2eOutRemedy', 'remedy, answers lost', [
					itemsNode('Remedy request', [
						{
							employee_no: 'NO0002',
							date: WORKDAY,
							punch: 'First Shift Check-In',
							time: `${WORKDAY} 08:58`,
							reason: 'Badge reader at Gate A was down',
						},
					]),
					feishuNode('Create Remedy', 'remedyCreate', cred),
					feishuNode('Approve Remedy', 'remedyApprove', cred),
				]);
				wfs.schedule = chain('e2eOutSchedule', 'schedule, answers lost', [
					itemsNode(
						'Roster',
						['2026-12-01', '2026-12-02', '2026-12-03'].map((date) => ({
							employee_no: 'NO0005',
							date,
							group: 'Retail Stores',
							day_type: 'shift',
							shift: 'Early Shift',
						})),
					),
					feishuNode('Write Schedules', 'scheduleCreateOrUpdate', cred, {
						options: { timezone: ZONE, advanced: { maxRetries: 1 } },
					}),
				]);

				// error output: Remedy (pending) → Leaves → Write Leave → what to revoke → Revoke ⇒ Done / Not done
				const revokeList = codeNode(
					'To revoke',
					`const list = $input.all().map((i) => ({ json: { ...i.json } }));
const remedy = $('Create Remedy').first().json;
list.push({ json: { ...list[0].json, approval_id: '7000000000000000009' } });
list.push({ json: { type: 'remedy', approval_id: remedy.approval_id, employee_id: remedy.employee_id,
                    employee_id_type: remedy.employee_id_type, date: remedy.remedy_date } });
return list;`,
				);
				const revoke = feishuNode('Revoke', 'approvalUpdateStatus', cred, comment);
				revoke.onError = 'continueErrorOutput';
				const routed = chain('e2eOutRouting', 'refused items through the error output', [
					itemsNode('Remedy request', [
						{
							employee_no: 'NO0003',
							date: WORKDAY,
							punch: 'First Shift Check-Out',
							time: `${WORKDAY} 18:05`,
							reason: 'Forgot to punch out',
						},
					]),
					feishuNode('Create Remedy', 'remedyCreate', cred),
					leaves('Leaves', ['OUT-E-1', 'OUT-E-2'], ['NO0015', 'NO0016']),
					feishuNode('Write Leave', 'approvalCreate', cred),
					revokeList,
					revoke,
				]);
				const done = noOp('Done', 1);
				const notDone = noOp('Not done', 2);
				done.position = [1760, -100];
				notDone.position = [1760, 100];
				routed.nodes.push(done, notDone);
				routed.connections.Revoke = {
					main: [
						[{ node: 'Done', type: 'main', index: 0 }],
						[{ node: 'Not done', type: 'main', index: 0 }],
					],
				};
				wfs.routed = routed;

				wfs.stats = chain('e2eOutStatsOp', 'statistics with an unknown operator', [
					itemsNode(
						'Employees',
						['NO0001', 'NO0002', 'NO0003'].map((employee_no) => ({
							employee_no,
							from: '2026-10-01',
							to: '2026-10-31',
						})),
					),
					feishuNode('Get Monthly Statistics', 'statisticsGetMany', cred, { operatorId: 'nobody' }),
				]);

				// Manual → Groups cut at 2 / Groups up to 50 (Feishu has fewer)
				const start = manualTrigger();
				const group = (name: string, limit: number) => {
					const node = feishuNode(name, 'punchResultGetMany', cred);
					node.parameters = {
						resource: 'attendanceGroup',
						operation: 'getMany',
						returnAll: false,
						limit,
					};
					return node;
				};
				const cut = group('Groups (Limit 2)', 2);
				const whole = group('Groups (Limit 50)', 50);
				cut.position = [220, -100];
				whole.position = [220, 100];
				wfs.limit = {
					id: 'e2eOutLimit',
					name: 'a Get Many cut at its Limit',
					active: false,
					nodes: [start, cut, whole],
					connections: {
						[start.name]: {
							main: [
								[
									{ node: cut.name, type: 'main', index: 0 },
									{ node: whole.name, type: 'main', index: 0 },
								],
							],
						},
					},
					settings: { executionOrder: 'v1', timezone: ZONE },
				};
				return Object.values(wfs);
			},
		});
	});
	afterAll(async () => {
		await teardownEnv(env);
	});

	it('a revoke run twice reports already revoked, whatever Feishu answers the repeat', async () => {
		const first = await env.n8n.execute(wfs.revokeTwice.id);
		expectSuccess(first);
		const ids = json(first, 'Write Leave').map((w) => w.approval_id);
		expect(ids).toHaveLength(2);
		expect(json(first, 'Revoke').map((r) => [r.approval_id, r.outcome, r.status])).toEqual(
			ids.map((id) => [id, 'done', 'revoked']),
		);
		expect(ids.map(approvalStatus)).toEqual([4, 4]);

		// the repeat answered "already reverted" (1220600), then "status transition not allowed" (1220001)
		for (const reading of ['already', 'reworded'] as const) {
			env.emulator.configure({ processRepeatAnswer: reading });
			const calls = requests(PROCESS);
			const again = await env.n8n.execute(wfs.revokeTwice.id);
			expectSuccess(again);
			expect(json(again, 'Write Leave').map((w) => w.approval_id)).toEqual(ids);
			expect({
				reading,
				out: json(again, 'Revoke').map((r) => [
					r.approval_id,
					r.outcome,
					r.status,
					r.approval_status,
				]),
			}).toEqual({
				reading,
				out: ids.map((id) => [id, 'already done', 'already revoked', 'Revoked']),
			});
			expect(requests(PROCESS)).toBeGreaterThan(calls); // Feishu was asked, and refused
		}
		env.emulator.configure({ processRepeatAnswer: 'already' });
		expect(ids.map(approvalStatus)).toEqual([4, 4]);
	});

	it('revokes whose answers are lost after Feishu revoked (500 after applying): done, and a re-run already done', async () => {
		env.emulator.configure({ processRepeatAnswer: 'reworded' });
		env.emulator.injectFault({ endpoint: PROCESS, kind: 'http500After', times: 2 });
		const errors = status500();
		const r = await env.n8n.execute(wfs.revokeLost.id);
		env.emulator.clearFaults();
		expectSuccess(r);
		expect(status500() - errors).toBe(2);
		const ids = json(r, 'Write Leave').map((w) => w.approval_id);
		expect(json(r, 'Revoke').map((x) => [x.approval_id, x.outcome, x.status])).toEqual(
			ids.map((id) => [id, 'done', 'revoked']),
		);
		expect(ids.map(approvalStatus)).toEqual([4, 4]);

		const again = await env.n8n.execute(wfs.revokeLost.id);
		expectSuccess(again);
		expect(json(again, 'Revoke').map((x) => [x.approval_id, x.outcome, x.status])).toEqual(
			ids.map((id) => [id, 'already done', 'already revoked']),
		);
		env.emulator.configure({ processRepeatAnswer: 'already' });
	});

	it('a remedy created and approved with both answers lost: done and approved as Feishu holds it; a re-run already done', async () => {
		env.emulator.injectFault({ endpoint: '/user_task_remedys$', kind: 'http500After', times: 1 });
		env.emulator.injectFault({ endpoint: PROCESS, kind: 'http500After', times: 1 });
		const errors = status500();
		const creates = requests('/user_task_remedys');
		const r = await env.n8n.execute(wfs.remedy.id);
		env.emulator.clearFaults();
		expectSuccess(r);
		expect(status500() - errors).toBe(2);
		expect(requests('/user_task_remedys') - creates).toBe(1); // no idempotency key: never resent
		const [created] = json(r, 'Create Remedy');
		expect(created).toMatchObject({ outcome: 'done', status: 'created', remedy_status: 'Pending' });
		const held = (await remedies()).filter((x) => x.approval_id === created.approval_id);
		expect(held).toHaveLength(1);
		expect(json(r, 'Approve Remedy').map((a) => [a.approval_id, a.outcome, a.status])).toEqual([
			[created.approval_id, 'done', 'approved'],
		]);
		expect((await remedies()).find((x) => x.approval_id === created.approval_id)?.status).toBe(2);

		const again = await env.n8n.execute(wfs.remedy.id);
		expectSuccess(again);
		expect(
			json(again, 'Create Remedy').map((c) => [
				c.approval_id,
				c.outcome,
				c.status,
				c.remedy_status,
			]),
		).toEqual([[created.approval_id, 'already done', 'duplicate', 'Approved']]);
		expect(json(again, 'Approve Remedy').map((a) => [a.approval_id, a.outcome, a.status])).toEqual([
			[created.approval_id, 'already done', 'already approved'],
		]);
		expect((await remedies()).filter((x) => x.user_id === held[0].user_id)).toHaveLength(1);
	});

	it('schedule entries whose answers are lost on every try: the schedules read back say done', async () => {
		env.emulator.injectFault({
			endpoint: 'user_daily_shifts/batch_create',
			kind: 'http500After',
			times: 10,
		});
		const batches = requests('/user_daily_shifts/batch_create');
		const reads = requests('/user_daily_shifts/query');
		const r = await env.n8n.execute(wfs.schedule.id);
		env.emulator.clearFaults();
		expectSuccess(r);
		expect(requests('/user_daily_shifts/batch_create') - batches).toBe(2); // the try and one retry, both 500 after storing
		expect(requests('/user_daily_shifts/query') - reads).toBeGreaterThanOrEqual(1); // then read back
		expect(json(r, 'Write Schedules').map((s) => [s.date, s.outcome, s.status])).toEqual([
			['2026-12-01', 'done', 'scheduled'],
			['2026-12-02', 'done', 'scheduled'],
			['2026-12-03', 'done', 'scheduled'],
		]);
	});

	it('"Continue (using error output)": an unknown approval ID and a refused transition arrive at "Not done", the others at "Done"', async () => {
		for (const run of ['first run', 'second run'] as const) {
			const r = await env.n8n.execute(wfs.routed.id);
			expectSuccess(r);
			const leaveIds = json(r, 'Write Leave').map((w) => w.approval_id);
			const remedyId = json(r, 'Create Remedy')[0].approval_id;
			expect(json(r, 'Create Remedy')[0]).toMatchObject({ remedy_status: 'Pending' });
			const done = json(r, 'Done');
			const notDone = json(r, 'Not done');
			// which item of "To revoke" each one is: the pairing of the Revoke node's two outputs
			const [main, errors] = [0, 1].map((o) => nodeItems(r.run, 'Revoke', o));
			expect(done).toEqual(main.map((i) => i.json));
			expect(notDone).toEqual(errors.map((i) => i.json));
			const outcome =
				run === 'first run' ? ['done', 'revoked'] : ['already done', 'already revoked'];
			expect({
				run,
				done: main.map((i) => [pairedIndex(i), i.json.approval_id, i.json.outcome, i.json.status]),
			}).toEqual({
				run,
				done: leaveIds.map((id, i) => [i, id, ...outcome]),
			});
			expect({ run, notDone: errors.map((i) => [pairedIndex(i), String(i.json.error)]) }).toEqual({
				run,
				notDone: [
					[
						2,
						expect.stringMatching(
							/^Feishu holds no leave approval 7000000000000000009 .*\[item 2\]$/,
						),
					],
					[
						3,
						expect.stringMatching(
							/^Feishu did not revoke the remedy: it is Pending, and only an approved one can be revoked \[item 3\]$/,
						),
					],
				],
			});
			expect(ran(r, 'Not done')).toBe(true);
			expect(
				env.emulator
					.approvals()
					.filter((a) => leaveIds.includes(a.approval_id))
					.map((a) => a.status),
			).toEqual([4, 4]);
			expect((await remedies()).find((x) => x.approval_id === remedyId)?.status).toBe(0);
		}
	});

	it('an unknown Operator ID on Statistics → Get Many: one error naming the Operator ID, after at most two statistics calls', async () => {
		const datas = requests('/user_stats_datas/query');
		const views = requests('/user_stats_views/query');
		const r = await env.n8n.execute(wfs.stats.id);
		expect(r.status).toBe('error');
		expect(r.errorMessage).toMatch(/^Feishu does not accept the Operator ID nobody/);
		expect(String(r.errorDescription)).toContain('Check Operator ID');
		const calls =
			requests('/user_stats_datas/query') - datas + (requests('/user_stats_views/query') - views);
		expect(calls).toBeGreaterThanOrEqual(1);
		expect(calls).toBeLessThanOrEqual(2);
		expect(json(r, 'Get Monthly Statistics')).toEqual([]);
	});

	it('a Get Many cut at its Limit while Feishu has more shows an execution hint on the node; one that got everything none', async () => {
		const r = await env.n8n.execute(wfs.limit.id);
		expectSuccess(r);
		const runData = r.run!.data.resultData.runData as Record<
			string,
			Array<{ hints?: Array<{ message: string; type?: string }> }>
		>;
		expect(json(r, 'Groups (Limit 2)')).toHaveLength(2);
		const all = json(r, 'Groups (Limit 50)');
		expect(all.length).toBeGreaterThan(2);
		expect(all.length).toBeLessThan(50);
		expect(runData['Groups (Limit 2)'][0].hints).toEqual([
			expect.objectContaining({
				type: 'warning',
				message: expect.stringMatching(
					/^Stopped at the Limit of 2: Feishu has more\. Turn on Return All/,
				),
			}),
		]);
		expect(runData['Groups (Limit 50)'][0].hints ?? []).toEqual([]);
	});
});
