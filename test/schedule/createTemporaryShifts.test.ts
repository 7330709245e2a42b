/**
 * Schedule → Create Temporary Shifts (50 per call, entries Feishu did not apply, a tenant without the paid feature),
 * through n8n's engine against the emulator.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { SHIFT_ID, startEmulator } from '../emulator';
import { RETAIL_GROUP_ID } from '../emulator/handlers/rules';
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
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

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

describe('Schedule → Create Temporary Shifts', () => {
	const params = {
		employeeId: '={{ $json.emp }}',
		group: byId(RETAIL_GROUP_ID),
		date: '={{ $json.day }}',
		shiftName: 'Stocktaking',
		sections: { section: [{ onTime: '06:00', offTime: '14:00' }] },
		operatorId: 'emp0001',
	};

	test("60 employees in 2 calls; one not in the group is not done; the day's schedule is the temporary shift", async () => {
		const items = Array.from({ length: 60 }, (_, i) => ({
			emp: `emp${String(i + 1).padStart(4, '0')}`,
			day: '2025-03-03',
		}));
		const result = await run('schedule', 'createTemporaryShifts', params, items, true);
		expect(result.error).toBeUndefined();
		expect(result.calls(`POST ${ATT}/user_daily_shifts/batch_create_temp`)).toBe(2);
		const notDone = result.items.filter((i) => i.json.outcome !== 'done');
		expect(notDone.map((i) => [i.json.employee_id, i.json.errorReason])).toEqual([
			['emp0040', 'not_in_group'],
		]);
		expect(result.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'scheduled',
			date: 20250303,
			group_id: RETAIL_GROUP_ID,
		});
		const schedule = await run('schedule', 'getMany', {
			employeeIds: 'emp0001',
			from: '2025-03-03',
			to: '2025-03-03',
		});
		expect(schedule.items[0].json.shift_id).not.toBe(SHIFT_ID);
	});

	test("a tenant without the paid feature: every item not done with Feishu's answer", async () => {
		emu.configure({ tempShiftsEnabled: false });
		const result = await run(
			'schedule',
			'createTemporaryShifts',
			params,
			[{ emp: 'emp0001', day: '2025-03-03' }],
			true,
		);
		expect(result.items[0].json).toMatchObject({
			outcome: 'not done',
			errorReason: 'request_failed',
			error: expect.stringContaining('[item 0]'),
		});
	});
});
