import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/common';
import { ruleLocator, runPerRule } from '../../helpers/rules';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	ruleLocator('shift', { displayName: 'Shift', name: 'shift' }),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['shift'], operation: ['get'] } },
	properties,
);

/** GET /shifts/:shift_id: the shift object. */
export async function getShift(
	client: FeishuClient,
	shiftId: string,
	itemIndex?: number,
): Promise<IDataObject> {
	const response = await client.request<IDataObject>({
		method: 'GET',
		path: `/shifts/${shiftId}`,
		repeatable: true,
		itemIndex,
	});
	return response.data ?? {};
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	return await runPerRule(this, client, items.length, 'shift', async (shiftId, itemIndex) => [
		await getShift(client, shiftId, itemIndex),
	]);
}
