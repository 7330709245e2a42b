import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	changeNotice,
	employeeIdProperty,
	employeeIdTypeProperty,
	optionsCollection,
} from '../../descriptions/common';
import { alreadyDoneItem, doneItem, failedItem, invalidItem } from '../../helpers/outcome';
import { errorMessage, inputError, validateItems } from '../../helpers/output';
import { readItemEmployeeIdType } from '../../helpers/query';
import { textParameter } from '../../helpers/parameters';
import type { FeishuClient } from '../../transport';
import { downloadPhoto, readFaceSettings } from './photos';

const properties: INodeProperties[] = [
	changeNotice(
		'faceNotice',
		'This replaces the photo Feishu recognises the employee by when they punch in with face recognition.',
	),
	employeeIdTypeProperty(),
	employeeIdProperty('The employee whose face photo this item sets'),
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the photo (JPG or PNG)',
		description:
			'The binary field of the item that holds the photo, e.g. from Read/Write Files from Disk or an HTTP Request',
	},
	optionsCollection([
		{
			displayName: 'Skip When Unchanged',
			name: 'skipUnchanged',
			type: 'boolean',
			default: true,
			description:
				'Whether to compare the photo with the one Feishu holds first (one read and one download per item) and leave an identical one as it is, so that a re-run uploads nothing',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['facePhoto'], operation: ['update'] } },
	properties,
);

/** Suffixes of the photos Feishu takes (UNCONFIRMED: see docs/ASSUMPTIONS.md#face-photos). */
const SUFFIX_OF: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/png': 'png',
};

interface PhotoUpdate {
	employeeType: string;
	employeeId: string;
	fileName: string;
	mimeType: string;
	data: Buffer;
}

async function readPhoto(ctx: IExecuteFunctions, itemIndex: number): Promise<PhotoUpdate> {
	const employeeType = readItemEmployeeIdType(ctx, itemIndex, {}).employeeType;
	const employeeId = textParameter(ctx, itemIndex, 'employeeId', 'Employee ID');
	if (employeeId === '')
		throw inputError(
			ctx,
			itemIndex,
			'Employee ID is empty',
			'Give the employee whose face photo this item sets.',
		);
	const property =
		textParameter(ctx, itemIndex, 'binaryPropertyName', 'Input Binary Field') || 'data';
	let binary;
	try {
		binary = ctx.helpers.assertBinaryData(itemIndex, property);
	} catch (error) {
		throw inputError(
			ctx,
			itemIndex,
			errorMessage(error),
			`Give the item the photo in its binary field "${property}" (e.g. from an HTTP Request that downloads it as a file).`,
		);
	}
	const named = /\.(jpe?g|png)$/i.exec(binary.fileName ?? '')?.[1]?.toLowerCase();
	const suffix = named ?? SUFFIX_OF[String(binary.mimeType).toLowerCase()];
	if (!suffix) {
		throw inputError(
			ctx,
			itemIndex,
			`The photo in "${property}" is ${binary.mimeType || 'of an unknown type'}, not a JPG or PNG`,
			'Feishu takes face photos as JPG or PNG.',
		);
	}
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	if (data.length === 0) throw inputError(ctx, itemIndex, `The photo in "${property}" is empty`);
	return {
		employeeType,
		employeeId,
		fileName: `${employeeId.replace(/[^\w.-]/g, '_')}.${suffix}`,
		mimeType: suffix === 'png' ? 'image/png' : 'image/jpeg',
		data,
	};
}

/**
 * Per item: with Skip When Unchanged (the default) the photo Feishu holds is read and compared byte for byte: the
 * same photo is `already done` and nothing is sent. Otherwise the photo is uploaded (files/upload, multipart) and
 * set as the employee's face photo (user_settings/modify with the file's ID). Both are safe to send again (an upload
 * sent twice leaves an unused file; the setting is an absolute value).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const read = await Promise.all(
		items.map(async (_item, itemIndex) => {
			try {
				return { itemIndex, value: await readPhoto(this, itemIndex) };
			} catch (error) {
				return { itemIndex, error };
			}
		}),
	);
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => {
		const entry = read[itemIndex];
		if ('error' in entry) throw entry.error;
		return entry.value!;
	});
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) out.set(itemIndex, invalidItem(this, item, itemIndex));
	const compare = (this.getNodeParameter('options', 0, {}) as IDataObject).skipUnchanged !== false;
	await Promise.all(
		valid.map(async ({ itemIndex, value }) => {
			const fields = { employee_id: value.employeeId };
			try {
				if (compare) {
					const held = (
						await readFaceSettings(client, value.employeeType, [value.employeeId], itemIndex)
					).get(value.employeeId);
					const same = held
						? await downloadPhoto(client, held.faceKey, itemIndex).then(
								(photo) => photo.data.equals(value.data),
								() => false,
							)
						: false;
					if (held && same) {
						out.set(
							itemIndex,
							alreadyDoneItem(
								'updated',
								{ ...fields, face_key: held.faceKey, face_key_update_time: held.updated as string },
								itemIndex,
							),
						);
						return;
					}
				}
				const uploaded = await client.request<IDataObject>({
					method: 'POST',
					path: '/files/upload',
					qs: { file_name: value.fileName },
					file: {
						field: 'file',
						fileName: value.fileName,
						mimeType: value.mimeType,
						data: value.data,
					},
					repeatable: true,
					itemIndex,
				});
				const fileId = String(((uploaded.data?.file ?? {}) as IDataObject).file_id ?? '');
				if (fileId === '')
					throw new Error(`Feishu accepted the photo but answered no file ID [item ${itemIndex}]`);
				const response = await client.request<IDataObject>({
					method: 'POST',
					path: '/user_settings/modify',
					qs: { employee_type: value.employeeType },
					body: { user_setting: { user_id: value.employeeId, face_key: fileId } },
					repeatable: true,
					itemIndex,
				});
				const setting = (response.data?.user_setting ?? {}) as IDataObject;
				out.set(
					itemIndex,
					doneItem(
						'updated',
						{ ...fields, face_key: fileId, face_key_update_time: setting.face_key_update_time },
						itemIndex,
					),
				);
			} catch (error) {
				out.set(itemIndex, failedItem(this, error, 'failed', fields, itemIndex));
			}
		}),
	);
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}
