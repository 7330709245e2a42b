/**
 * Simplify on Punch Result and Statistics Get Many (issue 16 item 10), and the Timezone read per item by
 * Statistics and Schedule Get Many (issue 9): run through n8n's engine against the emulator.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../emulator';
import { day, emp, recordClientRequests, runGetMany } from '../helpers';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerSecond: 50 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.configure({ maxStatsUsers: 200, statsRowsPerUserDay: 1, statsInvalidUserMode: 'list' });
});
const sent = recordClientRequests();

const shanghai = (isoDate: string, time: string) =>
	String(Date.parse(`${isoDate}T${time}+08:00`) / 1000);

const punchResults = async (parameters: INodeParameters, items: IDataObject[]) =>
	await runGetMany(
		emu,
		sent,
		{ resource: 'punchResult', path: '/user_tasks/query' },
		{ returnAll: true, ...parameters },
		items,
	);
const statistics = async (
	parameters: INodeParameters,
	items: IDataObject[],
	typeVersion?: number,
) =>
	await runGetMany(
		emu,
		sent,
		{ resource: 'statistics', path: '/user_stats_datas/query' },
		{ operatorId: emp(1), returnAll: true, statsType: 'daily', ...parameters },
		items,
		false,
		typeVersion,
	);
const schedules = async (parameters: INodeParameters, items: IDataObject[]) =>
	await runGetMany(
		emu,
		sent,
		{ resource: 'schedule', path: '/user_daily_shifts/query' },
		{ returnAll: true, ...parameters },
		items,
	);

const SIMPLE_RESULT_FIELDS = [
	'status',
	'employee_id',
	'employee_name',
	'date_iso',
	'shift_type',
	'check_in_result',
	'check_in_result_supplement',
	'check_in_time_iso',
	'check_out_result',
	'check_out_result_supplement',
	'check_out_time_iso',
];

describe('Simplify', () => {
	test('Punch Result Get Many: off by default (every field, as saved workflows expect); on: the fields a table needs', async () => {
		emu.seedFlows([
			{ user_id: emp(3), check_time: shanghai(day(0), '08:55:00') },
			{ user_id: emp(3), check_time: shanghai(day(0), '18:05:00') },
		]);
		const full = await punchResults({ from: day(0), to: day(0) }, [{ emp: emp(3) }]);
		expect(full.error).toBeUndefined();
		expect(full.items).toHaveLength(1);
		expect(full.items[0].json).toHaveProperty('result_id');
		expect(full.items[0].json).toHaveProperty('check_in_shift_time');

		const simple = await punchResults(
			{ from: day(0), to: day(0), simplify: true, options: { includeRecords: true } },
			[{ emp: emp(3) }],
		);
		expect(simple.error).toBeUndefined();
		const row = simple.items[0].json;
		expect(Object.keys(row).every((key) => SIMPLE_RESULT_FIELDS.includes(key))).toBe(true);
		expect(row).toMatchObject({
			status: 'ok',
			employee_id: emp(3),
			date_iso: day(0),
			check_in_time_iso: `${day(0)}T08:55:00+08:00`,
			check_out_time_iso: `${day(0)}T18:05:00+08:00`,
		});
		expect(row.check_in_result).toBe(full.items[0].json.check_in_result);
		expect(simple.items[0].pairedItem).toEqual({ item: 0 });
	});

	test('Punch Result Get Many: items that differ in Simplify get their own shape', async () => {
		const { items, error, calls } = await punchResults(
			{ from: day(0), to: day(0), simplify: '={{ $json.simple }}' },
			[
				{ emp: emp(1), simple: true },
				{ emp: emp(2), simple: false },
			],
		);
		expect(error).toBeUndefined();
		expect(calls).toBe(2);
		const byEmployee = new Map(items.map((item) => [item.json.employee_id, item.json]));
		expect(byEmployee.get(emp(1))).not.toHaveProperty('result_id');
		expect(byEmployee.get(emp(2))).toHaveProperty('result_id');
	});

	test('Statistics Get Many: on, a row keeps employee, day and one field per column (no number, unit, ID type)', async () => {
		// node version 1 (saved workflows): Simplify off by default, on gives the texts by title (version 1.1: statistics.test.ts)
		const full = await statistics(
			{ from: day(0), to: day(1), simplify: false },
			[{ emp: emp(2) }],
			1,
		);
		const simple = await statistics(
			{ from: day(0), to: day(1), simplify: true },
			[{ emp: emp(2) }],
			1,
		);
		expect(full.error).toBeUndefined();
		expect(simple.error).toBeUndefined();
		expect(simple.items.map((i) => i.json.date_iso)).toEqual(
			full.items.map((i) => i.json.date_iso),
		);
		const fullRow = full.items[0].json;
		const row = simple.items[0].json;
		expect(Object.keys(fullRow).some((key) => key.endsWith(' (number)'))).toBe(true);
		expect(
			Object.keys(row).some((key) => key.endsWith(' (number)') || key.endsWith(' (unit)')),
		).toBe(false);
		expect(row).not.toHaveProperty('employee_id_type');
		expect(row).not.toHaveProperty('stats_type');
		expect(row).toMatchObject({ status: 'ok', employee_id: emp(2), date_iso: day(0) });
		// every column of the report is still there, as the report shows it
		for (const [key, value] of Object.entries(fullRow)) {
			if (
				key.endsWith(' (number)') ||
				key.endsWith(' (unit)') ||
				['employee_id_type', 'stats_type', 'day'].includes(key)
			)
				continue;
			expect(row[key]).toEqual(value);
		}
	});
});

describe('Timezone read per item (Statistics and Schedule Get Many)', () => {
	// 2025-01-06 20:00 UTC is Jan 6 in London and Jan 7 in Shanghai
	const instant = '2025-01-06T20:00:00Z';
	const items = [
		{ emp: emp(1), tz: 'Asia/Shanghai' },
		{ emp: emp(2), tz: 'Europe/London' },
	];

	test('Statistics: each item asks for the days in its own zone, in its own call', async () => {
		const { error, queries } = await statistics(
			{ from: instant, to: instant, options: { timezone: '={{ $json.tz }}' } },
			items,
		);
		expect(error).toBeUndefined();
		const asked = queries
			.map((q) => [(q.body!.user_ids as string[]).join(','), q.body!.start_date, q.body!.end_date])
			.sort();
		expect(asked).toEqual([
			[emp(1), 20250107, 20250107],
			[emp(2), 20250106, 20250106],
		]);
	});

	test('Schedule: each item asks for the days in its own zone, in its own call', async () => {
		const { error, queries } = await schedules(
			{ from: instant, to: instant, options: { timezone: '={{ $json.tz }}' } },
			items,
		);
		expect(error).toBeUndefined();
		const asked = queries
			.map((q) => [
				(q.body!.user_ids as string[]).join(','),
				q.body!.check_date_from,
				q.body!.check_date_to,
			])
			.sort();
		expect(asked).toEqual([
			[emp(1), 20250107, 20250107],
			[emp(2), 20250106, 20250106],
		]);
	});

	test('an invalid zone on one item fails that item only (Continue On Fail) and names it', async () => {
		const { items: out } = await runGetMany(
			emu,
			sent,
			{ resource: 'schedule', path: '/user_daily_shifts/query' },
			{ returnAll: true, from: instant, to: instant, options: { timezone: '={{ $json.tz }}' } },
			[{ emp: emp(1), tz: 'Mars/Olympus' }, ...items],
			true,
		);
		const failed = out.filter((item) => item.json.error !== undefined);
		expect(failed).toHaveLength(1);
		expect(String(failed[0].json.error)).toMatch(/Mars\/Olympus.*\[item 0\]/);
	});
});
