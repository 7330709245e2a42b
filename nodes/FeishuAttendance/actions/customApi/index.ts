import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as call from './call.operation';

export const operations: Record<string, FeishuOperation> = { call };

/**
 * The Resource entry, last in the node's Resource list. n8n (1.123 and 2.x) appends its own "Custom API Call"
 * (value __CUSTOM_API_CALL__: it opens the HTTP Request node with this credential, which cannot refresh the
 * tenant token on Feishu's 99991663) to every Resource and Operation list whose last entry has another name.
 * Named like that and last, this resource and its operation take that place: one "Custom API Call", ours.
 */
export const resourceOption: INodePropertyOptions = {
	name: 'Custom API Call',
	value: 'customApiCall',
	description: 'Any Feishu Open Platform endpoint the node does not cover yet, with this credential',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customApiCall'] } },
		options: [
			{
				name: 'Custom API Call',
				value: 'call',
				description:
					"Call any Feishu Open Platform endpoint below /open-apis/ that this node does not cover yet, with the node's credential (token refresh, rate limits and retries included). Needs: method, path, query parameters, JSON body. Returns: one item per input item with Feishu's data object.",
				action: 'Make a custom API call',
			},
		],
		default: 'call',
	},
	...call.description,
];
