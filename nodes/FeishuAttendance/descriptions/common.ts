import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isValidTimeZone } from '../helpers/time';
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
		description: 'How the employee IDs in this node are to be read; applies to the whole call',
	};
}

/** Timezone option (inside an operation's Options collection). */
export const timezoneOption: INodeProperties = {
	displayName: 'Timezone',
	name: 'timezone',
	type: 'string',
	default: '',
	placeholder: 'Asia/Shanghai',
	description:
		"IANA time zone used to read times that carry no offset and to format times in the output. Empty: the workflow's timezone.",
};

/** Pacing options shared by every operation (inside its Options collection). */
export const pacingOptions: INodeProperties[] = [
	{
		displayName: 'Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 48,
		description:
			'Most calls per second per Feishu endpoint in this run. Feishu allows 50 per app and tenant; lower it when other workflows use the same app at the same time.',
	},
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrent',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 12,
		description: 'Most calls in flight at once in this run',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 4,
		description:
			'How often a call that is safe to repeat is retried after a server error, a lost connection or a timeout. Rate limits are always waited out.',
	},
];

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

/** The timezone of the current operation: its Timezone option, else the workflow's timezone. */
export function timezoneFrom(ctx: IExecuteFunctions): string {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const timezone = String(options.timezone || ctx.getTimezone() || 'UTC').trim();
	if (!isValidTimeZone(timezone)) {
		throw new NodeOperationError(ctx.getNode(), `The timezone "${timezone}" is not a valid IANA time zone`, {
			description: 'Use a name such as Asia/Shanghai, Europe/Berlin or UTC in Options → Timezone.',
		});
	}
	return timezone;
}
