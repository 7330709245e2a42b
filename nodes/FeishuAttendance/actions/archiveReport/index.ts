import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as del from './delete.operation';
import * as getFields from './getFields.operation';
import * as getMany from './getMany.operation';
import * as upload from './upload.operation';

export const operations: Record<string, FeishuOperation> = {
	delete: del,
	getFields,
	getMany,
	upload,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['archiveReport'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: "Delete employees' rows of a month from an archived report",
				action: 'Delete archived report rows',
			},
			{
				name: 'Get Fields',
				value: 'getFields',
				description: "List the columns of an archive rule's report",
				action: 'Get archived report fields',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the archive rules',
				action: 'Get many archive rules',
			},
			{
				name: 'Upload',
				value: 'upload',
				description:
					"Write employees' figures of a month into an archived report (one item per employee)",
				action: 'Upload archived report rows',
			},
		],
		default: 'getMany',
	},
	...del.description,
	...getFields.description,
	...getMany.description,
	...upload.description,
];
