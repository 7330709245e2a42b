/**
 * Punch Result → Get Many through n8n's engine against the emulator: employee batches × windows, merged
 * and paired output, invalid and unauthorized IDs, options, and the Lack → Leave supplement after an
 * approval is written.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';
import { day, emp, recordClientRequests, runGetMany } from '../helpers';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 300 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());
const sent = recordClientRequests();

/** Unix seconds (string) of a Shanghai wall time */
const shanghai = (isoDate: string, time: string) =>
	String(Date.parse(`${isoDate}T${time}+08:00`) / 1000);
const isWeekday = (isoDate: string) =>
	![0, 6].includes(new Date(`${isoDate}T00:00:00Z`).getUTCDay());

async function getMany(parameters: INodeParameters, items: IDataObject[], continueOnFail = false) {
	return await runGetMany(
		emu,
		sent,
		{ resource: 'punchResult', path: '/user_tasks/query' },
		parameters,
		items,
		continueOnFail,
	);
}

test('120 employees × 70 days: 3 user batches × 3 windows, one item per employee, day and shift, paired', async () => {
	emu.seedFlows([
		{ user_id: emp(3), check_time: shanghai(day(0), '08:55:00') },
		{ user_id: emp(3), check_time: shanghai(day(0), '18:05:00') },
		{ user_id: emp(4), check_time: shanghai(day(1), '09:10:00') },
	]);
	const items = [...Array.from({ length: 120 }, (_, i) => ({ emp: emp(i + 1) })), { emp: emp(3) }];
	const {
		items: out,
		error,
		queries,
		calls,
	} = await getMany({ from: day(0), to: day(69), returnAll: true }, items);
	expect(error).toBeUndefined();
	expect(calls).toBe(9);
	const windows = [
		...new Set(queries.map((q) => `${q.body!.check_date_from}-${q.body!.check_date_to}`)),
	].sort();
	expect(windows).toEqual(['20250106-20250204', '20250205-20250306', '20250307-20250316']);
	const batches = [...new Set(queries.map((q) => (q.body!.user_ids as string[]).join(',')))];
	expect(batches.map((b) => b.split(',').length).sort()).toEqual([20, 50, 50]);
	for (const q of queries) {
		expect(q.qs).toEqual({
			employee_type: 'employee_id',
			ignore_invalid_users: true,
			include_terminated_user: false,
		});
		expect(q.body!.need_overtime_result).toBe(false);
	}

	const workdays = Array.from({ length: 70 }, (_, i) => day(i)).filter(isWeekday);
	expect(workdays).toHaveLength(50);
	expect(out).toHaveLength(120 * 50);
	// grouped by employee in the order the items named them, each employee's days in order
	for (let i = 0; i < 120; i++) {
		const rows = out.slice(i * 50, i * 50 + 50);
		expect(rows.map((r) => r.json.employee_id)).toEqual(Array(50).fill(emp(i + 1)));
		expect(rows.map((r) => r.json.date_iso)).toEqual(workdays);
		expect(rows.map((r) => r.json.day)).toEqual(workdays.map((d) => Number(d.replace(/-/g, ''))));
		expect(rows[0].pairedItem).toEqual(i === 2 ? [{ item: 2 }, { item: 120 }] : { item: i });
	}
	const normal = out.find((o) => o.json.employee_id === emp(3) && o.json.date_iso === day(0))!.json;
	expect(normal).toMatchObject({
		status: 'ok',
		shift_type: 'Normal',
		check_in_result: 'Normal',
		check_out_result: 'Normal',
		check_in_result_supplement: 'None',
		check_in_shift_time: shanghai(day(0), '09:00:00'),
		check_in_shift_time_iso: `${day(0)}T09:00:00+08:00`,
		check_out_shift_time_iso: `${day(0)}T18:00:00+08:00`,
		check_in_time: shanghai(day(0), '08:55:00'),
		check_in_time_iso: `${day(0)}T08:55:00+08:00`,
		check_out_time_iso: `${day(0)}T18:05:00+08:00`,
	});
	expect(normal.check_in_record_id).toEqual(expect.any(String));
	expect(normal.check_in_record).toBeUndefined();
	const late = out.find((o) => o.json.employee_id === emp(4) && o.json.date_iso === day(1))!.json;
	expect(late).toMatchObject({
		check_in_result: 'Late',
		check_out_result: 'Lack',
		check_in_time_iso: `${day(1)}T09:10:00+08:00`,
	});
	expect(late.check_out_time).toBeUndefined();
	expect(late.check_out_time_iso).toBeUndefined();
	expect(late.check_out_record_id).toBeUndefined();
	const lack = out.find((o) => o.json.employee_id === emp(100) && o.json.date_iso === day(2))!.json;
	expect(lack).toMatchObject({ check_in_result: 'Lack', check_out_result: 'Lack' });
});

test('Window option decides the calls; Limit counts results', async () => {
	const windowed = await getMany(
		{ from: day(0), to: day(69), returnAll: true, options: { advanced: { windowDays: 14 } } },
		[{ emp: emp(1) }],
	);
	expect(windowed.calls).toBe(5);
	expect(windowed.queries.map((q) => q.body!.check_date_from)).toEqual([
		20250106, 20250120, 20250203, 20250217, 20250303,
	]);
	expect(windowed.items).toHaveLength(50);

	const limited = await getMany({ from: day(0), to: day(13), limit: 7 }, [
		{ emp: emp(1) },
		{ emp: 'nobody' },
		{ emp: emp(2) },
	]);
	expect(limited.items.map((i) => [i.json.employee_id, i.json.status])).toEqual([
		...Array(7).fill([emp(1), 'ok']),
		['nobody', 'invalid'],
	]);
});

test('Limit 10 over 120 employees stops asking after the first employee batch: fewer calls than Return All', async () => {
	const items = Array.from({ length: 120 }, (_, i) => ({ emp: emp(i + 1) }));
	const all = await getMany({ from: day(0), to: day(4), returnAll: true }, items);
	expect(all.error).toBeUndefined();
	expect(all.calls).toBe(3); // 50 + 50 + 20 employees, one window
	const limited = await getMany({ from: day(0), to: day(4), limit: 10 }, items);
	expect(limited.error).toBeUndefined();
	expect(limited.calls).toBe(1);
	expect(limited.items).toHaveLength(10);
	expect(limited.items.map((i) => i.json.employee_id)).toEqual(
		all.items.slice(0, 10).map((i) => i.json.employee_id),
	);
});

test('Window (Days): the shared option; a bad value stops the node with a clear error before anything is sent', async () => {
	for (const windowDays of [0, 1.5, 367]) {
		const { error, calls } = await getMany(
			{ from: day(0), to: day(6), returnAll: true, options: { advanced: { windowDays } } },
			[{ emp: emp(1) }],
		);
		expect(error?.message).toBe(
			`Window (Days) must be a whole number from 1 to 366, got ${windowDays}`,
		);
		expect(calls).toBe(0);
	}
});

test('From and To as yyyyMMdd numbers (Feishu day values from an expression)', async () => {
	const { error, queries } = await getMany(
		{ from: '={{ 20250106 }}', to: '={{ 20250112 }}', returnAll: true },
		[{ emp: emp(1) }],
	);
	expect(error).toBeUndefined();
	expect(queries.map((q) => [q.body!.check_date_from, q.body!.check_date_to])).toEqual([
		[20250106, 20250112],
	]);
});

describe('invalid and unauthorized employee IDs', () => {
	const items = [{ emp: emp(1) }, { emp: 'nobody' }, { emp: 'emp_unauth_1' }, { emp: emp(1) }];

	test('Ignore Invalid Users on (default): marked items, paired, between the results', async () => {
		const { items: out, error } = await getMany(
			{ from: day(0), to: day(6), returnAll: true },
			items,
		);
		expect(error).toBeUndefined();
		expect(out.map((o) => [o.json.employee_id, o.json.status, o.pairedItem])).toEqual([
			...Array(5).fill([emp(1), 'ok', [{ item: 0 }, { item: 3 }]]),
			['nobody', 'invalid', { item: 1 }],
			['emp_unauth_1', 'unauthorized', { item: 2 }],
		]);
		expect(out[5].json.message).toContain('does not know this employee ID');
		expect(out[6].json.message).toContain('data permission');
	});

	test('Ignore Invalid Users off: a clear error; with Continue On Fail every asking item gets it', async () => {
		const parameters = {
			from: day(0),
			to: day(6),
			returnAll: true,
			options: { ignoreInvalidUsers: false },
		};
		const stopped = await getMany(parameters, items);
		expect(stopped.queries[0].qs).toMatchObject({ ignore_invalid_users: false });
		expect(stopped.error?.message).toBe(
			'Feishu error 1220004: user_id is not exist or does not have permission: nobody',
		);
		expect((stopped.error as unknown as { description: string }).description).toContain(
			'Ignore Invalid Users',
		);
		expect(stopped.items).toHaveLength(0);

		const continued = await getMany(parameters, items, true);
		expect(continued.error).toBeUndefined();
		expect(continued.items.map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(
			continued.items.every((i) => String(i.json.error).startsWith('Feishu error 1220004')),
		).toBe(true);
	});
});

test('punches, then an approved leave: the missing check-out turns from Lack / None into Lack / Leave', async () => {
	const monday = '2025-03-03';
	emu.seedFlows([{ user_id: emp(150), check_time: shanghai(monday, '08:50:00') }]);
	const ask = async () => {
		const { items, error } = await getMany({ from: monday, to: monday, returnAll: true }, [
			{ emp: emp(150) },
		]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		return items[0].json;
	};
	expect(await ask()).toMatchObject({
		check_in_result: 'Normal',
		check_in_result_supplement: 'None',
		check_out_result: 'Lack',
		check_out_result_supplement: 'None',
	});

	const leave = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'approval',
			operation: 'create',
			approvalType: 'leave',
			employeeId: emp(150),
			start: `${monday} 13:00:00`,
			end: `${monday} 18:00:00`,
			reason: 'Doctor',
			typeName: 'Sick Leave',
		},
		items: [{}],
	});
	expect(leave.error).toBeUndefined();
	expect(await ask()).toMatchObject({
		check_in_result: 'Normal',
		check_in_result_supplement: 'None',
		check_out_result: 'Lack',
		check_out_result_supplement: 'Leave',
	});
});

test('Timezone, Include Overtime Results, Include Punch Records, Employee Number', async () => {
	const monday = '2025-03-03';
	emu.seedFlows([
		{ user_id: emp(160), check_time: shanghai(monday, '08:59:00') },
		{ user_id: emp(160), check_time: shanghai(monday, '20:15:00') },
	]);
	const overtime = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'approval',
			operation: 'create',
			approvalType: 'overtime',
			employeeId: emp(160),
			start: `${monday} 18:30:00`,
			end: `${monday} 20:00:00`,
		},
		items: [{}],
	});
	expect(overtime.error).toBeUndefined();
	const { items, error, queries } = await getMany(
		{
			employeeIdType: 'employee_no',
			from: monday,
			to: monday,
			returnAll: true,
			options: {
				timezone: 'UTC',
				includeOvertime: true,
				includeRecords: true,
				includeTerminated: true,
			},
		},
		[{ emp: 'NO0160' }],
	);
	expect(error).toBeUndefined();
	expect(queries[0].qs).toEqual({
		employee_type: 'employee_no',
		ignore_invalid_users: true,
		include_terminated_user: true,
	});
	expect(items.map((i) => i.json.shift_type)).toEqual(['Normal', 'Overtime']);
	expect(items[0].json).toMatchObject({
		employee_id: 'NO0160',
		employee_id_type: 'employee_no',
		date_iso: monday,
		check_in_shift_time_iso: '2025-03-03T01:00:00+00:00',
		check_in_time_iso: '2025-03-03T00:59:00+00:00',
		check_out_time_iso: '2025-03-03T12:15:00+00:00',
	});
	expect((items[0].json.check_in_record as IDataObject).check_time).toBe(
		shanghai(monday, '08:59:00'),
	);
	expect(items[1].json).toMatchObject({
		check_in_shift_time_iso: '2025-03-03T10:30:00+00:00',
		check_out_shift_time_iso: '2025-03-03T12:00:00+00:00',
		check_out_result: 'Normal',
	});
});
