/**
 * Feishu Attendance Trigger (polling): every Poll Time, what is new or changed in Feishu Attendance since the
 * last poll, without a public URL. Beside the action node, as n8n's Google Sheets Trigger sits beside Google
 * Sheets: it reads through the action node's own Get Many operations and transport (poll/sources.ts).
 */
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/credential';
import { employeeIdTypeProperty, timezoneOption } from './descriptions/common';
import { getTimeZones } from './methods/loadOptions';
import {
	DEFAULT_APPROVAL_DAYS_AHEAD,
	DEFAULT_LOOK_BACK_DAYS,
	DEFAULT_MAX_CALLS,
	MAX_LOOK_BACK_DAYS,
	TEST_EVENTS_PER_SOURCE,
	runPoll,
} from './poll/poll';

export class FeishuAttendancePollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Attendance Poll Trigger',
		name: 'feishuAttendancePollTrigger',
		icon: { light: 'file:feishuAttendance.svg', dark: 'file:feishuAttendance.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"every poll: " + $parameter["watch"].join(", ")}}',
		description:
			'Starts the workflow with the punch records, results, approvals and remedies that are new or changed since the last poll',
		defaults: { name: 'Feishu Attendance Poll Trigger' },
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: `Every poll reads the look-back window and emits each record that is new or changed since the last poll, once. The first poll after activation emits nothing unless On First Poll says otherwise: it remembers what is there. "Fetch Test Event" shows what a poll would emit now, else the latest ${TEST_EVENTS_PER_SOURCE} records of each kind, and changes nothing.`,
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'multiOptions',
				options: [
					{
						name: 'Approvals',
						value: 'approval',
						description:
							'Leave, overtime, out of office and business trips, approved or withdrawn (revoked), for days in the window and ahead',
					},
					{
						name: 'Punch Records',
						value: 'punchRecord',
						description: 'New punches, also ones that arrive late or are imported afterwards',
					},
					{
						name: 'Punch Results',
						value: 'punchResult',
						description:
							'Results per employee, day and shift, when they appear and whenever they change',
					},
					{
						name: 'Remedies',
						value: 'remedy',
						description: 'Corrections of punches (补卡), new or with a new status',
					},
				],
				default: ['punchRecord', 'punchResult', 'approval', 'remedy'],
				required: true,
				description: 'Which records to emit when they are new or change',
			},
			{
				displayName: 'Employees From',
				name: 'employeesFrom',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Attendance Groups',
						value: 'groups',
						description: 'The members of attendance groups, read at every poll',
					},
					{
						name: 'Employee List',
						value: 'employees',
						description: 'Employees given by ID, staff number, email or mobile',
					},
				],
				default: 'employees',
			},
			{
				...employeeIdTypeProperty(false, true),
				displayOptions: { show: { employeesFrom: ['employees'] } },
				description: 'How the employees are given',
			},
			{
				displayName: 'Employee IDs',
				name: 'employeeIds',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. emp001, emp002',
				displayOptions: { show: { employeesFrom: ['employees'] } },
				description: 'The employees to watch, separated by commas (or an array from an expression)',
			},
			{
				displayName: 'Attendance Groups',
				name: 'groups',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. 6919358128597097404 or Retail Stores',
				displayOptions: { show: { employeesFrom: ['groups'] } },
				description:
					'Group IDs or names, separated by commas. Their members are read at every poll, so new members are watched from the next poll.',
			},
			{
				displayName: 'Look-Back Window (Days)',
				name: 'lookBackDays',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_LOOK_BACK_DAYS },
				default: DEFAULT_LOOK_BACK_DAYS,
				description:
					'How many days (today included) every poll reads again, so that punches that arrive late and results that Feishu changes after the day are caught. Records are emitted once however often they are read.',
			},
			{
				displayName: 'On First Poll',
				name: 'firstPoll',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Emit Nothing, Remember What Is There',
						value: 'baseline',
						description:
							'Only what is new or changes after activation is emitted (as the Google Sheets Trigger does)',
					},
					{
						name: 'Emit the Look-Back Window',
						value: 'emit',
						description:
							'The first poll emits every record in the window once, e.g. to fill an empty table',
					},
				],
				default: 'baseline',
				description:
					'What the first poll after activation does (also for a kind of record added to Watch later)',
			},
			{
				displayName: 'Max Calls per Poll',
				name: 'maxCallsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_CALLS,
				description:
					'Most calls to Feishu one poll may make. A poll that would need more fails without emitting anything and the next poll tries again. About 1 call per 50 employees per kind of record (approvals 2-4, remedies 5), plus 1 per group. Each item reports the calls its poll made in poll.calls.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Approvals: Days Ahead',
						name: 'approvalDaysAhead',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 366 },
						default: DEFAULT_APPROVAL_DAYS_AHEAD,
						description:
							'How far after today approvals are read: leave approved today for next month is emitted today only if its days are within this range',
					},
					timezoneOption,
				],
			},
		],
	};

	methods = { loadOptions: { getTimeZones } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this);
	}
}
