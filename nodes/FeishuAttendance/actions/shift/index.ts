import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as get from './get.operation';
import * as getByName from './getByName.operation';
import * as getMany from './getMany.operation';

export const operations: Record<string, FeishuOperation> = { get, getByName, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['shift'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a shift with its punch times and rules', action: 'Get a shift' },
			{ name: 'Get by Name', value: 'getByName', description: 'Find a shift by its name', action: 'Get a shift by name' },
			{ name: 'Get Many', value: 'getMany', description: 'List the shifts', action: 'Get many shifts' },
		],
		default: 'getMany',
	},
	...get.description,
	...getByName.description,
	...getMany.description,
];
