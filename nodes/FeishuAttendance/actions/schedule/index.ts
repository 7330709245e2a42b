import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as createOrUpdate from './createOrUpdate.operation';
import * as createTemporaryShifts from './createTemporaryShifts.operation';
import * as getMany from './getMany.operation';

export const operations: Record<string, FeishuOperation> = {
	createOrUpdate,
	createTemporaryShifts,
	getMany,
};

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
				name: 'Create Temporary Shifts',
				value: 'createTemporaryShifts',
				description:
					'Give employees a one-off shift on a day (one item per employee and day; a paid Feishu feature; each run makes new temporary shifts)',
				action: 'Create temporary shifts',
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
	...createTemporaryShifts.description,
	...getMany.description,
];
