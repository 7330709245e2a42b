/**
 * Attendance statistics (user_stats_datas / user_stats_fields / user_stats_views): call sizing, reading
 * Feishu's display values ("5 days", "0.5 hours", "No record (-)") and flattening a row's cells into fields.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../helpers/output';
import { textParameter } from '../../helpers/parameters';
import type { DayWindow } from '../../helpers/time';
import { addDays, dayNumberToIsoDate, splitDayRange } from '../../helpers/time';

/** Longest range (days, inclusive) of one user_stats_datas/query call. */
const STATS_MAX_DAYS = 31;
/** Feishu cuts a reply at this many user_datas rows without saying so; a reply this long is treated as cut. */
export const STATS_ROW_CAP = 1000;
/** Planned rows per call (employees × days) stay at or below this, well under the cap. */
const STATS_ROW_BUDGET = 640;
/** Employees per call that both Feishu (200) and Lark (20, per its doc page) accept. */
export const STATS_SAFE_EMPLOYEES = 20;
/** Employees per call Feishu's metadata allows. */
export const STATS_MAX_EMPLOYEES = 200;

export type StatsType = 'daily' | 'month';

/** The Operator ID of an item (Feishu requires one): empty is an input error naming the item, with `description`. */
export function readOperatorId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	description: string,
): string {
	const operatorId = textParameter(ctx, itemIndex, 'operatorId', 'Operator ID');
	if (operatorId === '') throw inputError(ctx, itemIndex, 'Operator ID is empty', description);
	return operatorId;
}

/**
 * The windows a range is asked in. Monthly: one window per calendar month (clipped to the range), so a
 * month's figures come as one row per employee. Daily: windows of at most 31 days and at most
 * STATS_ROW_BUDGET / employeesPerCall days, so that employees × days in one call stays well under 1,000.
 */
export function statsWindows(
	from: number,
	to: number,
	statsType: StatsType,
	employeesPerCall: number,
): DayWindow[] {
	if (statsType === 'daily') {
		const days = Math.max(
			1,
			Math.min(STATS_MAX_DAYS, Math.floor(STATS_ROW_BUDGET / Math.max(1, employeesPerCall))),
		);
		return splitDayRange(from, to, days);
	}
	const windows: DayWindow[] = [];
	for (let start = from; start <= to;) {
		const year = Math.floor(start / 10000);
		const month = Math.floor(start / 100) % 100;
		const firstOfNextMonth =
			month === 12 ? (year + 1) * 10000 + 101 : year * 10000 + (month + 1) * 100 + 1;
		const end = Math.min(to, addDays(firstOfNextMonth, -1));
		windows.push({ from: start, to: end });
		start = addDays(end, 1);
	}
	return windows;
}

/** A display value read as a number with a unit. */
interface StatQuantity {
	number: number;
	/** normalised: day, half_day, hour, minute, times, percent; other units as Feishu wrote them */
	unit?: string;
}

/** Unit words in English, Chinese and Japanese (the three locales of the statistics API). */
const UNITS: Array<[RegExp, string]> = [
	[/^(half[ -]?days?|半天|半日)$/i, 'half_day'],
	[/^(days?|天|日)$/i, 'day'],
	[/^(hours?|hrs?|h|小时|小時|時間)$/i, 'hour'],
	[/^(minutes?|mins?|分钟|分鐘|分)$/i, 'minute'],
	[/^(times?|time\(s\)|次|回)$/i, 'times'],
	[/^%$/, 'percent'],
];

/**
 * Reads a display value that is one quantity: "5 days", "0.5 hours", "480 minutes", "2 times", "5天",
 * "0.5小时", "2回", "3", "12.5%". Anything else ("No record (-)", "-", "Normal(09:00), Late(09:12)",
 * dates, several quantities) is not a number: undefined.
 */
export function parseStatValue(text: unknown): StatQuantity | undefined {
	if (typeof text === 'number') return Number.isFinite(text) ? { number: text } : undefined;
	if (typeof text !== 'string') return undefined;
	const match = /^\s*([+-]?\d+(?:\.\d+)?)\s*(.*?)\s*$/.exec(text);
	if (!match) return undefined;
	const [, digits, rest] = match;
	const number = Number(digits);
	if (!Number.isFinite(number)) return undefined;
	if (rest === '') return { number };
	// a unit is a word without digits or separators (a date such as 2025-01-06 is not "2025" of a unit)
	if (!/^[A-Za-z\u3040-\u30ff\u4e00-\u9fff%() ]+$/.test(rest) || /^[(]/.test(rest))
		return undefined;
	for (const [pattern, unit] of UNITS) if (pattern.test(rest)) return { number, unit };
	return { number, unit: rest };
}

/** One cell of a user_stats_datas row. */
export interface StatCell {
	code?: string;
	title?: string;
	value?: string;
	features?: Array<{ key?: string; value?: string }>;
	duration_num?: IDataObject;
}

export type ColumnNaming = 'title' | 'code';

/** Field names of a column: the column itself, its parsed number and its unit. */
export function columnFieldNames(
	key: string,
	naming: ColumnNaming,
): { text: string; number: string; unit: string } {
	return naming === 'code'
		? { text: key, number: `${key}_number`, unit: `${key}_unit` }
		: { text: key, number: `${key} (number)`, unit: `${key} (unit)` };
}

/**
 * A row's cells as fields named by title or by code: Feishu's text, plus the number and unit where the text
 * is one quantity. A title used twice in a row gets its code appended ("Late (52201)") so no column is lost.
 */
export function flattenStatCells(cells: StatCell[], naming: ColumnNaming): IDataObject {
	const out: IDataObject = {};
	for (const cell of cells) {
		const code = String(cell.code ?? '');
		let key = naming === 'code' || !cell.title ? code : String(cell.title);
		if (key === '' || key in out) key = `${key || 'column'} (${code})`;
		const names = columnFieldNames(key, naming);
		out[names.text] = cell.value ?? '';
		const quantity = parseStatValue(cell.value);
		if (quantity) {
			out[names.number] = quantity.number;
			if (quantity.unit !== undefined) out[names.unit] = quantity.unit;
		}
	}
	return out;
}

const DATE_TITLES = /^(date|日期|日付)$/i;

/** yyyyMMdd of a date written as yyyy-MM-dd, yyyy/MM/dd or yyyyMMdd (optionally followed by a weekday). */
function dayOfText(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const match = /^\s*(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:\s.*)?$/.exec(text);
	return match ? Number(`${match[1]}${match[2]}${match[3]}`) : undefined;
}

/**
 * The day a daily row is about. UNCONFIRMED: see docs/ASSUMPTIONS.md#statistics-daily-rows. Read in this
 * order: a Date column (title Date / 日期 / 日付) with a day inside the call's window; else the first cell whose
 * value is a day inside the window; else the window itself when it is one day; else undefined (the row is
 * output with its window as period_from / period_to).
 */
export function dayOfStatRow(cells: StatCell[], window: DayWindow): number | undefined {
	const inWindow = (day: number | undefined) =>
		day !== undefined && day >= window.from && day <= window.to ? day : undefined;
	for (const cell of cells) {
		if (DATE_TITLES.test(String(cell.title ?? '').trim())) {
			const day = inWindow(dayOfText(cell.value));
			if (day !== undefined) return day;
		}
	}
	for (const cell of cells) {
		const day = inWindow(dayOfText(cell.value));
		if (day !== undefined) return day;
	}
	return window.from === window.to ? window.from : undefined;
}

/** The fixed fields of an output row (before the columns). */
export function statRowHead(
	row: IDataObject,
	employeeIdType: string,
	statsType: StatsType,
	window: DayWindow,
	day: number | undefined,
): IDataObject {
	return {
		status: 'ok',
		employee_id: row.user_id as string,
		employee_id_type: employeeIdType,
		employee_name: row.name as string,
		stats_type: statsType,
		...(day !== undefined ? { day, date_iso: dayNumberToIsoDate(day) } : {}),
		period_from: dayNumberToIsoDate(day ?? window.from),
		period_to: dayNumberToIsoDate(day ?? window.to),
	};
}
