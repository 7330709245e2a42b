/**
 * Approval → Update Status (POST approval_infos/process): the approval types and new statuses it takes,
 * reading one item, and sending one status change and reading Feishu's answer.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../../transport';
import { GENERAL_ERROR_CODE } from '../../transport/errors';
import { errorMessage, inputError } from '../../helpers/output';
import { readOptionalText, readRecordId } from '../../helpers/values';
import { resolveEnum } from '../../helpers/enums';
import type { EnumEntry } from '../../helpers/enums';

const PROCESS_PATH = '/approval_infos/process';

/** Feishu's approval_type; accepts the names Create and Get Many output ('leave', 'trip', …) and Feishu's array names. */
export const PROCESS_APPROVAL_TYPES: Array<EnumEntry<string> & { aliases: string[] }> = [
	{ value: 'leave', name: 'Leave', code: 'leave', aliases: ['leaves'] },
	{ value: 'out', name: 'Out of Office', code: 'out', aliases: ['outs'] },
	{ value: 'overtime', name: 'Overtime', code: 'overtime', aliases: ['overtime_works', 'overtimeWorks'] },
	{ value: 'trip', name: 'Business Trip', code: 'trip', aliases: ['trips'] },
	{ value: 'remedy', name: 'Remedy', code: 'remedy', aliases: ['remedies', 'remedys'] },
];

/** The new status: Feishu's value, the verb shown, and the word for the outcome. */
export const NEW_STATUSES: Array<EnumEntry<number> & { done: string }> = [
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
export const CURRENT_STATUS: Record<number, string> = { 0: 'Pending', 1: 'Rejected', 2: 'Approved', 3: 'Cancelled', 4: 'Revoked' };

/**
 * Answers that are Feishu's decision about this approval (not found, or a transition its state does not allow):
 * reported on the item, the run goes on. UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-process-repeat (codes and
 * texts of these refusals).
 */
const REFUSAL_CODES = [1220001, GENERAL_ERROR_CODE];

/** One item, checked: the call it makes, and `key`, equal for items that make the same call. */
export interface StatusChange {
	approvalType: string;
	approvalId: string;
	status: (typeof NEW_STATUSES)[number];
	comment?: string;
	key: string;
}

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

function readApprovalType(value: unknown): string {
	const text = typeof value === 'string' ? normalize(value) : '';
	const alias = PROCESS_APPROVAL_TYPES.find((t) => t.aliases.some((a) => normalize(a) === text));
	return alias ? alias.code : resolveEnum(PROCESS_APPROVAL_TYPES, value, 'Approval Type');
}

/** The reader of the run's items (for validateItems): item → StatusChange, or an input error naming the item. */
export function statusChangeReader(ctx: IExecuteFunctions): (itemIndex: number) => StatusChange {
	return (itemIndex) => {
		const param = (name: string, fallback: unknown) => ctx.getNodeParameter(name, itemIndex, fallback);
		let change: Omit<StatusChange, 'key'>;
		try {
			const approvalType = readApprovalType(param('approvalKind', 'leave'));
			const approvalId = readRecordId(param('approvalId', ''), 'Approval ID');
			const code = resolveEnum(NEW_STATUSES, param('newStatus', 'revoke'), 'New Status');
			const status = NEW_STATUSES.find((s) => s.code === code)!;
			const options = param('options', {}) as IDataObject;
			change = { approvalType, approvalId, status, comment: readOptionalText(options.comment, 'Comment') };
		} catch (error) {
			throw inputError(ctx, itemIndex, errorMessage(error));
		}
		const { approvalType, approvalId, status } = change;
		// Documented rule (Feishu's doc of approval_infos/process): leave, out, overtime and trip accept only revoke.
		if (approvalType !== 'remedy' && status.code !== 4) {
			const name = PROCESS_APPROVAL_TYPES.find((t) => t.code === approvalType)!.name;
			throw inputError(
				ctx,
				itemIndex,
				`${name} approvals can only be revoked, not "${status.name}"`,
				'Feishu stores leave, out of office, overtime and business trips written through the API as approved; Approve and Reject apply to pending remedies only.',
			);
		}
		return { ...change, key: [approvalType, approvalId, status.code].join('|') };
	};
}

/**
 * What became of a status change:
 * - changed: the approval now has status `current`;
 * - already: it had that status already (nothing changed);
 * - refused: Feishu's decision about this approval (not found, or its state does not allow it): the run goes on;
 * - error: any other failure: follows Continue On Fail.
 */
export type ProcessOutcome =
	| { kind: 'changed'; current: number }
	| { kind: 'already' }
	| { kind: 'refused'; reason: string; code: number; description?: string }
	| { kind: 'error'; error: unknown };

/** Sends one status change; never throws. Safe to repeat: Feishu's state rule refuses a second transition. */
export async function processApproval(client: FeishuClient, change: StatusChange, itemIndex: number): Promise<ProcessOutcome> {
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
}

/**
 * How Feishu's answer reads (UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-process-repeat):
 * - code 0: the approval now has approval_info.status (a repeat answered like this reads as done now);
 * - a refusal whose message says the approval already has that status, or 1220600 'no row affected': nothing to do;
 * - any other refusal (not found, state does not allow it): refused, with Feishu's message as the reason.
 */
function outcomeOf(client: FeishuClient, change: StatusChange, answer: FeishuResponse<IDataObject>, itemIndex: number): ProcessOutcome {
	if (answer.code === 0) {
		const info = (answer.data?.approval_info ?? {}) as IDataObject;
		const current = Number(info.status ?? change.status.code);
		return { kind: 'changed', current: Number.isFinite(current) ? current : change.status.code };
	}
	if (/already|no row affected/i.test(answer.msg)) return { kind: 'already' };
	const error = client.errorFor(answer, { method: 'POST', path: PROCESS_PATH, itemIndex });
	return { kind: 'refused', reason: answer.msg || `Feishu error ${answer.code}`, code: answer.code, description: error.description ?? undefined };
}
