/** The date windows of user_approvals/query (Feishu answers at most 30 days per call, from at most tomorrow). */
import type { IDataObject } from 'n8n-workflow';

import { addDays, dayNumberToIsoDate, splitDayRange, toDayNumber } from '../../helpers/time';
import type { FeishuClient } from '../../transport';

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

/**
 * The status (0–4) of the approval record Feishu holds for `employeeId` on `day` that `matches`, asking one
 * status at a time (`statuses` in order); undefined when none matches. Reading back what Feishu holds is how
 * the node tells "already done" from "not done", never from the wording of a refusal.
 */
export async function findHeldApproval(
	client: FeishuClient,
	who: {
		employeeId: string;
		employeeIdType: string;
		day: number;
		timeZone: string;
		itemIndex: number;
	},
	field: string,
	statuses: number[],
	matches: (record: IDataObject) => boolean,
): Promise<{ status: number; record: IDataObject } | undefined> {
	// Feishu refuses check_date_from later than tomorrow (its today may be Beijing's: take the earlier)
	const now = Date.now();
	const latestFrom = addDays(
		Math.min(toDayNumber(now, who.timeZone), toDayNumber(now, 'Asia/Shanghai')),
		1,
	);
	const windows = approvalQueryWindows(who.day, who.day, latestFrom, 'PeriodTime');
	for (const status of statuses) {
		for (const window of windows) {
			const answer = await client.request<IDataObject>({
				method: 'POST',
				path: '/user_approvals/query',
				qs: { employee_type: who.employeeIdType },
				body: {
					user_ids: [who.employeeId],
					check_date_from: window.from,
					check_date_to: window.to,
					check_date_type: 'PeriodTime',
					status,
				},
				repeatable: true,
				itemIndex: who.itemIndex,
			});
			for (const entry of (answer.data?.user_approvals ?? []) as IDataObject[]) {
				const records = (Array.isArray(entry[field]) ? entry[field] : []) as IDataObject[];
				const record = records.find((r) => r !== null && typeof r === 'object' && matches(r));
				if (record) return { status, record };
			}
		}
	}
	return undefined;
}
