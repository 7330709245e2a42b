import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/common';
import { inputError, validateItems } from '../../helpers/output';
import { runQueries } from '../../helpers/pagination';
import type { FeishuClient } from '../../transport';
import { textParameter } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Group Name',
		name: 'groupName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Retail Stores',
		description: 'The name, or part of it, to look for',
	},
	{
		displayName: 'Exact Match',
		name: 'exactMatch',
		type: 'boolean',
		default: false,
		description:
			'Whether to return only groups with exactly this name. Off: every group whose name contains it (Feishu returns at most 10, the most recently changed first).',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendanceGroup'], operation: ['search'] } },
	properties,
);

/** One item per group found (ID and name); an item that finds nothing gives no output. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => {
		const name = textParameter(this, itemIndex, 'groupName', 'Group Name');
		if (!name) throw inputError(this, itemIndex, 'Group Name is empty');
		const exact = this.getNodeParameter('exactMatch', itemIndex, false) === true;
		return { name, exact };
	});
	const queries = valid.map(({ itemIndex, value }) => ({
		itemIndex,
		key: `${value.exact}|${value.name}`,
		query: value,
	}));
	return await runQueries(this, queries, errors, async ({ name, exact }, itemIndex) => {
		const response = await client.request<IDataObject>({
			method: 'POST',
			path: '/groups/search',
			body: { group_name: name, exactly_matched: exact },
			repeatable: true,
			itemIndex,
		});
		const groups = (response.data?.group_list ?? []) as IDataObject[];
		// Some API versions ignore exactly_matched (it is missing from newer metadata): filter here as well.
		return groups
			.filter((group) => !exact || String(group.group_name ?? '') === name)
			.map((group) => ({ group_id: group.group_id, group_name: group.group_name }));
	});
}
