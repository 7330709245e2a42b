/**
 * Batching: the one mechanism every operation uses to turn n8n items into Feishu calls.
 * Concurrency and pacing are the transport's job (FeishuClient's Pacer): operations start all batches
 * and the client decides when each one is sent.
 */

/** Feishu's documented maximum of records / user IDs per call (Feishu's docs of user_flows/batch_create and user_tasks/query). */
export const FEISHU_MAX_BATCH = 50;

/**
 * Default longest date range per query call (Window (Days)): Feishu documents 30 days only for approvals;
 * for punch records and results the maximum is undocumented (docs/ASSUMPTIONS.md#query-range-window), 30 days are known to work.
 */
export const DEFAULT_WINDOW_DAYS = 30;

/** The Batch Size option's value as a whole number from 1 to 50; not set (or 0): `fallback`. */
export function batchSizeOf(value: unknown, fallback: number): number {
	return Math.min(FEISHU_MAX_BATCH, Math.max(1, Math.floor(Number(value)) || fallback));
}

export function chunk<T>(values: T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1)
		throw new Error(`Batch size must be a whole number of at least 1, got ${size}`);
	const chunks: T[][] = [];
	for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
	return chunks;
}

/** Runs `task` for every batch; all batches are handed to the client at once, results keep batch order. */
export async function forEachBatch<T, R>(
	values: T[],
	size: number,
	task: (batch: T[], index: number) => Promise<R>,
): Promise<R[]> {
	return await Promise.all(
		chunk(values, size).map(async (batch, index) => await task(batch, index)),
	);
}

/**
 * Collects distinct keys (e.g. employee IDs) from items, remembering which items asked for each key,
 * so that each key is sent to Feishu once and every result can be paired back with its items.
 */
export class KeyIndex {
	private readonly items = new Map<string, number[]>();

	add(key: string, itemIndex: number): void {
		const list = this.items.get(key);
		if (!list) this.items.set(key, [itemIndex]);
		else if (list[list.length - 1] !== itemIndex) list.push(itemIndex);
	}

	get keys(): string[] {
		return [...this.items.keys()];
	}

	itemsOf(key: string): number[] {
		return this.items.get(key) ?? [];
	}

	get size(): number {
		return this.items.size;
	}
}
