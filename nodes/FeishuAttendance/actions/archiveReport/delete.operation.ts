import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeNotice, confirmationProperty, optionsCollection } from '../../descriptions/common';
import { FEISHU_MAX_BATCH, forEachBatch } from '../../helpers/batching';
import { doneItem, failedItem, invalidItem } from '../../helpers/outcome';
import { readList } from '../../helpers/input';
import { inputError, validateItems } from '../../helpers/output';
import { readConfirmation } from '../../helpers/parameters';
import type { FeishuClient } from '../../transport';
import { readRuleMonth, ruleMonthBody, ruleProperties } from './archive';
import type { RuleMonth } from './archive';

const properties: INodeProperties[] = [
	changeNotice(
		'archiveDeleteNotice',
		"This deletes employees' rows from Feishu's archived attendance report of a month (what payroll reads).",
	),
	confirmationProperty(
		'Confirm Deletion',
		'Whether you have checked the rule, month and employees the items give: the node deletes archived rows only when this is on',
	),
	...ruleProperties,
	{
		displayName: 'Employee IDs',
		name: 'employeeIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_ids }}',
		description:
			'Whose rows to delete: one ID, several separated by commas, or a list from an expression',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['archiveReport'], operation: ['delete'] } },
	properties,
);

/**
 * archive_rule/del_report with the item's employees (at most 50 per call). Feishu offers no read of archived
 * rows, so a re-run cannot be told from a first run: deleting rows that are gone is answered the same, and
 * `done` means Feishu holds no row of those employees now. Deleting a whole month (no employees) is not offered.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#archive-reports.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	readConfirmation(this, "deletes employees' rows from the archived report");
	const { valid, errors } = validateItems(
		this,
		items.length,
		(itemIndex): RuleMonth & { ids: string[] } => {
			const target = readRuleMonth(this, itemIndex);
			let ids: string[];
			try {
				ids = [
					...new Set(readList(this.getNodeParameter('employeeIds', itemIndex, ''), 'Employee IDs')),
				];
			} catch (error) {
				throw inputError(this, itemIndex, (error as Error).message);
			}
			if (ids.length === 0)
				throw inputError(
					this,
					itemIndex,
					'Employee IDs is empty',
					'Give the employees whose rows to delete.',
				);
			return { ...target, ids };
		},
	);
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) out.set(itemIndex, invalidItem(this, item, itemIndex));
	await Promise.all(
		valid.map(async ({ itemIndex, value }) => {
			const fields = { archive_rule_id: value.ruleId, month: value.month, employee_ids: value.ids };
			try {
				await forEachBatch(
					value.ids,
					FEISHU_MAX_BATCH,
					async (batch) =>
						await client.request({
							method: 'POST',
							path: '/archive_rule/del_report',
							qs: { employee_type: value.employeeType },
							body: { ...ruleMonthBody(value), user_ids: batch },
							repeatable: true,
							itemIndex,
						}),
				);
				out.set(itemIndex, doneItem('deleted', fields, itemIndex));
			} catch (error) {
				out.set(itemIndex, failedItem(this, error, 'failed', fields, itemIndex));
			}
		}),
	);
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}
