import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeQueryProperties, timezoneOption } from '../../descriptions/common';
import { compact, errorMessage } from '../../helpers/output';
import { queryEmployees, readEmployeeDayRange } from '../../helpers/query';
import { REST_DAY_NAME, REST_DAY_SHIFT_ID, RuleDirectory } from '../../helpers/rules';
import { MAX_SCHEDULE_QUERY_DAYS, dayOfEntry } from './schedule';
import type { DayWindow } from '../../helpers/time';
import { dayNumberToIsoDate, splitDayRange } from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { readLimit } from '../../helpers/parameters';

const properties: INodeProperties[] = employeeQueryProperties({
	employeeIds:
		'Employees whose schedules to get: one ID per item, or several separated by commas. Every employee is asked once, however many items name them.',
	from: 'First day of the range (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd.',
	to: 'Last day of the range, inclusive. Feishu answers at most 30 days per call; longer ranges are asked in 30-day windows.',
	options: [
		{
			displayName: 'Resolve Names',
			name: 'resolveNames',
			type: 'boolean',
			default: true,
			description:
				'Whether to add the names of the attendance groups and shifts (reads the group and shift lists once per run; needs the attendance:rule:readonly scope)',
		},
		timezoneOption,
	],
});

export const description = updateDisplayOptions(
	{ show: { resource: ['schedule'], operation: ['getMany'] } },
	properties,
);

interface ScheduleQuery {
	employeeIdType: string;
	from: number;
	to: number;
}

/**
 * One item per employee and scheduled day, with group and shift names. Days Feishu returns no entry for are
 * not output. UNCONFIRMED: see docs/ASSUMPTIONS.md#schedule-unscheduled-days.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const resolveNames = options.resolveNames !== false;

	const output = await queryEmployees<ScheduleQuery, DayWindow>(this, client, items.length, {
		read: (itemIndex) => {
			// Each item reads its own Timezone (its days are days in that zone); items are asked together only
			// when ID type, days and zone are equal.
			const { employeeIdType, lookup, employeeIds, from, to, timeZone } = readEmployeeDayRange(
				this,
				itemIndex,
			);
			return {
				employeeIds,
				lookup,
				key: [employeeIdType, from, to, timeZone].join('|'),
				params: { employeeIdType, from, to },
			};
		},
		windows: (query) => splitDayRange(query.from, query.to, MAX_SCHEDULE_QUERY_DAYS),
		send: async ({ group, employeeIds, window, itemIndex }) =>
			await client.request<IDataObject>({
				method: 'POST',
				path: '/user_daily_shifts/query',
				qs: { employee_type: group.params.employeeIdType },
				body: { user_ids: employeeIds, check_date_from: window.from, check_date_to: window.to },
				repeatable: true,
				itemIndex,
			}),
		rows: ({ group, window, result }, add) => {
			const entries = ((result.data ?? {}).user_daily_shifts ?? []) as IDataObject[];
			const sorted = entries
				.map((entry) => ({ entry, day: dayOfEntry(entry.month, entry.day_no) }))
				.filter(({ day }) => day !== undefined && day >= window.from && day <= window.to)
				.sort((a, b) => a.day! - b.day!);
			for (const { entry, day } of sorted) {
				const shiftId = String(entry.shift_id ?? '');
				add(
					String(entry.user_id ?? ''),
					compact({
						employee_id: entry.user_id,
						employee_id_type: group.params.employeeIdType,
						date: dayNumberToIsoDate(day!),
						day,
						month: entry.month,
						day_no: entry.day_no,
						group_id: entry.group_id,
						shift_id: shiftId,
						rest_day: shiftId === REST_DAY_SHIFT_ID,
						is_clear_schedule: entry.is_clear_schedule,
					}),
				);
			}
		},
		limit: readLimit(this),
	});

	if (!resolveNames || !output.some((item) => item.json.group_id !== undefined)) return output;
	const directory = new RuleDirectory(client);
	let groupNames: Map<string, string>;
	let shiftNames: Map<string, string>;
	try {
		[groupNames, shiftNames] = await Promise.all([
			directory.names('group'),
			directory.names('shift'),
		]);
	} catch (error) {
		// The names are an addition: the schedules read are output without them, and the run says why.
		this.addExecutionHints({
			message: `Group and shift names are missing: reading the attendance groups or shifts failed (${errorMessage(error)}). Turn off Resolve Names, or give the app the attendance:rule:readonly scope.`,
			type: 'warning',
			location: 'outputPane',
		});
		return output;
	}
	for (const item of output) {
		const json = item.json;
		if (json.group_id === undefined || json.error !== undefined) continue;
		const named: IDataObject = {};
		for (const [key, value] of Object.entries(json)) {
			named[key] = value;
			if (key === 'group_id') named.group_name = groupNames.get(String(value));
			if (key === 'shift_id')
				named.shift_name =
					value === REST_DAY_SHIFT_ID ? REST_DAY_NAME : shiftNames.get(String(value));
		}
		item.json = compact(named);
	}
	return output;
}
