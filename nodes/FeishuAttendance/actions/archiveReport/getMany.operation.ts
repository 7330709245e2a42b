import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, returnAllProperties } from '../../descriptions/common';
import { fetchAllForEveryItem } from '../../helpers/pagination';
import { readLimit } from '../../helpers/parameters';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [...returnAllProperties, optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['archiveReport'], operation: ['getMany'] } },
	properties,
);

/** The archive rules (GET archive_rule, page_token), read once and paired with every input item. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	return await fetchAllForEveryItem(
		this,
		client,
		items.length,
		{ path: '/archive_rule', listKey: 'items' },
		readLimit(this),
	);
}
