import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as approval from './actions/approval';
import * as attendanceGroup from './actions/attendanceGroup';
import * as customApi from './actions/customApi';
import * as punchFlow from './actions/punchFlow';
import * as punchResult from './actions/punchResult';
import * as remedy from './actions/remedy';
import * as schedule from './actions/schedule';
import * as shift from './actions/shift';
import * as statistics from './actions/statistics';
import { router } from './actions/router';
import { searchGroups, searchShifts } from './methods/listSearch';

/** Thin node class: the description, and execute → actions/router (one file per operation under actions/). */
export class FeishuAttendance implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Attendance',
		name: 'feishuAttendance',
		icon: { light: 'file:feishuAttendance.svg', dark: 'file:feishuAttendance.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Import and read punch records, punch results and approvals in Feishu / Lark Attendance',
		defaults: { name: 'Feishu Attendance' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'feishuAttendanceApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Approval', value: 'approval', description: 'Leave, overtime, out-of-office and business-trip results' },
					{ name: 'Attendance Group', value: 'attendanceGroup', description: 'Attendance groups (rules) and their members' },
					{
						name: 'Custom API Call',
						value: 'customApiCall',
						description: 'Any Feishu Open Platform endpoint the node does not cover yet, with this credential',
					},
					{ name: 'Punch Flow', value: 'punchFlow', description: 'Punch records (clock-in and clock-out events)' },
					{ name: 'Punch Result', value: 'punchResult', description: 'Attendance results per employee, day and shift' },
					{ name: 'Statistics Report', value: 'statistics', description: 'Daily and monthly attendance statistics for payroll (days, late, leave, overtime)' },
					{ name: 'Remedy', value: 'remedy', description: 'Corrections of missing or abnormal punches (补卡)' },
					{ name: 'Schedule', value: 'schedule', description: 'Daily schedules: which shift or rest day each employee has' },
					{ name: 'Shift', value: 'shift', description: 'Shifts with their punch times and rules' },
				],
				default: 'punchFlow',
			},
			...punchFlow.description,
			...punchResult.description,
			...statistics.description,
			...approval.description,
			...remedy.description,
			...attendanceGroup.description,
			...shift.description,
			...schedule.description,
			...customApi.description,
		],
	};

	methods = { listSearch: { searchGroups, searchShifts } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
