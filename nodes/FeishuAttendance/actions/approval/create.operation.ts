import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { approvalByUserId, approvalItemReader } from './approvalInput';
import type { PreparedApproval } from './approvalInput';
import type { ApprovalOutcome } from './approvalWrite';
import { describeFailure, writeApproval } from './approvalWrite';
import { resolveItemEmployees } from '../../helpers/employees';
import {
	NOT_DONE_REASONS,
	alreadyDoneItem,
	doneItem,
	failedItem,
	invalidItem,
	notDoneItem,
} from '../../helpers/outcome';
import { compact, validateItems } from '../../helpers/output';
import type { FeishuClient } from '../../transport';
import { properties } from './create.description';

export const description = updateDisplayOptions(
	{ show: { resource: ['approval'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// 1. Read and check every item before anything is sent.
	const read = validateItems(this, items.length, approvalItemReader(this));
	// Employee ID Type Email / Mobile: every distinct value looked up at once; an unknown one is its item's error.
	const { valid, errors: unknown } = await resolveItemEmployees(
		this,
		client,
		read.valid,
		(p) => ({ type: p.employeeIdType, id: p.employeeId }),
		approvalByUserId,
	);
	const errors = new Map(read.errors);
	for (const [itemIndex, { error, given }] of unknown) {
		errors.set(
			itemIndex,
			failedItem(this, error, 'failed', given, itemIndex, NOT_DONE_REASONS.unknownEmployee),
		);
	}
	for (const [itemIndex, item] of read.errors)
		errors.set(itemIndex, invalidItem(this, item, itemIndex));

	// 2. The same record twice in the run (same employee and idempotency key): sent once, by its first item.
	const firstOfKey = new Map<string, PreparedApproval>();
	const toSend: PreparedApproval[] = [];
	const repeats: Array<{ prepared: PreparedApproval; first: PreparedApproval }> = [];
	for (const { value } of valid) {
		const key = `${value.employeeIdType}|${value.employeeId}|${String(value.record.idempotent_id)}`;
		const first = firstOfKey.get(key);
		if (first) repeats.push({ prepared: value, first });
		else {
			firstOfKey.set(key, value);
			toSend.push(value);
		}
	}

	// 3. Every record is its own call (one employee, one date); the client's pacer bounds them.
	const written = await Promise.all(
		toSend.map(async (value) => ({ prepared: value, outcome: await writeApproval(client, value) })),
	);

	// 4. Exactly one output item per input item, paired with it; a repeat gets its first item's outcome.
	const byItem = new Map(written.map((w) => [w.prepared.itemIndex, w]));
	const repeatOf = new Map(repeats.map((r) => [r.prepared.itemIndex, r]));
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		const result = byItem.get(itemIndex);
		if (invalid) output.push(invalid);
		else if (result) output.push(toOutput(this, result.prepared, result.outcome));
		else if (repeatOf.has(itemIndex)) {
			const { prepared, first } = repeatOf.get(itemIndex)!;
			output.push(
				repeatOutput(this, prepared, first.itemIndex, byItem.get(first.itemIndex)?.outcome),
			);
		}
	}
	return output;
}

/** A record an earlier item of the run sent: that item's outcome, with `duplicate_of_item`. */
function repeatOutput(
	ctx: IExecuteFunctions,
	prepared: PreparedApproval,
	firstIndex: number,
	outcome: ApprovalOutcome | undefined,
): INodeExecutionData {
	const { itemIndex, summary, timeZone } = prepared;
	if (outcome?.status === 'created' || outcome?.status === 'duplicate') {
		return alreadyDoneItem(
			'duplicate',
			compact({
				...summary,
				time_zone: timeZone,
				duplicate_of_item: firstIndex,
				approval_id: outcome.approvalId,
			}),
			itemIndex,
		);
	}
	if (outcome?.status === 'error' && !ctx.continueOnFail())
		return failedItem(ctx, outcome.error, 'failed', {}, itemIndex);
	const reason = outcome ? describeFailure(outcome.error, prepared) : undefined;
	return notDoneItem(
		ctx,
		'failed',
		compact({ ...summary, time_zone: timeZone, duplicate_of_item: firstIndex }),
		{
			error: `Same record as item ${firstIndex}, which was not stored${reason ? `: ${reason.error.replace(/ \[item \d+\]$/, '')}` : ''}`,
			reason: NOT_DONE_REASONS.sameAsFailedItem,
			errorDetails: reason?.errorDetails,
		},
		itemIndex,
	);
}

/**
 * One output item. A record that was not stored puts `status` and the reason an HR admin can act on (`error`)
 * first, the technical detail (`errorDetails`) after it, then the same columns as a stored record; a stored
 * record's `approval_id` comes last, so that in a table that starts with stored records a failed row has no
 * empty cells before its error but that one.
 */
function toOutput(
	ctx: IExecuteFunctions,
	prepared: PreparedApproval,
	outcome: ApprovalOutcome,
): INodeExecutionData {
	const { itemIndex, summary, timeZone } = prepared;
	if (outcome.status === 'error' || outcome.status === 'failed') {
		// Feishu's rejection of this record is a failed item either way; other failures follow Continue On Fail.
		if (outcome.status === 'error' && !ctx.continueOnFail())
			return failedItem(ctx, outcome.error, 'failed', {}, itemIndex);
		return notDoneItem(
			ctx,
			'failed',
			compact({ ...summary, time_zone: timeZone }),
			describeFailure(outcome.error, prepared),
			itemIndex,
		);
	}
	const fields = compact({ ...summary, time_zone: timeZone, approval_id: outcome.approvalId });
	return outcome.status === 'created'
		? doneItem('created', fields, itemIndex)
		: alreadyDoneItem('duplicate', fields, itemIndex);
}
