import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as call from './call.operation';

export const operations: Record<string, FeishuOperation> = { call };

/**
 * The Resource entry, last in the node's Resource list. n8n (1.123 and 2.x) appends its own "Custom API Call"
 * (value __CUSTOM_API_CALL__: it opens the HTTP Request node with this credential, which cannot refresh the
 * tenant token on Feishu's 99991663) to every Resource and Operation list (a parameter named resource or
 * operation with options) whose last entry has another name. Named like that and last, this resource takes
 * that place: one "Custom API Call", ours. It has one operation, so its Operation is a hidden parameter: no
 * second "Custom API Call" under the first, and no list for n8n to append its own to.
 */
export const resourceOption: INodePropertyOptions = {
	name: 'Custom API Call',
	value: 'customApiCall',
	description:
		"Call any Feishu Open Platform endpoint below /open-apis/ that this node does not cover yet, with the node's credential (token refresh, rate limits and retries included): method, path, query parameters, JSON body. Returns one item per input item with Feishu's data object.",
};

/** The canvas subtitle of the custom call (its Operation has no option to carry an action string). */
export const actions: Record<string, string> = { 'customApiCall.call': 'Make a custom API call' };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'hidden',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customApiCall'] } },
		default: 'call',
	},
	...call.description,
];
