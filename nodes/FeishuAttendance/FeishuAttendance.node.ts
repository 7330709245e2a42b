import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	NodeHint,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import * as approval from './actions/approval';
import * as archiveReport from './actions/archiveReport';
import * as attendanceGroup from './actions/attendanceGroup';
import * as customApi from './actions/customApi';
import * as facePhoto from './actions/facePhoto';
import * as leaveBalance from './actions/leaveBalance';
import * as punchFlow from './actions/punchFlow';
import * as punchResult from './actions/punchResult';
import * as remedy from './actions/remedy';
import * as schedule from './actions/schedule';
import * as shift from './actions/shift';
import * as statistics from './actions/statistics';
import { router } from './actions/router';
import { errorMessage } from './helpers/output';
import { forAgent, toolOutputProperty } from './helpers/toolOutput';
import { subtitleExpression } from './descriptions/subtitle';
import { searchGroups, searchShifts } from './methods/listSearch';
import { getTimeZones } from './methods/loadOptions';

/** Subtitles other than the operation's action string: Approval → Create says what it writes. */
const SUBTITLE_WORDS = {
	'approval.create': {
		parameter: 'approvalType',
		words: {
			leave: 'Write leave',
			out: 'Write out of office',
			overtime: 'Write overtime',
			trip: 'Write a business trip',
		},
	},
};

/**
 * n8n's editor suggests "Execute Once" when a Get Many receives several items. This node already asks Feishu
 * once for all items together (employees and records in batches), so Execute Once would drop every item but
 * the first: say so where n8n shows its suggestion (the output pane), when there are several input items.
 */
const HINTS: NodeHint[] = [
	{
		message:
			"Leave 'Execute Once' off for this node: it already asks Feishu once for all input items together (in batches) and pairs each result with the items that asked for it. Execute Once would keep only the first item.",
		type: 'info',
		location: 'outputPane',
		displayCondition:
			'={{ $parameter["resource"] !== "customApiCall" && $input.all().length > 1 }}',
	},
];

/** Thin node class: the description, and execute → actions/router (one file per operation under actions/). */
export class FeishuAttendance implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Attendance',
		name: 'feishuAttendance',
		icon: { light: 'file:feishuAttendance.svg', dark: 'file:feishuAttendance.dark.svg' },
		group: ['transform'],
		// 1.1: Statistics → Get Many returns all rows and simplified figures (numbers keyed by column code) by default
		version: [1, 1.1],
		defaultVersion: 1.1,
		// In words: set in the constructor from the operations' action strings ("Import punch records", "Write leave")
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Import and read punch records, results and statistics; write leave, overtime, out of office, trips and remedies; manage schedules, shifts and attendance groups in Feishu / Lark',
		defaults: { name: 'Feishu Attendance' },
		usableAsTool: true,
		hints: HINTS,
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
					{
						name: 'Approval',
						value: 'approval',
						description: 'Approved leave, overtime, out of office and business trips',
					},
					{
						name: 'Archive Report',
						value: 'archiveReport',
						description:
							"Archived monthly reports: a payroll or attendance system's own figures in Feishu",
					},
					{
						name: 'Attendance Group',
						value: 'attendanceGroup',
						description: 'Attendance groups (rules) and their members',
					},
					{
						name: 'Face Photo',
						value: 'facePhoto',
						description: 'The photos employees are recognised by when they punch',
					},
					{
						name: 'Leave Balance',
						value: 'leaveBalance',
						description:
							'Leave grants (entitlements) in Feishu People: expiring grants, corrections',
					},
					{
						name: 'Punch Record',
						value: 'punchFlow',
						description: 'Punch records: the clock-in and clock-out events of employees',
					},
					{
						name: 'Punch Result',
						value: 'punchResult',
						description: 'Attendance results per employee, day and shift',
					},
					{
						name: 'Remedy',
						value: 'remedy',
						description: 'Corrections of missing or abnormal punches (补卡)',
					},
					{
						name: 'Schedule',
						value: 'schedule',
						description: 'Daily schedules: which shift or rest day each employee has',
					},
					{ name: 'Shift', value: 'shift', description: 'Shifts with their punch times and rules' },
					{
						name: 'Statistics Report',
						value: 'statistics',
						description:
							'Daily and monthly attendance statistics for payroll (days, late, leave, overtime)',
					},
					// Last, as n8n places "Custom API Call": n8n then adds no second entry of that name (its HTTP Request
					// shortcut, which cannot refresh this credential's token) to the list. See actions/customApi/index.ts.
					{ ...customApi.resourceOption },
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
			...archiveReport.description,
			...leaveBalance.description,
			...facePhoto.description,
			...customApi.description,
			toolOutputProperty,
		],
	};

	methods = { listSearch: { searchGroups, searchShifts }, loadOptions: { getTimeZones } };

	constructor() {
		// Built from every resource's Operation selector, so that a new operation gets its subtitle too.
		this.description.subtitle = subtitleExpression(
			this.description.properties,
			SUBTITLE_WORDS,
			customApi.actions,
		);
	}

	/**
	 * Programmatic, not declarative (n8n's prefer-declarative-style): one run batches the items of many
	 * employees into few Feishu calls, paces them per endpoint, refreshes the tenant token and reads state back
	 * before deciding what happened, none of which declarative routing (one request per item) can express.
	 * Each operation honours Continue On Fail per item; a failure of the run as a whole (e.g. an Advanced
	 * option that cannot be read) becomes every item's error output here when Continue On Fail is on.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			return forAgent(this, await router.call(this));
		} catch (error) {
			if (!this.continueOnFail()) {
				throw error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), errorMessage(error));
			}
			const description = (error as { description?: string })?.description;
			return [
				this.getInputData().map((_, itemIndex) => ({
					json: {
						error: errorMessage(error),
						...(description ? { errorDescription: description } : {}),
					},
					pairedItem: { item: itemIndex },
				})),
			];
		}
	}
}
