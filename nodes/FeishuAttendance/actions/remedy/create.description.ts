/** The parameters of Remedy → Create (the operation file wraps them in its display options). */
import type { INodeProperties } from 'n8n-workflow';

import {
	employeeIdProperty,
	employeeIdTypeProperty,
	optionsCollection,
	timezoneOption,
	windowDaysOption,
} from '../../descriptions/common';
import { punchOptions } from './remedy';

export const properties: INodeProperties[] = [
	employeeIdTypeProperty(false, true),
	employeeIdProperty('The employee whose punch is corrected, in the Employee ID Type chosen above'),
	{
		displayName: 'Day',
		name: 'day',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'The work day being corrected (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd.',
	},
	{
		displayName: 'Punch',
		name: 'punch',
		type: 'options',
		options: punchOptions,
		default: 'firstCheckIn',
		description:
			'Which punch of the day to correct: the check-in or check-out of the first, second or third segment of the shift. Use Free Schedule Punch for free-schedule attendance groups. Remedy → Get Allowed lists what can be corrected.',
	},
	{
		displayName: 'Remedied Time',
		name: 'remedyTime',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-11-20 09:00',
		description:
			'The corrected punch time. Accepts ISO 8601, yyyy-MM-dd HH:mm[:ss] and epoch seconds or milliseconds; times without an offset are read in the Timezone option. Feishu keeps minutes only.',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Forgot to punch in',
		description: 'Why the punch is corrected, as the employee or admin states it',
	},
	optionsCollection([
		{
			displayName: 'Send Again After Rejection',
			name: 'resendClosed',
			type: 'boolean',
			default: false,
			description:
				'Whether a remedy is sent again when Feishu only holds rejected, cancelled or withdrawn remedies for the same employee, day and punch. Off: any existing remedy makes the item a duplicate.',
		},
		timezoneOption,
		{
			...windowDaysOption,
			description:
				'Longest range asked in one call when looking up existing remedies. Feishu does not document its limit; lower it if Feishu answers that the time span is too long.',
		},
	]),
];
