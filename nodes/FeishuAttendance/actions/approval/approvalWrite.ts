/**
 * Approval → Create: sending one record (one employee, one date) to POST user_approvals and deciding what
 * became of it.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../../transport';
import { GENERAL_ERROR_CODE, hintFor, isAlreadyExists } from '../../transport/errors';
import { buildApprovalBody } from './approvalBody';
import type { PreparedApproval } from './approvalInput';
import { APPROVAL_KINDS } from './approvalOptions';
import { findHeldApproval } from './approvalQuery';
import { APPROVAL_REJECTED, rejectionReason } from './approvalRejection';
import type { NotDone } from '../../helpers/outcome';
import { NOT_DONE_REASONS } from '../../helpers/outcome';
import { compact, errorMessage } from '../../helpers/output';
import { EMPLOYEE_UNKNOWN, NO_DATA_PERMISSION } from '../../helpers/refusedEmployees';
import { employeeIdTypeName } from '../../helpers/employeeIdTypes';

const CREATE_PATH = '/user_approvals';

/**
 * What became of one record:
 * - created / duplicate: stored by Feishu (by this run, or before it with the same idempotency key);
 * - failed: Feishu refused this very record (1225001 with a reason): a failed output item, the run goes on
 *   (as Import does with the records Feishu lists as failed);
 * - error: any other failure (other codes, transport errors): follows Continue On Fail.
 */
export type ApprovalOutcome =
	| { status: 'created'; approvalId?: string }
	| { status: 'duplicate'; approvalId?: string }
	| { status: 'failed'; error: NodeApiError }
	| { status: 'error'; error: unknown };

/** Sends one record and reads Feishu's answer; never throws (a failure is the 'error' outcome). */
export async function writeApproval(
	client: FeishuClient,
	prepared: PreparedApproval,
): Promise<ApprovalOutcome> {
	try {
		const answer = await client.request<IDataObject>({
			method: 'POST',
			path: CREATE_PATH,
			qs: { employee_type: prepared.employeeIdType },
			body: buildApprovalBody(prepared.employeeId, prepared.date, prepared.type, prepared.record),
			// every record carries an idempotency key, so a resend cannot create a second one
			repeatable: true,
			// 1220600 'no row affected' is still retried by the client (transient before acceptCodes)
			acceptCodes: [APPROVAL_REJECTED, GENERAL_ERROR_CODE],
			itemIndex: prepared.itemIndex,
		});
		return await outcomeOf(client, prepared, answer);
	} catch (error) {
		return { status: 'error', error };
	}
}

/**
 * Reads Feishu's answer to one record. How Feishu answers a repeated idempotent_id is not documented;
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#repeated-approval-key. Both readings are handled:
 * - 1220600 'the object already exists': nothing new stored → duplicate (created when this run's own earlier
 *   send may have stored it: the client resent the call after a lost answer), with the approval_id if any;
 * - code 0 with the stored record echoed as if new: indistinguishable from a first write, reported as
 *   created with the stored approval_id.
 */
async function outcomeOf(
	client: FeishuClient,
	prepared: PreparedApproval,
	answer: FeishuResponse<IDataObject>,
): Promise<ApprovalOutcome> {
	const req = { method: 'POST' as const, path: CREATE_PATH, itemIndex: prepared.itemIndex };
	const label = APPROVAL_KINDS[prepared.type].label;
	if (answer.code === APPROVAL_REJECTED) {
		const note = `Nothing was stored for this record. Common causes: it overlaps another ${label} of the employee that has a different idempotency key, or its times are invalid.`;
		const reason = rejectionReason(answer.msg, prepared.type);
		if (reason !== undefined) {
			return {
				status: 'failed',
				error: client.errorFor(answer, req, {
					note,
					message: `Feishu rejected the ${label}: ${reason}`,
				}),
			};
		}
		// No reason in a form this node can read: the raw message, as an error (follows Continue On Fail).
		const message = `Feishu rejected the ${label} (code ${answer.code}): ${answer.msg || 'no message'}`;
		return { status: 'error', error: client.errorFor(answer, req, { note, message }) };
	}
	if (answer.code === GENERAL_ERROR_CODE) {
		// Whatever the wording: read back whether Feishu holds a record with this idempotency key.
		const held = await heldWithKey(client, prepared);
		// The read-back cannot be asked (a day beyond Feishu's query window): the wording is all there is.
		const stored = held === 'unknown' ? isAlreadyExists(answer) : held !== undefined;
		if (!stored) return { status: 'error', error: client.errorFor(answer, req) };
		return {
			status: answer.resent ? 'created' : 'duplicate',
			approvalId: approvalIdIn(answer.data, prepared),
		};
	}
	return { status: 'created', approvalId: approvalIdIn(answer.data, prepared) };
}

/**
 * The record Feishu holds with this record's idempotency key (any status), undefined when none, 'unknown' when
 * the day cannot be asked (UNCONFIRMED: see docs/ASSUMPTIONS.md#repeated-approval-key).
 */
async function heldWithKey(
	client: FeishuClient,
	prepared: PreparedApproval,
): Promise<IDataObject | undefined | 'unknown'> {
	const key = prepared.record.idempotent_id;
	const who = {
		employeeId: prepared.employeeId,
		employeeIdType: prepared.employeeIdType,
		day: Number(prepared.date),
		timeZone: prepared.timeZone,
		itemIndex: prepared.itemIndex,
	};
	try {
		const held = await findHeldApproval(
			client,
			who,
			APPROVAL_KINDS[prepared.type].field,
			[2, 0, 1, 3, 4],
			(r) => key !== undefined && r.idempotent_id === key,
		);
		return held?.record;
	} catch {
		return 'unknown';
	}
}

/** The approval_id of this record in an answer's user_approval, if Feishu returned one. */
function approvalIdIn(
	data: IDataObject | undefined,
	prepared: PreparedApproval,
): string | undefined {
	const answered = (data?.user_approval as IDataObject | undefined)?.[
		APPROVAL_KINDS[prepared.type].field
	];
	if (!Array.isArray(answered)) return undefined;
	const records = answered as IDataObject[];
	const stored =
		records.find((r) => r?.idempotent_id === prepared.record.idempotent_id) ?? records[0];
	const id = stored?.approval_id;
	return typeof id === 'string' && id !== '' ? id : typeof id === 'number' ? String(id) : undefined;
}

/**
 * What an HR admin reads about a record that was not stored: `error` first, the reason they can act on;
 * `errorDetails` after it, the technical detail (Feishu's code and message, HTTP status, log ID, endpoint).
 */
export function describeFailure(error: unknown, prepared: PreparedApproval): NotDone {
	const message = errorMessage(error);
	const description = (error as { description?: unknown } | undefined)?.description;
	const details = typeof description === 'string' && description !== '' ? description : undefined;
	const answer =
		error instanceof NodeApiError
			? (error.errorResponse as { code?: unknown; msg?: unknown } | undefined)
			: undefined;
	if (typeof answer?.code !== 'number' || answer.code === APPROVAL_REJECTED) {
		// Feishu's rejection of this record names its reason in the message ("Feishu rejected the leave: …").
		const reason =
			answer?.code === APPROVAL_REJECTED
				? NOT_DONE_REASONS.refused
				: NOT_DONE_REASONS.requestFailed;
		return compact({ error: message, reason, errorDetails: details }) as unknown as NotDone;
	}
	const reasonKey =
		answer.code === EMPLOYEE_UNKNOWN
			? NOT_DONE_REASONS.unknownEmployee
			: answer.code === NO_DATA_PERMISSION
				? NOT_DONE_REASONS.noDataPermission
				: NOT_DONE_REASONS.requestFailed;
	const who = `${prepared.employeeId} (${employeeIdTypeName(prepared.employeeIdType)})`;
	const hint = hintFor(answer.code, typeof answer.msg === 'string' ? answer.msg : '', CREATE_PATH);
	const reason =
		answer.code === EMPLOYEE_UNKNOWN
			? `Feishu does not know the employee ${who}, or the app cannot see them. Check the Employee ID and the Employee ID Type.`
			: answer.code === NO_DATA_PERMISSION
				? `The app has no data permission for the employee ${who}. Widen the app's data-permission range in Feishu Attendance → Settings → API data permission.`
				: hint;
	if (reason === undefined)
		return compact({
			error: message,
			reason: reasonKey,
			errorDetails: details,
		}) as unknown as NotDone;
	// The technical detail without the hint that is now the reason.
	const rest = (details ?? '')
		.replace(hint ?? '\u0000', '')
		.replace(/\s{2,}/g, ' ')
		.trim();
	return {
		error: reason,
		reason: reasonKey,
		errorDetails: rest === '' ? message : `${message} ${rest}`,
	};
}
