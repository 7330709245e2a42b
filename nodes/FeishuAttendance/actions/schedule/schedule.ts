/**
 * Schedules (user_daily_shifts): Feishu's month + day_no addressing, and reading the entries that
 * batch_create reports as not applied in `msg` of a code-0 answer.
 */

/** Longest range of one user_daily_shifts/query (Feishu: at most 30 days). */
export const MAX_SCHEDULE_QUERY_DAYS = 30;

/** A day as Feishu's schedules address it. */
export interface ScheduleDay {
	/** yyyyMMdd */
	day: number;
	/** yyyyMM */
	month: number;
	/** 1–31 */
	dayNo: number;
}

export function scheduleDayOf(day: number): ScheduleDay {
	return { day, month: Math.floor(day / 100), dayNo: day % 100 };
}

/** yyyyMMdd of a schedule entry's month and day_no (undefined when they are not numbers). */
export function dayOfEntry(month: unknown, dayNo: unknown): number | undefined {
	const m = Number(month);
	const d = Number(dayNo);
	return Number.isInteger(m) && Number.isInteger(d) && m > 0 && d > 0 ? m * 100 + d : undefined;
}

/**
 * What a code-0 answer's msg says about entries not applied:
 * - none: msg is empty or a plain success word;
 * - listed: `{user: [date, date]}`-like lists (JSON, unquoted, or Go's `map[user:[date date]]`);
 * - unreadable: some other text (the caller must check what Feishu stored).
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#schedule-partial-failures (format of msg and of its dates).
 */
type UnappliedReading =
	| { kind: 'none' }
	| { kind: 'listed'; users: Map<string, string[]> }
	| { kind: 'unreadable'; msg: string };

const SUCCESS_WORDS = /^(success|succeed|succeeded|ok|)$/i;
const USER_DATES = /["']?([^"'{}[\]:,\s]+)["']?\s*:\s*\[([^\]]*)\]/g;

export function readUnapplied(msg: unknown): UnappliedReading {
	const text = typeof msg === 'string' ? msg.trim() : '';
	if (SUCCESS_WORDS.test(text)) return { kind: 'none' };
	const users = new Map<string, string[]>();
	for (const match of text.matchAll(USER_DATES)) {
		const dates = match[2]
			.split(/[\s,]+/)
			.map((value) => value.replace(/^["']|["']$/g, '').trim())
			.filter((value) => value !== '');
		users.set(match[1], [...(users.get(match[1]) ?? []), ...dates]);
	}
	return users.size > 0 ? { kind: 'listed', users } : { kind: 'unreadable', msg: text };
}

/**
 * Whether a date from msg names this day: yyyyMMdd (number or text), yyyy-MM-dd or yyyy/MM/dd, or a bare
 * day of the month (day_no, as the request addressed it).
 */
export function namesDay(value: string, day: ScheduleDay): boolean {
	const digits = value.replace(/[-/]/g, '');
	if (/^\d{8}$/.test(digits)) return Number(digits) === day.day;
	if (/^\d{1,2}$/.test(value)) return Number(value) === day.dayNo;
	return false;
}
