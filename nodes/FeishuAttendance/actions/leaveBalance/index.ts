import type { INodeProperties } from 'n8n-workflow';

import type { FeishuOperation } from '../node.type';
import * as getExpiringGrants from './getExpiringGrants.operation';
import * as updateGrant from './updateGrant.operation';

export const operations: Record<string, FeishuOperation> = { getExpiringGrants, updateGrant };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['leaveBalance'] } },
		options: [
			{
				name: 'Get Expiring Grants',
				value: 'getExpiringGrants',
				description: "List an employee's leave grants that expire in a date range (Feishu People)",
				action: 'Get expiring leave grants',
			},
			{
				name: 'Update Grant',
				value: 'updateGrant',
				description:
					"Change a leave grant's quantity or expiry date (changes the employee's entitlement)",
				action: 'Update a leave grant',
			},
		],
		default: 'getExpiringGrants',
	},
	...getExpiringGrants.description,
	...updateGrant.description,
];
