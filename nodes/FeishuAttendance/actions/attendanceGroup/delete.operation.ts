import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeNotice, confirmationProperty, optionsCollection } from '../../descriptions/common';
import { readConfirmation } from '../../helpers/parameters';
import { deleteRules } from '../../helpers/ruleDelete';
import { ruleLocator } from '../../helpers/rules';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	changeNotice(
		'groupDeleteNotice',
		'This deletes attendance groups: a rule of the tenant. Their members have no attendance rule until they join another group.',
	),
	confirmationProperty(
		'Confirm Deletion',
		'Whether you have checked the attendance groups the items name: the node deletes them only when this is on',
	),
	ruleLocator('group', { displayName: 'Attendance Group', name: 'group' }),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendanceGroup'], operation: ['delete'] } },
	properties,
);

/** DELETE groups/:group_id per distinct group; a group that is gone already is `already done` (helpers/ruleDelete.ts). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	readConfirmation(this, 'deletes attendance groups');
	return await deleteRules(
		this,
		client,
		items.length,
		'group',
		async (id, itemIndex) =>
			await client.request({
				method: 'DELETE',
				path: `/groups/${id}`,
				repeatable: false,
				itemIndex,
			}),
	);
}
