/**
 * The one outcome model of every write (Import, Delete, Approval Create and Update Status, Remedy Create,
 * Schedule Create or Update): each output item says, in `outcome`, one of three things with one meaning each:
 * - `done`: this run did it (also when Feishu's answer was lost and the state read back shows it done);
 * - `already done`: Feishu held it before this run (a re-run, an earlier item of the run, a duplicate);
 * - `not done`: it did not happen. The item carries `error` (what happened, naming `[item N]`), `errorReason`
 *   (a machine-readable key from NOT_DONE_REASONS) and, where the node knows it, `errorDescription` (what to do)
 *   and `errorDetails` (what Feishu answered, for support).
 * `status` keeps each operation's own word (`imported`, `revoked`, `scheduled`, …).
 *
 * Routing: n8n-core (WorkflowExecute.handleNodeErrorOutput, the same in n8n 1.123 and 2.41) sends an item to
 * the error output only when the item has `error` set on it (not in json) or its json holds nothing but
 * `error` (and `message`; 2.x also `details`); and it then replaces the json of an item with `error` set by
 * `{ error: message }`. So with On Error → "Continue (using error output)" a not-done item is output as
 * `{ error, message }` (n8n adds the input item's fields on that output); with any other setting it keeps
 * every field on the main output.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { compact, errorMessage } from '../../shared/json';
import { outputItem } from './output';

export type Outcome = 'done' | 'already done' | 'not done';

/** The machine-readable reasons of a not-done item, one set for every write. */
export const NOT_DONE_REASONS = {
	/** the item's own input was refused before anything was sent */
	invalidInput: 'invalid_input',
	/** Feishu does not know the employee (or the app cannot see them) */
	unknownEmployee: 'unknown_employee',
	/** the employee is outside the app's data permission */
	noDataPermission: 'no_data_permission',
	/** the employee is not in the attendance group named (on that day) */
	notInGroup: 'not_in_group',
	/** the shift does not exist (in that group) */
	unknownShift: 'unknown_shift',
	/** the attendance group does not exist */
	unknownGroup: 'unknown_group',
	/** the day does not exist in the month named */
	dayOutsideMonth: 'day_outside_month',
	/** the ID names nothing Feishu holds */
	notFound: 'not_found',
	/** the record's current state does not allow the change (e.g. only approved approvals can be revoked) */
	stateDoesNotAllow: 'state_does_not_allow',
	/** Feishu refused this record with a reason of its own (in `error`) */
	refused: 'refused',
	/** an earlier item of the run asked for the same thing and it was not done */
	sameAsFailedItem: 'same_as_failed_item',
	/** the call failed (network, server, permission, settings): nothing is known to have happened */
	requestFailed: 'request_failed',
	/** Feishu did not do it and gave no reason the node can read */
	noReason: 'no_reason',
} as const;

export type NotDoneReason = (typeof NOT_DONE_REASONS)[keyof typeof NOT_DONE_REASONS];

/** What an item that is not done says about why. */
export interface NotDone {
	/** what happened, in words an HR admin acts on (`[item N]` is added) */
	error: string;
	reason: NotDoneReason;
	/** what to do */
	errorDescription?: string;
	/** what Feishu answered (code, message, log ID) */
	errorDetails?: string;
}

const itemsOf = (items: number | number[]) => (Array.isArray(items) ? items : [items]);

/** `text [item N]`, once (texts that already name their item keep it). */
export function withItem(text: string, itemIndex: number): string {
	return /\[item \d+\]$/.test(text) ? text : `${text} [item ${itemIndex}]`;
}

/** A done item: `outcome` and the operation's `status` first, then the fields. */
export function doneItem(
	status: string,
	fields: IDataObject,
	items: number | number[],
): INodeExecutionData {
	return outputItem({ outcome: 'done', status, ...fields }, items);
}

/** An already-done item (Feishu held it before this run). */
export function alreadyDoneItem(
	status: string,
	fields: IDataObject,
	items: number | number[],
): INodeExecutionData {
	return outputItem({ outcome: 'already done', status, ...fields }, items);
}

/**
 * A not-done item. The run goes on: it is an output item, not a thrown error (callers throw first where an
 * error must stop the node without Continue On Fail). See the module comment for the error output.
 */
export function notDoneItem(
	ctx: IExecuteFunctions,
	status: string,
	fields: IDataObject,
	notDone: NotDone,
	items: number | number[],
): INodeExecutionData {
	const first = itemsOf(items)[0];
	const error = withItem(notDone.error, first);
	if (routesToErrorOutput(ctx)) {
		return outputItem(
			compact({ error, message: notDone.errorDescription ?? `${status}: ${notDone.reason}` }),
			items,
		);
	}
	return outputItem(
		compact({
			outcome: 'not done',
			status,
			error,
			errorReason: notDone.reason,
			errorDescription: notDone.errorDescription,
			errorDetails: notDone.errorDetails,
			...fields,
		}),
		items,
	);
}

/** Whether the node's On Error setting is "Continue (using error output)". */
export function routesToErrorOutput(ctx: IExecuteFunctions): boolean {
	return (ctx.getNode() as { onError?: string }).onError === 'continueErrorOutput';
}

/**
 * A failure after which Feishu may have applied the call: no answer (lost connection, timeout) or a server
 * error (5xx). What Feishu holds then says whether it happened; a 4xx refusal applied nothing.
 */
export function answerMayBeLost(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const status = Number(error.httpCode);
	return (
		!Number.isFinite(status) ||
		status === 0 ||
		status >= 500 ||
		typeof (error.errorResponse as { code?: unknown })?.code !== 'number'
	);
}

/** Feishu's documented code of user_daily_shifts/batch_create for a shift that does not exist. */
const SHIFT_NOT_FOUND = 1226003;

/** Feishu's code in the error of a failed call, if any. */
function codeOf(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const code = Number((error.errorResponse as { code?: unknown } | undefined)?.code);
	return Number.isFinite(code) ? code : undefined;
}

/**
 * A thrown error (an input error, a failed call) as the NotDone of an item: the message as `error`, its
 * description (the hint) as `errorDescription`. 1220004 / 1220005 get their own reasons.
 */
export function notDoneFromError(
	error: unknown,
	fallback: NotDoneReason = NOT_DONE_REASONS.requestFailed,
): NotDone {
	const description = (error as { description?: unknown } | undefined)?.description;
	const code = codeOf(error);
	const reason: NotDoneReason =
		error instanceof NodeOperationError &&
		!(error instanceof NodeApiError) &&
		fallback === NOT_DONE_REASONS.requestFailed
			? NOT_DONE_REASONS.invalidInput
			: code === 1220004
				? NOT_DONE_REASONS.unknownEmployee
				: code === 1220005
					? NOT_DONE_REASONS.noDataPermission
					: code === SHIFT_NOT_FOUND
						? NOT_DONE_REASONS.unknownShift
						: fallback;
	return compact({
		error: errorMessage(error),
		reason,
		errorDescription:
			typeof description === 'string' && description !== '' ? description : undefined,
	}) as unknown as NotDone;
}

/**
 * An error of one item: without Continue On Fail it is thrown (the node stops, as n8n expects); with it, a
 * not-done item with `status` and the fields.
 */
export function failedItem(
	ctx: IExecuteFunctions,
	error: unknown,
	status: string,
	fields: IDataObject,
	items: number | number[],
	fallback?: NotDoneReason,
): INodeExecutionData {
	const itemIndex = itemsOf(items)[0];
	if (!ctx.continueOnFail()) {
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), errorMessage(error), { itemIndex });
	}
	return notDoneItem(ctx, status, fields, notDoneFromError(error, fallback), items);
}

/**
 * An item `validateItems` refused (its json is `{ error }`, the error names the item): the same as every
 * other not-done item.
 */
export function invalidItem(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	status = 'failed',
): INodeExecutionData {
	const { error, errorDescription, ...rest } = item.json;
	return notDoneItem(
		ctx,
		status,
		rest,
		compact({
			error: String(error),
			reason: NOT_DONE_REASONS.invalidInput,
			errorDescription: errorDescription as string | undefined,
		}) as unknown as NotDone,
		itemIndex,
	);
}
