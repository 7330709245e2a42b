/**
 * What the poll trigger remembers between polls, in the workflow's static data of the node
 * (`this.getWorkflowStaticData('node')`), and how a poll's rows become events.
 *
 * Every row a poll reads has a key (what it is: a punch record's ID, a result's ID and segment, an approval's
 * type and ID, a remedy's ID) and a content hash (what it says, Feishu's own fields; the `*_iso` forms, which
 * depend on the Timezone setting, are left out). A row whose key is new is emitted as `new`, a row whose hash
 * differs from the remembered one as `changed`; the rest is not emitted again.
 *
 * The remembered entries are exactly the rows of the last successful poll (everything inside the look-back
 * window): a record that leaves the window is forgotten, which keeps the size bounded by the window. Keys and
 * hashes are stored as short hex texts (about 25 bytes per record).
 *
 * The state is replaced only at the end of a poll that read everything (see commitState): a failed poll leaves
 * the static data untouched, so the next poll compares against the last good state and loses nothing. n8n saves
 * static data when a poll emits items (and on activation; n8n 2.x also after a poll that emits nothing).
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

export type SourceName = 'punchRecord' | 'punchResult' | 'approval' | 'remedy';

/** The event name prefix of each source, as it appears in the output's `event` field. */
export const EVENT_PREFIX: Record<SourceName, string> = {
	punchRecord: 'punch_record',
	punchResult: 'punch_result',
	approval: 'approval',
	remedy: 'remedy',
};

/** The static data of the node. Only texts and numbers, in plain objects and arrays (JSON-safe). */
export interface PollState {
	version: 1;
	/** the sources whose baseline is recorded (a source added later starts with its own first poll) */
	sources: SourceName[];
	/** record key hash → content hash */
	seen: Record<string, string>;
	/** when the last successful poll ran (ISO 8601, UTC), for people reading the static data */
	polledAt: string;
}

/** Most records remembered at once: beyond it the poll fails (the look-back window or the employees are too many). */
export const MAX_REMEMBERED = 50_000;

const shortHash = (text: string, length: number) =>
	createHash('sha256').update(text).digest('hex').slice(0, length);

/** The identity of a row of a source (before hashing). */
export function recordKey(source: SourceName, row: IDataObject): string {
	const s = (value: unknown) => (value === undefined || value === null ? '' : String(value));
	switch (source) {
		case 'punchRecord':
			return `punchRecord|${s(row.record_id)}`;
		case 'punchResult':
			// one row per shift segment of a day's result
			return `punchResult|${s(row.result_id) || `${s(row.employee_id)}|${s(row.day)}`}|${s(row.shift_type)}|${s(row.check_in_shift_time)}`;
		case 'approval':
			return `approval|${s(row.type)}|${s(row.approval_id)}`;
		case 'remedy':
			return `remedy|${s(row.approval_id)}`;
	}
}

/** JSON with sorted keys, so that equal content hashes equally whatever order Feishu answers fields in. */
function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value as IDataObject)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${stableJson((value as IDataObject)[k])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** What a row says, without the forms that depend on the Timezone setting (`*_iso`). */
export function contentHash(row: IDataObject): string {
	const content: IDataObject = {};
	for (const [k, v] of Object.entries(row)) if (!k.endsWith('_iso')) content[k] = v;
	return shortHash(stableJson(content), 12);
}

/** Reads the static data; anything that is not a state of this version is no state (first poll). */
export function readState(staticData: IDataObject): PollState | undefined {
	const state = staticData.feishuPoll as PollState | undefined;
	if (
		!state ||
		state.version !== 1 ||
		typeof state.seen !== 'object' ||
		state.seen === null ||
		!Array.isArray(state.sources)
	) {
		return undefined;
	}
	return state;
}

/** One row read by a poll, with its key and hash. */
export interface ReadRow {
	source: SourceName;
	row: IDataObject;
	key: string;
	hash: string;
}

export function readRow(source: SourceName, row: IDataObject): ReadRow {
	return { source, row, key: shortHash(recordKey(source, row), 16), hash: contentHash(row) };
}

/** A row to emit: new (key not remembered) or changed (hash differs). */
export interface Change extends ReadRow {
	change: 'new' | 'changed';
}

/**
 * The changes of a poll against the remembered state. A source without a baseline (first poll, or newly
 * watched) gives no changes unless `emitFirst` (the user chose to get the look-back window on the first poll).
 * A key read twice in one poll (an approval in two windows) counts once.
 */
export function changesOf(
	rows: ReadRow[],
	state: PollState | undefined,
	emitFirst: boolean,
): Change[] {
	const baseline = new Set(state?.sources ?? []);
	const seen = state?.seen ?? {};
	const out: Change[] = [];
	const taken = new Set<string>();
	for (const read of rows) {
		if (taken.has(read.key)) continue;
		taken.add(read.key);
		if (!baseline.has(read.source) && !emitFirst) continue;
		const before = seen[read.key];
		if (before === undefined) out.push({ ...read, change: 'new' });
		else if (before !== read.hash) out.push({ ...read, change: 'changed' });
	}
	return out;
}

/** The state after a successful poll: every row it read, and the sources it watched. */
export function nextState(rows: ReadRow[], sources: SourceName[], now: number): PollState {
	const seen: Record<string, string> = {};
	for (const { key, hash } of rows) seen[key] = hash;
	return { version: 1, sources: [...sources], seen, polledAt: new Date(now).toISOString() };
}

/** Replaces the state in the static data (called only once the poll has read everything). */
export function commitState(staticData: IDataObject, state: PollState): void {
	staticData.feishuPoll = state as unknown as IDataObject;
}
