/**
 * The emulator's endpoints not yet reached by an operation (leave grants, archive reports, group / shift writes,
 * temporary shifts, report settings update, face photos), exercised over real HTTP as Feishu documents them.
 * Every request here is also checked against Lark's definitions (test/emulator/jest-setup.ts); requests that
 * deliberately break the definitions (to see Feishu's own answer) carry `x-emulator-definitions: off`.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { startEmulator, type Emulator } from '.';
import { ANNUAL_LEAVE_ID } from './handlers/leave';
import { ARCHIVE_RULES } from './handlers/archive';
import { RETAIL_GROUP_ID } from './handlers/rules';
import { GROUP_ID, SHIFT_ID } from '.';

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const ATT = '/open-apis/attendance/v1';
const OFF = { 'x-emulator-definitions': 'off' };

let emu: Emulator;
let http: AxiosInstance;
let auth: Record<string, string>;

beforeAll(async () => {
	emu = await startEmulator({ today: '2024-03-12' });
	http = axios.create({ baseURL: emu.url, validateStatus: () => true });
});

afterAll(async () => {
	await emu.close();
});

beforeEach(async () => {
	emu.reset();
	emu.configure({ scheduleOperatorRequired: true, tempShiftsEnabled: true });
	const token = await http.post(TOKEN_PATH, {
		app_id: 'cli_emulator',
		app_secret: 'emulator-secret',
	});
	auth = { Authorization: `Bearer ${token.data.tenant_access_token}` };
});

function call(
	method: string,
	path: string,
	data?: unknown,
	headers: Record<string, string> = {},
): Promise<AxiosResponse> {
	return http.request({ method, url: `${ATT}${path}`, data, headers: { ...auth, ...headers } });
}
const admin = async (path: string) => (await http.get(`/__admin/${path}`)).data;

describe('leave grants', () => {
	const window = {
		employment_id: 'emp0003',
		leave_type_id: ANNUAL_LEAVE_ID,
		start_expiration_date: '2024-06-01',
		end_expiration_date: '2024-12-31',
	};

	test('grants expiring in a window, employment_id in the user_id_type asked (open_id by default)', async () => {
		const byUserId = await call(
			'GET',
			`/leave_employ_expire_records/${ANNUAL_LEAVE_ID}?user_id_type=user_id`,
			window,
		);
		expect(byUserId.data.code).toBe(0);
		expect(
			byUserId.data.data.records.map((r: { expiration_date: string }) => r.expiration_date),
		).toEqual(['2024-12-31', '2024-06-30']);
		const narrow = await call('GET', `/leave_employ_expire_records/${ANNUAL_LEAVE_ID}`, {
			...window,
			employment_id: 'ou_0003',
			end_expiration_date: '2024-07-01',
		});
		expect(narrow.data.data.records).toEqual([
			expect.objectContaining({
				employment_id: 'ou_0003',
				granting_quantity: '2',
				accrual_source: 2,
			}),
		]);
	});

	test('refused: a window backwards, a malformed date, a leave type that does not match the path', async () => {
		const path = `/leave_employ_expire_records/${ANNUAL_LEAVE_ID}?user_id_type=user_id`;
		expect(
			(await call('GET', path, { ...window, start_expiration_date: '2025-01-01' })).data.code,
		).toBe(1220001);
		expect(
			(await call('GET', path, { ...window, end_expiration_date: '2024/12/31' })).data,
		).toMatchObject({ code: 1220001, msg: expect.stringContaining('end_expiration_date') });
		expect(
			(await call('GET', `/leave_employ_expire_records/123?user_id_type=user_id`, window)).data
				.code,
		).toBe(1220001);
	});

	test('PATCH changes quantity and expiry of a manual grant; a system grant cannot be updated', async () => {
		const patch = {
			leave_granting_record_id: '7300000000000000032',
			employment_id: 'emp0003',
			leave_type_id: ANNUAL_LEAVE_ID,
			reason: [{ lang: 'en', value: 'Corrected by HR' }],
			quantity: '3.5',
			expiration_date: '2024-09-30',
		};
		const res = await call(
			'PATCH',
			`/leave_accrual_record/${ANNUAL_LEAVE_ID}?user_id_type=user_id`,
			patch,
		);
		expect(res.data.code).toBe(0);
		expect(res.data.data.record).toMatchObject({
			id: patch.leave_granting_record_id,
			granting_quantity: '3.5',
			expiration_date: '2024-09-30',
			employment_id: 'emp0003',
		});
		const stored = (await admin('leave-records')).find(
			(r: { id: string }) => r.id === patch.leave_granting_record_id,
		);
		expect(stored).toMatchObject({ granting_quantity: '3.5', expiration_date: '2024-09-30' });

		const system = await call(
			'PATCH',
			`/leave_accrual_record/${ANNUAL_LEAVE_ID}?user_id_type=user_id`,
			{ ...patch, leave_granting_record_id: '7300000000000000031' },
		);
		expect(system.data.code).toBe(1220600);
		const otherEmployee = await call(
			'PATCH',
			`/leave_accrual_record/${ANNUAL_LEAVE_ID}?user_id_type=user_id`,
			{ ...patch, employment_id: 'emp0004' },
		);
		expect(otherEmployee.data.code).toBe(1220600);
		expect(
			(
				await call('PATCH', `/leave_accrual_record/${ANNUAL_LEAVE_ID}?user_id_type=user_id`, {
					...patch,
					reason: [],
				})
			).data.code,
		).toBe(1220001);
		expect(
			(
				await call('PATCH', `/leave_accrual_record/${ANNUAL_LEAVE_ID}?user_id_type=user_id`, {
					...patch,
					quantity: '-1',
				})
			).data.code,
		).toBe(1220001);
	});
});

describe('archive reports', () => {
	const rule = ARCHIVE_RULES[0].archive_rule_id;
	const base = { month: '202403', operator_id: 'emp0001', archive_rule_id: rule };
	const row = (member: string, cells: Array<{ code: string; value?: string }>) => ({
		member_id: member,
		start_time: '20240301',
		end_time: '20240331',
		field_datas: cells,
	});

	test('list rules with pagination; the columns of a rule in the locale asked', async () => {
		const first = await call('GET', '/archive_rule?page_size=2');
		expect(first.data.data).toMatchObject({
			has_more: true,
			items: [{ archive_rule_id: rule }, expect.anything()],
		});
		const second = await call(
			'GET',
			`/archive_rule?page_size=2&page_token=${first.data.data.page_token}`,
		);
		expect(second.data.data).toMatchObject({
			has_more: false,
			items: [{ archive_rule_id: ARCHIVE_RULES[2].archive_rule_id }],
		});
		const fields = await call(
			'POST',
			'/archive_rule/user_stats_fields_query?employee_type=employee_id',
			{ ...base, locale: 'en' },
		);
		expect(fields.data.data.archive_report_fields[0]).toEqual({
			code: '50101',
			title: 'Required Days',
			upper_titles: ['Attendance'],
		});
		expect(
			(
				await call('POST', '/archive_rule/user_stats_fields_query?employee_type=employee_id', {
					...base,
					month: '2024-03',
				})
			).data.code,
		).toBe(1220001);
		expect(
			(
				await call('POST', '/archive_rule/user_stats_fields_query?employee_type=employee_id', {
					...base,
					archive_rule_id: '1',
				})
			).data.code,
		).toBe(1220001);
	});

	test('upload: unknown codes and members answered in lists with code 0; a re-upload replaces the row; delete', async () => {
		const up = await call('POST', '/archive_rule/upload_report?employee_type=employee_id', {
			...base,
			archive_report_datas: [
				row('emp0002', [
					{ code: '50101', value: '21' },
					{ code: '99999', value: 'x' },
				]),
				row('emp9999', [{ code: '50101', value: '1' }]),
			],
		});
		expect(up.data).toMatchObject({
			code: 0,
			data: { invalid_code: ['99999'], invalid_member_id: ['emp9999'] },
		});
		await call('POST', '/archive_rule/upload_report?employee_type=employee_id', {
			...base,
			archive_report_datas: [row('emp0002', [{ code: '50102', value: '20' }]), row('emp0003', [])],
		});
		expect(
			(await admin('archive-reports')).map((r: { member: string; cells: object }) => [
				r.member,
				r.cells,
			]),
		).toEqual([
			['emp0002', { '50102': '20' }],
			['emp0003', {}],
		]);
		expect(
			(
				await call('POST', '/archive_rule/del_report?employee_type=employee_id', {
					...base,
					user_ids: ['emp0002'],
				})
			).data,
		).toEqual({ code: 0, msg: 'success', data: {} });
		expect((await admin('archive-reports')).map((r: { member: string }) => r.member)).toEqual([
			'emp0003',
		]);
		await call('POST', '/archive_rule/del_report?employee_type=employee_id', base);
		expect(await admin('archive-reports')).toEqual([]);
	});

	test('upload limits: 50 rows, 200 cells a row, period start ≤ end, operator known', async () => {
		const path = '/archive_rule/upload_report?employee_type=employee_id';
		const many = Array.from({ length: 51 }, (_, i) =>
			row(`emp${String(i + 1).padStart(4, '0')}`, []),
		);
		expect((await call('POST', path, { ...base, archive_report_datas: many })).data.code).toBe(
			1220001,
		);
		expect(
			(await call('POST', path, { ...base, archive_report_datas: many.slice(0, 50) })).data.code,
		).toBe(0);
		const wide = Array.from({ length: 201 }, () => ({ code: '50101', value: '1' }));
		expect(
			(await call('POST', path, { ...base, archive_report_datas: [row('emp0001', wide)] })).data
				.code,
		).toBe(1220001);
		expect(
			(
				await call('POST', path, {
					...base,
					archive_report_datas: [{ ...row('emp0001', []), start_time: '20240401' }],
				})
			).data.code,
		).toBe(1220001);
		expect((await call('POST', path, { ...base, operator_id: 'emp9999' })).data.code).toBe(1220004);
	});
});

describe('groups and shifts as configuration', () => {
	const shift = (name: string, extra: Record<string, unknown> = {}) => ({
		shift_name: name,
		punch_times: 1,
		punch_time_rule: [
			{
				on_time: '9:00',
				off_time: '18:00',
				late_minutes_as_late: 1,
				late_minutes_as_lack: 60,
				on_advance_minutes: 120,
				early_minutes_as_early: 1,
				early_minutes_as_lack: 60,
				off_delay_minutes: 240,
			},
		],
		...extra,
	});
	const group = (name: string, shiftId: string, extra: Record<string, unknown> = {}) => ({
		group: {
			group_name: name,
			time_zone: 'Asia/Shanghai',
			group_leader_ids: ['emp0001'],
			bind_user_ids: ['emp0201', 'emp0202'],
			group_type: 1,
			punch_day_shift_ids: [shiftId, shiftId, shiftId, shiftId, shiftId, '0', '0'],
			calendar_id: 1,
			...extra,
		},
		operator_id: 'emp0001',
	});
	const Q = '?employee_type=employee_id&dept_type=open_id';

	test('create a shift and a group using it; read back; members move; a used shift cannot be deleted', async () => {
		const created = await call('POST', '/shifts?employee_type=employee_id', shift('Office Hours'));
		expect(created.data.code).toBe(0);
		const shiftId = created.data.data.shift.shift_id as string;
		expect((await call('GET', `/shifts/${shiftId}`)).data.data).toMatchObject({
			shift_id: shiftId,
			shift_name: 'Office Hours',
		});
		expect((await call('POST', '/shifts', shift('Office Hours'))).data.code).toBe(1220600);

		const g = await call('POST', `/groups${Q}`, group('Design Studio', shiftId));
		expect(g.data.code).toBe(0);
		const groupId = g.data.data.group.group_id as string;
		expect(
			(await call('GET', `/groups/${groupId}?employee_type=employee_no&dept_type=open_id`)).data
				.data,
		).toMatchObject({ group_name: 'Design Studio', bind_user_ids: ['NO0201', 'NO0202'] });
		const members = await call('GET', `/groups/${groupId}/list_user${Q}&member_clock_type=0`);
		expect(members.data.data.users.map((u: { user_id: string }) => u.user_id)).toEqual([
			'emp0201',
			'emp0202',
		]);
		const headOffice = await call(
			'GET',
			`/groups/${GROUP_ID}/list_user${Q}&member_clock_type=0&page_size=2`,
		);
		expect(headOffice.data.data.users.map((u: { user_id: string }) => u.user_id)).toEqual([
			'emp0203',
			'emp0204',
		]);
		expect((await call('POST', `/groups${Q}`, group('Design Studio', shiftId))).data.code).toBe(
			1220600,
		);

		expect((await call('DELETE', `/shifts/${shiftId}`)).data.code).toBe(1220600);
		expect((await call('DELETE', `/groups/${groupId}`)).data.code).toBe(0);
		expect((await call('GET', `/groups/${groupId}${Q}`)).data.code).toBe(1220600);
		expect((await call('DELETE', `/shifts/${shiftId}`)).data.code).toBe(0);
		expect((await call('GET', `/shifts/${shiftId}`)).data.code).toBe(1226003);
	});

	test('update with group_id overwrites the whole group; with id updates a shift', async () => {
		const shiftId = (await call('POST', '/shifts', shift('Early'))).data.data.shift.shift_id;
		const groupId = (await call('POST', `/groups${Q}`, group('Lab', shiftId))).data.data.group
			.group_id;
		const updated = await call(
			'POST',
			`/groups${Q}`,
			group('Lab North', SHIFT_ID, { group_id: groupId, bind_user_ids: ['emp0300'] }),
		);
		expect(updated.data.data.group).toMatchObject({
			group_id: groupId,
			group_name: 'Lab North',
			bind_user_ids: ['emp0300'],
		});
		expect(
			(await call('POST', '/groups/search', { group_name: 'Lab' })).data.data.group_list,
		).toEqual([{ group_id: groupId, group_name: 'Lab North' }]);
		const moved = await call('POST', '/shifts', shift('Early Start', { id: shiftId }));
		expect(moved.data.data.shift).toMatchObject({ shift_id: shiftId, shift_name: 'Early Start' });
		expect((await call('POST', '/shifts', shift('Ghost', { id: '123' }))).data.code).toBe(1226003);
		expect(
			(await call('POST', `/groups${Q}`, group('Ghost', SHIFT_ID, { group_id: '123' }))).data.code,
		).toBe(1220600);
	});

	test('group and shift rules refused as documented', async () => {
		const bad = async (body: unknown, path = `/groups${Q}`) =>
			(await call('POST', path, body)).data.code;
		expect(await bad(group('Short Week', SHIFT_ID, { punch_day_shift_ids: [SHIFT_ID] }))).toBe(
			1220001,
		);
		expect(await bad(group('No Zone', SHIFT_ID, { time_zone: 'Mars/Base' }))).toBe(1220001);
		expect(await bad(group('No Leader', SHIFT_ID, { group_leader_ids: [] }))).toBe(1220001);
		expect(await bad(group('Stranger', SHIFT_ID, { bind_user_ids: ['emp9999'] }))).toBe(1220004);
		expect(await bad({ ...group('No Operator', SHIFT_ID), operator_id: undefined })).toBe(1220001);
		expect(await bad(group('Unknown Shift', '42'))).toBe(1226003);
		expect(
			(
				await call(
					'POST',
					'/groups?employee_type=employee_id',
					group('No Dept Type', SHIFT_ID),
					OFF,
				)
			).data.code,
		).toBe(1220001);
		expect(await bad(shift('Two', { punch_times: 2 }), '/shifts')).toBe(1220001);
		expect(
			await bad(
				shift('Backwards', {
					punch_time_rule: [{ ...shift('x').punch_time_rule[0], off_time: '8:00' }],
				}),
				'/shifts',
			),
		).toBe(1220001);
		expect(
			await bad(
				shift('Night', {
					punch_time_rule: [
						{ ...shift('x').punch_time_rule[0], on_time: '22:00', off_time: '30:00' },
					],
				}),
				'/shifts',
			),
		).toBe(0);
		expect(
			await bad(
				shift('Long Advance', {
					punch_time_rule: [{ ...shift('x').punch_time_rule[0], on_advance_minutes: 721 }],
				}),
				'/shifts',
			),
		).toBe(1220001);
		expect((await call('DELETE', `/shifts/${SHIFT_ID}`)).data.code).toBe(1220600);
	});
});

describe('temporary shifts', () => {
	const entry = (user: string, date: number, group = RETAIL_GROUP_ID) => ({
		group_id: group,
		user_id: user,
		date,
		shift_name: 'Stocktake',
		punch_time_simple_rules: [{ on_time: '20:00', off_time: '26:00' }],
	});
	const path = '/user_daily_shifts/batch_create_temp?employee_type=employee_id';

	test("become the day's schedule; entries for another group are reported in msg, not applied", async () => {
		const res = await call('POST', path, {
			user_tmp_daily_shifts: [entry('emp0001', 20240315), entry('emp0201', 20240315)],
			operator_id: 'emp0001',
		});
		expect(res.data).toMatchObject({ code: 0, msg: '{"emp0201":[20240315]}' });
		expect(res.data.data.user_tmp_daily_shifts).toHaveLength(1);
		const read = await call('POST', '/user_daily_shifts/query?employee_type=employee_id', {
			user_ids: ['emp0001', 'emp0201'],
			check_date_from: 20240315,
			check_date_to: 20240315,
		});
		expect(read.data.data.user_daily_shifts).toEqual([
			expect.objectContaining({
				user_id: 'emp0001',
				group_id: RETAIL_GROUP_ID,
				day_no: 15,
				month: 202403,
			}),
		]);
	});

	test('refused: no operator, more than 50, bad times, a tenant without the paid feature', async () => {
		expect(
			(await call('POST', path, { user_tmp_daily_shifts: [entry('emp0001', 20240315)] })).data.code,
		).toBe(1220001);
		const many = Array.from({ length: 51 }, (_, i) => entry('emp0001', 20240301 + (i % 28)));
		expect(
			(await call('POST', path, { user_tmp_daily_shifts: many, operator_id: 'emp0001' })).data.code,
		).toBe(1220001);
		const backwards = {
			...entry('emp0001', 20240315),
			punch_time_simple_rules: [{ on_time: '20:00', off_time: '19:00' }],
		};
		expect(
			(await call('POST', path, { user_tmp_daily_shifts: [backwards], operator_id: 'emp0001' }))
				.data.code,
		).toBe(1220001);
		expect(
			(
				await call('POST', path, {
					user_tmp_daily_shifts: [entry('emp0001', 20240231)],
					operator_id: 'emp0001',
				})
			).data.code,
		).toBe(1220001);
		emu.configure({ tempShiftsEnabled: false });
		expect(
			(
				await call('POST', path, {
					user_tmp_daily_shifts: [entry('emp0001', 20240315)],
					operator_id: 'emp0001',
				})
			).data.code,
		).toBe(1220600);
	});
});

describe('report settings update', () => {
	const Q = '?employee_type=employee_id';
	const read = async (statsType = 'daily') =>
		(
			await call('POST', `/user_stats_views/query${Q}`, {
				locale: 'en',
				stats_type: statsType,
				user_id: 'emp0001',
			})
		).data.data.view;

	test('switches columns off and on as sent (a full overwrite: items left out are switched off)', async () => {
		const view = await read();
		const figures = view.items[2];
		const items = [
			{ code: figures.code, child_items: [{ code: figures.child_items[0].code, value: '1' }] },
		];
		const res = await call('PUT', `/user_stats_views/${view.view_id}${Q}`, {
			view: { view_id: view.view_id, stats_type: 'daily', user_id: 'emp0001', items },
		});
		expect(res.data.code).toBe(0);
		const after = await read();
		const value = (code: string) =>
			after.items
				.flatMap((i: { child_items: Array<{ code: string; value: string }> }) => i.child_items)
				.find((c: { code: string }) => c.code === code).value;
		expect(value(figures.child_items[0].code)).toBe('1');
		expect(value(view.items[1].child_items[0].code)).toBe('0');
		expect(value(view.items[0].child_items[0].code)).toBe('1');
		expect((await read('month')).items[2].child_items[0].value).toBe('1');
	});

	test("refused: another operator's view, unknown codes, values other than 0/1, a read-only column off", async () => {
		const view = await read();
		const put = (v: Record<string, unknown>, id = view.view_id) =>
			call('PUT', `/user_stats_views/${id}${Q}`, {
				view: { view_id: id, stats_type: 'daily', user_id: 'emp0001', ...v },
			});
		expect((await put({ user_id: 'emp0002' })).data.code).toBe(1220001);
		expect((await put({ stats_type: 'month' })).data.code).toBe(1220001);
		expect((await put({}, 'bm9wZQ')).data.code).toBe(1220001);
		expect((await put({ items: [{ code: 'nope' }] })).data.code).toBe(1220001);
		expect(
			(
				await put({
					items: [
						{
							code: view.items[2].code,
							child_items: [{ code: view.items[2].child_items[0].code, value: '2' }],
						},
					],
				})
			).data.code,
		).toBe(1220001);
		expect(
			(
				await put({
					items: [
						{
							code: view.items[0].code,
							child_items: [{ code: view.items[0].child_items[0].code, value: '0' }],
						},
					],
				})
			).data.code,
		).toBe(1220001);
	});
});

describe('face photos', () => {
	const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3, 0xff, 0xd9]);
	async function upload(name: string, data = photo): Promise<AxiosResponse> {
		const form = new FormData();
		form.append('file', new Blob([data]), name);
		return http.post(`${ATT}/files/upload?file_name=${encodeURIComponent(name)}`, form, {
			headers: auth,
		});
	}

	test("upload a photo, set it as an employee's face, query it, download the same bytes", async () => {
		const up = await upload('face.jpg');
		expect(up.data.code).toBe(0);
		const fileId = up.data.data.file.file_id as string;
		const set = await call('POST', '/user_settings/modify?employee_type=employee_id', {
			user_setting: { user_id: 'emp0005', face_key: fileId },
		});
		expect(set.data.data.user_setting).toMatchObject({
			user_id: 'emp0005',
			face_key: fileId,
			face_key_update_time: expect.stringMatching(/^\d+$/),
		});
		const query = await call('GET', '/user_settings/query?employee_type=employee_id', {
			user_ids: ['emp0005', 'emp0006'],
		});
		expect(query.data.data.user_settings).toEqual([
			expect.objectContaining({ user_id: 'emp0005', face_key: fileId }),
		]);
		const down = await http.get(`${ATT}/files/${fileId}/download`, {
			headers: auth,
			responseType: 'arraybuffer',
		});
		expect(down.headers['content-type']).toBe('image/jpeg');
		expect(Buffer.from(down.data).equals(photo)).toBe(true);
	});

	test('refused: no suffix, an empty file, a face_key never uploaded, unknown employees, a missing file', async () => {
		expect((await upload('face')).data.code).toBe(1220001);
		expect((await upload('face.jpg', Buffer.alloc(0))).data.code).toBe(1220001);
		expect(
			(
				await call('POST', '/user_settings/modify?employee_type=employee_id', {
					user_setting: { user_id: 'emp0005', face_key: 'nope' },
				})
			).data.code,
		).toBe(1220001);
		const fileId = (await upload('face.png')).data.data.file.file_id;
		expect(
			(
				await call('POST', '/user_settings/modify?employee_type=employee_id', {
					user_setting: { user_id: 'emp9999', face_key: fileId },
				})
			).data.code,
		).toBe(1220004);
		expect(
			(
				await call('GET', '/user_settings/query?employee_type=employee_id', {
					user_ids: ['emp_unauth_1'],
				})
			).data.code,
		).toBe(1220005);
		expect((await http.get(`${ATT}/files/ffff/download`, { headers: auth })).data.code).toBe(
			1220600,
		);
	});
});
