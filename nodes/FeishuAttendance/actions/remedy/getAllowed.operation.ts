import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	employeeIdTypeProperty,
	optionsCollection,
	timezoneOption,
} from '../../descriptions/common';
import { perItem, timezoneFrom } from '../../helpers/parameters';
import { errorMessage, inputError } from '../../helpers/output';
import { queryEmployees, readEmployeeIds, readItemEmployeeIdType } from '../../helpers/query';
import { REMEDY_ALLOWED_PATH, allowedRemedyRow } from './remedy';
import { dayNumberToIsoDate, parseDay } from '../../helpers/time';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	employeeIdTypeProperty(false, true),
	{
		displayName: 'Employee IDs',
		name: 'employeeIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_id }}',
		description:
			'Employees to check: one ID per item, or several separated by commas. Feishu answers one employee per call; each employee and day is asked once.',
	},
	{
		displayName: 'Day',
		name: 'day',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'The work day to check (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd.',
	},
	optionsCollection([timezoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['remedy'], operation: ['getAllowed'] } },
	properties,
);

interface AllowedQuery {
	employeeIdType: string;
	day: number;
	timeZone: string;
}

/**
 * Remedy → Get Allowed: query_user_allowed_remedys, one call per employee and day. One output item per punch that can
 * still be corrected (with the time range the remedied time must lie in), or one item with status "nothing to remedy".
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const timezoneOf = perItem(this, 'options.timezone', (itemIndex) =>
		timezoneFrom(this, itemIndex),
	);
	return await queryEmployees<AllowedQuery>(this, client, items.length, {
		read: (itemIndex) => {
			const timeZone = timezoneOf(itemIndex);
			// Email / Mobile: queryEmployees resolves them first and this asks by employee_id
			const { employeeType: employeeIdType, lookup } = readItemEmployeeIdType(this, itemIndex, {
				lookup: true,
			});
			const employeeIds = readEmployeeIds(this, itemIndex);
			let day: number;
			try {
				day = parseDay(this.getNodeParameter('day', itemIndex, ''), timeZone);
			} catch (error) {
				throw inputError(this, itemIndex, `Day ${errorMessage(error)}`);
			}
			return {
				employeeIds,
				lookup,
				key: [employeeIdType, day, timeZone].join('|'),
				params: { employeeIdType, day, timeZone },
			};
		},
		employeesPerCall: 1,
		send: async ({ group, employeeIds, itemIndex }) =>
			await client.request<IDataObject>({
				method: 'POST',
				path: REMEDY_ALLOWED_PATH,
				qs: { employee_type: group.params.employeeIdType },
				body: { user_id: employeeIds[0], remedy_date: group.params.day },
				repeatable: true,
				itemIndex,
			}),
		rows: ({ group, employeeIds, result }, add) => {
			const { employeeIdType, day, timeZone } = group.params;
			const allowed = (result.data?.user_allowed_remedys ?? []) as IDataObject[];
			const base = {
				employee_id: employeeIds[0],
				employee_id_type: employeeIdType,
				remedy_date: day,
				date_iso: dayNumberToIsoDate(day),
			};
			if (allowed.length === 0) {
				add(employeeIds[0], {
					status: 'nothing to remedy',
					...base,
					message: 'Feishu lists no punch of this day that can be corrected.',
				});
				return;
			}
			for (const a of allowed)
				add(employeeIds[0], { status: 'allowed', ...base, ...allowedRemedyRow(a, timeZone) });
		},
	});
}
