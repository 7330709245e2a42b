/**
 * Statistics (payroll figures) through n8n's engine against the emulator: calls sized under Feishu's silent
 * 1,000-row cut, a cut reply detected and asked again in smaller calls, daily and monthly shapes, parsed
 * numbers and units, invalid users, the operator, the employee limit fallback, Continue On Fail, and the
 * column / report-settings reads.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FeishuAttendance } from '../../nodes/FeishuAttendance/FeishuAttendance.node';
import {
	dayOfStatRow,
	parseStatValue,
	statRowHead,
} from '../../nodes/FeishuAttendance/actions/statistics/statistics';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode, runWorkflow } from '../harness';
import { day, emp, recordClientRequests, runGetMany } from '../helpers';
import { skipDefinitionsForThisTest } from '../emulator/definitions';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 600 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.configure({ maxStatsUsers: 200, statsRowsPerUserDay: 1, statsInvalidUserMode: 'list' });
});
const sent = recordClientRequests();

const PATH = '/user_stats_datas/query';
const OPERATOR = emp(1);
const shanghai = (isoDate: string, time: string) =>
	String(Date.parse(`${isoDate}T${time}+08:00`) / 1000);
const daysOf = (q: { body?: IDataObject }) =>
	Math.round(
		(Date.parse(isoOf(q.body!.end_date)) - Date.parse(isoOf(q.body!.start_date))) / 86400000,
	) + 1;
const isoOf = (n: unknown) => String(n).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');

async function getMany(parameters: INodeParameters, items: IDataObject[], continueOnFail = false) {
	return await runGetMany(
		emu,
		sent,
		{ resource: 'statistics', path: PATH },
		// Simplify off: these tests read Feishu's text with its number and unit (node version 1.1 simplifies by default)
		{ operatorId: OPERATOR, returnAll: true, simplify: false, ...parameters },
		items,
		continueOnFail,
	);
}

test('500 employees × 62 days, daily: 50 calls under 1,000 rows each, every employee-day exactly once, paired', async () => {
	const items = Array.from({ length: 500 }, (_, i) => ({ emp: emp(i + 1) }));
	const {
		items: out,
		error,
		queries,
		calls,
	} = await getMany({ statsType: 'daily', from: day(0), to: day(61) }, items);
	// eslint-disable-next-line no-console
	console.log(`statistics 500 employees × 62 days daily: ${calls} calls`);
	expect(error).toBeUndefined();
	expect(calls).toBe(50);
	for (const q of queries) {
		expect((q.body!.user_ids as string[]).length).toBe(20);
		expect(daysOf(q)).toBe(31);
		expect((q.body!.user_ids as string[]).length * daysOf(q)).toBeLessThan(1000);
		expect(q.body).toMatchObject({
			stats_type: 'daily',
			locale: 'en',
			user_id: OPERATOR,
			need_history: false,
			current_group_only: false,
		});
		expect(q.qs).toEqual({ employee_type: 'employee_id' });
	}
	expect(out).toHaveLength(500 * 62);
	const seen = new Map<string, number>();
	for (const o of out) {
		const key = `${o.json.employee_id}|${o.json.date_iso}`;
		seen.set(key, (seen.get(key) ?? 0) + 1);
	}
	expect(seen.size).toBe(500 * 62);
	expect([...seen.values()].every((n) => n === 1)).toBe(true);
	for (let i = 0; i < 500; i += 97) {
		const rows = out.slice(i * 62, i * 62 + 62);
		expect(rows.map((r) => r.json.employee_id)).toEqual(Array(62).fill(emp(i + 1)));
		expect(rows.map((r) => r.json.date_iso)).toEqual(Array.from({ length: 62 }, (_, d) => day(d)));
		expect(rows[0].pairedItem).toEqual({ item: i });
	}
});

describe("Feishu's silent cut at 1,000 rows", () => {
	test('a cut reply is split into fewer employees and asked again; nothing is lost or doubled', async () => {
		// two rows per employee-day (data of two attendance groups): 20 × 31 × 2 = 1,240 rows, cut to 1,000
		emu.configure({ statsRowsPerUserDay: 2 });
		const items = Array.from({ length: 20 }, (_, i) => ({ emp: emp(i + 1) }));
		const {
			items: out,
			error,
			queries,
			calls,
		} = await getMany({ statsType: 'daily', from: day(0), to: day(30) }, items);
		expect(error).toBeUndefined();
		expect(calls).toBe(3);
		expect(queries.map((q) => (q.body!.user_ids as string[]).length)).toEqual([20, 10, 10]);
		expect(out).toHaveLength(1240);
		const counts = new Map<string, number>();
		for (const o of out)
			counts.set(
				`${o.json.employee_id}|${o.json.date_iso}`,
				(counts.get(`${o.json.employee_id}|${o.json.date_iso}`) ?? 0) + 1,
			);
		expect(counts.size).toBe(20 * 31);
		expect([...counts.values()].every((n) => n === 2)).toBe(true);
	});

	test('one employee over 1,000 rows: the window is halved', async () => {
		emu.configure({ statsRowsPerUserDay: 40 });
		const {
			items: out,
			error,
			queries,
			calls,
		} = await getMany({ statsType: 'daily', from: day(0), to: day(30) }, [{ emp: emp(7) }]);
		expect(error).toBeUndefined();
		expect(calls).toBe(3);
		expect(queries.map((q) => [q.body!.start_date, q.body!.end_date])).toEqual([
			[20250106, 20250205],
			[20250106, 20250121],
			[20250122, 20250205],
		]);
		expect(out).toHaveLength(31 * 40);
	});

	test('1,000 rows for one employee and one day cannot be split: an error, no partial output', async () => {
		emu.configure({ statsRowsPerUserDay: 1000 });
		const { items: out, error } = await getMany({ statsType: 'daily', from: day(0), to: day(0) }, [
			{ emp: emp(7) },
		]);
		expect(error?.message).toContain('the reply may be cut off');
		expect(out).toHaveLength(0);
	});
});

test('monthly: one item per employee per calendar month, title columns with numbers and units', async () => {
	emu.seedFlows([
		{ user_id: emp(3), check_time: shanghai('2025-01-06', '09:10:00') },
		{ user_id: emp(3), check_time: shanghai('2025-01-06', '18:05:00') },
	]);
	const {
		items: out,
		error,
		queries,
	} = await getMany({ statsType: 'month', from: '2025-01-01', to: '2025-02-28' }, [
		{ emp: emp(3) },
		{ emp: emp(4) },
	]);
	expect(error).toBeUndefined();
	expect(
		queries.map((q) => [
			q.body!.start_date,
			q.body!.end_date,
			(q.body!.user_ids as string[]).join(),
		]),
	).toEqual([
		[20250101, 20250131, `${emp(3)},${emp(4)}`],
		[20250201, 20250228, `${emp(3)},${emp(4)}`],
	]);
	expect(out.map((o) => [o.json.employee_id, o.json.period_from, o.json.period_to])).toEqual([
		[emp(3), '2025-01-01', '2025-01-31'],
		[emp(3), '2025-02-01', '2025-02-28'],
		[emp(4), '2025-01-01', '2025-01-31'],
		[emp(4), '2025-02-01', '2025-02-28'],
	]);
	const january = out[0].json;
	expect(january).toMatchObject({
		status: 'ok',
		stats_type: 'month',
		employee_name: 'Employee 0003',
		'Required attendance days': '23 days',
		'Required attendance days (number)': 23,
		'Required attendance days (unit)': 'day',
		'Late in times': '1 times',
		'Late in times (number)': 1,
		'Late in duration': '10 minutes',
		'Late in duration (number)': 10,
		'Late in duration (unit)': 'minute',
		'Required attendance duration (number)': 184,
		'Required attendance duration (unit)': 'hour',
		'2025-01-06 Mon': 'Late(09:10), Normal(18:05)',
	});
	expect(january.day).toBeUndefined();
	expect(january['2025-01-06 Mon (number)']).toBeUndefined();
	expect(out[2].json['Late in times (number)']).toBe(0);
	expect(out[2].json['No records (number)']).toBe(46);
});

test('daily: one item per employee per day; codes instead of titles; Chinese units read the same', async () => {
	emu.seedFlows([{ user_id: emp(5), check_time: shanghai(day(0), '08:50:00') }]);
	const { items: out, error } = await getMany(
		{
			statsType: 'daily',
			from: day(0),
			to: day(6),
			locale: 'zh',
			options: { columnNames: 'code', includeCells: true },
		},
		[{ emp: emp(5) }],
	);
	expect(error).toBeUndefined();
	expect(out.map((o) => o.json.date_iso)).toEqual(Array.from({ length: 7 }, (_, d) => day(d)));
	expect(out[0].json).toMatchObject({
		employee_id: emp(5),
		stats_type: 'daily',
		day: 20250106,
		date_iso: '2025-01-06',
		period_from: '2025-01-06',
		period_to: '2025-01-06',
		'51201': '2025-01-06',
		'52101': '1天',
		'52101_number': 1,
		'52101_unit': 'day',
		'52207': '1次',
		'52207_number': 1,
		'52207_unit': 'times',
		'52401': '正常(08:50), 缺卡(-)',
	});
	expect(out[0].json['52401_number']).toBeUndefined();
	expect((out[0].json.cells as IDataObject[]).find((c) => c.code === '52401')).toMatchObject({
		title: '打卡结果',
		features: [{ key: 'Abnormal', value: 'true' }],
	});
	expect(out[5].json['52401']).toBe('休息'); // Saturday
});

test('unit parsing: Feishu text → number and unit', () => {
	const table: Array<[unknown, ReturnType<typeof parseStatValue>]> = [
		['5 days', { number: 5, unit: 'day' }],
		['1 day', { number: 1, unit: 'day' }],
		['0.5 hours', { number: 0.5, unit: 'hour' }],
		['0.0 hours', { number: 0, unit: 'hour' }],
		['480 minutes', { number: 480, unit: 'minute' }],
		['2 times', { number: 2, unit: 'times' }],
		['0.5 half days', { number: 0.5, unit: 'half_day' }],
		['5天', { number: 5, unit: 'day' }],
		['0.5小时', { number: 0.5, unit: 'hour' }],
		['30分钟', { number: 30, unit: 'minute' }],
		['3次', { number: 3, unit: 'times' }],
		['5日', { number: 5, unit: 'day' }],
		['1.5時間', { number: 1.5, unit: 'hour' }],
		['2回', { number: 2, unit: 'times' }],
		['12.5%', { number: 12.5, unit: 'percent' }],
		['-3', { number: -3 }],
		['7', { number: 7 }],
		[7, { number: 7 }],
		['3 shifts', { number: 3, unit: 'shifts' }],
		['No record (-)', undefined],
		['No record (-), No record (-)', undefined],
		['Normal(09:00), Late(09:12)', undefined],
		['-', undefined],
		['', undefined],
		['2025-01-06', undefined],
		['1 day 2 hours', undefined],
		['09:00', undefined],
		[undefined, undefined],
	];
	for (const [text, expected] of table)
		expect([text, parseStatValue(text)]).toEqual([text, expected]);
});

test('UNCONFIRMED reading: daily rows without a date column: the day of a one-day window, else the window', () => {
	const cells = [
		{ code: '50101', title: 'Name', value: 'Employee 0001' },
		{ code: '52101', title: 'Required attendance days', value: '1 day' },
	];
	const row = { user_id: emp(1), name: 'Employee 0001' };
	const oneDay = { from: 20250106, to: 20250106 };
	const week = { from: 20250106, to: 20250112 };
	expect(dayOfStatRow(cells, oneDay)).toBe(20250106);
	expect(dayOfStatRow(cells, week)).toBeUndefined();
	expect(statRowHead(row, 'employee_id', 'daily', week, undefined)).toEqual({
		status: 'ok',
		employee_id: emp(1),
		employee_id_type: 'employee_id',
		employee_name: 'Employee 0001',
		stats_type: 'daily',
		period_from: '2025-01-06',
		period_to: '2025-01-12',
	});
	// a date outside the window (e.g. a hire date) is not taken for the row's day; a Date column is
	expect(
		dayOfStatRow([...cells, { code: '50110', title: 'Hire date', value: '2020-03-01' }], week),
	).toBeUndefined();
	expect(dayOfStatRow([{ code: 'x', title: '日期', value: '2025-01-08' }, ...cells], week)).toBe(
		20250108,
	);
});

test('invalid and unauthorized IDs: marked items, paired, the other employees answered', async () => {
	const items = [{ emp: emp(1) }, { emp: 'nobody' }, { emp: 'emp_unauth_1' }, { emp: emp(1) }];
	const { items: out, error } = await getMany(
		{ statsType: 'month', from: '2025-01-01', to: '2025-01-31' },
		items,
	);
	expect(error).toBeUndefined();
	expect(out.map((o) => [o.json.employee_id, o.json.status, o.pairedItem])).toEqual([
		[emp(1), 'ok', [{ item: 0 }, { item: 3 }]],
		['nobody', 'invalid', { item: 1 }],
		['emp_unauth_1', 'invalid', { item: 2 }],
	]);
	expect(out[1].json.message).toContain('unknown, or outside the app');
});

test('UNCONFIRMED reading: Feishu rejects the whole call for an invalid ID → the ID is isolated and marked', async () => {
	emu.configure({ statsInvalidUserMode: 'reject' });
	const items = [{ emp: emp(1) }, { emp: emp(2) }, { emp: 'nobody' }, { emp: emp(4) }];
	const {
		items: out,
		error,
		calls,
	} = await getMany({ statsType: 'month', from: '2025-01-01', to: '2025-01-31' }, items);
	expect(error).toBeUndefined();
	expect(out.map((o) => [o.json.employee_id, o.json.status])).toEqual([
		[emp(1), 'ok'],
		[emp(2), 'ok'],
		['nobody', 'invalid'],
		[emp(4), 'ok'],
	]);
	expect(out[2].json.feishu_message).toContain('nobody');
	expect(calls).toBe(5); // 4 rejected → 2 + 2: [1,2] ok, [nobody,4] rejected → [nobody] rejected, [4] ok
});

test('Employees per Call 200 on a tenant that allows 20 (Lark): the rejection falls back to 20 per call', async () => {
	emu.configure({ maxStatsUsers: 20 });
	const items = Array.from({ length: 45 }, (_, i) => ({ emp: emp(i + 1) }));
	const {
		items: out,
		error,
		queries,
	} = await getMany(
		{
			statsType: 'month',
			from: '2025-01-01',
			to: '2025-01-31',
			options: { employeesPerCall: 200 },
		},
		items,
	);
	expect(error).toBeUndefined();
	expect(queries.map((q) => (q.body!.user_ids as string[]).length)).toEqual([45, 20, 20, 5]);
	expect(out.map((o) => o.json.employee_id)).toEqual(items.map((i) => i.emp));
});

test('Employees per Call 200 on Feishu: daily windows shrink so employees × days stays under 1,000', async () => {
	const items = Array.from({ length: 250 }, (_, i) => ({ emp: emp(i + 1) }));
	const {
		items: out,
		error,
		queries,
	} = await getMany(
		{ statsType: 'daily', from: day(0), to: day(6), options: { employeesPerCall: 200 } },
		items,
	);
	expect(error).toBeUndefined();
	for (const q of queries)
		expect((q.body!.user_ids as string[]).length * daysOf(q)).toBeLessThanOrEqual(640);
	expect(queries).toHaveLength(2 * 3);
	expect(out).toHaveLength(250 * 7);
});

describe('the operator', () => {
	test('left empty: n8n refuses to run the node (the parameter is required)', async () => {
		await expect(
			getMany({ statsType: 'month', from: '2025-01-01', to: '2025-01-31', operatorId: '' }, [
				{ emp: emp(1) },
			]),
		).rejects.toThrow('The workflow has issues');
	});

	test('empty from an expression: a clear error before anything is sent', async () => {
		const { error, calls } = await getMany(
			{ statsType: 'month', from: '2025-01-01', to: '2025-01-31', operatorId: '={{ $json.op }}' },
			[{ emp: emp(1), op: '' }],
		);
		expect(error?.message).toBe('Operator ID is empty [item 0]');
		expect((error as unknown as { description: string }).description).toContain(
			'report settings decide which columns',
		);
		expect(calls).toBe(0);
	});

	test('unknown to Feishu (1220001 reading): the error says to check the operator', async () => {
		emu.configure({ statsUnknownOperator: 'param-error' });
		try {
			const { error } = await getMany(
				{ statsType: 'month', from: '2025-01-01', to: '2025-01-31', operatorId: 'nobody' },
				[{ emp: emp(1) }],
			);
			expect(error?.message).toContain('1220001');
			expect((error as unknown as { description: string }).description).toContain(
				'Check Operator ID',
			);
		} finally {
			emu.configure({ statsUnknownOperator: 'user-error' });
		}
	});

	test('unknown to Feishu (1220004, every call refused): one error about the Operator ID after one confirming call, no employee blamed', async () => {
		const items = Array.from({ length: 45 }, (_, i) => ({ emp: emp(i + 1) }));
		const views = () =>
			emu.counters().requests['POST /open-apis/attendance/v1/user_stats_views/query'] ?? 0;
		const before = views();
		const {
			error,
			items: out,
			calls,
		} = await getMany(
			{ statsType: 'month', from: '2025-01-01', to: '2025-01-31', operatorId: 'nobody' },
			items,
		);
		expect(error?.message).toMatch(
			/^Feishu does not accept the Operator ID nobody: it refuses every statistics call with it/,
		);
		expect(String((error as unknown as { description: string }).description)).toContain(
			'Check Operator ID',
		);
		expect(out).toEqual([]);
		// 45 employees at 20 per call: the 3 planned calls, then one user_stats_views/query; no halving
		expect(calls).toBe(3);
		expect(views() - before).toBe(1);

		// with Continue On Fail: every item carries that one error, none is marked invalid
		const tolerant = await getMany(
			{ statsType: 'month', from: '2025-01-01', to: '2025-01-31', operatorId: 'nobody' },
			items,
			true,
		);
		expect(tolerant.items).toHaveLength(45);
		expect(tolerant.items.every((i) => /Operator ID nobody/.test(String(i.json.error)))).toBe(true);
		expect(tolerant.items.some((i) => i.json.status === 'invalid')).toBe(false);
	});
});

test('Continue On Fail: an item without operator and the items of a failed call get error items, the rest go on', async () => {
	emu.injectFault({
		endpoint: 'user_stats_datas',
		kind: 'code',
		code: 1220600,
		httpStatus: 400,
		msg: 'general error',
		times: 1,
	});
	const { items: out, error } = await getMany(
		// a Limit sends the employee batches one after another, so the fault hits the first batch
		{
			statsType: 'month',
			from: '2025-01-01',
			to: '2025-01-31',
			operatorId: '={{ $json.op }}',
			returnAll: false,
			limit: 100,
			options: { employeesPerCall: 2 },
		},
		[
			{ emp: emp(1), op: OPERATOR },
			{ emp: emp(2), op: OPERATOR },
			{ emp: emp(3), op: '' },
			{ emp: emp(4), op: OPERATOR },
		],
		true,
	);
	expect(error).toBeUndefined();
	expect(
		out.map((o) => [
			o.json.employee_id ?? null,
			o.json.error ? 'error' : o.json.status,
			o.pairedItem,
		]),
	).toEqual([
		[emp(4), 'ok', { item: 3 }],
		[null, 'error', { item: 2 }],
		[null, 'error', { item: 0 }],
		[null, 'error', { item: 1 }],
	]);
	expect(out[1].json.error).toBe('Operator ID is empty [item 2]');
	expect(String(out[2].json.error)).toContain('1220600');
});

test('Get Columns: each item reads its own Timezone; a bad one fails that item only (Continue On Fail), else stops naming it', async () => {
	const parameters = {
		resource: 'statistics',
		operation: 'getColumns',
		statsType: 'month',
		locale: 'en',
		options: { month: '2025-02-28T20:00:00Z', timezone: '={{ $json.tz }}' }, // 1 March in Shanghai, 28 February in UTC
	};
	const items = [{ tz: 'Mars/Olympus' }, { tz: 'Asia/Shanghai' }, { tz: 'UTC' }];
	const { items: out, error } = await runNode({
		emulatorUrl: emu.url,
		parameters,
		items,
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(out[0].json.error).toBe(
		'The timezone "Mars/Olympus" is not a valid IANA time zone [item 0]',
	);
	expect(out[0].pairedItem).toEqual({ item: 0 });
	const codesOf = (item: number) =>
		out.filter((i) => (i.pairedItem as { item: number }).item === item).map((i) => i.json.code);
	expect(codesOf(1)).toEqual(expect.arrayContaining(['2025-03-01', '2025-03-31']));
	expect(codesOf(2)).toEqual(expect.arrayContaining(['2025-02-01', '2025-02-28']));
	expect(codesOf(2)).not.toContain('2025-03-01');

	const stopped = await runNode({
		emulatorUrl: emu.url,
		parameters,
		items: [{ tz: 'UTC' }, { tz: 'Mars/Olympus' }],
	});
	expect(stopped.error?.message).toBe(
		'The timezone "Mars/Olympus" is not a valid IANA time zone [item 1]',
	);
});

test('settings read once per run take no expression: Statistics Get Many, Attendance Group Get and Get Members', () => {
	const properties = new FeishuAttendance().description.properties;
	const noExpression = (resource: string, operation: string) =>
		properties
			.filter(
				(p) =>
					p.displayOptions?.show?.resource?.includes(resource) &&
					p.displayOptions?.show?.operation?.includes(operation),
			)
			.flatMap((p) => (p.type === 'collection' ? ((p.options ?? []) as typeof properties) : [p]))
			.filter((p) => p.noDataExpression)
			.map((p) => p.name)
			.sort();
	expect(noExpression('statistics', 'getMany')).toEqual(
		expect.arrayContaining([
			'columnNames',
			'currentGroupOnly',
			'employeesPerCall',
			'includeCells',
			'includeDeparted',
			'locale',
			'statsType',
		]),
	);
	expect(noExpression('statistics', 'getMany')).not.toContain('timezone');
	expect(noExpression('attendanceGroup', 'get')).toEqual(
		expect.arrayContaining(['employeeIdType']),
	);
	expect(noExpression('attendanceGroup', 'getMembers')).toEqual(
		expect.arrayContaining(['employeeIdType', 'memberClockType']),
	);
	// Get Columns reads them per item: expressions stay allowed there
	expect(noExpression('statistics', 'getColumns')).not.toContain('statsType');
});

test('Get Columns and Get Report Settings: the header and the operator’s switches, one item per column', async () => {
	const columns = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'statistics',
			operation: 'getColumns',
			statsType: 'month',
			locale: 'en',
			options: { month: '2025-02-10' },
		},
		items: [{}],
	});
	expect(columns.error).toBeUndefined();
	const codes = columns.items.map((i) => i.json.code);
	expect(codes).toEqual(
		expect.arrayContaining(['50101', '52101', '52207', '2025-02-01', '2025-02-28']),
	);
	expect(codes).not.toContain('2025-03-01');
	expect(columns.items.find((i) => i.json.code === '52202')!.json).toEqual({
		stats_type: 'month',
		locale: 'en',
		group_code: '522',
		group_title: 'Abnormal statistics',
		code: '52202',
		title: 'Late in duration',
		time_unit: 'Minute',
	});

	const settings = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'statistics',
			operation: 'getReportSettings',
			operatorId: OPERATOR,
			statsType: 'daily',
			locale: 'ja',
		},
		items: [{}],
	});
	expect(settings.error).toBeUndefined();
	const late = settings.items.find((i) => i.json.code === '52201')!;
	expect(late.json).toMatchObject({
		title: '遅刻回数',
		enabled: true,
		value: '1',
		operator_id: OPERATOR,
		stats_type: 'daily',
	});
	expect(typeof late.json.view_id).toBe('string');
	expect(late.pairedItem).toEqual({ item: 0 });

	const noOperator = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'statistics',
			operation: 'getReportSettings',
			operatorId: '={{ $json.op }}',
			statsType: 'daily',
		},
		items: [{ op: ' ' }],
	});
	expect(noOperator.error?.message).toBe('Operator ID is empty [item 0]');
});

test('example 05 (monthly payroll export): last month per employee, payroll rows with numbers, refused IDs kept', async () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { files, PARAMS } = require('../../scripts/examples/generate.js') as {
		files: Record<string, { nodes: Array<{ name: string; parameters: IDataObject }> }>;
		PARAMS: Record<string, () => INodeParameters>;
	};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { DateTime } = require('luxon') as typeof import('luxon');
	const payroll = files['05-monthly-payroll-statistics.json'];
	const jsCode = (name: string) =>
		String(payroll.nodes.find((n) => n.name === name)!.parameters.jsCode);
	// the example's Code nodes, run as n8n would (Run Once for All Items)
	const runCode = (name: string, input: IDataObject[], $today?: unknown) =>
		(
			new Function('$input', '$today', jsCode(name))(
				{ all: () => input.map((json) => ({ json })) },
				$today,
			) as Array<{ json: IDataObject }>
		).map((i) => i.json);
	const asked = runCode(
		'Employees and last month',
		[],
		DateTime.fromISO('2025-02-10', { zone: 'Asia/Shanghai' }),
	);
	expect(asked[0]).toEqual({ employee_no: 'NO0001', from: '2025-01-01', to: '2025-01-31' });

	const { items, error } = await runNode({
		emulatorUrl: emu.url,
		parameters: PARAMS.statisticsGetMany(),
		items: asked,
	});
	expect(error).toBeUndefined();
	expect(items.map((i) => [i.json.employee_id, i.json.status])).toEqual([
		...['NO0001', 'NO0002', 'NO0003', 'NO0004', 'NO0005'].map((id) => [id, 'ok']),
		['NO9999', 'invalid'],
	]);
	// simplified figures (node version 1.1): one number per column code, units apart
	expect(items[1].json).toMatchObject({
		employee_id: 'NO0002',
		'52101': 23,
		'52207': 46,
		units: { '52101': 'day', '52207': 'times' },
	});
	const rows = runCode(
		'Payroll rows',
		items.map((i) => i.json),
	);
	expect(rows[1]).toEqual({
		'Employee No.': 'NO0002',
		Name: 'Employee 0002',
		From: '2025-01-01',
		To: '2025-01-31',
		'Required days': 23,
		'Days worked': 0,
		'Late (times)': 0,
		'Late (minutes)': 0,
		'Early leave (times)': 0,
		'Missing punches': 46,
		'Leave (hours)': 0,
		'Overtime (hours)': 0,
		Note: '',
	});
	expect(rows[5]).toEqual({
		'Employee No.': 'NO9999',
		Note: expect.stringContaining('no statistics for this employee ID'),
	});
});

test('node version 1.1 (new nodes): every row by default and simplified figures keyed by column code, the same in Chinese; version 1 keeps its defaults', async () => {
	const items = Array.from({ length: 60 }, (_, i) => ({ emp: emp(i + 1) }));
	emu.seedFlows([
		{ user_id: emp(2), check_time: shanghai('2025-01-06', '09:10:00') },
		{ user_id: emp(2), check_time: shanghai('2025-01-06', '18:05:00') },
	]);
	const plain = {
		resource: 'statistics',
		operation: 'getMany',
		employeeIds: '={{ $json.emp }}',
		statsType: 'month',
		from: '2025-01-01',
		to: '2025-01-31',
		operatorId: OPERATOR,
	};
	const byLocale: Record<string, IDataObject[]> = {};
	for (const locale of ['en', 'zh']) {
		const {
			items: out,
			error,
			runData,
		} = await runNode({ emulatorUrl: emu.url, parameters: { ...plain, locale }, items });
		expect(error).toBeUndefined();
		expect(out).toHaveLength(60); // not cut at 50
		expect(runData['Feishu Attendance'][0].hints ?? []).toEqual([]);
		byLocale[locale] = out.map((i) => i.json);
	}
	const [en, zh] = [byLocale.en[1], byLocale.zh[1]];
	expect(en).toMatchObject({
		status: 'ok',
		employee_id: emp(2),
		'52101': 23,
		'52201': 1,
		'52202': 10,
		units: { '52101': 'day', '52202': 'minute' },
	});
	expect(Object.values(en).some((v) => typeof v === 'string' && /minutes|days/.test(v))).toBe(
		false,
	);
	// the same figures under the same keys whatever the report's language
	const figures = (row: IDataObject) =>
		Object.fromEntries(
			Object.entries(row).filter(([k, v]) => /^\d+$/.test(k) && typeof v === 'number'),
		);
	expect(figures(zh)).toEqual(figures(en));
	expect(Object.keys(figures(en)).length).toBeGreaterThanOrEqual(8);

	// version 1 (saved workflows): Return All off (Limit 50, said in a hint) and Feishu's text with numbers and units
	const v1 = await runWorkflow({
		emulatorUrl: emu.url,
		items,
		nodes: [{ parameters: { ...plain, locale: 'en' }, typeVersion: 1 }],
	});
	const v1Items = v1.outputs['Feishu Attendance'];
	expect(v1Items).toHaveLength(50);
	expect(v1Items[1].json).toMatchObject({
		'Late in duration': '10 minutes',
		'Late in duration (number)': 10,
	});
	expect(v1.runData['Feishu Attendance'][0].hints).toEqual([
		expect.objectContaining({
			type: 'warning',
			message: expect.stringMatching(/^Stopped at the Limit of 50: Feishu has more/),
		}),
	]);
});

test('a Get Many that stops at its Limit while Feishu has more says so in a hint; one that got everything does not', async () => {
	const items = Array.from({ length: 3 }, (_, i) => ({ emp: emp(i + 1) }));
	const cut = await getMany(
		{ statsType: 'daily', from: '2025-01-06', to: '2025-01-10', returnAll: false, limit: 4 },
		items,
	);
	expect(cut.items.filter((i) => i.json.status === 'ok')).toHaveLength(4);
	expect(cut.runData['Feishu Attendance'][0].hints).toEqual([
		expect.objectContaining({
			type: 'warning',
			message: expect.stringMatching(
				/^Stopped at the Limit of 4: Feishu has more\. Turn on Return All/,
			),
		}),
	]);
	const whole = await getMany(
		{ statsType: 'daily', from: '2025-01-06', to: '2025-01-10', returnAll: false, limit: 15 },
		items,
	);
	expect(whole.items).toHaveLength(15);
	expect(whole.runData['Feishu Attendance'][0].hints ?? []).toEqual([]);
});

describe('emulator: user_stats_datas/query is as strict as Feishu documents', () => {
	const post = async (path: string, body: IDataObject, query = 'employee_type=employee_id') => {
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
				'content-type': 'application/json',
				authorization: `Bearer ${auth.tenant_access_token}`,
			},
			body: JSON.stringify(body),
		});
		return {
			status: res.status,
			...((await res.json()) as { code: number; msg: string; data?: IDataObject }),
		};
	};
	const good = {
		locale: 'en',
		stats_type: 'daily',
		start_date: 20250106,
		end_date: 20250205,
		user_ids: [emp(1)],
		user_id: OPERATOR,
	};

	test('limits and required fields answer 400 / 1220001; a good call answers code 0', async () => {
		// Feishu's own answer to requests outside its definitions (test/emulator/definitions.ts)
		skipDefinitionsForThisTest();
		expect(await post(PATH, good)).toMatchObject({ status: 200, code: 0 });
		const rejected = async (body: IDataObject, msg: string, query?: string) =>
			expect(await post(PATH, body, query)).toMatchObject({
				status: 400,
				code: 1220001,
				msg: expect.stringContaining(msg),
			});
		await rejected({ ...good, end_date: 20250206 }, 'exceeds 31 days');
		await rejected(
			{ ...good, user_ids: Array.from({ length: 201 }, (_, i) => emp(i + 1)) },
			'user_ids exceeds the limit of 200',
		);
		await rejected({ ...good, user_id: undefined }, 'user_id is required');
		await rejected({ ...good, locale: 'fr' }, 'locale must be one of');
		await rejected({ ...good, start_date: '20250106' }, 'start_date must be an integer');
		await rejected(good, 'employee_type', 'employee_type=open_id');
		emu.configure({ maxStatsUsers: 20 });
		await rejected(
			{ ...good, user_ids: Array.from({ length: 21 }, (_, i) => emp(i + 1)) },
			'user_ids exceeds the limit of 20',
		);
	});

	test('a reply stops at 1,000 rows without a word; titles follow the locale', async () => {
		const users = Array.from({ length: 40 }, (_, i) => emp(i + 1));
		const cut = await post(PATH, { ...good, user_ids: users });
		expect(cut.code).toBe(0);
		expect((cut.data!.user_datas as unknown[]).length).toBe(1000);
		const ja = await post(PATH, { ...good, locale: 'ja', end_date: 20250106 });
		const cells = ((ja.data!.user_datas as IDataObject[])[0].datas as IDataObject[]).map((c) => [
			c.code,
			c.title,
			c.value,
		]);
		expect(cells).toContainEqual(['52101', '所定出勤日数', '1日']);
	});
});
