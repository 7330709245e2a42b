import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_WINDOW_DAYS, FEISHU_MAX_BATCH } from '../helpers/batching';
import { inputError } from '../helpers/output';
import { isValidTimeZone } from '../helpers/time';
import { describeValue } from '../helpers/values';
import type { ClientOptions } from '../transport';
import { DEFAULT_CLIENT_OPTIONS } from '../transport';

/** Employee ID Type parameter; `withOpenId` for the endpoints that also accept open_id (approvals). */
export function employeeIdTypeProperty(withOpenId = false): INodeProperties {
	return {
		displayName: 'Employee ID Type',
		name: 'employeeIdType',
		type: 'options',
		options: [
			{
				name: 'Employee ID',
				value: 'employee_id',
				description: 'The user ID shown in the Feishu admin console (contact user_id)',
			},
			{ name: 'Employee Number', value: 'employee_no', description: 'The staff number (工号)' },
			...(withOpenId ? [{ name: 'Open ID', value: 'open_id', description: "The user's open_id for this app" }] : []),
		],
		default: 'employee_id',
		description: 'How the employee IDs of an item are to be read (an expression may give each item its own type)',
	};
}

/** What a Get Many that asks about employees says about its parameters (see employeeQueryProperties). */
export interface EmployeeQueryDescription {
	/** Employee ID Type also offers open_id */
	withOpenId?: boolean;
	/** descriptions of Employee IDs, From and To: whose data the operation gets, how it reads the range */
	employeeIds: string;
	from: string;
	to: string;
	employeeIdsPlaceholder?: string;
	/** the operation's own parameters, shown between To and Return All */
	filters?: INodeProperties[];
	/** the operation's own options (see optionsCollection) */
	options: INodeProperties[];
}

/**
 * The parameters of a Get Many that asks about employees, read by helpers/query.ts (readEmployeeIds,
 * readDayRange, readLimit): Employee ID Type, Employee IDs, From, To, the operation's filters, Return All,
 * Limit and Options.
 */
export function employeeQueryProperties(op: EmployeeQueryDescription): INodeProperties[] {
	return [
		employeeIdTypeProperty(op.withOpenId),
		{
			displayName: 'Employee IDs',
			name: 'employeeIds',
			type: 'string',
			default: '',
			required: true,
			placeholder: op.employeeIdsPlaceholder ?? 'e.g. {{ $json.employee_id }}',
			description: op.employeeIds,
		},
		{
			displayName: 'From',
			name: 'from',
			type: 'dateTime',
			default: '',
			required: true,
			description: op.from,
		},
		{
			displayName: 'To',
			name: 'to',
			type: 'dateTime',
			default: '',
			required: true,
			description: op.to,
		},
		...(op.filters ?? []),
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
		optionsCollection(op.options),
	];
}

/**
 * Batch Size option (records per Feishu call, at most `max`, default 50); read with batchSizeOf
 * (helpers/batching.ts). One value for the whole run: not an expression per item.
 */
export function batchSizeOption(defaultSize: number, description: string, max = FEISHU_MAX_BATCH): INodeProperties {
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

/** Timezone option (inside an operation's Options collection); read per item with timezoneFrom(ctx, itemIndex). */
export const timezoneOption: INodeProperties = {
	displayName: 'Timezone',
	name: 'timezone',
	type: 'string',
	default: '',
	placeholder: 'Asia/Shanghai',
	description:
		"IANA time zone used to read times that carry no offset and to format times in the output. Empty: the workflow's timezone.",
};

const MAX_WINDOW_DAYS = 366;

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

/** The Window (Days) option of the current operation (default 30); anything but a whole number from 1 to 366 is an error. */
export function readWindowDays(ctx: IExecuteFunctions): number {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const raw = options.windowDays;
	if (raw === undefined) return DEFAULT_WINDOW_DAYS;
	const days = typeof raw === 'number' || (typeof raw === 'string' && raw.trim() !== '') ? Number(raw) : NaN;
	if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Window (Days) must be a whole number from 1 to ${MAX_WINDOW_DAYS}, got ${JSON.stringify(raw)}`,
			{ itemIndex: 0, description: `Set Options → Window (Days) to the number of days asked per call, e.g. ${DEFAULT_WINDOW_DAYS}.` },
		);
	}
	return days;
}

/** Pacing options shared by every operation (the end of its Options collection, see optionsCollection). */
const pacingOptions: INodeProperties[] = [
	{
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 49,
		description:
			'Most calls per second per Feishu endpoint in this run. Feishu allows 50 per app and tenant; lower it when other workflows use the same app at the same time.',
	},
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrent',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 12,
		description: 'Most calls in flight at once in this run',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 4,
		description:
			'How often a call that is safe to repeat is retried after a server error, a lost connection or a timeout. Rate limits are always waited out.',
	},
];

/**
 * An operation's Options collection: the options specific to it (in the order shown, Timezone among them
 * where the operation reads times), then the pacing options every operation has.
 */
export function optionsCollection(specific: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...specific, ...pacingOptions],
	};
}

/** Reads the pacing options of the current operation into transport options. */
export function clientOptionsFrom(ctx: IExecuteFunctions): ClientOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
	return {
		...DEFAULT_CLIENT_OPTIONS,
		requestsPerSecond: num(options.requestsPerSecond, DEFAULT_CLIENT_OPTIONS.requestsPerSecond),
		maxConcurrent: num(options.maxConcurrent, DEFAULT_CLIENT_OPTIONS.maxConcurrent),
		maxRetries: num(options.maxRetries, DEFAULT_CLIENT_OPTIONS.maxRetries),
	};
}

/**
 * The timezone of an item: its Timezone option (an expression may give each item its own zone), else the
 * workflow's timezone. Anything but a valid IANA zone name (an object, a number, an unknown name) is an
 * input error naming the item.
 */
export function timezoneFrom(ctx: IExecuteFunctions, itemIndex = 0): string {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const raw = options.timezone;
	let timezone: string;
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
		timezone = String(ctx.getTimezone() || 'UTC').trim();
	} else if (typeof raw === 'string') {
		timezone = raw.trim();
	} else {
		throw inputError(ctx, itemIndex, `Timezone must be the name of a time zone, got ${describeValue(raw)}`, TIMEZONE_HINT);
	}
	if (!isValidTimeZone(timezone)) {
		throw inputError(ctx, itemIndex, `The timezone "${timezone}" is not a valid IANA time zone`, TIMEZONE_HINT);
	}
	return timezone;
}

const TIMEZONE_HINT = 'Use a name such as Asia/Shanghai, Europe/Berlin or UTC in Options → Timezone.';
