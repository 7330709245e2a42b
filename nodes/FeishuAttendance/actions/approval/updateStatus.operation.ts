import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/common';
import type { ProcessOutcome, StatusChange } from './approvalProcess';
import { CURRENT_STATUS, NEW_STATUSES, PROCESS_APPROVAL_TYPES, processApproval, statusChangeReader } from './approvalProcess';
import { failItem, outputItem, validateItems } from '../../helpers/output';
import type { FeishuClient } from '../../transport';

/** The approval types Feishu lets the API only revoke (Feishu's doc of approval_infos/process). */
const REVOKE_ONLY = PROCESS_APPROVAL_TYPES.map((t) => t.value).filter((value) => value !== 'remedy');

const properties: INodeProperties[] = [
	{
		displayName: 'Approval Type',
		// not 'approvalType': Create's parameters are shown by that name's value, and an expression shows them all
		name: 'approvalKind',
		type: 'options',
		options: PROCESS_APPROVAL_TYPES.map(({ name, value }) => ({ name, value })).sort((a, b) => a.name.localeCompare(b.name)),
		default: 'leave',
		description:
			'The kind of approval. Map the "type" field that Approval → Create and Get Many output, or pick Remedy for an approval ID from Remedy → Create or Get Many.',
	},
	{
		displayName: 'Approval ID',
		name: 'approvalId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.approval_id }}',
		description: 'The approval_id that Approval → Create or Get Many, or Remedy → Create or Get Many output',
	},
	{
		// Approve and Reject apply to remedies only: for the other kinds there is nothing to choose (New Status is
		// hidden). Also shown, with New Status, when Approval Type is an expression.
		displayName: 'Leave, out of office, overtime and business trips can only be revoked (while approved); Approve and Reject apply to remedies.',
		name: 'revokeOnlyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { approvalKind: REVOKE_ONLY } },
	},
	{
		displayName: 'New Status',
		name: 'newStatus',
		type: 'options',
		options: NEW_STATUSES.map(({ name, value, description }) => ({ name, value, description })),
		default: 'revoke',
		description:
			'Remedies can be approved or rejected while pending, and revoked once approved. Leave, out of office, overtime and business trips can only be revoked.',
		// shown for Remedy and when Approval Type is an expression (then each item's type decides what it accepts)
		displayOptions: { hide: { approvalKind: REVOKE_ONLY } },
	},
	optionsCollection([
		{
			displayName: 'Comment',
			name: 'comment',
			type: 'string',
			default: '',
			description:
				"A note for your records (e.g. why the approval is revoked). Feishu's API takes no comment: it is copied to the output item only.",
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['approval'], operation: ['updateStatus'] } }, properties);

/**
 * Approval → Update Status (approval_infos/process): one call per distinct approval and status (items naming the
 * same approval and status share the answer). Safe to repeat: Feishu's state rule refuses a second transition.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: FeishuClient): Promise<INodeExecutionData[]> {
	// 1. Read and check every item before anything is sent.
	const { valid, errors } = validateItems(this, items.length, statusChangeReader(this));

	// 2. One call per distinct change, all handed to the client at once (its pacer bounds them).
	const calls = new Map<string, Promise<ProcessOutcome>>();
	for (const { itemIndex, value } of valid) if (!calls.has(value.key)) calls.set(value.key, processApproval(client, value, itemIndex));
	const outcomes = new Map<string, ProcessOutcome>();
	await Promise.all([...calls].map(async ([key, call]) => outcomes.set(key, await call)));

	// 3. Exactly one output item per input item, paired with it.
	const output: INodeExecutionData[] = [];
	const byItem = new Map(valid.map((v) => [v.itemIndex, v.value]));
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		const change = byItem.get(itemIndex);
		if (invalid) output.push({ ...invalid, json: { status: 'failed', ...invalid.json } });
		else if (change) output.push(toOutput(this, change, outcomes.get(change.key)!, itemIndex));
	}
	return output;
}

function toOutput(ctx: IExecuteFunctions, change: StatusChange, outcome: ProcessOutcome, itemIndex: number): INodeExecutionData {
	const base: IDataObject = {
		approval_id: change.approvalId,
		approval_type: change.approvalType,
		requested_status: change.status.name,
		...(change.comment ? { comment: change.comment } : {}),
	};
	if (outcome.kind === 'error') return failItem(ctx, outcome.error, itemIndex, { status: 'failed', ...base });
	if (outcome.kind === 'changed') {
		const current = CURRENT_STATUS[outcome.current] ?? String(outcome.current);
		return outputItem({ status: change.status.done, ...base, approval_status: current }, itemIndex);
	}
	if (outcome.kind === 'already') {
		return outputItem(
			{
				status: `already ${change.status.done}`,
				...base,
				approval_status: CURRENT_STATUS[change.status.code],
				message: `Feishu answered that the approval is already ${change.status.done}; nothing changed.`,
			},
			itemIndex,
		);
	}
	return outputItem(
		{
			status: 'refused',
			...base,
			reason: outcome.reason,
			code: outcome.code,
			...(outcome.description ? { errorDescription: outcome.description } : {}),
		},
		itemIndex,
	);
}
