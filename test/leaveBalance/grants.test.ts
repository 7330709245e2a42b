/**
 * Leave Balance operations through n8n's engine against the emulator: Get Expiring Grants (a GET with a JSON
 * body, which n8n's httpRequest would drop), Update Grant (the confirmation, absolute values so a re-run is
 * harmless, Feishu's refusal of a grant its leave rules generated, Continue On Fail).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { ANNUAL_LEAVE_ID } from '../emulator/handlers/leave';
import { runNode } from '../harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ today: '2024-03-12' });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const records = async () =>
	(await (await fetch(`${emu.url}/__admin/leave-records`)).json()) as Array<{
		id: string;
		granting_quantity: string;
		expiration_date: string;
		reason: unknown;
	}>;

async function run(
	operation: string,
	parameters: IDataObject,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	const before = { ...emu.counters().requests };
	const result = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'leaveBalance',
			operation,
			leaveTypeId: ANNUAL_LEAVE_ID,
			...parameters,
		} as never,
		items,
		continueOnFail,
	});
	const after = emu.counters().requests;
	return {
		...result,
		calls: (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0),
	};
}

describe('Leave Balance', () => {
	test('Get Expiring Grants: the grants expiring in the window, per item; equal items asked once', async () => {
		const result = await run(
			'getExpiringGrants',
			{ employeeId: '={{ $json.emp }}', expiringFrom: '2024-06-01', expiringTo: '2024-07-01' },
			[{ emp: 'emp0003' }, { emp: 'emp0004' }, { emp: 'emp0003' }],
		);
		expect(result.error).toBeUndefined();
		expect(result.calls('GET /open-apis/attendance/v1/leave_employ_expire_records/:id')).toBe(2);
		expect(
			result.items.map((i) => [
				i.json.employment_id,
				i.json.granting_quantity,
				i.json.expiration_date,
				i.pairedItem,
			]),
		).toEqual([
			['emp0003', '2', '2024-06-30', [{ item: 0 }, { item: 2 }]],
			['emp0004', '2', '2024-06-30', { item: 1 }],
		]);
		const wide = await run('getExpiringGrants', {
			employeeId: 'emp0003',
			expiringFrom: '2024-01-01',
			expiringTo: '2024-12-31',
		});
		expect(wide.items.map((i) => i.json.id)).toEqual([
			'7300000000000000031',
			'7300000000000000032',
		]);
	});

	test("Get Expiring Grants: a window backwards is the item's error, Feishu is not asked", async () => {
		const result = await run(
			'getExpiringGrants',
			{ employeeId: 'emp0003', expiringFrom: '2024-07-01', expiringTo: '2024-06-01' },
			[{}],
			true,
		);
		expect(result.items[0].json.error).toMatch(
			/Expiring From \(2024-07-01\) is after Expiring To \(2024-06-01\) \[item 0\]/,
		);
		expect(result.calls('GET /open-apis/attendance/v1/leave_employ_expire_records/:id')).toBe(0);
	});

	test('Update Grant: refused until confirmed; then the quantity and expiry change; a re-run sets the same values', async () => {
		const params = {
			employeeId: 'emp0003',
			grantId: '7300000000000000032',
			reason: 'Carry-over corrected',
			updateFields: { quantity: 3.5, expiryDate: '2024-09-30' },
		};
		const unconfirmed = await run('updateGrant', params);
		expect(unconfirmed.error?.message).toMatch(/Not confirmed/);
		expect(unconfirmed.calls('PATCH /open-apis/attendance/v1/leave_accrual_record/:id')).toBe(0);

		const first = await run('updateGrant', { ...params, confirm: true });
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'updated',
			grant_id: '7300000000000000032',
			grant: { granting_quantity: '3.5', expiration_date: '2024-09-30' },
		});
		const stored = (await records()).find((r) => r.id === '7300000000000000032')!;
		expect(stored).toMatchObject({
			granting_quantity: '3.5',
			expiration_date: '2024-09-30',
			reason: [{ lang: 'en-US', value: 'Carry-over corrected' }],
		});

		const again = await run('updateGrant', { ...params, confirm: true });
		expect(again.items[0].json).toMatchObject({
			outcome: 'done',
			grant: { granting_quantity: '3.5' },
		});
		expect((await records()).find((r) => r.id === '7300000000000000032')).toMatchObject({
			granting_quantity: '3.5',
			expiration_date: '2024-09-30',
		});
	});

	test('Update Grant: a grant Feishu generated is refused for that item only; nothing to change is an input error', async () => {
		const result = await run(
			'updateGrant',
			{
				confirm: true,
				employeeId: 'emp0003',
				grantId: '={{ $json.grant }}',
				reason: 'fix',
				updateFields: { quantity: '={{ $json.q }}' },
			},
			[
				{ grant: '7300000000000000031', q: 12 },
				{ grant: '7300000000000000032', q: 1 },
			],
			true,
		);
		expect(result.items[0].json).toMatchObject({
			outcome: 'not done',
			errorReason: 'request_failed',
			error: expect.stringContaining('[item 0]'),
			errorDescription: expect.stringContaining('Get Expiring Grants'),
		});
		expect(result.items[1].json).toMatchObject({
			outcome: 'done',
			grant: { granting_quantity: '1' },
		});
		expect((await records()).find((r) => r.id === '7300000000000000031')!.granting_quantity).toBe(
			'10',
		);

		const nothing = await run(
			'updateGrant',
			{ confirm: true, employeeId: 'emp0003', grantId: '7300000000000000032', reason: 'fix' },
			[{}],
			true,
		);
		expect(nothing.items[0].json).toMatchObject({
			outcome: 'not done',
			errorReason: 'invalid_input',
			error: 'Nothing to change [item 0]',
		});
	});
});
