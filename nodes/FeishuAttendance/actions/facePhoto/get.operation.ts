import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, optionsCollection } from '../../descriptions/common';
import { readList } from '../../helpers/input';
import { inputError, validateItems } from '../../helpers/output';
import { runQueries } from '../../helpers/pagination';
import { readItemEmployeeIdType } from '../../helpers/query';
import type { FeishuClient } from '../../transport';
import { downloadPhoto, readFaceSettings } from './photos';

const properties: INodeProperties[] = [
	employeeIdTypeProperty(),
	{
		displayName: 'Employee IDs',
		name: 'employeeIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_ids }}',
		description:
			'Whose face photos to look up: one ID, several separated by commas, or a list from an expression',
	},
	optionsCollection([
		{
			displayName: 'Download Photos',
			name: 'downloadPhotos',
			type: 'boolean',
			default: false,
			description:
				'Whether to add each photo to its item as the binary field "photo" (files/:file_id/download)',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['facePhoto'], operation: ['get'] } },
	properties,
);

/**
 * One item per employee: whether Feishu holds a face photo, its file ID (face_key) and when it changed
 * (./photos.ts); with Download Photos, the photo itself as the binary field "photo".
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const download = (this.getNodeParameter('options', 0, {}) as IDataObject).downloadPhotos === true;
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => {
		const employeeType = readItemEmployeeIdType(this, itemIndex, {}).employeeType;
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
				'Give the employees whose face photos to look up.',
			);
		return { employeeType, ids };
	});
	const photos = new Map<string, { data: Buffer; mimeType: string }>();
	const queries = valid.map(({ itemIndex, value }) => ({
		itemIndex,
		key: JSON.stringify(value),
		query: value,
	}));
	const out = await runQueries(this, queries, errors, async (query, itemIndex) => {
		const found = await readFaceSettings(client, query.employeeType, query.ids, itemIndex);
		if (download) {
			await Promise.all(
				[...found.values()].map(async ({ faceKey }) =>
					photos.set(faceKey, await downloadPhoto(client, faceKey, itemIndex)),
				),
			);
		}
		return query.ids.map((id) => {
			const setting = found.get(id);
			return {
				employee_id: id,
				employee_id_type: query.employeeType,
				has_photo: setting !== undefined,
				...(setting ? { face_key: setting.faceKey, face_key_update_time: setting.updated } : {}),
			} as IDataObject;
		});
	});
	if (!download) return out;
	return await Promise.all(
		out.map(async (item) => {
			const photo =
				typeof item.json.face_key === 'string' ? photos.get(item.json.face_key) : undefined;
			if (!photo) return item;
			const suffix = photo.mimeType === 'image/png' ? 'png' : 'jpg';
			const binary = await this.helpers.prepareBinaryData(
				photo.data,
				`${String(item.json.employee_id)}.${suffix}`,
				photo.mimeType,
			);
			return { ...item, binary: { photo: binary } };
		}),
	);
}
