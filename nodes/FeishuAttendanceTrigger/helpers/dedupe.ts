import type { IDataObject } from 'n8n-workflow';

/**
 * Remembers recently seen event IDs in the workflow's static data so a Feishu retry does not start
 * a second execution. Feishu retries after 15 s, 5 min, 1 h and 6 h (≈ 7.1 h in all, see
 * https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/choose-a-subscription-mode/send-notifications-to-developers-server), so entries live for 8 hours, and at most `maxEntries` are kept (oldest dropped first).
 *
 * Stored shape (JSON-safe, compact): `staticData.recentEventIds = [[eventId, seenAtUnixSeconds], ...]`,
 * oldest first. Each update assigns a new array, which is what makes n8n persist the static data.
 */

export const DEDUPE_WINDOW_MS = 8 * 60 * 60 * 1000;
export const DEFAULT_MAX_REMEMBERED_EVENTS = 1000;
export const STATIC_DATA_KEY = 'recentEventIds';

export type SeenEntry = [string, number];

interface DedupeLimits {
	maxEntries: number;
	windowMs: number;
}

/** Reads the stored list, dropping anything malformed. */
export function readSeen(staticData: IDataObject): SeenEntry[] {
	const stored = staticData[STATIC_DATA_KEY];
	if (!Array.isArray(stored)) return [];
	return stored.filter(
		(entry): entry is SeenEntry =>
			Array.isArray(entry) &&
			entry.length === 2 &&
			typeof entry[0] === 'string' &&
			typeof entry[1] === 'number',
	);
}

/** Entries still inside the window, newest `maxEntries` of them, oldest first. */
export function pruneSeen(entries: SeenEntry[], nowMs: number, limits: DedupeLimits): SeenEntry[] {
	const oldestAllowed = (nowMs - limits.windowMs) / 1000;
	const fresh = entries.filter(([, seenAt]) => seenAt >= oldestAllowed);
	const max = Math.max(0, Math.floor(limits.maxEntries));
	return fresh.length > max ? fresh.slice(fresh.length - max) : fresh;
}

function hasSeen(
	entries: SeenEntry[],
	eventId: string,
	nowMs: number,
	limits: DedupeLimits,
): boolean {
	return pruneSeen(entries, nowMs, limits).some(([id]) => id === eventId);
}

/** Returns a new list with `eventId` appended (or moved to the end) and the bounds applied. */
export function rememberSeen(
	entries: SeenEntry[],
	eventId: string,
	nowMs: number,
	limits: DedupeLimits,
): SeenEntry[] {
	const others = entries.filter(([id]) => id !== eventId);
	return pruneSeen([...others, [eventId, Math.floor(nowMs / 1000)]], nowMs, limits);
}

/**
 * Checks and records in one step. Returns true when `eventId` was already seen (nothing changes);
 * otherwise records it in `staticData` and returns false. `maxEntries <= 0` turns dedupe off.
 */
export function checkAndRemember(
	staticData: IDataObject,
	eventId: string | undefined,
	nowMs: number,
	limits: DedupeLimits,
): boolean {
	if (eventId === undefined || limits.maxEntries <= 0) return false;
	const entries = readSeen(staticData);
	if (hasSeen(entries, eventId, nowMs, limits)) return true;
	staticData[STATIC_DATA_KEY] = rememberSeen(
		entries,
		eventId,
		nowMs,
		limits,
	) as unknown as IDataObject[];
	return false;
}
