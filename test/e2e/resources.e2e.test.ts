/**
 * The newer resources end to end in real n8n, through the examples users import (05–08), in one emulator:
 * import (01) → leave (03) → monthly statistics (05) → weekly roster (06) → revoke cancelled leave (07)
 * → remedy requests (08). Each write example is run twice: the second run must write nothing new. Then the other
 * new operations (groups, shifts, statistics columns / settings, remedies, Custom API Call) in one workflow; the
 * tests depend on the ones before them (run the file whole, not with -t).
 *
 * The examples compute their days from `$today` (n8n's clock, workflow zone Asia/Shanghai), so the emulator's
 * "today" is the real day in Asia/Shanghai here, and the expected days are computed the same way below.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DateTime } from 'luxon';
import {
	chain,
	countBy,
	describeTargets,
	EXAMPLES,
	exampleWorkflow,
	expectSuccess,
	feishuNode,
	itemsNode,
	manualTrigger,
	setupEnv,
	teardownEnv,
	type E2eEnv,
} from './fixtures';
import { httpJson, NODE_TYPE, nodeItems, type ExecuteResult, type WorkflowExport } from './n8n';

const ZONE = 'Asia/Shanghai';
const RESOURCE_EXAMPLES = {
	payroll: '05-monthly-payroll-statistics.json',
	roster: '06-weekly-roster.json',
	revoke: '07-revoke-cancelled-approvals.json',
	remedy: '08-remedy-requests.json',
} as const;
const LEAVE_DAY = '2026-11-20';
const ATT = 'POST /open-apis/attendance/v1';

/** The days the examples derive from $today (same expressions as their Code nodes). */
function exampleDays() {
	const today = DateTime.now().setZone(ZONE).startOf('day');
	const first = today.minus({ months: 1 }).startOf('month');
	let workday = today.minus({ days: 1 });
	while (workday.weekday > 5) workday = workday.minus({ days: 1 });
	const monday = today.plus({ weeks: 1 }).startOf('week');
	let weekdays = 0;
	for (let d = first; d <= first.endOf('month'); d = d.plus({ days: 1 }))
		if (d.weekday <= 5) weekdays++;
	return {
		today: today.toFormat('yyyy-MM-dd'),
		month: {
			from: first.toFormat('yyyy-MM-dd'),
			to: first.endOf('month').toFormat('yyyy-MM-dd'),
			weekdays,
		},
		workday: workday.toFormat('yyyy-MM-dd'),
		week: Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toFormat('yyyy-MM-dd')),
	};
}

/** Every output item of every Feishu node is paired with an existing item of the node before it. */
function expectFeishuItemsPaired(r: ExecuteResult, wf: WorkflowExport): void {
	for (const node of wf.nodes.filter((n) => n.type === NODE_TYPE)) {
		if (!r.run?.data.resultData.runData[node.name]) continue;
		const parent = Object.entries(wf.connections).find(([, c]) =>
			(c.main?.[0] ?? []).some((t: { node: string }) => t.node === node.name),
		)?.[0];
		const inputCount = parent ? nodeItems(r.run, parent).length : 1;
		for (const item of nodeItems(r.run, node.name)) {
			const p = item.pairedItem;
			expect({ node: node.name, paired: p !== undefined }).toEqual({
				node: node.name,
				paired: true,
			});
			const list = Array.isArray(p) ? p : [typeof p === 'number' ? { item: p } : p!];
			for (const { item: i } of list) expect(i).toBeLessThan(inputCount);
		}
	}
}

/** A Feishu Attendance node with exactly these parameters. */
function raw(
	name: string,
	cred: { id: string; name: string },
	parameters: Record<string, unknown>,
): Record<string, any> {
	const node = feishuNode(name, 'punchResultGetMany', cred);
	node.parameters = parameters;
	return node;
}

/** Manual Trigger → source → each of `branches` (in parallel, all fed by the source). */
function fanOut(
	id: string,
	name: string,
	source: Record<string, any>,
	branches: Array<Record<string, any>>,
): WorkflowExport {
	const start = manualTrigger();
	start.position = [0, 0];
	source.position = [220, 0];
	branches.forEach((b, i) => (b.position = [440, i * 160]));
	return {
		id,
		name,
		active: false,
		nodes: [start, source, ...branches],
		connections: {
			[start.name]: { main: [[{ node: source.name, type: 'main', index: 0 }]] },
			[source.name]: { main: [branches.map((b) => ({ node: b.name, type: 'main', index: 0 }))] },
		},
		settings: { executionOrder: 'v1', timezone: ZONE },
	};
}

const json = (r: ExecuteResult, node: string) => nodeItems(r.run, node).map((i) => i.json);
const ran = (r: ExecuteResult, node: string) => r.run?.data.resultData.runData[node] !== undefined;

describeTargets('resources', (info) => {
	let env: E2eEnv;
	const days = exampleDays();
	const wfs: Record<string, WorkflowExport> = {};
	const requests = () => env.emulator.counters().requests;
	const remedies = async () =>
		(await httpJson('GET', `${env.emulator.url}/__admin/remedies`)).body as Array<
			Record<string, any>
		>;
	const writtenFiles: string[] = [];

	beforeAll(async () => {
		env = await setupEnv(info, {
			emulator: { today: days.today },
			workflows: (cred) => {
				wfs.importCsv = exampleWorkflow(EXAMPLES.importCsv, cred);
				wfs.leave = exampleWorkflow(EXAMPLES.leave, cred);
				wfs.payroll = exampleWorkflow(RESOURCE_EXAMPLES.payroll, cred);
				wfs.roster = exampleWorkflow(RESOURCE_EXAMPLES.roster, cred);
				wfs.revoke = exampleWorkflow(RESOURCE_EXAMPLES.revoke, cred);
				wfs.remedy = exampleWorkflow(RESOURCE_EXAMPLES.remedy, cred);
				wfs.leaveResults = chain('e2eLeaveResult', 'punch results of the cancelled leave', [
					itemsNode('Who', [{ employee_no: 'NO0003', date: LEAVE_DAY }]),
					feishuNode('Punch Results', 'punchResultGetMany', cred),
				]);
				wfs.reads = fanOut(
					'e2eNewReads',
					'the other new operations',
					itemsNode('Employee and day', [{ employee_no: 'NO0003', date: days.workday }]),
					[
						raw('Groups', cred, {
							resource: 'attendanceGroup',
							operation: 'getMany',
							returnAll: true,
						}),
						raw('Retail Stores', cred, {
							resource: 'attendanceGroup',
							operation: 'get',
							group: { __rl: true, mode: 'name', value: 'Retail Stores' },
						}),
						raw('Warehouse members', cred, {
							resource: 'attendanceGroup',
							operation: 'getMembers',
							group: { __rl: true, mode: 'name', value: 'Warehouse' },
							employeeIdType: 'employee_no',
							returnAll: false,
							limit: 5,
						}),
						raw('Shifts', cred, { resource: 'shift', operation: 'getMany', returnAll: true }),
						raw('Night Shift', cred, {
							resource: 'shift',
							operation: 'getByName',
							shiftName: 'Night Shift',
							exactMatch: true,
						}),
						raw('Statistics columns', cred, {
							resource: 'statistics',
							operation: 'getColumns',
							statsType: 'month',
							locale: 'en',
						}),
						raw('Report settings', cred, {
							resource: 'statistics',
							operation: 'getReportSettings',
							employeeIdType: 'employee_no',
							operatorId: 'NO0001',
							statsType: 'month',
							locale: 'en',
						}),
						raw('Remedies', cred, {
							resource: 'remedy',
							operation: 'getMany',
							employeeIdType: 'employee_no',
							employeeIds: '={{ $json.employee_no }}',
							from: '={{ $json.date }}',
							to: '={{ $json.date }}',
							status: 'all',
							returnAll: true,
							options: { timezone: ZONE },
						}),
						raw('Allowed remedies', cred, {
							resource: 'remedy',
							operation: 'getAllowed',
							employeeIdType: 'employee_no',
							employeeIds: '={{ $json.employee_no }}',
							day: '={{ $json.date }}',
							options: { timezone: ZONE },
						}),
						raw('Custom API Call', cred, {
							resource: 'customApiCall',
							operation: 'call',
							method: 'GET',
							path: 'attendance/v1/groups',
							queryParameters: { parameters: [{ name: 'page_size', value: '3' }] },
						}),
					],
				);
				return Object.values(wfs);
			},
		});
		// the punches (01) and the leave (03) the statistics, the revoke and the results below are about
		const imported = await env.n8n.execute(wfs.importCsv.id);
		expectSuccess(imported);
		expect(env.emulator.flows()).toHaveLength(9);
		const leave = await env.n8n.execute(wfs.leave.id);
		expectSuccess(leave);
		expect(
			env.emulator
				.approvals()
				.map((a) => a.idempotent_id)
				.sort(),
		).toEqual(['OA-2026-1120-01', 'OA-2026-1120-02']);
	});
	afterAll(async () => {
		for (const f of writtenFiles) fs.rmSync(f, { force: true });
		await teardownEnv(env);
	});

	it('statistics.getMany (example 05): one row per employee for last month, numbers parsed, refused ID kept, .xlsx made (and written when the example writes it)', async () => {
		const r = await env.n8n.execute(wfs.payroll.id);
		const stats = json(r, 'Get Monthly Statistics');
		expect(stats.map((s) => [s.employee_id, s.status])).toEqual([
			...['NO0001', 'NO0002', 'NO0003', 'NO0004', 'NO0005'].map((id) => [id, 'ok']),
			['NO9999', 'invalid'],
		]);
		expect(stats[0]).toMatchObject({
			employee_name: 'Employee 0001',
			period_from: days.month.from,
			period_to: days.month.to,
		});
		const rows = json(r, 'Payroll rows');
		expect(rows).toHaveLength(6);
		const byNo = new Map(rows.map((row) => [row['Employee No.'], row]));
		for (const id of ['NO0001', 'NO0002', 'NO0003', 'NO0004', 'NO0005']) {
			const row = byNo.get(id)!;
			expect(row).toMatchObject({
				From: days.month.from,
				To: days.month.to,
				'Required days': days.month.weekdays,
				Note: '',
			});
			for (const k of [
				'Days worked',
				'Late (times)',
				'Late (minutes)',
				'Early leave (times)',
				'Missing punches',
				'Leave (hours)',
				'Overtime (hours)',
			]) {
				expect({ id, k, type: typeof row[k] }).toEqual({ id, k, type: 'number' });
			}
		}
		if (days.month.from === '2026-11-01') {
			// the CSV of example 01 (2026-11-20): NO0001 on time both ways, NO0002 in at 09:12:40, NO0004 out at 17:45
			expect(byNo.get('NO0001')).toMatchObject({ 'Days worked': 1, 'Late (times)': 0 });
			expect(byNo.get('NO0002')).toMatchObject({ 'Late (times)': 1, 'Late (minutes)': 13 }); // 12 min 40 s, begun minutes
			expect(byNo.get('NO0004')).toMatchObject({ 'Early leave (times)': 1 });
			// example 03's sick leave (14:00–18:00) for NO0003
			expect(byNo.get('NO0003')!['Leave (hours)']).toBeGreaterThan(0);
		}
		expect(byNo.get('NO9999')).toEqual({
			'Employee No.': 'NO9999',
			Note: expect.stringContaining('no statistics'),
		});
		expectFeishuItemsPaired(r, wfs.payroll);

		// the spreadsheet, and the file when the example writes one: the workflow as users import it runs to its end
		// (n8n 2.x refuses files outside N8N_RESTRICT_FILE_ACCESS_TO, default ~/.n8n-files: "Access to the file is not allowed.")
		const [sheet] = nodeItems(r.run, 'Payroll spreadsheet');
		expect(sheet?.binary?.data).toMatchObject({
			fileName: `attendance-${days.month.from.slice(0, 7)}.xlsx`,
		});
		expectSuccess(r);
		const writer = wfs.payroll.nodes.find(
			(n) => n.type === 'n8n-nodes-base.readWriteFile' && n.disabled !== true,
		);
		if (writer) {
			const [written] = json(r, writer.name);
			const file = path.resolve(env.n8n.userFolder, String(written.fileName));
			writtenFiles.push(file);
			expect(fs.readFileSync(file).subarray(0, 2).toString('latin1')).toBe('PK'); // an .xlsx is a zip
		}
	});

	it('schedule.createOrUpdate + getMany (example 06): next week scheduled and read back; a re-run adds nothing', async () => {
		const r = await env.n8n.execute(wfs.roster.id);
		expectSuccess(r);
		const written = json(r, 'Write Schedules');
		expect(written).toHaveLength(28);
		expect(countBy(written, (w) => String(w.status))).toEqual({ scheduled: 28 });
		expect([...new Set(written.map((w) => w.date))].sort()).toEqual(days.week);
		const check = json(r, 'Roster check');
		expect(check.filter((c) => c.ok !== true)).toEqual([]);
		const back = json(r, 'Read Schedules');
		expect(back).toHaveLength(28);
		const held = new Map(back.map((b) => [`${b.employee_id} ${b.date}`, b.shift_name]));
		expect(held.get(`NO0001 ${days.week[0]}`)).toBe('Early Shift');
		expect(held.get(`NO0040 ${days.week[0]}`)).toBe('Night Shift');
		expect(held.get(`NO0002 ${days.week[2]}`)).not.toBe('Late Shift'); // Wednesday is a rest day for NO0002
		expectFeishuItemsPaired(r, wfs.roster);

		const again = await env.n8n.execute(wfs.roster.id);
		expectSuccess(again);
		expect(countBy(json(again, 'Write Schedules'), (w) => String(w.status))).toEqual({
			scheduled: 28,
		});
		expect(json(again, 'Read Schedules')).toHaveLength(28);
		expect(json(again, 'Roster check').filter((c) => c.ok !== true)).toEqual([]);
	});

	it('approval.updateStatus (example 07): the cancelled leave is revoked, Lack/Leave turns back into Lack; a re-run revokes nothing', async () => {
		const before = await env.n8n.execute(wfs.leaveResults.id);
		expectSuccess(before);
		expect(json(before, 'Punch Results')[0]).toMatchObject({
			employee_id: 'NO0003',
			check_out_result: 'Lack',
			check_out_result_supplement: 'Leave',
		});

		const r = await env.n8n.execute(wfs.revoke.id);
		expectSuccess(r);
		expect(json(r, 'Match cancelled').map((m) => m.idempotency_key)).toEqual(['OA-2026-1120-02']);
		const revoked = env.emulator.approvals().find((a) => a.idempotent_id === 'OA-2026-1120-02')!;
		expect(json(r, 'Revoke summary')).toEqual([
			{ approval_id: revoked.approval_id, type: 'leave', outcome: 'done', status: 'revoked' },
		]);
		// the other leave of example 03 stays
		expect(
			env.emulator.approvals().find((a) => a.idempotent_id === 'OA-2026-1120-01')!.status,
		).toBe(2);
		expect(revoked.status).not.toBe(2);
		expectFeishuItemsPaired(r, wfs.revoke);

		const after = await env.n8n.execute(wfs.leaveResults.id);
		expectSuccess(after);
		expect(json(after, 'Punch Results')[0]).toMatchObject({
			employee_id: 'NO0003',
			check_out_result: 'Lack',
			check_out_result_supplement: 'None',
		});

		const processCalls = requests()[`${ATT}/approval_infos/process`] ?? 0;
		const again = await env.n8n.execute(wfs.revoke.id);
		expectSuccess(again);
		expect(json(again, 'Match cancelled')).toEqual([]);
		expect(ran(again, 'Revoke in Feishu')).toBe(false);
		expect(requests()[`${ATT}/approval_infos/process`] ?? 0).toBe(processCalls);
	});

	it('remedy.create + approve (example 08): pending → approved, the punch results change; a re-run writes nothing', async () => {
		const r = await env.n8n.execute(wfs.remedy.id);
		expectSuccess(r);
		const created = json(r, 'Create Remedies');
		expect(created.map((c) => [c.employee_id, c.status])).toEqual([
			['NO0003', 'created'],
			['NO0002', 'created'],
		]);
		expect(created.map((c) => c.remedy_status)).toEqual(['Pending', 'Pending']);
		expect(json(r, 'Approve Remedies').map((a) => a.status)).toEqual(['approved', 'approved']);
		const compare = new Map(json(r, 'Before / after').map((c) => [c.employee, c]));
		expect(compare.get(`NO0003 ${days.workday}`)).toMatchObject({
			before: { in: 'Lack/None', out: 'Lack/None' },
			after: { in: 'Lack/None', out: 'Normal/CardReplacement' },
		});
		expect(compare.get(`NO0002 ${days.workday}`)).toMatchObject({
			before: { in: 'Lack/None', out: 'Lack/None' },
			after: { in: 'Normal/CardReplacement', out: 'Lack/None' },
		});
		expect((await remedies()).map((x) => x.status)).toEqual([2, 2]);
		expectFeishuItemsPaired(r, wfs.remedy);

		const creates = requests()[`${ATT}/user_task_remedys`] ?? 0;
		const again = await env.n8n.execute(wfs.remedy.id);
		expectSuccess(again);
		expect(json(again, 'Create Remedies').map((c) => [c.status, c.remedy_status])).toEqual([
			['duplicate', 'Approved'],
			['duplicate', 'Approved'],
		]);
		expect(ran(again, 'Approve Remedies')).toBe(false);
		expect(requests()[`${ATT}/user_task_remedys`] ?? 0).toBe(creates);
		expect(await remedies()).toHaveLength(2);
	});

	it('the other new operations in real n8n: groups, shifts, statistics columns and settings, remedies, Custom API Call', async () => {
		const r = await env.n8n.execute(wfs.reads.id);
		expectSuccess(r);
		const groups = json(r, 'Groups');
		expect(groups.length).toBeGreaterThan(3);
		expect(groups.map((g) => g.group_name)).toEqual(
			expect.arrayContaining(['Head Office', 'Retail Stores', 'Warehouse']),
		);
		expect(json(r, 'Retail Stores')).toEqual([
			expect.objectContaining({
				group_name: 'Retail Stores',
				group_type_name: 'Shift-Based',
				allow_remedy: true,
			}),
		]);
		const members = json(r, 'Warehouse members');
		expect(members).toHaveLength(5);
		expect(members.map((m) => m.employee_id)).toContain('NO0040');
		expect(
			members.every(
				(m) => /^NO\d{4}$/.test(String(m.employee_id)) && m.employee_id_type === 'employee_no',
			),
		).toBe(true);
		expect(json(r, 'Shifts').map((x) => x.shift_name)).toEqual(
			expect.arrayContaining(['Day Shift', 'Early Shift', 'Late Shift', 'Night Shift']),
		);
		expect(json(r, 'Night Shift')).toEqual([
			expect.objectContaining({
				shift_name: 'Night Shift',
				punch_time_rule: [expect.objectContaining({ on_time: '22:00' })],
			}),
		]);
		const columns = json(r, 'Statistics columns');
		expect(columns.map((c) => c.title)).toEqual(
			expect.arrayContaining(['Employee No.', 'Late in times', 'No records', 'Leave hours']),
		);
		expect(columns.every((c) => c.stats_type === 'month' && c.locale === 'en')).toBe(true);
		const settings = json(r, 'Report settings');
		expect(settings.length).toBeGreaterThan(0);
		expect(
			settings.every((c) => c.operator_id === 'NO0001' && typeof c.enabled === 'boolean'),
		).toBe(true);
		// example 08 (run before) remedied NO0003's check-out on the last working day and had it approved
		expect(
			json(r, 'Remedies').map((x) => [x.employee_id, x.date_iso, x.punch, x.remedy_status]),
		).toEqual([['NO0003', days.workday, 'First Shift Check-Out', 'Approved']]);
		expect(
			json(r, 'Allowed remedies').map((x) => [x.status, x.employee_id, x.punch, x.punch_status]),
		).toEqual([['allowed', 'NO0003', 'First Shift Check-In', 'Lack']]);
		const [custom] = json(r, 'Custom API Call');
		expect(custom).toMatchObject({ has_more: true, page_token: expect.any(String) });
		expect((custom.group_list as unknown[]).length).toBe(3);
		expectFeishuItemsPaired(r, wfs.reads);
	});
});
