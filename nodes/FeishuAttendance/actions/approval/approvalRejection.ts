/**
 * Feishu's 1225001 answer to POST user_approvals: it refused the record(s) of the call and says why in `msg`.
 * Documented only as the template
 * {"TripErrorRecords":"","OvertimeWorkErrorRecords":"","LeaveErrorRecords":"","OutErrorRecords":""}.
 * Approval → Create sends one record per call, so every 1225001 is about that record; this module only reads
 * the reason out of the message.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ApprovalType } from './approvalOptions';
import { APPROVAL_KINDS } from './approvalOptions';

/** Feishu's code for approval records it refused (msg lists them per type). */
export const APPROVAL_REJECTED = 1225001;

/** Keys that may carry the reason inside a rejected record. */
const REASON_KEYS = ['reason', 'err_msg', 'error_msg', 'msg', 'message'];

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The reasons inside one part of the message: a record, a list of records, or the same as JSON text. */
function reasonsIn(value: unknown, depth = 0): string[] {
	if (typeof value === 'string') {
		const parsed = depth < 2 && value.trim() !== '' ? parseJson(value) : undefined;
		return typeof parsed === 'object' && parsed !== null ? reasonsIn(parsed, depth + 1) : [];
	}
	if (Array.isArray(value)) return value.flatMap((entry) => reasonsIn(entry, depth + 1));
	if (typeof value !== 'object' || value === null) return [];
	const record = value as IDataObject;
	const key = Object.keys(record).find(
		(k) =>
			REASON_KEYS.includes(k.toLowerCase()) && typeof record[k] === 'string' && record[k] !== '',
	);
	return key ? [record[key] as string] : [];
}

/**
 * Why Feishu refused the record of `type`, read from the 1225001 `msg`: the reason(s) of the records listed
 * under the type's key (e.g. LeaveErrorRecords, as a JSON text or a list of `{…, reason}`), joined with '; '.
 * Undefined when the message carries no such reason (plain text, another shape): the caller reports the raw
 * message instead.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-rejection-message
 */
export function rejectionReason(msg: string, type: ApprovalType): string | undefined {
	const parsed = parseJson(msg);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
	const wanted = APPROVAL_KINDS[type].errorKey.toLowerCase();
	const part = Object.entries(parsed as IDataObject).find(
		([key]) => key.toLowerCase() === wanted,
	)?.[1];
	const reasons = reasonsIn(part);
	return reasons.length > 0 ? [...new Set(reasons)].join('; ') : undefined;
}
