import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as getColumns from './getColumns.operation';
import * as getMany from './getMany.operation';
import * as getReportSettings from './getReportSettings.operation';

export const operations: Record<string, FeishuOperation> = { getColumns, getMany, getReportSettings };

// Changing the report settings (PUT user_stats_views/:id) is left out on purpose: Feishu replaces the whole
// view with what is sent, so a partial or stale write switches columns off for the admin and for every payroll
// export built on them. Read the settings here; change them in the Feishu admin console.
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
				description: 'List every statistics column Feishu offers (codes and titles), to build a payroll mapping',
				action: 'Get statistics columns',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get daily or monthly attendance statistics per employee (days worked, late minutes, leave, overtime…)',
				action: 'Get many statistics',
			},
			{
				name: 'Get Report Settings',
				value: 'getReportSettings',
				description: "Read which columns an admin's statistics report has switched on",
				action: 'Get statistics report settings',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...getColumns.description,
	...getReportSettings.description,
];
