/**
 * Attendance groups and shifts as parameters: the resource locators (From List / By ID / By Name) and the
 * one per-run directory that turns names into IDs and IDs into names. The directory lists all groups and
 * all shifts once per run (page_token pagination) however many items name them.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';

import type { FeishuClient } from '../transport';
import { failItem, inputError, validateItems } from './output';
import { fetchAll, runQueries } from './pagination';

type RuleKind = 'group' | 'shift';

/** How Feishu spells a group or a shift in its lists, and what the user calls it. */
const KINDS = {
	group: {
		path: '/groups',
		listKey: 'group_list',
		idKey: 'group_id',
		nameKey: 'group_name',
		label: 'attendance group',
	},
	shift: {
		path: '/shifts',
		listKey: 'shift_list',
		idKey: 'shift_id',
		nameKey: 'shift_name',
		label: 'shift',
	},
} as const;

/** Feishu's shift ID of a rest day in schedules. */
export const REST_DAY_SHIFT_ID = '0';
export const REST_DAY_NAME = 'Rest Day';

/** A resource locator for an attendance group or a shift: From List (searchable), By ID, By Name. */
export function ruleLocator(
	kind: RuleKind,
	overrides: Partial<INodeProperties> & Pick<INodeProperties, 'name' | 'displayName'>,
): INodeProperties {
	const group = kind === 'group';
	return {
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: group
			? 'The attendance group. By Name is looked up once per run among all groups of the tenant.'
			: 'The shift. By Name is looked up once per run among all shifts of the tenant.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: group ? 'Select an attendance group…' : 'Select a shift…',
				typeOptions: {
					searchListMethod: group ? 'searchGroups' : 'searchShifts',
					searchable: true,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: group ? 'e.g. 6921319402260496386' : 'e.g. 7023458093924646913',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*\\d+\\s*$',
							errorMessage: `A ${KINDS[kind].label} ID is a number`,
						},
					},
				],
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: group ? 'e.g. Retail Stores' : 'e.g. Early Shift',
			},
		],
		...overrides,
	};
}

/** A group or shift as an item gives it: an ID, or a name still to be looked up. */
export type RuleRef = { id: string; name?: string } | { name: string; id?: undefined };

/**
 * Reads a resource locator parameter of one item. An empty value is an input error of the item. A plain
 * string (an expression instead of a locator) is read as an ID when it is all digits, else as a name.
 */
export function readRuleRef(
	ctx: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	label: string,
): RuleRef {
	const raw = ctx.getNodeParameter(parameter, itemIndex, '') as
		INodeParameterResourceLocator | string | number;
	const locator: { mode: string; value: unknown } =
		typeof raw === 'object' && raw !== null
			? { mode: String(raw.mode ?? 'id'), value: raw.value }
			: { mode: 'auto', value: raw };
	if (typeof locator.value === 'number' && !Number.isSafeInteger(locator.value)) {
		throw inputError(
			ctx,
			itemIndex,
			`${label} ID ${locator.value} is a number too large to be exact (digits were lost before the node got it)`,
			'Keep group and shift IDs as text in the source: Feishu IDs have 19 digits, more than a number holds exactly.',
		);
	}
	const value =
		locator.value === null || locator.value === undefined ? '' : String(locator.value).trim();
	if (value === '' || typeof locator.value === 'object') {
		throw inputError(
			ctx,
			itemIndex,
			`${label} is empty`,
			`Choose the ${label.toLowerCase()} from the list, or give its ID or name.`,
		);
	}
	if (locator.mode === 'name') return { name: value };
	if (locator.mode === 'auto' && !/^\d+$/.test(value)) return { name: value };
	if (!/^\d+$/.test(value)) {
		throw inputError(
			ctx,
			itemIndex,
			`${label} ID "${value}" is not a number`,
			'Use By Name to give the name instead.',
		);
	}
	return { id: value };
}

/** What a name lookup found: the ID, or why there is none. */
type NameLookup = { id: string; name: string } | { error: string; description: string };

/** Lists all groups or all shifts once per run, for names ↔ IDs. */
export class RuleDirectory {
	private readonly lists = new Map<RuleKind, Promise<IDataObject[]>>();

	constructor(private readonly client: FeishuClient) {}

	/** All groups or shifts of the tenant (read once per run; a failed read is not repeated). */
	async all(kind: RuleKind, itemIndex?: number): Promise<IDataObject[]> {
		let list = this.lists.get(kind);
		if (!list) {
			const { path, listKey } = KINDS[kind];
			list = fetchAll(this.client, { path, listKey, itemIndex });
			this.lists.set(kind, list);
		}
		return await list;
	}

	/** Whether the list of `kind` was asked for in this run (so names of IDs can be added at no cost). */
	has(kind: RuleKind): boolean {
		return this.lists.has(kind);
	}

	/** ID → name of every group or shift. */
	async names(kind: RuleKind): Promise<Map<string, string>> {
		const { idKey, nameKey } = KINDS[kind];
		return new Map(
			(await this.all(kind)).map((entry) => [String(entry[idKey]), String(entry[nameKey] ?? '')]),
		);
	}

	/**
	 * The ID of a group or shift named `name`: the exact name, else the only one whose name differs just in
	 * case and surrounding spaces. None, or several, is an error message for the item.
	 */
	async lookUp(kind: RuleKind, name: string, itemIndex?: number): Promise<NameLookup> {
		const { idKey, nameKey, label } = KINDS[kind];
		const entries = await this.all(kind, itemIndex);
		const named = (test: (entryName: string) => boolean) =>
			entries
				.filter((entry) => test(String(entry[nameKey] ?? '')))
				.map((entry) => ({ id: String(entry[idKey]), name: String(entry[nameKey]) }));
		let found = named((entryName) => entryName === name);
		if (found.length === 0) {
			const folded = name.trim().toLowerCase();
			found = named((entryName) => entryName.trim().toLowerCase() === folded);
		}
		if (found.length === 1) return found[0];
		if (found.length === 0) {
			return {
				error: `No ${label} is named "${name}"`,
				description: `Feishu has ${entries.length} ${label}s; check the spelling, or choose the ${label} from the list.`,
			};
		}
		return {
			error: `${found.length} ${label}s are named "${name}" (IDs ${found.map((f) => f.id).join(', ')})`,
			description: `Give the ${label} by ID instead.`,
		};
	}
}

/** Feishu's group_type as a word. UNCONFIRMED: see docs/ASSUMPTIONS.md#group-type-encoding (0 and 1 both mean fixed). */
export function groupTypeName(groupType: unknown): string | undefined {
	const value = Number(groupType);
	if (groupType === undefined || groupType === null || groupType === '' || !Number.isInteger(value))
		return undefined;
	if (value === 0 || value === 1) return 'Fixed';
	if (value === 2) return 'Shift-Based';
	if (value === 3) return 'Free';
	return undefined;
}

/** A resolved group or shift of one item, or the item's error. */
export type Resolved = { id: string; name?: string } | { error: Error };

/**
 * Turns the refs of many items into IDs: IDs stay as given, names are looked up in the directory (one list
 * per run). An unknown or ambiguous name is an input error of its item only; a failed list read is the
 * error of every item that gave a name.
 */
export async function resolveRuleRefs(
	ctx: IExecuteFunctions,
	directory: RuleDirectory,
	kind: RuleKind,
	label: string,
	refs: Array<{ itemIndex: number; ref: RuleRef }>,
): Promise<Map<number, Resolved>> {
	const resolved = new Map<number, Resolved>();
	for (const { itemIndex, ref } of refs) {
		if (ref.id !== undefined) {
			resolved.set(itemIndex, { id: ref.id, name: ref.name });
			continue;
		}
		try {
			const found = await directory.lookUp(kind, ref.name, itemIndex);
			resolved.set(
				itemIndex,
				'id' in found
					? found
					: { error: inputError(ctx, itemIndex, `${label}: ${found.error}`, found.description) },
			);
		} catch (error) {
			resolved.set(itemIndex, { error: error as Error });
		}
	}
	return resolved;
}

/**
 * The group or shift every item names in `parameter`, as IDs: items are read first (validateItems), then
 * names are looked up (once per run). A bad item becomes an error item with Continue On Fail, else it stops
 * the node before anything else is asked.
 */
async function readRuleItems(
	ctx: IExecuteFunctions,
	count: number,
	directory: RuleDirectory,
	target: { kind: RuleKind; parameter: string; label: string },
): Promise<{
	valid: Array<{ itemIndex: number; id: string; name?: string }>;
	errors: Map<number, INodeExecutionData>;
}> {
	const { valid, errors } = validateItems(ctx, count, (itemIndex) =>
		readRuleRef(ctx, target.parameter, itemIndex, target.label),
	);
	const resolved = await resolveRuleRefs(
		ctx,
		directory,
		target.kind,
		target.label,
		valid.map(({ itemIndex, value }) => ({ itemIndex, ref: value })),
	);
	const ids: Array<{ itemIndex: number; id: string; name?: string }> = [];
	for (const { itemIndex } of valid) {
		const result = resolved.get(itemIndex)!;
		if ('error' in result) errors.set(itemIndex, failItem(ctx, result.error, itemIndex));
		else ids.push({ itemIndex, id: result.id, name: result.name });
	}
	return { valid: ids, errors };
}

/** The locator parameter of the operations that ask about one group or shift per item. */
const LOCATED: Record<RuleKind, { kind: RuleKind; parameter: string; label: string }> = {
	group: { kind: 'group', parameter: 'group', label: 'Attendance Group' },
	shift: { kind: 'shift', parameter: 'shift', label: 'Shift' },
};

/**
 * The operations that ask about the group or shift each item names (Get, Get Members): items read and names
 * turned into IDs (readRuleItems), then `run` once per distinct ID, its rows paired with every item that
 * named it (runQueries).
 */
export async function runPerRule(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	itemCount: number,
	kind: RuleKind,
	run: (id: string, itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = await readRuleItems(
		ctx,
		itemCount,
		new RuleDirectory(client),
		LOCATED[kind],
	);
	const queries = valid.map(({ itemIndex, id }) => ({ itemIndex, key: id, query: id }));
	return await runQueries(ctx, queries, errors, run);
}

/**
 * The group or shift each item names in its locator ('group' / 'shift'), as IDs (names looked up once per run in
 * `directory`), for the writes that act on one group or shift per item (Delete).
 */
export async function readRuleTargets(
	ctx: IExecuteFunctions,
	count: number,
	directory: RuleDirectory,
	kind: RuleKind,
): Promise<{
	valid: Array<{ itemIndex: number; id: string; name?: string }>;
	errors: Map<number, INodeExecutionData>;
}> {
	return await readRuleItems(ctx, count, directory, LOCATED[kind]);
}
