import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { timeZoneOptions as sharedTimeZoneOptions } from '../../shared/timezones';
import { DEFAULT_WINDOW_DAYS, FEISHU_MAX_BATCH } from '../helpers/batching';
import { employeeIdTypeOptions } from '../helpers/employeeIdTypes';
import { ADVANCED, MAX_WINDOW_DAYS } from '../helpers/parameters';

/**
 * Employee ID Type parameter (choices: helpers/employeeIdTypes.ts); `withOpenId` for the endpoints that also
 * accept open_id, `withLookup` where Email and Mobile are looked up first.
 */
export function employeeIdTypeProperty(withOpenId = false, withLookup = false): INodeProperties {
	return {
		displayName: 'Employee ID Type',
		name: 'employeeIdType',
		type: 'options',
		options: employeeIdTypeOptions({ openId: withOpenId, lookup: withLookup }),
		default: 'employee_id',
		description:
			'How the employee IDs of an item are to be read (an expression may give each item its own type)',
	};
}

/**
 * Employee ID parameter of a write (one employee per item, read per the Employee ID Type); `description`
 * says whose record it is, `displayOptions` where the operation shows it only in some modes.
 */
export function employeeIdProperty(
	description: string,
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_id }}',
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}

/** Return All and Limit of every Get Many (read once per run with readLimit, helpers/parameters.ts). */
export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** What a Get Many that asks about employees says about its parameters (see employeeQueryProperties). */
interface EmployeeQueryDescription {
	/** Employee ID Type also offers open_id */
	withOpenId?: boolean;
	/** Employee ID Type also offers Email and Mobile, resolved by queryEmployees (default: yes) */
	withLookup?: boolean;
	/** descriptions of Employee IDs, From and To: whose data the operation gets, how it reads the range */
	employeeIds: string;
	from: string;
	to: string;
	employeeIdsPlaceholder?: string;
	/** the operation's own parameters, shown between To and Return All */
	filters?: INodeProperties[];
	/** the operation's own options (see optionsCollection) */
	options: INodeProperties[];
	/** what Simplify keeps (shown after Limit); no Simplify parameter when absent */
	simplify?: string;
	/**
	 * From and To are days (statistics): a text field with a day placeholder, not n8n's date-and-time picker.
	 * It takes the same values (a date text, yyyyMMdd, an expression giving a date or a date-time).
	 */
	days?: boolean;
}

/** A day field: text, so the editor offers no time of day; read by parseDay like the date-time fields. */
export function dayProperty(
	property: Omit<INodeProperties, 'type' | 'default'>,
	example = '2026-11-20',
): INodeProperties {
	return {
		...property,
		type: 'string',
		default: '',
		placeholder: `e.g. ${example} or {{ $today }}`,
	} as INodeProperties;
}

/**
 * The parameters of a Get Many that asks about employees, read by helpers/query.ts (readEmployeeDayRange)
 * and helpers/parameters.ts (readLimit): Employee ID Type, Employee IDs, From, To, the operation's filters, Return All,
 * Limit and Options.
 */
export function employeeQueryProperties(op: EmployeeQueryDescription): INodeProperties[] {
	return [
		employeeIdTypeProperty(op.withOpenId, op.withLookup !== false),
		{
			displayName: 'Employee IDs',
			name: 'employeeIds',
			type: 'string',
			default: '',
			required: true,
			placeholder: op.employeeIdsPlaceholder ?? 'e.g. {{ $json.employee_id }}',
			description: op.employeeIds,
		},
		op.days
			? dayProperty(
					{ displayName: 'From', name: 'from', required: true, description: op.from },
					'2026-11-01',
				)
			: {
					displayName: 'From',
					name: 'from',
					type: 'dateTime',
					default: '',
					required: true,
					description: op.from,
				},
		op.days
			? dayProperty(
					{ displayName: 'To', name: 'to', required: true, description: op.to },
					'2026-11-30',
				)
			: {
					displayName: 'To',
					name: 'to',
					type: 'dateTime',
					default: '',
					required: true,
					description: op.to,
				},
		...(op.filters ?? []),
		...returnAllProperties,
		...(op.simplify === undefined ? [] : [simplifyProperty(op.simplify)]),
		optionsCollection(op.options),
	];
}

/**
 * Simplify, as n8n's own nodes have it (off by default here: saved workflows keep the full rows they were built
 * on). `keeps`: the fields a simplified row has, shown as the parameter's hint. Read per item with readSimplify.
 */
function simplifyProperty(keeps: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		// n8n's hint-max-length (120): what a simplified row keeps is the tooltip, the hint only points to it
		description: `Whether to return a simplified version of the response instead of the raw data. Simplified rows keep ${keeps.replace(/\.$/, '')}.`,
		hint: 'Simplified rows keep the fields most workflows need (hover over Simplify for the list)',
	};
}

/**
 * Batch Size option (records per Feishu call, at most `max`, default 50), shown in the Advanced group of
 * Options; read with batchSizeOf(advancedOptionsFrom(ctx).batchSize, …) (helpers/batching.ts). One value for
 * the whole run: not an expression per item.
 */
export function batchSizeOption(
	defaultSize: number,
	description: string,
	max = FEISHU_MAX_BATCH,
): INodeProperties {
	return {
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 1, maxValue: max },
		default: defaultSize,
		description,
	};
}

/** The workflow's zone: stored as an empty value (the option's default). */
const WORKFLOW_TIMEZONE = '';

/** The choices of the Timezone option: first the workflow's zone (the default), then every zone, sorted. */
export function timeZoneOptions(): INodePropertyOptions[] {
	return [
		{
			name: "Workflow's Timezone",
			value: WORKFLOW_TIMEZONE,
			description: "The timezone in the workflow's settings (else the n8n instance's)",
		},
		...sharedTimeZoneOptions(),
	];
}

/**
 * Timezone option (inside an operation's Options collection): a searchable list of zones (methods/loadOptions.ts
 * getTimeZones), first the workflow's zone (the default, stored as an empty value). Read per item with
 * timezoneFrom(ctx, itemIndex), which also reads a zone name given by an expression.
 */
export const timezoneOption: INodeProperties = {
	// n8n's rule for lists loaded when opened (the verification scanner ignores eslint-disable comments)
	displayName: 'Timezone Name or ID',
	name: 'timezone',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getTimeZones' },
	default: WORKFLOW_TIMEZONE,
	description:
		'Time zone used to read times that carry no offset and to write times in the output (default: the workflow\'s timezone; an expression may give each item its own zone, e.g. Asia/Shanghai). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Window (Days) option of the Get Many operations that split long ranges (read with readWindowDays). */
export const windowDaysOption: INodeProperties = {
	displayName: 'Window (Days)',
	name: 'windowDays',
	type: 'number',
	noDataExpression: true,
	typeOptions: { minValue: 1, maxValue: MAX_WINDOW_DAYS },
	default: DEFAULT_WINDOW_DAYS,
	description:
		'Longest range asked in one Feishu call; longer ranges are split into several calls and the results merged. Feishu does not document its limit; 30 is a safe value. Lower it if Feishu answers that the time span is too long.',
};

/** Pacing options shared by every operation (in the Advanced group of its Options collection). */
const pacingOptions: INodeProperties[] = [
	{
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 48,
		description:
			'Most calls per second to each Feishu endpoint. Feishu allows 50 per app; 48 leaves room for a network that delivers calls unevenly. Workflows running in the same n8n with the same app share this rate; others (another n8n, queue-mode workers) slow down by themselves when Feishu answers "too many requests".',
	},
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrent',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 20,
		description:
			'Most calls waiting for Feishu at the same time in this run. At 48 calls per second, answers that take 0.4 s keep about 20 calls waiting.',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 4,
		description:
			'How often a call that is safe to repeat is tried again after a server error, a lost connection or a timeout. When Feishu says to slow down, the node always waits and tries again.',
	},
];

/** Options that go into the Advanced group: pacing, Window (Days) and Batch Size. */
const ADVANCED_NAMES = new Set([
	'batchSize',
	'maxConcurrent',
	'maxRetries',
	'requestsPerSecond',
	'windowDays',
]);
const isAdvanced = (option: INodeProperties) => ADVANCED_NAMES.has(option.name);

const byDisplayName = (a: INodeProperties, b: INodeProperties) =>
	a.displayName.localeCompare(b.displayName, 'en');

/**
 * An operation's Options collection, as n8n's linter expects it sorted by name: the options specific to it
 * (Timezone among them where the operation reads times) and one "Advanced" group with the settings few
 * people change (Requests per Second, Max Concurrent Requests, Max Retries, Window (Days), Batch Size), a
 * collection of its own inside Options, stored under options.advanced (only the settings chosen).
 */
export function optionsCollection(specific: INodeProperties[] = []): INodeProperties {
	const all = [...specific, ...pacingOptions];
	const advanced = all.filter(isAdvanced).sort(byDisplayName);
	const plain = all.filter((option) => !isAdvanced(option));
	const group: INodeProperties = {
		displayName: 'Advanced',
		name: ADVANCED,
		type: 'collection',
		placeholder: 'Add Advanced Setting',
		default: {},
		description:
			'Settings few people need to change: how fast and how many calls the node sends to Feishu, and how much it asks per call',
		options: advanced,
	};
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [group, ...plain].sort(byDisplayName),
	};
}

/**
 * A notice above a write that changes the tenant's rules or entitlements: what changes for whom, so that the
 * admin setting up the node knows it is not a record import.
 */
export function changeNotice(name: string, text: string): INodeProperties {
	return { displayName: text, name, type: 'notice', default: '' };
}

/**
 * The confirmation of a costly write, the n8n way: a required yes/no that is off by default (no prompt at run
 * time); the node refuses to run until it is switched on (readConfirmation, helpers/parameters.ts).
 */
export function confirmationProperty(displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name: 'confirm',
		type: 'boolean',
		noDataExpression: true,
		required: true,
		default: false,
		description,
	};
}

/** Work Sections of a new shift or a temporary shift: 1 to 3 start/end times (read by readWorkSections). */
export function workSectionsProperty(description: string): INodeProperties {
	return {
		displayName: 'Work Sections',
		name: 'sections',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Work Section' },
		default: { section: [{ onTime: '09:00', offTime: '18:00' }] },
		description,
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{
						displayName: 'Start Time',
						name: 'onTime',
						type: 'string',
						default: '09:00',
						placeholder: 'e.g. 09:00',
					},
					{
						displayName: 'End Time',
						name: 'offTime',
						type: 'string',
						default: '18:00',
						placeholder: 'e.g. 18:00',
					},
				],
			},
		],
	};
}
