/**
 * page_token pagination: the one mechanism behind every Feishu list that answers `{ <list>, page_token,
 * has_more }` (attendance groups, shifts, group members). Return All reads every page; Limit stops asking
 * once enough entries are in.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FeishuClient } from '../transport';
import { failItem, outputItem } from './output';

/** Feishu's largest page (groups and shifts: page_size 1–50). */
const MAX_PAGE_SIZE = 50;

/** One paginated GET list. */
interface PagedList {
	/** path below /open-apis/attendance/v1, e.g. '/groups' */
	path: string;
	/** the key of the entries in `data`, e.g. 'group_list' */
	listKey: string;
	/** other query parameters (page_size and page_token are added) */
	qs?: IDataObject;
	itemIndex?: number;
	/** called when a limit stopped the reading while Feishu had more entries (see hintLimitCut) */
	onCut?: () => void;
}

interface Page {
	entries: IDataObject[];
	/** the token of the next page; undefined on the last page */
	nextToken?: string;
}

/** Reads one page (page_size at most 50). */
export async function fetchPage(
	client: FeishuClient,
	list: PagedList,
	pageToken?: string,
	pageSize = MAX_PAGE_SIZE,
): Promise<Page> {
	const response = await client.request<IDataObject>({
		method: 'GET',
		path: list.path,
		qs: {
			...list.qs,
			page_size: Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize))),
			...(pageToken ? { page_token: pageToken } : {}),
		},
		repeatable: true,
		itemIndex: list.itemIndex,
	});
	const data = response.data ?? {};
	const raw = data[list.listKey];
	const entries = Array.isArray(raw) ? (raw as IDataObject[]) : [];
	const token =
		typeof data.page_token === 'string' && data.page_token !== '' ? data.page_token : undefined;
	return { entries, nextToken: data.has_more === true && token ? token : undefined };
}

/**
 * Every entry of a list (limit: Infinity), or the first `limit` entries. Pages are read one after another
 * (each needs the previous page's token). A token Feishu hands out twice would loop forever: it stops the
 * node with an error instead.
 */
export async function fetchAll(
	client: FeishuClient,
	list: PagedList,
	limit = Infinity,
): Promise<IDataObject[]> {
	const entries: IDataObject[] = [];
	const seen = new Set<string>();
	let token: string | undefined;
	do {
		const page = await fetchPage(
			client,
			list,
			token,
			Math.min(MAX_PAGE_SIZE, limit - entries.length),
		);
		entries.push(...page.entries);
		token = page.nextToken;
		if (token !== undefined) {
			if (seen.has(token)) {
				// A plain Error: the caller turns it into its item's error (failItem) or the node's.
				throw new Error(
					`Feishu returned the same page token twice while listing ${list.path}; the list was not read completely`,
				);
			}
			seen.add(token);
		}
	} while (token !== undefined && entries.length < limit);
	if (limit !== Infinity && (token !== undefined || entries.length > limit)) list.onCut?.();
	return limit === Infinity ? entries : entries.slice(0, limit);
}

/**
 * Tells the user, on the node, that a Get Many stopped at its Limit while Feishu had (or may have) more: a cut
 * export must not look complete. An n8n execution hint (shown above the output in n8n 1.123 and 2.x).
 */
export function hintLimitCut(ctx: IExecuteFunctions, limit: number, certain: boolean): void {
	ctx.addExecutionHints?.({
		message: certain
			? `Stopped at the Limit of ${limit}: Feishu has more. Turn on Return All (or raise Limit) to get everything.`
			: `Stopped asking Feishu at the Limit of ${limit}: the employees not asked yet may have more. Turn on Return All (or raise Limit) to get everything.`,
		type: 'warning',
		location: 'outputPane',
	});
}

/** What one item asks a list operation for: equal keys are asked once. */
interface ItemQuery<Q> {
	itemIndex: number;
	key: string;
	query: Q;
}

/**
 * Runs each distinct query once (all handed to the client at once; its pacer bounds them) and pairs its
 * rows with every item that asked it. Output in the order of each query's first item; a failed query fails
 * each of its items (failItem: an error item with Continue On Fail, else the node stops). `errors` are
 * items that failed before (validation, name lookup): they keep their place in the item order.
 */
export async function runQueries<Q>(
	ctx: IExecuteFunctions,
	queries: Array<ItemQuery<Q>>,
	errors: Map<number, INodeExecutionData>,
	run: (query: Q, itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const byKey = new Map<string, { query: Q; items: number[] }>();
	for (const { itemIndex, key, query } of queries) {
		const entry = byKey.get(key);
		if (entry) entry.items.push(itemIndex);
		else byKey.set(key, { query, items: [itemIndex] });
	}
	const outcomes = await Promise.all(
		[...byKey.values()].map(async ({ query, items }) => {
			try {
				return { items, rows: await run(query, items[0]) };
			} catch (error) {
				return { items, error };
			}
		}),
	);
	const slots: Array<{ first: number; output: () => INodeExecutionData[] }> = [];
	for (const outcome of outcomes) {
		slots.push({
			first: outcome.items[0],
			output: () =>
				'error' in outcome
					? outcome.items.map((itemIndex) => failItem(ctx, outcome.error, itemIndex))
					: (outcome.rows ?? []).map((row) => outputItem(row, outcome.items)),
		});
	}
	for (const [itemIndex, item] of errors) slots.push({ first: itemIndex, output: () => [item] });
	return slots.sort((a, b) => a.first - b.first).flatMap((slot) => slot.output());
}

/**
 * A whole list (every entry, or the first `limit`), read once for the run and paired with every input item
 * (Get Many of groups and of shifts); `toRow` shapes each entry for the output. A failed read fails every
 * item (failItem).
 */
export async function fetchAllForEveryItem(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	itemCount: number,
	list: Omit<PagedList, 'itemIndex'>,
	limit: number,
	toRow: (entry: IDataObject) => IDataObject = (entry) => entry,
): Promise<INodeExecutionData[]> {
	const queries = Array.from({ length: itemCount }, (_item, itemIndex) => ({
		itemIndex,
		key: 'all',
		query: undefined,
	}));
	let hinted = false;
	const onCut = () => {
		if (!hinted) hintLimitCut(ctx, limit, true);
		hinted = true;
	};
	return await runQueries(ctx, queries, new Map(), async (_query, itemIndex) =>
		(await fetchAll(client, { ...list, itemIndex, onCut }, limit)).map(toRow),
	);
}
