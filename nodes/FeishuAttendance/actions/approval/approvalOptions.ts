/**
 * Approval option tables: each named choice of the node ↔ Feishu's value (https://open.feishu.cn/document/server-docs/attendance-v1/user_approval/create).
 * Each table is the one list of its choices (helpers/enums.ts).
 */
import type { EnumEntry } from '../../helpers/enums';

export type ApprovalType = 'leave' | 'out' | 'overtime' | 'trip';

export const APPROVAL_TYPES: ApprovalType[] = ['leave', 'out', 'overtime', 'trip'];

/** Per type: the array of user_approval that holds it, the key of its part of a 1225001 message, its name in messages. */
export const APPROVAL_KINDS: Record<
	ApprovalType,
	{ field: string; errorKey: string; label: string }
> = {
	leave: { field: 'leaves', errorKey: 'LeaveErrorRecords', label: 'leave' },
	out: { field: 'outs', errorKey: 'OutErrorRecords', label: 'out of office' },
	overtime: { field: 'overtime_works', errorKey: 'OvertimeWorkErrorRecords', label: 'overtime' },
	trip: { field: 'trips', errorKey: 'TripErrorRecords', label: 'business trip' },
};

/** The Type parameter of Approval → Create. */
export const APPROVAL_TYPE_CHOICES: Array<EnumEntry<ApprovalType>> = [
	{ value: 'trip', name: 'Business Trip', code: 'trip' },
	{ value: 'leave', name: 'Leave', code: 'leave' },
	{ value: 'out', name: 'Out of Office', code: 'out' },
	{ value: 'overtime', name: 'Overtime', code: 'overtime' },
];

export const UNITS: Array<EnumEntry<number>> = [
	{ value: 'day', name: 'Day', code: 1 },
	{ value: 'hour', name: 'Hour', code: 2 },
	{ value: 'halfDay', name: 'Half Day', code: 3 },
	{ value: 'halfHour', name: 'Half Hour', code: 4 },
];

export const OVERTIME_CATEGORIES: Array<EnumEntry<number>> = [
	{ value: 'workday', name: 'Workday', code: 1 },
	{ value: 'restDay', name: 'Rest Day', code: 2 },
	{ value: 'publicHoliday', name: 'Public Holiday', code: 3 },
];

export const OVERTIME_TYPES: Array<EnumEntry<number>> = [
	{
		value: 'recordOnly',
		name: 'Record Only',
		code: 0,
		description: 'The overtime is recorded without compensation',
	},
	{
		value: 'timeOffInLieu',
		name: 'Time Off in Lieu',
		code: 1,
		description: 'The overtime is compensated with time off',
	},
	{ value: 'overtimePay', name: 'Overtime Pay', code: 2, description: 'The overtime is paid' },
];

export const TRANSPORTATION: Array<EnumEntry<number>> = [
	{ value: 'plane', name: 'Plane', code: 1 },
	{ value: 'train', name: 'Train', code: 2 },
	{ value: 'car', name: 'Car', code: 3 },
	{ value: 'highSpeedRail', name: 'High-Speed Rail', code: 4 },
	{ value: 'ship', name: 'Ship', code: 5 },
	{ value: 'other', name: 'Other', code: 6 },
];

export const TRIP_TYPES: Array<EnumEntry<number>> = [
	{ value: 'oneWay', name: 'One Way', code: 1 },
	{ value: 'roundTrip', name: 'Round Trip', code: 2 },
];

export const REGION_LEVELS: Array<EnumEntry<string>> = [
	{ value: 'country', name: 'Country', code: 'l1' },
	{ value: 'province', name: 'Province', code: 'l2' },
	{ value: 'city', name: 'City', code: 'l3' },
	{ value: 'district', name: 'District or County', code: 'l4' },
];

export const LOCALES: Array<EnumEntry<string>> = [
	{ value: 'ch', name: 'Chinese', code: 'ch' },
	{ value: 'en', name: 'English', code: 'en' },
	{ value: 'ja', name: 'Japanese', code: 'ja' },
];

export const APPROVAL_STATUSES: Array<EnumEntry<number>> = [
	{ value: 'pending', name: 'Pending', code: 0 },
	{ value: 'rejected', name: 'Rejected', code: 1 },
	{ value: 'approved', name: 'Approved', code: 2 },
	{ value: 'cancelled', name: 'Cancelled', code: 3 },
	{ value: 'withdrawn', name: 'Withdrawn', code: 4 },
];

export const DATE_TYPES: Array<EnumEntry<string>> = [
	{
		value: 'period',
		name: 'Period',
		code: 'PeriodTime',
		description: 'Approvals whose date (the day they apply to) is in the range',
	},
	{
		value: 'created',
		name: 'Created',
		code: 'CreateTime',
		description: 'Approvals created in the range',
	},
	{
		value: 'updated',
		name: 'Updated',
		code: 'UpdateTime',
		description: 'Approvals updated in the range (not yet available on every tenant)',
	},
];
