import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeNotice, confirmationProperty, optionsCollection } from '../../descriptions/common';
import { readConfirmation } from '../../helpers/parameters';
import { deleteRules } from '../../helpers/ruleDelete';
import { ruleLocator } from '../../helpers/rules';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	changeNotice(
		'shiftDeleteNotice',
		"This deletes shifts: a rule of the tenant. Feishu may refuse a shift an attendance group's week still uses.",
	),
	confirmationProperty(
		'Confirm Deletion',
		'Whether you have checked the shifts the items name: the node deletes them only when this is on',
	),
	ruleLocator('shift', { displayName: 'Shift', name: 'shift' }),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['shift'], operation: ['delete'] } },
	properties,
);

/**
 * DELETE shifts/:shift_id per distinct shift; a shift that is gone already is `already done`
 * (helpers/ruleDelete.ts). UNCONFIRMED: see docs/ASSUMPTIONS.md#rule-writes (a shift a group uses).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	readConfirmation(this, 'deletes shifts');
	return await deleteRules(
		this,
		client,
		items.length,
		'shift',
		async (id, itemIndex) =>
			await client.request({
				method: 'DELETE',
				path: `/shifts/${id}`,
				repeatable: false,
				itemIndex,
			}),
	);
}
