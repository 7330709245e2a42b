/**
 * Employees by work email or mobile number: the one place that turns them into Feishu user IDs
 * (`employee_type=employee_id` values) through POST /open-apis/contact/v3/users/batch_get_id
 * (https://open.feishu.cn/document/server-docs/contact-v3/user/batch_get_id).
 *
 * - `user_id_type=user_id`: the contact user_id is the attendance employee_id.
 * - At most 50 emails and 50 mobiles per call; a call carries both kinds at once, so a run needs
 *   max(⌈emails / 50⌉, ⌈mobiles / 50⌉) calls.
 * - Each distinct value is asked once per run (per FeishuClient; emails compared without case, mobiles
 *   without spaces, dashes and a +86 prefix), however many items and operations ask for it.
 * - Answers are matched by the echoed email / mobile, not by position (order is not guaranteed).
 * - A value Feishu answers without a user_id is an error of the items that gave it, naming the value and
 *   the reasons Feishu gives for it; a failed call (e.g. the app lacks the contact scope) is an error of
 *   every value it carried, with a hint naming the scopes.
 *
 * Used by helpers/query.ts (every Get Many over employees) and exposed for write operations:
 * `resolveEmployees(ctx, client, type, values, itemIndexOf)`.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../transport';
import { FEISHU_MAX_BATCH, chunk } from './batching';
import type { LookupIdType } from './employeeIdTypes';
import { isLookupIdType } from './employeeIdTypes';
import { inputError, withoutItemSuffix } from './output';

const BATCH_GET_ID_PATH = '/open-apis/contact/v3/users/batch_get_id';

/** The output field that carries the value the user gave, next to the resolved `employee_id`. */
export const GIVEN_FIELD: Record<LookupIdType, string> = {
	email: 'employee_email',
	mobile: 'employee_mobile',
};

const LABEL: Record<LookupIdType, string> = { email: 'email', mobile: 'mobile number' };

/** API scope of batch_get_id, and the field scope that user_id_type=user_id needs. */
const CONTACT_SCOPES = 'contact:user.id:readonly and contact:user.employee_id:readonly';

const SCOPE_HINT = `Looking employees up by email or mobile needs the app scopes ${CONTACT_SCOPES} (developer console → Permissions & Scopes, then publish a new app version), and the employees inside the app's contact data range.`;

/** Why Feishu answers a value without a user ID (docs/ASSUMPTIONS.md#contact-lookup-missing). */
const NOT_FOUND_REASONS: Record<LookupIdType, string> = {
	email:
		"Feishu answers no user ID when the address is unknown, belongs to an employee who has left, is a Feishu enterprise mailbox address (not supported by this lookup; use the address stored in the employee's contact profile), when the employee is outside the app's contact data range, or when the app lacks the field scope contact:user.employee_id:readonly.",
	mobile:
		"Feishu answers no user ID when the number is unknown, belongs to an employee who has left, lacks the country code (numbers outside mainland China need +<country code>, e.g. +85261234567), when the employee is outside the app's contact data range, or when the app lacks the field scope contact:user.employee_id:readonly.",
};

/**
 * The comparison key of a value: emails without case; mobiles without spaces, dashes, dots and brackets,
 * and mainland numbers with or without +86 alike. Undefined when the value cannot be one of its kind.
 */
export function lookupKey(type: LookupIdType, value: string): string | undefined {
	const text = String(value).trim();
	if (type === 'email')
		return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? text.toLowerCase() : undefined;
	const compact = text.replace(/[\s\-.()]/g, '');
	if (!/^\+?\d{7,15}$/.test(compact)) return undefined;
	const mainland = /^(?:\+86|0086)(1\d{10})$/.exec(compact);
	return mainland ? mainland[1] : compact;
}

/** The input error for a value that cannot be an email / mobile number (nothing is sent for it). */
function malformedValueMessage(type: LookupIdType, value: string): string {
	return type === 'email'
		? `"${value}" is not an email address`
		: `"${value}" is not a mobile number (digits, optionally with a leading + and country code; write a number without spaces inside a list)`;
}

interface Lookup {
	type: LookupIdType;
	key: string;
	/** the value as first given (sent to Feishu) */
	value: string;
	itemIndex: number;
}

/** A run's answers per `${type}|${key}`: the user ID, or the error for that value. */
type Answers = Map<string, Promise<string | Error>>;

/** One cache per run (FeishuClient), so that each distinct value is asked once however often it is needed. */
const RUN_ANSWERS = new WeakMap<FeishuClient, Answers>();

function answersOf(client: FeishuClient): Answers {
	let answers = RUN_ANSWERS.get(client);
	if (!answers) RUN_ANSWERS.set(client, (answers = new Map()));
	return answers;
}

function notFoundError(ctx: IExecuteFunctions, lookup: Lookup): NodeOperationError {
	return inputError(
		ctx,
		lookup.itemIndex,
		`Feishu found no employee with the ${LABEL[lookup.type]} "${lookup.value}"`,
		NOT_FOUND_REASONS[lookup.type],
	);
}

/**
 * A failed call: the client's error, with the scope hint when Feishu refused the app access (a missing field
 * scope may instead come back as answers without user IDs). UNCONFIRMED: see
 * docs/ASSUMPTIONS.md#contact-lookup-missing
 */
function callError(error: unknown): Error {
	if (error instanceof NodeApiError) {
		const code = Number((error.errorResponse as IDataObject | undefined)?.code);
		const scopeProblem =
			[99991672, 99991679, 40004, 41050].includes(code) ||
			/scope|permission|access denied/i.test(error.message);
		if (scopeProblem && !String(error.description ?? '').includes(CONTACT_SCOPES)) {
			error.description = `${SCOPE_HINT} ${error.description ?? ''}`.trim();
		}
		return error;
	}
	return error instanceof Error ? error : new Error(String(error));
}

/**
 * Sends the lookups not yet asked in this run, ≤ 50 emails and ≤ 50 mobiles per call, all calls at once
 * (the client's pacer bounds them), and records a promise of the answer of every value.
 */
function ask(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	lookups: Lookup[],
	answers: Answers,
): void {
	const fresh = new Map<string, Lookup>();
	for (const lookup of lookups) {
		const id = `${lookup.type}|${lookup.key}`;
		if (!answers.has(id) && !fresh.has(id)) fresh.set(id, lookup);
	}
	const emails = chunk(
		[...fresh.values()].filter((l) => l.type === 'email'),
		FEISHU_MAX_BATCH,
	);
	const mobiles = chunk(
		[...fresh.values()].filter((l) => l.type === 'mobile'),
		FEISHU_MAX_BATCH,
	);
	for (let i = 0; i < Math.max(emails.length, mobiles.length); i++) {
		const batch = [...(emails[i] ?? []), ...(mobiles[i] ?? [])];
		const call = (async () => {
			const body: IDataObject = { include_resigned: false };
			if (emails[i]?.length) body.emails = emails[i].map((l) => l.value);
			if (mobiles[i]?.length) body.mobiles = mobiles[i].map((l) => l.value);
			return await client.request<IDataObject>({
				method: 'POST',
				path: BATCH_GET_ID_PATH,
				qs: { user_id_type: 'user_id' },
				body,
				repeatable: true,
				itemIndex: Math.min(...batch.map((l) => l.itemIndex)),
			});
		})();
		for (const lookup of batch) {
			answers.set(
				`${lookup.type}|${lookup.key}`,
				call.then(
					(response) => userIdIn(response, lookup) ?? notFoundError(ctx, lookup),
					(error: unknown) => callError(error),
				),
			);
		}
	}
}

/**
 * The user ID Feishu answered for a lookup: the entry echoing its email / mobile (compared by lookupKey, as
 * the order of the answer is not guaranteed) with a non-empty user_id; a missing and an empty user_id both
 * mean "no user". UNCONFIRMED: see docs/ASSUMPTIONS.md#contact-lookup-missing and #contact-lookup-order
 */
function userIdIn(response: FeishuResponse<IDataObject>, lookup: Lookup): string | undefined {
	const list = (response.data?.user_list ?? []) as IDataObject[];
	for (const entry of list) {
		const echoed = entry?.[lookup.type];
		if (typeof echoed !== 'string' || lookupKey(lookup.type, echoed) !== lookup.key) continue;
		const userId = entry.user_id;
		if (typeof userId === 'string' && userId !== '') return userId;
	}
	return undefined;
}

/** One value to look up, and the item that gives it (for error messages). */
export interface LookupRequest {
	type: LookupIdType;
	value: string;
	itemIndex: number;
}

/**
 * Resolves emails and mobile numbers (both kinds at once, sharing calls) to Feishu user IDs: a Map from
 * `${type}|${value as given}` to the user ID or to the Error of that value for the item that gave it
 * (not found: a NodeOperationError naming the value and the reasons; malformed: an input error; a failed
 * call: the transport's NodeApiError). Values already asked in this run (same client) are not asked again.
 */
export async function resolveLookups(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	requests: LookupRequest[],
): Promise<Map<string, string | Error>> {
	const result = new Map<string, string | Error>();
	const pending = new Map<string, Lookup>();
	for (const { type, value, itemIndex } of requests) {
		const id = `${type}|${value}`;
		if (result.has(id) || pending.has(id)) continue;
		const key = lookupKey(type, value);
		if (key === undefined) {
			result.set(id, inputError(ctx, itemIndex, malformedValueMessage(type, value)));
			continue;
		}
		pending.set(id, { type, key, value: String(value).trim(), itemIndex });
	}
	const answers = answersOf(client);
	ask(ctx, client, [...pending.values()], answers);
	for (const [id, lookup] of pending) {
		const answer = await answers.get(`${lookup.type}|${lookup.key}`)!;
		result.set(
			id,
			typeof answer === 'string' ? answer : errorForItem(ctx, answer, lookup.itemIndex),
		);
	}
	return result;
}

/**
 * Resolves emails or mobile numbers of one kind to Feishu user IDs (the attendance `employee_id`), for
 * write operations: a Map from each value as given to its user ID or to its Error (see resolveLookups),
 * `itemIndexOf(value)` naming the item an error belongs to.
 */
export async function resolveEmployees(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	type: LookupIdType,
	values: string[],
	itemIndexOf: (value: string) => number,
): Promise<Map<string, string | Error>> {
	const answers = await resolveLookups(
		ctx,
		client,
		values.map((value) => ({ type, value, itemIndex: itemIndexOf(value) })),
	);
	return new Map(values.map((value) => [value, answers.get(`${type}|${value}`)!]));
}

/** What resolveItemEmployees gives back: the items to send (by user ID) and the items whose employee is unknown. */
interface ResolvedItems<T> {
	valid: Array<{ itemIndex: number; value: T }>;
	/** per item (in item order): the error of its email / mobile, and the field naming what it gave */
	errors: Map<number, { error: Error; given: IDataObject }>;
}

/**
 * For writes and per-employee operations (one employee per item, Employee ID Type read per item): resolves
 * the emails / mobiles of the items whose type is Email or Mobile, all distinct values of the run at once
 * (⌈n / 50⌉ calls per kind, both kinds sharing calls), before anything is sent. `given` names an item's type
 * and ID; `resolved` turns an item into one by user ID (employee_type employee_id; derived idempotency keys
 * from the user ID, so that a person is one record whichever way the sheet names them). Items of other types
 * pass unchanged; nothing is sent when there are none.
 */
export async function resolveItemEmployees<T>(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	valid: Array<{ itemIndex: number; value: T }>,
	given: (value: T) => { type: string; id: string },
	resolved: (value: T, userId: string, given: IDataObject) => T,
): Promise<ResolvedItems<T>> {
	const errors = new Map<number, { error: Error; given: IDataObject }>();
	const lookups = valid.flatMap(({ itemIndex, value }) => {
		const { type, id } = given(value);
		return isLookupIdType(type) ? [{ type, value: id, itemIndex }] : [];
	});
	if (lookups.length === 0) return { valid, errors };
	const answers = await resolveLookups(ctx, client, lookups);
	const out: Array<{ itemIndex: number; value: T }> = [];
	for (const entry of valid) {
		const { type, id } = given(entry.value);
		if (!isLookupIdType(type)) {
			out.push(entry);
			continue;
		}
		const fields = { [GIVEN_FIELD[type]]: String(id).trim() };
		const answer = answers.get(`${type}|${id}`)!;
		if (typeof answer === 'string')
			out.push({ itemIndex: entry.itemIndex, value: resolved(entry.value, answer, fields) });
		else
			errors.set(entry.itemIndex, {
				error: errorForItem(ctx, answer, entry.itemIndex),
				given: fields,
			});
	}
	return { valid: out, errors };
}

/**
 * The error of a value for one item: a not-found or malformed-value error names the item that first gave
 * the value; a value given by several items fails each of them with its own item index. Call errors stay.
 */
export function errorForItem(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
	if (error instanceof NodeApiError || !(error instanceof NodeOperationError)) return error;
	if (error.context?.itemIndex === itemIndex) return error;
	const bare = withoutItemSuffix(error.message);
	const message = bare === error.message ? bare : `${bare} [item ${itemIndex}]`;
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description: error.description ?? undefined,
	});
}

// ------------------------------------------------------------------- Get Many integration (query.ts)

/** What resolveQueryItems gives back to query.ts. */
export interface ResolvedQueryItems<T> {
	/** the items to plan calls for: emails / mobiles replaced by the user IDs they resolved to */
	valid: Array<{ itemIndex: number; value: T }>;
	/** items that named a value Feishu does not know (or whose lookup failed): their first error */
	itemErrors: Map<number, unknown>;
	/** adds the value the user gave (employee_email / employee_mobile) after employee_id to a row of a looked-up employee */
	label(employeeId: string, row: IDataObject): IDataObject;
}

/**
 * For a Get Many (helpers/query.ts queryEmployees): resolves the emails / mobiles of the items whose Employee
 * ID Type is Email or Mobile, before calls are planned, in as few batch_get_id calls as possible for the
 * whole run (both kinds share calls). Such an item continues with the user IDs, grouped with items that gave
 * employee IDs directly; a value Feishu does not know becomes the item's error while its other values still
 * run. Without Continue On Fail the first such error (in item order) stops the node before any attendance
 * call. Items of other types pass unchanged; nothing is sent when there are none.
 */
export async function resolveQueryItems<T extends { employeeIds: string[]; lookup?: LookupIdType }>(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	valid: Array<{ itemIndex: number; value: T }>,
): Promise<ResolvedQueryItems<T>> {
	// per user ID, the type and value it was first given as
	const givenOf = new Map<string, { type: LookupIdType; value: string }>();
	const itemErrors = new Map<number, unknown>();
	const label = (employeeId: string, row: IDataObject): IDataObject => {
		const given = givenOf.get(employeeId);
		if (!given) return row;
		const field = GIVEN_FIELD[given.type];
		// right after the row's employee ID (employee_id, or user_id in punch records), else at the end
		const anchor = 'employee_id' in row ? 'employee_id' : 'user_id' in row ? 'user_id' : undefined;
		const out: IDataObject = {};
		for (const [name, v] of Object.entries(row)) {
			out[name] = v;
			if (name === anchor) out[field] = given.value;
		}
		if (!(field in out)) out[field] = given.value;
		return out;
	};
	const typed = valid.map((entry) => ({ ...entry, type: entry.value.lookup }));
	if (typed.every(({ type }) => type === undefined)) return { valid, itemErrors, label };

	const answers = await resolveLookups(
		ctx,
		client,
		typed.flatMap(({ itemIndex, value, type }) =>
			type ? value.employeeIds.map((v) => ({ type, value: v, itemIndex })) : [],
		),
	);

	const out: Array<{ itemIndex: number; value: T }> = [];
	for (const { itemIndex, value, type } of typed) {
		if (!type) {
			out.push({ itemIndex, value });
			continue;
		}
		const ids: string[] = [];
		for (const v of value.employeeIds) {
			const answer = answers.get(`${type}|${v}`)!;
			if (typeof answer === 'string') {
				ids.push(answer);
				if (!givenOf.has(answer)) givenOf.set(answer, { type, value: String(v).trim() });
			} else if (!itemErrors.has(itemIndex)) {
				itemErrors.set(itemIndex, errorForItem(ctx, answer, itemIndex));
			}
		}
		if (ids.length > 0) out.push({ itemIndex, value: { ...value, employeeIds: ids } });
	}
	if (itemErrors.size > 0 && !ctx.continueOnFail()) {
		const [first] = [...itemErrors.entries()].sort(([a], [b]) => a - b);
		throw first[1];
	}
	return { valid: out, itemErrors, label };
}
