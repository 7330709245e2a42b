import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as createOrUpdate from './createOrUpdate.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getMembers from './getMembers.operation';
import * as search from './search.operation';

export const operations: Record<string, FeishuOperation> = {
	createOrUpdate,
	delete: del,
	get,
	getMany,
	getMembers,
	search,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attendanceGroup'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'createOrUpdate',
				description:
					"Create an attendance group, or change the one of that name (changes the tenant's attendance rules)",
				action: 'Create or update an attendance group',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: "Delete an attendance group (changes the tenant's attendance rules)",
				action: 'Delete an attendance group',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an attendance group with its rules, members and shifts per weekday',
				action: 'Get an attendance group',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the attendance groups (ID and name)',
				action: 'Get many attendance groups',
			},
			{
				name: 'Get Members',
				value: 'getMembers',
				description: 'List the employees of an attendance group',
				action: 'Get members of an attendance group',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find attendance groups by name',
				action: 'Search attendance groups by name',
			},
		],
		default: 'getMany',
	},
	...createOrUpdate.description,
	...del.description,
	...get.description,
	...getMany.description,
	...getMembers.description,
	...search.description,
];
