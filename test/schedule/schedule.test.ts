/**
 * Schedule → Create or Update and Get Many through n8n's engine against the emulator: a month's roster of
 * 120 employees (75 calls of ≤ 50 entries, entries Feishu did not apply matched to their items), names →
 * IDs once per run, unknown names as per-item errors, rest days and clearing, operator_id, both readings of
 * msg, and reading schedules back in 30-day windows with names.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { SHIFT_ID, startEmulator } from '../emulator';
import { RETAIL_GROUP_ID, WAREHOUSE_GROUP_ID } from '../emulator/handlers/rules';
import { runNode } from '../harness';
import { emp } from '../helpers';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 300 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.configure({ scheduleOperatorRequired: true });
});

const ATT = '/open-apis/attendance/v1';
const BATCH = `POST ${ATT}/user_daily_shifts/batch_create`;
const QUERY = `POST ${ATT}/user_daily_shifts/query`;
const EARLY_SHIFT_ID = '7023458093924646920';
const LATE_SHIFT_ID = '7023458093924646922';

/** Create or Update with everything mapped from the items (group and shift by name unless said otherwise). */
const WRITE: INodeParameters = {
	resource: 'schedule',
	operation: 'createOrUpdate',
	employeeId: '={{ $json.emp }}',
	date: '={{ $json.date }}',
	group: { __rl: true, mode: 'name', value: '={{ $json.group }}' },
	dayType: '={{ $json.dayType ?? "shift" }}',
	shift: { __rl: true, mode: 'name', value: '={{ $json.shift }}' },
	operatorId: 'emp0001',
};

async function run(parameters: INodeParameters, items: IDataObject[], continueOnFail = false) {
	const before = { ...emu.counters().requests };
	const result = await runNode({ emulatorUrl: emu.url, parameters, items, continueOnFail });
	const after = emu.counters().requests;
	return {
		...result,
		calls: (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0),
	};
}

const write = async (items: IDataObject[], extra: INodeParameters = {}, continueOnFail = false) =>
	await run({ ...WRITE, ...extra }, items, continueOnFail);

const read = async (emps: string[], from: string, to: string, extra: INodeParameters = {}) =>
	await run(
		{
			resource: 'schedule',
			operation: 'getMany',
			employeeIds: '={{ $json.emp }}',
			from,
			to,
			returnAll: true,
			...extra,
		},
		emps.map((e) => ({ emp: e })),
	);

const march = (d: number) => `2025-03-${String(d).padStart(2, '0')}`;
const isSunday = (d: number) => new Date(Date.UTC(2025, 2, d)).getUTCDay() === 0;
const summary = (items: INodeExecutionData[]) =>
	items.map((i) => [i.json.employee_id, i.json.date, i.json.status]);

test('answers lost after Feishu applied the batch, on every try: the schedules read back say the entries are done', async () => {
	const items = [1, 2, 3].map((d) => ({
		emp: emp(5),
		date: march(d),
		group: 'Retail Stores',
		shift: 'Early Shift',
	}));
	emu.injectFault({ endpoint: 'user_daily_shifts/batch_create', kind: 'http500After', times: 10 });
	const {
		items: out,
		error,
		calls,
	} = await write(items, { options: { advanced: { maxRetries: 1 } } });
	expect(error).toBeUndefined();
	expect(calls(BATCH)).toBe(2); // the first try and one retry, both answered 500 after storing
	expect(calls(QUERY)).toBe(1); // then read back
	expect(out.map((o) => [o.json.outcome, o.json.status])).toEqual([
		['done', 'scheduled'],
		['done', 'scheduled'],
		['done', 'scheduled'],
	]);
	emu.clearFaults();
});

test('120 employees × 31 days: 75 calls, one item per entry, the entries Feishu did not apply matched to their items', async () => {
	const wrong = new Set(['emp0007|9', 'emp0055|17', 'emp0118|31']);
	const items: IDataObject[] = [];
	for (let n = 1; n <= 120; n++) {
		for (let d = 1; d <= 31; d++) {
			const e = emp(n);
			items.push({
				emp: e,
				date: march(d),
				// Warehouse staff (multiples of 40) are in Warehouse; three entries name a group the employee is not in
				group: wrong.has(`${e}|${d}`)
					? 'Head Office'
					: n % 40 === 0
						? 'Warehouse'
						: 'Retail Stores',
				dayType: isSunday(d) ? 'rest' : 'shift',
				shift: d % 2 === 0 ? 'Early Shift' : 'Late Shift',
			});
		}
	}
	const { items: out, error, calls } = await write(items);
	expect(error).toBeUndefined();
	expect(calls(BATCH)).toBe(75);
	// names looked up once per run: one list of groups, one of shifts
	expect(calls(`GET ${ATT}/groups`)).toBe(1);
	expect(calls(`GET ${ATT}/shifts`)).toBe(1);
	expect(out).toHaveLength(3720);
	out.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));

	const failed = out.filter((o) => o.json.status === 'failed');
	expect(summary(failed)).toEqual([
		['emp0007', '2025-03-09', 'failed'],
		['emp0055', '2025-03-17', 'failed'],
		['emp0118', '2025-03-31', 'failed'],
	]);
	expect(failed.map((f) => f.pairedItem)).toEqual([
		{ item: 6 * 31 + 8 },
		{ item: 54 * 31 + 16 },
		{ item: 117 * 31 + 30 },
	]);
	// the cause, from the group's members (Feishu's answer names none): emp0007 is not in Head Office
	expect(failed[0].json).toMatchObject({ outcome: 'not done', errorReason: 'not_in_group' });
	expect(failed[0].json.error).toBe(
		'Feishu did not schedule emp0007 on 2025-03-09: they are not a member of the attendance group "Head Office" (6921319402260496386) [item 194]',
	);
	expect(failed[0].json.errorDetails).toBe(
		'Feishu did not apply this entry (listed as not applied: emp0007 on 2025-03-09)',
	);
	expect(failed[0].json.errorDescription).toContain('the group they belong to');
	expect(out.filter((o) => o.json.status === 'scheduled')).toHaveLength(3717);
	expect(out[1].json).toEqual({
		outcome: 'done',
		status: 'scheduled',
		employee_id: 'emp0001',
		employee_id_type: 'employee_id',
		date: '2025-03-02',
		month: 202503,
		day_no: 2,
		group_id: RETAIL_GROUP_ID,
		group_name: 'Retail Stores',
		shift_id: '0',
		shift_name: 'Rest Day',
		rest_day: true,
	});
	expect(out[39 * 31 + 2].json).toMatchObject({
		group_name: 'Warehouse',
		shift_id: LATE_SHIFT_ID,
		shift_name: 'Late Shift',
		rest_day: false,
	});

	// read back: 3 employee batches × 2 windows (30 + 1 days), names resolved, the 3 entries not applied absent
	const back = await read(
		Array.from({ length: 120 }, (_, i) => emp(i + 1)),
		march(1),
		march(31),
	);
	expect(back.error).toBeUndefined();
	expect(back.calls(QUERY)).toBe(6);
	expect(back.items).toHaveLength(3717);
	const first = back.items.filter((i) => i.json.employee_id === 'emp0007');
	expect(first.map((i) => i.json.date)).toEqual(
		Array.from({ length: 31 }, (_, i) => march(i + 1)).filter((d) => d !== march(9)),
	);
	expect(first[0].json).toEqual({
		employee_id: 'emp0007',
		employee_id_type: 'employee_id',
		date: '2025-03-01',
		day: 20250301,
		month: 202503,
		day_no: 1,
		group_id: RETAIL_GROUP_ID,
		group_name: 'Retail Stores',
		shift_id: LATE_SHIFT_ID,
		shift_name: 'Late Shift',
		rest_day: false,
	});
	expect(first[1].json).toMatchObject({
		date: '2025-03-02',
		shift_id: '0',
		shift_name: 'Rest Day',
		rest_day: true,
	});
	expect(first[0].pairedItem).toEqual({ item: 6 });

	// the same roster again: the same result, nothing added
	const again = await write(items.slice(0, 62));
	expect(again.items.map((i) => i.json)).toEqual(out.slice(0, 62).map((i) => i.json));
	const reread = await read([emp(1), emp(2)], march(1), march(31));
	expect(reread.items).toHaveLength(62);
});

test('unknown group or shift names: errors of their items only (Continue On Fail), else the node stops before writing', async () => {
	const items = [
		{ emp: emp(1), date: march(3), group: 'Retail Stores', shift: 'Early Shift' },
		{ emp: emp(2), date: march(3), group: 'Retail Shops', shift: 'Early Shift' },
		{ emp: emp(3), date: march(3), group: 'Retail Stores', shift: 'Lunch Shift' },
		{ emp: emp(4), date: march(3), group: 'retail stores', shift: ' early shift ' },
	];
	const continued = await write(items, {}, true);
	expect(continued.error).toBeUndefined();
	expect(continued.calls(BATCH)).toBe(1);
	expect(continued.items.map((i) => [i.json.status, i.json.error, i.pairedItem])).toEqual([
		['scheduled', undefined, { item: 0 }],
		[
			'failed',
			'Attendance Group: No attendance group is named "Retail Shops" [item 1]',
			{ item: 1 },
		],
		['failed', 'Shift: No shift is named "Lunch Shift" [item 2]', { item: 2 }],
		['scheduled', undefined, { item: 3 }],
	]);
	expect(continued.items[3].json).toMatchObject({
		group_name: 'Retail Stores',
		shift_id: EARLY_SHIFT_ID,
		shift_name: 'Early Shift',
	});

	const stopped = await write(items);
	expect(stopped.error?.message).toBe(
		'Attendance Group: No attendance group is named "Retail Shops" [item 1]',
	);
	expect(stopped.calls(BATCH)).toBe(0);
});

test('groups and shifts by ID or from the list need no lookup; an unknown shift ID fails its whole call', async () => {
	const items = [
		{ emp: emp(41), date: march(4) },
		{ emp: emp(42), date: march(4) },
	];
	const byId = await write(items, {
		group: { __rl: true, mode: 'list', value: RETAIL_GROUP_ID },
		shift: { __rl: true, mode: 'id', value: SHIFT_ID },
	});
	expect(byId.error).toBeUndefined();
	expect(byId.calls(`GET ${ATT}/groups`) + byId.calls(`GET ${ATT}/shifts`)).toBe(0);
	expect(
		byId.items.map((i) => [i.json.status, i.json.group_id, i.json.shift_id, i.json.group_name]),
	).toEqual([
		['scheduled', RETAIL_GROUP_ID, SHIFT_ID, undefined],
		['scheduled', RETAIL_GROUP_ID, SHIFT_ID, undefined],
	]);

	const unknown = await write(
		items,
		{
			group: { __rl: true, mode: 'id', value: RETAIL_GROUP_ID },
			shift: { __rl: true, mode: 'id', value: '123' },
		},
		true,
	);
	expect(unknown.items.map((i) => [i.json.status, i.json.error])).toEqual([
		['failed', 'Feishu error 1226003: shift does not exist [item 0]'],
		['failed', 'Feishu error 1226003: shift does not exist [item 1]'],
	]);
	expect(unknown.items.map((i) => i.json.errorReason)).toEqual(['unknown_shift', 'unknown_shift']);
	const stopped = await write(items, {
		group: { __rl: true, mode: 'id', value: RETAIL_GROUP_ID },
		shift: { __rl: true, mode: 'id', value: '123' },
	});
	expect(stopped.error?.message).toBe('Feishu error 1226003: shift does not exist');
});

test('entries Feishu refuses the whole call for: an unknown employee (named in msg) or shift (not named) fail alone', async () => {
	const items = Array.from({ length: 10 }, (_, i) => ({
		emp: emp(i + 11),
		date: march(6),
		group: 'Retail Stores',
		shift: 'Day Shift',
	}));
	items.splice(3, 0, {
		emp: 'emp9999',
		date: march(6),
		group: 'Retail Stores',
		shift: 'Day Shift',
	});
	const named = await write(items);
	expect(named.error).toBeUndefined();
	// the whole batch, then the batch without the employee the answer names
	expect(named.calls(BATCH)).toBe(2);
	expect(named.items.map((i) => i.json.status)).toEqual([
		...Array(3).fill('scheduled'),
		'failed',
		...Array(7).fill('scheduled'),
	]);
	expect(named.items[3].json).toMatchObject({
		employee_id: 'emp9999',
		error:
			'Feishu error 1220004: user_id is not exist or does not have permission: emp9999 [item 3]',
		errorReason: 'unknown_employee',
	});
	expect(named.items[3].json.errorDescription).toContain('Employee ID Type');

	// a shift ID that does not exist: Feishu's answer names nothing, so the batch is halved by employee
	const byId = {
		group: { __rl: true, mode: 'id', value: RETAIL_GROUP_ID },
		shift: { __rl: true, mode: 'id', value: '={{ $json.shiftId }}' },
	};
	const shifts = Array.from({ length: 16 }, (_, i) => ({
		emp: emp(i + 21),
		date: march(7),
		shiftId: i === 9 ? '404' : SHIFT_ID,
	}));
	const halved = await write(shifts, byId);
	expect(halved.error).toBeUndefined();
	expect(
		halved.items.map((i) => (i.json.status === 'failed' ? i.json.error : i.json.status)),
	).toEqual([
		...Array(9).fill('scheduled'),
		'Feishu error 1226003: shift does not exist [item 9]',
		...Array(6).fill('scheduled'),
	]);
	expect(halved.calls(BATCH)).toBe(1 + 2 * 4); // 16 → 8 → 4 → 2 → 1 employees
	const back = await read(
		shifts.map((s) => s.emp),
		march(7),
		march(7),
	);
	expect(back.items).toHaveLength(15);

	// every half refused alike: the answer concerns the call, not entries (here: every shift is unknown)
	const all = await write(
		shifts.map((s) => ({ ...s, shiftId: '404' })),
		byId,
		true,
	);
	expect(all.calls(BATCH)).toBe(3);
	expect(all.items.map((i) => i.json.error)).toEqual(
		all.items.map((_i, n) => `Feishu error 1226003: shift does not exist [item ${n}]`),
	);
	expect(new Set(all.items.map((i) => i.json.errorReason))).toEqual(new Set(['unknown_shift']));
});

test('rest days, clearing a day, and the same employee and day twice in one run', async () => {
	const base = { group: 'Retail Stores', shift: 'Late Shift' };
	const first = await write(
		[
			{ emp: emp(5), date: march(10), ...base },
			{ emp: emp(5), date: march(11), ...base, dayType: 'rest' },
			{ emp: emp(5), date: '20250312', ...base },
			{ emp: emp(5), date: '2025-03-12T23:30:00+08:00', ...base },
			{ emp: emp(5), date: march(10), ...base, shift: 'Early Shift' },
		],
		{},
		true,
	);
	expect(first.calls(BATCH)).toBe(1);
	expect(
		first.items.map((i) => [
			i.json.date,
			i.json.status,
			i.json.shift_name,
			i.json.duplicate_of_item ?? i.json.error,
		]),
	).toEqual([
		['2025-03-10', 'scheduled', 'Late Shift', undefined],
		['2025-03-11', 'scheduled', 'Rest Day', undefined],
		['2025-03-12', 'scheduled', 'Late Shift', undefined],
		['2025-03-12', 'scheduled', 'Late Shift', 2],
		[
			'2025-03-10',
			'failed',
			'Early Shift',
			'Item 0 already schedules emp0005 on 2025-03-10 differently [item 4]',
		],
	]);

	const holiday = await write(
		[{ emp: emp(5), date: march(13), ...base, dayType: 'holiday' }],
		{},
		true,
	);
	expect(holiday.items[0].json).toMatchObject({
		status: 'failed',
		error: 'Day Type "holiday" is not one of shift, rest, clear [item 0]',
	});
	expect(holiday.calls(BATCH)).toBe(0);

	const cleared = await write([{ emp: emp(5), date: march(10), ...base, dayType: 'clear' }]);
	expect(cleared.items[0].json).toMatchObject({ status: 'scheduled', cleared: true });
	expect(cleared.items[0].json.shift_id).toBeUndefined();
	const back = await read([emp(5)], march(1), march(31));
	expect(back.items.map((i) => [i.json.date, i.json.shift_name])).toEqual([
		['2025-03-11', 'Rest Day'],
		['2025-03-12', 'Late Shift'],
	]);
});

test('Batch Size under Options → Advanced decides the calls', async () => {
	const items = Array.from({ length: 10 }, (_, i) => ({
		emp: emp(i + 1),
		date: march(3),
		group: 'Retail Stores',
		shift: 'Late Shift',
	}));
	const result = await write(items, { options: { advanced: { batchSize: 4 } } });
	expect(result.error).toBeUndefined();
	expect(result.calls(BATCH)).toBe(3);
	expect(result.items.map((i) => i.json.status)).toEqual(Array(10).fill('scheduled'));
});

test('operator_id: required unless API access is set up; without it a clear hint', async () => {
	const items = [{ emp: emp(6), date: march(5), group: 'Retail Stores', shift: 'Day Shift' }];
	const missing = await write(items, { operatorId: '' });
	expect(missing.error?.message).toBe('Feishu error 1220001: operator_id is required');
	expect((missing.error as unknown as { description: string }).description).toContain(
		'Fill in Operator ID',
	);

	emu.configure({ scheduleOperatorRequired: false });
	const open = await write(items, { operatorId: '' });
	expect(open.error).toBeUndefined();
	expect(open.items[0].json.status).toBe('scheduled');
});

test('an Operator ID Feishu does not know: every batch refused for the call, confirmed once for the run (not per batch), one error', async () => {
	const items = Array.from({ length: 60 }, (_, i) => ({
		emp: emp(i + 1),
		date: march(4),
		group: 'Retail Stores',
		shift: 'Day Shift',
	}));
	const stopped = await write(items, { operatorId: 'nobody' });
	expect(stopped.error?.message).toBe(
		'Feishu error 1220004: user_id is not exist or does not have permission: nobody',
	);
	expect((stopped.error as unknown as { description: string }).description).toMatch(
		/^Feishu refuses the call the same way for every employee in it, .*check Operator ID \(nobody\)/,
	);
	// two batches (50 + 10): the first refused and halved once (2 calls) shows the refusal concerns the call; the
	// second batch, refused the same way, is not halved again
	expect(stopped.calls(BATCH)).toBe(2 + 2);
	const tolerant = await write(items, { operatorId: 'nobody' }, true);
	expect(tolerant.calls(BATCH)).toBe(4);
	expect(new Set(tolerant.items.map((i) => [i.json.outcome, i.json.errorReason].join()))).toEqual(
		new Set(['not done,unknown_employee']),
	);
});

describe('msg of a code-0 answer, both readings (UNCONFIRMED format)', () => {
	const items = [
		{ emp: emp(8), date: march(1), group: 'Retail Stores', shift: 'Day Shift' },
		{ emp: emp(8), date: march(2), group: 'Retail Stores', shift: 'Day Shift' },
		{ emp: emp(9), date: march(2), group: 'Retail Stores', shift: 'Day Shift' },
	];

	test('dates as days of the month, Go map text', async () => {
		emu.injectFault({
			endpoint: 'user_daily_shifts/batch_create',
			kind: 'code',
			code: 0,
			httpStatus: 200,
			msg: 'map[emp0008:[2]]',
		});
		const { items: out } = await write(items);
		expect(out.map((i) => `${i.json.employee_id} ${i.json.date} ${i.json.status}`)).toEqual([
			'emp0008 2025-03-01 scheduled',
			'emp0008 2025-03-02 failed',
			'emp0009 2025-03-02 scheduled',
		]);
	});

	test('a msg that lists nothing readable: the batch is read back and compared', async () => {
		await write(items.slice(0, 2));
		// the fault answers code 0 without storing anything: what was stored before is found, the rest is not
		emu.injectFault({
			endpoint: 'user_daily_shifts/batch_create',
			kind: 'code',
			code: 0,
			httpStatus: 200,
			msg: 'partially failed',
		});
		const { items: out, calls } = await write(items);
		expect(calls(QUERY)).toBe(1);
		expect(out.map((i) => [i.json.employee_id, i.json.date, i.json.status, i.json.error])).toEqual([
			['emp0008', '2025-03-01', 'scheduled', undefined],
			['emp0008', '2025-03-02', 'scheduled', undefined],
			[
				'emp0009',
				'2025-03-02',
				'failed',
				'Feishu did not apply this entry (answer: "partially failed") [item 2]',
			],
		]);
	});
});

test("Employee ID Type and Timezone per item: one call per ID type, each date-time a day in its item's zone", async () => {
	emu.configure({ scheduleOperatorRequired: false });
	const at = '2025-03-10T20:00:00Z'; // 11 March in Shanghai, 10 March in New York
	const items = [
		{
			emp: emp(10),
			type: 'employee_id',
			tz: 'Asia/Shanghai',
			date: at,
			group: 'Retail Stores',
			shift: 'Early Shift',
		},
		{
			emp: 'NO0011',
			type: 'employee_no',
			tz: 'America/New_York',
			date: at,
			group: 'Retail Stores',
			shift: 'Early Shift',
		},
		{
			emp: emp(12),
			type: 'employee_id',
			tz: 'America/New_York',
			date: at,
			group: 'Retail Stores',
			shift: 'Late Shift',
		},
	];
	const out = await write(items, {
		employeeIdType: '={{ $json.type }}',
		operatorId: '',
		options: { timezone: '={{ $json.tz }}' },
	});
	expect(out.error).toBeUndefined();
	expect(out.calls(BATCH)).toBe(2);
	expect(
		out.items.map((i) => [i.json.status, i.json.employee_id, i.json.employee_id_type, i.json.date]),
	).toEqual([
		['scheduled', emp(10), 'employee_id', march(11)],
		['scheduled', 'NO0011', 'employee_no', march(10)],
		['scheduled', emp(12), 'employee_id', march(10)],
	]);
	const back = await read([emp(10), emp(11), emp(12)], march(10), march(11));
	expect(back.items.map((i) => [i.json.employee_id, i.json.date, i.json.shift_name])).toEqual([
		[emp(10), march(11), 'Early Shift'],
		[emp(11), march(10), 'Early Shift'],
		[emp(12), march(10), 'Late Shift'],
	]);
});

test('Get Many: windows of at most 30 days, Resolve Names off, Limit', async () => {
	await write(
		Array.from({ length: 46 }, (_, i) => ({
			emp: emp(120),
			date: new Date(Date.UTC(2025, 2, 1 + i)).toISOString().slice(0, 10),
			group: 'Warehouse',
			shift: 'Night Shift',
		})),
	);
	const all = await read([emp(120)], '2025-03-01', '2025-04-15', {
		options: { resolveNames: false },
	});
	expect(all.calls(QUERY)).toBe(2);
	expect(all.calls(`GET ${ATT}/groups`)).toBe(0);
	expect(all.items).toHaveLength(46);
	expect(all.items[45].json).toMatchObject({
		date: '2025-04-15',
		group_id: WAREHOUSE_GROUP_ID,
		shift_id: '7023458093924646923',
	});
	expect(all.items[45].json.shift_name).toBeUndefined();

	const limited = await read([emp(120)], '2025-03-01', '2025-04-15', {
		returnAll: false,
		limit: 5,
	});
	expect(limited.items.map((i) => i.json.shift_name)).toEqual(Array(5).fill('Night Shift'));
});

test('Get Many: listing shifts fails → the schedules are output without names and the run says why', async () => {
	await write(
		[1, 2, 3].map((d) => ({
			emp: emp(80),
			date: march(d),
			group: 'Warehouse',
			shift: 'Night Shift',
		})),
	);
	emu.injectFault({
		endpoint: `${ATT}/shifts`,
		kind: 'code',
		code: 1220001,
		httpStatus: 400,
		msg: 'no permission',
		times: 10,
	});
	const back = await read([emp(80)], march(1), march(3));
	expect(back.error).toBeUndefined();
	expect(
		back.items.map((i) => [i.json.date, i.json.shift_id, i.json.shift_name, i.json.group_name]),
	).toEqual([1, 2, 3].map((d) => [march(d), '7023458093924646923', undefined, undefined]));
	const hints = Object.values(back.runData).flatMap((tasks) =>
		tasks.flatMap((task) => task.hints ?? []),
	);
	expect(hints).toHaveLength(1);
	expect(hints[0]).toMatchObject({ type: 'warning' });
	expect(hints[0].message).toMatch(
		/^Group and shift names are missing: reading the attendance groups or shifts failed \(.*no permission/,
	);
});

test('example 06 (weekly roster): its Code steps and node parameters write next week and read it back', async () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { files, PARAMS } = require('../../scripts/examples/generate.js') as {
		files: Record<string, { nodes: Array<{ name: string; parameters: IDataObject }> }>;
		PARAMS: Record<string, () => INodeParameters>;
	};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { DateTime } = require('luxon') as typeof import('luxon');
	const roster = files['06-weekly-roster.json'];
	const jsCode = (name: string) =>
		String(roster.nodes.find((n) => n.name === name)!.parameters.jsCode);
	const $today = DateTime.now().setZone('Asia/Shanghai').startOf('day');
	// the example's Code nodes, run as n8n would (Run Once for All Items)
	const runCode = (name: string, input: IDataObject[]) =>
		(
			new Function('$input', '$today', jsCode(name))(
				{ all: () => input.map((json) => ({ json })) },
				$today,
			) as Array<{ json: IDataObject }>
		).map((i) => i.json);
	const rows = runCode('Roster sheet', []);
	const days = runCode('One item per employee and day', rows);
	expect(days).toHaveLength(28);

	const written = await run(PARAMS.scheduleCreateOrUpdate(), days);
	expect(written.error).toBeUndefined();
	expect(written.items.map((i) => i.json.status)).toEqual(Array(28).fill('scheduled'));
	const monday = $today.plus({ weeks: 1 }).startOf('week');
	const range = {
		from: monday.toFormat('yyyy-MM-dd'),
		to: monday.plus({ days: 6 }).toFormat('yyyy-MM-dd'),
	};
	const back = await run(
		PARAMS.scheduleGetMany(),
		rows.map((r) => ({ employee_no: r.employee_no, ...range })),
	);
	expect(back.error).toBeUndefined();
	const held = new Map(
		back.items.map((i) => [`${i.json.employee_id} ${i.json.date}`, i.json.shift_name]),
	);
	expect(held.size).toBe(28);
	for (const w of written.items)
		expect(held.get(`${w.json.employee_id} ${w.json.date}`)).toBe(w.json.shift_name);
	expect(held.get(`NO0040 ${range.from}`)).toBe('Night Shift');
});

describe('emulator: schedules are as strict as Feishu documents', () => {
	async function post(path: string, body: IDataObject, query = 'employee_type=employee_id') {
		const auth = (await (
			await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ app_id: 'cli_emulator', app_secret: 'emulator-secret' }),
			})
		).json()) as { tenant_access_token: string };
		const res = await fetch(`${emu.url}/open-apis/attendance/v1${path}?${query}`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${auth.tenant_access_token}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify(body),
		});
		return {
			status: res.status,
			...((await res.json()) as { code: number; msg: string; data?: IDataObject }),
		};
	}
	const entry = (n: number, dayNo: number, extra: IDataObject = {}) => ({
		group_id: RETAIL_GROUP_ID,
		shift_id: SHIFT_ID,
		month: 202503,
		user_id: emp(n),
		day_no: dayNo,
		...extra,
	});

	test('batch_create: at most 50 entries, real days, known shifts; rest day is shift "0"; wrong group reported in msg', async () => {
		const fiftyOne = Array.from({ length: 51 }, (_, i) => entry(1 + (i % 3), 1 + (i % 28)));
		expect(
			await post('/user_daily_shifts/batch_create', {
				user_daily_shifts: fiftyOne,
				operator_id: emp(1),
			}),
		).toMatchObject({
			status: 400,
			code: 1220001,
			msg: 'user_daily_shifts exceeds the limit of 50',
		});
		expect(
			await post('/user_daily_shifts/batch_create', {
				user_daily_shifts: [entry(1, 1, { month: 202502, day_no: 29 })],
				operator_id: emp(1),
			}),
		).toMatchObject({ code: 1220001 });
		expect(
			await post('/user_daily_shifts/batch_create', {
				user_daily_shifts: [entry(1, 1, { shift_id: '42' })],
				operator_id: emp(1),
			}),
		).toMatchObject({ code: 1226003, msg: 'shift does not exist' });
		const partial = await post('/user_daily_shifts/batch_create', {
			user_daily_shifts: [entry(1, 1, { shift_id: '0' }), entry(40, 1), entry(40, 2)],
			operator_id: emp(1),
		});
		expect(partial).toMatchObject({
			code: 0,
			msg: JSON.stringify({ emp0040: [20250301, 20250302] }),
		});
		const back = await post('/user_daily_shifts/query', {
			user_ids: [emp(1), emp(40)],
			check_date_from: 20250301,
			check_date_to: 20250330,
		});
		expect(back.data!.user_daily_shifts).toEqual([
			{ group_id: RETAIL_GROUP_ID, shift_id: '0', month: 202503, user_id: emp(1), day_no: 1 },
		]);
	});

	test('query: at most 50 employees and 30 days', async () => {
		const users = Array.from({ length: 51 }, (_, i) => emp(i + 1));
		expect(
			await post('/user_daily_shifts/query', {
				user_ids: users,
				check_date_from: 20250301,
				check_date_to: 20250301,
			}),
		).toMatchObject({
			code: 1220001,
		});
		expect(
			await post('/user_daily_shifts/query', {
				user_ids: [emp(1)],
				check_date_from: 20250301,
				check_date_to: 20250331,
			}),
		).toMatchObject({
			code: 1220001,
			msg: 'time span too long',
		});
		expect(
			await post('/user_daily_shifts/query', {
				user_ids: [emp(1)],
				check_date_from: 20250301,
				check_date_to: 20250330,
			}),
		).toMatchObject({
			code: 0,
		});
	});
});
