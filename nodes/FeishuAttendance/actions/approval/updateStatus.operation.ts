import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/common';
import type { EnumEntry } from '../../helpers/approval';
import { resolveEnum } from '../../helpers/approval';
import { errorMessage, failItem, inputError, outputItem, validateItems } from '../../helpers/output';
import { readOptionalText, readRecordId } from '../../helpers/values';
import type { FeishuClient, FeishuResponse } from '../../transport';
import { GENERAL_ERROR_CODE } from '../../transport/errors';

const PROCESS_PATH = '/approval_infos/process';

/** Feishu's approval_type; accepts the names Create and Get Many output ('leave', 'trip', …) and Feishu's array names. */
const APPROVAL_TYPES: Array<EnumEntry<string> & { aliases: string[] }> = [
	{ value: 'leave', name: 'Leave', code: 'leave', aliases: ['leaves'] },
	{ value: 'out', name: 'Out of Office', code: 'out', aliases: ['outs'] },
	{ value: 'overtime', name: 'Overtime', code: 'overtime', aliases: ['overtime_works', 'overtimeWorks'] },
	{ value: 'trip', name: 'Business Trip', code: 'trip', aliases: ['trips'] },
	{ value: 'remedy', name: 'Remedy', code: 'remedy', aliases: ['remedies', 'remedys'] },
];

/** The new status: Feishu's value, the verb shown, and the word for the outcome. */
const NEW_STATUSES: Array<EnumEntry<number> & { done: string }> = [
	{ value: 'approve', name: 'Approve', code: 2, done: 'approved', description: 'Approve a pending remedy' },
	{ value: 'reject', name: 'Reject', code: 1, done: 'rejected', description: 'Reject a pending remedy' },
	{
		value: 'revoke',
		name: 'Revoke',
		code: 4,
		done: 'revoked',
		description: 'Take back an approved leave, out of office, overtime, business trip or remedy',
	},
];

/** Feishu's status of an approval (ApprovalInfoApprovalStatusEnum). */
const CURRENT_STATUS: Record<number, string> = { 0: 'Pending', 1: 'Rejected', 2: 'Approved', 3: 'Cancelled', 4: 'Revoked' };

/**
 * Answers that are Feishu's decision about this approval (not found, or a transition its state does not allow):
 * reported on the item, the run goes on. UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-process-repeat (codes and
 * texts of these refusals).
 */
const REFUSAL_CODES = [1220001, GENERAL_ERROR_CODE];

const properties: INodeProperties[] = [
	{
		displayName: 'Approval Type',
		// not 'approvalType': Create's parameters are shown by that name's value, and an expression shows them all
		name: 'approvalKind',
		type: 'options',
		options: APPROVAL_TYPES.map(({ name, value }) => ({ name, value })).sort((a, b) => a.name.localeCompare(b.name)),
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
		displayName: 'New Status',
		name: 'newStatus',
		type: 'options',
		options: NEW_STATUSES.map(({ name, value, description }) => ({ name, value, description })),
		default: 'revoke',
		description:
			'Leave, out of office, overtime and business trips can only be revoked (and only while approved). Remedies can be approved or rejected while pending, and revoked once approved.',
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

interface StatusChange {
	approvalType: string;
	approvalId: string;
	status: (typeof NEW_STATUSES)[number];
	comment?: string;
	key: string;
}

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

function readApprovalType(value: unknown): string {
	const text = typeof value === 'string' ? normalize(value) : '';
	const alias = APPROVAL_TYPES.find((t) => t.aliases.some((a) => normalize(a) === text));
	return alias ? alias.code : resolveEnum(APPROVAL_TYPES, value, 'Approval Type');
}

function prepare(ctx: IExecuteFunctions, itemIndex: number): StatusChange {
	const read = <T>(parse: () => T): T => {
		try {
			return parse();
		} catch (error) {
			throw inputError(ctx, itemIndex, errorMessage(error));
		}
	};
	const approvalType = read(() => readApprovalType(ctx.getNodeParameter('approvalKind', itemIndex, 'leave')));
	const approvalId = read(() => readRecordId(ctx.getNodeParameter('approvalId', itemIndex, ''), 'Approval ID'));
	const code = read(() => resolveEnum(NEW_STATUSES, ctx.getNodeParameter('newStatus', itemIndex, 'revoke'), 'New Status'));
	const status = NEW_STATUSES.find((s) => s.code === code)!;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const comment = read(() => readOptionalText(options.comment, 'Comment'));
	// Documented rule (feishu-api-more.md §2): leave, out, overtime and trip accept only revoke.
	if (approvalType !== 'remedy' && status.code !== 4) {
		const name = APPROVAL_TYPES.find((t) => t.code === approvalType)!.name;
		throw inputError(
			ctx,
			itemIndex,
			`${name} approvals can only be revoked, not "${status.name}"`,
			'Feishu stores leave, out of office, overtime and business trips written through the API as approved; Approve and Reject apply to pending remedies only.',
		);
	}
	return { approvalType, approvalId, status, comment, key: [approvalType, approvalId, status.code].join('|') };
}

type Outcome =
	| { kind: 'changed'; current: number }
	| { kind: 'already' }
	| { kind: 'refused'; reason: string; code: number; description?: string }
	| { kind: 'error'; error: unknown };

/**
 * How Feishu's answer reads (UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-process-repeat):
 * - code 0: the approval now has approval_info.status (a repeat answered like this reads as done now);
 * - a refusal whose message says the approval already has that status, or 1220600 'no row affected': nothing to do;
 * - any other refusal (not found, state does not allow it): refused, with Feishu's message as the reason.
 */
function outcomeOf(client: FeishuClient, change: StatusChange, answer: FeishuResponse<IDataObject>, itemIndex: number): Outcome {
	if (answer.code === 0) {
		const info = (answer.data?.approval_info ?? {}) as IDataObject;
		const current = Number(info.status ?? change.status.code);
		return { kind: 'changed', current: Number.isFinite(current) ? current : change.status.code };
	}
	if (/already|no row affected/i.test(answer.msg)) return { kind: 'already' };
	const error = client.errorFor(answer, { method: 'POST', path: PROCESS_PATH, itemIndex });
	return { kind: 'refused', reason: answer.msg || `Feishu error ${answer.code}`, code: answer.code, description: error.description ?? undefined };
}

/**
 * Approval → Update Status (approval_infos/process): one call per distinct approval and status (items naming the
 * same approval and status share the answer). Safe to repeat: Feishu's state rule refuses a second transition.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: FeishuClient): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => prepare(this, itemIndex));

	const calls = new Map<string, Promise<Outcome>>();
	const send = async (change: StatusChange, itemIndex: number): Promise<Outcome> => {
		try {
			const answer = await client.request<IDataObject>({
				method: 'POST',
				path: PROCESS_PATH,
				body: { approval_id: change.approvalId, approval_type: change.approvalType, status: change.status.code },
				// a resend meets the state rule (or changes nothing): safe to repeat after a lost answer
				repeatable: true,
				acceptCodes: REFUSAL_CODES,
				itemIndex,
			});
			return outcomeOf(client, change, answer, itemIndex);
		} catch (error) {
			// 'no row affected' (1220600) is retried by the client as transient; after the retries it means nothing changed
			if (error instanceof NodeApiError && /no row affected/i.test(error.message)) return { kind: 'already' };
			return { kind: 'error', error };
		}
	};
	for (const { itemIndex, value } of valid) if (!calls.has(value.key)) calls.set(value.key, send(value, itemIndex));
	const outcomes = new Map<string, Outcome>();
	await Promise.all([...calls].map(async ([key, call]) => outcomes.set(key, await call)));

	const output: INodeExecutionData[] = [];
	const byItem = new Map(valid.map((v) => [v.itemIndex, v.value]));
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		if (invalid) {
			output.push({ ...invalid, json: { status: 'failed', ...invalid.json } });
			continue;
		}
		const change = byItem.get(itemIndex);
		if (!change) continue;
		const outcome = outcomes.get(change.key)!;
		const base: IDataObject = {
			approval_id: change.approvalId,
			approval_type: change.approvalType,
			requested_status: change.status.name,
			...(change.comment ? { comment: change.comment } : {}),
		};
		if (outcome.kind === 'error') {
			output.push(failItem(this, outcome.error, itemIndex, { status: 'failed', ...base }));
		} else if (outcome.kind === 'changed') {
			const current = CURRENT_STATUS[outcome.current] ?? String(outcome.current);
			output.push(outputItem({ status: change.status.done, ...base, approval_status: current }, itemIndex));
		} else if (outcome.kind === 'already') {
			output.push(
				outputItem(
					{
						status: `already ${change.status.done}`,
						...base,
						approval_status: CURRENT_STATUS[change.status.code],
						message: `Feishu answered that the approval is already ${change.status.done}; nothing changed.`,
					},
					itemIndex,
				),
			);
		} else {
			output.push(
				outputItem(
					{
						status: 'refused',
						...base,
						reason: outcome.reason,
						code: outcome.code,
						...(outcome.description ? { errorDescription: outcome.description } : {}),
					},
					itemIndex,
				),
			);
		}
	}
	return output;
}
