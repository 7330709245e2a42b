import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as approval from './actions/approval';
import * as punchFlow from './actions/punchFlow';
import * as punchResult from './actions/punchResult';
import * as statistics from './actions/statistics';
import { router } from './actions/router';

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
					{ name: 'Punch Flow', value: 'punchFlow', description: 'Punch records (clock-in and clock-out events)' },
					{ name: 'Punch Result', value: 'punchResult', description: 'Attendance results per employee, day and shift' },
					{ name: 'Statistics', value: 'statistics', description: 'Daily and monthly attendance statistics for payroll (days, late, leave, overtime)' },
				],
				default: 'punchFlow',
			},
			...punchFlow.description,
			...punchResult.description,
			...statistics.description,
			...approval.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
