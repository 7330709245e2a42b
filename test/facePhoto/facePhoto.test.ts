/**
 * Face Photo operations through n8n's engine against the emulator: Update uploads the item's binary photo
 * (files/upload, multipart through the transport) and sets it (user_settings/modify); Get reads the settings
 * (a GET with a JSON body) and says who has no photo. The photo's bytes are read back from the emulator.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runWorkflow } from '../harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator();
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b9f0e90000000049454e44ae426082',
	'hex',
);

/** A node that gives each item the photo named by its json (`photo`: 'png' | 'gif' | 'none'). */
const photoNode: INodeType = {
	description: {
		displayName: 'Photo',
		name: 'test.photo',
		group: ['transform'],
		version: 1,
		description: 'adds a photo',
		defaults: { name: 'Photo' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			await Promise.all(
				this.getInputData().map(async (item) => {
					const kind = item.json.photo;
					if (kind === 'none') return { json: item.json };
					const data = kind === 'gif' ? Buffer.from('GIF89a') : PNG;
					const binary = await this.helpers.prepareBinaryData(
						data,
						kind === 'gif' ? 'face.gif' : 'face.png',
						kind === 'gif' ? 'image/gif' : 'image/png',
					);
					return { json: item.json, binary: { data: binary } };
				}),
			),
		];
	},
} as unknown as INodeType;

async function update(items: IDataObject[], continueOnFail = true) {
	const result = await runWorkflow({
		emulatorUrl: emu.url,
		items,
		nodeTypes: { 'test.photo': photoNode },
		nodes: [
			{ type: 'test.photo', name: 'Photo', parameters: {} },
			{
				name: 'Feishu Attendance',
				parameters: { resource: 'facePhoto', operation: 'update', employeeId: '={{ $json.emp }}' },
				continueOnFail,
			},
		],
	});
	return { items: result.outputs['Feishu Attendance'] ?? [], error: result.error };
}

async function get(employeeIds: string, options: IDataObject = {}) {
	const result = await runWorkflow({
		emulatorUrl: emu.url,
		items: [{}],
		nodes: [
			{ parameters: { resource: 'facePhoto', operation: 'get', employeeIds, options } as never },
		],
	});
	return { items: result.outputs['Feishu Attendance'] ?? [], error: result.error };
}

const uploads = () => emu.counters().requests['POST /open-apis/attendance/v1/files/upload'] ?? 0;

describe('Face Photo', () => {
	test('Update uploads the binary photo and sets it; Get reads it back; the bytes Feishu holds are the photo', async () => {
		const updated = await update([{ emp: 'emp0002', photo: 'png' }], false);
		expect(updated.error).toBeUndefined();
		expect(updated.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'updated',
			employee_id: 'emp0002',
			face_key: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		const faceKey = updated.items[0].json.face_key as string;

		const read = await get('emp0002, emp0003');
		expect(read.error).toBeUndefined();
		expect(read.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ employee_id: 'emp0002', has_photo: true, face_key: faceKey }),
			{ employee_id: 'emp0003', employee_id_type: 'employee_id', has_photo: false },
		]);
		const token = (await (
			await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ app_id: 'cli_emulator', app_secret: 'emulator-secret' }),
			})
		).json()) as { tenant_access_token: string };
		const file = await fetch(`${emu.url}/open-apis/attendance/v1/files/${faceKey}/download`, {
			headers: { Authorization: `Bearer ${token.tenant_access_token}` },
		});
		expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
	});

	test('Update: the same photo again is already done and uploads nothing; Get downloads the photo as binary', async () => {
		const first = await update([{ emp: 'emp0006', photo: 'png' }], false);
		expect(first.items[0].json.outcome).toBe('done');
		const before = uploads();
		const again = await update([{ emp: 'emp0006', photo: 'png' }], false);
		expect(again.items[0].json).toMatchObject({
			outcome: 'already done',
			status: 'updated',
			face_key: first.items[0].json.face_key,
		});
		expect(uploads()).toBe(before);

		const read = await get('emp0006, emp0007', { downloadPhotos: true });
		expect(read.error).toBeUndefined();
		expect(read.items[0].binary?.photo).toMatchObject({
			mimeType: 'image/png',
			fileName: 'emp0006.png',
		});
		expect(Buffer.from(read.items[0].binary!.photo.data, 'base64').equals(PNG)).toBe(true);
		expect(read.items[1].binary).toBeUndefined();
	});

	test('Update: no photo, a GIF, an unknown employee: each item says so; the others are set', async () => {
		const result = await update([
			{ emp: 'emp0001', photo: 'none' },
			{ emp: 'emp0002', photo: 'gif' },
			{ emp: 'emp9999', photo: 'png' },
			{ emp: 'emp0004', photo: 'png' },
		]);
		expect(result.items.map((i) => [i.json.outcome, i.json.errorReason])).toEqual([
			['not done', 'invalid_input'],
			['not done', 'invalid_input'],
			['not done', 'unknown_employee'],
			['done', undefined],
		]);
		expect(result.items[1].json.error).toMatch(/image\/gif, not a JPG or PNG \[item 1\]/);
		expect(result.items[2].json.error).toMatch(/\[item 2\]/);
	});
});
