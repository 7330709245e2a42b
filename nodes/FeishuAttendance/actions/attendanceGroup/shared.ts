import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../../helpers/pagination';

/** Return All and Limit of the list operations (read with readListLimit). */
export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Infinity with Return All, else the Limit (at least 1). */
export function readListLimit(ctx: IExecuteFunctions): number {
	const returnAll = ctx.getNodeParameter('returnAll', 0, false) as boolean;
	return returnAll ? Infinity : Math.max(1, Math.floor(Number(ctx.getNodeParameter('limit', 0, MAX_PAGE_SIZE))) || 1);
}
