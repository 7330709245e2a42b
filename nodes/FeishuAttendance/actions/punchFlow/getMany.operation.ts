import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	employeeQueryProperties,
	timezoneOption,
	windowDaysOption,
} from '../../descriptions/common';
import { errorMessage, inputError } from '../../helpers/output';
import { meansWholeDay, queryFlowWindow, withIsoTime } from './punchFlow';
import type { FlowQueryResult } from './punchFlow';
import {
	checkDayRange,
	queryEmployees,
	readEmployeeIds,
	readItemEmployeeIdType,
} from '../../helpers/query';
import type { DayWindow } from '../../helpers/time';
import {
	DAY_MS,
	dayNumberToIsoDate,
	parseDateTime,
	splitTimeRange,
	toDayNumber,
	toIsoInZone,
} from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { readLimit, readWindowDays, timezoneFrom } from '../../helpers/parameters';

const properties: INodeProperties[] = employeeQueryProperties({
	employeeIds:
		'Employees whose punch records to get: one ID per input item, or several separated by commas (or an array from an expression). Each distinct employee is queried once, however many items name them.',
	employeeIdsPlaceholder: 'e.g. {{ $json.employee_id }} or 4d7a3c6g, 8e2b1f9a',
	from: 'Start of the time range (inclusive). Times without an offset are read in the Timezone option. Items with the same range are queried together.',
	to: 'End of the time range (inclusive). A date without a time (2026-03-31, 20260331) or a date at exactly midnight without an offset (2026-03-31T00:00:00, as the date picker sets it) means the end of that day (23:59:59); give an offset (2026-03-31T00:00:00+08:00) for midnight itself. Longer ranges are split into several queries automatically.',
	options: [
		{
			displayName: 'Include Terminated Users',
			name: 'includeTerminated',
			type: 'boolean',
			default: false,
			description:
				'Whether to also return the records of departed employees whose ID was reused by a new hire. Off: only the current (or most recently departed) holder of each ID.',
		},
		timezoneOption,
		windowDaysOption,
	],
});

export const description = updateDisplayOptions(
	{ show: { resource: ['punchFlow'], operation: ['getMany'] } },
	properties,
);

/**
 * Query parameters shared by the items of one group: what a call sends and the zone its rows are shown in.
 * Each item reads its own (expressions may differ per item); items with equal values are asked together.
 */
interface FlowRange {
	employeeType: string;
	fromMs: number;
	toMs: number;
	timeZone: string;
	includeTerminated: boolean;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const windowMs = readWindowDays(this) * DAY_MS;

	// Items with the same range (usually all of them) form one group; each distinct employee of a group is
	// asked once, in calls of at most 50 users, one call per window of the range (helpers/query.ts).
	return await queryEmployees<FlowRange, DayWindow, FlowQueryResult>(this, client, items.length, {
		read: (itemIndex) => {
			const timeZone = timezoneFrom(this, itemIndex);
			const { employeeType, lookup } = readItemEmployeeIdType(this, itemIndex, { lookup: true });
			const employeeIds = readEmployeeIds(this, itemIndex);
			const fromMs = readTime(
				this,
				itemIndex,
				'From',
				this.getNodeParameter('from', itemIndex, ''),
				timeZone,
				false,
			);
			const toMs = readTime(
				this,
				itemIndex,
				'To',
				this.getNodeParameter('to', itemIndex, ''),
				timeZone,
				true,
			);
			if (toMs < fromMs) {
				throw inputError(
					this,
					itemIndex,
					`To (${toIsoInZone(toMs, timeZone)}) is before From (${toIsoInZone(fromMs, timeZone)})`,
				);
			}
			checkDayRange(
				this,
				itemIndex,
				toDayNumber(fromMs, timeZone),
				toDayNumber(toMs, timeZone),
				timeZone,
			);
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const range: FlowRange = {
				employeeType,
				fromMs,
				toMs,
				timeZone,
				includeTerminated: options.includeTerminated === true,
			};
			return { employeeIds, lookup, key: JSON.stringify(Object.values(range)), params: range };
		},
		windows: (range) => splitTimeRange(range.fromMs, range.toMs, windowMs),
		send: async ({ group, employeeIds, window, itemIndex }) =>
			await queryFlowWindow(client, {
				employeeType: group.params.employeeType,
				userIds: employeeIds,
				fromMs: window.from,
				toMs: window.to,
				includeTerminated: group.params.includeTerminated,
				itemIndex,
			}),
		// Employees Feishu refused (unknown / no data permission) fail the items that asked for them.
		// Windows come in chronological order; within a window, sort by check time.
		rows: ({ group, result }, add, fail) => {
			for (const [employeeId, answer] of result.rejectedUsers) {
				const itemIndex = group.employees.itemsOf(employeeId)[0];
				fail(
					employeeId,
					client.errorFor(
						answer,
						{ method: 'POST', path: '/user_flows/query', itemIndex },
						{ subject: `employee ${employeeId}` },
					),
				);
			}
			const records = [...result.records].sort(
				(a, b) => Number(a.check_time) - Number(b.check_time),
			);
			for (const record of records)
				add(String(record.user_id ?? ''), withIsoTime(record, group.params.timeZone));
		},
		limit: readLimit(this),
	});
}

function readTime(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	timezone: string,
	endOfDay: boolean,
): number {
	try {
		const ms = parseDateTime(value, timezone);
		if (!endOfDay || !meansWholeDay(value)) return ms;
		// 'To: 2026-03-31' (or the date picker's '2026-03-31T00:00:00') means the whole of that day.
		return parseDateTime(`${dayNumberToIsoDate(toDayNumber(ms, timezone))} 23:59:59`, timezone);
	} catch (error) {
		throw inputError(ctx, itemIndex, `${field} ${errorMessage(error)}`);
	}
}
