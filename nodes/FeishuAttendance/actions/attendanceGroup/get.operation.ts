import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, optionsCollection } from '../../descriptions/common';
import { compact } from '../../helpers/output';
import { groupTypeName, ruleLocator, runPerRule } from '../../helpers/rules';
import type { FeishuClient } from '../../transport';
import { readItemEmployeeIdType } from '../../helpers/query';

const properties: INodeProperties[] = [
	ruleLocator('group', { displayName: 'Attendance Group', name: 'group' }),
	{
		...employeeIdTypeProperty(),
		// one choice for the run (read from the first item)
		noDataExpression: true,
		description: 'How the employee IDs in the answer (members, leaders) are given',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendanceGroup'], operation: ['get'] } },
	properties,
);

/** The full group: rules, members' and leaders' IDs, shifts per weekday; group_type_name reads group_type. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const employeeType = readItemEmployeeIdType(this, 0, {}).employeeType;
	return await runPerRule(this, client, items.length, 'group', async (groupId, itemIndex) => {
		const response = await client.request<IDataObject>({
			method: 'GET',
			path: `/groups/${groupId}`,
			qs: { employee_type: employeeType, dept_type: 'open_id' },
			repeatable: true,
			itemIndex,
		});
		// The group object is `data` itself; older answers wrap it in data.group.
		const data = response.data ?? {};
		const group = (
			typeof data.group === 'object' && data.group !== null ? data.group : data
		) as IDataObject;
		return [compact({ ...group, group_type_name: groupTypeName(group.group_type) })];
	});
}
