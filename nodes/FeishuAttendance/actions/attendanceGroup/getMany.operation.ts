import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, returnAllProperties } from '../../descriptions/common';
import { readLimit } from '../../helpers/parameters';
import { fetchAllForEveryItem } from '../../helpers/pagination';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [...returnAllProperties, optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendanceGroup'], operation: ['getMany'] } },
	properties,
);

/** The group list (ID and name per group), read once and paired with every input item. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	return await fetchAllForEveryItem(
		this,
		client,
		items.length,
		{ path: '/groups', listKey: 'group_list' },
		readLimit(this),
		(group) => ({
			group_id: group.group_id,
			group_name: group.group_name,
		}),
	);
}
