/**
 * The definitions check itself (test/emulator/definitions.ts): requests Lark's zod definitions do not allow are
 * refused over HTTP with a message naming the field and the schema, and recorded (which fails the test that sent
 * them, test/emulator/jest-setup.ts); allowed requests pass; the allowlist lets only its listed deviations through.
 */
import axios, { type AxiosInstance } from 'axios';
import { startEmulator, type Emulator } from '.';
import {
	attendanceDefinitions,
	checkRequest,
	DEFINITIONS_CODE,
	takeViolations,
} from './definitions';
import { DEFINITION_ALLOWLIST } from './definitions-allowlist';

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const ATT = '/open-apis/attendance/v1';

let emu: Emulator;
let http: AxiosInstance;
let auth: Record<string, string>;

beforeAll(async () => {
	emu = await startEmulator({ today: '2024-03-12' });
	http = axios.create({ baseURL: emu.url, validateStatus: () => true });
	const token = await http.post(TOKEN_PATH, {
		app_id: 'cli_emulator',
		app_secret: 'emulator-secret',
	});
	auth = { Authorization: `Bearer ${token.data.tenant_access_token}` };
});

afterAll(async () => {
	await emu.close();
});

const punch = {
	user_id: 'emp0001',
	creator_id: 'emp0001',
	location_name: 'HQ',
	check_time: '1710201600',
	comment: 'test',
};

describe('definitions check', () => {
	test('the schemas load without network: 37 attendance endpoints', () => {
		expect(attendanceDefinitions()).toHaveLength(37);
	});

	test('an undefined body field is refused with 400, the field and the schema named, and recorded', async () => {
		const res = await http.post(
			`${ATT}/user_flows/batch_create?employee_type=employee_id`,
			{ flow_records: [{ ...punch, mood: 'happy' }] },
			{ headers: auth },
		);
		expect(res.status).toBe(400);
		expect(res.data.code).toBe(DEFINITIONS_CODE);
		expect(res.data.msg).toContain('attendance.v1.userFlow.batchCreate');
		expect(res.data.msg).toContain('flow_records[0].mood: not defined');
		expect(emu.flows()).toHaveLength(0);
		const recorded = takeViolations();
		expect(recorded).toEqual([
			{
				endpoint: `POST ${ATT}/user_flows/batch_create`,
				schema: 'attendance.v1.userFlow.batchCreate',
				problems: ['flow_records[0].mood: not defined'],
			},
		]);
	});

	test('a wrong enum value in the query and a wrong type in the body are refused', async () => {
		const res = await http.post(
			`${ATT}/user_flows/batch_create?employee_type=union_id`,
			{ flow_records: [{ ...punch, check_time: 1710201600 }] },
			{ headers: auth },
		);
		expect(res.status).toBe(400);
		expect(res.data.code).toBe(DEFINITIONS_CODE);
		expect(takeViolations()[0].problems).toEqual([
			'query employee_type: "union_id" (a string) is not one of "employee_id", "employee_no"',
			'flow_records[0].check_time: 1710201600 (number) is not a string',
		]);
	});

	test('a missing required field and an undefined query parameter are refused', async () => {
		const res = await http.post(
			`${ATT}/user_tasks/query?employee_type=employee_id&verbose=true`,
			{ user_ids: ['emp0001'], check_date_from: 20240311 },
			{ headers: auth },
		);
		expect(res.data.code).toBe(DEFINITIONS_CODE);
		expect(takeViolations()[0].problems).toEqual([
			'query verbose: not defined',
			'check_date_to: required',
		]);
	});

	test('query numbers must be digits; a defined request passes to the handler', async () => {
		const bad = await http.get(`${ATT}/groups?page_size=ten`, { headers: auth });
		expect(bad.data.code).toBe(DEFINITIONS_CODE);
		expect(takeViolations()[0].problems).toEqual([
			'query page_size: "ten" (a string) is not a number',
		]);
		const good = await http.get(`${ATT}/groups?page_size=10`, { headers: auth });
		expect(good.data.code).toBe(0);
		expect(takeViolations()).toEqual([]);
	});

	test("the header x-emulator-definitions: off skips the check (Feishu's own answer to bad input)", async () => {
		const res = await http.post(
			`${ATT}/user_tasks/query?employee_type=employee_id`,
			{ user_ids: ['emp0001'], check_date_from: 20240311 },
			{
				headers: { ...auth, 'x-emulator-definitions': 'off' },
			},
		);
		expect(res.data.code).toBe(1220001);
		expect(takeViolations()).toEqual([]);
	});

	test('the allowlist lets exactly its listed deviation through, and only with the allowlist', () => {
		const req = {
			method: 'POST',
			pattern: `${ATT}/groups/search`,
			pathValues: [],
			query: new URLSearchParams(),
			body: { group_name: 'Head Office', exactly_matched: true },
			hasBody: true,
		};
		expect(checkRequest(req)).toBeUndefined();
		expect(checkRequest(req, [])?.problems).toEqual(['exactly_matched: not defined']);
		expect(
			checkRequest({ ...req, body: { group_name: 'x', exactly_matched: true, fuzzy: 1 } })
				?.problems,
		).toEqual(['fuzzy: not defined']);
		for (const entry of DEFINITION_ALLOWLIST) expect(entry.source).toMatch(/\S{10}/);
	});

	test('path parameters are checked, and routes the schemas do not define are not', () => {
		const get = {
			method: 'GET',
			pattern: `${ATT}/shifts/:id`,
			pathValues: ['7023458093924646919'],
			query: new URLSearchParams(),
			body: {},
			hasBody: false,
		};
		expect(checkRequest(get)).toBeUndefined();
		expect(checkRequest({ ...get, body: { a: 1 }, hasBody: true })?.problems).toEqual([
			'body: not defined (the definition has no request body)',
		]);
		expect(checkRequest({ ...get, pattern: `${ATT}/files/:id/download` })).toBeUndefined();
	});
});

describe('definitions check: contact users/batch_get_id', () => {
	test('checked against contact.v3.user.batchGetId: a wrong user_id_type and an undefined field are refused', async () => {
		const res = await http.post(
			'/open-apis/contact/v3/users/batch_get_id?user_id_type=employee_id',
			{ emails: ['a@example.com'], names: ['A'] },
			{ headers: auth },
		);
		expect(res.data.code).toBe(DEFINITIONS_CODE);
		expect(takeViolations()[0]).toMatchObject({
			schema: 'contact.v3.user.batchGetId',
			problems: [
				'query user_id_type: "employee_id" (a string) is not one of "open_id", "union_id", "user_id"',
				'names: not defined',
			],
		});
		const good = await http.post(
			'/open-apis/contact/v3/users/batch_get_id?user_id_type=user_id',
			{ emails: ['a@example.com'], include_resigned: true },
			{ headers: auth },
		);
		expect(good.data.code).toBe(0);
	});
});
