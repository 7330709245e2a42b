import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getMembers from './getMembers.operation';
import * as search from './search.operation';

export const operations: Record<string, FeishuOperation> = { get, getMany, getMembers, search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attendanceGroup'] } },
		options: [
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
	...get.description,
	...getMany.description,
	...getMembers.description,
	...search.description,
];
