/**
 * Approval → Update Status (POST approval_infos/process): the approval types and new statuses it takes,
 * reading one item, and sending one status change and reading Feishu's answer.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { timezoneFrom } from '../../helpers/parameters';
import type { FeishuClient, FeishuResponse } from '../../transport';
import { GENERAL_ERROR_CODE } from '../../transport/errors';
import type { EnumEntry } from '../../helpers/enums';
import { resolveEnum } from '../../helpers/enums';
import { APPROVAL_KINDS } from './approvalOptions';
import { findHeldApproval } from './approvalQuery';
import { answerMayBeLost } from '../../helpers/outcome';
import { errorMessage, inputError } from '../../helpers/output';
import {
	ALL_REMEDY_STATUS_CODES,
	REMEDY_QUERY_PATH,
	remedyQueryBody,
	remedyQueryWindows,
} from '../../helpers/remedyQuery';
import { addDays, parseDay } from '../../helpers/time';
import { readOptionalText, readRecordId, readText } from '../../helpers/values';

const PROCESS_PATH = '/approval_infos/process';

/** Feishu's approval_type; accepts the names Create and Get Many output ('leave', 'trip', …) and Feishu's array names. */
export const PROCESS_APPROVAL_TYPES: Array<EnumEntry<string> & { aliases: string[] }> = [
	{ value: 'leave', name: 'Leave', code: 'leave', aliases: ['leaves'] },
	{ value: 'out', name: 'Out of Office', code: 'out', aliases: ['outs'] },
	{
		value: 'overtime',
		name: 'Overtime',
		code: 'overtime',
		aliases: ['overtime_works', 'overtimeWorks'],
	},
	{ value: 'trip', name: 'Business Trip', code: 'trip', aliases: ['trips'] },
	{ value: 'remedy', name: 'Remedy', code: 'remedy', aliases: ['remedies', 'remedys'] },
];

/** The new status: Feishu's value, the verb shown, and the word for the outcome. */
export const NEW_STATUSES: Array<EnumEntry<number> & { done: string }> = [
	{
		value: 'approve',
		name: 'Approve',
		code: 2,
		done: 'approved',
		description: 'Approve a pending remedy',
	},
	{
		value: 'reject',
		name: 'Reject',
		code: 1,
		done: 'rejected',
		description: 'Reject a pending remedy',
	},
	{
		value: 'revoke',
		name: 'Revoke',
		code: 4,
		done: 'revoked',
		description: 'Take back an approved leave, out of office, overtime, business trip or remedy',
	},
];

/** Feishu's status of an approval (ApprovalInfoApprovalStatusEnum). */
export const CURRENT_STATUS: Record<number, string> = {
	0: 'Pending',
	1: 'Rejected',
	2: 'Approved',
	3: 'Cancelled',
	4: 'Revoked',
};

/**
 * Answers that are Feishu's decision about this approval (not found, or a transition its state does not allow):
 * read back, never read from their wording. UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-process-repeat.
 */
const REFUSAL_CODES = [1220001, GENERAL_ERROR_CODE];

/** Who holds the approval and on which day: what reading it back needs (Feishu's queries are per employee). */
export interface Holder {
	employeeId: string;
	employeeIdType: string;
	/** yyyyMMdd: the approval's date (a remedy's remedy_date) */
	day: number;
	timeZone: string;
}

/** One item, checked: the call it makes, and `key`, equal for items that make the same call. */
export interface StatusChange {
	approvalType: string;
	approvalId: string;
	status: (typeof NEW_STATUSES)[number];
	comment?: string;
	/** absent when the item names no employee and day: the approval cannot be read back */
	holder?: Holder;
	key: string;
}

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

function readApprovalType(value: unknown): string {
	const text = typeof value === 'string' ? normalize(value) : '';
	const alias = PROCESS_APPROVAL_TYPES.find((t) => t.aliases.some((a) => normalize(a) === text));
	return alias ? alias.code : resolveEnum(PROCESS_APPROVAL_TYPES, value, 'Approval Type');
}

const isBlank = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The reader of the run's items (for validateItems): item → StatusChange, or an input error naming the item. */
export function statusChangeReader(ctx: IExecuteFunctions): (itemIndex: number) => StatusChange {
	return (itemIndex) => {
		const param = (name: string, fallback: unknown) =>
			ctx.getNodeParameter(name, itemIndex, fallback);
		let change: Omit<StatusChange, 'key'>;
		try {
			const approvalType = readApprovalType(param('approvalKind', 'leave'));
			const approvalId = readRecordId(param('approvalId', ''), 'Approval ID');
			const code = resolveEnum(NEW_STATUSES, param('newStatus', 'revoke'), 'New Status');
			const status = NEW_STATUSES.find((s) => s.code === code)!;
			const options = param('options', {}) as IDataObject;
			change = {
				approvalType,
				approvalId,
				status,
				comment: readOptionalText(options.comment, 'Comment'),
				holder: readHolder(ctx, itemIndex),
			};
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

/** Employee ID and Day (both or neither): what lets the node read the approval back. */
function readHolder(ctx: IExecuteFunctions, itemIndex: number): Holder | undefined {
	const employee = ctx.getNodeParameter('employeeId', itemIndex, '');
	const day = ctx.getNodeParameter('approvalDay', itemIndex, '');
	if (isBlank(employee) && isBlank(day)) return undefined;
	if (isBlank(day))
		throw new Error(
			'Day is empty: give the day of the approval with the Employee ID (or leave both empty)',
		);
	const timeZone = timezoneFrom(ctx, itemIndex);
	return {
		employeeId: readText(employee, 'Employee ID'),
		employeeIdType: String(ctx.getNodeParameter('employeeIdType', itemIndex, 'employee_id')),
		day: parseDay(day, timeZone),
		timeZone,
	};
}

/**
 * What became of a status change, from the state Feishu holds:
 * - done: the approval now has the status asked for, by this run (Feishu's answer said so, or the answer was
 *   lost or refused after this run resent the call, and reading back shows the status);
 * - already: Feishu held that status before this run (a refusal, and reading back shows the status);
 * - notDone: Feishu refused and the approval has another status (`current`), is not found, or could not be read
 *   back (`unread`: why);
 * - error: the call failed (network, server, permission) and nothing could be read back: follows Continue On Fail.
 */
export type ProcessOutcome =
	| { kind: 'done'; current: number }
	| { kind: 'already'; current: number }
	| {
			kind: 'notDone';
			answer: FeishuResponse<IDataObject>;
			current?: number;
			notFound?: boolean;
			unread?: string;
			description?: string;
	  }
	| { kind: 'error'; error: unknown };

/** Sends one status change; never throws. Safe to repeat: Feishu's state rule refuses a second transition. */
export async function processApproval(
	client: FeishuClient,
	change: StatusChange,
	itemIndex: number,
): Promise<ProcessOutcome> {
	let answer: FeishuResponse<IDataObject>;
	try {
		answer = await client.request<IDataObject>({
			method: 'POST',
			path: PROCESS_PATH,
			body: {
				approval_id: change.approvalId,
				approval_type: change.approvalType,
				status: change.status.code,
			},
			// a resend meets the state rule (or changes nothing): safe to repeat after a lost answer
			repeatable: true,
			acceptCodes: REFUSAL_CODES,
			itemIndex,
		});
	} catch (error) {
		// The answer may be lost after Feishu applied it (a timeout, a 5xx, 'no row affected' retried as
		// transient): what Feishu holds says whether it happened. UNCONFIRMED: see docs/ASSUMPTIONS.md#answer-lost-after-commit
		const held = change.holder
			? await readBack(client, change, itemIndex).catch(() => undefined)
			: undefined;
		if (held?.current === change.status.code) {
			// lost on the way (no answer, or a server error): this run's send made the change; a refusal: it was so before
			return { kind: answerMayBeLost(error) ? 'done' : 'already', current: held.current };
		}
		return { kind: 'error', error };
	}
	if (answer.code === 0) {
		// UNCONFIRMED reading C (a repeat answered with code 0): indistinguishable from a change made now.
		const info = (answer.data?.approval_info ?? {}) as IDataObject;
		const current = Number(info.status ?? change.status.code);
		return { kind: 'done', current: Number.isFinite(current) ? current : change.status.code };
	}
	// A refusal: whatever its wording, the approval's state says what happened.
	const description =
		client.errorFor(answer, { method: 'POST', path: PROCESS_PATH, itemIndex }).description ??
		undefined;
	if (!change.holder) {
		return {
			kind: 'notDone',
			answer,
			description,
			unread:
				'Fill in Employee ID and Day (the employee_id and date that Approval → Create and Get Many, or Remedy → Create, output) so that the node can read the approval back and report whether Feishu already holds that status.',
		};
	}
	let held: { current?: number };
	try {
		held = await readBack(client, change, itemIndex);
	} catch (error) {
		return {
			kind: 'notDone',
			answer,
			description,
			unread: `Reading the approval back failed: ${errorMessage(error)}`,
		};
	}
	if (held.current === undefined) return { kind: 'notDone', answer, description, notFound: true };
	if (held.current === change.status.code) {
		// A resend after a lost answer meets the state rule: this run's first send made the change.
		return answer.resent
			? { kind: 'done', current: held.current }
			: { kind: 'already', current: held.current };
	}
	return { kind: 'notDone', answer, description, current: held.current };
}

/**
 * The approval's status as Feishu holds it (undefined: not found for that employee and day). Leave, out,
 * overtime and trips: user_approvals/query of the employee on that day, one call per status (the status asked
 * for first); remedies: user_task_remedys/query of the employee on that day and the night after, every status.
 */
async function readBack(
	client: FeishuClient,
	change: StatusChange,
	itemIndex: number,
): Promise<{ current?: number }> {
	const holder = change.holder!;
	if (change.approvalType === 'remedy') {
		const windows = remedyQueryWindows(
			holder.day,
			addDays(holder.day, 1),
			holder.timeZone,
			2,
			ALL_REMEDY_STATUS_CODES,
		);
		for (const window of windows) {
			const answer = await client.request<IDataObject>({
				method: 'POST',
				path: REMEDY_QUERY_PATH,
				qs: { employee_type: holder.employeeIdType },
				body: remedyQueryBody([holder.employeeId], window),
				repeatable: true,
				itemIndex,
			});
			const found = ((answer.data?.user_remedys ?? []) as IDataObject[]).find(
				(r) => String(r.approval_id) === change.approvalId,
			);
			if (found) return { current: Number(found.status ?? window.status) };
		}
		return {};
	}
	const field = APPROVAL_KINDS[PROCESS_TO_KIND[change.approvalType]].field;
	const statuses = [change.status.code, ...[2, 4, 0, 1, 3].filter((s) => s !== change.status.code)];
	const held = await findHeldApproval(
		client,
		{ ...holder, itemIndex },
		field,
		statuses,
		(r) => String(r.approval_id) === change.approvalId,
	);
	return held ? { current: held.status } : {};
}

/** approval_type of approval_infos/process → the approval kind of Create / Get Many. */
const PROCESS_TO_KIND: Record<string, keyof typeof APPROVAL_KINDS> = {
	leave: 'leave',
	out: 'out',
	overtime: 'overtime',
	trip: 'trip',
};
