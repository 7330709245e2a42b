/** The date windows of user_approvals/query (Feishu answers at most 30 days per call, from at most tomorrow). */
import { addDays, dayNumberToIsoDate, splitDayRange } from '../../helpers/time';

/** Feishu answers approval queries for at most 30 days per call. */
const APPROVAL_QUERY_MAX_DAYS = 30;

/**
 * The windows of an approval query for the days [from, to]. Feishu refuses check_date_from later than
 * tomorrow (`latestFrom`) and spans over 30 days, so:
 * - Period: a part of the range after `latestFrom` is asked in one window that starts at `latestFrom`
 *   (records outside [from, to] are dropped by the caller); a range ending after latestFrom + 29 days
 *   cannot be asked at all → Error.
 * - Created / Updated: nothing can be created after tomorrow, so the range ends at `latestFrom`
 *   (no windows when it starts later).
 */
export function approvalQueryWindows(
	from: number,
	to: number,
	latestFrom: number,
	dateType: string,
): Array<{ from: number; to: number }> {
	if (dateType !== 'PeriodTime') {
		const end = Math.min(to, latestFrom);
		return from > end ? [] : splitDayRange(from, end, APPROVAL_QUERY_MAX_DAYS);
	}
	const lastReachable = addDays(latestFrom, APPROVAL_QUERY_MAX_DAYS - 1);
	if (to > lastReachable) {
		throw new Error(
			`To (${dayNumberToIsoDate(to)}) is too far ahead: Feishu only answers approval queries that start by tomorrow and span at most ${APPROVAL_QUERY_MAX_DAYS} days, so the latest day that can be asked for is ${dayNumberToIsoDate(lastReachable)}`,
		);
	}
	if (to < latestFrom) return splitDayRange(from, to, APPROVAL_QUERY_MAX_DAYS);
	const windows =
		from < latestFrom ? splitDayRange(from, addDays(latestFrom, -1), APPROVAL_QUERY_MAX_DAYS) : [];
	windows.push({ from: latestFrom, to });
	return windows;
}
