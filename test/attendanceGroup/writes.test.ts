/**
 * Attendance Group → Create or Update (by name: created, changed with the rest kept, already as asked) and Delete
 * (confirmation; a re-run is `already done`, read back from the group list),
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
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
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

const newGroup = {
	groupName: 'Night Crew',
	operatorId: 'emp0001',
	groupFields: {
		groupType: 1,
		leaderIds: 'emp0001',
		memberIds: 'emp0300, emp0299',
		timeZone: 'Asia/Shanghai',
		weeklyShifts: 'Night Shift, Night Shift, Night Shift, Night Shift, Night Shift, Rest, Rest',
	},
};

describe('Attendance Group writes', () => {
	test('Create or Update: created by name; a re-run is already done and sends nothing; a change keeps the rest', async () => {
		const created = await run('attendanceGroup', 'createOrUpdate', newGroup);
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'created',
			group_name: 'Night Crew',
			group_id: expect.stringMatching(/^\d+$/),
		});
		const groupId = created.items[0].json.group_id as string;
		const read = await run('attendanceGroup', 'get', { group: byId(groupId) });
		expect(read.items[0].json).toMatchObject({
			group_name: 'Night Crew',
			punch_day_shift_ids: [
				'7023458093924646923',
				'7023458093924646923',
				'7023458093924646923',
				'7023458093924646923',
				'7023458093924646923',
				'0',
				'0',
			],
			bind_user_ids: ['emp0300', 'emp0299'],
		});

		const again = await run('attendanceGroup', 'createOrUpdate', newGroup);
		expect(again.items[0].json).toMatchObject({
			outcome: 'already done',
			status: 'updated',
			group_id: groupId,
		});
		expect(again.calls(`POST ${ATT}/groups`)).toBe(0);

		const changed = await run('attendanceGroup', 'createOrUpdate', {
			groupName: 'Night Crew',
			operatorId: 'emp0001',
			groupFields: { calendarId: 3 },
		});
		expect(changed.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'updated',
			group_id: groupId,
			changed: ['calendar_id'],
		});
		const after = await run('attendanceGroup', 'get', { group: byId(groupId) });
		expect(after.items[0].json).toMatchObject({
			calendar_id: 3,
			time_zone: 'Asia/Shanghai',
			bind_user_ids: ['emp0300', 'emp0299'],
			group_leader_ids: ['emp0001'],
		});
	});

	test("Create or Update: a new group without its required fields, or with an unknown shift, is its item's error", async () => {
		const result = await run(
			'attendanceGroup',
			'createOrUpdate',
			{
				groupName: '={{ $json.name }}',
				operatorId: 'emp0001',
				groupFields: { groupType: 1, leaderIds: 'emp0001', weeklyShifts: '={{ $json.week }}' },
			},
			[
				{ name: 'A', week: 'Nope, Rest, Rest, Rest, Rest, Rest, Rest' },
				{ name: 'B', week: 'Rest, Rest' },
			],
			true,
		);
		expect(result.items[0].json).toMatchObject({
			outcome: 'not done',
			error: expect.stringMatching(/Weekly Shifts: No shift is named "Nope" \[item 0\]/),
		});
		expect(result.items[1].json).toMatchObject({
			outcome: 'not done',
			errorReason: 'invalid_input',
			error: 'Weekly Shifts has 2 days, not 7 [item 1]',
		});
		expect(result.calls(`POST ${ATT}/groups`)).toBe(0);
	});

	test('Delete: refused until confirmed; deleted; a re-run is already done (the group is no longer listed)', async () => {
		const created = await run('attendanceGroup', 'createOrUpdate', newGroup);
		const groupId = created.items[0].json.group_id as string;
		const unconfirmed = await run('attendanceGroup', 'delete', { group: byId(groupId) });
		expect(unconfirmed.error?.message).toMatch(/Not confirmed/);
		const deleted = await run('attendanceGroup', 'delete', {
			confirm: true,
			group: byName('Night Crew'),
		});
		expect(deleted.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'deleted',
			group_id: groupId,
		});
		const again = await run('attendanceGroup', 'delete', { confirm: true, group: byId(groupId) });
		expect(again.items[0].json).toMatchObject({
			outcome: 'already done',
			status: 'deleted',
			group_id: groupId,
		});
	});
});
