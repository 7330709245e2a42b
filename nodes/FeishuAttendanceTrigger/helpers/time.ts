/**
 * Time formatting for trigger output: the time helpers both nodes share (nodes/shared/time.ts) (`Intl` only, no luxon at
 * run time, see docs/ARCHITECTURE.md) plus the trigger's lenient readers of event fields.
 */
import { isValidTimeZone, toIsoInZone } from '../../shared/time';

/**
 * ISO 8601 with the zone's UTC offset, e.g. `2024-05-06T09:01:02+08:00` (milliseconds only when
 * non-zero). Unknown zones fall back to UTC. Returns undefined for non-finite input.
 */
export function toIsoInTimeZone(epochMs: number, timeZone: string | undefined): string | undefined {
	if (!Number.isFinite(epochMs)) return undefined;
	return toIsoInZone(epochMs, isValidTimeZone(timeZone) ? (timeZone as string) : 'UTC', true);
}

/** Parses a Unix timestamp given as number or numeric string; `unit` says seconds or milliseconds. */
export function parseEpoch(value: unknown, unit: 's' | 'ms'): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(n)) return undefined;
	return unit === 's' ? n * 1000 : n;
}

/**
 * The yyyyMMdd day number of an event's `date` (`20240506` as number or string), for
 * `dayNumberToIsoDate`; anything else (other formats, month not 1-12, day not 1-31) -> undefined.
 */
export function parseDayNumber(value: unknown): number | undefined {
	const text = String(value ?? '').trim();
	const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	if (!match) return undefined;
	const m = Number(match[2]);
	const d = Number(match[3]);
	if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
	return Number(text);
}
