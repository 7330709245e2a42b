/**
 * Issue 9 in the write operations (Punch Flow → Import, Approval → Create), through n8n's engine against the
 * emulator: every value read for its own item and checked for what it is before anything is sent.
 * Each bad input sits between two good items: with Continue On Fail the bad item's error names the field and
 * the item and the good items are stored; without it the node stops naming the item and nothing is sent.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';

const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';
const APPROVALS = 'POST /open-apis/attendance/v1/user_approvals';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ employees: 300, duplicateMode: 'reject-record', latencyMs: 0 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const calls = (endpoint: string) => emu.counters().requests[endpoint] ?? 0;
const pairedIndex = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const itemIndexOf = (error: unknown) =>
	(error as { context?: { itemIndex?: number } }).context?.itemIndex;

/** 2026-11-20 09:00:00 +08:00 in seconds */
const PUNCH_SECONDS = Date.UTC(2026, 10, 20, 1, 0, 0) / 1000;

// ------------------------------------------------------------------------------------------------ Import

const importParameters: INodeParameters = {
	resource: 'punchFlow',
	operation: 'import',
	employeeIdType: '={{ $json.idType ?? "employee_id" }}',
	employeeId: '={{ $json.emp }}',
	checkTime: '={{ $json.time }}',
	locationName: '={{ "loc" in $json ? $json.loc : "Gate 1" }}',
	comment: '={{ "comment" in $json ? $json.comment : "in" }}',
	creatorId: '={{ $json.creator ?? "" }}',
	additionalFields: {
		externalId: '={{ $json.ext ?? "" }}',
		idempotencyKey: '={{ $json.key ?? "" }}',
	},
	options: { timezone: '={{ $json.tz ?? "Asia/Shanghai" }}' },
};

const goodPunch = (n: number): IDataObject => ({
	emp: `emp${String(n).padStart(4, '0')}`,
	time: '2026-11-20 09:00:00',
});

interface BadCase {
	name: string;
	/** fields overriding a good item */
	item: IDataObject;
	/** the error of the bad item (before ' [item 1]' for input errors) */
	error: RegExp;
	/** 'feishu': sent, and Feishu refused it (a failed item in both modes) */
	kind?: 'input' | 'feishu';
}

const importCases: BadCase[] = [
	{
		name: 'Employee ID object',
		item: { emp: { id: 'emp0002' } },
		error: /^Employee ID must be text, got an object/,
	},
	{
		name: 'Employee ID array',
		item: { emp: ['emp0002', 'emp0003'] },
		error: /^Employee ID must be text, got a list of 2/,
	},
	{
		name: 'Employee ID boolean',
		item: { emp: true },
		error: /^Employee ID must be text, got a yes\/no value \(true\)/,
	},
	{ name: 'Employee ID null', item: { emp: null }, error: /^Employee ID must be text, got null/ },
	{
		name: 'Employee ID blank',
		item: { emp: '   ' },
		error: /^Employee ID is empty, got only spaces/,
	},
	{
		name: 'Location object',
		item: { loc: { name: 'Gate' } },
		error: /^Location Name must be text, got an object/,
	},
	{
		name: 'Location array',
		item: { loc: ['Gate'] },
		error: /^Location Name must be text, got a list of 1/,
	},
	{ name: 'Location blank', item: { loc: ' ' }, error: /^Location Name is empty/ },
	{
		name: 'Comment boolean',
		item: { comment: false },
		error: /^Comment must be text, got a yes\/no value \(false\)/,
	},
	{ name: 'Comment null', item: { comment: null }, error: /^Comment must be text, got null/ },
	{
		name: 'Creator ID object',
		item: { creator: { id: 1 } },
		error: /^Creator ID must be text, got an object/,
	},
	{
		name: 'External ID array',
		item: { ext: ['a', 'b'] },
		error: /^External ID must be text, got a list of 2/,
	},
	{
		name: 'Idempotency Key object',
		item: { key: { k: 1 } },
		error: /^Idempotency Key must be text, got an object/,
	},
	{
		name: 'Check Time year 2999',
		item: { time: '2999-01-01 09:00:00' },
		error: /^Check Time 2999-01-01T09:00:00\+08:00 is in the future/,
	},
	{
		name: 'Check Time tomorrow + 2 days',
		item: { time: Date.now() + 3 * 86400000 },
		error: /^Check Time .* is in the future/,
	},
	{
		name: 'Check Time 2021',
		item: { time: '2021-06-01 08:00:00' },
		error: /^Check Time .* is before 2022-01-01/,
	},
	{
		name: 'Check Time epoch, 11 digits',
		item: { time: 17951364000 },
		error: /^Check Time 17951364000 is not an epoch time this node can read safely \(11 digits\)/,
	},
	{
		name: 'Check Time epoch, 14 digits',
		item: { time: '17951364000000' },
		error: /^Check Time "17951364000000" is not an epoch time .*\(14 digits\)/,
	},
	{
		name: 'Check Time object',
		item: { time: { at: 1 } },
		error: /^Check Time is not a date-time \(got an object\)/,
	},
	{
		name: 'Check Time boolean',
		item: { time: true },
		error: /^Check Time "true" is not a date-time/,
	},
	{ name: 'Check Time null', item: { time: null }, error: /^Check Time is empty/ },
	{
		name: 'Employee ID Type unknown',
		item: { idType: 'user_id' },
		error:
			/^Employee ID Type "user_id" is not one of: email, employee_id, employee_no, mobile \[item 1\]$/,
	},
	{
		name: 'Timezone not a zone',
		item: { tz: 'Mars/Base' },
		error: /^The timezone "Mars\/Base" is not a valid IANA time zone/,
	},
	{
		name: 'Timezone object',
		item: { tz: { zone: 'UTC' } },
		error: /^Timezone must be the name of a time zone, got an object/,
	},
	{
		name: 'an employee Feishu does not know',
		item: { emp: 'emp9999' },
		error:
			/^Feishu does not know the employee emp9999, or the app's data permission does not cover them \[item 1\]$/,
		kind: 'feishu',
	},
	{
		name: 'a number where text belongs is sent as text (not refused before sending)',
		item: { emp: 12345 },
		error:
			/^Feishu does not know the employee 12345, or the app's data permission does not cover them \[item 1\]$/,
		kind: 'feishu',
	},
];

describe('Import: bad inputs between good items', () => {
	test.each(importCases)('$name — with Continue On Fail', async ({ item, error, kind }) => {
		const items = [goodPunch(1), { ...goodPunch(2), ...item }, goodPunch(3)];
		const run = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters,
			items,
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map(pairedIndex)).toEqual([0, 1, 2]);
		expect(run.items.map((i) => i.json.status)).toEqual(['imported', 'failed', 'imported']);
		expect(String(run.items[1].json.error)).toMatch(error);
		// every per-item message names its item, Feishu's refusals too
		expect(String(run.items[1].json.error)).toMatch(/ \[item 1\]$/);
		expect(run.items[1].json.outcome).toBe('not done');
		expect(
			emu
				.flows()
				.map((f) => f.user_id)
				.sort(),
		).toEqual(['emp0001', 'emp0003']);
	});

	test.each(importCases.filter((c) => c.kind !== 'feishu'))(
		'$name — without Continue On Fail',
		async ({ item, error }) => {
			const items = [goodPunch(1), { ...goodPunch(2), ...item }, goodPunch(3)];
			const run = await runNode({ emulatorUrl: emu.url, parameters: importParameters, items });
			expect(run.error?.message).toMatch(error);
			expect(run.error?.message).toMatch(/ \[item 1\]$/);
			expect(itemIndexOf(run.error)).toBe(1);
			expect(calls(BATCH_CREATE)).toBe(0);
			expect(emu.flows()).toHaveLength(0);
		},
	);

	test('a bad item in the middle of 61 items: the 60 good ones are imported in two calls', async () => {
		const items = Array.from({ length: 61 }, (_, i) => goodPunch(i + 1));
		items[30] = { ...items[30], emp: { broken: true } };
		const kept = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters,
			items,
			continueOnFail: true,
		});
		expect(kept.error).toBeUndefined();
		expect(kept.items.map(pairedIndex)).toEqual(items.map((_, i) => i));
		expect(kept.items.filter((i) => i.json.status === 'imported')).toHaveLength(60);
		expect(kept.items[30].json).toMatchObject({
			status: 'failed',
			error: 'Employee ID must be text, got an object [item 30]',
		});
		expect(calls(BATCH_CREATE)).toBe(2);
		expect(
			emu
				.flows()
				.map((f) => f.user_id)
				.sort(),
		).toEqual(
			items
				.filter((_, i) => i !== 30)
				.map((i) => i.emp as string)
				.sort(),
		);

		emu.reset();
		const strict = await runNode({ emulatorUrl: emu.url, parameters: importParameters, items });
		expect(strict.error?.message).toBe('Employee ID must be text, got an object [item 30]');
		expect(itemIndexOf(strict.error)).toBe(30);
		expect(calls(BATCH_CREATE)).toBe(0);
	});
});

describe('Import: epoch numbers by magnitude', () => {
	test.each<[string, number | string]>([
		['seconds', PUNCH_SECONDS],
		['seconds as text', String(PUNCH_SECONDS)],
		['milliseconds', PUNCH_SECONDS * 1000],
		['microseconds', PUNCH_SECONDS * 1e6],
		['microseconds as text', `${PUNCH_SECONDS}000000`],
		['nanoseconds as text', `${PUNCH_SECONDS}000000000`],
	])('%s: stored at the same second', async (_name, time) => {
		const run = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters,
			items: [{ emp: 'emp0001', time }],
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({
			status: 'imported',
			check_time: String(PUNCH_SECONDS),
			check_time_iso: '2026-11-20T09:00:00+08:00',
		});
		expect(emu.flows().map((f) => f.check_time)).toEqual([String(PUNCH_SECONDS)]);
	});
});

describe('Import: Employee ID Type and Timezone from expressions that differ per item', () => {
	test('each item is sent with its own ID type and read in its own zone; one batch_create per ID type', async () => {
		const items = [
			{ emp: 'emp0001', idType: 'employee_id', tz: 'Asia/Shanghai', time: '2026-11-20 09:00:00' },
			{ emp: 'NO0002', idType: 'employee_no', tz: 'Europe/Berlin', time: '2026-11-20 09:00:00' },
			{
				emp: 'emp0003',
				idType: 'employee_id',
				tz: 'America/New_York',
				time: '2026-11-20 09:00:00',
			},
			{ emp: 'NO0004', idType: 'employee_no', tz: 'Asia/Shanghai', time: '2026-11-20 09:00:00' },
		];
		const run = await runNode({ emulatorUrl: emu.url, parameters: importParameters, items });
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.status)).toEqual([
			'imported',
			'imported',
			'imported',
			'imported',
		]);
		expect(calls(BATCH_CREATE)).toBe(2);
		const expected: Record<string, string> = {
			emp0001: String(Date.UTC(2026, 10, 20, 1, 0) / 1000), // 09:00 +08:00
			emp0002: String(Date.UTC(2026, 10, 20, 8, 0) / 1000), // 09:00 +01:00
			emp0003: String(Date.UTC(2026, 10, 20, 14, 0) / 1000), // 09:00 -05:00
			emp0004: String(Date.UTC(2026, 10, 20, 1, 0) / 1000),
		};
		expect(Object.fromEntries(emu.flows().map((f) => [f.user_id, f.check_time]))).toEqual(expected);
		expect(run.items.map((i) => i.json.check_time_iso)).toEqual([
			'2026-11-20T09:00:00+08:00',
			'2026-11-20T09:00:00+01:00',
			'2026-11-20T09:00:00-05:00',
			'2026-11-20T09:00:00+08:00',
		]);
	});
});

// ------------------------------------------------------------------------------------------ Approval Create

const approvalParameters: INodeParameters = {
	resource: 'approval',
	operation: 'create',
	approvalType: 'leave',
	employeeIdType: '={{ $json.idType ?? "employee_id" }}',
	employeeId: '={{ $json.emp }}',
	start: '={{ $json.start }}',
	end: '={{ $json.end }}',
	reason: '={{ "reason" in $json ? $json.reason : "Annual leave" }}',
	typeName: '={{ "name" in $json ? $json.name : "Annual Leave" }}',
	additionalFields: { idempotencyKey: '={{ $json.key ?? "" }}' },
	options: { timezone: '={{ $json.tz ?? "Asia/Shanghai" }}' },
};

const goodLeave = (n: number): IDataObject => ({
	emp: `emp${String(n).padStart(4, '0')}`,
	start: '2026-03-02 09:00:00',
	end: '2026-03-02 18:00:00',
});

const approvalCases: BadCase[] = [
	{
		name: 'Employee ID object',
		item: { emp: { id: 'emp0102' } },
		error: /^Employee ID must be text, got an object/,
	},
	{
		name: 'Employee ID array',
		item: { emp: ['emp0102'] },
		error: /^Employee ID must be text, got a list of 1/,
	},
	{
		name: 'Employee ID boolean',
		item: { emp: false },
		error: /^Employee ID must be text, got a yes\/no value/,
	},
	{ name: 'Employee ID null', item: { emp: null }, error: /^Employee ID must be text, got null/ },
	{ name: 'Employee ID blank', item: { emp: '' }, error: /^Employee ID is empty/ },
	{
		name: 'Reason object',
		item: { reason: { text: 'x' } },
		error: /^Reason must be text, got an object/,
	},
	{
		name: 'Reason blank',
		item: { reason: '  ' },
		error: /^Reason is empty: Feishu requires a reason for a leave/,
	},
	{
		name: 'Leave Type array',
		item: { name: ['Annual'] },
		error: /^Leave Type must be text, got a list of 1/,
	},
	{ name: 'Idempotency Key boolean', item: { key: true }, error: /^Idempotency Key must be text/ },
	{
		name: 'Start year 2999',
		item: { start: '2999-03-02 09:00:00', end: '2999-03-02 18:00:00' },
		error: /^Start \(2999-03-02 09:00:00\) is more than a year after today/,
	},
	{
		name: 'Start 1999',
		item: { start: '1999-03-02 09:00:00' },
		error: /^Start \(1999-03-02 09:00:00\) is before 2000-01-01/,
	},
	{
		name: 'Start epoch, 11 digits',
		item: { start: 17725000000 },
		error: /^Start 17725000000 is not an epoch time this node can read safely/,
	},
	{
		name: 'End object',
		item: { end: { at: 1 } },
		error: /^End is not a date-time \(got an object\)/,
	},
	{
		name: 'End before Start',
		item: { end: '2026-03-02 08:00:00' },
		error: /^End \(2026-03-02 08:00:00\) must be after Start \(2026-03-02 09:00:00\)/,
	},
	{
		name: 'Employee ID Type unknown',
		item: { idType: 'union_id' },
		error:
			/^Employee ID Type "union_id" is not one of: email, employee_id, employee_no, mobile, open_id \[item 1\]$/,
	},
	{
		name: 'Timezone not a zone',
		item: { tz: 'Asia/Nowhere' },
		error: /^The timezone "Asia\/Nowhere" is not a valid IANA time zone/,
	},
];

describe('Approval Create: bad inputs between good items', () => {
	test.each(approvalCases)('$name — with Continue On Fail', async ({ item, error }) => {
		const items = [goodLeave(101), { ...goodLeave(102), ...item }, goodLeave(103)];
		const run = await runNode({
			emulatorUrl: emu.url,
			parameters: approvalParameters,
			items,
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map(pairedIndex)).toEqual([0, 1, 2]);
		expect(run.items.map((i) => i.json.status)).toEqual(['created', 'failed', 'created']);
		expect(String(run.items[1].json.error)).toMatch(error);
		expect(String(run.items[1].json.error)).toMatch(/ \[item 1\]$/);
		expect(
			emu
				.approvals()
				.map((a) => a.user_id)
				.sort(),
		).toEqual(['emp0101', 'emp0103']);
	});

	test.each(approvalCases)('$name — without Continue On Fail', async ({ item, error }) => {
		const items = [goodLeave(101), { ...goodLeave(102), ...item }, goodLeave(103)];
		const run = await runNode({ emulatorUrl: emu.url, parameters: approvalParameters, items });
		expect(run.error?.message).toMatch(error);
		expect(run.error?.message).toMatch(/ \[item 1\]$/);
		expect(itemIndexOf(run.error)).toBe(1);
		expect(calls(APPROVALS)).toBe(0);
		expect(emu.approvals()).toHaveLength(0);
	});

	test('an employee Feishu does not know: an error of that item; the others are written', async () => {
		const items = [goodLeave(101), { ...goodLeave(102), emp: 'emp9999' }, goodLeave(103)];
		const kept = await runNode({
			emulatorUrl: emu.url,
			parameters: approvalParameters,
			items,
			continueOnFail: true,
		});
		expect(kept.items.map((i) => i.json.status)).toEqual(['created', 'failed', 'created']);
		expect(String(kept.items[1].json.error)).toBe(
			'Feishu does not know the employee emp9999 (Employee ID), or the app cannot see them. Check the Employee ID and the Employee ID Type. [item 1]',
		);
		expect(String(kept.items[1].json.errorDetails)).toMatch(/^Feishu error 1220004/);
		expect(
			emu
				.approvals()
				.map((a) => a.user_id)
				.sort(),
		).toEqual(['emp0101', 'emp0103']);

		emu.reset();
		const strict = await runNode({ emulatorUrl: emu.url, parameters: approvalParameters, items });
		expect(strict.error?.message).toMatch(/^Feishu error 1220004/);
		expect(itemIndexOf(strict.error)).toBe(1);
	});

	test('epoch milliseconds and microseconds are read by magnitude', async () => {
		const startMs = Date.UTC(2026, 2, 2, 1, 0, 0); // 09:00 +08:00
		const items = [
			{ emp: 'emp0111', start: startMs, end: startMs + 9 * 3600000 },
			{ emp: 'emp0112', start: `${startMs}000`, end: `${startMs + 9 * 3600000}000` },
		];
		const run = await runNode({ emulatorUrl: emu.url, parameters: approvalParameters, items });
		expect(run.error).toBeUndefined();
		expect(emu.approvals().map((a) => [a.start_time, a.end_time])).toEqual([
			['2026-03-02 09:00:00', '2026-03-02 18:00:00'],
			['2026-03-02 09:00:00', '2026-03-02 18:00:00'],
		]);
	});

	test('Employee ID Type and Timezone from expressions that differ per item', async () => {
		const items = [
			{
				...goodLeave(121),
				idType: 'employee_id',
				tz: 'Asia/Shanghai',
				start: '2026-03-02T09:00:00+08:00',
				end: '2026-03-02T18:00:00+08:00',
			},
			{
				emp: 'NO0122',
				idType: 'employee_no',
				tz: 'Europe/Berlin',
				start: '2026-03-02T09:00:00+08:00',
				end: '2026-03-02T18:00:00+08:00',
			},
			{
				emp: 'ou_0123',
				idType: 'open_id',
				tz: 'UTC',
				start: '2026-03-02T09:00:00+08:00',
				end: '2026-03-02T18:00:00+08:00',
			},
		];
		const run = await runNode({ emulatorUrl: emu.url, parameters: approvalParameters, items });
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => [i.json.employee_id_type, i.json.time_zone])).toEqual([
			['employee_id', 'Asia/Shanghai'],
			['employee_no', 'Europe/Berlin'],
			['open_id', 'UTC'],
		]);
		// The same instant is written as the wall time of each item's zone (Feishu reads it in the group's zone).
		const stored = Object.fromEntries(emu.approvals().map((a) => [a.user_id, a.start_time]));
		expect(stored).toEqual({
			emp0121: '2026-03-02 09:00:00',
			emp0122: '2026-03-02 02:00:00',
			emp0123: '2026-03-02 01:00:00',
		});
	});
});
