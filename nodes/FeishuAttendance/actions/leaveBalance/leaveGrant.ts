/**
 * Leave grant records (Feishu People): the parameters both operations share and how one item names a grant's
 * employee, leave type and time zone. Feishu's docs: attendance-v1 leave_employ_expire_record/get and
 * leave_accrual_record/patch; employees are named by user_id_type (not employee_type as elsewhere).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { errorMessage, inputError } from '../../helpers/output';
import { textParameter, timezoneFrom } from '../../helpers/parameters';
import { dayNumberToIsoDate, parseDay, wallTimeIn } from '../../helpers/time';

/** The ID kinds the leave endpoints take (user_id_type), in the panel's order. */
const USER_ID_TYPES = [
	{
		name: 'Employee ID',
		value: 'user_id',
		description: 'The user ID shown in the Feishu admin console (contact user_id)',
	},
	{ name: 'Open ID', value: 'open_id', description: "The user's open_id for this app" },
	{
		name: 'People Core HR ID',
		value: 'people_corehr_id',
		description: 'The employment ID in Feishu People (Core HR)',
	},
	{
		name: 'Union ID',
		value: 'union_id',
		description: "The user's union_id across the developer's apps",
	},
];

export const leaveProperties: INodeProperties[] = [
	{
		displayName: 'Leave Type ID',
		name: 'leaveTypeId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7111688079785723436',
		description: 'The leave type (e.g. annual leave), as Feishu People lists it under leave types',
	},
	{
		displayName: 'Employee ID Type',
		name: 'userIdType',
		type: 'options',
		options: USER_ID_TYPES,
		default: 'user_id',
		description: 'How the Employee ID of an item is to be read',
	},
	{
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_id }}',
		description: 'The employee whose leave grants these are',
	},
];

/** What every leave call of an item says: path, query and the body's common fields. */
export interface LeaveTarget {
	leaveTypeId: string;
	userIdType: string;
	employeeId: string;
	timezone: string;
}

export function readLeaveTarget(ctx: IExecuteFunctions, itemIndex: number): LeaveTarget {
	const leaveTypeId = textParameter(ctx, itemIndex, 'leaveTypeId', 'Leave Type ID');
	if (!/^\d+$/.test(leaveTypeId)) {
		throw inputError(
			ctx,
			itemIndex,
			`Leave Type ID "${leaveTypeId}" is not a leave type ID`,
			'A leave type ID is a number, e.g. 7111688079785723436.',
		);
	}
	const employeeId = textParameter(ctx, itemIndex, 'employeeId', 'Employee ID');
	if (employeeId === '')
		throw inputError(
			ctx,
			itemIndex,
			'Employee ID is empty',
			'Give the employee whose leave grants these are.',
		);
	const userIdType = String(ctx.getNodeParameter('userIdType', itemIndex, 'user_id'));
	if (!USER_ID_TYPES.some((type) => type.value === userIdType)) {
		throw inputError(
			ctx,
			itemIndex,
			`Employee ID Type "${userIdType}" is not one of ${USER_ID_TYPES.map((t) => t.value).join(', ')}`,
		);
	}
	return { leaveTypeId, userIdType, employeeId, timezone: timezoneFrom(ctx, itemIndex) };
}

/** A date parameter as Feishu's yyyy-MM-dd (the calendar day in the item's time zone). */
export function readLeaveDate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	timezone: string,
): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '');
	try {
		return dayNumberToIsoDate(parseDay(raw, timezone));
	} catch (error) {
		throw inputError(
			ctx,
			itemIndex,
			`${label}: ${errorMessage(error)}`,
			'Give a date such as 2025-12-31.',
		);
	}
}

/** Feishu's time_offset: minutes east of UTC of the time zone on that day (Feishu's default is 480, Beijing). */
export function timeOffsetOf(isoDay: string, timezone: string): number {
	const noon = Date.UTC(
		Number(isoDay.slice(0, 4)),
		Number(isoDay.slice(5, 7)) - 1,
		Number(isoDay.slice(8, 10)),
		12,
	);
	const wall = wallTimeIn(noon, timezone);
	return Math.round(
		(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - noon) / 60000,
	);
}

/** The body fields naming the employee and the leave type. */
export const leaveBody = (target: LeaveTarget): IDataObject => ({
	employment_id: target.employeeId,
	leave_type_id: target.leaveTypeId,
});
