/**
 * The Feishu emulator itself, exercised over real HTTP on 127.0.0.1.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { startEmulator, type Emulator, type EmulatorOptions } from '.';
import { skipDefinitionsForThisTest } from './definitions';

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const ATT = '/open-apis/attendance/v1';
const APP = { app_id: 'cli_emulator', app_secret: 'emulator-secret' };

/** Options every test starts from (reset() keeps options, so they are re-applied). */
const BASELINE: EmulatorOptions = {
	tokenTtlSeconds: 7200,
	rateLimitPerSecond: 50,
	latencyMs: 0,
	latencyJitter: 0,
	duplicateMode: 'reject-record',
	today: '2024-03-12', // a Tuesday
	maxFlowQueryDays: 30,
	maxDeleteIds: 50,
	maxTaskQueryDays: 31,
};

let emu: Emulator;
let http: AxiosInstance;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Unix seconds (string) of an ISO time */
const ts = (iso: string) => String(Date.parse(iso) / 1000);
const punch = (user: string, iso: string, extra: Record<string, unknown> = {}) => ({
	user_id: user,
	creator_id: user,
	location_name: 'HQ',
	check_time: ts(iso),
	comment: 'test',
	...extra,
});

async function token(): Promise<string> {
	const res = await http.post(TOKEN_PATH, APP);
	expect(res.data.code).toBe(0);
	return res.data.tenant_access_token as string;
}

async function api(
	path: string,
	body?: unknown,
	tok?: string,
	method = 'POST',
): Promise<AxiosResponse> {
	const auth = tok ?? (await token());
	return http.request({
		method,
		url: path,
		data: body,
		headers: { Authorization: `Bearer ${auth}` },
	});
}

const leave = (
	start: string,
	end: string,
	idempotent_id?: string,
	extra: Record<string, unknown> = {},
) => ({
	unit: 1,
	interval: 28800,
	start_time: start,
	end_time: end,
	i18n_names: { en: 'Annual leave' },
	default_locale: 'en',
	reason: 'rest',
	...(idempotent_id ? { idempotent_id } : {}),
	...extra,
});

beforeAll(async () => {
	emu = await startEmulator(BASELINE);
	http = axios.create({ baseURL: emu.url, validateStatus: () => true });
});

afterAll(async () => {
	await emu.close();
});

beforeEach(() => {
	emu.reset();
	emu.configure(BASELINE);
});

describe('tenant_access_token', () => {
	test('issues a t- token at top level and returns the same token while enough lifetime is left', async () => {
		const first = await http.post(TOKEN_PATH, APP);
		expect(first.status).toBe(200);
		expect(first.data).toEqual({
			code: 0,
			msg: 'ok',
			tenant_access_token: expect.stringMatching(/^t-/),
			expire: 7200,
		});
		const second = await http.post(TOKEN_PATH, APP);
		expect(second.data.tenant_access_token).toBe(first.data.tenant_access_token);
		expect(second.data.expire).toBeLessThanOrEqual(7200);
		expect(second.data.expire).toBeGreaterThan(7190);
		expect(emu.counters().tokenExchanges).toBe(2);
		expect(emu.tokens().issued).toHaveLength(1);
	});

	test('re-issues near expiry, the old token stays valid until its own expiry, then 99991663', async () => {
		emu.configure({ tokenTtlSeconds: 2 }); // re-issue threshold = min(1800, 2/4) = 0.5 s
		const t1 = (await http.post(TOKEN_PATH, APP)).data.tenant_access_token;
		expect((await http.post(TOKEN_PATH, APP)).data.tenant_access_token).toBe(t1);
		await sleep(1600);
		const renewed = await http.post(TOKEN_PATH, APP);
		const t2 = renewed.data.tenant_access_token;
		expect(t2).not.toBe(t1);
		expect(renewed.data.expire).toBe(2);
		expect(emu.tokens().valid).toEqual([t1, t2]);
		const stillOk = await api(
			`${ATT}/user_flows/query?employee_type=employee_id`,
			{ user_ids: ['emp0001'], check_time_from: '1704038400', check_time_to: '1704124800' },
			t1,
		);
		expect(stillOk.data.code).toBe(0);
		await sleep(600);
		const expired = await api(
			`${ATT}/user_flows/query?employee_type=employee_id`,
			{ user_ids: ['emp0001'], check_time_from: '1704038400', check_time_to: '1704124800' },
			t1,
		);
		expect(expired.status).toBe(400);
		expect(expired.data.code).toBe(99991663);
		expect(expired.data.msg).toBe(
			'Invalid access token for authorization. Please make a request with token attached.',
		);
		expect(emu.tokens()).toEqual({ issued: [t1, t2], valid: [t2] });
		expect(emu.counters().tokenRejections).toBe(1);
	});

	test('unknown app id -> 10003, wrong secret -> 10014, no token handed out', async () => {
		const unknown = await http.post(TOKEN_PATH, { app_id: 'cli_nope', app_secret: 'x' });
		expect(unknown.status).toBe(400);
		expect(unknown.data.code).toBe(10003);
		expect(unknown.data.tenant_access_token).toBeUndefined();
		const wrong = await http.post(TOKEN_PATH, { app_id: APP.app_id, app_secret: 'wrong' });
		expect(wrong.status).toBe(400);
		expect(wrong.data).toEqual({ code: 10014, msg: 'app secret invalid' });
		expect(emu.counters().tokenExchanges).toBe(0);
		expect(emu.tokens().issued).toEqual([]);
	});

	test('missing token -> 99991661, garbage -> 99991663, expireTokens() invalidates and forces a new token', async () => {
		const missing = await http.post(`${ATT}/user_flows/query?employee_type=employee_id`, {});
		expect(missing.status).toBe(400);
		expect(missing.data.code).toBe(99991661);
		const garbage = await api(`${ATT}/user_flows/query?employee_type=employee_id`, {}, 't-garbage');
		expect(garbage.data.code).toBe(99991663);
		const t1 = await token();
		emu.expireTokens();
		expect(emu.tokens().valid).toEqual([]);
		const rejected = await api(`${ATT}/user_tasks/query?employee_type=employee_id`, {}, t1);
		expect(rejected.data.code).toBe(99991663);
		const t2 = await token();
		expect(t2).not.toBe(t1);
		expect(emu.counters().tokenRejections).toBe(2);
	});

	test('every answer carries x-tt-logid', async () => {
		const ok = await http.post(TOKEN_PATH, APP);
		const err = await http.get(`${ATT}/user_flows/123`);
		const notFound = await http.get('/nope');
		for (const res of [ok, err, notFound]) expect(res.headers['x-tt-logid']).toMatch(/^\w{20,}$/);
		expect(ok.headers['x-tt-logid']).not.toBe(err.headers['x-tt-logid']);
		expect(notFound.status).toBe(404);
		expect(notFound.data).toEqual({ code: 404, msg: 'not found' });
	});
});

describe('rate limit', () => {
	test('beyond the per-endpoint rate -> 429 with x-ogw-ratelimit headers; other endpoints unaffected; frees after 1 s', async () => {
		emu.configure({ rateLimitPerSecond: 5 });
		const tok = await token();
		const body = {
			user_ids: ['emp0001'],
			check_time_from: '1704038400',
			check_time_to: '1704124800',
		};
		const burst = await Promise.all(
			Array.from({ length: 12 }, () =>
				api(`${ATT}/user_flows/query?employee_type=employee_id`, body, tok),
			),
		);
		const limited = burst.filter((r) => r.status === 429);
		expect(burst.filter((r) => r.status === 200)).toHaveLength(5);
		expect(limited).toHaveLength(7);
		expect(limited[0].data).toEqual({ code: 99991400, msg: 'request trigger frequency limit' });
		expect(limited[0].headers['x-ogw-ratelimit-limit']).toBe('5');
		expect(Number(limited[0].headers['x-ogw-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
		const other = await api(
			`${ATT}/user_tasks/query?employee_type=employee_id`,
			{ user_ids: ['emp0001'], check_date_from: 20240304, check_date_to: 20240304 },
			tok,
		);
		expect(other.status).toBe(200);
		expect(emu.counters().rateLimited).toBe(7);
		expect(emu.counters().status['429']).toBe(7);
		await sleep(1050);
		expect((await api(`${ATT}/user_flows/query?employee_type=employee_id`, body, tok)).status).toBe(
			200,
		);
	});
});

describe('user_flows', () => {
	const create = (records: unknown[], tok: string, type = 'employee_id') =>
		api(`${ATT}/user_flows/batch_create?employee_type=${type}`, { flow_records: records }, tok);

	test('batch_create stores valid records and lists rejected pairs in msg (code 0)', async () => {
		const tok = await token();
		const res = await create(
			[
				punch('NO0002', '2024-03-04T08:55:00+08:00', { idempotent_id: 'k1', external_id: 'ext-1' }),
				punch('NO9999', '2024-03-04T08:56:00+08:00'),
				{ ...punch('NO0003', '2024-03-04T08:57:00+08:00'), creator_id: 'NO_unauth_1' },
				punch('NO0004', '2021-12-31T23:59:59+08:00'),
			],
			tok,
			'employee_no',
		);
		expect(res.status).toBe(200);
		expect(res.data.code).toBe(0);
		expect(res.data.msg).toBe('[NO9999-NO9999, NO0003-NO_unauth_1, NO0004-NO0004]');
		expect(res.data.data.flow_records).toHaveLength(1);
		const answered = res.data.data.flow_records[0];
		expect(answered).toMatchObject({
			user_id: 'NO0002',
			creator_id: 'NO0002',
			external_id: 'ext-1',
			idempotent_id: 'k1',
			type: 7,
		});
		expect(answered.record_id).toMatch(/^\d{19}$/);
		const stored = emu.flows();
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({
			record_id: answered.record_id,
			user_id: 'emp0002',
			imported: true,
			type: 7,
		});
	});

	test('duplicate idempotent_id: reject-record lists it, nothing stored twice', async () => {
		const tok = await token();
		await create([punch('emp0001', '2024-03-04T09:00:00+08:00', { idempotent_id: 'dup' })], tok);
		const again = await create(
			[
				punch('emp0001', '2024-03-04T09:00:00+08:00', { idempotent_id: 'dup' }),
				punch('emp0001', '2024-03-04T18:00:00+08:00', { idempotent_id: 'new' }),
			],
			tok,
		);
		expect(again.data.code).toBe(0);
		expect(again.data.msg).toBe('[emp0001-emp0001]');
		expect(
			again.data.data.flow_records.map((f: { idempotent_id: string }) => f.idempotent_id),
		).toEqual(['new']);
		expect(emu.flows()).toHaveLength(2);
	});

	test('duplicate idempotent_id: reject-call fails the whole call with 1220600 and stores nothing of it', async () => {
		emu.configure({ duplicateMode: 'reject-call' });
		const tok = await token();
		await create([punch('emp0001', '2024-03-04T09:00:00+08:00', { idempotent_id: 'dup' })], tok);
		const again = await create(
			[
				punch('emp0001', '2024-03-04T18:00:00+08:00', { idempotent_id: 'new' }),
				punch('emp0001', '2024-03-04T09:00:00+08:00', { idempotent_id: 'dup' }),
			],
			tok,
		);
		expect(again.status).toBe(400);
		expect(again.data).toMatchObject({ code: 1220600, msg: 'the object already exists' });
		expect(emu.flows().map((f) => f.idempotent_id)).toEqual(['dup']);
	});

	test('duplicate idempotent_id: echo returns the stored record with its original record_id', async () => {
		emu.configure({ duplicateMode: 'echo' });
		const tok = await token();
		const first = await create(
			[punch('emp0001', '2024-03-04T09:00:00+08:00', { idempotent_id: 'dup' })],
			tok,
		);
		const again = await create(
			[punch('emp0001', '2024-03-04T09:00:00+08:00', { idempotent_id: 'dup' })],
			tok,
		);
		expect(again.data).toMatchObject({ code: 0, msg: 'success' });
		expect(again.data.data.flow_records[0].record_id).toBe(
			first.data.data.flow_records[0].record_id,
		);
		expect(emu.flows()).toHaveLength(1);
	});

	test('call-level validation: >50 -> 1220600, missing field / bad check_time / missing employee_type -> 1220001', async () => {
		// Feishu's own answer to requests outside its definitions (test/emulator/definitions.ts)
		skipDefinitionsForThisTest();
		const tok = await token();
		const many = Array.from({ length: 51 }, (_, i) =>
			punch('emp0001', `2024-03-04T09:${String(i).padStart(2, '0')}:00+08:00`),
		);
		const tooMany = await create(many, tok);
		expect(tooMany.status).toBe(400);
		expect(tooMany.data).toMatchObject({ code: 1220600, msg: 'operate too much flow' });
		const { comment: _c, ...noComment } = punch('emp0001', '2024-03-04T09:00:00+08:00');
		const missing = await create([punch('emp0002', '2024-03-04T09:00:00+08:00'), noComment], tok);
		expect(missing.status).toBe(400);
		expect(missing.data.code).toBe(1220001);
		expect(missing.data.msg).toContain('comment');
		const badTime = await create(
			[{ ...punch('emp0001', '2024-03-04T09:00:00+08:00'), check_time: 1709513700 }],
			tok,
		);
		expect(badTime.data.code).toBe(1220001);
		const noType = await api(
			`${ATT}/user_flows/batch_create`,
			{ flow_records: [punch('emp0001', '2024-03-04T09:00:00+08:00')] },
			tok,
		);
		expect(noType.data.code).toBe(1220001);
		expect(emu.flows()).toHaveLength(0);
	});

	test('get by record id answers in the requested id type; unknown id -> 1220001', async () => {
		const [seeded] = emu.seedFlows([
			{ user_id: 'emp0007', check_time: ts('2024-03-04T09:00:00+08:00') },
		]);
		const tok = await token();
		const got = await api(
			`${ATT}/user_flows/${seeded.record_id}?employee_type=employee_no`,
			undefined,
			tok,
			'GET',
		);
		expect(got.data.code).toBe(0);
		expect(got.data.data).toMatchObject({
			record_id: seeded.record_id,
			user_id: 'NO0007',
			check_time: seeded.check_time,
		});
		const unknown = await api(
			`${ATT}/user_flows/123?employee_type=employee_id`,
			undefined,
			tok,
			'GET',
		);
		expect(unknown.status).toBe(400);
		expect(unknown.data.code).toBe(1220001);
		expect(emu.counters().requests[`GET ${ATT}/user_flows/:id`]).toBe(2);
	});

	test('query: inclusive window, sorted, span limit, unknown users', async () => {
		emu.seedFlows([
			{ user_id: 'emp0002', check_time: ts('2024-03-04T18:00:00+08:00') },
			{ user_id: 'emp0001', check_time: ts('2024-03-04T09:00:00+08:00') },
			{ user_id: 'emp0001', check_time: ts('2024-03-05T09:00:00+08:00') },
		]);
		const tok = await token();
		const url = `${ATT}/user_flows/query?employee_type=employee_id`;
		const res = await api(
			url,
			{
				user_ids: ['emp0001', 'emp0002'],
				check_time_from: ts('2024-03-04T09:00:00+08:00'),
				check_time_to: ts('2024-03-04T18:00:00+08:00'),
			},
			tok,
		);
		expect(res.data.code).toBe(0);
		expect(res.data.data.user_flow_results.map((f: { user_id: string }) => f.user_id)).toEqual([
			'emp0001',
			'emp0002',
		]);
		const span = await api(
			url,
			{
				user_ids: ['emp0001'],
				check_time_from: ts('2024-02-01T00:00:00+08:00'),
				check_time_to: ts('2024-03-03T00:00:01+08:00'),
			},
			tok,
		);
		expect(span.data).toMatchObject({ code: 1220001, msg: 'time span too long' });
		const unknown = await api(
			url,
			{
				user_ids: ['emp0001', 'emp5000'],
				check_time_from: '1709510400',
				check_time_to: '1709596800',
			},
			tok,
		);
		expect(unknown.data.code).toBe(1220004);
		const tooMany = await api(
			url,
			{
				user_ids: Array.from({ length: 51 }, (_, i) => `emp${String(i + 1).padStart(4, '0')}`),
				check_time_from: '1709510400',
				check_time_to: '1709596800',
			},
			tok,
		);
		expect(tooMany.data.code).toBe(1220001);
	});

	test('batch_del deletes imported flows; unknown and non-imported ids fail with a JSON reason map', async () => {
		const [imported, manual] = emu.seedFlows([
			{ user_id: 'emp0001', check_time: ts('2024-03-04T09:00:00+08:00') },
			{ user_id: 'emp0001', check_time: ts('2024-03-04T18:00:00+08:00'), imported: false },
		]);
		const tok = await token();
		const res = await api(
			`${ATT}/user_flows/batch_del`,
			{ record_ids: [imported.record_id, manual.record_id, '404'] },
			tok,
		);
		expect(res.data.code).toBe(0);
		expect(res.data.data).toEqual({
			success_record_ids: [imported.record_id],
			fail_record_ids: [manual.record_id, '404'],
		});
		expect(Object.keys(JSON.parse(res.data.msg)).sort()).toEqual([manual.record_id, '404'].sort());
		expect(emu.flows().map((f) => f.record_id)).toEqual([manual.record_id]);
		emu.configure({ maxDeleteIds: 10 });
		const tooMany = await api(
			`${ATT}/user_flows/batch_del`,
			{ record_ids: Array.from({ length: 11 }, (_, i) => String(i)) },
			tok,
		);
		expect(tooMany.data.code).toBe(1220001);
	});
});

describe('user_tasks/query', () => {
	const url = `${ATT}/user_tasks/query?employee_type=employee_id`;

	test('results per workday from punches, Lack + Leave supplement, no weekend rows, nothing after today', async () => {
		emu.seedFlows([
			{ user_id: 'emp0001', check_time: ts('2024-03-04T08:55:00+08:00') },
			{ user_id: 'emp0001', check_time: ts('2024-03-04T18:05:00+08:00') },
			{ user_id: 'emp0001', check_time: ts('2024-03-05T09:10:00+08:00') },
			{ user_id: 'emp0001', check_time: ts('2024-03-13T09:00:00+08:00') },
		]);
		const tok = await token();
		const created = await api(
			`${ATT}/user_approvals?employee_type=employee_id`,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240306',
					leaves: [leave('2024-03-06 09:00:00', '2024-03-06 18:00:00', 'L1')],
				},
			},
			tok,
		);
		expect(created.data.code).toBe(0);
		const trip = {
			start_time: '2024-03-07 10:00:00',
			end_time: '2024-03-07 12:00:00',
			reason: 'fair',
			approve_pass_time: '2024-03-01 12:00:00',
			approve_apply_time: '2024-03-01 11:00:00',
		};
		const out = { ...leave('2024-03-08 08:00:00', '2024-03-08 11:00:00'), uniq_id: 'visit' };
		expect(
			(
				await api(
					`${ATT}/user_approvals?employee_type=employee_id`,
					{ user_approval: { user_id: 'emp0001', date: '20240307', trips: [trip] } },
					tok,
				)
			).data.code,
		).toBe(0);
		expect(
			(
				await api(
					`${ATT}/user_approvals?employee_type=employee_id`,
					{ user_approval: { user_id: 'emp0001', date: '20240308', outs: [out] } },
					tok,
				)
			).data.code,
		).toBe(0);
		const res = await api(
			url,
			{ user_ids: ['emp0001'], check_date_from: 20240304, check_date_to: 20240315 },
			tok,
		);
		expect(res.data.code).toBe(0);
		const rows = res.data.data.user_task_results;
		expect(rows.map((r: { day: number }) => r.day)).toEqual([
			20240304, 20240305, 20240306, 20240307, 20240308, 20240311, 20240312,
		]);
		const [mon, tue, wed] = rows.map((r: { records: Record<string, unknown>[] }) => r.records[0]);
		expect(mon).toMatchObject({
			check_in_result: 'Normal',
			check_out_result: 'Normal',
			check_in_shift_time: ts('2024-03-04T09:00:00+08:00'),
			check_out_shift_time: ts('2024-03-04T18:00:00+08:00'),
			task_shift_type: 0,
		});
		expect(mon.check_in_record_id).toBe((mon.check_in_record as { record_id: string }).record_id);
		expect(tue).toMatchObject({
			check_in_result: 'Late',
			check_out_result: 'Lack',
			check_in_result_supplement: 'None',
		});
		expect(wed).toMatchObject({
			check_in_result: 'Lack',
			check_out_result: 'Lack',
			check_in_result_supplement: 'Leave',
			check_out_result_supplement: 'Leave',
		});
		const [thu, fri] = rows
			.slice(3, 5)
			.map((r: { records: Record<string, unknown>[] }) => r.records[0]);
		expect(thu).toMatchObject({
			check_in_result_supplement: 'Travel',
			check_out_result_supplement: 'Travel',
		}); // trips count as full days
		expect(fri).toMatchObject({
			check_in_result_supplement: 'GoOut',
			check_out_result_supplement: 'None',
		});
		expect(rows[0]).toMatchObject({
			user_id: 'emp0001',
			employee_name: expect.any(String),
			group_id: expect.stringMatching(/^6/),
			shift_id: expect.stringMatching(/^7/),
		});
	});

	test('need_overtime_result adds a task_shift_type 1 segment', async () => {
		const tok = await token();
		const overtime = {
			duration: 3,
			unit: 2,
			category: 1,
			type: 1,
			start_time: '2024-03-04 18:00:00',
			end_time: '2024-03-04 21:00:00',
		};
		expect(
			(
				await api(
					`${ATT}/user_approvals?employee_type=employee_id`,
					{ user_approval: { user_id: 'emp0001', date: '20240304', overtime_works: [overtime] } },
					tok,
				)
			).data.code,
		).toBe(0);
		const body = { user_ids: ['emp0001'], check_date_from: 20240304, check_date_to: 20240304 };
		const plain = await api(url, body, tok);
		expect(plain.data.data.user_task_results[0].records).toHaveLength(1);
		const withOvertime = await api(url, { ...body, need_overtime_result: true }, tok);
		const records = withOvertime.data.data.user_task_results[0].records;
		expect(records.map((r: { task_shift_type: number }) => r.task_shift_type)).toEqual([0, 1]);
		expect(records[1].check_in_shift_time).toBe(ts('2024-03-04T18:00:00+08:00'));
	});

	test('invalid / unauthorized users: listed with ignore_invalid_users, else 1220004 / 1220005; span and type checks', async () => {
		// Feishu's own answer to requests outside its definitions (test/emulator/definitions.ts)
		skipDefinitionsForThisTest();
		const tok = await token();
		const body = {
			user_ids: ['emp0001', 'emp9999', 'emp_unauth_1'],
			check_date_from: 20240304,
			check_date_to: 20240304,
		};
		const lenient = await api(`${url}&ignore_invalid_users=true`, body, tok);
		expect(lenient.data.code).toBe(0);
		expect(lenient.data.data.invalid_user_ids).toEqual(['emp9999']);
		expect(lenient.data.data.unauthorized_user_ids).toEqual(['emp_unauth_1']);
		expect(lenient.data.data.user_task_results).toHaveLength(1);
		const strict = await api(`${url}&ignore_invalid_users=false`, body, tok);
		expect(strict.status).toBe(400);
		expect(strict.data.code).toBe(1220004);
		const unauthorized = await api(url, { ...body, user_ids: ['emp0001', 'emp_unauth_2'] }, tok);
		expect(unauthorized.data.code).toBe(1220005);
		const span = await api(
			url,
			{ user_ids: ['emp0001'], check_date_from: 20240201, check_date_to: 20240303 },
			tok,
		);
		expect(span.data.code).toBe(1220001);
		const within = await api(
			url,
			{ user_ids: ['emp0001'], check_date_from: 20240201, check_date_to: 20240302 },
			tok,
		);
		expect(within.data.code).toBe(0);
		const stringDate = await api(
			url,
			{ user_ids: ['emp0001'], check_date_from: '20240304', check_date_to: 20240304 },
			tok,
		);
		expect(stringDate.data.code).toBe(1220001);
	});
});

describe('user_approvals', () => {
	const createUrl = `${ATT}/user_approvals?employee_type=employee_id`;
	const queryUrl = `${ATT}/user_approvals/query?employee_type=employee_id`;

	test('create echoes every item with approval_id (+ approve times on leaves/outs) and stores one entry per item', async () => {
		const tok = await token();
		const out = { ...leave('2024-03-05 14:00:00', '2024-03-05 16:00:00', 'O1'), uniq_id: 'visit' };
		const trip = {
			start_time: '2024-03-07 09:00:00',
			end_time: '2024-03-07 18:00:00',
			reason: 'fair',
			approve_pass_time: '2024-03-01 12:00:00',
			approve_apply_time: '2024-03-01 11:00:00',
		};
		const res = await http.post(
			`${ATT}/user_approvals?employee_type=open_id`,
			{
				user_approval: {
					user_id: 'ou_0003',
					date: '20240305',
					leaves: [leave('2024-03-05 09:00:00', '2024-03-05 12:00:00', 'L1')],
					outs: [out],
					trips: [trip],
				},
			},
			{ headers: { Authorization: `Bearer ${tok}` } },
		);
		expect(res.data.code).toBe(0);
		const ua = res.data.data.user_approval;
		expect(ua).toMatchObject({ user_id: 'ou_0003', date: '20240305', time_zone: 'Asia/Shanghai' });
		expect(ua.leaves[0]).toMatchObject({
			approval_id: expect.stringMatching(/^\d+$/),
			reason: 'rest',
			approve_pass_time: expect.any(String),
			approve_apply_time: expect.any(String),
		});
		expect(ua.outs[0].approval_id).not.toBe(ua.leaves[0].approval_id);
		expect(ua.trips[0].approve_pass_time).toBe('2024-03-01 12:00:00');
		expect(ua.overtime_works).toBeUndefined();
		const stored = emu.approvals();
		expect(stored.map((a) => a.kind).sort()).toEqual(['leaves', 'outs', 'trips']);
		expect(stored.every((a) => a.user_id === 'emp0003' && a.status === 2)).toBe(true);
	});

	test('repeated idempotent_id is answered with the stored item and not stored again', async () => {
		const tok = await token();
		const body = {
			user_approval: {
				user_id: 'emp0001',
				date: '20240305',
				leaves: [leave('2024-03-05 09:00:00', '2024-03-05 18:00:00', 'L1')],
			},
		};
		const first = await api(createUrl, body, tok);
		const again = await api(createUrl, body, tok);
		expect(again.data.code).toBe(0);
		expect(again.data.data.user_approval.leaves[0].approval_id).toBe(
			first.data.data.user_approval.leaves[0].approval_id,
		);
		expect(emu.approvals()).toHaveLength(1);
	});

	test('overlap with a different idempotent_id or end < start -> 1225001 with per-category JSON, nothing stored', async () => {
		const tok = await token();
		await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240305',
					leaves: [leave('2024-03-05 09:00:00', '2024-03-05 18:00:00', 'L1')],
				},
			},
			tok,
		);
		const clash = await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240305',
					leaves: [leave('2024-03-05 13:00:00', '2024-03-05 15:00:00', 'L2')],
					outs: [{ ...leave('2024-03-06 10:00:00', '2024-03-06 11:00:00', 'O1'), uniq_id: 'x' }],
				},
			},
			tok,
		);
		expect(clash.status).toBe(400);
		expect(clash.data.code).toBe(1225001);
		const msg = JSON.parse(clash.data.msg);
		expect(Object.keys(msg)).toEqual([
			'TripErrorRecords',
			'OvertimeWorkErrorRecords',
			'LeaveErrorRecords',
			'OutErrorRecords',
		]);
		expect(msg.OutErrorRecords).toBe('');
		const leaveErrors = JSON.parse(msg.LeaveErrorRecords);
		expect(leaveErrors).toEqual([
			expect.objectContaining({ idempotent_id: 'L2', reason: expect.stringContaining('conflict') }),
		]);
		expect(emu.approvals()).toHaveLength(1);
		const backwards = await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240308',
					leaves: [leave('2024-03-08 18:00:00', '2024-03-08 09:00:00', 'L3')],
				},
			},
			tok,
		);
		expect(backwards.data.code).toBe(1225001);
	});

	test('validation: missing required field / bad enum -> 1220001 naming the field; unknown user -> 1220004', async () => {
		// Feishu's own answer to requests outside its definitions (test/emulator/definitions.ts)
		skipDefinitionsForThisTest();
		const tok = await token();
		const { reason: _r, ...noReason } = leave('2024-03-05 09:00:00', '2024-03-05 18:00:00');
		const missing = await api(
			createUrl,
			{ user_approval: { user_id: 'emp0001', date: '20240305', leaves: [noReason] } },
			tok,
		);
		expect(missing.status).toBe(400);
		expect(missing.data).toMatchObject({
			code: 1220001,
			msg: expect.stringContaining('leaves[0].reason'),
		});
		const badUnit = await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240305',
					leaves: [leave('2024-03-05 09:00:00', '2024-03-05 18:00:00', undefined, { unit: 5 })],
				},
			},
			tok,
		);
		expect(badUnit.data).toMatchObject({ code: 1220001, msg: expect.stringContaining('unit') });
		const outWithoutUniq = await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240305',
					outs: [leave('2024-03-05 09:00:00', '2024-03-05 18:00:00')],
				},
			},
			tok,
		);
		expect(outWithoutUniq.data.msg).toContain('outs[0].uniq_id');
		const badTime = await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240305',
					leaves: [leave('2024-03-05T09:00:00', '2024-03-05 18:00:00')],
				},
			},
			tok,
		);
		expect(badTime.data.code).toBe(1220001);
		const unknown = await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp7777',
					date: '20240305',
					leaves: [leave('2024-03-05 09:00:00', '2024-03-05 18:00:00')],
				},
			},
			tok,
		);
		expect(unknown.data.code).toBe(1220004);
		expect(emu.approvals()).toHaveLength(0);
	});

	test('query: by approval date within the window, span <= 30 days, from <= today + 1, status filter', async () => {
		const tok = await token();
		await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240305',
					leaves: [leave('2024-03-05 09:00:00', '2024-03-05 18:00:00', 'L1')],
				},
			},
			tok,
		);
		await api(
			createUrl,
			{
				user_approval: {
					user_id: 'emp0001',
					date: '20240311',
					leaves: [leave('2024-03-11 09:00:00', '2024-03-11 18:00:00', 'L2')],
				},
			},
			tok,
		);
		const res = await api(
			queryUrl,
			{ user_ids: ['emp0001'], check_date_from: 20240301, check_date_to: 20240310 },
			tok,
		);
		expect(res.data.code).toBe(0);
		expect(res.data.data.user_approvals).toHaveLength(1);
		expect(res.data.data.user_approvals[0]).toMatchObject({
			user_id: 'emp0001',
			date: '20240305',
			outs: [],
			trips: [],
			overtime_works: [],
		});
		expect(res.data.data.user_approvals[0].leaves[0].idempotent_id).toBe('L1');
		const span = await api(
			queryUrl,
			{ user_ids: ['emp0001'], check_date_from: 20240201, check_date_to: 20240303 },
			tok,
		);
		expect(span.data.code).toBe(1220001);
		const tomorrow = await api(
			queryUrl,
			{ user_ids: ['emp0001'], check_date_from: 20240313, check_date_to: 20240320 },
			tok,
		);
		expect(tomorrow.data.code).toBe(0);
		const later = await api(
			queryUrl,
			{ user_ids: ['emp0001'], check_date_from: 20240314, check_date_to: 20240320 },
			tok,
		);
		expect(later.data.code).toBe(1220001);
		const pending = await api(
			queryUrl,
			{ user_ids: ['emp0001'], check_date_from: 20240301, check_date_to: 20240320, status: 0 },
			tok,
		);
		expect(pending.data.data.user_approvals).toEqual([]);
	});
});

describe('faults', () => {
	const createUrl = `${ATT}/user_flows/batch_create?employee_type=employee_id`;
	const body = { flow_records: [punch('emp0001', '2024-03-04T09:00:00+08:00')] };

	test('http500 answers 1225000 without processing, once', async () => {
		const tok = await token();
		emu.injectFault({ kind: 'http500', endpoint: 'user_flows/batch_create' });
		const failed = await api(createUrl, body, tok);
		expect(failed.status).toBe(500);
		expect(failed.data).toEqual({ code: 1225000, msg: 'internal error' });
		expect(emu.flows()).toHaveLength(0);
		expect((await api(createUrl, body, tok)).status).toBe(200);
		expect(emu.flows()).toHaveLength(1);
	});

	test('dropBefore stores nothing, dropAfter stores but never answers', async () => {
		const tok = await token();
		emu.injectFault({ kind: 'dropBefore' });
		await expect(api(createUrl, body, tok)).rejects.toThrow();
		expect(emu.flows()).toHaveLength(0);
		emu.injectFault({ kind: 'dropAfter', endpoint: 'batch_create' });
		await expect(api(createUrl, body, tok)).rejects.toThrow();
		expect(emu.flows()).toHaveLength(1);
		expect(emu.counters().dropped).toBe(2);
	});

	test('code answers the given Feishu error; faults respect endpoint and times; default faults skip the token endpoint', async () => {
		emu.injectFault({
			kind: 'code',
			code: 1220600,
			msg: 'no row affected',
			httpStatus: 400,
			times: 2,
		});
		const tok = await token(); // not affected: no endpoint named
		const first = await api(createUrl, body, tok);
		const second = await api(createUrl, body, tok);
		const third = await api(createUrl, body, tok);
		expect([first.data.code, second.data.code, third.data.code]).toEqual([1220600, 1220600, 0]);
		expect(first.data.msg).toBe('no row affected');
		emu.injectFault({ kind: 'http500', endpoint: 'user_tasks' });
		expect((await api(createUrl, body, tok)).status).toBe(200);
		emu.injectFault({ kind: 'http500', endpoint: 'tenant_access_token' });
		expect((await http.post(TOKEN_PATH, APP)).status).toBe(500);
	});

	test('latency (option and fault) delays answers and shows in peak concurrency', async () => {
		const tok = await token();
		emu.injectFault({ kind: 'latency', latencyMs: 250 });
		const started = Date.now();
		await api(createUrl, body, tok);
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
		emu.configure({ latencyMs: 150 });
		await Promise.all(
			Array.from({ length: 4 }, () =>
				api(
					`${ATT}/user_flows/query?employee_type=employee_id`,
					{ user_ids: ['emp0001'], check_time_from: '1709510400', check_time_to: '1709596800' },
					tok,
				),
			),
		);
		const counters = emu.counters();
		expect(counters.peakConcurrency).toBe(4);
		expect(counters.peakConcurrencyByEndpoint[`POST ${ATT}/user_flows/query`]).toBe(4);
		expect(counters.peakConcurrencyByEndpoint[`POST ${ATT}/user_flows/batch_create`]).toBe(1);
	});
});

describe('admin API', () => {
	test('configure, faults, seed, read, expire tokens, reset — not counted, no token needed', async () => {
		expect((await http.post('/__admin/configure', { rateLimitPerSecond: 1 })).data).toEqual({
			ok: true,
		});
		const seeded = await http.post('/__admin/seed-flows', {
			records: [
				{ user_id: 'NO0005', check_time: ts('2024-03-04T09:00:00+08:00'), imported: false },
			],
			employeeType: 'employee_no',
		});
		expect(seeded.data.flows[0]).toMatchObject({ user_id: 'emp0005', imported: false });
		expect((await http.get('/__admin/flows')).data).toHaveLength(1);
		const tok = await token();
		const q = { user_ids: ['emp0005'], check_time_from: '1709510400', check_time_to: '1709596800' };
		expect((await api(`${ATT}/user_flows/query?employee_type=employee_id`, q, tok)).status).toBe(
			200,
		);
		expect((await api(`${ATT}/user_flows/query?employee_type=employee_id`, q, tok)).status).toBe(
			429,
		);
		await http.post('/__admin/faults', { kind: 'code', code: 1225000, httpStatus: 500 });
		await http.delete('/__admin/faults');
		expect(
			(
				await api(
					`${ATT}/user_tasks/query?employee_type=employee_id`,
					{ user_ids: ['emp0005'], check_date_from: 20240304, check_date_to: 20240304 },
					tok,
				)
			).status,
		).toBe(200);
		await http.post('/__admin/faults', { kind: 'http500', endpoint: 'user_approvals' });
		expect(
			(
				await api(
					`${ATT}/user_approvals/query?employee_type=employee_id`,
					{ user_ids: ['emp0005'], check_date_from: 20240304, check_date_to: 20240304 },
					tok,
				)
			).status,
		).toBe(500);
		expect((await http.get('/__admin/tokens')).data).toEqual({ issued: [tok], valid: [tok] });
		await http.post('/__admin/expire-tokens');
		expect((await http.get('/__admin/tokens')).data.valid).toEqual([]);
		const counters = (await http.get('/__admin/counters')).data;
		expect(Object.keys(counters.requests).some((k: string) => k.includes('__admin'))).toBe(false);
		expect(counters.rateLimited).toBe(1);
		expect((await http.get('/__admin/approvals')).data).toEqual([]);
		expect((await http.get('/__admin/nope')).status).toBe(404);
		expect((await http.post('/__admin/configure', { duplicateMode: 'bogus' })).status).toBe(400);
		await http.post('/__admin/reset');
		expect((await http.get('/__admin/flows')).data).toEqual([]);
		expect((await http.get('/__admin/counters')).data.requests).toEqual({});
		expect((await http.get('/__admin/tokens')).data.issued).toEqual([]);
	});
});
