import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { approvalItemReader } from '../../helpers/approvalInput';
import type { PreparedApproval } from '../../helpers/approvalInput';
import type { ApprovalOutcome } from '../../helpers/approvalWrite';
import { writeApproval } from '../../helpers/approvalWrite';
import { compact, failItem, outputItem, validateItems } from '../../helpers/output';
import type { FeishuClient } from '../../transport';
import { properties } from './create.description';

export const description = updateDisplayOptions({ show: { resource: ['approval'], operation: ['create'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// 1. Read and check every item before anything is sent.
	const { valid, errors } = validateItems(this, items.length, approvalItemReader(this));

	// 2. Every record is its own call (one employee, one date); the client's pacer bounds them.
	const written = await Promise.all(valid.map(async ({ value }) => ({ prepared: value, outcome: await writeApproval(client, value) })));

	// 3. Exactly one output item per input item, paired with it.
	const byItem = new Map(written.map((w) => [w.prepared.itemIndex, w]));
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		const result = byItem.get(itemIndex);
		if (invalid) output.push({ ...invalid, json: { status: 'failed', ...invalid.json } });
		else if (result) output.push(toOutput(this, result.prepared, result.outcome));
	}
	return output;
}

function toOutput(ctx: IExecuteFunctions, prepared: PreparedApproval, outcome: ApprovalOutcome): INodeExecutionData {
	const { itemIndex, summary, timeZone } = prepared;
	if (outcome.status === 'error') return failItem(ctx, outcome.error, itemIndex, { status: 'failed', ...summary });
	if (outcome.status === 'failed') {
		const { message, description } = outcome.error;
		return outputItem(compact({ status: 'failed', ...summary, error: message, errorDescription: description ?? undefined }), itemIndex);
	}
	return outputItem(compact({ status: outcome.status, approval_id: outcome.approvalId, ...summary, time_zone: timeZone }), itemIndex);
}
