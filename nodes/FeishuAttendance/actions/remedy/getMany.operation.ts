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
import { inputError, errorMessage } from '../../helpers/output';
import { queryEmployees, readEmployeeDayRange } from '../../helpers/query';
import type { SecondsWindow } from './remedy';
import {
	ALL_REMEDY_STATUS_CODES,
	REMEDY_QUERY_PATH,
	REMEDY_STATUSES,
	flattenRemedy,
	remedyQueryBody,
	remedyQueryWindows,
} from './remedy';
import type { FeishuClient } from '../../transport';
import { readLimit, readWindowDays, timezoneFrom } from '../../helpers/parameters';
import { resolveEnum } from '../../helpers/enums';

const ALL = 'all';

const properties: INodeProperties[] = employeeQueryProperties({
	employeeIds:
		'Employees whose remedies to get: one ID per item, or several separated by commas. Every employee is asked once, however many items name them; each result is paired with the items that asked for it.',
	from: 'First day of the range (the day in the Timezone option) in which the remedied punch times lie. Accepts dates, date-times and yyyyMMdd.',
	to: 'Last day of the range, inclusive. Long ranges are asked in windows (see Options → Advanced → Window (Days)).',
	filters: [
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{
					name: 'All Statuses',
					value: ALL,
					description:
						'Pending, approved, rejected, cancelled and withdrawn remedies (one call per status)',
				},
				...REMEDY_STATUSES.map(({ name, value }) => ({ name, value })).sort((a, b) =>
					a.name.localeCompare(b.name),
				),
			],
			default: ALL,
			description:
				'Which remedies to get. Note: Feishu itself answers approved remedies only when no status is given; this node always asks for the statuses chosen here.',
		},
	],
	options: [timezoneOption, windowDaysOption],
});

export const description = updateDisplayOptions(
	{ show: { resource: ['remedy'], operation: ['getMany'] } },
	properties,
);

interface RemedyQuery {
	employeeIdType: string;
	timeZone: string;
	windows: SecondsWindow[];
}

/** Remedy → Get Many: user_task_remedys/query per ≤ 50 employees × window × status, through queryEmployees. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const windowDays = readWindowDays(this);
	return await queryEmployees<RemedyQuery, SecondsWindow>(this, client, items.length, {
		read: (itemIndex) => {
			const timeZone = timezoneFrom(this, itemIndex);
			const { employeeIdType, lookup, employeeIds, from, to } = readEmployeeDayRange(
				this,
				itemIndex,
				timeZone,
			);
			const raw = this.getNodeParameter('status', itemIndex, ALL);
			let statuses: number[];
			try {
				statuses =
					raw === ALL ? ALL_REMEDY_STATUS_CODES : [resolveEnum(REMEDY_STATUSES, raw, 'Status')];
			} catch (error) {
				throw inputError(this, itemIndex, errorMessage(error));
			}
			const key = [employeeIdType, timeZone, from, to, statuses.join(',')].join('|');
			return {
				employeeIds,
				lookup,
				key,
				params: {
					employeeIdType,
					timeZone,
					windows: remedyQueryWindows(from, to, timeZone, windowDays, statuses),
				},
			};
		},
		windows: (query) => query.windows,
		send: async ({ group, employeeIds, window, itemIndex }) =>
			await client.request<IDataObject>({
				method: 'POST',
				path: REMEDY_QUERY_PATH,
				qs: { employee_type: group.params.employeeIdType },
				body: remedyQueryBody(employeeIds, window),
				repeatable: true,
				itemIndex,
			}),
		rows: ({ group, result }, add) => {
			for (const remedy of (result.data?.user_remedys ?? []) as IDataObject[]) {
				add(
					String(remedy.user_id ?? ''),
					flattenRemedy(remedy, group.params.employeeIdType, group.params.timeZone),
				);
			}
		},
		limit: readLimit(this),
	});
}
