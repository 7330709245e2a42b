/**
 * Employee queries: the one mechanism behind every "Get Many" that asks Feishu about employees.
 *
 *   items (each naming one or more employee IDs, and query parameters such as a date range)
 *     → groups of items with equal parameters, each with its distinct employee IDs (KeyIndex)
 *     → one call per (≤ 50 employees) × (window of the range), all handed to the client at once
 *     → rows collected per employee, in the order the items named the employees,
 *       each paired with every item that asked for that employee.
 *
 * A failed call does not stop the other calls: its error is kept so that the operation can fail the
 * items that asked for those employees (or stop the node when Continue On Fail is off).
 *
 * A Get Many operation (parameters: descriptions/common.ts employeeQueryProperties) calls one function,
 * `queryEmployees(ctx, items.length, spec)`, with a small spec: how to read an item (readEmployeeIds /
 * readEmployeeDayRange help), the windows of a range, the call, how to read rows, and the limit (readLimit).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../transport';
import { FEISHU_MAX_BATCH, KeyIndex, chunk } from './batching';
import type { ResolvedQueryItems } from './employees';
import { resolveQueryItems } from './employees';
import type { EmployeeIdType, IdTypesTaken, LookupIdType } from './employeeIdTypes';
import { readEmployeeIdType } from './employeeIdTypes';
import { readList } from './input';
import {
	errorMessage,
	failItem,
	inputError as itemInputError,
	outputItem,
	validateItems,
} from './output';
import { hintLimitCut } from './pagination';
import { addDays, dayNumberToIsoDate, parseDay, toDayNumber } from './time';
import { timezoneFrom } from './parameters';

// ------------------------------------------------------------------------------ reading the items

/**
 * The employee IDs an item gives in Employee IDs (read by readList: one ID, a list, or an array; objects,
 * booleans and blank array entries are refused); none is an input error. `inputError` builds the operation's
 * error for a message and a hint (default: helpers/output inputError, which names the item).
 */
export function readEmployeeIds(
	ctx: IExecuteFunctions,
	itemIndex: number,
	inputError: (message: string, description?: string) => Error = (message, description) =>
		itemInputError(ctx, itemIndex, message, description),
): string[] {
	let employeeIds: string[];
	try {
		employeeIds = readList(ctx.getNodeParameter('employeeIds', itemIndex, ''), 'Employee IDs');
	} catch (error) {
		throw inputError(
			errorMessage(error),
			'Map the employee ID of each item as text, e.g. {{ $json.employee_id }}.',
		);
	}
	if (employeeIds.length === 0) {
		throw inputError(
			'Employee IDs is empty',
			'Map the employee ID of each item, e.g. {{ $json.employee_id }}.',
		);
	}
	return employeeIds;
}

/**
 * An item's Employee ID Type (an expression may give each item its own) for an endpoint that takes `types`
 * (default: open_id, and Email / Mobile looked up first), else an input error naming the item.
 */
export function readItemEmployeeIdType(
	ctx: IExecuteFunctions,
	itemIndex: number,
	types: IdTypesTaken = ALL_TYPES,
): EmployeeIdType {
	try {
		return readEmployeeIdType(
			ctx.getNodeParameter('employeeIdType', itemIndex, 'employee_id'),
			types,
		);
	} catch (error) {
		throw itemInputError(ctx, itemIndex, errorMessage(error));
	}
}

const ALL_TYPES: IdTypesTaken = { openId: true, lookup: true };

/**
 * The earliest day a query may start on (Feishu's attendance data starts 2022-01-01, Beijing time).
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#query-range-window
 */
const EARLIEST_QUERY_DAY = 20220101;

/** How far after today (in days) a query may reach: a typo in the year must not cost thousands of calls. */
const MAX_DAYS_AHEAD = 366;

/**
 * Checks a query range of days for plausibility: To not before From, From not before 2022-01-01, To not more
 * than a year after today (in `timeZone`). Throws an input error naming the item.
 */
export function checkDayRange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	from: number,
	to: number,
	timeZone: string,
): void {
	const iso = dayNumberToIsoDate;
	if (to < from)
		throw itemInputError(ctx, itemIndex, `To (${iso(to)}) is before From (${iso(from)})`);
	if (from < EARLIEST_QUERY_DAY) {
		throw itemInputError(
			ctx,
			itemIndex,
			`From (${iso(from)}) is before ${iso(EARLIEST_QUERY_DAY)}, the earliest day Feishu has attendance data for`,
			'Check the year of From.',
		);
	}
	const today = toDayNumber(Date.now(), timeZone);
	const latest = addDays(today, MAX_DAYS_AHEAD);
	if (to > latest) {
		throw itemInputError(
			ctx,
			itemIndex,
			`To (${iso(to)}) is more than a year after today (${iso(today)})`,
			'Check the year of To. Every month of a range costs Feishu calls.',
		);
	}
}

/**
 * What an item of a Get Many over days asks about: its Employee ID Type and employee IDs (readEmployeeIds),
 * and From and To as yyyyMMdd days in the item's time zone (`timeZone`, default: the item's Timezone option,
 * see timezoneFrom), checked by checkDayRange. `idTypes`: the Employee ID Types the endpoint takes (see
 * readItemEmployeeIdType). `employeeIdType` is what is sent to Feishu; `lookup`: the IDs are emails / mobiles,
 * resolved by queryEmployees first. Every error names the item.
 */
export function readEmployeeDayRange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	timeZone: string = timezoneFrom(ctx, itemIndex),
	idTypes?: IdTypesTaken,
): {
	employeeIdType: string;
	lookup?: LookupIdType;
	employeeIds: string[];
	from: number;
	to: number;
	timeZone: string;
} {
	const { employeeType: employeeIdType, lookup } = readItemEmployeeIdType(ctx, itemIndex, idTypes);
	const employeeIds = readEmployeeIds(ctx, itemIndex);
	const readDay = (name: string, label: string): number => {
		try {
			return parseDay(ctx.getNodeParameter(name, itemIndex, ''), timeZone);
		} catch (error) {
			throw itemInputError(ctx, itemIndex, `${label} ${errorMessage(error)}`);
		}
	};
	const from = readDay('from', 'From');
	const to = readDay('to', 'To');
	checkDayRange(ctx, itemIndex, from, to, timeZone);
	return { employeeIdType, lookup, employeeIds, from, to, timeZone };
}

// ---------------------------------------------------------------------------------- the calls

/** Items that share the same query parameters, and the distinct employees they ask for. */
interface EmployeeQueryGroup<P> {
	readonly index: number;
	readonly params: P;
	readonly employees: KeyIndex;
}

/** Groups items by a key derived from their query parameters (e.g. `${from}-${to}`). */
class EmployeeQueryGroups<P> {
	private readonly groups = new Map<string, EmployeeQueryGroup<P>>();

	add(key: string, params: P, employeeIds: string[], itemIndex: number): void {
		let group = this.groups.get(key);
		if (!group) {
			group = { index: this.groups.size, params, employees: new KeyIndex() };
			this.groups.set(key, group);
		}
		for (const id of employeeIds) group.employees.add(id, itemIndex);
	}

	get list(): Array<EmployeeQueryGroup<P>> {
		return [...this.groups.values()];
	}
}

/** What one item of a Get Many asks for: employees, and query parameters with their grouping key. */
interface EmployeeQueryItem<P> {
	employeeIds: string[];
	params: P;
	/** equal for items whose parameters are equal, e.g. [employeeIdType, from, to].join('|') */
	key: string;
	/** the employee IDs are emails / mobiles, looked up before calls are planned */
	lookup?: LookupIdType;
}

/**
 * Reads and checks every item first (validateItems: a bad item stops the node, or with Continue On Fail
 * becomes an error item), then groups the good ones by key, in item order.
 */
async function groupItems<P>(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	count: number,
	read: (itemIndex: number) => EmployeeQueryItem<P>,
): Promise<{
	groups: Array<EmployeeQueryGroup<P>>;
	errors: Map<number, INodeExecutionData>;
	lookups: ResolvedQueryItems<EmployeeQueryItem<P>>;
}> {
	const { valid, errors } = validateItems(ctx, count, read);
	// Items given by Email / Mobile continue with the user IDs their values resolve to (helpers/employees.ts:
	// each distinct value once per run, in as few calls as possible); unknown values become item errors.
	const lookups = await resolveQueryItems(ctx, client, valid);
	const groups = new EmployeeQueryGroups<P>();
	for (const { itemIndex, value } of lookups.valid)
		groups.add(value.key, value.params, value.employeeIds, itemIndex);
	return { groups: groups.list, errors, lookups };
}

/** One call of a plan: up to `batchSize` employees of one group over one window. */
interface EmployeeCall<P, W> {
	group: EmployeeQueryGroup<P>;
	employeeIds: string[];
	window: W;
	/** the first item that asked for one of these employees (for error messages) */
	itemIndex: number;
}

interface EmployeeCallOutcome<P, W, R> extends EmployeeCall<P, W> {
	result?: R;
	error?: unknown;
}

/** The calls of a plan: per group, per batch of at most `batchSize` employees, per window. */
function planCalls<P, W>(
	groups: Array<EmployeeQueryGroup<P>>,
	windowsOf: (params: P) => W[],
	batchSize: number,
): Array<Array<EmployeeCall<P, W>>> {
	const batches: Array<Array<EmployeeCall<P, W>>> = [];
	for (const group of groups) {
		const windows = windowsOf(group.params);
		for (const employeeIds of chunk(group.employees.keys, batchSize)) {
			const itemIndex = Math.min(...employeeIds.map((id) => group.employees.itemsOf(id)[0]));
			batches.push(windows.map((window) => ({ group, employeeIds, window, itemIndex })));
		}
	}
	return batches;
}

/** Sends calls at once (the client's pacer bounds them); outcomes come back in the calls' order. */
async function sendCalls<P, W, R>(
	calls: Array<EmployeeCall<P, W>>,
	send: (call: EmployeeCall<P, W>) => Promise<R>,
): Promise<Array<EmployeeCallOutcome<P, W, R>>> {
	return await Promise.all(
		calls.map(async (call): Promise<EmployeeCallOutcome<P, W, R>> => {
			try {
				return { ...call, result: await send(call) };
			} catch (error) {
				return { ...call, error };
			}
		}),
	);
}

/** A row of a merged answer with the items it is paired with. */
interface PairedRow<T> {
	employeeId: string;
	row: T;
	items: number[];
}

/**
 * Collects rows per employee of one group and hands them back ordered by employee (in the order the
 * items named them; rows for IDs Feishu spelled differently come last, paired with the call's items),
 * then in the order they were added (call order = chronological windows).
 */
class EmployeeRows<T> {
	private readonly rows = new Map<string, T[]>();

	private readonly strays: Array<PairedRow<T>> = [];

	constructor(private readonly employees: KeyIndex) {}

	/** `callEmployeeIds`: the IDs the call asked for, to pair rows whose ID Feishu did not echo as sent. */
	add(employeeId: string, row: T, callEmployeeIds: string[]): void {
		if (this.employees.itemsOf(employeeId).length > 0) {
			const list = this.rows.get(employeeId);
			if (list) list.push(row);
			else this.rows.set(employeeId, [row]);
			return;
		}
		const items = [...new Set(callEmployeeIds.flatMap((id) => this.employees.itemsOf(id)))].sort(
			(a, b) => a - b,
		);
		this.strays.push({ employeeId, row, items });
	}

	ordered(): Array<PairedRow<T>> {
		const out: Array<PairedRow<T>> = [];
		for (const employeeId of this.employees.keys) {
			const items = this.employees.itemsOf(employeeId);
			for (const row of this.rows.get(employeeId) ?? []) out.push({ employeeId, row, items });
		}
		return [...out, ...this.strays];
	}
}

/**
 * The first error per item of the failed calls (items that asked for an employee of a failed call), and
 * per group the employees whose answer is incomplete (their rows must not be output).
 */
function failuresOf<P, W, R>(
	outcomes: Array<EmployeeCallOutcome<P, W, R>>,
): { itemErrors: Map<number, unknown>; failedEmployees: Map<number, Set<string>> } {
	const itemErrors = new Map<number, unknown>();
	const failedEmployees = new Map<number, Set<string>>();
	for (const outcome of outcomes) {
		if (outcome.error === undefined) continue;
		let failed = failedEmployees.get(outcome.group.index);
		if (!failed) failedEmployees.set(outcome.group.index, (failed = new Set()));
		for (const id of outcome.employeeIds) {
			failed.add(id);
			for (const item of outcome.group.employees.itemsOf(id))
				if (!itemErrors.has(item)) itemErrors.set(item, outcome.error);
		}
	}
	return { itemErrors, failedEmployees };
}

// --------------------------------------------------------------------------------- the output

/** A call that Feishu answered, and its answer. */
type AnsweredCall<P, W, R> = EmployeeCall<P, W> & { result: R };

/**
 * The rows of every group, group after group, each group's rows ordered by EmployeeRows. `rowsOf` turns one
 * answered call (in plan order) into rows with `add`; rows of employees whose answer is incomplete (a call
 * for them failed, see failuresOf) are left out.
 */
function collectRows<P, W, R>(
	groups: Array<EmployeeQueryGroup<P>>,
	outcomes: Array<EmployeeCallOutcome<P, W, R>>,
	failedEmployees: Map<number, Set<string>>,
	rowsOf: (
		call: AnsweredCall<P, W, R>,
		add: (employeeId: string, row: IDataObject) => void,
	) => void,
): Array<PairedRow<IDataObject>> {
	// The answered calls of each group, in plan order (one pass over the outcomes).
	const answeredByGroup = new Map<EmployeeQueryGroup<P>, Array<AnsweredCall<P, W, R>>>();
	for (const outcome of outcomes) {
		if (!outcome.result) continue;
		const answered = answeredByGroup.get(outcome.group);
		if (answered) answered.push(outcome as AnsweredCall<P, W, R>);
		else answeredByGroup.set(outcome.group, [outcome as AnsweredCall<P, W, R>]);
	}
	return groups.flatMap((group) => {
		const rows = new EmployeeRows<IDataObject>(group.employees);
		const failed = failedEmployees.get(group.index);
		for (const outcome of answeredByGroup.get(group) ?? []) {
			rowsOf(outcome, (employeeId, row) => {
				if (!failed?.has(employeeId)) rows.add(employeeId, row, outcome.employeeIds);
			});
		}
		return rows.ordered();
	});
}

/**
 * A Get Many's output: its rows, then the items that failed validation, then the items whose calls failed
 * (each in item order). Without Continue On Fail the first failed call stops the node (failItem throws).
 */
function employeeQueryOutput(
	ctx: IExecuteFunctions,
	rows: Array<PairedRow<IDataObject>>,
	invalidItems: Map<number, INodeExecutionData>,
	itemErrors: Map<number, unknown>,
): INodeExecutionData[] {
	const byItem = <V>(map: Map<number, V>) => [...map.entries()].sort(([a], [b]) => a - b);
	const errorItems = byItem(itemErrors).map(([itemIndex, error]) =>
		failItem(ctx, error, itemIndex),
	);
	return [
		...rows.map(({ row, items }) => outputItem(row, items)),
		...byItem(invalidItems).map(([, item]) => item),
		...errorItems,
	];
}

// --------------------------------------------------------------------------- the one entry point

/**
 * What a Get Many over employees is: how to read an item, how to split its range, the call for one batch of
 * employees over one window, and how to read rows out of an answer. `queryEmployees` does the rest:
 * validation (bad items stop the node or become error items), grouping of equal queries, distinct
 * employees asked once per group in batches of `employeesPerCall`, every call through the client, rows
 * merged per employee and paired with every item that asked, failed calls reported on their items, and
 * Limit (calls stop once enough rows are in).
 */
interface EmployeeQuerySpec<P, W, R = FeishuResponse> {
	/** Reads one item: its employees, its query parameters and the grouping key (throws input errors). */
	read(itemIndex: number): EmployeeQueryItem<P>;
	/** The windows one group's range is asked in (once per group); default: one window. */
	windows?(params: P): W[];
	/** Most employees per call (default 50). */
	employeesPerCall?: number;
	/** Sends one call: a batch of employees of a group over a window. */
	send(call: EmployeeCall<P, W>): Promise<R>;
	/**
	 * Turns one answered call (in plan order) into rows with `add(employeeId, row)`; `fail(employeeId, error)`
	 * reports an employee Feishu refused inside an answer (the items that asked for them get the error).
	 */
	rows(
		call: AnsweredCall<P, W, R>,
		add: (employeeId: string, row: IDataObject) => void,
		fail: (employeeId: string, error: unknown) => void,
	): void;
	/** Max rows counted by `counts` (default Infinity = Return All). */
	limit?: number;
	/** Whether a row counts toward the limit (default: every row); rows that do not count are always output. */
	counts?(row: IDataObject): boolean;
	/** Last look at the errors of failed calls before they reach items (e.g. to add a hint); optional. */
	onCallErrors?(errors: Set<unknown>): void;
}

/**
 * The Get Many flow in one call (see EmployeeQuerySpec). With a finite limit the employee batches are asked
 * one after another (all windows of a batch at once) and no further batch is asked once the limit is
 * reached; with Return All every call is handed to the client at once (its pacer bounds them).
 */
export async function queryEmployees<P, W = undefined, R = FeishuResponse>(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	count: number,
	spec: EmployeeQuerySpec<P, W, R>,
): Promise<INodeExecutionData[]> {
	const limit = spec.limit ?? Infinity;
	const counts = spec.counts ?? (() => true);
	const windowsOf = spec.windows ?? (() => [undefined as W]);
	const batchSize = spec.employeesPerCall ?? FEISHU_MAX_BATCH;
	const { groups, errors, lookups } = await groupItems<P>(ctx, client, count, spec.read);
	const batches = planCalls(groups, windowsOf, batchSize);

	// Rows are read once per answered call (spec.rows may keep state, e.g. report an ID once).
	const read = new Map<AnsweredCall<P, W, R>, Array<[string, IDataObject]>>();
	const refused: Array<{ group: EmployeeQueryGroup<P>; employeeId: string; error: unknown }> = [];
	const rowsOf = (
		call: AnsweredCall<P, W, R>,
		add: (employeeId: string, row: IDataObject) => void,
	) => {
		let list = read.get(call);
		if (!list) {
			const rows: Array<[string, IDataObject]> = [];
			spec.rows(
				call,
				(employeeId, row) => rows.push([employeeId, lookups.label(employeeId, row)]),
				(employeeId, error) => refused.push({ group: call.group, employeeId, error }),
			);
			read.set(call, (list = rows));
		}
		for (const [employeeId, row] of list) add(employeeId, row);
	};

	let outcomes: Array<EmployeeCallOutcome<P, W, R>> = [];
	let unasked = 0;
	if (limit === Infinity) {
		outcomes = await sendCalls(batches.flat(), spec.send);
	} else {
		// One employee batch at a time, in output order; no further batch once the rows reach the limit.
		let counted = 0;
		for (const [index, batch] of batches.entries()) {
			if (counted >= limit) {
				unasked = batches.length - index;
				break;
			}
			const answered = await sendCalls(batch, spec.send);
			outcomes.push(...answered);
			for (const outcome of answered) {
				if (outcome.result !== undefined) {
					rowsOf(outcome as AnsweredCall<P, W, R>, (_id, row) => {
						if (counts(row)) counted++;
					});
				}
			}
		}
	}

	const { itemErrors, failedEmployees } = failuresOf(outcomes);
	spec.onCallErrors?.(new Set(itemErrors.values()));
	const rows = collectRows(groups, outcomes, failedEmployees, rowsOf);
	for (const [itemIndex, error] of lookups.itemErrors)
		if (!itemErrors.has(itemIndex)) itemErrors.set(itemIndex, error);
	for (const { group, employeeId, error } of refused) {
		for (const itemIndex of group.employees.itemsOf(employeeId))
			if (!itemErrors.has(itemIndex)) itemErrors.set(itemIndex, error);
	}
	let taken = 0;
	const limited =
		limit === Infinity ? rows : rows.filter(({ row }) => !counts(row) || taken++ < limit);
	// A cut must not look complete: rows left out, or employees not asked once the limit was reached.
	if (taken > limit) hintLimitCut(ctx, limit, true);
	else if (unasked > 0) hintLimitCut(ctx, limit, false);
	return employeeQueryOutput(ctx, limited, errors, itemErrors);
}
