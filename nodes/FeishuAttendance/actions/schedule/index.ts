import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as createOrUpdate from './createOrUpdate.operation';
import * as getMany from './getMany.operation';

export const operations: Record<string, FeishuOperation> = { createOrUpdate, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['schedule'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'createOrUpdate',
				description:
					'Set the shift or rest day of employees per day (one item per employee and day; sending the same schedule again changes nothing)',
				action: 'Create or update schedules',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Get employees' daily schedules (group and shift per day) for a date range",
				action: 'Get many schedules',
			},
		],
		default: 'createOrUpdate',
	},
	...createOrUpdate.description,
	...getMany.description,
];
