/**
 * Custom API Call: any Feishu Open Platform endpoint below /open-apis/ that the node does not cover yet,
 * through the same FeishuClient as every operation (token refresh on 99991663, pacing, 429, retries of
 * what is safe, errors with code, msg, log ID and hint). One call and one output item (Feishu's `data`) per
 * input item. The host is always the credential's.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/common';
import {
	errorMessage,
	failItem,
	inputError,
	outputItem,
	validateItems,
} from '../../helpers/output';
import type { FeishuClient, FeishuRequest } from '../../transport';
import { OPEN_APIS_PREFIX, apiPath } from '../../transport';

type Method = FeishuRequest['method'];

const WRITES: Method[] = ['PATCH', 'POST', 'PUT'];

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		// Fixed by the workflow author: an expression (or an AI agent using the node as a tool) cannot turn a
		// read into a write.
		noDataExpression: true,
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'GET',
		description: 'HTTP method of the Feishu endpoint, as its API reference gives it',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/open-apis/attendance/v1/shifts/6919358778597097404',
		description:
			"Path of the endpoint below /open-apis/, as in Feishu's API reference, without host or query string (they come from the credential and Query Parameters). Example: /open-apis/attendance/v1/groups.",
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Query Parameter',
		description:
			'Query string parameters, e.g. employee_type = employee_id. A name given several times is sent several times (a list).',
		options: [
			{
				displayName: 'Parameter',
				name: 'parameters',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		// required (n8n's open-ended-node-fields): the body is what this call sends, not optional extra settings
		required: true,
		default: '{}',
		description: 'JSON object sent as the request body ({} for none)',
		displayOptions: { show: { method: ['DELETE', 'PATCH', 'POST', 'PUT'] } },
	},
	{
		displayName: 'Idempotent Write',
		name: 'idempotentWrite',
		type: 'boolean',
		default: false,
		description:
			'Whether sending this call twice is harmless (for example it carries an idempotency key, or it sets a value rather than adding one). Only then is it retried after a server error, a lost connection or a timeout; otherwise such a failure is reported and the call is not repeated, so that nothing is written twice.',
		displayOptions: { show: { method: ['PATCH', 'POST', 'PUT'] } },
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customApiCall'], operation: ['call'] } },
	properties,
);

/**
 * The path of an item: a path below /open-apis/ (also accepted: 'attendance/v1/…' or '/attendance/v1/…',
 * which are completed with /open-apis/). A URL with a host, the token endpoints and anything apiPath
 * refuses are input errors.
 */
function readPath(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') throw new Error('Path is empty');
	if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('//')) {
		throw new Error(
			`Path must be a path such as /open-apis/attendance/v1/groups, not a URL ("${text}"): the node only calls the host of its credential`,
		);
	}
	const withSlash = text.startsWith('/') ? text : `/${text}`;
	const full = withSlash.startsWith(OPEN_APIS_PREFIX) ? withSlash : `/open-apis${withSlash}`;
	const decoded = decodedPath(full);
	if (decoded === undefined) throw new Error(`"${text}" has a malformed percent-encoding`);
	// Checked as the gateway reads it: /open-apis/%61uth/… is /open-apis/auth/….
	if (/^\/open-apis\/+auth\//i.test(decoded)) {
		throw new Error(
			'The authentication endpoints (/open-apis/auth/…) cannot be called: the credential fetches and refreshes the token itself',
		);
	}
	if (full.includes('?'))
		throw new Error('Path must not contain a query string: use Query Parameters');
	if (apiPath(full) === undefined || !full.startsWith(OPEN_APIS_PREFIX)) {
		throw new Error(
			`"${text}" is not a path below ${OPEN_APIS_PREFIX} (no '..', '//', '#', backslashes or spaces)`,
		);
	}
	return full;
}

/** Query Parameters as a query object; a name given several times becomes a list. */
function readQuery(raw: unknown): IDataObject {
	const list = ((raw as IDataObject | undefined)?.parameters ?? []) as Array<{
		name?: unknown;
		value?: unknown;
	}>;
	const qs: IDataObject = {};
	for (const { name, value } of list) {
		const key = String(name ?? '').trim();
		if (key === '') throw new Error('A query parameter has no name');
		const text =
			value === undefined || value === null
				? ''
				: typeof value === 'object'
					? JSON.stringify(value)
					: String(value);
		const existing = qs[key];
		qs[key] =
			existing === undefined ? text : [...(Array.isArray(existing) ? existing : [existing]), text];
	}
	return qs;
}

/** Body (JSON): an object, or text holding a JSON object. */
function readBody(raw: unknown): IDataObject {
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		let parseError: unknown;
		try {
			value = JSON.parse(raw);
		} catch (error) {
			parseError = error;
		}
		if (parseError !== undefined)
			throw new Error(`Body (JSON) is not valid JSON: ${errorMessage(parseError)}`);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error('Body (JSON) must be a JSON object, e.g. {"user_ids": ["emp0001"]}');
	}
	return value as IDataObject;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const method = this.getNodeParameter('method', 0) as Method;
	const write = WRITES.includes(method);
	const hint =
		'Set Path to an endpoint path from the Feishu API reference, e.g. /open-apis/attendance/v1/groups.';

	// Every item is read first: a bad item stops the node before anything is sent (or, with Continue On
	// Fail, becomes an error item).
	const { valid, errors } = validateItems(this, items.length, (itemIndex): FeishuRequest => {
		try {
			return {
				method,
				path: readPath(this.getNodeParameter('path', itemIndex, '')),
				qs: readQuery(this.getNodeParameter('queryParameters', itemIndex, {})),
				body:
					method === 'GET' ? undefined : readBody(this.getNodeParameter('body', itemIndex, '{}')),
				// Reads and deletes are safe to repeat; a write only when the author says it is idempotent.
				// UNCONFIRMED: see docs/ASSUMPTIONS.md#custom-call-retries
				repeatable: write
					? (this.getNodeParameter('idempotentWrite', itemIndex, false) as boolean)
					: true,
				itemIndex,
			};
		} catch (error) {
			throw inputError(this, itemIndex, errorMessage(error), hint);
		}
	});

	// All calls at once (the client paces them); answers and errors are output in item order.
	const outcomes = new Map<number, { data?: unknown; error?: unknown }>();
	await Promise.all(
		valid.map(async ({ itemIndex, value }) => {
			try {
				outcomes.set(itemIndex, { data: (await client.request<unknown>(value)).data });
			} catch (error) {
				outcomes.set(itemIndex, { error: error ?? new Error('Unknown error') });
			}
		}),
	);
	const out: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		if (invalid) {
			out.push(invalid);
			continue;
		}
		const outcome = outcomes.get(itemIndex)!;
		if (outcome.error !== undefined) {
			out.push(failItem(this, outcome.error, itemIndex));
			continue;
		}
		const { data } = outcome;
		const json: IDataObject =
			typeof data === 'object' && data !== null && !Array.isArray(data)
				? (data as IDataObject)
				: { data: data as IDataObject };
		out.push(outputItem(json, itemIndex));
	}
	return out;
}

/** The path as the gateway reads it (percent-decoded); undefined when the encoding is malformed. */
function decodedPath(path: string): string | undefined {
	try {
		return decodeURIComponent(path);
	} catch {
		return undefined;
	}
}
