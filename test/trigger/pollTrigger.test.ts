/**
 * Feishu Attendance Poll Trigger: polls run through n8n-core's PollContext and TriggersAndPollers.runPoll
 * (harness PollingWorkflow, which saves static data when n8n 1.x does), against the emulator over real HTTP,
 * with data that changes between polls, restarts, failed polls and the call bound.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../emulator';
import { PollingWorkflow, runNode } from '../harness';
import { emp } from '../helpers';

const ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 20, rateLimitPerSecond: 50 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.clearFaults();
});

/** yyyy-MM-dd in Shanghai, `offset` days from today. */
const shDate = (offset: number) =>
	new Date(Date.now() + 8 * 3600_000 + offset * DAY_MS).toISOString().slice(0, 10);
/** The latest weekday before today (the emulator's shift runs Monday to Friday), as yyyy-MM-dd in Shanghai. */
function lastWorkday(): string {
	for (let offset = -1; ; offset--) {
		const d = new Date(`${shDate(offset)}T00:00:00Z`).getUTCDay();
		if (d !== 0 && d !== 6) return shDate(offset);
	}
}
const WORKDAY = lastWorkday();
const at = (time: string) => String(Date.parse(`${WORKDAY}T${time}+08:00`) / 1000);

const trigger = (extra: INodeParameters = {}): PollingWorkflow =>
	new PollingWorkflow({
		emulatorUrl: emu.url,
		parameters: {
			watch: ['punchRecord', 'punchResult', 'approval', 'remedy'],
			employeesFrom: 'employees',
			employeeIdType: 'employee_id',
			employeeIds: `${emp(1)}, ${emp(2)}`,
			lookBackDays: 7,
			maxCallsPerPoll: 100,
			...extra,
		},
	});

const events = (items: INodeExecutionData[] | null) =>
	(items ?? [])
		.map((i) => `${String(i.json.event)} ${String(i.json.employee_id ?? i.json.user_id)}`)
		.sort();
const calls = (endpoint: string) => emu.counters().requests[endpoint] ?? 0;
const ATT = 'POST /open-apis/attendance/v1';

async function leave(employee: string): Promise<IDataObject> {
	const { items, error } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'approval',
			operation: 'create',
			approvalType: 'leave',
			employeeId: employee,
			start: `${WORKDAY} 14:00`,
			end: `${WORKDAY} 18:00`,
			reason: 'Doctor',
			typeName: 'Sick Leave',
			options: { timezone: ZONE },
		},
		items: [{}],
	});
	expect(error).toBeUndefined();
	return items[0].json;
}

async function revoke(approval: IDataObject): Promise<void> {
	const { error } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'approval',
			operation: 'updateStatus',
			approvalKind: 'leave',
			approvalId: String(approval.approval_id),
			newStatus: 'revoke',
		},
		items: [{}],
	});
	expect(error).toBeUndefined();
}

test('first poll records a baseline and emits nothing; then each late punch, changed result and revoked approval once', async () => {
	emu.seedFlows([
		{ user_id: emp(1), check_time: at('09:20:00') },
		{ user_id: emp(1), check_time: at('18:05:00') },
		{ user_id: emp(2), check_time: at('08:50:00') },
	]);
	const approval = await leave(emp(2));
	const wf = trigger();

	const first = await wf.activate();
	expect(first.error).toBeUndefined();
	expect(first.items).toBeNull();
	const baseline = JSON.parse(wf.saved) as IDataObject;
	// the baseline is saved (activation) and holds only texts
	expect(
		Object.keys((Object.values(baseline)[0] as { feishuPoll: { seen: object } }).feishuPoll.seen)
			.length,
	).toBeGreaterThan(3);
	expect(wf.saved).toMatch(/^[\x20-\x7e]*$/);

	expect((await wf.poll()).items).toBeNull();

	// a punch that arrives late (08:55 of the past workday) → a new record and a changed check-in result
	emu.seedFlows([{ user_id: emp(1), check_time: at('08:55:00') }]);
	const late = await wf.poll();
	expect(late.error).toBeUndefined();
	expect(events(late.items)).toEqual([
		`punch_record.new ${emp(1)}`,
		`punch_result.changed ${emp(1)}`,
	]);
	const result = late.items!.find((i) => i.json.event === 'punch_result.changed')!.json;
	expect(result).toMatchObject({ date_iso: WORKDAY, check_in_result: 'Normal' });
	expect(late.items![0].json.poll).toMatchObject({ max_calls: 100, employees: 2 });
	expect((late.items![0].json.poll as IDataObject).calls).toBeGreaterThanOrEqual(4);
	expect((await wf.poll()).items).toBeNull();

	// the leave is revoked: the approval changes (status withdrawn); its Leave supplement leaves the result
	await revoke(approval);
	const revoked = await wf.poll();
	expect(revoked.error).toBeUndefined();
	const approvalEvents = revoked.items!.filter((i) => String(i.json.event).startsWith('approval.'));
	expect(approvalEvents.map((i) => i.json)).toEqual([
		expect.objectContaining({
			event: 'approval.changed',
			approval_id: approval.approval_id,
			approval_status: 'Withdrawn',
			employee_id: emp(2),
		}),
	]);
	expect((await wf.poll()).items).toBeNull();
});

test('restart: the saved state carries over (nothing re-emitted); what came while n8n was down is emitted once', async () => {
	emu.seedFlows([{ user_id: emp(1), check_time: at('09:00:00') }]);
	const wf = trigger({ watch: ['punchRecord'] });
	expect((await wf.activate()).items).toBeNull();
	emu.seedFlows([{ user_id: emp(2), check_time: at('09:01:00') }]);
	expect(events((await wf.poll()).items)).toEqual([`punch_record.new ${emp(2)}`]);

	// n8n stops; a punch arrives meanwhile; n8n starts again (activation runs the first poll)
	emu.seedFlows([{ user_id: emp(1), check_time: at('12:00:00') }]);
	const afterRestart = await wf.restart();
	expect(events(afterRestart.items)).toEqual([`punch_record.new ${emp(1)}`]);
	expect(afterRestart.items![0].json.check_time).toBe(at('12:00:00'));
	expect((await wf.restart()).items).toBeNull();
	expect((await wf.poll()).items).toBeNull();
});

test('a failed poll changes no state: nothing lost, nothing twice after recovery', async () => {
	const wf = trigger({ watch: ['punchRecord', 'punchResult'] });
	expect((await wf.activate()).items).toBeNull();
	const before = JSON.stringify(wf.memory);
	const saved = wf.saved;

	emu.seedFlows([{ user_id: emp(1), check_time: at('09:10:00') }]);
	// the results query fails every retry; the records query succeeds
	emu.injectFault({ kind: 'http500', endpoint: '/user_tasks/query', times: 50 });
	const failed = await wf.poll();
	expect(failed.error?.message).toBeDefined();
	expect(failed.items).toBeNull();
	expect(JSON.stringify(wf.memory)).toBe(before);
	expect(wf.saved).toBe(saved);

	emu.clearFaults();
	const recovered = await wf.poll();
	expect(recovered.error).toBeUndefined();
	expect(events(recovered.items)).toEqual([
		`punch_record.new ${emp(1)}`,
		`punch_result.changed ${emp(1)}`,
	]);
	expect((await wf.poll()).items).toBeNull();
}, 60_000);

test('Max Calls per Poll: a poll that needs more fails before sending more, keeps its state, and says what to change', async () => {
	const wf = trigger({ maxCallsPerPoll: 3 });
	const outcome = await wf.activate();
	expect(outcome.error?.message).toBe(
		'This poll needs more than 3 calls to Feishu (Max Calls per Poll)',
	);
	expect(wf.saved).toBe('{}');
	const sent = [
		`${ATT}/user_flows/query`,
		`${ATT}/user_tasks/query`,
		`${ATT}/user_approvals/query`,
		`${ATT}/user_task_remedys/query`,
	].reduce((sum, endpoint) => sum + calls(endpoint), 0);
	expect(sent).toBeLessThanOrEqual(3);
});

test('Fetch Test Event: real recent records, the static data untouched, with and without a state', async () => {
	emu.seedFlows([
		{ user_id: emp(1), check_time: at('09:00:00') },
		{ user_id: emp(1), check_time: at('18:00:00') },
	]);
	const wf = trigger({ watch: ['punchRecord'] });
	const test1 = await wf.poll('manual');
	expect(events(test1.items)).toEqual([`punch_record.new ${emp(1)}`, `punch_record.new ${emp(1)}`]);
	expect(JSON.stringify(wf.memory)).toBe('{}');

	expect((await wf.activate()).items).toBeNull();
	const state = JSON.stringify(wf.memory);
	const test2 = await wf.poll('manual');
	// nothing new: the latest records, newest first
	expect(test2.items!.map((i) => i.json.check_time)).toEqual([at('18:00:00'), at('09:00:00')]);
	expect(JSON.stringify(wf.memory)).toBe(state);
	// the real poll afterwards still emits nothing twice
	expect((await wf.poll()).items).toBeNull();
});

test('On First Poll: Emit the Look-Back Window; attendance groups by name; remedies', async () => {
	emu.seedFlows([{ user_id: emp(3), check_time: at('09:30:00') }]);
	const wf = trigger({
		employeesFrom: 'groups',
		groups: 'Retail Stores',
		firstPoll: 'emit',
		watch: ['punchRecord', 'remedy'],
	});
	const first = await wf.activate();
	expect(first.error).toBeUndefined();
	expect(events(first.items)).toEqual([`punch_record.new ${emp(3)}`]);
	expect((first.items![0].json.poll as IDataObject).employees).toBe(20); // emp0001–emp0020 are Retail Stores' members
	expect(calls(`GET /open-apis/attendance/v1/groups/:id/list_user`)).toBeGreaterThanOrEqual(1);

	const { error } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'remedy',
			operation: 'create',
			employeeId: emp(3),
			day: WORKDAY,
			punch: 'firstCheckOut',
			remedyTime: `${WORKDAY} 18:00`,
			reason: 'Forgot',
		},
		items: [{}],
	});
	expect(error).toBeUndefined();
	const next = await wf.poll();
	expect(next.error).toBeUndefined();
	expect(next.items!.map((i) => i.json)).toEqual([
		expect.objectContaining({
			event: 'remedy.new',
			employee_id: emp(3),
			punch: expect.any(String),
		}),
	]);
	expect((await wf.poll()).items).toBeNull();
});

test('changing the Timezone setting re-emits nothing (the remembered content leaves out the *_iso forms)', async () => {
	emu.seedFlows([{ user_id: emp(1), check_time: at('09:00:00') }]);
	const shanghai = trigger({ watch: ['punchRecord', 'punchResult'] });
	expect((await shanghai.activate()).items).toBeNull();
	const tokyo = new PollingWorkflow({
		emulatorUrl: emu.url,
		saved: shanghai.saved,
		parameters: {
			watch: ['punchRecord', 'punchResult'],
			employeesFrom: 'employees',
			employeeIdType: 'employee_id',
			employeeIds: `${emp(1)}, ${emp(2)}`,
			lookBackDays: 7,
			options: { timezone: 'Asia/Tokyo' },
		},
	});
	expect((await tokyo.poll()).items).toBeNull();
	emu.seedFlows([{ user_id: emp(2), check_time: at('10:00:00') }]);
	const next = await tokyo.poll();
	expect(next.items!.find((i) => i.json.event === 'punch_record.new')!.json.check_time_iso).toBe(
		`${WORKDAY}T11:00:00+09:00`,
	);
});
