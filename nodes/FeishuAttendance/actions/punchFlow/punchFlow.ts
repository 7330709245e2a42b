/**
 * Punch-record (user_flows) logic shared by the Punch Flow operations: querying flows over any number of
 * users and any time range, and shaping records for the output.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../../transport';
import { DEFAULT_WINDOW_DAYS } from '../../helpers/batching';
import { EMPLOYEE_REFUSAL_CODES, askIsolatingRefused } from '../../helpers/refusedEmployees';
import {
	DAY_MS,
	FEISHU_EPOCH_MS,
	fromFeishuSeconds,
	isCompactDate,
	splitTimeRange,
	toFeishuSeconds,
	toIsoInZone,
} from '../../helpers/time';

/** Whether a date text carries no time of day ('2026-03-31', '2026/03/31', '20260331'). */
export function isDateOnly(value: unknown): boolean {
	return typeof value === 'string' && /^\d{4}([-/.]\d{1,2}[-/.]\d{1,2}|\d{4})$/.test(value.trim());
}

/** Local midnight without an offset: '2026-03-31T00:00:00' (what n8n's date picker stores), '2026-03-31 00:00'. */
const LOCAL_MIDNIGHT = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[T ]0?0:00(?::00(?:\.0{1,9})?)?$/;

/**
 * Whether a To value names a whole day rather than an instant: a date without a time (isDateOnly, or
 * yyyyMMdd as a number, see isCompactDate), or local midnight without an offset ('2026-03-31T00:00:00', as
 * n8n's date picker stores a date). Get Many reads such a To as the end of that day.
 */
export function meansWholeDay(value: unknown): boolean {
	if (isDateOnly(value)) return true;
	if (typeof value === 'number') return isCompactDate(value);
	return typeof value === 'string' && LOCAL_MIDNIGHT.test(value.trim());
}

/** How far after the present a punch may be (clock skew between the attendance machine and n8n). */
const PUNCH_FUTURE_TOLERANCE_MS = DAY_MS;

/**
 * Why a punch time cannot be imported, or undefined when it can: Feishu accepts punches from 2022-01-01
 * 00:00 (+08:00) on, and a punch cannot lie more than `toleranceMs` (default one day) after `nowMs`.
 */
export function importTimeProblem(
	epochMs: number,
	nowMs: number = Date.now(),
	toleranceMs: number = PUNCH_FUTURE_TOLERANCE_MS,
): string | undefined {
	if (epochMs < FEISHU_EPOCH_MS)
		return `is before 2022-01-01 00:00:00 (UTC+08:00); Feishu only accepts punches from then on`;
	if (epochMs > nowMs + toleranceMs) {
		return `is in the future (more than ${Math.round(toleranceMs / 3600000)} hours after now, ${new Date(nowMs).toISOString()}); a punch cannot be imported before it happened`;
	}
	return undefined;
}

/** A flow record as output: Feishu's fields plus check_time_iso in the chosen time zone. */
export function withIsoTime(record: IDataObject, timeZone: string): IDataObject {
	const seconds = Number(record.check_time);
	if (record.check_time === undefined || record.check_time === '' || !Number.isFinite(seconds))
		return { ...record };
	return { ...record, check_time_iso: toIsoInZone(fromFeishuSeconds(seconds), timeZone) };
}

interface FlowQuery {
	employeeType: string;
	/** At most 50 distinct IDs (one Feishu call's worth). */
	userIds: string[];
	fromMs: number;
	toMs: number;
	includeTerminated?: boolean;
	/** Input item for error messages. */
	itemIndex?: number;
}

export interface FlowQueryResult {
	/** Every record Feishu returned, in the order received. */
	records: IDataObject[];
	/** Users Feishu refused (unknown or outside the data permission), with Feishu's answer for them. */
	rejectedUsers: Map<string, FeishuResponse<unknown>>;
}

/**
 * One user_flows/query window (at most 50 users; the caller splits longer ranges, see splitTimeRange).
 * When Feishu refuses the whole call because of some users (1220004 / 1220005), askIsolatingRefused halves
 * the user list until those users are isolated, so that one unknown employee never hides the records of the
 * others. Any other failure is thrown.
 */
export async function queryFlowWindow(
	client: FeishuClient,
	query: FlowQuery,
): Promise<FlowQueryResult> {
	const rejectedUsers = new Map<string, FeishuResponse<unknown>>();
	const records: IDataObject[] = [];
	const qs: IDataObject = { employee_type: query.employeeType };
	if (query.includeTerminated) qs.include_terminated_user = true;
	// Feishu takes whole seconds; the window is inclusive at both ends.
	const from = toFeishuSeconds(query.fromMs);
	const to = toFeishuSeconds(query.toMs);
	// Feishu's answer behind each refusal, kept as the answer for the user it isolates.
	const refusals = new Map<unknown, FeishuResponse<unknown>>();

	const ask = async (userIds: string[]): Promise<void> => {
		const req = { method: 'POST' as const, path: '/user_flows/query', itemIndex: query.itemIndex };
		const response = await client.request<{ user_flow_results?: IDataObject[] }>({
			...req,
			qs,
			body: { user_ids: userIds, check_time_from: from, check_time_to: to },
			repeatable: true,
			acceptCodes: EMPLOYEE_REFUSAL_CODES,
		});
		if (response.code !== 0) {
			const error = client.errorFor(response, req);
			refusals.set(error, response);
			throw error;
		}
		records.push(...(response.data?.user_flow_results ?? []));
	};

	const failed = await askIsolatingRefused([...new Set(query.userIds)], ask);
	for (const [userId, error] of failed) {
		const answer = refusals.get(error);
		if (answer === undefined) throw error;
		rejectedUsers.set(userId, answer);
	}
	return { records, rejectedUsers };
}

/** queryFlowWindow over a range of any length: one call per window of `windowDays`, results merged. */
export async function queryFlows(
	client: FeishuClient,
	query: FlowQuery & { windowDays?: number },
): Promise<FlowQueryResult> {
	const windowMs = Math.max(1, query.windowDays ?? DEFAULT_WINDOW_DAYS) * DAY_MS;
	const windows = splitTimeRange(
		Math.floor(query.fromMs / 1000) * 1000,
		Math.floor(query.toMs / 1000) * 1000,
		windowMs,
	);
	const answers = await Promise.all(
		windows.map(
			async (w) => await queryFlowWindow(client, { ...query, fromMs: w.from, toMs: w.to }),
		),
	);
	return {
		records: answers.flatMap((a) => a.records),
		rejectedUsers: new Map(answers.flatMap((a) => [...a.rejectedUsers])),
	};
}
