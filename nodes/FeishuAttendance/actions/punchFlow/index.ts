import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as deleteFlows from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as importFlows from './import.operation';

export const operations: Record<string, FeishuOperation> = {
	import: importFlows,
	getMany,
	get,
	delete: deleteFlows,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['punchFlow'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete punch records that were imported through the API',
				action: 'Delete punch records',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one punch record by its record ID',
				action: 'Get a punch record',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Query employees' punch records in a time range",
				action: 'Get many punch records',
			},
			{
				name: 'Import',
				value: 'import',
				description:
					'Import punch records (one per input item) so that Feishu computes attendance results',
				action: 'Import punch records',
			},
		],
		default: 'import',
	},
	...importFlows.description,
	...getMany.description,
	...get.description,
	...deleteFlows.description,
];
