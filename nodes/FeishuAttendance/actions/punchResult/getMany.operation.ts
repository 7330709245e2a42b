import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import {
	employeeQueryProperties,
	timezoneOption,
	windowDaysOption,
} from '../../descriptions/common';
import { compact } from '../../helpers/output';
import { queryEmployees, readEmployeeDayRange } from '../../helpers/query';
import type { DayWindow } from '../../helpers/time';
import {
	dayNumberToIsoDate,
	fromFeishuSeconds,
	splitDayRange,
	toIsoInZone,
} from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { readLimit, readSimplify, readWindowDays } from '../../helpers/parameters';

const properties: INodeProperties[] = employeeQueryProperties({
	employeeIds:
		'Employees whose results to get: one ID per item, or several separated by commas. Every employee is asked once, however many items name them; each result is paired with the items that asked for it.',
	from: 'First day of the range (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd.',
	to: 'Last day of the range, inclusive. Long ranges are asked in windows (see Options → Advanced → Window (Days)).',
	simplify:
		'employee, date, shift type, check-in and check-out results with their supplements and times. Off: every field Feishu returns, with the IDs of results, records, groups and shifts.',
	options: [
		{
			displayName: 'Ignore Invalid Users',
			name: 'ignoreInvalidUsers',
			type: 'boolean',
			default: true,
			description:
				'Whether unknown employee IDs and employees outside the app\'s data permission are reported as items with status "invalid" or "unauthorized" while the other results are returned. When off, any such ID stops the node with an error.',
		},
		{
			displayName: 'Include Overtime Results',
			name: 'includeOvertime',
			type: 'boolean',
			default: false,
			description: 'Whether to also return the overtime segments of a day (shift type Overtime)',
		},
		{
			displayName: 'Include Punch Records',
			name: 'includeRecords',
			type: 'boolean',
			default: false,
			description: 'Whether to add the full check-in and check-out punch records to each result',
		},
		{
			displayName: 'Include Terminated Users',
			name: 'includeTerminated',
			type: 'boolean',
			default: false,
			description: 'Whether to also return results of employees who have left the company',
		},
		timezoneOption,
		windowDaysOption,
	],
});

export const description = updateDisplayOptions(
	{ show: { resource: ['punchResult'], operation: ['getMany'] } },
	properties,
);

/**
 * What the items of one group share: everything a call sends (ID type, days, the query flags) and what its
 * rows are formatted with (time zone, Include Punch Records). Each item reads its own (expressions may
 * differ per item); items with equal values are asked together.
 */
interface TaskQuery {
	employeeIdType: string;
	from: number;
	to: number;
	timeZone: string;
	ignoreInvalid: boolean;
	includeOvertime: boolean;
	includeTerminated: boolean;
	includeRecords: boolean;
	simplify: boolean;
}

/** Why an employee ID got no results, as Feishu lists them when invalid users are ignored. */
const MARKERS = {
	invalid: 'Feishu does not know this employee ID. Check the ID and the Employee ID Type.',
	unauthorized:
		"The employee is outside the app's data permission. Widen the app's data-permission range in the attendance admin console.",
} as const;

const isoOfSeconds = (value: unknown, timeZone: string): string | undefined => {
	const seconds = Number(value);
	return value === undefined ||
		value === null ||
		value === '' ||
		!Number.isFinite(seconds) ||
		seconds <= 0
		? undefined
		: toIsoInZone(fromFeishuSeconds(seconds), timeZone);
};

/** The fields of a simplified row (Simplify), in this order. */
const SIMPLE_FIELDS = [
	'status',
	'employee_id',
	'employee_name',
	'date_iso',
	'shift_type',
	'check_in_result',
	'check_in_result_supplement',
	'check_in_time_iso',
	'check_out_result',
	'check_out_result_supplement',
	'check_out_time_iso',
];

/** A row with only the fields a table needs (Simplify). */
function simplified(row: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const field of SIMPLE_FIELDS) if (row[field] !== undefined) out[field] = row[field];
	return out;
}

/** One output row per shift segment of a user_task_results entry (only SIMPLE_FIELDS with Simplify). */
function flattenTaskResult(
	result: IDataObject,
	employeeIdType: string,
	timeZone: string,
	includeRecords: boolean,
	simplify = false,
): IDataObject[] {
	const records = Array.isArray(result.records) ? (result.records as IDataObject[]) : [];
	const day = Number(result.day);
	return records.map((segment) => {
		const side = (prefix: 'check_in' | 'check_out'): IDataObject => {
			const record = segment[`${prefix}_record`] as IDataObject | undefined;
			return {
				[`${prefix}_result`]: segment[`${prefix}_result`],
				[`${prefix}_result_supplement`]: segment[`${prefix}_result_supplement`],
				[`${prefix}_shift_time`]: segment[`${prefix}_shift_time`],
				[`${prefix}_shift_time_iso`]: isoOfSeconds(segment[`${prefix}_shift_time`], timeZone),
				[`${prefix}_time`]: record?.check_time,
				[`${prefix}_time_iso`]: isoOfSeconds(record?.check_time, timeZone),
				[`${prefix}_record_id`]: (segment[`${prefix}_record_id`] as string) || undefined,
				...(includeRecords ? { [`${prefix}_record`]: record } : {}),
			};
		};
		const shiftType = Number(segment.task_shift_type ?? 0);
		const row: IDataObject = {
			status: 'ok',
			employee_id: result.user_id,
			employee_id_type: employeeIdType,
			employee_name: result.employee_name,
			day: result.day,
			date_iso: Number.isInteger(day) && day > 0 ? dayNumberToIsoDate(day) : undefined,
			shift_type: shiftType === 1 ? 'Overtime' : 'Normal',
			...side('check_in'),
			...side('check_out'),
			result_id: result.result_id,
			group_id: result.group_id,
			shift_id: result.shift_id,
		};
		return simplify ? simplified(compact(row)) : compact(row);
	});
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const windowDays = readWindowDays(this);
	const ignoreInvalidOf = new Map<number, boolean>();
	const marked = new Set<string>();

	return await queryEmployees<TaskQuery, DayWindow>(this, client, items.length, {
		read: (itemIndex) => {
			const { employeeIdType, lookup, employeeIds, from, to, timeZone } = readEmployeeDayRange(
				this,
				itemIndex,
				undefined,
				{ lookup: true },
			);
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const query: TaskQuery = {
				employeeIdType,
				from,
				to,
				timeZone,
				ignoreInvalid: options.ignoreInvalidUsers !== false,
				includeOvertime: options.includeOvertime === true,
				includeTerminated: options.includeTerminated === true,
				includeRecords: options.includeRecords === true,
				simplify: readSimplify(this, itemIndex),
			};
			return { employeeIds, lookup, key: JSON.stringify(Object.values(query)), params: query };
		},
		windows: (query) => splitDayRange(query.from, query.to, windowDays),
		send: async ({ group, employeeIds, window, itemIndex }) => {
			const query = group.params;
			ignoreInvalidOf.set(itemIndex, query.ignoreInvalid);
			return await client.request<IDataObject>({
				method: 'POST',
				path: '/user_tasks/query',
				qs: {
					employee_type: query.employeeIdType,
					ignore_invalid_users: query.ignoreInvalid,
					include_terminated_user: query.includeTerminated,
				},
				body: {
					user_ids: employeeIds,
					check_date_from: window.from,
					check_date_to: window.to,
					need_overtime_result: query.includeOvertime,
				},
				repeatable: true,
				itemIndex,
			});
		},
		onCallErrors: (callErrors) => {
			for (const error of callErrors) {
				if (!(error instanceof NodeApiError)) continue;
				const code = error.errorResponse?.code;
				const itemIndex = error.context?.itemIndex as number | undefined;
				const ignoreInvalid =
					itemIndex === undefined ? true : (ignoreInvalidOf.get(itemIndex) ?? true);
				if (!ignoreInvalid && (code === 1220004 || code === 1220005)) {
					error.description =
						`${error.description ?? ''} Turn on Options → Ignore Invalid Users to get the results of the other employees and one item with status "invalid" or "unauthorized" per such ID.`.trim();
				}
			}
		},
		// Invalid and unauthorized IDs are reported once per group (keys: group index and ID).
		rows: ({ group, result: response }, add) => {
			const { employeeIdType, timeZone, includeRecords, simplify } = group.params;
			const data = response.data ?? {};
			for (const status of ['invalid', 'unauthorized'] as const) {
				for (const id of (data[`${status}_user_ids`] ?? []) as string[]) {
					const key = `${group.index}|${id}`;
					if (marked.has(key)) continue;
					marked.add(key);
					add(id, {
						employee_id: id,
						employee_id_type: employeeIdType,
						status,
						message: MARKERS[status],
					});
				}
			}
			for (const result of (data.user_task_results ?? []) as IDataObject[]) {
				for (const row of flattenTaskResult(
					result,
					employeeIdType,
					timeZone,
					includeRecords,
					simplify,
				)) {
					add(String(result.user_id ?? ''), row);
				}
			}
		},
		// The limit counts results; invalid and unauthorized IDs are always reported.
		limit: readLimit(this),
		counts: (row) => row.status === 'ok',
	});
}
