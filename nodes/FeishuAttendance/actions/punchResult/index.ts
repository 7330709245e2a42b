import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as getMany from './getMany.operation';

export const operations: Record<string, FeishuOperation> = { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['punchResult'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description:
					"Query employees' attendance results (check-in and check-out per shift) for a date range",
				action: 'Get many punch results',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
