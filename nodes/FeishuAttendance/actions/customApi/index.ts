import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as call from './call.operation';

export const operations: Record<string, FeishuOperation> = { call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customApiCall'] } },
		options: [
			{
				name: 'Call',
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
