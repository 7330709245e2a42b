/**
 * Punch Flow → Get and Delete, run through n8n-core's WorkflowExecute against the Feishu emulator over real HTTP.
 */
import type { INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../emulator';
import { runNode } from '../harness';

const BATCH_DEL = 'POST /open-apis/attendance/v1/user_flows/batch_del';
const GET_FLOW = 'GET /open-apis/attendance/v1/user_flows/:id';
const BASE_SECONDS = Date.UTC(2026, 10, 20, 0, 0, 0) / 1000; // 2026-11-20 08:00 +08:00

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerSecond: 50 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const paired = (item: INodeExecutionData) =>
	(Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem as IPairedItemData]).map(
		(p) => p.item,
	);

/** Imports `n` punches through the node and returns their record IDs. */
async function importPunches(n: number): Promise<string[]> {
	const { items } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'punchFlow',
			operation: 'import',
			employeeId: '={{ $json.emp }}',
			checkTime: '={{ $json.t }}',
		},
		items: Array.from({ length: n }, (_, i) => ({
			emp: `emp${String(i + 1).padStart(4, '0')}`,
			t: BASE_SECONDS + i,
		})),
	});
	expect(items.every((i) => i.json.status === 'imported')).toBe(true);
	return items.map((i) => i.json.record_id as string);
}

describe('Get', () => {
	test('each item gets its record, paired, with check_time_iso; employee_no IDs come back as employee numbers', async () => {
		const ids = await importPunches(3);
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: {
				resource: 'punchFlow',
				operation: 'get',
				employeeIdType: 'employee_no',
				recordId: '={{ $json.id }}',
			},
			items: [{ id: ids[2] }, { id: ids[0] }],
		});
		expect(error).toBeUndefined();
		expect(emu.counters().requests[GET_FLOW]).toBe(2);
		expect(items.map((i) => [i.json.record_id, i.json.user_id, paired(i)])).toEqual([
			[ids[2], 'NO0003', [0]],
			[ids[0], 'NO0001', [1]],
		]);
		expect(items[1].json.check_time_iso).toBe('2026-11-20T08:00:00+08:00');
	});

	test('an unknown record ID: error item with Continue On Fail, else the node stops at that item', async () => {
		const ids = await importPunches(1);
		const input = [{ id: ids[0] }, { id: '7000000000000000000' }];
		const parameters = { resource: 'punchFlow', operation: 'get', recordId: '={{ $json.id }}' };
		const tolerant = await runNode({
			emulatorUrl: emu.url,
			parameters,
			items: input,
			continueOnFail: true,
		});
		expect(tolerant.items.map((i) => [paired(i)[0], i.json.error === undefined])).toEqual([
			[0, true],
			[1, false],
		]);
		expect(tolerant.items[1].json.error).toMatch(/1220001/);

		const strict = await runNode({ emulatorUrl: emu.url, parameters, items: input });
		expect(strict.error).toBeInstanceOf(NodeApiError);
		expect((strict.error as NodeApiError).context.itemIndex).toBe(1);
	});
});

describe('Delete', () => {
	test('imported records are deleted; unknown IDs and records not imported through the API are reported with the reason', async () => {
		const ids = await importPunches(2);
		const [manual] = emu.seedFlows([
			{ user_id: 'emp0009', check_time: String(BASE_SECONDS), imported: false },
		]);
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: { resource: 'punchFlow', operation: 'delete', recordIds: '={{ $json.ids }}' },
			items: [{ ids: `${ids[0]}, 7000000000000000001` }, { ids: [manual.record_id, ids[1]] }],
		});
		expect(error).toBeUndefined();
		expect(emu.counters().requests[BATCH_DEL]).toBe(1);
		expect(items.map((i) => [i.json.record_id, i.json.deleted, paired(i)])).toEqual([
			[ids[0], true, [0]],
			['7000000000000000001', false, [0]],
			[manual.record_id, false, [1]],
			[ids[1], true, [1]],
		]);
		expect(items[1].json.error).toBe(
			`Feishu did not delete the punch record ${String(items[1].json.record_id)}: record not found [item 0]`,
		);
		expect(items.map((i) => [i.json.outcome, i.json.status, i.json.errorReason])).toEqual([
			['done', 'deleted', undefined],
			['not done', 'not deleted', 'refused'],
			['not done', 'not deleted', 'refused'],
			['done', 'deleted', undefined],
		]);
		expect(items[2].json.error).toMatch(/not imported through the open platform/);
		expect(emu.flows().map((f) => f.record_id)).toEqual([manual.record_id]);

		// deleting again is harmless: nothing left to delete, each ID reported
		const again = await runNode({
			emulatorUrl: emu.url,
			parameters: { resource: 'punchFlow', operation: 'delete', recordIds: '={{ $json.id }}' },
			items: [{ id: ids[0] }],
		});
		expect(again.items.map((i) => [i.json.deleted, i.json.error])).toEqual([
			[false, `Feishu did not delete the punch record ${ids[0]}: record not found [item 0]`],
		]);
	});

	test.each(['dropAfter', 'http500After'] as const)(
		'an answer lost after Feishu deleted (%s): the resend says not found, the records read back are gone, so deleted (done)',
		async (kind) => {
			const ids = await importPunches(3);
			const [manual] = emu.seedFlows([
				{ user_id: 'emp0009', check_time: String(BASE_SECONDS), imported: false },
			]);
			emu.injectFault({ endpoint: 'user_flows/batch_del', kind, times: 1 });
			const { items, error } = await runNode({
				emulatorUrl: emu.url,
				parameters: { resource: 'punchFlow', operation: 'delete', recordIds: '={{ $json.id }}' },
				items: [...ids, manual.record_id].map((id) => ({ id })),
			});
			expect(error).toBeUndefined();
			expect(emu.counters().requests[BATCH_DEL]).toBe(2);
			expect(items.map((i) => [i.json.record_id, i.json.outcome, i.json.status])).toEqual([
				...ids.map((id) => [id, 'done', 'deleted']),
				// still there (not imported through the API): Feishu's refusal stands
				[manual.record_id, 'not done', 'not deleted'],
			]);
			expect(emu.flows().map((f) => f.record_id)).toEqual([manual.record_id]);
		},
	);

	test('IDs are sent in batches of 10 (the documented maximum); a larger Batch Size is asked as 10; an ID named twice is deleted once', async () => {
		emu.configure({ maxDeleteIds: 10 }); // as strict as the documented maximum
		const ids = await importPunches(25);
		const items = [...ids.map((id) => ({ id })), { id: ids[0] }];
		const byDefault = await runNode({
			emulatorUrl: emu.url,
			parameters: { resource: 'punchFlow', operation: 'delete', recordIds: '={{ $json.id }}' },
			items,
		});
		expect(emu.counters().requests[BATCH_DEL]).toBe(3);
		expect(byDefault.items).toHaveLength(25);
		expect(byDefault.items.every((i) => i.json.deleted === true)).toBe(true);
		expect(paired(byDefault.items[0])).toEqual([0, 25]);
		expect(emu.flows()).toHaveLength(0);

		// Batch Size 50 (allowed before; still in old workflows): Feishu would refuse 11+ IDs, so 10 per call.
		emu.reset();
		emu.configure({ maxDeleteIds: 10 });
		const more = await importPunches(25);
		const large = await runNode({
			emulatorUrl: emu.url,
			parameters: {
				resource: 'punchFlow',
				operation: 'delete',
				recordIds: '={{ $json.id }}',
				options: { advanced: { batchSize: 50 } },
			},
			items: more.map((id) => ({ id })),
		});
		expect(large.error).toBeUndefined();
		expect(emu.counters().requests[BATCH_DEL]).toBe(3);
		expect(emu.flows()).toHaveLength(0);

		// A smaller Batch Size is honoured.
		emu.reset();
		const few = await importPunches(10);
		await runNode({
			emulatorUrl: emu.url,
			parameters: {
				resource: 'punchFlow',
				operation: 'delete',
				recordIds: '={{ $json.id }}',
				options: { advanced: { batchSize: 4 } },
			},
			items: few.map((id) => ({ id })),
		});
		expect(emu.counters().requests[BATCH_DEL]).toBe(3);
		expect(emu.flows()).toHaveLength(0);
		emu.configure({ maxDeleteIds: 50 });
	});

	test('the Batch Size option offers at most 10', async () => {
		const { description } =
			await import('../../nodes/FeishuAttendance/actions/punchFlow/delete.operation');
		const options = description.find((p) => p.name === 'options');
		type Option = {
			name: string;
			type: string;
			typeOptions?: { maxValue?: number };
			options?: Option[];
		};
		const entries = options?.options as Option[];
		// shown under Options → Advanced
		const advanced = entries.find((o) => o.name === 'advanced')?.options ?? [];
		expect(advanced.find((o) => o.name === 'batchSize')?.typeOptions?.maxValue).toBe(10);
	});

	test('a refused call fails its records with Continue On Fail, and stops the node without it', async () => {
		emu.configure({ maxDeleteIds: 5 });
		const ids = await importPunches(8);
		const parameters = {
			resource: 'punchFlow',
			operation: 'delete',
			recordIds: '={{ $json.id }}',
			options: { advanced: { batchSize: 6 } },
		};
		const tolerant = await runNode({
			emulatorUrl: emu.url,
			parameters,
			items: ids.map((id) => ({ id })),
			continueOnFail: true,
		});
		expect(tolerant.items.map((i) => i.json.deleted)).toEqual([
			false,
			false,
			false,
			false,
			false,
			false,
			true,
			true,
		]);
		expect(tolerant.items[0].json.error).toMatch(/1220001/);
		expect(emu.flows()).toHaveLength(6);

		const strict = await runNode({
			emulatorUrl: emu.url,
			parameters,
			items: ids.map((id) => ({ id })),
		});
		expect(strict.error).toBeInstanceOf(NodeApiError);
		expect((strict.error as NodeApiError).context.itemIndex).toBe(0);
		emu.configure({ maxDeleteIds: 50 });
	});
});
