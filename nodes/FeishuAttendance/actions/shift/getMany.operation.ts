import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, returnAllProperties } from '../../descriptions/common';
import { readLimit } from '../../helpers/parameters';
import { fetchAllForEveryItem } from '../../helpers/pagination';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [...returnAllProperties, optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['shift'], operation: ['getMany'] } },
	properties,
);

/** The shifts with their punch times and rules, read once and paired with every input item. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	return await fetchAllForEveryItem(
		this,
		client,
		items.length,
		{ path: '/shifts', listKey: 'shift_list' },
		readLimit(this),
	);
}
