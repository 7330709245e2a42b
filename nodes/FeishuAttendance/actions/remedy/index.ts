import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as create from './create.operation';
import * as getAllowed from './getAllowed.operation';
import * as getMany from './getMany.operation';

export const operations: Record<string, FeishuOperation> = { create, getAllowed, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['remedy'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Write a pending remedy (correction of a missing or abnormal punch); approve it with Approval → Update Status',
				action: 'Create a remedy',
			},
			{
				name: 'Get Allowed',
				value: 'getAllowed',
				description:
					'List the punches of a day that can still be corrected, with the allowed time range',
				action: 'Get allowed remedies',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Query employees' remedies in a date range (all statuses by default)",
				action: 'Get many remedies',
			},
		],
		default: 'create',
	},
	...create.description,
	...getAllowed.description,
	...getMany.description,
];
