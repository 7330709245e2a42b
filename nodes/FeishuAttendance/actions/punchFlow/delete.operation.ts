import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { jsonParse, updateDisplayOptions } from 'n8n-workflow';

import { batchSizeOption, optionsCollection } from '../../descriptions/common';
import { KeyIndex, batchSizeOf, forEachBatch } from '../../helpers/batching';
import {
	NOT_DONE_REASONS,
	doneItem,
	failedItem,
	invalidItem,
	notDoneItem,
} from '../../helpers/outcome';
import { errorMessage, inputError, validateItems } from '../../helpers/output';
import { readList } from '../../helpers/input';
import { readRecordId } from '../../helpers/values';
import type { FeishuClient } from '../../transport';
import { advancedOptionsFrom } from '../../helpers/parameters';

/**
 * Per-call maximum of record_ids: 10, as the doc metadata says (a generated SDK; docs/ASSUMPTIONS.md#delete-batch-size).
 * Also the most Batch Size allows: a larger value (from an old workflow) is asked as 10.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#delete-batch-size
 */
const MAX_DELETE_BATCH = 10;

const properties: INodeProperties[] = [
	{
		displayName:
			'Only punch records that were imported through the API can be deleted. Deleting makes Feishu recompute the attendance results.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Record IDs',
		name: 'recordIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.record_id }}',
		description:
			'The record_id of each punch record to delete: one per input item, or several separated by commas (or an array from an expression). Pass IDs as text: a 19-digit number loses its last digits in JSON.',
	},
	optionsCollection([
		batchSizeOption(
			MAX_DELETE_BATCH,
			'Record IDs per Feishu call (Feishu accepts at most 10)',
			MAX_DELETE_BATCH,
		),
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['punchFlow'], operation: ['delete'] } },
	properties,
);

interface DeleteAnswer {
	success_record_ids?: string[];
	fail_record_ids?: string[];
}

/** Output: one item per distinct record ID, paired with the item(s) that named it. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const batchSize = Math.min(
		MAX_DELETE_BATCH,
		batchSizeOf(advancedOptionsFrom(this).batchSize, MAX_DELETE_BATCH),
	);

	const { valid, errors } = validateItems(this, items.length, (itemIndex) => {
		let ids: string[];
		try {
			ids = readList(this.getNodeParameter('recordIds', itemIndex, ''), 'Record IDs', readRecordId);
		} catch (error) {
			throw inputError(this, itemIndex, errorMessage(error));
		}
		if (ids.length === 0) {
			throw inputError(this, itemIndex, 'Record IDs is empty');
		}
		return ids;
	});
	const records = new KeyIndex();
	for (const { itemIndex, value } of valid) for (const id of value) records.add(id, itemIndex);

	const results = new Map<string, (items: number[]) => INodeExecutionData>();
	const failedCalls: Array<{ ids: string[]; error: unknown }> = [];
	await forEachBatch(records.keys, batchSize, async (ids) => {
		try {
			// Deleting twice is harmless (the second call finds nothing to delete and creates nothing), so the
			// call is repeatable. Only after a lost answer may a record deleted by the first attempt be reported
			// by the retry as not deleted, with Feishu's reason (e.g. not found).
			const response = await client.request<DeleteAnswer>({
				method: 'POST',
				path: '/user_flows/batch_del',
				body: { record_ids: ids },
				repeatable: true,
				itemIndex: records.itemsOf(ids[0])[0],
			});
			const deleted = new Set(response.data?.success_record_ids ?? []);
			const reasons = reasonsFrom(response.msg);
			// The client resent the call after a lost answer: the first send may have deleted what the resend reports as
			// not deleted. Reading each such record back says so: gone → deleted by this run.
			// UNCONFIRMED: see docs/ASSUMPTIONS.md#answer-lost-after-commit
			const goneAfterResend = response.resent
				? await readBackGone(
						client,
						ids.filter((id) => !deleted.has(id)),
						records.itemsOf(ids[0])[0],
					)
				: new Set<string>();
			for (const id of ids) {
				if (goneAfterResend.has(id)) {
					results.set(id, (itemsOf) =>
						doneItem(
							'deleted',
							{
								record_id: id,
								deleted: true,
								message: "Feishu's answer was lost; the record is no longer in Feishu.",
							},
							itemsOf,
						),
					);
					continue;
				}
				const reason = reasons[id];
				results.set(id, (itemsOf) =>
					deleted.has(id)
						? doneItem('deleted', { record_id: id, deleted: true }, itemsOf)
						: notDoneItem(
								this,
								'not deleted',
								{ record_id: id, deleted: false },
								{
									error: reason
										? `Feishu did not delete the punch record ${id}: ${reason}`
										: `Feishu did not delete the punch record ${id} and gave no reason`,
									reason: reason ? NOT_DONE_REASONS.refused : NOT_DONE_REASONS.noReason,
									errorDescription:
										'Only punch records imported through the API can be deleted, and only while they exist: check the Record ID (Punch Record → Get Many lists them).',
									errorDetails: `Feishu answered: ${response.msg || 'no message'}`,
								},
								itemsOf,
							),
				);
			}
		} catch (error) {
			failedCalls.push({ ids, error });
		}
	});
	// A failed call: not-done items for its records with Continue On Fail, else the node stops (failedItem).
	for (const { ids, error } of failedCalls) {
		failedItem(this, error, 'not deleted', {}, records.itemsOf(ids[0])[0]);
		for (const id of ids)
			results.set(id, (itemsOf) =>
				failedItem(this, error, 'not deleted', { record_id: id, deleted: false }, itemsOf),
			);
	}

	const output = records.keys.map((id) => {
		const itemsOf = records.itemsOf(id);
		const build = results.get(id);
		if (build) return build(itemsOf);
		const error = `Feishu gave no answer about the punch record ${id}`;
		return notDoneItem(
			this,
			'not deleted',
			{ record_id: id, deleted: false },
			{ error, reason: NOT_DONE_REASONS.noReason },
			itemsOf,
		);
	});
	const failed = [...errors.entries()]
		.sort(([a], [b]) => a - b)
		.map(([itemIndex, item]) => invalidItem(this, item, itemIndex, 'not deleted'));
	return [...output, ...failed];
}

/**
 * The records of `ids` that Feishu no longer holds: GET user_flows/:id refused (Feishu documents no code for an
 * unknown record; any 4xx answer counts as gone, a record still there is answered). A read that fails otherwise
 * (network, 5xx) proves nothing: the record is not counted.
 */
async function readBackGone(
	client: FeishuClient,
	ids: string[],
	itemIndex: number,
): Promise<Set<string>> {
	const gone = new Set<string>();
	await Promise.all(
		ids.map(async (id) => {
			try {
				const answer = await client.request({
					method: 'GET',
					path: `/user_flows/${encodeURIComponent(id)}`,
					qs: { employee_type: 'employee_id' },
					repeatable: true,
					acceptCodes: [1220001, 1220600],
					itemIndex,
				});
				if (answer.code !== 0) gone.add(id);
			} catch {
				// not known: the record keeps Feishu's answer to the delete
			}
		}),
	);
	return gone;
}

/** batch_del puts a JSON map { "<record_id>": "<reason>" } in msg when some records were not deleted. */
function reasonsFrom(msg: string): Record<string, string> {
	const text = (msg ?? '').trim();
	if (!text.startsWith('{')) return {};
	const parsed = jsonParse<unknown>(text, { fallbackValue: {} });
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
	return Object.fromEntries(
		Object.entries(parsed as Record<string, unknown>).map(([id, reason]) => [id, String(reason)]),
	);
}
