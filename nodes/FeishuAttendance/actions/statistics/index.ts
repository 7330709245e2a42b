import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as getColumns from './getColumns.operation';
import * as getMany from './getMany.operation';
import * as getReportSettings from './getReportSettings.operation';
import * as updateReportSettings from './updateReportSettings.operation';

export const operations: Record<string, FeishuOperation> = {
	getColumns,
	getMany,
	getReportSettings,
	updateReportSettings,
};

// Update Report Settings reads the view and sends all of it back: PUT user_stats_views/:id replaces the whole view.
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['statistics'] } },
		options: [
			{
				name: 'Get Columns',
				value: 'getColumns',
				description:
					'List every statistics column Feishu offers (codes and titles), to build a payroll mapping',
				action: 'Get statistics columns',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description:
					'Get daily or monthly attendance statistics per employee (days worked, late minutes, leave, overtime…)',
				action: 'Get many statistics',
			},
			{
				name: 'Get Report Settings',
				value: 'getReportSettings',
				description: "Read which columns an admin's statistics report has switched on",
				action: 'Get statistics report settings',
			},
			{
				name: 'Update Report Settings',
				value: 'updateReportSettings',
				description:
					"Switch columns of an admin's statistics report on or off (changes what the report returns)",
				action: 'Update statistics report settings',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...getColumns.description,
	...getReportSettings.description,
	...updateReportSettings.description,
];
