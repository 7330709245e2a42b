/**
 * Time formatting for trigger output: the Feishu Attendance node's time helpers (`Intl` only, no luxon at
 * run time, see docs/ARCHITECTURE.md) plus the trigger's lenient readers of event fields.
 */
import { isValidTimeZone, toIsoInZone } from '../../FeishuAttendance/helpers/time';

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

/** `20240506` (number or string) -> `2024-05-06`; anything else -> undefined. */
export function yyyymmddToIsoDate(value: unknown): string | undefined {
	const text = String(value ?? '').trim();
	const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	if (!match) return undefined;
	const [, year, month, day] = match;
	const m = Number(month);
	const d = Number(day);
	if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
	return `${year}-${month}-${day}`;
}
