/**
 * Shift → Create and Delete (confirmation; a re-run is `already done`, read back from the shift list; a shift a
 * group uses is refused),
 * through n8n's engine against the emulator.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { SHIFT_ID, startEmulator } from '../emulator';
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

describe('Shift writes', () => {
	const shift = {
		shiftName: 'Stock Count',
		sections: {
			section: [
				{ onTime: '07:00', offTime: '11:00' },
				{ onTime: '12:00', offTime: '16:00' },
			],
		},
		options: { breakStart: '11:00', breakEnd: '12:00' },
	};

	test('Create: the shift with its sections; a re-run is already done; Get reads it', async () => {
		const created = await run('shift', 'create', shift);
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'created',
			shift_name: 'Stock Count',
			shift: { punch_times: 2 },
		});
		const shiftId = created.items[0].json.shift_id as string;
		const read = await run('shift', 'get', { shift: byId(shiftId) });
		expect(read.items[0].json).toMatchObject({
			shift_name: 'Stock Count',
			punch_time_rule: [
				expect.objectContaining({
					on_time: '7:00',
					off_time: '11:00',
					late_minutes_as_late: 0,
					off_delay_minutes: 240,
				}),
				expect.objectContaining({ on_time: '12:00' }),
			],
		});
		const again = await run('shift', 'create', shift);
		expect(again.items[0].json).toMatchObject({ outcome: 'already done', shift_id: shiftId });
		expect(again.calls(`POST ${ATT}/shifts`)).toBe(0);
	});

	test("Create: sections out of order are Feishu's refusal of that item; a bad time is an input error", async () => {
		const result = await run(
			'shift',
			'create',
			{
				shiftName: '={{ $json.name }}',
				sections: { section: [{ onTime: '={{ $json.on }}', offTime: '10:00' }] },
			},
			[
				{ name: 'X', on: '11:00' },
				{ name: 'Y', on: '9am' },
			],
			true,
		);
		expect(result.items[0].json).toMatchObject({
			outcome: 'not done',
			errorReason: 'request_failed',
			error: expect.stringContaining('[item 0]'),
		});
		expect(result.items[1].json).toMatchObject({
			outcome: 'not done',
			errorReason: 'invalid_input',
			error: expect.stringContaining('"9am" is not a time H:mm [item 1]'),
		});
	});

	test('Delete: a shift a group uses is refused and stays; an unused one is deleted, then already done', async () => {
		const created = await run('shift', 'create', shift);
		const shiftId = created.items[0].json.shift_id as string;
		const result = await run(
			'shift',
			'delete',
			{ confirm: true, shift: '={{ $json.id }}' },
			[{ id: SHIFT_ID }, { id: shiftId }, { id: shiftId }],
			true,
		);
		expect(result.items.map((i) => [i.json.outcome, i.json.shift_id])).toEqual([
			['not done', SHIFT_ID],
			['done', shiftId],
			['already done', shiftId],
		]);
		expect(result.calls(`DELETE ${ATT}/shifts/:id`)).toBe(2);
		const again = await run('shift', 'delete', { confirm: true, shift: byId(shiftId) });
		expect(again.items[0].json.outcome).toBe('already done');
	});
});
