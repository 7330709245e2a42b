/**
 * Punch Flow → Import, run through n8n-core's WorkflowExecute against the Feishu emulator over real HTTP.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	evaluatedPerItem,
	fieldReference,
	itemParameter,
} from '../../nodes/FeishuAttendance/helpers/parameters';
import { fieldsEvaluatedPerItem } from '../../nodes/FeishuAttendance/actions/punchFlow/flowInput';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import { runNode } from '../harness';

const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';
const FLOW_QUERY = 'POST /open-apis/attendance/v1/user_flows/query';
const BASELINE: EmulatorOptions = {
	rateLimitPerSecond: 50,
	duplicateMode: 'reject-record',
	latencyMs: 0,
};

/** 2026-11-20 08:00:00 +08:00 */
const BASE_SECONDS = Date.UTC(2026, 10, 20, 0, 0, 0) / 1000;

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator(BASELINE);
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.configure(BASELINE);
});

/** `n` punches of distinct (employee, time): employees emp0001..emp0200, one minute apart. */
function punches(n: number, offset = 0): Array<{ emp: string; time: string; seconds: string }> {
	return Array.from({ length: n }, (_, i) => {
		const k = i + offset;
		const seconds = BASE_SECONDS + k * 60;
		const emp = `emp${String((k % 200) + 1).padStart(4, '0')}`;
		return { emp, time: new Date(seconds * 1000).toISOString(), seconds: String(seconds) };
	});
}

const importParameters = (extra: IDataObject = {}) => ({
	resource: 'punchFlow',
	operation: 'import',
	employeeId: '={{ $json.emp }}',
	checkTime: '={{ $json.time }}',
	...extra,
});

const calls = (endpoint: string) => emu.counters().requests[endpoint] ?? 0;
const statuses = (items: INodeExecutionData[]) => items.map((i) => i.json.status);
const pairedIndex = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

describe('batching and pairing', () => {
	test.each([0, 1, 49, 50, 51, 1000])(
		'%i items → ceil(n/50) batch_create calls, every item paired and stored',
		async (n) => {
			const input = punches(n);
			const { items, error } = await runNode({
				emulatorUrl: emu.url,
				parameters: importParameters(),
				items: input,
			});

			expect(error).toBeUndefined();
			expect(calls(BATCH_CREATE)).toBe(Math.ceil(n / 50));
			expect(calls(FLOW_QUERY)).toBe(0);
			expect(items).toHaveLength(n);
			items.forEach((item, i) => {
				expect(pairedIndex(item)).toBe(i);
				expect(item.json).toMatchObject({
					status: 'imported',
					user_id: input[i].emp,
					check_time: input[i].seconds,
				});
			});
			const stored = emu.flows();
			expect(stored).toHaveLength(n);
			// each output names the record Feishu stored for exactly that input
			const byId = new Map(stored.map((f) => [f.record_id, f]));
			for (const [i, item] of items.entries()) {
				const flow = byId.get(item.json.record_id as string);
				expect(flow).toMatchObject({
					user_id: input[i].emp,
					check_time: input[i].seconds,
					idempotent_id: item.json.idempotency_key,
				});
			}
		},
	);

	test('a lower Batch Size under Options → Advanced gives more, smaller calls', async () => {
		const { items } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters({ options: { advanced: { batchSize: 7 } } }),
			items: punches(30),
		});
		expect(calls(BATCH_CREATE)).toBe(5);
		expect(statuses(items)).toEqual(Array(30).fill('imported'));
	});
});

describe('validation before sending', () => {
	const mixed = () => [
		{ emp: 'emp0001', time: '2026-11-20 08:55:00' },
		{ emp: 'emp0002', time: 'next tuesday' },
		{ emp: 'emp0003', time: '2026-11-20T09:00:00+08:00' },
		{ emp: '', time: '2026-11-20 09:05:00' },
		{ emp: 'emp0005', time: '2021-12-31 23:59:59' },
		{ emp: 'emp0006', time: 1795136400 },
	];

	test('without Continue On Fail a bad item before the first full batch stops the node and nothing is sent', async () => {
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: mixed(),
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toMatch(/Check Time/);
		expect(error!.message).toMatch(/\[item 1\]/);
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
		expect(items).toHaveLength(0);
		expect(calls(BATCH_CREATE)).toBe(0);
		expect(emu.flows()).toHaveLength(0);
	});

	test('with Continue On Fail bad items become error items at their index and the rest is imported', async () => {
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: mixed(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map(pairedIndex)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(statuses(items)).toEqual([
			'imported',
			'failed',
			'imported',
			'failed',
			'failed',
			'imported',
		]);
		expect(items[1].json.error).toMatch(/Check Time "next tuesday"/);
		expect(items[3].json.error).toMatch(/Employee ID is empty/);
		expect(items[4].json.error).toMatch(/before 2022-01-01/);
		expect(calls(BATCH_CREATE)).toBe(1);
		expect(
			emu
				.flows()
				.map((f) => f.user_id)
				.sort(),
		).toEqual(['emp0001', 'emp0003', 'emp0006']);
		// times without an offset are read in the workflow timezone (Asia/Shanghai)
		expect(items[0].json).toMatchObject({
			check_time: String(Date.UTC(2026, 10, 20, 0, 55) / 1000),
			check_time_iso: '2026-11-20T08:55:00+08:00',
		});
	});

	test('the Timezone option, else the workflow timezone, reads times without an offset', async () => {
		const input = [{ emp: 'emp0001', time: '2026-07-01 09:00:00' }];
		const berlin = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters({ options: { timezone: 'Europe/Berlin' } }),
			items: input,
		});
		expect(berlin.items[0].json).toMatchObject({
			check_time: String(Date.UTC(2026, 6, 1, 7, 0) / 1000),
			check_time_iso: '2026-07-01T09:00:00+02:00',
		});
		const newYork = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: input,
			timezone: 'America/New_York',
		});
		expect(newYork.items[0].json.check_time).toBe(String(Date.UTC(2026, 6, 1, 13, 0) / 1000));
	});
});

describe('sending while preparing', () => {
	const withBadItem = (n: number, at: number) => {
		const input: IDataObject[] = punches(n);
		input[at] = { ...input[at], time: 'next tuesday' };
		return input;
	};

	test('a bad item at 120 of 200 stops the node after 2 full batches; the message says 100 were imported and a re-run is safe', async () => {
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: withBadItem(200, 120),
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).context.itemIndex).toBe(120);
		expect(error!.message).toMatch(/^Check Time "next tuesday"/);
		expect(error!.message).toMatch(
			/\. 100 punch records of earlier items were already imported; .*re-running is safe.* \[item 120\]$/,
		);
		expect(items).toHaveLength(0);
		expect(calls(BATCH_CREATE)).toBe(2);
		expect(emu.flows()).toHaveLength(100);

		// fixed and run again: the first 100 come back as duplicate, the rest is imported, nothing is stored twice
		const rerun = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: punches(200),
		});
		expect(rerun.error).toBeUndefined();
		expect(statuses(rerun.items)).toEqual([
			...Array(100).fill('duplicate'),
			...Array(100).fill('imported'),
		]);
		expect(rerun.items.map(pairedIndex)).toEqual(Array.from({ length: 200 }, (_, i) => i));
		expect(emu.flows()).toHaveLength(200);
		expect(new Set(emu.flows().map((f) => f.idempotent_id)).size).toBe(200);
	});

	test('records rejected in the batches sent before the stop are counted apart', async () => {
		const input = withBadItem(60, 55);
		input[3] = { ...input[3], emp: 'emp9999' };
		const { error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: input,
		});
		expect(error!.message).toMatch(
			/\. 49 punch records of earlier items were already imported \(1 failed\); fix this item/,
		);
		expect(emu.flows()).toHaveLength(49);
	});

	test('with Continue On Fail the same run imports all good items and fails the bad one alone', async () => {
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: withBadItem(200, 120),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map(pairedIndex)).toEqual(Array.from({ length: 200 }, (_, i) => i));
		expect(items[120].json).toEqual({
			outcome: 'not done',
			status: 'failed',
			error: expect.stringMatching(/^Check Time "next tuesday".*\[item 120\]$/),
			errorReason: 'invalid_input',
		});
		expect(statuses(items).filter((s) => s === 'imported')).toHaveLength(199);
		expect(emu.flows()).toHaveLength(199);
	});

	test('without Continue On Fail a batch refused as a whole stops the sending of further batches', async () => {
		emu.injectFault({
			endpoint: 'batch_create',
			kind: 'code',
			code: 1220001,
			msg: 'param is invalid',
			httpStatus: 400,
		});
		const { error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: punches(2000),
		});
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toMatch(/1220001/);
		// 40 batches were prepared at most; the node stopped sending once the refusal came back
		expect(calls(BATCH_CREATE)).toBeLessThan(40);
		expect(emu.flows().length).toBeLessThan(1950);
	});
});

describe('records Feishu rejects', () => {
	test('On Error "Continue (using error output)": records Feishu rejected leave through the error output, imported and duplicate through the main one', async () => {
		const input = [
			{ emp: 'emp0001', time: '2026-11-20 08:55:00' },
			{ emp: 'emp9999', time: '2026-11-20 08:56:00', row: 'unknown' },
			{ emp: 'emp0002', time: '2026-11-20 08:57:00' },
			{ emp: 'emp0003', time: 'next tuesday', row: 'bad time' },
		];
		await runNode({ emulatorUrl: emu.url, parameters: importParameters(), items: [input[0]] });
		const { items, errorItems, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: input,
			onError: 'continueErrorOutput',
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.outcome, i.json.status, i.pairedItem])).toEqual([
			['already done', 'duplicate', { item: 0 }],
			['done', 'imported', { item: 2 }],
		]);
		// n8n's error shape: the input item's fields, error (naming the item) and message (what to do)
		expect(
			errorItems.map((i) => [i.pairedItem, i.json.row, Object.keys(i.json).includes('error')]),
		).toEqual([
			[{ item: 1 }, 'unknown', true],
			[{ item: 3 }, 'bad time', true],
		]);
		expect(String(errorItems[0].json.error)).toBe(
			"Feishu does not know the employee emp9999, or the app's data permission does not cover them [item 1]",
		);
		expect(String(errorItems[1].json.error)).toMatch(/^Check Time "next tuesday".*\[item 3\]$/);
	});

	test('unknown or unauthorized employees are failed with the reason, the others imported', async () => {
		const input = [
			{ emp: 'emp0001', time: '2026-11-20 08:55:00' },
			{ emp: 'emp9999', time: '2026-11-20 08:56:00' },
			{ emp: 'emp0002', time: '2026-11-20 08:57:00' },
			{ emp: 'emp_unauth_1', time: '2026-11-20 08:58:00' },
			{ emp: 'emp0003', time: '2026-11-20 08:59:00', creator: 'emp8888' },
		];
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters({ creatorId: '={{ $json.creator }}' }),
			items: input,
		});
		expect(error).toBeUndefined();
		expect(calls(BATCH_CREATE)).toBe(1);
		expect(statuses(items)).toEqual(['imported', 'failed', 'imported', 'failed', 'failed']);
		// the reason an HR admin can act on comes first; what Feishu answered follows in errorDetails
		expect(items[1].json.error).toBe(
			"Feishu does not know the employee emp9999, or the app's data permission does not cover them [item 1]",
		);
		expect(items[1].json).toMatchObject({ outcome: 'not done', errorReason: 'unknown_employee' });
		expect(items[1].json.errorDetails).toMatch(
			/^Feishu rejected this record \(user emp9999, creator emp9999 listed as failed\)\. Looking the employee up: Feishu code 1220004/,
		);
		expect(items[3].json.error).toBe(
			"Feishu does not know the employee emp_unauth_1, or the app's data permission does not cover them [item 3]",
		);
		expect(items[3].json.errorDetails).toMatch(/Feishu code 1220005/);
		expect(items[4].json.error).toMatch(
			/^Feishu refused the punch of emp0003 created by emp8888: check that the creator exists/,
		);
		expect(items[4].json.errorDetails).toBe(
			'Feishu rejected this record (user emp0003, creator emp8888 listed as failed)',
		);
		for (const item of items.filter((i) => i.json.status === 'failed')) {
			// outcome, status and the reason first, no empty columns
			expect(Object.keys(item.json).slice(0, 5)).toEqual([
				'outcome',
				'status',
				'error',
				'errorReason',
				'errorDetails',
			]);
			expect(Object.values(item.json)).not.toContain(undefined);
			expect(item.json).not.toHaveProperty('record_id');
		}
		expect(
			emu
				.flows()
				.map((f) => f.user_id)
				.sort(),
		).toEqual(['emp0001', 'emp0002']);
	});

	test('a whole-call error fails only its batch with Continue On Fail, and stops the node without it', async () => {
		const input = punches(120);
		emu.injectFault({
			endpoint: 'batch_create',
			kind: 'code',
			code: 1220001,
			msg: 'param is invalid',
			httpStatus: 400,
		});
		const tolerant = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: input,
			continueOnFail: true,
		});
		expect(tolerant.error).toBeUndefined();
		const failed = tolerant.items.filter((i) => i.json.status === 'failed');
		expect(failed).toHaveLength(50);
		expect(failed.map(pairedIndex)).toEqual(Array.from({ length: 50 }, (_, i) => i)); // the first batch
		expect(failed[0].json.error).toMatch(/1220001/);
		expect(Object.keys(failed[0].json).slice(0, 4)).toEqual([
			'outcome',
			'status',
			'error',
			'errorReason',
		]);
		expect(failed[0].json.errorReason).toBe('request_failed');
		expect(tolerant.items.filter((i) => i.json.status === 'imported')).toHaveLength(70);
		expect(emu.flows()).toHaveLength(70);

		emu.reset();
		emu.injectFault({
			endpoint: 'batch_create',
			kind: 'code',
			code: 1220001,
			msg: 'param is invalid',
			httpStatus: 400,
		});
		const strict = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: input,
		});
		expect(strict.error).toBeInstanceOf(NodeApiError);
		expect(strict.error!.message).toMatch(/1220001/);
		expect((strict.error as NodeApiError).context.itemIndex).toBe(0);
	});
});

describe('safe re-runs', () => {
	test.each(['reject-record', 'reject-call', 'echo'] as const)(
		'duplicateMode %s: re-running creates nothing new; new records in the same run are imported',
		async (duplicateMode) => {
			emu.configure({ duplicateMode });
			const first = await runNode({
				emulatorUrl: emu.url,
				parameters: importParameters(),
				items: punches(120),
			});
			expect(statuses(first.items)).toEqual(Array(120).fill('imported'));
			const firstIds = first.items.map((i) => i.json.record_id);

			// the same 120 again plus 30 new ones
			const again = await runNode({
				emulatorUrl: emu.url,
				parameters: importParameters(),
				items: punches(150),
			});
			expect(again.error).toBeUndefined();
			expect(emu.flows()).toHaveLength(150);
			expect(again.items.map(pairedIndex)).toEqual(Array.from({ length: 150 }, (_, i) => i));
			// the old ones point at the records of the first run, the new ones were imported
			expect(again.items.slice(0, 120).map((i) => i.json.record_id)).toEqual(firstIds);
			expect(statuses(again.items.slice(120))).toEqual(Array(30).fill('imported'));
			const expected = duplicateMode === 'echo' ? 'imported' : 'duplicate'; // echo: see the next test
			expect(statuses(again.items.slice(0, 120))).toEqual(Array(120).fill(expected));
			if (duplicateMode !== 'echo') expect(calls(FLOW_QUERY)).toBe(3); // one look-up per affected batch
		},
	);

	test('echo mode: Look Up Existing Records First reports the stored records as duplicate', async () => {
		emu.configure({ duplicateMode: 'echo' });
		await runNode({ emulatorUrl: emu.url, parameters: importParameters(), items: punches(60) });
		const again = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters({ options: { lookUpFirst: true } }),
			items: punches(70),
		});
		expect(statuses(again.items)).toEqual([
			...Array(60).fill('duplicate'),
			...Array(10).fill('imported'),
		]);
		expect(emu.flows()).toHaveLength(70);
	});

	test('the same record twice in one run is sent once; the second is a duplicate of the first', async () => {
		const input = [
			{ emp: 'emp0001', time: '2026-11-20 08:55:00' },
			{ emp: 'emp0002', time: '2026-11-20 08:55:00' },
			{ emp: 'emp0001', time: '2026-11-20T00:55:00Z' },
		];
		const { items } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters(),
			items: input,
		});
		expect(statuses(items)).toEqual(['imported', 'imported', 'duplicate']);
		expect(items[2].json).toMatchObject({
			duplicate_of_item: 0,
			record_id: items[0].json.record_id,
		});
		expect(emu.flows()).toHaveLength(2);
	});

	test.each(['reject-record', 'reject-call', 'echo'] as const)(
		'duplicateMode %s: an answer lost after Feishu stored the batch creates no duplicate',
		async (duplicateMode) => {
			emu.configure({ duplicateMode });
			emu.injectFault({ endpoint: 'batch_create', kind: 'dropAfter', times: 1 });
			const input = punches(80);
			const { items, error } = await runNode({
				emulatorUrl: emu.url,
				parameters: importParameters(),
				items: input,
			});
			expect(error).toBeUndefined();
			expect(emu.counters().dropped).toBe(1);
			expect(calls(BATCH_CREATE)).toBeGreaterThanOrEqual(3);
			const stored = emu.flows();
			expect(stored).toHaveLength(80);
			expect(new Set(stored.map((f) => f.idempotent_id)).size).toBe(80);
			for (const [i, item] of items.entries()) {
				// this run's first send stored them: imported (with the record ID the resend found), not duplicate
				expect(item.json.status).toBe('imported');
				expect(stored.find((f) => f.record_id === item.json.record_id)).toMatchObject({
					user_id: input[i].emp,
				});
			}
		},
	);

	test('a user-set Idempotency Key is sent as is', async () => {
		const { items } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters({
				additionalFields: {
					idempotencyKey: '=machine-{{ $json.id }}',
					externalId: '={{ $json.id }}',
				},
			}),
			items: [{ emp: 'emp0001', time: '2026-11-20 08:55:00', id: 'A17' }],
		});
		expect(items[0].json).toMatchObject({
			status: 'imported',
			idempotency_key: 'machine-A17',
			external_id: 'A17',
		});
		expect(emu.flows()[0]).toMatchObject({ idempotent_id: 'machine-A17', external_id: 'A17' });
	});
});

describe('input mode: item JSON as flow_record', () => {
	test('records read from one tenant import into another; read-only fields are dropped', async () => {
		const seeded = emu.seedFlows([
			{
				user_id: 'emp0001',
				check_time: String(BASE_SECONDS),
				location_name: 'Gate 1',
				comment: 'in',
				external_id: 'm-1',
				is_wifi: true,
				ssid: 'office',
			},
			{
				user_id: 'emp0002',
				check_time: String(BASE_SECONDS + 60),
				location_name: 'Gate 2',
				comment: 'out',
			},
		]);
		const read = await runNode({
			emulatorUrl: emu.url,
			parameters: {
				resource: 'punchFlow',
				operation: 'getMany',
				employeeIds: '={{ $json.emp }}',
				from: '2026-11-20',
				to: '2026-11-20',
				returnAll: true,
			},
			items: [{ emp: 'emp0001' }, { emp: 'emp0002' }],
		});
		expect(read.items).toHaveLength(2);

		emu.reset(); // the "other tenant"
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: { resource: 'punchFlow', operation: 'import', inputMode: 'json' },
			items: read.items.map((i) => i.json),
		});
		expect(error).toBeUndefined();
		expect(statuses(items)).toEqual(['imported', 'imported']);
		const stored = emu.flows().sort((a, b) => a.user_id.localeCompare(b.user_id));
		expect(stored).toHaveLength(2);
		expect(stored[0]).toMatchObject({
			user_id: 'emp0001',
			location_name: 'Gate 1',
			comment: 'in',
			external_id: 'm-1',
			is_wifi: true,
			ssid: 'office',
		});
		expect(stored[1]).toMatchObject({
			user_id: 'emp0002',
			check_time: String(BASE_SECONDS + 60),
			location_name: 'Gate 2',
		});
		expect(stored.map((f) => f.record_id)).not.toContain(seeded[0].record_id);
	});

	test('an item without user_id is refused before sending', async () => {
		const { error } = await runNode({
			emulatorUrl: emu.url,
			parameters: { resource: 'punchFlow', operation: 'import', inputMode: 'json' },
			items: [
				{ user_id: 'emp0001', check_time: String(BASE_SECONDS) },
				{ check_time: String(BASE_SECONDS) },
			],
		});
		expect(error?.message).toMatch(/user_id.*\[item 1\]/);
		expect(calls(BATCH_CREATE)).toBe(0);
	});
});

describe('Map Each Field: a field dragged from the input panel is read from the item', () => {
	// What dragging writes ({{ $json.x }}, {{ $json['a b'] }}, nested, list index) is read from the item without
	// n8n's expression engine; the same expression in parentheses goes through the engine. Both must give the
	// same outputs, errors and stored records, whatever the field holds.
	const dragged = {
		employeeId: "={{ $json['Employee No'] }}",
		checkTime: '={{ $json.punch.time }}',
		locationName: '={{ $json.sites[0] }}',
		comment: '={{ $json["Note"] }}',
	};
	const viaEngine = Object.fromEntries(
		Object.entries(dragged).map(([k, v]) => [k, v.replace(/^=\{\{ (.*) \}\}$/, '={{ ($1) }}')]),
	);
	const rows: IDataObject[] = [
		{
			'Employee No': 'emp0001',
			punch: { time: '2026-11-20 08:00:00' },
			sites: ['Gate 1'],
			Note: 'machine A',
		},
		{ 'Employee No': 'emp0002', punch: { time: BASE_SECONDS + 60 }, sites: ['Gate 2'], Note: 7 },
		{ 'Employee No': 'emp0003', punch: { time: null }, sites: ['Gate 1'], Note: 'x' },
		{ 'Employee No': 'emp0004', punch: {}, sites: [], Note: 'x' },
		{
			'Employee No': { id: 'emp0005' },
			punch: { time: '2026-11-20 08:05:00' },
			sites: ['Gate 1'],
			Note: 'x',
		},
		{ 'Employee No': '   ', punch: { time: '2026-11-20 08:06:00' }, sites: ['Gate 1'], Note: 'x' },
		{ 'Employee No': true, punch: { time: '2026-11-20 08:07:00' }, sites: ['Gate 1'], Note: 'x' },
		{ 'Employee No': 'emp0008', punch: { time: 'not a date' }, sites: ['Gate 1'], Note: 'x' },
		{
			'Employee No': 'emp0009',
			punch: { time: '2026-11-20 08:09:00' },
			sites: [null],
			Note: false,
		},
		{ 'Employee No': 'emp0010', punch: 'no object', sites: ['Gate 1'], Note: '' },
		{ employee: 'emp0011', punch: { time: '2026-11-20 08:11:00' }, sites: ['Gate 1'], Note: 'x' },
		{ 'Employee No': 1012, punch: { time: '2026-11-20 08:12:00' }, sites: ['Gate 1'], Note: 'x' },
	];

	async function importWith(mapping: IDataObject) {
		emu.reset();
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: importParameters({ ...mapping, options: { timezone: 'Asia/Shanghai' } }),
			items: rows,
			continueOnFail: true,
		});
		const stored = emu.flows().map(({ record_id: _id, created_at: _at, ...flow }) => flow);
		return {
			error,
			stored,
			outputs: items.map((i): IDataObject => ({
				...i.json,
				record_id: i.json.record_id ? 'set' : undefined,
			})),
		};
	}

	test('the same outputs, errors and stored records as n8n evaluating the expression', async () => {
		const direct = await importWith(dragged);
		const engine = await importWith(viaEngine);
		expect(direct.error).toBeUndefined();
		expect(direct.outputs).toEqual(engine.outputs);
		expect(direct.stored).toEqual(engine.stored);
		// the rows a user would see: good rows imported, each bad one failed with its own reason
		expect(direct.outputs.map((o) => o.status)).toEqual(engine.outputs.map((o) => o.status));
		expect(direct.outputs.map((o) => o.status)).toEqual([
			'imported',
			'imported',
			...Array(rows.length - 2).fill('failed'),
		]);
		expect(direct.outputs[0]).toMatchObject({
			user_id: 'emp0001',
			check_time: String(BASE_SECONDS),
		});
		expect(direct.stored).toEqual([
			expect.objectContaining({
				user_id: 'emp0001',
				location_name: 'Gate 1',
				comment: 'machine A',
			}),
			expect.objectContaining({
				user_id: 'emp0002',
				check_time: String(BASE_SECONDS + 60),
				location_name: 'Gate 2',
				comment: '7',
			}),
		]);
		expect(direct.outputs.slice(2).map((o) => o.error)).toEqual([
			'Check Time is empty [item 2]',
			'Check Time is empty [item 3]',
			'Employee ID must be text, got an object [item 4]',
			'Employee ID is empty, got only spaces [item 5]',
			'Employee ID must be text, got a yes/no value (true) [item 6]',
			expect.stringMatching(/^Check Time "not a date" is not a date-time/),
			'Location Name must be text, got null [item 8]',
			'Check Time is empty [item 9]',
			'Employee ID must be text, got nothing [item 10]',
			expect.stringContaining('1012'), // a staff number given as a number is sent as text; the emulator does not know it
		]);
	});
});

describe('itemParameter: which values n8n is asked for', () => {
	test.each([
		['={{ $json.emp }}', ['emp']],
		['={{$json.emp}}', ['emp']],
		["={{ $json['Employee No'] }}", ['Employee No']],
		['={{ $json["a b"].c[0] }}', ['a b', 'c', '0']],
		['={{ $json.emp + 1 }}', undefined],
		['={{ ($json.emp) }}', undefined],
		['={{ $json }}', undefined],
		['={{ $json.emp }} x', undefined],
		['=x{{ $json.emp }}', undefined],
		['{{ $json.emp }}', undefined],
		["={{ $json['it\\'s'] }}", undefined],
	])('%s → %j', (raw, path) => {
		expect(fieldReference(raw)).toEqual(path);
	});

	/** A context whose parameters are `parameters`; getNodeParameter answers 'n8n' and counts its calls. */
	const context = (parameters: IDataObject) => {
		const asked: number[] = [];
		const ctx = {
			getNode: () => ({ parameters }),
			getNodeParameter: (_name: string, itemIndex: number) => (asked.push(itemIndex), 'n8n'),
		} as unknown as Parameters<typeof itemParameter>[0];
		return { ctx, asked };
	};
	const items = [
		{ json: { emp: 'a', obj: {} } },
		{ json: { emp: 2, obj: null } },
		{ json: {} },
	] as INodeExecutionData[];

	test('a dragged field holding text or a number is read from the item; anything else is asked of n8n', () => {
		const { ctx, asked } = context({ employeeId: '={{ $json.emp }}' });
		const read = itemParameter(ctx, items, 'employeeId', '');
		expect([0, 1, 2].map(read)).toEqual(['a', 2, 'n8n']);
		expect(asked).toEqual([2]);
	});

	test('a field holding an object or null is asked of n8n', () => {
		const { ctx, asked } = context({ employeeId: '={{ $json.obj }}' });
		expect([0, 1].map(itemParameter(ctx, items, 'employeeId', ''))).toEqual(['n8n', 'n8n']);
		expect(asked).toEqual([0, 1]);
	});

	test('a fixed value is asked once, another expression for every item', () => {
		const fixed = context({ comment: 'From the gate' });
		expect([0, 1, 2].map(itemParameter(fixed.ctx, items, 'comment', ''))).toEqual([
			'n8n',
			'n8n',
			'n8n',
		]);
		expect(fixed.asked).toEqual([0]);
		const computed = context({ comment: '={{ $json.emp + "!" }}' });
		[0, 1, 2].map(itemParameter(computed.ctx, items, 'comment', ''));
		expect(computed.asked).toEqual([0, 1, 2]);
	});

	// Map Each Field reads every item up front only when n8n evaluates an expression for each of them; dragged
	// fields are read a second of calls ahead, like Map Columns by Name (import.operation.ts, readAhead).
	test('what n8n evaluates for every item: expressions that compute, and any expression inside a collection', () => {
		const { ctx } = context({
			employeeId: '={{ $json.emp }}',
			checkTime: '={{ Number($json.time) }}',
			comment: 'From the gate',
			additionalFields: { ssid: '={{ $json.ssid }}' },
		});
		expect(evaluatedPerItem(ctx, 'employeeId')).toBe(false);
		expect(evaluatedPerItem(ctx, 'checkTime')).toBe(true);
		expect(evaluatedPerItem(ctx, 'comment')).toBe(false);
		expect(evaluatedPerItem(ctx, 'additionalFields')).toBe(true);
		expect(evaluatedPerItem(ctx, 'creatorId')).toBe(false);
		const dragged = context({
			employeeId: '={{ $json.emp }}',
			checkTime: "={{ $json['Check Time'] }}",
			locationName: '={{ $json.site }}',
			additionalFields: {},
		});
		expect(fieldsEvaluatedPerItem(dragged.ctx)).toBe(false);
		expect(fieldsEvaluatedPerItem(ctx)).toBe(true);
	});
});
