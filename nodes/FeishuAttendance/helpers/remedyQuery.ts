/**
 * The query of remedies (user_task_remedys/query): its statuses, windows and body. Remedy → Get Many and Create's
 * look-up use it, and so does Approval → Update Status to read a remedy back after a refusal or a lost answer.
 */
import type { IDataObject } from 'n8n-workflow';

import type { EnumEntry } from './enums';
import { addDays, dayNumberToIsoDate, parseDateTime, splitDayRange } from './time';

export const REMEDY_QUERY_PATH = '/user_task_remedys/query';

/** Remedy statuses (UserTaskRemedyStatusEnum). */
export const REMEDY_STATUSES: Array<EnumEntry<number>> = [
	{ value: 'pending', name: 'Pending', code: 0 },
	{ value: 'rejected', name: 'Rejected', code: 1 },
	{ value: 'approved', name: 'Approved', code: 2 },
	{ value: 'cancelled', name: 'Cancelled', code: 3 },
	{ value: 'withdrawn', name: 'Withdrawn', code: 4 },
];
export const ALL_REMEDY_STATUS_CODES = REMEDY_STATUSES.map((s) => s.code);

export interface SecondsWindow {
	/** Unix seconds, inclusive */
	from: number;
	to: number;
	status: number;
}

/**
 * The calls of a remedy query for the days [from, to] in `timeZone`: windows of at most `windowDays` days, each asked
 * once per status (Feishu answers one status per call; without one it answers approved remedies only).
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#remedy-query-span (Feishu's longest span).
 */
export function remedyQueryWindows(
	from: number,
	to: number,
	timeZone: string,
	windowDays: number,
	statuses: number[],
): SecondsWindow[] {
	const startOf = (day: number) =>
		Math.floor(parseDateTime(dayNumberToIsoDate(day), timeZone) / 1000);
	const windows: SecondsWindow[] = [];
	for (const window of splitDayRange(from, to, windowDays)) {
		for (const status of statuses)
			windows.push({ from: startOf(window.from), to: startOf(addDays(window.to, 1)) - 1, status });
	}
	return windows;
}

export function remedyQueryBody(employeeIds: string[], window: SecondsWindow): IDataObject {
	return {
		user_ids: employeeIds,
		check_time_from: String(window.from),
		check_time_to: String(window.to),
		check_date_type: 'PeriodTime',
		status: window.status,
	};
}
