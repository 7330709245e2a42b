/**
 * Asia/Shanghai date/time helpers. Shanghai has had a fixed UTC+08:00 offset (no DST) since 1991,
 * so plain arithmetic is exact for every date the API accepts (>= 2022).
 *
 * Formats used by the API:
 *   day int   20240115               (check_date_from/to, task `day`)
 *   day str   '20240115'             (approval `date`)
 *   local     '2024-01-15 09:00:00'  (approval start/end times)
 *   seconds   '1705280400'           (check_time, shift times)
 */

export const SHANGHAI_OFFSET_SECONDS = 8 * 3600;
export const DAY_SECONDS = 86400;
/** 2022-01-01T00:00:00+08:00 — punches before this cannot be imported */
export const MIN_IMPORT_CHECK_TIME = Date.UTC(2022, 0, 1) / 1000 - SHANGHAI_OFFSET_SECONDS;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** yyyyMMdd int -> [y, m, d] if it is a real calendar date */
function splitDay(day: number): [number, number, number] | undefined {
	if (!Number.isInteger(day) || day < 10000101 || day > 99991231) return undefined;
	const y = Math.floor(day / 10000);
	const m = Math.floor(day / 100) % 100;
	const d = day % 100;
	const probe = new Date(Date.UTC(y, m - 1, d));
	if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d)
		return undefined;
	return [y, m, d];
}

export const isValidDay = (day: unknown): day is number =>
	typeof day === 'number' && splitDay(day) !== undefined;

/** Unix seconds of 00:00 Asia/Shanghai on that day */
export function dayStart(day: number): number {
	const parts = splitDay(day);
	if (!parts) throw new Error(`invalid day ${day}`);
	const [y, m, d] = parts;
	return Date.UTC(y, m - 1, d) / 1000 - SHANGHAI_OFFSET_SECONDS;
}

/** yyyyMMdd of the Shanghai calendar day containing these Unix seconds */
export function dayOf(seconds: number): number {
	const t = new Date((seconds + SHANGHAI_OFFSET_SECONDS) * 1000);
	return t.getUTCFullYear() * 10000 + (t.getUTCMonth() + 1) * 100 + t.getUTCDate();
}

export const addDays = (day: number, n: number): number =>
	dayOf(dayStart(day) + n * DAY_SECONDS + 3600);
export const daysBetween = (from: number, to: number): number =>
	Math.round((dayStart(to) - dayStart(from)) / DAY_SECONDS);
/** 0 = Sunday .. 6 = Saturday */
export const weekday = (day: number): number =>
	new Date((dayStart(day) + SHANGHAI_OFFSET_SECONDS) * 1000).getUTCDay();
/** Unix seconds of hh:mm Shanghai time on that day */
export const atTime = (day: number, hour: number, minute = 0): number =>
	dayStart(day) + hour * 3600 + minute * 60;

/** 'yyyy-MM-dd HH:mm:ss' (Shanghai) -> Unix seconds, or undefined when malformed / not a real time */
export function parseLocalDateTime(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
	if (!m) return undefined;
	const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
	if (!isValidDay(y * 10000 + mo * 100 + d) || h > 23 || mi > 59 || s > 59) return undefined;
	return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - SHANGHAI_OFFSET_SECONDS;
}

/** Unix seconds -> 'yyyy-MM-dd HH:mm:ss' (Shanghai) */
export function formatLocalDateTime(seconds: number): string {
	const t = new Date((Math.floor(seconds) + SHANGHAI_OFFSET_SECONDS) * 1000);
	return (
		`${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
		`${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`
	);
}

/** 'yyyy-MM-dd' -> yyyyMMdd int (throws when malformed) */
export function parseIsoDay(text: string): number {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	const day = m ? Number(m[1] + m[2] + m[3]) : NaN;
	if (!isValidDay(day)) throw new Error(`invalid date '${text}', expected yyyy-MM-dd`);
	return day;
}

/** today's yyyyMMdd in Asia/Shanghai */
export const todayInShanghai = (): number => dayOf(Date.now() / 1000);

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
