import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	employeeIdTypeProperty,
	optionsCollection,
	returnAllProperties,
} from '../../descriptions/common';
import { readLimit } from '../../helpers/parameters';
import { fetchAll, hintLimitCut } from '../../helpers/pagination';
import { ruleLocator, runPerRule } from '../../helpers/rules';
import type { FeishuClient } from '../../transport';
import { readItemEmployeeIdType } from '../../helpers/query';

const properties: INodeProperties[] = [
	ruleLocator('group', { displayName: 'Attendance Group', name: 'group' }),
	// Employee ID Type and Members: one choice for the run (read from the first item)
	{
		...employeeIdTypeProperty(),
		noDataExpression: true,
		description: 'How the members are given in the output',
	},
	{
		displayName: 'Members',
		name: 'memberClockType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'All Members', value: 0 },
			{ name: 'Members Who Must Punch', value: 1 },
			{ name: 'Members Who Need Not Punch', value: 2 },
		],
		default: 0,
		description: 'Which members to return',
	},
	...returnAllProperties,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendanceGroup'], operation: ['getMembers'] } },
	properties,
);

/** One item per member (employee ID and department IDs), read page by page. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const employeeType = readItemEmployeeIdType(this, 0, {}).employeeType;
	const memberClockType = Number(this.getNodeParameter('memberClockType', 0, 0));
	const limit = readLimit(this);
	// one hint for the run, however many groups stopped at the limit
	let cutHinted = false;
	const onCut = () => {
		if (!cutHinted) hintLimitCut(this, limit, true);
		cutHinted = true;
	};
	return await runPerRule(this, client, items.length, 'group', async (groupId, itemIndex) => {
		// UNCONFIRMED: see docs/ASSUMPTIONS.md#group-members-page-size (page_size bounds undocumented; 50 is asked).
		const members = await fetchAll(
			client,
			{
				path: `/groups/${groupId}/list_user`,
				listKey: 'users',
				qs: {
					employee_type: employeeType,
					dept_type: 'open_id',
					member_clock_type: memberClockType,
				},
				itemIndex,
				onCut,
			},
			limit,
		);
		return members.map((member) => ({
			group_id: groupId,
			employee_id: member.user_id,
			employee_id_type: employeeType,
			department_ids: member.department_ids ?? [],
		}));
	});
}
