import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/common';
import { validateItems } from '../../helpers/output';
import { runQueries } from '../../helpers/pagination';
import type { FeishuClient } from '../../transport';
import { fetchArchiveFields, readRuleMonth, ruleMonthKey, ruleProperties } from './archive';

const properties: INodeProperties[] = [
	...ruleProperties,
	{
		displayName: 'Language',
		name: 'locale',
		type: 'options',
		options: [
			{ name: 'Chinese', value: 'zh' },
			{ name: 'English', value: 'en' },
			{ name: 'Japanese', value: 'ja' },
		],
		default: 'en',
		description: 'Language of the column titles',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['archiveReport'], operation: ['getFields'] } },
	properties,
);

/** One item per column of the rule's report for the month: the codes Upload writes figures to. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => ({
		...readRuleMonth(this, itemIndex),
		locale: String(this.getNodeParameter('locale', itemIndex, 'en')),
	}));
	const queries = valid.map(({ itemIndex, value }) => ({
		itemIndex,
		key: `${ruleMonthKey(value)}${value.locale}`,
		query: value,
	}));
	return await runQueries(this, queries, errors, async (query, itemIndex) =>
		(await fetchArchiveFields(client, query, query.locale, itemIndex)).map((field) => ({
			archive_rule_id: query.ruleId,
			month: query.month,
			...field,
		})),
	);
}
