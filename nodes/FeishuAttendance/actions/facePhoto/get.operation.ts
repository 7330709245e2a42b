import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, optionsCollection } from '../../descriptions/common';
import { FEISHU_MAX_BATCH, forEachBatch } from '../../helpers/batching';
import { readList } from '../../helpers/input';
import { inputError, validateItems } from '../../helpers/output';
import { runQueries } from '../../helpers/pagination';
import { readItemEmployeeIdType } from '../../helpers/query';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	employeeIdTypeProperty(),
	{
		displayName: 'Employee IDs',
		name: 'employeeIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_ids }}',
		description: 'Whose face photos to look up: one ID, several separated by commas, or a list from an expression',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['facePhoto'], operation: ['get'] } }, properties);

/**
 * One item per employee: whether Feishu holds a face photo, its file ID (face_key) and when it changed
 * (GET user_settings/query, a GET with a JSON body; 50 employees per call). An employee Feishu leaves out of the
 * answer has no photo; one answered with an empty face_key has none either.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#face-photos.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => {
		const employeeType = readItemEmployeeIdType(this, itemIndex, {}).employeeType;
		let ids: string[];
		try {
			ids = [...new Set(readList(this.getNodeParameter('employeeIds', itemIndex, ''), 'Employee IDs'))];
		} catch (error) {
			throw inputError(this, itemIndex, (error as Error).message);
		}
		if (ids.length === 0) throw inputError(this, itemIndex, 'Employee IDs is empty', 'Give the employees whose face photos to look up.');
		return { employeeType, ids };
	});
	const queries = valid.map(({ itemIndex, value }) => ({ itemIndex, key: JSON.stringify(value), query: value }));
	return await runQueries(this, queries, errors, async (query, itemIndex) => {
		const found = new Map<string, IDataObject>();
		await forEachBatch(query.ids, FEISHU_MAX_BATCH, async (batch) => {
			const response = await client.request<IDataObject>({
				method: 'GET',
				path: '/user_settings/query',
				qs: { employee_type: query.employeeType },
				body: { user_ids: batch },
				repeatable: true,
				itemIndex,
			});
			for (const setting of (response.data?.user_settings ?? []) as IDataObject[]) found.set(String(setting.user_id), setting);
		});
		return query.ids.map((id) => {
			const setting = found.get(id);
			const faceKey = typeof setting?.face_key === 'string' && setting.face_key !== '' ? setting.face_key : undefined;
			return {
				employee_id: id,
				employee_id_type: query.employeeType,
				has_photo: faceKey !== undefined,
				...(faceKey !== undefined ? { face_key: faceKey, face_key_update_time: setting?.face_key_update_time } : {}),
			} as IDataObject;
		});
	});
}
