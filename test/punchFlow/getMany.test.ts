/**
 * Punch Flow → Get Many, run through n8n-core's WorkflowExecute against the Feishu emulator over real HTTP.
 */
import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startEmulator, type Emulator, type StoredFlow } from '../emulator';
import { runNode } from '../harness';
import { emp, recordClientRequests } from '../helpers';

const FLOW_QUERY = 'POST /open-apis/attendance/v1/user_flows/query';
/** Unix seconds of a Shanghai wall time */
const sh = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
	Date.UTC(y, mo - 1, d, h - 8, mi, s) / 1000;

let emu: Emulator;

beforeAll(async () => {
	// the emulator refuses windows longer than 30 days, like the node's default assumption
	emu = await startEmulator({ rateLimitPerSecond: 50, maxFlowQueryDays: 30 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());
const sent = recordClientRequests();

const getManyParameters = (extra: IDataObject = {}) => ({
	resource: 'punchFlow',
	operation: 'getMany',
	employeeIds: '={{ $json.emp }}',
	from: '2026-01-01',
	to: '2026-03-31',
	returnAll: true,
	...extra,
});

const paired = (item: INodeExecutionData) =>
	(Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem as IPairedItemData])
		.map((p) => p.item)
		.sort((a, b) => a - b);

/** For employees 1..n: punches on Jan 1 00:00, Feb 14, Mar 31 23:59:59 (in range) and Apr 1 00:00 (out of range). */
function seed(n: number): { inRange: StoredFlow[]; outOfRange: StoredFlow[] } {
	const records = Array.from({ length: n }, (_, i) => [
		{ user_id: emp(i + 1), check_time: String(sh(2026, 1, 1, 0, 0, 0)) },
		{ user_id: emp(i + 1), check_time: String(sh(2026, 2, 14, 9, i % 60)) },
		{ user_id: emp(i + 1), check_time: String(sh(2026, 3, 31, 23, 59, 59)) },
		{ user_id: emp(i + 1), check_time: String(sh(2026, 4, 1, 0, 0, 0)) },
	]).flat();
	const stored = emu.seedFlows(records);
	return {
		inRange: stored.filter((_, i) => i % 4 !== 3),
		outOfRange: stored.filter((_, i) => i % 4 === 3),
	};
}

test('120 employees over 90 days: 3 user batches × 3 windows = 9 calls, complete results, right pairing', async () => {
	const { inRange, outOfRange } = seed(120);
	// 120 items, one per employee, plus an item repeating emp0001 and one naming two employees as a list
	const input: IDataObject[] = [
		...Array.from({ length: 120 }, (_, i) => ({ emp: emp(i + 1) })),
		{ emp: 'emp0001' },
		{ emp: 'emp0002, emp0003' },
	];
	const { items, error } = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters(),
		items: input,
	});

	expect(error).toBeUndefined();
	expect(emu.counters().requests[FLOW_QUERY]).toBe(9);
	expect(items).toHaveLength(inRange.length);
	expect(new Set(items.map((i) => i.json.record_id))).toEqual(
		new Set(inRange.map((f) => f.record_id)),
	);
	const outIds = new Set(outOfRange.map((f) => f.record_id));
	expect(items.some((i) => outIds.has(i.json.record_id as string))).toBe(false);

	for (const item of items) {
		const n = Number(String(item.json.user_id).slice(3));
		const expected = n === 1 ? [0, 120] : n === 2 || n === 3 ? [n - 1, 121] : [n - 1];
		expect(paired(item)).toEqual(expected);
		expect(item.json.check_time_iso).toMatch(/^2026-0[1-3]-\d\dT\d\d:\d\d:\d\d\+08:00$/);
	}
	// per employee in the order asked, then by time
	expect(items.slice(0, 3).map((i) => i.json.check_time_iso)).toEqual([
		'2026-01-01T00:00:00+08:00',
		'2026-02-14T09:00:00+08:00',
		'2026-03-31T23:59:59+08:00',
	]);
	expect(items[3].json.user_id).toBe('emp0002');
});

test('Limit caps the number of records; a range in one window is one call', async () => {
	seed(10);
	const { items } = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters({
			returnAll: false,
			limit: 4,
			from: '2026-02-01',
			to: '2026-02-28',
		}),
		items: Array.from({ length: 10 }, (_, i) => ({ emp: emp(i + 1) })),
	});
	expect(emu.counters().requests[FLOW_QUERY]).toBe(1);
	expect(items).toHaveLength(4);
});

test('an unknown employee fails only the items naming it (Continue On Fail); without it the node stops at that item', async () => {
	seed(5);
	const input = [
		{ emp: 'emp0001' },
		{ emp: 'emp9999' },
		{ emp: 'emp0002, emp0003' },
		{ emp: 'emp_unauth_1' },
	];
	const tolerant = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters(),
		items: input,
		continueOnFail: true,
	});
	expect(tolerant.error).toBeUndefined();
	const records = tolerant.items.filter((i) => !i.json.error);
	const errors = tolerant.items.filter((i) => i.json.error);
	expect(new Set(records.map((i) => i.json.user_id))).toEqual(
		new Set(['emp0001', 'emp0002', 'emp0003']),
	);
	expect(records).toHaveLength(9);
	expect(errors.map((i) => paired(i)[0])).toEqual([1, 3]);
	expect(errors[0].json.error).toMatch(/1220004.*|emp9999/);

	const strict = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters(),
		items: input,
	});
	expect(strict.error).toBeInstanceOf(NodeApiError);
	expect(strict.error!.message).toMatch(/emp9999/);
	expect((strict.error as NodeApiError).context.itemIndex).toBe(1);
});

test('From and To are read per item; items with different ranges are queried separately', async () => {
	seed(2);
	const { items } = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters({ from: '={{ $json.from }}', to: '={{ $json.to }}' }),
		items: [
			{ emp: 'emp0001', from: '2026-01-01 00:00:00', to: '2026-01-01 00:00:00' },
			{ emp: 'emp0002', from: '2026-03-31T23:00:00+08:00', to: '2026-04-01' },
		],
	});
	expect(items.map((i) => [i.json.user_id, i.json.check_time_iso, paired(i)])).toEqual([
		['emp0001', '2026-01-01T00:00:00+08:00', [0]],
		['emp0002', '2026-03-31T23:59:59+08:00', [1]],
		['emp0002', '2026-04-01T00:00:00+08:00', [1]],
	]);
});

test('invalid ranges are refused per item before anything is sent', async () => {
	const { error } = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters({ from: '2026-03-01', to: '2026-02-01' }),
		items: [{ emp: 'emp0001' }],
	});
	expect(error?.message).toBe(
		'To (2026-02-01T23:59:59+08:00) is before From (2026-03-01T00:00:00+08:00) [item 0]',
	);
	expect(emu.counters().requests[FLOW_QUERY] ?? 0).toBe(0);
});

describe('To at midnight (the date picker stores 2026-03-31T00:00:00)', () => {
	/** emp0001: punches on Mar 31 at 00:00, 10:00 and 23:59:59, and on Apr 1 at 00:00 */
	const seedDay = () =>
		emu.seedFlows(
			[
				sh(2026, 3, 31, 0, 0, 0),
				sh(2026, 3, 31, 10, 0, 0),
				sh(2026, 3, 31, 23, 59, 59),
				sh(2026, 4, 1, 0, 0, 0),
			].map((t) => ({
				user_id: emp(1),
				check_time: String(t),
			})),
		);
	const times = async (from: string, to: string | number) => {
		sent.length = 0;
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: getManyParameters({ from: '={{ $json.from }}', to: '={{ $json.to }}' }),
			items: [{ emp: 'emp0001', from, to }],
		});
		expect(error).toBeUndefined();
		const queries = sent.filter((r) => r.path === '/user_flows/query');
		expect(queries).toHaveLength(1);
		return {
			times: items.map((i) => i.json.check_time_iso),
			checkTimeTo: queries[0].body!.check_time_to,
		};
	};

	test.each<[string, string | number]>([
		['date picker value (local midnight, no offset)', '2026-03-31T00:00:00'],
		["'yyyy-MM-dd 00:00:00'", '2026-03-31 00:00:00'],
		['a date', '2026-03-31'],
		['yyyyMMdd as text', '20260331'],
		['yyyyMMdd as a number (a Feishu day)', 20260331],
	])('%s means the end of that day: the 10:00 punch is returned', async (_name, to) => {
		seedDay();
		const result = await times('2026-03-31T00:00:00', to);
		expect(result.times).toEqual([
			'2026-03-31T00:00:00+08:00',
			'2026-03-31T10:00:00+08:00',
			'2026-03-31T23:59:59+08:00',
		]);
		expect(result.checkTimeTo).toBe(String(sh(2026, 3, 31, 23, 59, 59)));
	});

	test('midnight with an offset is that instant', async () => {
		seedDay();
		const result = await times('2026-03-30', '2026-03-31T00:00:00+08:00');
		expect(result.times).toEqual(['2026-03-31T00:00:00+08:00']);
	});
});

describe('Window (Days)', () => {
	test('decides the windows of the range', async () => {
		seed(1);
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: getManyParameters({ options: { advanced: { windowDays: 10 } } }),
			items: [{ emp: 'emp0001' }, { emp: 'emp0001' }],
		});
		expect(error).toBeUndefined();
		expect(emu.counters().requests[FLOW_QUERY]).toBe(9); // 90 days in windows of 10
		expect(items).toHaveLength(3);
	});

	test.each([0, -5, 2.5, 400])(
		'%p is refused with a clear error before anything is sent',
		async (windowDays) => {
			const { error } = await runNode({
				emulatorUrl: emu.url,
				parameters: getManyParameters({ options: { advanced: { windowDays } } }),
				items: [{ emp: 'emp0001' }],
			});
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error?.message).toBe(
				`Window (Days) must be a whole number from 1 to 366, got ${windowDays}`,
			);
			expect(emu.counters().requests[FLOW_QUERY] ?? 0).toBe(0);
		},
	);
});
