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
 */
import { FEISHU_MAX_BATCH, KeyIndex, chunk } from './batching';

/**
 * The employee IDs an item gives: one ID, a list separated by commas, semicolons or line breaks, or an
 * array (e.g. from an expression such as `{{ $json.employees }}`). Blank entries are dropped.
 */
export function employeeIdsOf(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : [value];
	const ids: string[] = [];
	for (const part of parts) {
		if (part === null || part === undefined) continue;
		if (typeof part === 'object') throw new Error('Employee IDs must be text or a list of text, not an object');
		for (const id of String(part).split(/[,;\n\r]+/)) {
			const trimmed = id.trim();
			if (trimmed !== '') ids.push(trimmed);
		}
	}
	return ids;
}

/** Items that share the same query parameters, and the distinct employees they ask for. */
export interface EmployeeQueryGroup<P> {
	readonly index: number;
	readonly params: P;
	readonly employees: KeyIndex;
}

/** Groups items by a key derived from their query parameters (e.g. `${from}-${to}`). */
export class EmployeeQueryGroups<P> {
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

/** One call of a plan: up to `batchSize` employees of one group over one window. */
export interface EmployeeCall<P, W> {
	group: EmployeeQueryGroup<P>;
	employeeIds: string[];
	window: W;
	/** the first item that asked for one of these employees (for error messages) */
	itemIndex: number;
}

export interface EmployeeCallOutcome<P, W, R> extends EmployeeCall<P, W> {
	result?: R;
	error?: unknown;
}

/**
 * Sends every call of the plan (groups × employee batches × windows) at once — the client's pacer
 * bounds them — and waits for all of them. Outcomes come back in plan order: group, batch, window.
 */
export async function runEmployeeQueries<P, W, R>(
	groups: Array<EmployeeQueryGroup<P>>,
	windowsOf: (params: P) => W[],
	send: (call: EmployeeCall<P, W>) => Promise<R>,
	batchSize: number = FEISHU_MAX_BATCH,
): Promise<Array<EmployeeCallOutcome<P, W, R>>> {
	const calls: Array<EmployeeCall<P, W>> = [];
	for (const group of groups) {
		const windows = windowsOf(group.params);
		for (const employeeIds of chunk(group.employees.keys, batchSize)) {
			const itemIndex = Math.min(...employeeIds.map((id) => group.employees.itemsOf(id)[0]));
			for (const window of windows) calls.push({ group, employeeIds, window, itemIndex });
		}
	}
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
export interface PairedRow<T> {
	employeeId: string;
	row: T;
	items: number[];
}

/**
 * Collects rows per employee of one group and hands them back ordered by employee (in the order the
 * items named them; rows for IDs Feishu spelled differently come last, paired with the call's items),
 * then in the order they were added (call order = chronological windows).
 */
export class EmployeeRows<T> {
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
		const items = [...new Set(callEmployeeIds.flatMap((id) => this.employees.itemsOf(id)))].sort((a, b) => a - b);
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
export function failuresOf<P, W, R>(
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
			for (const item of outcome.group.employees.itemsOf(id)) if (!itemErrors.has(item)) itemErrors.set(item, outcome.error);
		}
	}
	return { itemErrors, failedEmployees };
}
