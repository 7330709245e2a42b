/** The parameters of Schedule → Create or Update (the operation file wraps them in its display options). */
import type { INodeProperties } from 'n8n-workflow';

import {
	batchSizeOption,
	dayProperty,
	employeeIdProperty,
	employeeIdTypeProperty,
	optionsCollection,
	timezoneOption,
} from '../../descriptions/common';
import { FEISHU_MAX_BATCH } from '../../helpers/batching';
import { ruleLocator } from '../../helpers/rules';

export const properties: INodeProperties[] = [
	{
		displayName:
			"One item per employee and day. Writing the same schedule again gives the same result (Feishu replaces the day's schedule), so a roster can be re-sent safely.",
		name: 'notice',
		type: 'notice',
		default: '',
	},
	employeeIdTypeProperty(false, true),
	employeeIdProperty('The employee to schedule, read per the Employee ID Type'),
	dayProperty({
		displayName: 'Date',
		name: 'date',
		required: true,
		description:
			'The day to schedule: a date, a date-time (its day in the Timezone option) or yyyyMMdd',
	}),
	ruleLocator('group', {
		displayName: 'Attendance Group',
		name: 'group',
		description:
			"The employee's attendance group on that day (an employee is in one group per day; Feishu does not apply entries for another group). By Name is looked up once per run.",
	}),
	{
		displayName: 'Day Type',
		name: 'dayType',
		type: 'options',
		options: [
			{ name: 'Clear Schedule', value: 'clear', description: 'Remove the schedule of the day' },
			{ name: 'Rest Day', value: 'rest', description: 'The employee is off that day' },
			{ name: 'Shift', value: 'shift', description: 'The employee works a shift that day' },
		],
		default: 'shift',
	},
	ruleLocator('shift', {
		displayName: 'Shift',
		name: 'shift',
		displayOptions: { show: { dayType: ['shift'] } },
	}),
	{
		displayName: 'Operator ID',
		name: 'operatorId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 4d7a3c6g (the employee ID of your attendance admin)',
		description:
			'The attendance admin recorded as the one who changed the schedules, read per the Employee ID Type. Feishu requires it unless "API access" is set up in the attendance admin console.',
	},
	optionsCollection([
		batchSizeOption(
			FEISHU_MAX_BATCH,
			'Schedule entries per Feishu call (Feishu accepts at most 50)',
			FEISHU_MAX_BATCH,
		),
		timezoneOption,
	]),
];
