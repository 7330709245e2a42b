import {
	NodeConnectionTypes,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/credential';
import { timeZoneOptions } from '../shared/timezones';
import {
	DEFAULT_MAX_TIMESTAMP_AGE_SECONDS,
	EMPLOYEE_ID_ANY,
	EVENT_ANY,
	EVENT_FLOW_CREATED,
	EVENT_TASK_UPDATED,
	TASK_STATUS_LABELS,
	TASK_STATUSES,
	TASK_SUPPLEMENT_LABELS,
	TASK_SUPPLEMENTS,
	TIMEZONE_EVENT_OR_WORKFLOW,
	TIMEZONE_WORKFLOW,
	type OptionLabel,
} from './helpers/constants';
import { APPROVAL_EVENTS } from './helpers/approvals';
import { DEFAULT_MAX_REMEMBERED_EVENTS } from './helpers/dedupe';
import { handleAttendanceWebhook } from './helpers/webhook';

/**
 * The choices of the Timezone option: the event's zone else the workflow's (the default), the workflow's,
 * then every zone (nodes/shared/timezones.ts).
 */
export async function getTimeZones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return [
		{
			name: "Event's Timezone, Else the Workflow's",
			value: TIMEZONE_EVENT_OR_WORKFLOW,
			description:
				"The zone the event carries (attendance result changes carry their attendance group's zone); for events without one, the workflow's timezone",
		},
		{
			name: "Workflow's Timezone",
			value: TIMEZONE_WORKFLOW,
			description: "The timezone in the workflow's settings (else the n8n instance's)",
		},
		...timeZoneOptions(),
	];
}

/** The options of a multiOptions parameter for a list of values, sorted by name (as n8n lists options). */
function optionsOf<T extends string>(
	values: readonly T[],
	labels: Record<T, OptionLabel>,
): INodePropertyOptions[] {
	return values
		.map((value) => {
			const { name, description } = labels[value];
			return description === undefined ? { name, value } : { name, value, description };
		})
		.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The canvas subtitle as an n8n expression: the names of the chosen events as the Events list shows them
 * ("Punch Recorded"), an event code the list does not have as it is.
 */
export function eventsSubtitle(properties: INodeProperties[]): string {
	const events = properties.find((p) => p.name === 'events');
	const words: Record<string, string> = {};
	for (const option of (events?.options ?? []) as Array<{ name: string; value?: unknown }>) {
		if (typeof option.value === 'string') words[option.value] = option.name;
	}
	const table = JSON.stringify(words).replace(/\{\{/g, '{ {').replace(/\}\}/g, '} }');
	return `={{ [].concat($parameter["events"] || []).map(event => (${table})[event] || event).join(", ") }}`;
}

export class FeishuAttendanceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Attendance Trigger',
		name: 'feishuAttendanceTrigger',
		icon: {
			light: 'file:feishuAttendanceTrigger.svg',
			dark: 'file:feishuAttendanceTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		// In words ("Punch Recorded, Attendance Result Changed"): set in the constructor from the Events options
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		// n8n's nodes panel shows one entry for this trigger and the Feishu Attendance node, with the trigger's
		// description (editor-ui generateMergedNodesAndActions: app.description = trigger.description), so
		// this text describes both.
		description:
			'Import and read punch records, results and statistics; write leave, overtime, trips and remedies; manage schedules, shifts and groups; start workflows on punches and result changes',
		defaults: {
			name: 'Feishu Attendance Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_TYPE,
				required: false,
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Activate the workflow, then paste its Production URL into the Feishu (or Lark) developer console → your app → Events & Callbacks → Request URL, and add the attendance events selected below. Put the same app's Verification Token and Encrypt Key (Events & Callbacks → Encryption Strategy) into the credential (recommended). Without a credential only unencrypted events are accepted and nothing is verified.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				description:
					'The events that start the workflow. Subscribe to the same events in Feishu; the approval events also need the approval definition subscribed (see the README).',
				options: [
					{
						name: 'Any Attendance Event',
						value: EVENT_ANY,
						description:
							'Every event whose type starts with "attendance." (not the approval events below)',
					},
					{
						name: 'Attendance Result Changed',
						value: EVENT_TASK_UPDATED,
						description:
							"A user's punch result (task status) changed (attendance.user_task.updated_v1)",
					},
					...APPROVAL_EVENTS.map(({ name, value, description }) => ({ name, value, description })),
					{
						name: 'Punch Recorded',
						value: EVENT_FLOW_CREATED,
						description: 'A punch (flow record) was recorded (attendance.user_flow.created_v1)',
					},
				].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
			},
			{
				displayName: 'Employee ID Type',
				name: 'employeeIdType',
				type: 'options',
				options: [
					{
						name: 'Employee ID',
						value: 'employee_id',
						description: "The user ID shown in the Feishu admin console (the event's employee_id)",
					},
					{
						name: 'Employee ID or Employee Number',
						value: EMPLOYEE_ID_ANY,
						description: 'A listed ID matches either of the two',
					},
					{
						name: 'Employee Number',
						value: 'employee_no',
						description: "The staff number (工号, the event's employee_no)",
					},
				],
				default: EMPLOYEE_ID_ANY,
				description:
					'Which ID of the event the Employee IDs below are compared with. Events carry both.',
			},
			{
				displayName: 'Employee IDs',
				name: 'employeeIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 4d7a3c6g, 12345',
				description:
					'Only start for these employees, given as the Employee ID Type above (comma-separated, or an expression returning a list). Empty = everyone.',
			},
			{
				displayName: 'Only When Status Changes To',
				name: 'taskStatuses',
				type: 'multiOptions',
				default: [],
				description:
					'For attendance result changes: start only when at least one punch result moves to one of these statuses. Empty = any change.',
				displayOptions: {
					show: {
						events: [EVENT_TASK_UPDATED, EVENT_ANY],
					},
				},
				options: optionsOf(TASK_STATUSES, TASK_STATUS_LABELS),
			},
			{
				displayName: 'Only When Supplement Changes To',
				name: 'taskSupplements',
				type: 'multiOptions',
				default: [],
				description:
					"For attendance result changes: start only when at least one result's supplement (reason) moves to one of these. Empty = any.",
				displayOptions: {
					show: {
						events: [EVENT_TASK_UPDATED, EVENT_ANY],
					},
				},
				options: optionsOf(TASK_SUPPLEMENTS, TASK_SUPPLEMENT_LABELS),
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Max Request Age (Seconds)',
						name: 'maxTimestampAge',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_MAX_TIMESTAMP_AGE_SECONDS,
						description:
							'With an Encrypt Key: refuse signed requests whose X-Lark-Request-Timestamp is further than this from now (replay protection). 0 turns the check off.',
					},
					{
						displayName: 'Remembered Event IDs',
						name: 'maxRememberedEvents',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_MAX_REMEMBERED_EVENTS,
						description:
							"How many recent event IDs (at most 8 hours old) are kept to drop Feishu's repeated deliveries. 0 turns deduplication off.",
					},
					{
						// n8n's rule for lists loaded when opened (the verification scanner ignores eslint-disable comments)
						displayName: 'Timezone Name or ID',
						name: 'timezone',
						type: 'options',
						// loaded when the list is opened (getTimeZones below): some 400 names
						typeOptions: { loadOptionsMethod: 'getTimeZones' },
						default: TIMEZONE_EVENT_OR_WORKFLOW,
						description:
							'Time zone of the ISO 8601 times in the output (create_time_iso, check_time_iso). Default: the zone the event carries (attendance result changes carry their attendance group\'s zone), else the workflow\'s. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	};

	methods = { loadOptions: { getTimeZones } };

	/**
	 * Feishu has no API to register an event Request URL: the user pastes it into the developer
	 * console. The lifecycle therefore only records, in the node's static data, which URL is active.
	 */
	constructor() {
		this.description.subtitle = eventsSubtitle(this.description.properties);
	}

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				return staticData.requestUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				staticData.requestUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				delete staticData.requestUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleAttendanceWebhook.call(this);
	}
}
