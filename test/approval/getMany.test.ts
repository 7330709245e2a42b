/**
 * Approval → Get Many through n8n's engine against the emulator: employee batches × 30-day windows,
 * merged and paired output, filters, the "not later than tomorrow" rule, and failures.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';
import { DAY_MS, day, emp, recordClientRequests, runGetMany } from '../helpers';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 300 });
});
afterAll(async () => {
	await emu.close();
});
const sent = recordClientRequests();

/** yyyy-MM-dd of today (Asia/Shanghai) + offset days */
const fromToday = (offset: number) =>
	new Date(Date.now() + 8 * 3600000 + offset * DAY_MS).toISOString().slice(0, 10);
const compact = (isoDate: string) => Number(isoDate.replace(/-/g, ''));

async function getMany(parameters: INodeParameters, items: IDataObject[], continueOnFail = false) {
	return await runGetMany(
		emu,
		sent,
		{ resource: 'approval', path: '/user_approvals/query' },
		parameters,
		items,
		continueOnFail,
	);
}

async function createAll(items: IDataObject[]) {
	const { error } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'approval',
			operation: 'create',
			approvalType: '={{ $json.type }}',
			employeeId: '={{ $json.emp }}',
			start: '={{ $json.start }}',
			end: '={{ $json.end }}',
			reason: 'seeded',
			typeName: 'Annual Leave',
		},
		items,
	});
	expect(error).toBeUndefined();
}

describe('120 employees × 70 days', () => {
	const types = ['leave', 'out', 'overtime'];
	const seeded: Array<{ emp: string; type: string; date: string }> = [];

	beforeAll(async () => {
		emu.reset();
		const items: IDataObject[] = [];
		for (let i = 1; i <= 120; i++) {
			types.forEach((type, k) => {
				const date = day((i + 23 * k) % 70);
				items.push({ emp: emp(i), type, start: `${date} 10:00:00`, end: `${date} 12:00:00` });
				seeded.push({ emp: emp(i), type, date });
			});
		}
		// outside the range: must not be returned
		items.push({
			emp: emp(1),
			type: 'leave',
			start: `${day(-1)} 10:00:00`,
			end: `${day(-1)} 12:00:00`,
		});
		items.push({
			emp: emp(2),
			type: 'leave',
			start: `${day(70)} 10:00:00`,
			end: `${day(70)} 12:00:00`,
		});
		await createAll(items);
	});

	test('3 user batches × 3 windows, merged into one item per record, paired with the asking items', async () => {
		// 120 employees, one item each, plus a second item asking for emp0001 again
		const items = [
			...Array.from({ length: 120 }, (_, i) => ({ emp: emp(i + 1) })),
			{ emp: emp(1) },
		];
		const {
			items: out,
			error,
			queries,
			calls,
		} = await getMany({ from: day(0), to: day(69), returnAll: true }, items);
		expect(error).toBeUndefined();
		expect(calls).toBe(9);
		expect(queries).toHaveLength(9);
		const windows = [
			...new Set(queries.map((q) => `${q.body!.check_date_from}-${q.body!.check_date_to}`)),
		].sort();
		expect(windows).toEqual(['20250106-20250204', '20250205-20250306', '20250307-20250316']);
		const batches = [...new Set(queries.map((q) => (q.body!.user_ids as string[]).join(',')))];
		expect(batches.map((b) => b.split(',').length).sort()).toEqual([20, 50, 50]);
		expect(new Set(batches.flatMap((b) => b.split(','))).size).toBe(120);
		for (const q of queries)
			expect(q.body).toMatchObject({ status: 2, check_date_type: 'PeriodTime' });

		expect(out).toHaveLength(seeded.length);
		const got = out.map((o) => `${o.json.employee_id}|${o.json.type}|${o.json.date_iso}`).sort();
		expect(got).toEqual(seeded.map((s) => `${s.emp}|${s.type}|${s.date}`).sort());
		// output grouped by employee in the order the items named them
		const order = out.map((o) => o.json.employee_id);
		expect(order.slice(0, 3)).toEqual([emp(1), emp(1), emp(1)]);
		expect(order[order.length - 1]).toBe(emp(120));
		for (const o of out) {
			const n = Number(String(o.json.employee_id).slice(3));
			expect(o.pairedItem).toEqual(n === 1 ? [{ item: 0 }, { item: 120 }] : { item: n - 1 });
		}
		const leave = out.find((o) => o.json.employee_id === emp(5) && o.json.type === 'leave')!.json;
		expect(leave).toMatchObject({
			employee_id_type: 'employee_id',
			approval_status: 'Approved',
			date: day(5).replace(/-/g, ''),
			date_iso: day(5),
			start_time: `${day(5)} 10:00:00`,
			start_time_iso: `${day(5)}T10:00:00+08:00`,
			end_time_iso: `${day(5)}T12:00:00+08:00`,
			unit: 'Hour',
			type_name: 'Annual Leave',
			reason: 'seeded',
		});
		expect(typeof leave.approval_id).toBe('string');
		const overtime = out.find(
			(o) => o.json.employee_id === emp(5) && o.json.type === 'overtime',
		)!.json;
		expect(overtime).toMatchObject({
			category: 'Workday',
			overtime_type: 'Record Only',
			duration: 2,
		});
	});

	test('Limit, Status and Date Type', async () => {
		const limited = await getMany({ from: day(0), to: day(69), limit: 5 }, [
			{ emp: emp(7) },
			{ emp: emp(8) },
		]);
		expect(limited.items).toHaveLength(5);
		expect(limited.items.map((i) => i.json.employee_id)).toEqual([
			emp(7),
			emp(7),
			emp(7),
			emp(8),
			emp(8),
		]);

		const withdrawn = await getMany(
			{ from: day(0), to: day(29), status: 'withdrawn', returnAll: true },
			[{ emp: emp(7) }],
		);
		expect(withdrawn.error).toBeUndefined();
		expect(withdrawn.items).toHaveLength(0);
		expect(withdrawn.queries.map((q) => q.body!.status)).toEqual([4]);

		// Created: everything was written today; the range is clamped to tomorrow
		const created = await getMany(
			{ from: fromToday(-3), to: fromToday(40), dateType: 'created', returnAll: true },
			[{ emp: emp(9) }],
		);
		expect(created.error).toBeUndefined();
		expect(created.items.map((i) => i.json.type).sort()).toEqual(['leave', 'out', 'overtime']);
		expect(
			created.queries.map((q) => [
				q.body!.check_date_type,
				q.body!.check_date_from,
				q.body!.check_date_to,
			]),
		).toEqual([['CreateTime', compact(fromToday(-3)), compact(fromToday(1))]]);
	});
});

describe('dates after tomorrow', () => {
	beforeAll(async () => {
		emu.reset();
		await createAll(
			[2, 4, 20].map((offset) => ({
				emp: emp(50),
				type: 'leave',
				start: `${fromToday(offset)} 09:00:00`,
				end: `${fromToday(offset)} 18:00:00`,
			})),
		);
	});

	test('a range starting after tomorrow is asked from tomorrow and trimmed to the asked days', async () => {
		const { items, error, queries } = await getMany(
			{ from: fromToday(3), to: fromToday(25), returnAll: true },
			[{ emp: emp(50) }],
		);
		expect(error).toBeUndefined();
		expect(queries.map((q) => [q.body!.check_date_from, q.body!.check_date_to])).toEqual([
			[compact(fromToday(1)), compact(fromToday(25))],
		]);
		expect(items.map((i) => i.json.date_iso)).toEqual([fromToday(4), fromToday(20)]);
	});

	test('a range reaching past tomorrow + 29 days is refused with a clear message', async () => {
		const { items, error, calls } = await getMany({ from: fromToday(0), to: fromToday(31) }, [
			{ emp: emp(50) },
		]);
		expect(items).toHaveLength(0);
		expect(calls).toBe(0);
		expect(error?.message).toBe(
			`To (${fromToday(31)}) is too far ahead: Feishu only answers approval queries that start by tomorrow and span at most 30 days, so the latest day that can be asked for is ${fromToday(30)} [item 0]`,
		);
	});
});

describe('failures', () => {
	test('To before From is refused per item', async () => {
		const items = [
			{ emp: emp(1), from: '2025-02-01', to: '2025-01-01' },
			{ emp: emp(1), from: '2025-01-01', to: '2025-01-30' },
		];
		const parameters = { from: '={{ $json.from }}', to: '={{ $json.to }}' };
		const stopped = await getMany(parameters, items);
		expect(stopped.error?.message).toBe('To (2025-01-01) is before From (2025-02-01) [item 0]');
		expect(stopped.calls).toBe(0);
		const continued = await getMany(parameters, items, true);
		expect(continued.error).toBeUndefined();
		expect(continued.items).toEqual([
			{
				json: { error: 'To (2025-01-01) is before From (2025-02-01) [item 0]' },
				pairedItem: { item: 0 },
			},
		]);
		expect(continued.calls).toBe(1);
	});

	test('an unknown employee fails the items of its batch; other batches still answer', async () => {
		emu.reset();
		await createAll([
			{ emp: emp(200), type: 'leave', start: '2025-01-07 09:00', end: '2025-01-07 18:00' },
		]);
		// items 0..49 → batch 1 (contains the unknown ID), item 50 → batch 2
		const items = [
			{ emp: 'nobody' },
			...Array.from({ length: 49 }, (_, i) => ({ emp: emp(i + 1) })),
			{ emp: emp(200) },
		];
		const stopped = await getMany({ from: '2025-01-01', to: '2025-01-31', returnAll: true }, items);
		expect(stopped.error?.message).toContain('Feishu error 1220004');
		expect(stopped.error?.message).toContain('nobody');

		const continued = await getMany(
			{ from: '2025-01-01', to: '2025-01-31', returnAll: true },
			items,
			true,
		);
		expect(continued.error).toBeUndefined();
		expect(continued.items).toHaveLength(51);
		const ok = continued.items.filter((i) => !i.json.error);
		expect(ok.map((i) => [i.json.employee_id, i.pairedItem])).toEqual([[emp(200), { item: 50 }]]);
		const failed = continued.items.filter((i) => i.json.error);
		expect(failed.map((i) => i.pairedItem)).toEqual(
			Array.from({ length: 50 }, (_, item) => ({ item })),
		);
		expect(String(failed[0].json.error)).toContain('1220004');
	});
});
