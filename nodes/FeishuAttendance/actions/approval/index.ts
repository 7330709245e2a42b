import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as create from './create.operation';
import * as getMany from './getMany.operation';
import * as updateStatus from './updateStatus.operation';

export const operations: Record<string, FeishuOperation> = { create, getMany, updateStatus };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['approval'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Write approved leave, overtime, out of office or a business trip (one per input item) into Feishu Attendance',
				action: 'Write leave / overtime / out of office / business trip',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description:
					"Query employees' approved leave, overtime, out of office and business trips in a date range",
				action: 'Get many leave / overtime / out of office / business trip records',
			},
			{
				name: 'Update Status',
				value: 'updateStatus',
				description:
					'Revoke leave, overtime, out of office or a business trip written through the API, or approve or reject a pending remedy',
				action: 'Update the status of an approval',
			},
		],
		default: 'create',
	},
	...create.description,
	...getMany.description,
	...updateStatus.description,
];
