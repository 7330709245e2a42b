/**
 * Time conversion for Feishu's formats, used by both nodes. Zone data and ISO 8601 texts with an offset are read
 * with luxon, which n8n ships and makes resolvable for community packages (see docs/ARCHITECTURE.md "Time and
 * luxon"); offsets are cached per zone and hour, and wall times computed here, for speed.
 *
 * Feishu formats (as its attendance endpoints document them):
 * - check_time, check_time_from/to, *_shift_time: Unix seconds as a string
 * - check_date_from/to, day: integer yyyyMMdd
 * - approval date: string yyyyMMdd; approval start/end: 'yyyy-MM-dd HH:mm:ss' in the attendance group's zone
 */

import { DateTime, IANAZone } from 'luxon';

/** One day in milliseconds (calendar arithmetic on UTC dates and window sizes). */
export const DAY_MS = 86400000;

export const FEISHU_EPOCH_MS = Date.UTC(2021, 11, 31, 16, 0, 0); // 2022-01-01T00:00:00+08:00

interface WallTime {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	millisecond: number;
}

/** Zone names already checked (luxon's check builds an Intl formatter each time; items repeat the same few zones). */
const zoneValidity = new Map<string, boolean>();

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string | undefined): boolean {
	if (!timeZone) return false;
	let valid = zoneValidity.get(timeZone);
	if (valid === undefined) {
		if (zoneValidity.size >= 1000) zoneValidity.clear();
		valid = IANAZone.isValidZone(timeZone);
		zoneValidity.set(timeZone, valid);
	}
	return valid;
}

const HOUR_MS = 3600000;
/** Entries kept per zone before its cache is emptied (100,000 hours are more than 11 years). */
const MAX_CACHED_HOURS = 100000;
/** Per zone: UTC hour (epoch hours) → the zone's offset during that whole hour, or null when it changes in it. */
const offsetCache = new Map<string, Map<number, number | null>>();

/**
 * Offset of `timeZone` from UTC at `epochMs`, in ms (e.g. +8 h for Asia/Shanghai), from luxon's zone data.
 *
 * Each read costs an Intl call (tens of µs) and imports convert 100,000s of times, so offsets are cached per
 * zone and UTC hour: an hour whose first and last millisecond have the same offset has that offset throughout
 * (offsets change at most once within an hour); an hour with a change in it is read exactly every time.
 */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
	const read = (ms: number) => IANAZone.create(timeZone).offset(ms) * 60000;
	const hour = Math.floor(epochMs / HOUR_MS);
	let hours = offsetCache.get(timeZone);
	if (!hours) offsetCache.set(timeZone, (hours = new Map()));
	let offset = hours.get(hour);
	if (offset === undefined) {
		if (hours.size >= MAX_CACHED_HOURS) hours.clear();
		const atStart = read(hour * HOUR_MS);
		offset = atStart === read(hour * HOUR_MS + HOUR_MS - 1) ? atStart : null;
		hours.set(hour, offset);
	}
	return offset ?? read(epochMs);
}

/** The wall-clock fields of `epochMs` shifted by `offsetMs`. */
function wallTimeAt(epochMs: number, offsetMs: number): WallTime {
	const d = new Date(epochMs + offsetMs);
	return {
		year: d.getUTCFullYear(),
		month: d.getUTCMonth() + 1,
		day: d.getUTCDate(),
		hour: d.getUTCHours(),
		minute: d.getUTCMinutes(),
		second: d.getUTCSeconds(),
		millisecond: d.getUTCMilliseconds(),
	};
}

/** The wall-clock time in `timeZone` at the instant `epochMs`. */
export function wallTimeIn(epochMs: number, timeZone: string): WallTime {
	return wallTimeAt(epochMs, zoneOffsetMs(epochMs, timeZone));
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall`. In a DST gap (a wall time that does not
 * exist) the time is moved forward by the gap; in a DST overlap (it exists twice) the earlier instant wins.
 *
 * The offset a day before is tried first: it is right for almost every time, and in an overlap it is the
 * larger (summer) offset, i.e. the earlier instant. Otherwise the offset a day after (after a change to
 * summer time); when neither round-trips the time is in a gap and the offset before moves it forward.
 */
function wallTimeToEpoch(wall: WallTime, timeZone: string): number {
	const naive = Date.UTC(
		wall.year,
		wall.month - 1,
		wall.day,
		wall.hour,
		wall.minute,
		wall.second,
		wall.millisecond,
	);
	const offsetBefore = zoneOffsetMs(naive - DAY_MS, timeZone);
	const before = naive - offsetBefore;
	if (zoneOffsetMs(before, timeZone) === offsetBefore) return before;
	const offsetAfter = zoneOffsetMs(naive + DAY_MS, timeZone);
	const after = naive - offsetAfter;
	if (offsetAfter !== offsetBefore && zoneOffsetMs(after, timeZone) === offsetAfter) return after;
	return before;
}

const NAIVE_DATE_TIME =
	/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Reads a date-time the way HR data holds it and returns epoch milliseconds:
 * ISO 8601 with offset or Z; 'yyyy-MM-dd HH:mm[:ss]', 'yyyy/MM/dd …', 'yyyy-MM-dd' and yyyyMMdd (as text, or
 * as a number that isCompactDate accepts) without offset (read in `timeZone`); epoch seconds, milliseconds,
 * microseconds or nanoseconds by magnitude (number or digits, see EPOCH_UNITS); Date; luxon DateTime (what n8n expressions such as {{ $now }} give). Throws an Error with
 * a readable message otherwise.
 */
export function parseDateTime(value: unknown, timeZone: string): number {
	if (value === null || value === undefined || value === '') throw new Error('is empty');
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new Error('is an invalid date');
		return value.getTime();
	}
	if (typeof value === 'object') {
		const v = value as { toMillis?: () => number; isValid?: boolean };
		if (typeof v.toMillis === 'function') {
			if (v.isValid === false) throw new Error('is an invalid date-time');
			return v.toMillis();
		}
		throw new Error(`is not a date-time (got an object)`);
	}
	if (typeof value === 'number') {
		if (isCompactDate(value))
			return naiveToEpoch(compactDateParts(String(value)), timeZone, String(value));
		return fromEpochNumber(value, String(value));
	}
	const text = String(value).trim();
	// Eight digits as text are always yyyyMMdd (an impossible date such as '20261345' is refused, not read as epoch).
	if (COMPACT_DATE.test(text)) return naiveToEpoch(compactDateParts(text), timeZone, text);
	if (/^-?\d+(\.\d+)?$/.test(text)) return fromEpochNumber(Number(text), `"${text}"`);
	const naive = NAIVE_DATE_TIME.exec(text);
	if (naive) return naiveToEpoch(naive.slice(1), timeZone, text);
	if (HAS_OFFSET.test(text)) {
		// ISO 8601 with an offset: '+08:00', '+0800', '+08' (as PostgreSQL prints timestamptz) or Z.
		const parsed = DateTime.fromISO(text.replace(' ', 'T'), { setZone: true });
		if (parsed.isValid) return parsed.toMillis();
	}
	throw new Error(
		`"${text}" is not a date-time this node understands (use ISO 8601, 'yyyy-MM-dd HH:mm:ss', or epoch seconds/milliseconds)`,
	);
}

const MIN_COMPACT_DATE = 19000101;
const MAX_COMPACT_DATE = 29991231;

function compactDateParts(digits: string): [string, string, string] {
	return [digits.slice(0, 4), digits.slice(4, 6), digits.slice(6, 8)];
}

/**
 * Whether `value` is a calendar day as yyyyMMdd: an integer (number, or digits as text) from 19000101 to
 * 29991231 that is a real date, e.g. Feishu's own `day` values (20260331) handed over by an expression.
 * Read as epoch seconds, such numbers would be instants between August and December 1970, which are never
 * attendance times, so they are read as dates instead.
 */
export function isCompactDate(value: unknown): boolean {
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && COMPACT_DATE.test(value.trim())) n = Number(value.trim());
	else return false;
	if (!Number.isInteger(n) || n < MIN_COMPACT_DATE || n > MAX_COMPACT_DATE) return false;
	const [year, month, day] = [Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100];
	const check = new Date(Date.UTC(year, month - 1, day));
	return (
		check.getUTCFullYear() === year &&
		check.getUTCMonth() === month - 1 &&
		check.getUTCDate() === day
	);
}

/**
 * Epoch numbers are read by their magnitude (digits before the decimal point), so that each unit covers
 * 1973..2286 and no number is read in two ways: up to 10 digits seconds, 12–13 milliseconds, 15–16
 * microseconds, 18–19 nanoseconds. 11, 14 and 17 digits sit between two units (e.g. 11 digits are seconds
 * after the year 2286 or milliseconds of early 1970) and are refused, as are 20 digits and more.
 */
const EPOCH_UNITS: Array<{ digits: number[]; toMs: number; name: string }> = [
	{ digits: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], toMs: 1000, name: 'seconds' },
	{ digits: [12, 13], toMs: 1, name: 'milliseconds' },
	{ digits: [15, 16], toMs: 1e-3, name: 'microseconds' },
	{ digits: [18, 19], toMs: 1e-6, name: 'nanoseconds' },
];

function fromEpochNumber(n: number, shown: string): number {
	if (!Number.isFinite(n)) throw new Error('is not a finite number');
	const digits = Math.abs(Math.trunc(n)).toString().length;
	const unit = EPOCH_UNITS.find((u) => u.digits.includes(digits));
	if (!unit) {
		throw new Error(
			`${shown} is not an epoch time this node can read safely (${digits} digits): use seconds (10 digits), milliseconds (13), microseconds (16) or nanoseconds (19), or a date-time text`,
		);
	}
	return Math.round(n * unit.toMs);
}

function naiveToEpoch(parts: Array<string | undefined>, timeZone: string, text: string): number {
	const [y, mo, d, h, mi, s, frac] = parts;
	const wall: WallTime = {
		year: Number(y),
		month: Number(mo),
		day: Number(d),
		hour: Number(h ?? 0),
		minute: Number(mi ?? 0),
		second: Number(s ?? 0),
		millisecond: frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0,
	};
	const check = new Date(
		Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second),
	);
	if (
		check.getUTCFullYear() !== wall.year ||
		check.getUTCMonth() !== wall.month - 1 ||
		check.getUTCDate() !== wall.day ||
		wall.hour > 23 ||
		wall.minute > 59 ||
		wall.second > 59
	) {
		throw new Error(`"${text}" is not a valid calendar date-time`);
	}
	return wallTimeToEpoch(wall, timeZone);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'yyyy-MM-dd HH:mm:ss' of the instant in `timeZone` (approval start/end times). */
export function formatFeishuDateTime(epochMs: number, timeZone: string): string {
	const w = wallTimeIn(epochMs, timeZone);
	return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/**
 * ISO 8601 with the zone's offset, e.g. '2026-11-20T08:55:03+08:00'. `withMillis`: with the milliseconds
 * when the instant has any ('2026-11-20T08:55:03.250+08:00').
 */
export function toIsoInZone(epochMs: number, timeZone: string, withMillis = false): string {
	const offsetMs = zoneOffsetMs(epochMs, timeZone);
	const w = wallTimeAt(epochMs, offsetMs);
	const offsetMin = Math.round(offsetMs / 60000);
	const sign = offsetMin < 0 ? '-' : '+';
	const abs = Math.abs(offsetMin);
	const fraction = withMillis && w.millisecond > 0 ? `.${pad(w.millisecond, 3)}` : '';
	return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Unix seconds as the string Feishu expects for check_time. */
export function toFeishuSeconds(epochMs: number): string {
	return String(Math.floor(epochMs / 1000));
}

/** Epoch ms from Feishu's seconds string (check_time etc.). */
export function fromFeishuSeconds(seconds: string | number): number {
	return Number(seconds) * 1000;
}

/** The calendar day of the instant in `timeZone` as yyyyMMdd. */
export function toDayNumber(epochMs: number, timeZone: string): number {
	const w = wallTimeIn(epochMs, timeZone);
	return w.year * 10000 + w.month * 100 + w.day;
}

/** 'yyyy-MM-dd' for a yyyyMMdd day number. */
export function dayNumberToIsoDate(day: number): string {
	const s = String(day);
	return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** Adds whole days to a yyyyMMdd day number (calendar arithmetic, no zone involved). */
export function addDays(day: number, days: number): number {
	const d = new Date(
		Date.UTC(Math.floor(day / 10000), (Math.floor(day / 100) % 100) - 1, day % 100) + days * DAY_MS,
	);
	return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/** Number of calendar days from `from` to `to` (yyyyMMdd), 0 when equal. */
export function daysBetween(from: number, to: number): number {
	const toUtc = (day: number) =>
		Date.UTC(Math.floor(day / 10000), (Math.floor(day / 100) % 100) - 1, day % 100);
	return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** Splits the inclusive day range [from, to] into windows of at most `maxDays` days. */
export function splitDayRange(from: number, to: number, maxDays: number): DayWindow[] {
	const windows: DayWindow[] = [];
	for (let start = from; start <= to; start = addDays(start, maxDays)) {
		const end = addDays(start, maxDays - 1);
		windows.push({ from: start, to: end < to ? end : to });
	}
	return windows;
}

/** An inclusive range: yyyyMMdd days (splitDayRange) or epoch ms (splitTimeRange). */
export interface DayWindow {
	from: number;
	to: number;
}

/** Splits the inclusive time range [fromMs, toMs] into windows of at most `maxSpanMs`, on whole seconds. */
export function splitTimeRange(
	fromMs: number,
	toMs: number,
	maxSpanMs: number,
): Array<{ from: number; to: number }> {
	const windows: Array<{ from: number; to: number }> = [];
	for (let start = fromMs; start <= toMs; start += maxSpanMs) {
		const end = Math.min(toMs, start + maxSpanMs - 1000);
		windows.push({ from: start, to: end });
		if (end >= toMs) break;
	}
	return windows;
}

/**
 * The calendar day (yyyyMMdd) a user means by a date value: yyyyMMdd as a number or text, 'yyyy-MM-dd',
 * or anything parseDateTime reads (then its calendar day in `timeZone`).
 */
export function parseDay(value: unknown, timeZone: string): number {
	return toDayNumber(parseDateTime(value, timeZone), timeZone);
}
