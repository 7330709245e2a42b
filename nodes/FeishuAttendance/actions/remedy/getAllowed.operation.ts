import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, optionsCollection, timezoneFrom, timezoneOption } from '../../descriptions/common';
import { errorMessage, inputError } from '../../helpers/output';
import { queryEmployees, readEmployeeIds } from '../../helpers/query';
import { REMEDY_ALLOWED_PATH, punchName } from '../../helpers/remedy';
import { dayNumberToIsoDate, parseDateTime, parseDay, toIsoInZone } from '../../helpers/time';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	employeeIdTypeProperty(),
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
		description: 'The work day to check (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd.',
	},
	optionsCollection([timezoneOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['remedy'], operation: ['getAllowed'] } }, properties);

interface AllowedQuery {
	employeeIdType: string;
	day: number;
	timeZone: string;
}

/** A remedy time 'yyyy-MM-dd HH:mm' (wall time in `zone`) as ISO 8601 in `outputZone`, if readable. */
function isoOf(text: unknown, zone: string, outputZone: string): string | undefined {
	try {
		return typeof text === 'string' && text !== '' ? toIsoInZone(parseDateTime(text, zone), outputZone) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Remedy → Get Allowed: query_user_allowed_remedys, one call per employee and day. One output item per punch that can
 * still be corrected (with the time range the remedied time must lie in), or one item with status "nothing to remedy".
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: FeishuClient): Promise<INodeExecutionData[]> {
	return await queryEmployees<AllowedQuery>(this, items.length, {
		read: (itemIndex) => {
			const timeZone = timezoneFrom(this, itemIndex);
			const employeeIdType = String(this.getNodeParameter('employeeIdType', itemIndex));
			const employeeIds = readEmployeeIds(this, itemIndex);
			let day: number;
			try {
				day = parseDay(this.getNodeParameter('day', itemIndex, ''), timeZone);
			} catch (error) {
				throw inputError(this, itemIndex, `Day ${errorMessage(error)}`);
			}
			return { employeeIds, key: [employeeIdType, day, timeZone].join('|'), params: { employeeIdType, day, timeZone } };
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
			const base = { employee_id: employeeIds[0], employee_id_type: employeeIdType, remedy_date: day, date_iso: dayNumberToIsoDate(day) };
			if (allowed.length === 0) {
				add(employeeIds[0], { status: 'nothing to remedy', ...base, message: 'Feishu lists no punch of this day that can be corrected.' });
				return;
			}
			for (const a of allowed) {
				const free = a.is_free_punch === true;
				add(employeeIds[0], {
					status: 'allowed',
					...base,
					punch: free ? punchName(0, 0) : punchName(a.punch_no, a.work_type),
					punch_no: a.punch_no as number,
					work_type: a.work_type as number,
					is_free_punch: free,
					punch_status: a.punch_status as string,
					normal_punch_time: a.normal_punch_time as string,
					normal_punch_time_iso: isoOf(a.normal_punch_time, timeZone, timeZone),
					remedy_start_time: a.remedy_start_time as string,
					remedy_start_time_iso: isoOf(a.remedy_start_time, timeZone, timeZone),
					remedy_end_time: a.remedy_end_time as string,
					remedy_end_time_iso: isoOf(a.remedy_end_time, timeZone, timeZone),
				});
			}
		},
	});
}
