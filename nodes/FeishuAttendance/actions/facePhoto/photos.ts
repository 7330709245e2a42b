/**
 * Face photos as Feishu holds them: the settings of employees (GET user_settings/query, a GET with a JSON body,
 * 50 employees per call) and the photo of a file ID (files/:file_id/download).
 */
import type { IDataObject } from 'n8n-workflow';

import { FEISHU_MAX_BATCH, forEachBatch } from '../../helpers/batching';
import type { FeishuClient } from '../../transport';

/** employee ID → face_key and its update time; employees without a photo are absent. */
export async function readFaceSettings(
	client: FeishuClient,
	employeeType: string,
	ids: string[],
	itemIndex: number,
): Promise<Map<string, { faceKey: string; updated?: unknown }>> {
	const found = new Map<string, { faceKey: string; updated?: unknown }>();
	await forEachBatch(ids, FEISHU_MAX_BATCH, async (batch) => {
		const response = await client.request<IDataObject>({
			method: 'GET',
			path: '/user_settings/query',
			qs: { employee_type: employeeType },
			body: { user_ids: batch },
			repeatable: true,
			itemIndex,
		});
		// UNCONFIRMED: see docs/ASSUMPTIONS.md#face-photos (left out, or an empty face_key: no photo either way)
		for (const setting of (response.data?.user_settings ?? []) as IDataObject[]) {
			if (typeof setting.face_key === 'string' && setting.face_key !== '') {
				found.set(String(setting.user_id), {
					faceKey: setting.face_key,
					updated: setting.face_key_update_time,
				});
			}
		}
	});
	return found;
}

/** The photo of a file ID: its bytes and MIME type. */
export async function downloadPhoto(
	client: FeishuClient,
	fileId: string,
	itemIndex: number,
): Promise<{ data: Buffer; mimeType: string }> {
	const response = await client.request<{ file?: Uint8Array; mimeType?: string }>({
		method: 'GET',
		path: `/files/${encodeURIComponent(fileId)}/download`,
		fileAnswer: true,
		repeatable: true,
		itemIndex,
	});
	const bytes = response.data?.file;
	return {
		data: Buffer.from(bytes ?? new Uint8Array()),
		mimeType: response.data?.mimeType || 'image/jpeg',
	};
}
