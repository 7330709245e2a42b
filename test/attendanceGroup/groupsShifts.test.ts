/**
 * Attendance Group and Shift operations through n8n's engine against the emulator: page_token pagination
 * (Return All / Limit), resource locators (From List / By ID / By Name, names looked up once per run),
 * unknown names as per-item errors, both group_type encodings, the fuzzy shift query, and the list searches
 * of the locators through n8n-core's load-options context.
 */
import type {
	IDataObject,
	INode,
	INodeParameters,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';

import { FeishuAttendance } from '../../nodes/FeishuAttendance/FeishuAttendance.node';
import type { Emulator } from '../emulator';
import { GROUP_ID, SHIFT_ID, startEmulator } from '../emulator';
import { RETAIL_GROUP_ID } from '../emulator/handlers/rules';
import {
	CREDENTIAL_ID,
	FEISHU_NODE_TYPE,
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	createStore,
	credentialTypes,
	runNode,
} from '../harness';
import { skipDefinitionsForThisTest } from '../emulator/definitions';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 300 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const ATT = 'GET /open-apis/attendance/v1';
const byName = (value: string) => ({ __rl: true, mode: 'name', value });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

async function run(
	resource: string,
	operation: string,
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	const before = { ...emu.counters().requests };
	const result = await runNode({
		emulatorUrl: emu.url,
		parameters: { resource, operation, ...parameters },
		items,
		continueOnFail,
	});
	const after = emu.counters().requests;
	const calls = (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0);
	return { ...result, calls };
}

describe('Attendance Group', () => {
	test('Get Many: Return All reads every group; Limit asks only for what it needs; one list for all items', async () => {
		const all = await run('attendanceGroup', 'getMany', { returnAll: true }, [{}, {}]);
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(23);
		expect(all.calls(`${ATT}/groups`)).toBe(1);
		expect(all.items[0].json).toEqual({ group_id: GROUP_ID, group_name: 'Head Office' });
		expect(all.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);

		const limited = await run('attendanceGroup', 'getMany', { limit: 4 });
		expect(limited.items.map((i) => i.json.group_name)).toEqual([
			'Head Office',
			'Retail Stores',
			'Warehouse',
			'Branch Office 01',
		]);
		expect(limited.calls(`${ATT}/groups`)).toBe(1);
	});

	test('Get Members: page_token pagination over 4 pages (195 members), Limit stops early, member filter', async () => {
		const all = await run('attendanceGroup', 'getMembers', {
			group: byName('Retail Stores'),
			returnAll: true,
		});
		expect(all.error).toBeUndefined();
		expect(all.calls(`${ATT}/groups/:id/list_user`)).toBe(4);
		expect(all.calls(`${ATT}/groups`)).toBe(1); // the name, looked up once
		expect(all.items).toHaveLength(195);
		expect(all.items.map((i) => i.json.employee_id)).not.toContain('emp0040');
		expect(all.items[0].json).toEqual({
			group_id: RETAIL_GROUP_ID,
			employee_id: 'emp0001',
			employee_id_type: 'employee_id',
			department_ids: [expect.any(String)],
		});
		expect(new Set(all.items.map((i) => i.json.employee_id)).size).toBe(195);

		const limited = await run('attendanceGroup', 'getMembers', {
			group: fromList(RETAIL_GROUP_ID),
			limit: 60,
		});
		expect(limited.items).toHaveLength(60);
		expect(limited.calls(`${ATT}/groups/:id/list_user`)).toBe(2);
		// a cut list says so (an execution hint above the output); the whole list does not
		expect(limited.runData['Feishu Attendance'][0].hints).toEqual([
			expect.objectContaining({
				type: 'warning',
				message: expect.stringMatching(/^Stopped at the Limit of 60: Feishu has more/),
			}),
		]);
		expect(all.runData['Feishu Attendance'][0].hints ?? []).toEqual([]);

		const noPunch = await run('attendanceGroup', 'getMembers', {
			group: byId(RETAIL_GROUP_ID),
			memberClockType: 2,
			employeeIdType: 'employee_no',
			returnAll: true,
		});
		expect(noPunch.items.map((i) => i.json.employee_id)).toEqual(
			Array.from({ length: 28 }, (_, i) => (i + 1) * 7)
				.filter((n) => n % 40 !== 0)
				.map((n) => `NO${String(n).padStart(4, '0')}`),
		);
	});

	test('Get: by name or ID; group_type 0 and 1 both read as Fixed, 2 as Shift-Based', async () => {
		const { items, error, calls } = await run(
			'attendanceGroup',
			'get',
			{ group: '={{ $json.group }}' },
			[
				{ group: 'Head Office' },
				{ group: 'Branch Office 01' },
				{ group: RETAIL_GROUP_ID },
				{ group: 'head office' },
			],
		);
		expect(error).toBeUndefined();
		expect(calls(`${ATT}/groups`)).toBe(1);
		expect(
			items.map((i) => [i.json.group_name, i.json.group_type, i.json.group_type_name]),
		).toEqual([
			['Head Office', 0, 'Fixed'],
			['Branch Office 01', 1, 'Fixed'],
			['Retail Stores', 2, 'Shift-Based'],
		]);
		// the same group asked by two items: one call, paired with both
		expect(items[0].pairedItem).toEqual([{ item: 0 }, { item: 3 }]);
		expect(calls(`${ATT}/groups/:id`)).toBe(3);
	});

	test('an unknown group name is an error of its item only (Continue On Fail), else it stops the node', async () => {
		const items = [{ group: 'Warehouse' }, { group: 'Nowhere' }];
		const continued = await run(
			'attendanceGroup',
			'get',
			{ group: { __rl: true, mode: 'name', value: '={{ $json.group }}' } },
			items,
			true,
		);
		expect(continued.error).toBeUndefined();
		expect(continued.items.map((i) => [i.json.group_name ?? i.json.error, i.pairedItem])).toEqual([
			['Warehouse', { item: 0 }],
			['Attendance Group: No attendance group is named "Nowhere" [item 1]', { item: 1 }],
		]);

		const stopped = await run(
			'attendanceGroup',
			'get',
			{ group: { __rl: true, mode: 'name', value: '={{ $json.group }}' } },
			items,
		);
		expect(stopped.error?.message).toBe(
			'Attendance Group: No attendance group is named "Nowhere" [item 1]',
		);
		expect(stopped.calls(`${ATT}/groups/:id`)).toBe(0);
	});

	test('Search: fuzzy (at most 10, most recently changed first) or exact', async () => {
		const fuzzy = await run('attendanceGroup', 'search', { groupName: 'branch' });
		expect(fuzzy.items.map((i) => i.json.group_name)).toEqual(
			Array.from({ length: 10 }, (_, i) => `Branch Office ${String(20 - i).padStart(2, '0')}`),
		);
		const exact = await run(
			'attendanceGroup',
			'search',
			{ groupName: '={{ $json.name }}', exactMatch: true },
			[{ name: 'Warehouse' }, { name: 'Ware' }],
		);
		expect(exact.items.map((i) => [i.json.group_name, i.pairedItem])).toEqual([
			['Warehouse', { item: 0 }],
		]);
	});
});

describe('Shift', () => {
	test('Get Many: Return All and Limit', async () => {
		const all = await run('shift', 'getMany', { returnAll: true });
		expect(all.items).toHaveLength(15);
		expect(all.items[0].json).toMatchObject({
			shift_id: SHIFT_ID,
			shift_name: 'Day Shift',
			punch_time_rule: [{ on_time: '09:00' }],
		});
		const limited = await run('shift', 'getMany', { limit: 2 });
		expect(limited.items.map((i) => i.json.shift_name)).toEqual(['Day Shift', 'Early Shift']);
	});

	test('Get: from the list, by ID, by name; an unknown ID is a Feishu error of the item', async () => {
		const { items, error } = await run(
			'shift',
			'get',
			{ shift: '={{ $json.shift }}' },
			[{ shift: SHIFT_ID }, { shift: 'Night Shift' }, { shift: '123' }],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.shift_name ?? i.json.error)).toEqual([
			'Day Shift',
			'Night Shift',
			'Feishu error 1226003: shift does not exist',
		]);
		expect(items[1].json.punch_time_rule).toEqual([expect.objectContaining({ off_time: '30:00' })]);
		const listed = await run('shift', 'get', { shift: fromList(SHIFT_ID) });
		expect(listed.items[0].json.shift_name).toBe('Day Shift');
	});

	test("Get by Name: Feishu's fuzzy answer is checked (Exact Match), accepted without it; unknown names fail their item", async () => {
		const { items, error, calls } = await run(
			'shift',
			'getByName',
			{ shiftName: '={{ $json.name }}' },
			[
				{ name: 'Early Shift' },
				{ name: 'Late Shift' },
				{ name: 'Lunch Shift' },
				{ name: 'Early Shift' },
			],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.shift_name ?? i.json.error, i.pairedItem])).toEqual([
			['Early Shift', [{ item: 0 }, { item: 3 }]],
			['Late Shift', { item: 1 }],
			['No shift is named "Lunch Shift"', { item: 2 }],
		]);
		expect(calls('POST /open-apis/attendance/v1/shifts/query')).toBe(3);

		const fuzzy = await run('shift', 'getByName', { shiftName: 'Early', exactMatch: false });
		expect(fuzzy.items.map((i) => i.json.shift_name)).toEqual(['Early Shift (Weekend)']);
		const strict = await run('shift', 'getByName', { shiftName: 'Early' });
		expect(strict.error?.message).toBe('No shift is named "Early"');
		expect((strict.error as unknown as { description: string }).description).toContain(
			'Early Shift (Weekend)',
		);
	});
});

describe('resource locator list searches (n8n-core load-options context)', () => {
	function loadOptionsContext(): LoadOptionsContext {
		const store = createStore();
		store.data = {
			platform: 'custom',
			baseUrl: emu.url,
			appId: 'cli_emulator',
			appSecret: 'emulator-secret',
		};
		const helper = new HarnessCredentialsHelper(credentialTypes, { [CREDENTIAL_ID]: store });
		const node: INode = {
			id: 'n1',
			name: 'Feishu Attendance',
			type: FEISHU_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource: 'schedule', operation: 'createOrUpdate' },
			credentials: {
				feishuAttendanceApi: { id: CREDENTIAL_ID, name: 'Feishu Attendance account' },
			},
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new HarnessNodeTypes(),
		});
		const additionalData = {
			credentialsHelper: helper,
			currentNodeParameters: node.parameters,
		} as unknown as IWorkflowExecuteAdditionalData;
		return new LoadOptionsContext(workflow, node, additionalData, 'parameters.group');
	}

	test('groups: all on one page, or Feishu name search; shifts: filtered per page', async () => {
		const { searchGroups, searchShifts } = new FeishuAttendance().methods.listSearch;
		const ctx = loadOptionsContext();
		const all = await searchGroups.call(ctx);
		expect(all.results).toHaveLength(23);
		expect(all.results[0]).toEqual({ name: 'Head Office', value: GROUP_ID });
		expect(all.paginationToken).toBeUndefined();
		const found = await searchGroups.call(ctx, 'retail');
		expect(found.results).toEqual([{ name: 'Retail Stores', value: RETAIL_GROUP_ID }]);
		const shifts = await searchShifts.call(ctx, 'early');
		expect(shifts.results.map((r) => r.name)).toEqual(['Early Shift', 'Early Shift (Weekend)']);
	});
});

describe('emulator: group and shift lists are as strict as Feishu documents', () => {
	async function api(method: 'GET' | 'POST', path: string, query = '', body?: IDataObject) {
		const auth = (await (
			await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ app_id: 'cli_emulator', app_secret: 'emulator-secret' }),
			})
		).json()) as { tenant_access_token: string };
		const res = await fetch(
			`${emu.url}/open-apis/attendance/v1${path}${query ? `?${query}` : ''}`,
			{
				method,
				headers: {
					authorization: `Bearer ${auth.tenant_access_token}`,
					'content-type': 'application/json',
				},
				body: body ? JSON.stringify(body) : undefined,
			},
		);
		return {
			status: res.status,
			...((await res.json()) as { code: number; msg: string; data?: IDataObject }),
		};
	}

	test('page_size defaults to 10 and is at most 50; page_token pages on; a made-up token is refused', async () => {
		const first = await api('GET', '/groups');
		expect((first.data!.group_list as unknown[]).length).toBe(10);
		expect(first.data!.has_more).toBe(true);
		const second = await api('GET', '/groups', `page_token=${String(first.data!.page_token)}`);
		expect((second.data!.group_list as IDataObject[])[0].group_name).toBe('Branch Office 08');
		expect(await api('GET', '/shifts', 'page_size=51')).toMatchObject({
			status: 400,
			code: 1220001,
		});
		expect(await api('GET', '/shifts', 'page_size=0')).toMatchObject({
			status: 400,
			code: 1220001,
		});
		expect(await api('GET', '/groups', 'page_token=bm9wZQ')).toMatchObject({
			status: 400,
			code: 1220001,
			msg: 'page_token invalid',
		});
		const last = await api('GET', '/shifts', 'page_size=50');
		expect(Object.keys(last.data!).sort()).toEqual(['has_more', 'shift_list']);
		expect(last.data!.has_more).toBe(false);
		expect((last.data!.shift_list as unknown[]).length).toBe(15);
	});

	test('group detail and members need employee_type, dept_type=open_id and member_clock_type', async () => {
		// Feishu's own answer to requests outside its definitions (test/emulator/definitions.ts)
		skipDefinitionsForThisTest();
		expect(await api('GET', `/groups/${GROUP_ID}`, 'dept_type=open_id')).toMatchObject({
			code: 1220001,
		});
		expect(await api('GET', `/groups/${GROUP_ID}`, 'employee_type=employee_id')).toMatchObject({
			code: 1220001,
		});
		expect(
			await api('GET', '/groups/1', 'employee_type=employee_id&dept_type=open_id'),
		).toMatchObject({ code: 1220600, msg: 'rule does not exist' });
		expect(
			await api(
				'GET',
				`/groups/${RETAIL_GROUP_ID}/list_user`,
				'employee_type=employee_id&dept_type=open_id',
			),
		).toMatchObject({
			code: 1220001,
		});
		expect(await api('POST', '/shifts/query', 'shift_name=Nothing')).toMatchObject({
			status: 400,
			code: 1226003,
		});
	});
});

test('a 19-digit group ID that arrives as a number (digits already lost) is refused, not sent', async () => {
	const { items, calls } = await run(
		'attendanceGroup',
		'get',
		{ group: '={{ $json.id }}' },
		[{ id: 6921319402260496386 }, { id: RETAIL_GROUP_ID }],
		true,
	);
	expect(items.map((i) => i.json.error ?? i.json.group_name)).toEqual([
		'Attendance Group ID 6921319402260496000 is a number too large to be exact (digits were lost before the node got it) [item 0]',
		'Retail Stores',
	]);
	expect(calls(`${ATT}/groups/:id`)).toBe(1);
});
