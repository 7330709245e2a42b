import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeQueryProperties, timezoneOption } from '../../descriptions/common';
import {
	APPROVAL_STATUSES,
	DATE_TYPES,
	approvalQueryWindows,
	flattenApprovalEntry,
} from './approval';
import { errorMessage, inputError } from '../../helpers/output';
import { queryEmployees, readEmployeeDayRange } from '../../helpers/query';
import type { DayWindow } from '../../helpers/time';
import { addDays, toDayNumber } from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { enumName, optionsOf, resolveEnum } from '../../helpers/enums';
import { readLimit } from '../../helpers/parameters';

// The choices come from the tables that also map them to Feishu's values (approvalOptions.ts).
const statusOptions = optionsOf(APPROVAL_STATUSES);
const dateTypeOptions = optionsOf(DATE_TYPES);

const properties: INodeProperties[] = employeeQueryProperties({
	withOpenId: true,
	employeeIds:
		'Employees whose approved leave, overtime, out of office and business trips to get: one ID per item, or several separated by commas. Every employee is asked once, however many items name them; each result is paired with the items that asked for it.',
	from: 'First day of the range (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd.',
	to: 'Last day of the range, inclusive. Long ranges are asked in windows of 30 days. Feishu does not answer queries that start after tomorrow.',
	filters: [
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: statusOptions,
			default: 'approved',
			description:
				'Which approvals to get. Feishu answers leave and overtime only for Approved and Withdrawn; out of office and business trips for every status.',
		},
		{
			displayName: 'Date Type',
			name: 'dateType',
			type: 'options',
			options: dateTypeOptions,
			default: 'period',
			description: 'Which date of an approval From and To refer to',
		},
	],
	options: [timezoneOption],
});

export const description = updateDisplayOptions(
	{ show: { resource: ['approval'], operation: ['getMany'] } },
	properties,
);

/** What the items of one group share (each item reads its own; items with equal values are asked together). */
interface ApprovalQuery {
	employeeIdType: string;
	from: number;
	to: number;
	timeZone: string;
	status: number;
	dateType: string;
	windows: Array<{ from: number; to: number }>;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// Feishu refuses check_date_from later than "today + 1"; its today may be Beijing's, so take the earlier.
	const now = Date.now();
	const latestFromIn = (timeZone: string) =>
		addDays(Math.min(toDayNumber(now, timeZone), toDayNumber(now, 'Asia/Shanghai')), 1);

	// A record may come in two windows: each is output once per group (keys start with the group index).
	const seen = new Set<string>();
	return await queryEmployees<ApprovalQuery, DayWindow>(this, client, items.length, {
		read: (itemIndex) => {
			const { employeeIdType, lookup, employeeIds, from, to, timeZone } = readEmployeeDayRange(
				this,
				itemIndex,
			);
			let status: number;
			let dateType: string;
			let windows: ApprovalQuery['windows'];
			try {
				status = resolveEnum(
					APPROVAL_STATUSES,
					this.getNodeParameter('status', itemIndex, 'approved'),
					'Status',
				);
				dateType = resolveEnum(
					DATE_TYPES,
					this.getNodeParameter('dateType', itemIndex, 'period'),
					'Date Type',
				);
				windows = approvalQueryWindows(from, to, latestFromIn(timeZone), dateType);
			} catch (error) {
				throw inputError(this, itemIndex, errorMessage(error));
			}
			const key = JSON.stringify([employeeIdType, from, to, timeZone, status, dateType]);
			return {
				employeeIds,
				lookup,
				key,
				params: { employeeIdType, from, to, timeZone, status, dateType, windows },
			};
		},
		windows: (query) => query.windows,
		send: async ({ group, employeeIds, window, itemIndex }) =>
			await client.request<IDataObject>({
				method: 'POST',
				path: '/user_approvals/query',
				qs: { employee_type: group.params.employeeIdType },
				body: {
					user_ids: employeeIds,
					check_date_from: window.from,
					check_date_to: window.to,
					check_date_type: group.params.dateType,
					status: group.params.status,
				},
				repeatable: true,
				itemIndex,
			}),
		rows: ({ group, result }, add) => {
			const query = group.params;
			for (const entry of (result.data?.user_approvals ?? []) as IDataObject[]) {
				const employeeId = String(entry.user_id ?? '');
				// A window clamped to "tomorrow" may reach before From: keep only the asked period.
				const day = Number(entry.date);
				if (
					query.dateType === 'PeriodTime' &&
					Number.isInteger(day) &&
					(day < query.from || day > query.to)
				)
					continue;
				const extra = {
					employee_id_type: query.employeeIdType,
					approval_status: enumName(APPROVAL_STATUSES, query.status),
				};
				for (const { type, record } of flattenApprovalEntry(entry, query.timeZone, extra)) {
					const id = `${group.index}|${employeeId}|${type}|${String(record.approval_id ?? JSON.stringify(record))}`;
					if (seen.has(id)) continue;
					seen.add(id);
					add(employeeId, record);
				}
			}
		},
		limit: readLimit(this),
	});
}
