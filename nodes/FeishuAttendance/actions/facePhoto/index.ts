import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as get from './get.operation';
import * as update from './update.operation';

export const operations: Record<string, FeishuOperation> = { get, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['facePhoto'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Whether employees have a face photo for punching, and its file ID',
				action: 'Get face photos',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Set an employee's face photo from a binary field (JPG or PNG)",
				action: 'Update a face photo',
			},
		],
		default: 'get',
	},
	...get.description,
	...update.description,
];
