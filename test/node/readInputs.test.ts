/**
 * Issue 9 (read side): every item is read on its own and checked for what it is before anything is sent —
 * Get Many (punch flows, punch results, approvals), Punch Flow Get and Delete — through n8n's engine against
 * the emulator. A table of bad inputs, each placed between good items, run with and without Continue On Fail;
 * per-item Employee ID Type and Timezone from expressions; a Base URL that answers HTML with status 200.
 */
import { createServer, request as httpRequest } from 'http';
import type { AddressInfo } from 'net';
import type {
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { description as punchFlowDelete } from '../../nodes/FeishuAttendance/actions/punchFlow/delete.operation';
import { description as punchResultGetMany } from '../../nodes/FeishuAttendance/actions/punchResult/getMany.operation';
import { readList } from '../../nodes/FeishuAttendance/helpers/input';
import { readRecordId, readText } from '../../nodes/FeishuAttendance/helpers/values';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { findSecrets, runNode } from '../harness';
import { emp, recordClientRequests } from '../helpers';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 120, rateLimitPerSecond: 0 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());
const sent = recordClientRequests();

const paired = (item: INodeExecutionData) =>
	(Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem as IPairedItemData]).map(
		(p) => p.item,
	);

/** Unix seconds (string) of a Shanghai wall time on 2025-01-06 (a Monday). */
const JAN6_0900 = String(Date.parse('2025-01-06T09:00:00+08:00') / 1000);
const UNSAFE_ID = 6709359313699356941; // arrives as 6709359313699357000: another record

// ------------------------------------------------------------------------------------------- Get Many

type GetManyOp = 'punchFlow' | 'punchResult' | 'approval';
const QUERY_PATH: Record<GetManyOp, string> = {
	punchFlow: '/user_flows/query',
	punchResult: '/user_tasks/query',
	approval: '/user_approvals/query',
};

/** Every Get Many parameter comes from the item: Employee ID Type and Timezone included. */
const getManyParameters = (resource: GetManyOp): INodeParameters => ({
	resource,
	operation: 'getMany',
	employeeIdType: '={{ $json.type ?? "employee_id" }}',
	employeeIds: '={{ $json.emp }}',
	from: '={{ $json.from }}',
	to: '={{ $json.to }}',
	returnAll: true,
	options: { timezone: '={{ $json.tz ?? "Asia/Shanghai" }}' },
});

const good = (n: number): IDataObject => ({ emp: emp(n), from: '2025-01-06', to: '2025-01-10' });

/** The employees the node asked Feishu about (every query the node handed to the client). */
const askedEmployees = (path: string) =>
	[
		...new Set(
			sent.filter((r) => r.path === path).flatMap((r) => (r.body?.user_ids ?? []) as string[]),
		),
	].sort();

interface BadCase {
	name: string;
	op: GetManyOp;
	/** fields that replace the middle item's good values */
	bad: IDataObject;
	/** what the error must say (besides naming the item) */
	says: RegExp;
}

const getManyCases: BadCase[] = [
	{
		name: 'Employee IDs an object',
		op: 'punchFlow',
		bad: { emp: { id: emp(2) } },
		says: /^Employee IDs must be text or a list of text, not an object/,
	},
	{
		name: 'Employee IDs an array of objects',
		op: 'punchResult',
		bad: { emp: [{ id: emp(2) }] },
		says: /^Employee IDs \(entry 1 of 1\) must be text, got an object/,
	},
	{
		name: 'Employee IDs a boolean',
		op: 'approval',
		bad: { emp: true },
		says: /^Employee IDs must be text or a list of text, not a yes\/no value \(true\)/,
	},
	{
		name: 'Employee IDs null',
		op: 'punchFlow',
		bad: { emp: null },
		says: /^Employee IDs is empty/,
	},
	{
		name: 'Employee IDs blank text',
		op: 'punchResult',
		bad: { emp: '  \t ' },
		says: /^Employee IDs is empty/,
	},
	{
		name: 'Employee IDs array with a blank entry',
		op: 'approval',
		bad: { emp: [emp(2), ''] },
		says: /^Employee IDs \(entry 2 of 2\) is blank, got empty text/,
	},
	{
		name: 'Employee IDs array with null',
		op: 'punchFlow',
		bad: { emp: [emp(2), null] },
		says: /^Employee IDs \(entry 2 of 2\) is blank, got null/,
	},
	{
		name: 'Employee IDs nested array',
		op: 'punchResult',
		bad: { emp: [[emp(2)]] },
		says: /^Employee IDs \(entry 1 of 1\) must be text, got a list of 1/,
	},
	{
		name: 'From after To (days)',
		op: 'punchResult',
		bad: { from: '2025-02-01', to: '2025-01-01' },
		says: /^To \(2025-01-01\) is before From \(2025-02-01\)/,
	},
	{
		name: 'From after To (approvals)',
		op: 'approval',
		bad: { from: '2025-02-01', to: '2025-01-01' },
		says: /^To \(2025-01-01\) is before From \(2025-02-01\)/,
	},
	{
		name: 'From after To (times)',
		op: 'punchFlow',
		bad: { from: '2025-01-10T12:00:00', to: '2025-01-10T08:00:00' },
		says: /^To \(2025-01-10T08:00:00\+08:00\) is before From \(2025-01-10T12:00:00\+08:00\)/,
	},
	{
		name: 'To in the year 2999',
		op: 'punchResult',
		bad: { to: '2999-01-01' },
		says: /^To \(2999-01-01\) is more than a year after today/,
	},
	{
		name: 'To in the year 2999 (times)',
		op: 'punchFlow',
		bad: { to: '2999-01-01T00:00:00' },
		says: /^To \(2999-01-01\) is more than a year after today/,
	},
	{
		name: 'From before 2022',
		op: 'approval',
		bad: { from: '2019-05-01' },
		says: /^From \(2019-05-01\) is before 2022-01-01/,
	},
	{ name: 'From an object', op: 'punchResult', bad: { from: { day: 6 } }, says: /^From / },
	{
		name: 'Employee ID Type unknown',
		op: 'approval',
		bad: { type: 'user_id' },
		says: /^Employee ID Type must be one of employee_id, employee_no, open_id, got "user_id"/,
	},
	{
		name: 'Employee ID Type open_id where Feishu does not take it',
		op: 'punchResult',
		bad: { type: 'open_id' },
		says: /^Employee ID Type must be one of employee_id, employee_no, got "open_id"/,
	},
	{
		name: 'Employee ID Type an object',
		op: 'approval',
		bad: { type: { t: 1 } },
		says: /^Employee ID Type must be text, got an object/,
	},
	{
		name: 'Timezone unknown',
		op: 'punchResult',
		bad: { tz: 'Mars/Olympus' },
		says: /^The timezone "Mars\/Olympus" is not a valid IANA time zone/,
	},
	{
		name: 'Timezone an object',
		op: 'punchFlow',
		bad: { tz: { zone: 'Asia/Shanghai' } },
		says: /^Timezone must be the name of a time zone, got an object/,
	},
];

describe.each(getManyCases)('Get Many refuses $name', ({ op, bad, says }) => {
	const items = () => [good(1), { ...good(2), ...bad }, good(3)];

	test('Continue On Fail: the item gets an error naming the field and the item; the other items are asked', async () => {
		sent.length = 0;
		const { items: out, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: getManyParameters(op),
			items: items(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const failed = out.filter((i) => i.json.error !== undefined);
		expect(failed).toHaveLength(1);
		expect(paired(failed[0])).toEqual([1]);
		expect(failed[0].json.error).toMatch(says);
		expect(failed[0].json.error).toMatch(/ \[item 1\]$/);
		expect(askedEmployees(QUERY_PATH[op])).toEqual([emp(1), emp(3)]);
		// nothing sent shows an object's text form
		expect(JSON.stringify(sent)).not.toMatch(/\[object Object\]|,true|"true"/);
	});

	test('without Continue On Fail: the node stops at that item before anything is sent', async () => {
		sent.length = 0;
		const { error } = await runNode({
			emulatorUrl: emu.url,
			parameters: getManyParameters(op),
			items: items(),
		});
		expect(error?.message).toMatch(says);
		expect(error?.message).toMatch(/ \[item 1\]$/);
		expect((error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(1);
		expect(sent).toHaveLength(0);
	});
});

test("an employee Feishu does not know: that item fails with Feishu's answer naming the employee; the others get their records", async () => {
	emu.seedFlows([1, 3].map((n) => ({ user_id: emp(n), check_time: JAN6_0900 })));
	const items = [good(1), { ...good(2), emp: 'nobody' }, good(3)];
	const tolerant = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters('punchFlow'),
		items,
		continueOnFail: true,
	});
	expect(tolerant.error).toBeUndefined();
	expect(tolerant.items.map((i) => [paired(i), i.json.user_id ?? null])).toEqual([
		[[0], emp(1)],
		[[2], emp(3)],
		[[1], null],
	]);
	expect(tolerant.items[2].json.error).toMatch(/^Feishu error \d+ for employee nobody/);

	const strict = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters('punchFlow'),
		items,
	});
	expect(strict.error).toBeInstanceOf(NodeApiError);
	expect(strict.error?.message).toMatch(/for employee nobody/);
	expect((strict.error as NodeApiError).context.itemIndex).toBe(1);
});

test('a bad item in the middle of 53: the 52 good ones are asked (2 calls of ≤ 50), the bad one fails alone', async () => {
	const items = Array.from({ length: 53 }, (_, i) =>
		i === 26 ? { ...good(27), emp: { id: emp(27) } } : good(i + 1),
	);
	sent.length = 0;
	const tolerant = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters('punchFlow'),
		items,
		continueOnFail: true,
	});
	expect(tolerant.error).toBeUndefined();
	const queries = sent.filter((r) => r.path === QUERY_PATH.punchFlow);
	expect(queries.map((q) => (q.body!.user_ids as string[]).length)).toEqual([50, 2]);
	const expected = Array.from({ length: 53 }, (_, i) => emp(i + 1))
		.filter((id) => id !== emp(27))
		.sort();
	expect(askedEmployees(QUERY_PATH.punchFlow)).toEqual(expected);
	const failed = tolerant.items.filter((i) => i.json.error !== undefined);
	expect(failed.map((i) => [paired(i), i.json.error])).toEqual([
		[[26], 'Employee IDs must be text or a list of text, not an object [item 26]'],
	]);

	sent.length = 0;
	const strict = await runNode({
		emulatorUrl: emu.url,
		parameters: getManyParameters('punchFlow'),
		items,
	});
	expect(strict.error?.message).toBe(
		'Employee IDs must be text or a list of text, not an object [item 26]',
	);
	expect(sent).toHaveLength(0);
});

// ------------------------------------------------------------------------------------ Get and Delete

/** Three punches imported through the API (deletable); their record IDs. */
const seedThree = () =>
	emu
		.seedFlows([1, 2, 3].map((n) => ({ user_id: emp(n), check_time: JAN6_0900 })))
		.map((f) => f.record_id);

interface RecordCase {
	name: string;
	/** the middle item's value, given the three seeded record IDs */
	bad: (ids: string[]) => IDataObject[string];
	says: RegExp;
}

const getCases: RecordCase[] = [
	{
		name: 'an unsafe integer',
		bad: () => UNSAFE_ID,
		says: /^Record ID 6709359313699357000 is a number too large to be exact .*pass IDs as text/,
	},
	{
		name: 'an object',
		bad: (ids) => ({ record_id: ids[1] }),
		says: /^Record ID must be text, got an object/,
	},
	{ name: 'a list', bad: (ids) => [ids[1]], says: /^Record ID must be text, got a list of 1/ },
	{
		name: 'a boolean',
		bad: () => false,
		says: /^Record ID must be text, got a yes\/no value \(false\)/,
	},
	{ name: 'blank text', bad: () => '   ', says: /^Record ID is empty/ },
	{ name: 'null', bad: () => null, says: /^Record ID must be text, got null/ },
];

describe.each(getCases)('Punch Flow Get refuses $name', ({ bad, says }) => {
	const run = async (continueOnFail: boolean) => {
		const ids = seedThree();
		sent.length = 0;
		const result = await runNode({
			emulatorUrl: emu.url,
			parameters: { resource: 'punchFlow', operation: 'get', recordId: '={{ $json.id }}' },
			items: [{ id: ids[0] }, { id: bad(ids) }, { id: ids[2] }],
			continueOnFail,
		});
		return { ...result, ids };
	};

	test('Continue On Fail: an error item for it, the others are fetched', async () => {
		const { items, error, ids } = await run(true);
		expect(error).toBeUndefined();
		expect(items.map((i) => [paired(i), i.json.record_id ?? null])).toEqual([
			[[0], ids[0]],
			[[1], null],
			[[2], ids[2]],
		]);
		expect(items[1].json.error).toMatch(says);
		expect(items[1].json.error).toMatch(/ \[item 1\]$/);
		expect(sent.map((r) => r.path)).toEqual([`/user_flows/${ids[0]}`, `/user_flows/${ids[2]}`]);
	});

	test('without Continue On Fail: stops at that item, nothing sent', async () => {
		const { error } = await run(false);
		expect(error?.message).toMatch(says);
		expect(error?.message).toMatch(/ \[item 1\]$/);
		expect(sent).toHaveLength(0);
	});
});

const deleteCases: RecordCase[] = [
	{
		name: 'an unsafe integer',
		bad: () => UNSAFE_ID,
		says: /^Record IDs 6709359313699357000 is a number too large to be exact .*pass IDs as text/,
	},
	{
		name: 'an unsafe integer inside a list',
		bad: (ids) => [ids[1], 1e20],
		says: /^Record IDs \(entry 2 of 2\) 100000000000000000000 is a number too large .*pass IDs as text/,
	},
	{
		name: 'an object',
		bad: (ids) => ({ id: ids[1] }),
		says: /^Record IDs must be text or a list of text, not an object/,
	},
	{
		name: 'a list holding an object',
		bad: (ids) => [ids[1], {}],
		says: /^Record IDs \(entry 2 of 2\) must be text, got an object/,
	},
	{
		name: 'a boolean',
		bad: () => true,
		says: /^Record IDs must be text or a list of text, not a yes\/no value \(true\)/,
	},
	{ name: 'blank text', bad: () => ' , ; ', says: /^Record IDs is empty/ },
	{
		name: 'a list with a blank entry',
		bad: (ids) => [ids[1], '  '],
		says: /^Record IDs \(entry 2 of 2\) is blank, got only spaces/,
	},
];

describe.each(deleteCases)('Punch Flow Delete refuses $name', ({ bad, says }) => {
	const run = async (continueOnFail: boolean) => {
		const ids = seedThree();
		sent.length = 0;
		const result = await runNode({
			emulatorUrl: emu.url,
			parameters: { resource: 'punchFlow', operation: 'delete', recordIds: '={{ $json.ids }}' },
			items: [{ ids: ids[0] }, { ids: bad(ids) }, { ids: ids[2] }],
			continueOnFail,
		});
		return { ...result, ids };
	};

	test('Continue On Fail: an error item for it, the others deleted; the emulator keeps exactly its record', async () => {
		const { items, error, ids } = await run(true);
		expect(error).toBeUndefined();
		expect(items.map((i) => [paired(i), i.json.record_id ?? null, i.json.deleted ?? null])).toEqual(
			[
				[[0], ids[0], true],
				[[2], ids[2], true],
				[[1], null, null],
			],
		);
		expect(items[2].json.error).toMatch(says);
		expect(items[2].json.error).toMatch(/ \[item 1\]$/);
		expect(emu.flows().map((f) => f.record_id)).toEqual([ids[1]]);
	});

	test('without Continue On Fail: stops at that item, nothing deleted', async () => {
		const { error, ids } = await run(false);
		expect(error?.message).toMatch(says);
		expect(error?.message).toMatch(/ \[item 1\]$/);
		expect(sent).toHaveLength(0);
		expect(emu.flows().map((f) => f.record_id)).toEqual(ids);
	});
});

test('the readers: numbers are text, exact record IDs as numbers are their digits, separators in text are forgiven', () => {
	expect(readText(' emp0001 ', 'Employee ID')).toBe('emp0001');
	expect(readText(1024, 'Employee ID')).toBe('1024');
	expect(() => readText(Number.NaN, 'Employee ID')).toThrow('Employee ID must be text, got NaN');
	expect(() => readText({}, 'Employee ID')).toThrow('Employee ID must be text, got an object');
	expect(readRecordId(9007199254740991, 'Record ID')).toBe('9007199254740991');
	expect(() => readRecordId(9007199254740993, 'Record ID')).toThrow(/pass IDs as text/);
	expect(readRecordId('6709359313699356941', 'Record ID')).toBe('6709359313699356941');
	expect(readList([1001, 'a, b;', 'c'], 'Employee IDs')).toEqual(['1001', 'a', 'b', 'c']);
	expect(readList('a,,b , ', 'Employee IDs')).toEqual(['a', 'b']);
	expect(readList(null, 'Employee IDs')).toEqual([]);
	expect(() => readList([1, 1e20], 'Record IDs', readRecordId)).toThrow(
		/^Record IDs \(entry 2 of 2\) 100000000000000000000 .*pass IDs as text/,
	);
});

test('values that cannot sensibly differ per item take no expression (Return All, Limit, Window, pacing, Batch Size)', () => {
	// the parameters, and the options inside Options and its Advanced group
	const flat = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((p) =>
			p.type === 'collection' ? flat(p.options as INodeProperties[]) : [p],
		);
	const noExpression = (properties: INodeProperties[]) =>
		flat(properties)
			.filter((p) => p.noDataExpression)
			.map((p) => p.name)
			.sort();
	expect(noExpression(punchResultGetMany)).toEqual([
		'limit',
		'maxConcurrent',
		'maxRetries',
		'requestsPerSecond',
		'returnAll',
		'windowDays',
	]);
	expect(noExpression(punchFlowDelete)).toEqual([
		'batchSize',
		'maxConcurrent',
		'maxRetries',
		'requestsPerSecond',
	]);
});

// ------------------------------------------------------------------- per-item Employee ID Type and Timezone

describe('Employee ID Type and Timezone from expressions that differ per item', () => {
	test('Get: each item is asked with its own ID type and shown in its own zone; open_id is accepted', async () => {
		const ids = seedThree();
		sent.length = 0;
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: {
				resource: 'punchFlow',
				operation: 'get',
				employeeIdType: '={{ $json.type }}',
				recordId: '={{ $json.id }}',
				options: { timezone: '={{ $json.tz }}' },
			},
			items: [
				{ id: ids[0], type: 'employee_no', tz: 'Asia/Shanghai' },
				{ id: ids[1], type: 'employee_id', tz: 'America/New_York' },
				{ id: ids[2], type: 'open_id', tz: 'Europe/Berlin' },
			],
		});
		expect(error).toBeUndefined();
		expect(sent.map((r) => r.qs?.employee_type)).toEqual(['employee_no', 'employee_id', 'open_id']);
		expect(items.map((i) => [i.json.user_id, i.json.check_time_iso])).toEqual([
			['NO0001', '2025-01-06T09:00:00+08:00'],
			[emp(2), '2025-01-05T20:00:00-05:00'],
			['ou_0003', '2025-01-06T02:00:00+01:00'],
		]);
	});

	test('Punch Flow Get Many: items with another ID type or zone are asked in their own call and shown in their zone', async () => {
		emu.seedFlows([1, 2, 3].map((n) => ({ user_id: emp(n), check_time: JAN6_0900 })));
		sent.length = 0;
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: getManyParameters('punchFlow'),
			items: [
				{ ...good(1), emp: 'NO0001', type: 'employee_no' },
				{ ...good(2), from: '2025-01-05', tz: 'America/New_York' },
				{ ...good(3) },
			],
		});
		expect(error).toBeUndefined();
		const queries = sent.filter((r) => r.path === QUERY_PATH.punchFlow);
		// Shanghai employee_no, New York employee_id, Shanghai employee_id: three groups
		expect(queries.map((q) => [q.qs?.employee_type, q.body?.user_ids])).toEqual([
			['employee_no', ['NO0001']],
			['employee_id', [emp(2)]],
			['employee_id', [emp(3)]],
		]);
		// Item 1's range is New York's days (the punch at 09:00 Shanghai is on 2025-01-05 there)
		expect(queries[1].body?.check_time_from).toBe(
			String(Date.parse('2025-01-05T00:00:00-05:00') / 1000),
		);
		expect(queries[2].body?.check_time_from).toBe(
			String(Date.parse('2025-01-06T00:00:00+08:00') / 1000),
		);
		expect(items.map((i) => [paired(i), i.json.user_id, i.json.check_time_iso])).toEqual([
			[[0], 'NO0001', '2025-01-06T09:00:00+08:00'],
			[[1], emp(2), '2025-01-05T20:00:00-05:00'],
			[[2], emp(3), '2025-01-06T09:00:00+08:00'],
		]);
	});

	test('Punch Result Get Many: shift times shown in each item’s zone; same ID type and zone share a call', async () => {
		sent.length = 0;
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: getManyParameters('punchResult'),
			items: [
				{ ...good(1), to: '2025-01-06' },
				{ ...good(2), to: '2025-01-06', tz: 'Europe/Berlin' },
				{ ...good(3), to: '2025-01-06' },
			],
		});
		expect(error).toBeUndefined();
		const queries = sent.filter((r) => r.path === QUERY_PATH.punchResult);
		expect(queries.map((q) => q.body?.user_ids)).toEqual([[emp(1), emp(3)], [emp(2)]]);
		const zoneOf = (employee: string) =>
			items
				.filter((i) => i.json.employee_id === employee)
				.map((i) => String(i.json.check_in_shift_time_iso).slice(-6));
		expect(zoneOf(emp(1))).toEqual(['+08:00']);
		expect(zoneOf(emp(2))).toEqual(['+01:00']);
		expect(zoneOf(emp(3))).toEqual(['+08:00']);
	});
});

// ------------------------------------------------------------------- a Base URL that is not Feishu

/**
 * A proxy in front of the emulator: token exchange goes through, attendance paths answer `answer` with 200
 * (as a login page of a corporate proxy, or a wrong custom Base URL, would).
 */
async function startProxy(answer: { contentType: string; body: string }) {
	const target = new URL(emu.url);
	let attendanceCalls = 0;
	const server = createServer((req, res) => {
		if (req.url?.startsWith('/open-apis/attendance/')) {
			attendanceCalls++;
			req.resume();
			res.writeHead(200, { 'content-type': answer.contentType });
			res.end(answer.body);
			return;
		}
		const upstream = httpRequest(
			{
				host: target.hostname,
				port: target.port,
				path: req.url,
				method: req.method,
				headers: req.headers,
			},
			(up) => {
				res.writeHead(up.statusCode ?? 502, up.headers);
				up.pipe(res);
			},
		);
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		calls: () => attendanceCalls,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('a Base URL that answers something other than Feishu with status 200', () => {
	const LOGIN_PAGE = `<!DOCTYPE html>\n<html><head><title>Corporate proxy login</title></head><body>${'x'.repeat(500)}</body></html>`;

	test.each([
		[
			'an HTML page',
			{ contentType: 'text/html; charset=utf-8', body: LOGIN_PAGE },
			/^The server answered HTTP 200 \(text\/html\) with something that is not a Feishu API answer: "<!DOCTYPE html> <html><head><title>Corporate proxy login/,
		],
		[
			'JSON without a code',
			{ contentType: 'application/json', body: '{"items":[]}' },
			/^The server answered HTTP 200 \(application\/json\) with something that is not a Feishu API answer: "\{"items":\[\]\}"$/,
		],
		[
			'an empty body',
			{ contentType: 'text/plain', body: '' },
			/^The server answered HTTP 200 \(text\/plain\) with something that is not a Feishu API answer: an empty body$/,
		],
	])(
		'%s: Get Many fails with what came back and a Base URL hint (not an empty success)',
		async (_name, answer, says) => {
			const proxy = await startProxy(answer);
			try {
				const { items, error, runData } = await runNode({
					emulatorUrl: emu.url,
					credentials: { baseUrl: proxy.url },
					parameters: getManyParameters('punchFlow'),
					items: [good(1)],
				});
				expect(items).toHaveLength(0);
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error?.message).toMatch(says);
				expect(error!.message.length).toBeLessThan(200);
				expect((error as NodeApiError).description).toMatch(/Check the credential's Base URL/);
				expect((error as NodeApiError).context.itemIndex).toBe(0);
				expect(proxy.calls()).toBe(1); // not retried: the same page would come back
				expect(findSecrets([error, runData], ['emulator-secret', ...emu.tokens().issued])).toEqual(
					[],
				);

				const tolerant = await runNode({
					emulatorUrl: emu.url,
					credentials: { baseUrl: proxy.url },
					parameters: getManyParameters('punchFlow'),
					items: [good(1), good(2)],
					continueOnFail: true,
				});
				expect(tolerant.error).toBeUndefined();
				expect(tolerant.items.map((i) => paired(i))).toEqual([[0], [1]]);
				for (const item of tolerant.items) expect(item.json.error).toMatch(says);
			} finally {
				await proxy.close();
			}
		},
	);
});

// ------------------------------------------------------- a Base URL that redirects to another host

describe('a Base URL that redirects to another host: no token and no App Secret leave the configured host', () => {
	/** A host that records what reaches it (Authorization headers and bodies). */
	async function startThief() {
		const seen: Array<{ url?: string; authorization?: string; body: string }> = [];
		const server = createServer((req, res) => {
			let body = '';
			req.on('data', (c: Buffer) => (body += c.toString()));
			req.on('end', () => {
				seen.push({ url: req.url, authorization: req.headers.authorization, body });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{"code":0,"msg":"ok","data":{},"tenant_access_token":"t-stolen","expire":7200}');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return {
			url: `http://127.0.0.1:${port}`,
			seen,
			close: async () => await new Promise<void>((r) => server.close(() => r())),
		};
	}

	/** In front of the emulator: `redirect` paths answer 307 to the thief, the others go through. */
	async function startRedirector(thief: string, redirect: (path: string) => boolean) {
		const target = new URL(emu.url);
		const server = createServer((req, res) => {
			if (redirect(req.url ?? '')) {
				req.resume();
				res.writeHead(307, { location: `${thief}${req.url}` });
				res.end();
				return;
			}
			const upstream = httpRequest(
				{
					host: target.hostname,
					port: target.port,
					path: req.url,
					method: req.method,
					headers: req.headers,
				},
				(up) => {
					res.writeHead(up.statusCode ?? 502, up.headers);
					up.pipe(res);
				},
			);
			req.pipe(upstream);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return {
			url: `http://127.0.0.1:${port}`,
			close: async () => await new Promise<void>((r) => server.close(() => r())),
		};
	}

	test.each([
		['the attendance calls', (path: string) => path.startsWith('/open-apis/attendance/')],
		['every call, the token exchange included', () => true],
	])(
		'%s answered 307: the run fails and the other host sees no token and no secret',
		async (_name, redirect) => {
			const thief = await startThief();
			const redirector = await startRedirector(thief.url, redirect);
			try {
				const { items, error, runData } = await runNode({
					emulatorUrl: emu.url,
					credentials: { baseUrl: redirector.url },
					parameters: getManyParameters('punchFlow'),
					items: [good(1)],
				});
				expect(items).toHaveLength(0);
				expect(error).toBeDefined();
				expect(thief.seen).toEqual([]);
				expect(findSecrets([error, runData], ['emulator-secret', ...emu.tokens().issued])).toEqual(
					[],
				);
			} finally {
				await redirector.close();
				await thief.close();
			}
		},
	);
});
