/**
 * The writes that change the tenant's rules, through n8n's engine against the emulator: Attendance Group Create or
 * Update (by name: created, changed with the rest kept, already as asked) and Delete, Shift Create and Delete
 * (confirmation; a re-run is `already done`, read back from the lists), Schedule → Create Temporary Shifts (50 per
 * call, entries Feishu did not apply, a tenant without the paid feature), Statistics → Update Report Settings.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from './emulator';
import { SHIFT_ID, startEmulator } from './emulator';
import { RETAIL_GROUP_ID } from './emulator/handlers/rules';
import { runNode } from './harness';

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

async function run(resource: string, operation: string, parameters: IDataObject, items: IDataObject[] = [{}], continueOnFail = false) {
	const before = { ...emu.counters().requests };
	const result = await runNode({ emulatorUrl: emu.url, parameters: { resource, operation, ...parameters } as never, items, continueOnFail });
	const after = emu.counters().requests;
	return { ...result, calls: (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0) };
}

const newGroup = {
	groupName: 'Night Crew',
	operatorId: 'emp0001',
	groupFields: { groupType: 1, leaderIds: 'emp0001', memberIds: 'emp0300, emp0299', timeZone: 'Asia/Shanghai', weeklyShifts: 'Night Shift, Night Shift, Night Shift, Night Shift, Night Shift, Rest, Rest' },
};

describe('Attendance Group writes', () => {
	test('Create or Update: created by name; a re-run is already done and sends nothing; a change keeps the rest', async () => {
		const created = await run('attendanceGroup', 'createOrUpdate', newGroup);
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({ outcome: 'done', status: 'created', group_name: 'Night Crew', group_id: expect.stringMatching(/^\d+$/) });
		const groupId = created.items[0].json.group_id as string;
		const read = await run('attendanceGroup', 'get', { group: byId(groupId) });
		expect(read.items[0].json).toMatchObject({ group_name: 'Night Crew', punch_day_shift_ids: ['7023458093924646923', '7023458093924646923', '7023458093924646923', '7023458093924646923', '7023458093924646923', '0', '0'], bind_user_ids: ['emp0300', 'emp0299'] });

		const again = await run('attendanceGroup', 'createOrUpdate', newGroup);
		expect(again.items[0].json).toMatchObject({ outcome: 'already done', status: 'updated', group_id: groupId });
		expect(again.calls(`POST ${ATT}/groups`)).toBe(0);

		const changed = await run('attendanceGroup', 'createOrUpdate', { groupName: 'Night Crew', operatorId: 'emp0001', groupFields: { calendarId: 3 } });
		expect(changed.items[0].json).toMatchObject({ outcome: 'done', status: 'updated', group_id: groupId, changed: ['calendar_id'] });
		const after = await run('attendanceGroup', 'get', { group: byId(groupId) });
		expect(after.items[0].json).toMatchObject({ calendar_id: 3, time_zone: 'Asia/Shanghai', bind_user_ids: ['emp0300', 'emp0299'], group_leader_ids: ['emp0001'] });
	});

	test('Create or Update: a new group without its required fields, or with an unknown shift, is its item\'s error', async () => {
		const result = await run(
			'attendanceGroup',
			'createOrUpdate',
			{ groupName: '={{ $json.name }}', operatorId: 'emp0001', groupFields: { groupType: 1, leaderIds: 'emp0001', weeklyShifts: '={{ $json.week }}' } },
			[{ name: 'A', week: 'Nope, Rest, Rest, Rest, Rest, Rest, Rest' }, { name: 'B', week: 'Rest, Rest' }],
			true,
		);
		expect(result.items[0].json).toMatchObject({ outcome: 'not done', error: expect.stringMatching(/Weekly Shifts: No shift is named "Nope" \[item 0\]/) });
		expect(result.items[1].json).toMatchObject({ outcome: 'not done', errorReason: 'invalid_input', error: 'Weekly Shifts has 2 days, not 7 [item 1]' });
		expect(result.calls(`POST ${ATT}/groups`)).toBe(0);
	});

	test('Delete: refused until confirmed; deleted; a re-run is already done (the group is no longer listed)', async () => {
		const created = await run('attendanceGroup', 'createOrUpdate', newGroup);
		const groupId = created.items[0].json.group_id as string;
		const unconfirmed = await run('attendanceGroup', 'delete', { group: byId(groupId) });
		expect(unconfirmed.error?.message).toMatch(/Not confirmed/);
		const deleted = await run('attendanceGroup', 'delete', { confirm: true, group: byName('Night Crew') });
		expect(deleted.items[0].json).toMatchObject({ outcome: 'done', status: 'deleted', group_id: groupId });
		const again = await run('attendanceGroup', 'delete', { confirm: true, group: byId(groupId) });
		expect(again.items[0].json).toMatchObject({ outcome: 'already done', status: 'deleted', group_id: groupId });
	});
});

describe('Shift writes', () => {
	const shift = { shiftName: 'Stock Count', sections: { section: [{ onTime: '07:00', offTime: '11:00' }, { onTime: '12:00', offTime: '16:00' }] }, options: { breakStart: '11:00', breakEnd: '12:00' } };

	test('Create: the shift with its sections; a re-run is already done; Get reads it', async () => {
		const created = await run('shift', 'create', shift);
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({ outcome: 'done', status: 'created', shift_name: 'Stock Count', shift: { punch_times: 2 } });
		const shiftId = created.items[0].json.shift_id as string;
		const read = await run('shift', 'get', { shift: byId(shiftId) });
		expect(read.items[0].json).toMatchObject({ shift_name: 'Stock Count', punch_time_rule: [expect.objectContaining({ on_time: '7:00', off_time: '11:00', late_minutes_as_late: 0, off_delay_minutes: 240 }), expect.objectContaining({ on_time: '12:00' })] });
		const again = await run('shift', 'create', shift);
		expect(again.items[0].json).toMatchObject({ outcome: 'already done', shift_id: shiftId });
		expect(again.calls(`POST ${ATT}/shifts`)).toBe(0);
	});

	test('Create: sections out of order are Feishu\'s refusal of that item; a bad time is an input error', async () => {
		const result = await run('shift', 'create', { shiftName: '={{ $json.name }}', sections: { section: [{ onTime: '={{ $json.on }}', offTime: '10:00' }] } }, [{ name: 'X', on: '11:00' }, { name: 'Y', on: '9am' }], true);
		expect(result.items[0].json).toMatchObject({ outcome: 'not done', errorReason: 'request_failed', error: expect.stringContaining('[item 0]') });
		expect(result.items[1].json).toMatchObject({ outcome: 'not done', errorReason: 'invalid_input', error: expect.stringContaining('"9am" is not a time H:mm [item 1]') });
	});

	test('Delete: a shift a group uses is refused and stays; an unused one is deleted, then already done', async () => {
		const created = await run('shift', 'create', shift);
		const shiftId = created.items[0].json.shift_id as string;
		const result = await run('shift', 'delete', { confirm: true, shift: '={{ $json.id }}' }, [{ id: SHIFT_ID }, { id: shiftId }, { id: shiftId }], true);
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

describe('Schedule → Create Temporary Shifts', () => {
	const params = {
		employeeId: '={{ $json.emp }}',
		group: byId(RETAIL_GROUP_ID),
		date: '={{ $json.day }}',
		shiftName: 'Stocktaking',
		sections: { section: [{ onTime: '06:00', offTime: '14:00' }] },
		operatorId: 'emp0001',
	};

	test('60 employees in 2 calls; one not in the group is not done; the day\'s schedule is the temporary shift', async () => {
		const items = Array.from({ length: 60 }, (_, i) => ({ emp: `emp${String(i + 1).padStart(4, '0')}`, day: '2025-03-03' }));
		const result = await run('schedule', 'createTemporaryShifts', params, items, true);
		expect(result.error).toBeUndefined();
		expect(result.calls(`POST ${ATT}/user_daily_shifts/batch_create_temp`)).toBe(2);
		const notDone = result.items.filter((i) => i.json.outcome !== 'done');
		expect(notDone.map((i) => [i.json.employee_id, i.json.errorReason])).toEqual([['emp0040', 'not_in_group']]);
		expect(result.items[0].json).toMatchObject({ outcome: 'done', status: 'scheduled', date: 20250303, group_id: RETAIL_GROUP_ID });
		const schedule = await run('schedule', 'getMany', { employeeIds: 'emp0001', from: '2025-03-03', to: '2025-03-03' });
		expect(schedule.items[0].json.shift_id).not.toBe(SHIFT_ID);
	});

	test('a tenant without the paid feature: every item not done with Feishu\'s answer', async () => {
		emu.configure({ tempShiftsEnabled: false });
		const result = await run('schedule', 'createTemporaryShifts', params, [{ emp: 'emp0001', day: '2025-03-03' }], true);
		expect(result.items[0].json).toMatchObject({ outcome: 'not done', errorReason: 'request_failed', error: expect.stringContaining('[item 0]') });
	});
});

describe('Statistics → Update Report Settings', () => {
	test('columns switched off and on; the rest kept; already as asked is already done; unknown and read-only codes refused', async () => {
		const off = await run('statistics', 'updateReportSettings', { operatorId: 'emp0001', statsType: 'month', switchOff: '52202, 52203' });
		expect(off.error).toBeUndefined();
		expect(off.items[0].json).toMatchObject({ outcome: 'done', status: 'updated', changed: ['52202', '52203'] });
		const read = await run('statistics', 'getReportSettings', { operatorId: 'emp0001', statsType: 'month' });
		const enabled = Object.fromEntries(read.items.map((i) => [i.json.code, i.json.enabled]));
		expect(enabled).toMatchObject({ '52202': false, '52203': false, '52201': true, '52101': true, '50101': true });

		const again = await run('statistics', 'updateReportSettings', { operatorId: 'emp0001', statsType: 'month', switchOff: '52202' });
		expect(again.items[0].json.outcome).toBe('already done');
		expect(again.calls(`PUT ${ATT}/user_stats_views/:id`)).toBe(0);

		const bad = await run('statistics', 'updateReportSettings', { operatorId: 'emp0001', statsType: 'month', switchOn: '={{ $json.on }}', switchOff: '={{ $json.off }}' }, [{ on: '99999', off: '' }, { on: '', off: '50101' }, { on: '52202', off: '' }], true);
		expect(bad.items.map((i) => [i.json.outcome, i.json.errorReason])).toEqual([
			['not done', 'invalid_input'],
			['not done', 'invalid_input'],
			['done', undefined],
		]);
		expect(bad.items[1].json.error).toMatch(/50101 cannot be switched off .*\[item 1\]/);
	});
});
