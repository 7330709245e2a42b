/**
 * Employees by email or mobile (Employee ID Types Email and Mobile) through n8n's engine against the
 * emulator: values resolved through contact/v3/users/batch_get_id (≤ 50 emails and ≤ 50 mobiles per call,
 * user_id_type=user_id, each distinct value once per run, both kinds in the same calls), the attendance
 * calls by employee_id, output rows carrying what the user gave and the resolved ID, unknown values as
 * item errors that say so, a missing scope as a clear error, and the emulator's batch_get_id limits.
 * Writes and per-employee operations (Import in every input mode, Approval Create, Remedy Create and Get
 * Allowed, Schedule Create or Update): sent as employee_id, items carry what the user gave, an unknown value
 * fails its item only, derived idempotency keys from the resolved user ID (a re-run by email after one by
 * user ID stores nothing twice).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FeishuClient } from '../../nodes/FeishuAttendance/transport';
import type { FeishuRequest } from '../../nodes/FeishuAttendance/transport';
import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';
import { emp } from '../helpers';
import { skipDefinitionsForThisTest } from '../emulator/definitions';

const CONTACT = '/open-apis/contact/v3/users/batch_get_id';
const TASKS = '/user_tasks/query';
const FLOWS = '/user_flows/query';
const DAY = '2025-01-07'; // a Tuesday
const email = (n: number) => `${emp(n)}@example.com`;
const mobile = (n: number) => String(13800000000 + n);
const shanghai = (time: string) => String(Date.parse(`${DAY}T${time}+08:00`) / 1000);

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 300, today: '2025-01-10' });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.configure({
		contactScope: 'full',
		contactMissingUserId: 'omit',
		contactRateLimitPerMinute: 1000,
		rateLimitPerSecond: 50,
	});
});

/** Every request handed to FeishuClient (observed, not changed). */
const sent: FeishuRequest[] = [];
beforeAll(() => {
	const original = FeishuClient.prototype.request;
	jest.spyOn(FeishuClient.prototype, 'request').mockImplementation(async function (
		this: FeishuClient,
		req: FeishuRequest,
	) {
		sent.push(JSON.parse(JSON.stringify(req)) as FeishuRequest);
		return await original.call(this, req);
	} as typeof original);
});
afterAll(() => jest.restoreAllMocks());

async function run(
	resource: string,
	parameters: INodeParameters,
	items: IDataObject[],
	continueOnFail = false,
) {
	sent.length = 0;
	const result = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource,
			operation: 'getMany',
			employeeIds: '={{ $json.who }}',
			from: DAY,
			to: DAY,
			returnAll: true,
			...parameters,
		},
		items,
		continueOnFail,
		timezone: 'Asia/Shanghai',
	});
	return {
		...result,
		lookups: sent.filter((r) => r.path === CONTACT),
		tasks: sent.filter((r) => r.path === TASKS),
		flows: sent.filter((r) => r.path === FLOWS),
	};
}

describe('Punch Result → Get Many by Email / Mobile', () => {
	test('120 distinct emails (some repeated, some in upper case): 3 lookups of ≤ 50, then the results by employee_id, rows carry both', async () => {
		emu.seedFlows([
			{ user_id: emp(7), check_time: shanghai('09:12:00') },
			{ user_id: emp(7), check_time: shanghai('18:01:00') },
		]);
		const items = [
			...Array.from({ length: 120 }, (_, i) => ({ who: email(i + 1) })),
			{ who: email(7).toUpperCase() },
			{ who: email(8) },
		];
		const out = await run('punchResult', { employeeIdType: 'email' }, items);
		expect(out.error).toBeUndefined();
		expect(out.lookups.map((r) => (r.body!.emails as string[]).length)).toEqual([50, 50, 20]);
		for (const r of out.lookups) {
			expect(r.qs).toEqual({ user_id_type: 'user_id' });
			expect(r.body!.mobiles).toBeUndefined();
			expect(r.repeatable).toBe(true);
		}
		expect(new Set(out.lookups.flatMap((r) => r.body!.emails as string[])).size).toBe(120);
		expect(emu.counters().requests[`POST ${CONTACT}`]).toBe(3);
		// the attendance calls ask by employee_id, each employee once
		expect(out.tasks.map((t) => t.qs!.employee_type)).toEqual([
			'employee_id',
			'employee_id',
			'employee_id',
		]);
		expect(out.tasks.flatMap((t) => t.body!.user_ids as string[])).toEqual(
			Array.from({ length: 120 }, (_, i) => emp(i + 1)),
		);

		expect(out.items).toHaveLength(120);
		const seventh = out.items[6];
		expect(seventh.json).toMatchObject({
			status: 'ok',
			employee_id: emp(7),
			employee_email: email(7),
			employee_id_type: 'employee_id',
			date_iso: DAY,
			check_in_result: 'Late',
		});
		expect(Object.keys(seventh.json).slice(0, 3)).toEqual([
			'status',
			'employee_id',
			'employee_email',
		]);
		expect(seventh.pairedItem).toEqual([{ item: 6 }, { item: 120 }]);
		expect(out.items[7].pairedItem).toEqual([{ item: 7 }, { item: 121 }]);
	});

	test('emails and mobiles in the same run share calls; +86 and spaces-free forms of one number are asked once', async () => {
		const items = [
			...Array.from({ length: 30 }, (_, i) => ({ who: email(i + 1), type: 'email' })),
			...Array.from({ length: 40 }, (_, i) => ({ who: mobile(i + 101), type: 'mobile' })),
			{ who: `+86${mobile(101)}`, type: 'mobile' },
			{ who: `0086${mobile(102)}`, type: 'mobile' },
		];
		const out = await run('punchResult', { employeeIdType: '={{ $json.type }}' }, items);
		expect(out.error).toBeUndefined();
		expect(out.lookups).toHaveLength(1);
		expect((out.lookups[0].body!.emails as string[]).length).toBe(30);
		expect((out.lookups[0].body!.mobiles as string[]).length).toBe(40);
		const row = (id: string) => out.items.find((i) => i.json.employee_id === id)!;
		expect(row(emp(101)).json.employee_mobile).toBe(mobile(101));
		expect(row(emp(101)).pairedItem).toEqual([{ item: 30 }, { item: 70 }]);
		expect(row(emp(102)).pairedItem).toEqual([{ item: 31 }, { item: 71 }]);
		expect(row(emp(1)).json.employee_email).toBe(email(1));
		expect(out.items).toHaveLength(70);
	});

	test('items by employee ID and by email are asked together: one attendance call, the employee once', async () => {
		const out = await run('punchResult', { employeeIdType: '={{ $json.type }}' }, [
			{ who: emp(5), type: 'employee_id' },
			{ who: email(5), type: 'email' },
			{ who: email(6), type: 'email' },
		]);
		expect(out.error).toBeUndefined();
		expect(out.tasks.map((t) => t.body!.user_ids)).toEqual([[emp(5), emp(6)]]);
		expect(out.items.map((i) => [i.json.employee_id, i.json.employee_email, i.pairedItem])).toEqual(
			[
				[emp(5), email(5), [{ item: 0 }, { item: 1 }]],
				[emp(6), email(6), { item: 2 }],
			],
		);
	});

	test('unknown values are item errors that say so; the other values of the item still run (Continue On Fail)', async () => {
		const out = await run(
			'punchResult',
			{ employeeIdType: 'email' },
			[
				{ who: `${email(1)}, nobody@example.com` },
				{ who: email(2) },
				{ who: `${emp(3)}@mail.example.com` }, // an enterprise mailbox address
				{ who: 'emp_unauth_1@example.com' }, // outside the app's contact range
				{ who: 'not-an-email' },
			],
			true,
		);
		expect(out.error).toBeUndefined();
		expect(
			out.items
				.filter((i) => i.json.status === 'ok')
				.map((i) => [i.json.employee_email, i.pairedItem]),
		).toEqual([
			[email(1), { item: 0 }],
			[email(2), { item: 1 }],
		]);
		const errors = out.items.filter((i) => i.json.error !== undefined);
		expect(errors.map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 0 }, 'Feishu found no employee with the email "nobody@example.com" [item 0]'],
			[
				{ item: 2 },
				`Feishu found no employee with the email "${emp(3)}@mail.example.com" [item 2]`,
			],
			[{ item: 3 }, 'Feishu found no employee with the email "emp_unauth_1@example.com" [item 3]'],
			[{ item: 4 }, '"not-an-email" is not an email address [item 4]'],
		]);
		expect(errors[0].json.errorDescription).toMatch(/enterprise mailbox/);
		expect(errors[0].json.errorDescription).toMatch(/contact data range/);
		// the malformed value is not sent
		expect(out.lookups.flatMap((r) => r.body!.emails as string[])).not.toContain('not-an-email');
	});

	test('without Continue On Fail an unknown value stops the node before any attendance call', async () => {
		const out = await run('punchResult', { employeeIdType: 'mobile' }, [
			{ who: mobile(1) },
			{ who: '13999999999' },
		]);
		expect(out.error?.message).toBe(
			'Feishu found no employee with the mobile number "13999999999" [item 1]',
		);
		expect(out.tasks).toHaveLength(0);
		expect(emu.counters().requests[`POST /open-apis/attendance/v1${TASKS}`] ?? 0).toBe(0);
	});

	test('a mobile number split at spaces is an input error naming the problem, not a wrong lookup', async () => {
		const out = await run(
			'punchResult',
			{ employeeIdType: 'mobile' },
			[{ who: '138 0000 0001' }],
			true,
		);
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json.error).toMatch(/^"138" is not a mobile number .*without spaces/);
		expect(out.lookups).toHaveLength(0);
	});

	test('either reading of a value without a user (user_id missing or empty) is the same item error', async () => {
		emu.configure({ contactMissingUserId: 'empty' });
		const out = await run(
			'punchResult',
			{ employeeIdType: 'email' },
			[{ who: 'ghost@example.com' }],
			true,
		);
		expect(out.items.map((i) => i.json.error)).toEqual([
			'Feishu found no employee with the email "ghost@example.com" [item 0]',
		]);
	});
});

describe('scopes: a clear error, never empty results', () => {
	test('app without contact:user.id:readonly: the Feishu error with a hint naming the scopes, on every item', async () => {
		emu.configure({ contactScope: 'no-api-scope' });
		const soft = await run(
			'punchResult',
			{ employeeIdType: 'email' },
			[{ who: email(1) }, { who: email(2) }],
			true,
		);
		expect(soft.items.map((i) => i.json.error)).toEqual([
			'Feishu error 99991672: Access denied. One of the following scopes is required: [contact:user.id:readonly].',
			'Feishu error 99991672: Access denied. One of the following scopes is required: [contact:user.id:readonly].',
		]);
		expect(soft.items[0].json.errorDescription).toMatch(
			/contact:user\.id:readonly and contact:user\.employee_id:readonly/,
		);
		expect(soft.tasks).toHaveLength(0);
		const hard = await run('punchResult', { employeeIdType: 'email' }, [{ who: email(1) }]);
		expect(hard.error?.message).toMatch(/^Feishu error 99991672/);
	});

	test('app without the field scope (answered without user IDs): item errors naming the field scope', async () => {
		emu.configure({ contactScope: 'no-field-scope' });
		const out = await run('punchResult', { employeeIdType: 'email' }, [{ who: email(1) }], true);
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json.error).toBe(
			`Feishu found no employee with the email "${email(1)}" [item 0]`,
		);
		expect(out.items[0].json.errorDescription).toMatch(/contact:user\.employee_id:readonly/);
	});
});

test('Punch Flow → Get Many by mobile: records carry user_id and employee_mobile', async () => {
	emu.seedFlows([{ user_id: emp(9), check_time: shanghai('08:58:00') }]);
	const out = await run('punchFlow', { employeeIdType: 'mobile' }, [
		{ who: `+86 ${mobile(9)}`.replace(' ', '') },
	]);
	expect(out.error).toBeUndefined();
	expect(out.flows.map((f) => f.qs!.employee_type)).toEqual(['employee_id']);
	expect(out.items.map((i) => [i.json.user_id, i.json.employee_mobile, i.json.check_time])).toEqual(
		[[emp(9), `+86${mobile(9)}`, shanghai('08:58:00')]],
	);
});

describe('emulator: batch_get_id as strict as Feishu documents it', () => {
	async function token(): Promise<string> {
		const res = await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ app_id: 'cli_emulator', app_secret: 'emulator-secret' }),
		});
		return ((await res.json()) as { tenant_access_token: string }).tenant_access_token;
	}
	async function lookup(body: unknown, qs = 'user_id_type=user_id', auth?: string) {
		const res = await fetch(`${emu.url}${CONTACT}?${qs}`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: `Bearer ${auth ?? (await token())}`,
			},
			body: JSON.stringify(body),
		});
		return { status: res.status, headers: res.headers, json: (await res.json()) as IDataObject };
	}

	test('one entry per email then per mobile, echoing the value; open_id by default; resigned only on request', async () => {
		const byUserId = await lookup({ emails: [email(2), 'x@example.com'], mobiles: [mobile(3)] });
		expect(byUserId.json).toEqual({
			code: 0,
			msg: 'success',
			data: {
				user_list: [
					expect.objectContaining({ email: email(2), user_id: emp(2) }),
					{ email: 'x@example.com' },
					expect.objectContaining({ mobile: mobile(3), user_id: emp(3) }),
				],
			},
		});
		const byOpenId = await lookup({ emails: [email(2)] }, '');
		expect((byOpenId.json.data as IDataObject).user_list).toEqual([
			expect.objectContaining({ user_id: 'ou_0002' }),
		]);
		const left = await lookup({ emails: ['emp_left_1@example.com'] });
		expect((left.json.data as IDataObject).user_list).toEqual([
			{ email: 'emp_left_1@example.com' },
		]);
		const leftIncluded = await lookup({
			emails: ['emp_left_1@example.com'],
			include_resigned: true,
		});
		expect((leftIncluded.json.data as IDataObject).user_list).toEqual([
			expect.objectContaining({
				user_id: 'emp_left_1',
				status: expect.objectContaining({ is_resigned: true }),
			}),
		]);
	});

	test('limits and validation: > 50 emails or mobiles, bad user_id_type, no token', async () => {
		// Feishu's own answer to requests outside its definitions (test/emulator/definitions.ts)
		skipDefinitionsForThisTest();
		const many = Array.from({ length: 51 }, (_, i) => email(i + 1));
		expect((await lookup({ emails: many })).json).toMatchObject({
			code: 99992402,
			msg: expect.stringMatching(/emails exceeds the limit of 50/),
		});
		expect((await lookup({ mobiles: many.map((_, i) => mobile(i + 1)) })).status).toBe(400);
		expect(
			(
				await lookup({
					emails: many.slice(0, 50),
					mobiles: many.slice(0, 50).map((_, i) => mobile(i + 1)),
				})
			).json.code,
		).toBe(0);
		expect((await lookup({ emails: [email(1)] }, 'user_id_type=employee_id')).json.code).toBe(
			99992402,
		);
		expect((await lookup({ emails: [1] })).json.code).toBe(99992402);
		expect(
			(await lookup({ emails: [email(1)] }, 'user_id_type=user_id', 'bad-token')).json.code,
		).toBe(99991663);
	});

	test('its own limit per minute: beyond it 429 with x-ogw-ratelimit-reset', async () => {
		emu.configure({ contactRateLimitPerMinute: 2 });
		const t = await token();
		expect((await lookup({ emails: [email(1)] }, undefined, t)).status).toBe(200);
		expect((await lookup({ emails: [email(1)] }, undefined, t)).status).toBe(200);
		const third = await lookup({ emails: [email(1)] }, undefined, t);
		expect(third.status).toBe(429);
		expect(third.json.code).toBe(99991400);
		expect(Number(third.headers.get('x-ogw-ratelimit-reset'))).toBeGreaterThan(50);
		expect(Number(third.headers.get('x-ogw-ratelimit-reset'))).toBeLessThanOrEqual(60);
	});
});

// ------------------------------------------------------------------ writes and per-employee operations

const BATCH_CREATE = '/user_flows/batch_create';
const PUNCH_AT = '2025-01-07 09:00:00'; // Asia/Shanghai (the run's zone)

async function runWrite(parameters: INodeParameters, items: IDataObject[], continueOnFail = false) {
	sent.length = 0;
	const result = await runNode({
		emulatorUrl: emu.url,
		parameters,
		items,
		continueOnFail,
		timezone: 'Asia/Shanghai',
	});
	return {
		...result,
		lookups: sent.filter((r) => r.path === CONTACT),
		writes: sent.filter((r) => r.path !== CONTACT),
	};
}

describe('Punch Flow → Import by Email / Mobile', () => {
	const importBy = (extra: INodeParameters = {}): INodeParameters => ({
		resource: 'punchFlow',
		operation: 'import',
		employeeId: '={{ $json.who }}',
		checkTime: '={{ $json.at }}',
		...extra,
	});
	const punch = (who: string, minute = 0) => ({
		who,
		at: `2025-01-07 09:${String(minute).padStart(2, '0')}:00`,
	});

	test('120 distinct emails: 3 lookups of 50/50/20, batches sent by employee_id, items carry the email and the user ID', async () => {
		const items = Array.from({ length: 120 }, (_, i) => punch(email(i + 1)));
		const out = await runWrite(importBy({ employeeIdType: 'email' }), items);
		expect(out.error).toBeUndefined();
		expect(out.lookups.map((r) => (r.body!.emails as string[]).length)).toEqual([50, 50, 20]);
		const batches = out.writes.filter((r) => r.path === BATCH_CREATE);
		expect(
			batches.map((b) => [b.qs!.employee_type, (b.body!.flow_records as IDataObject[]).length]),
		).toEqual([
			['employee_id', 50],
			['employee_id', 50],
			['employee_id', 20],
		]);
		expect(out.items).toHaveLength(120);
		expect(out.items[6].json).toMatchObject({
			status: 'imported',
			user_id: emp(7),
			employee_email: email(7),
		});
		expect(out.items[6].pairedItem).toEqual({ item: 6 });
		expect(
			emu
				.flows()
				.map((f) => f.user_id)
				.sort(),
		).toEqual(Array.from({ length: 120 }, (_, i) => emp(i + 1)).sort());
	});

	test('by mobile, and Map Columns by Name by email: the same records, each value asked once', async () => {
		const byMobile = await runWrite(importBy({ employeeIdType: 'mobile' }), [
			punch(mobile(3)),
			punch(`+86${mobile(3)}`, 5),
			punch(mobile(4)),
		]);
		expect(byMobile.error).toBeUndefined();
		expect(byMobile.lookups.map((r) => r.body!.mobiles)).toEqual([[mobile(3), mobile(4)]]);
		expect(
			byMobile.items.map((i) => [i.json.status, i.json.user_id, i.json.employee_mobile]),
		).toEqual([
			['imported', emp(3), mobile(3)],
			['imported', emp(3), `+86${mobile(3)}`],
			['imported', emp(4), mobile(4)],
		]);

		const sheet = await runWrite(
			{
				resource: 'punchFlow',
				operation: 'import',
				inputMode: 'columns',
				employeeIdType: 'email',
				employeeColumn: 'Work Email',
				checkTimeColumn: 'Time',
			},
			[
				{ 'Work Email': email(9), Time: PUNCH_AT },
				{ 'Work Email': email(10).toUpperCase(), Time: PUNCH_AT },
			],
		);
		expect(sheet.error).toBeUndefined();
		expect(sheet.lookups).toHaveLength(1);
		expect(sheet.items.map((i) => [i.json.status, i.json.user_id, i.json.employee_email])).toEqual([
			['imported', emp(9), email(9)],
			['imported', emp(10), email(10).toUpperCase()],
		]);
	});

	test('an unknown email fails only its item (Continue On Fail); without it the node stops naming the item', async () => {
		const items = [punch(email(1)), punch('nobody@example.com'), punch(email(2))];
		const soft = await runWrite(importBy({ employeeIdType: 'email' }), items, true);
		expect(soft.error).toBeUndefined();
		expect(soft.items.map((i) => [i.json.status, i.json.user_id, i.pairedItem])).toEqual([
			['imported', emp(1), { item: 0 }],
			['failed', undefined, { item: 1 }],
			['imported', emp(2), { item: 2 }],
		]);
		expect(soft.items[1].json).toMatchObject({
			error: 'Feishu found no employee with the email "nobody@example.com" [item 1]',
			employee_email: 'nobody@example.com',
		});
		expect(emu.flows()).toHaveLength(2);

		emu.reset();
		const hard = await runWrite(importBy({ employeeIdType: 'email' }), items);
		expect(hard.error?.message).toBe(
			'Feishu found no employee with the email "nobody@example.com" [item 1]',
		);
		expect(hard.writes.filter((r) => r.path === BATCH_CREATE)).toHaveLength(0);
	});

	test('JSON mode by email; the same punch by user ID and by email in one run is sent once', async () => {
		const out = await runWrite(
			{
				resource: 'punchFlow',
				operation: 'import',
				inputMode: 'json',
				employeeIdType: '={{ $json.type }}',
			},
			[
				{ user_id: emp(11), check_time: PUNCH_AT, type: 'employee_id' },
				{ user_id: email(11), check_time: PUNCH_AT, type: 'email' },
				{ user_id: email(12), creator_id: email(13), check_time: PUNCH_AT, type: 'email' },
			],
		);
		expect(out.error).toBeUndefined();
		expect(out.items.map((i) => [i.json.status, i.json.user_id, i.json.duplicate_of_item])).toEqual(
			[
				['imported', emp(11), undefined],
				['duplicate', emp(11), 0],
				['imported', emp(12), undefined],
			],
		);
		expect(out.items[2].json).toMatchObject({
			employee_email: email(12),
			creator_email: email(13),
		});
		expect(emu.flows().map((f) => [f.user_id, f.creator_id])).toEqual([
			[emp(11), emp(11)],
			[emp(12), emp(13)],
		]);
	});

	test('a re-run by email after a run by user ID stores nothing twice: the key comes from the resolved user ID', async () => {
		const first = await runWrite(importBy({ employeeIdType: 'employee_id' }), [
			punch(emp(1)),
			punch(emp(2), 1),
		]);
		expect(first.items.map((i) => i.json.status)).toEqual(['imported', 'imported']);
		const again = await runWrite(importBy({ employeeIdType: 'email' }), [
			punch(email(1)),
			punch(email(2), 1),
			punch(email(3), 2),
		]);
		expect(again.error).toBeUndefined();
		expect(again.items.map((i) => i.json.status)).toEqual(['duplicate', 'duplicate', 'imported']);
		expect(again.items.map((i) => i.json.idempotency_key).slice(0, 2)).toEqual(
			first.items.map((i) => i.json.idempotency_key),
		);
		expect(emu.flows()).toHaveLength(3);
	});
});

describe('Approval → Create by Email / Mobile', () => {
	const leave = (extra: INodeParameters = {}): INodeParameters => ({
		resource: 'approval',
		operation: 'create',
		approvalType: 'leave',
		typeName: 'Annual Leave',
		employeeId: '={{ $json.who }}',
		start: '2025-01-07 09:00',
		end: '2025-01-07 18:00',
		reason: 'Family',
		...extra,
	});
	const creates = (out: { writes: FeishuRequest[] }) =>
		out.writes.filter((r) => r.path === '/user_approvals');

	test('61 items, 60 distinct emails: 2 lookups, every record sent by employee_id, items carry the email and the user ID', async () => {
		const items = [
			...Array.from({ length: 60 }, (_, i) => ({ who: email(i + 1) })),
			{ who: email(1).toUpperCase() },
		];
		const out = await runWrite(leave({ employeeIdType: 'email' }), items);
		expect(out.error).toBeUndefined();
		expect(out.lookups.map((r) => (r.body!.emails as string[]).length)).toEqual([50, 10]);
		expect(new Set(creates(out).map((r) => r.qs!.employee_type))).toEqual(new Set(['employee_id']));
		expect(out.items[4].json).toMatchObject({
			status: 'created',
			employee_id: emp(5),
			employee_email: email(5),
			employee_id_type: 'employee_id',
		});
		expect(Object.keys(out.items[4].json).slice(0, 5)).toEqual([
			'outcome',
			'status',
			'type',
			'employee_id',
			'employee_email',
		]);
		// the same person by email in another case is the same record (Feishu echoes it: emulator default 'echo')
		expect(out.items[60].json).toMatchObject({
			employee_id: emp(1),
			approval_id: out.items[0].json.approval_id,
		});
		expect(emu.approvals()).toHaveLength(60);
	});

	test.each(['echo', 'reject-call'] as const)(
		'by mobile; a re-run by email after a run by user ID stores nothing twice (repeated key answered: %s)',
		async (mode) => {
			emu.configure({ approvalDuplicateMode: mode });
			const byMobile = await runWrite(leave({ employeeIdType: 'mobile' }), [{ who: mobile(8) }]);
			expect(byMobile.items[0].json).toMatchObject({
				status: 'created',
				employee_id: emp(8),
				employee_mobile: mobile(8),
			});

			const byId = await runWrite(leave({ employeeIdType: 'employee_id' }), [{ who: emp(9) }]);
			const byEmail = await runWrite(leave({ employeeIdType: 'email' }), [{ who: email(9) }]);
			expect(byId.items[0].json.status).toBe('created');
			expect(byEmail.items[0].json).toMatchObject({
				status: mode === 'echo' ? 'created' : 'duplicate',
				employee_id: emp(9),
				employee_email: email(9),
				idempotency_key: byId.items[0].json.idempotency_key,
			});
			expect(emu.approvals()).toHaveLength(2);
		},
	);

	test('an unknown email fails only its item (Continue On Fail); without it the node stops naming the item, nothing sent', async () => {
		const items = [{ who: email(1) }, { who: 'nobody@example.com' }, { who: email(2) }];
		const soft = await runWrite(leave({ employeeIdType: 'email' }), items, true);
		expect(soft.error).toBeUndefined();
		expect(soft.items.map((i) => [i.json.status, i.json.employee_id, i.pairedItem])).toEqual([
			['created', emp(1), { item: 0 }],
			['failed', undefined, { item: 1 }],
			['created', emp(2), { item: 2 }],
		]);
		expect(soft.items[1].json).toMatchObject({
			error: 'Feishu found no employee with the email "nobody@example.com" [item 1]',
			employee_email: 'nobody@example.com',
		});

		emu.reset();
		const hard = await runWrite(leave({ employeeIdType: 'email' }), items);
		expect(hard.error?.message).toBe(
			'Feishu found no employee with the email "nobody@example.com" [item 1]',
		);
		expect(creates(hard)).toHaveLength(0);
	});
});

describe('Remedy → Create and Get Allowed by Email / Mobile', () => {
	const REMEDY = '/user_task_remedys';
	const checkOut = (who: string) => ({
		who,
		day: DAY,
		punch: 'First Shift Check-Out',
		time: `${DAY} 18:02`,
	});
	const remedyBy = (employeeIdType: string): INodeParameters => ({
		resource: 'remedy',
		operation: 'create',
		employeeIdType,
		employeeId: '={{ $json.who }}',
		day: '={{ $json.day }}',
		punch: '={{ $json.punch }}',
		remedyTime: '={{ $json.time }}',
		reason: 'Forgot to punch',
	});
	const seedCheckIns = (n: number) =>
		emu.seedFlows(
			Array.from({ length: n }, (_, i) => ({
				user_id: emp(i + 1),
				check_time: shanghai('08:50:00'),
			})),
		);

	test('61 items, 60 distinct emails: 2 lookups, remedies by employee_id, items carry the email; the repeat is sent once', async () => {
		seedCheckIns(60);
		const items = [
			...Array.from({ length: 60 }, (_, i) => checkOut(email(i + 1))),
			checkOut(email(2)),
		];
		const out = await runWrite(remedyBy('email'), items);
		expect(out.error).toBeUndefined();
		expect(out.lookups.map((r) => (r.body!.emails as string[]).length)).toEqual([50, 10]);
		const creates = out.writes.filter((r) => r.path === REMEDY);
		expect(creates).toHaveLength(60);
		expect(new Set(creates.map((r) => r.qs!.employee_type))).toEqual(new Set(['employee_id']));
		expect(out.items[1].json).toMatchObject({
			status: 'created',
			employee_id: emp(2),
			employee_email: email(2),
			remedy_status: 'Pending',
		});
		expect(out.items[60].json).toMatchObject({
			status: 'duplicate',
			employee_id: emp(2),
			employee_email: email(2),
			duplicate_of_item: 1,
		});
	});

	test('by mobile; a re-run by email after a run by user ID sends nothing (the held remedy is found by user ID)', async () => {
		seedCheckIns(5);
		const byMobile = await runWrite(remedyBy('mobile'), [checkOut(mobile(4))]);
		expect(byMobile.items[0].json).toMatchObject({
			status: 'created',
			employee_id: emp(4),
			employee_mobile: mobile(4),
		});

		const byId = await runWrite(remedyBy('employee_id'), [checkOut(emp(5))]);
		expect(byId.items[0].json.status).toBe('created');
		const byEmail = await runWrite(remedyBy('email'), [checkOut(email(5))]);
		expect(byEmail.items[0].json).toMatchObject({
			status: 'duplicate',
			employee_id: emp(5),
			employee_email: email(5),
		});
		expect(byEmail.writes.filter((r) => r.path === REMEDY)).toHaveLength(0);
	});

	test('an unknown email fails only its item (Continue On Fail); without it the node stops naming the item, nothing sent', async () => {
		seedCheckIns(2);
		const items = [checkOut(email(1)), checkOut('nobody@example.com'), checkOut(email(2))];
		const soft = await runWrite(remedyBy('email'), items, true);
		expect(soft.error).toBeUndefined();
		expect(soft.items.map((i) => [i.json.status, i.json.employee_id, i.pairedItem])).toEqual([
			['created', emp(1), { item: 0 }],
			['failed', undefined, { item: 1 }],
			['created', emp(2), { item: 2 }],
		]);
		expect(soft.items[1].json).toMatchObject({
			error: 'Feishu found no employee with the email "nobody@example.com" [item 1]',
			employee_email: 'nobody@example.com',
		});

		emu.reset();
		const hard = await runWrite(remedyBy('email'), items);
		expect(hard.error?.message).toBe(
			'Feishu found no employee with the email "nobody@example.com" [item 1]',
		);
		expect(hard.writes.filter((r) => r.path === REMEDY)).toHaveLength(0);
	});

	test('Get Allowed by email and by mobile: asked by employee_id, rows carry what the item gave; unknown: its item fails', async () => {
		seedCheckIns(3);
		const params = (employeeIdType: string): INodeParameters => ({
			resource: 'remedy',
			operation: 'getAllowed',
			employeeIdType,
			employeeIds: '={{ $json.who }}',
			day: DAY,
		});
		const byEmail = await runWrite(
			params('email'),
			[{ who: email(1) }, { who: 'nobody@example.com' }],
			true,
		);
		expect(byEmail.lookups).toHaveLength(1);
		expect(byEmail.writes.every((r) => r.qs!.employee_type === 'employee_id')).toBe(true);
		expect(
			byEmail.items
				.filter((i) => i.json.status === 'allowed')
				.map((i) => [i.json.employee_id, i.json.employee_email, i.pairedItem]),
		).toEqual([[emp(1), email(1), { item: 0 }]]);
		expect(byEmail.items.find((i) => i.json.error !== undefined)?.json.error).toBe(
			'Feishu found no employee with the email "nobody@example.com" [item 1]',
		);

		const byMobile = await runWrite(params('mobile'), [{ who: mobile(2) }]);
		expect(byMobile.error).toBeUndefined();
		expect(byMobile.items[0].json).toMatchObject({
			status: 'allowed',
			employee_id: emp(2),
			employee_mobile: mobile(2),
		});
	});
});

describe('Schedule → Create or Update by Email / Mobile', () => {
	const SCHEDULES = '/user_daily_shifts/batch_create';
	const RETAIL = '6921319402260496390'; // employees 1..200 except every 40th (test/emulator/handlers/rules.ts)
	const rest = (employeeIdType: string, operatorId = ''): INodeParameters => ({
		resource: 'schedule',
		operation: 'createOrUpdate',
		employeeIdType,
		employeeId: '={{ $json.who }}',
		date: '={{ $json.date }}',
		group: { __rl: true, mode: 'id', value: RETAIL },
		dayType: 'rest',
		operatorId,
	});
	const retail = Array.from({ length: 61 }, (_, i) => i + 1).filter((n) => n !== 40); // 60 employees

	test('60 distinct emails and the operator by email: lookups of 1, 50 and 9 (the operator asked once), entries by employee_id', async () => {
		emu.configure({ scheduleOperatorRequired: true });
		const items = [
			...retail.map((n) => ({ who: email(n), date: DAY })),
			{ who: email(2), date: '2025-01-08' },
		];
		const out = await runWrite(rest('email', email(1)), items);
		expect(out.error).toBeUndefined();
		expect(out.lookups.map((r) => (r.body!.emails as string[]).length)).toEqual([1, 50, 9]);
		const batches = out.writes.filter((r) => r.path === SCHEDULES);
		expect(batches.map((b) => [b.qs!.employee_type, b.body!.operator_id])).toEqual([
			['employee_id', emp(1)],
			['employee_id', emp(1)],
		]);
		expect(out.items.map((i) => i.json.status)).toEqual(Array(61).fill('scheduled'));
		expect(out.items[1].json).toMatchObject({
			employee_id: emp(2),
			employee_email: email(2),
			employee_id_type: 'employee_id',
			date: DAY,
		});
		expect(Object.keys(out.items[1].json).slice(0, 4)).toEqual([
			'outcome',
			'status',
			'employee_id',
			'employee_email',
		]);
		expect(out.items[60].json).toMatchObject({ employee_id: emp(2), date: '2025-01-08' });
	});

	test('by mobile; an unknown email fails only its item (Continue On Fail) or stops the node naming it; an unknown operator stops the node, or with Continue On Fail fails every item', async () => {
		emu.configure({ scheduleOperatorRequired: false });
		const byMobile = await runWrite(rest('mobile'), [{ who: mobile(3), date: DAY }]);
		expect(byMobile.error).toBeUndefined();
		expect(byMobile.items[0].json).toMatchObject({
			status: 'scheduled',
			employee_id: emp(3),
			employee_mobile: mobile(3),
		});

		const items = [
			{ who: email(1), date: DAY },
			{ who: 'nobody@example.com', date: DAY },
			{ who: email(2), date: DAY },
		];
		const soft = await runWrite(rest('email'), items, true);
		expect(soft.items.map((i) => [i.json.status, i.json.employee_id, i.pairedItem])).toEqual([
			['scheduled', emp(1), { item: 0 }],
			['failed', undefined, { item: 1 }],
			['scheduled', emp(2), { item: 2 }],
		]);
		expect(soft.items[1].json).toMatchObject({
			error: 'Feishu found no employee with the email "nobody@example.com" [item 1]',
			employee_email: 'nobody@example.com',
		});

		const hard = await runWrite(rest('email'), items);
		expect(hard.error?.message).toBe(
			'Feishu found no employee with the email "nobody@example.com" [item 1]',
		);
		expect(hard.writes.filter((r) => r.path === SCHEDULES)).toHaveLength(0);

		const operator = await runWrite(rest('email', 'boss@example.com'), items.slice(0, 1));
		expect(operator.error?.message).toBe(
			'Operator ID: Feishu found no employee with the email "boss@example.com"',
		);
		expect(operator.writes.filter((r) => r.path === SCHEDULES)).toHaveLength(0);
		// Continue On Fail (execute() of the node): the run-wide error on every item, paired; nothing written.
		// (n8n itself would pass the input items on unchanged, as if they had been scheduled.)
		const soft2 = await runWrite(rest('email', 'boss@example.com'), items.slice(0, 2), true);
		expect(soft2.error).toBeUndefined();
		expect(soft2.items.map((i) => [i.json.error, i.pairedItem])).toEqual([
			['Operator ID: Feishu found no employee with the email "boss@example.com"', { item: 0 }],
			['Operator ID: Feishu found no employee with the email "boss@example.com"', { item: 1 }],
		]);
		expect(soft2.writes.filter((r) => r.path === SCHEDULES)).toHaveLength(0);
	});
});
