/**
 * Statistics → Update Report Settings (columns switched, the whole view sent back, already as asked, refused codes),
 * through n8n's engine against the emulator.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 300 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.configure({ tempShiftsEnabled: true });
});

const ATT = '/open-apis/attendance/v1';

async function run(
	resource: string,
	operation: string,
	parameters: IDataObject,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	const before = { ...emu.counters().requests };
	const result = await runNode({
		emulatorUrl: emu.url,
		parameters: { resource, operation, ...parameters } as never,
		items,
		continueOnFail,
	});
	const after = emu.counters().requests;
	return {
		...result,
		calls: (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0),
	};
}

describe('Statistics → Update Report Settings', () => {
	test('columns switched off and on; the rest kept; already as asked is already done; unknown and read-only codes refused', async () => {
		const off = await run('statistics', 'updateReportSettings', {
			operatorId: 'emp0001',
			statsType: 'month',
			switchOff: '52202, 52203',
		});
		expect(off.error).toBeUndefined();
		expect(off.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'updated',
			changed: ['52202', '52203'],
		});
		const read = await run('statistics', 'getReportSettings', {
			operatorId: 'emp0001',
			statsType: 'month',
		});
		const enabled = Object.fromEntries(read.items.map((i) => [i.json.code, i.json.enabled]));
		expect(enabled).toMatchObject({
			'52202': false,
			'52203': false,
			'52201': true,
			'52101': true,
			'50101': true,
		});

		const again = await run('statistics', 'updateReportSettings', {
			operatorId: 'emp0001',
			statsType: 'month',
			switchOff: '52202',
		});
		expect(again.items[0].json.outcome).toBe('already done');
		expect(again.calls(`PUT ${ATT}/user_stats_views/:id`)).toBe(0);

		const bad = await run(
			'statistics',
			'updateReportSettings',
			{
				operatorId: 'emp0001',
				statsType: 'month',
				switchOn: '={{ $json.on }}',
				switchOff: '={{ $json.off }}',
			},
			[
				{ on: '99999', off: '' },
				{ on: '', off: '50101' },
				{ on: '52202', off: '' },
			],
			true,
		);
		expect(bad.items.map((i) => [i.json.outcome, i.json.errorReason])).toEqual([
			['not done', 'invalid_input'],
			['not done', 'invalid_input'],
			['done', undefined],
		]);
		expect(bad.items[1].json.error).toMatch(/50101 cannot be switched off .*\[item 1\]/);
	});
});
