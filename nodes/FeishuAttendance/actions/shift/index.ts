import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getByName from './getByName.operation';
import * as getMany from './getMany.operation';

export const operations: Record<string, FeishuOperation> = {
	create,
	delete: del,
	get,
	getByName,
	getMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['shift'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: "Create a shift (changes the tenant's attendance rules)",
				action: 'Create a shift',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: "Delete a shift (changes the tenant's attendance rules)",
				action: 'Delete a shift',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a shift with its punch times and rules',
				action: 'Get a shift',
			},
			{
				name: 'Get by Name',
				value: 'getByName',
				description: 'Find a shift by its name',
				action: 'Get a shift by name',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the shifts',
				action: 'Get many shifts',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...del.description,
	...get.description,
	...getByName.description,
	...getMany.description,
];
