import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	employeeIdTypeProperty,
	optionsCollection,
	timezoneOption,
} from '../../descriptions/common';
import type { ProcessOutcome, StatusChange } from './approvalProcess';
import {
	CURRENT_STATUS,
	NEW_STATUSES,
	PROCESS_APPROVAL_TYPES,
	processApproval,
	statusChangeReader,
} from './approvalProcess';
import {
	NOT_DONE_REASONS,
	alreadyDoneItem,
	doneItem,
	failedItem,
	invalidItem,
	notDoneItem,
} from '../../helpers/outcome';
import { compact, validateItems } from '../../helpers/output';
import { dayNumberToIsoDate } from '../../helpers/time';
import type { FeishuClient } from '../../transport';

/** The approval types Feishu lets the API only revoke (Feishu's doc of approval_infos/process). */
const REVOKE_ONLY = PROCESS_APPROVAL_TYPES.map((t) => t.value).filter(
	(value) => value !== 'remedy',
);

const properties: INodeProperties[] = [
	{
		displayName: 'Approval Type',
		// not 'approvalType': Create's parameters are shown by that name's value, and an expression shows them all
		name: 'approvalKind',
		type: 'options',
		options: PROCESS_APPROVAL_TYPES.map(({ name, value }) => ({ name, value })).sort((a, b) =>
			a.name.localeCompare(b.name),
		),
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
		description:
			'The approval_id that Approval → Create or Get Many, or Remedy → Create or Get Many output',
	},
	{
		// Approve and Reject apply to remedies only: for the other kinds there is nothing to choose (New Status is
		// hidden). Also shown, with New Status, when Approval Type is an expression.
		displayName:
			'Leave, out of office, overtime and business trips can only be revoked (while approved); Approve and Reject apply to remedies.',
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
	{
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.employee_id }}',
		description:
			'The employee the approval belongs to (employee_id in the output of Approval → Create and Get Many, or Remedy → Create). With Day, it lets the node read the approval back when Feishu refuses the change or its answer is lost, and report what Feishu holds (e.g. already revoked).',
	},
	{ ...employeeIdTypeProperty(), description: 'How Employee ID is to be read' },
	{
		displayName: 'Day',
		name: 'approvalDay',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.date }}',
		description:
			'The day of the approval (date in the output of Approval → Create and Get Many; remedy_date of Remedy → Create). Any date input.',
	},
	optionsCollection([
		timezoneOption,
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

export const description = updateDisplayOptions(
	{ show: { resource: ['approval'], operation: ['updateStatus'] } },
	properties,
);

/**
 * Approval → Update Status (approval_infos/process): one call per distinct approval and status (items naming the
 * same approval and status share the answer). Safe to repeat: Feishu's state rule refuses a second transition.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// 1. Read and check every item before anything is sent.
	const { valid, errors } = validateItems(this, items.length, statusChangeReader(this));

	// 2. One call per distinct change, all handed to the client at once (its pacer bounds them).
	const calls = new Map<string, Promise<ProcessOutcome>>();
	for (const { itemIndex, value } of valid)
		if (!calls.has(value.key)) calls.set(value.key, processApproval(client, value, itemIndex));
	const outcomes = new Map<string, ProcessOutcome>();
	await Promise.all([...calls].map(async ([key, call]) => outcomes.set(key, await call)));

	// 3. Exactly one output item per input item, paired with it.
	const output: INodeExecutionData[] = [];
	const byItem = new Map(valid.map((v) => [v.itemIndex, v.value]));
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		const change = byItem.get(itemIndex);
		if (invalid) output.push(invalidItem(this, invalid, itemIndex));
		else if (change) output.push(toOutput(this, change, outcomes.get(change.key)!, itemIndex));
	}
	return output;
}

const VERBS: Record<number, string> = { 1: 'reject', 2: 'approve', 4: 'revoke' };

function toOutput(
	ctx: IExecuteFunctions,
	change: StatusChange,
	outcome: ProcessOutcome,
	itemIndex: number,
): INodeExecutionData {
	const { holder } = change;
	const base: IDataObject = compact({
		approval_id: change.approvalId,
		approval_type: change.approvalType,
		requested_status: change.status.name,
		employee_id: holder?.employeeId,
		date_iso: holder ? dayNumberToIsoDate(holder.day) : undefined,
		comment: change.comment,
	});
	const statusName = (code: number) => CURRENT_STATUS[code] ?? String(code);
	if (outcome.kind === 'error') return failedItem(ctx, outcome.error, 'failed', base, itemIndex);
	if (outcome.kind === 'done')
		return doneItem(
			change.status.done,
			{ ...base, approval_status: statusName(outcome.current) },
			itemIndex,
		);
	if (outcome.kind === 'already') {
		return alreadyDoneItem(
			`already ${change.status.done}`,
			{
				...base,
				approval_status: statusName(outcome.current),
				message: `Feishu already held this approval as ${statusName(outcome.current)} before this run; nothing changed.`,
			},
			itemIndex,
		);
	}
	const { answer } = outcome;
	const verb = VERBS[change.status.code];
	const kind = PROCESS_APPROVAL_TYPES.find(
		(t) => t.code === change.approvalType,
	)!.name.toLowerCase();
	const errorDetails = `Feishu answered code ${answer.code}: ${answer.msg || 'no message'}${answer.logId ? ` (log ID ${answer.logId})` : ''}`;
	if (outcome.notFound) {
		return notDoneItem(
			ctx,
			'refused',
			base,
			{
				error: `Feishu holds no ${kind} approval ${change.approvalId} for employee ${holder!.employeeId} on ${dayNumberToIsoDate(holder!.day)}`,
				reason: NOT_DONE_REASONS.notFound,
				errorDescription:
					'Check the Approval ID, the Approval Type, the Employee ID and the Day (map them from the output of Create or Get Many).',
				errorDetails,
			},
			itemIndex,
		);
	}
	if (outcome.current !== undefined) {
		const rule =
			change.status.code === 4
				? 'only an approved one can be revoked'
				: 'only a pending remedy can be approved or rejected';
		return notDoneItem(
			ctx,
			'refused',
			{ ...base, approval_status: statusName(outcome.current) },
			{
				error: `Feishu did not ${verb} the ${kind}: it is ${statusName(outcome.current)}, and ${rule}`,
				reason: NOT_DONE_REASONS.stateDoesNotAllow,
				errorDescription: outcome.description,
				errorDetails,
			},
			itemIndex,
		);
	}
	return notDoneItem(
		ctx,
		'refused',
		base,
		{
			error: `Feishu refused to ${verb} the ${kind} ${change.approvalId}: ${answer.msg || `code ${answer.code}`}`,
			reason: NOT_DONE_REASONS.refused,
			errorDescription: outcome.unread,
			errorDetails,
		},
		itemIndex,
	);
}
