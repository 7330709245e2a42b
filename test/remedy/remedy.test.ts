/**
 * Remedy → Create, Get Many, Get Allowed through n8n's engine against the emulator: pending remedies written once
 * (re-runs and repeated items report `duplicate`, look-ups batched per 50 employees × window × status), Feishu's
 * refusals per item, the punch result a remedy changes, Continue On Fail.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';
import { day, emp, recordClientRequests } from '../helpers';
import { skipDefinitionsForThisTest } from '../emulator/definitions';

const ZONE = 'Asia/Shanghai';
const TODAY = '2025-01-17'; // a Friday; day(0) = 2025-01-06 is the Monday of the week before
const QUERY = '/user_task_remedys/query';
const CREATE = '/user_task_remedys';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 1000, today: TODAY });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());
const sent = recordClientRequests();

const shanghai = (isoDate: string, time: string) =>
	String(Date.parse(`${isoDate}T${time}+08:00`) / 1000);

async function remedy(
	operation: string,
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	sent.length = 0;
	return await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'remedy',
			operation,
			...parameters,
			options: { timezone: ZONE, ...((parameters.options as IDataObject) ?? {}) },
		},
		items,
		continueOnFail,
	});
}

const create = (items: IDataObject[], continueOnFail = false, extra: INodeParameters = {}) =>
	remedy(
		'create',
		{
			employeeId: '={{ $json.emp }}',
			day: '={{ $json.day }}',
			punch: '={{ $json.punch ?? "firstCheckIn" }}',
			remedyTime: '={{ $json.time }}',
			reason: '={{ $json.reason ?? "Forgot to punch" }}',
			...extra,
		},
		items,
		continueOnFail,
	);

async function punchResult(employee: string, isoDate: string): Promise<IDataObject> {
	const { items, error } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'punchResult',
			operation: 'getMany',
			employeeIds: employee,
			from: isoDate,
			to: isoDate,
			returnAll: true,
			options: { timezone: ZONE },
		},
		items: [{}],
	});
	expect(error).toBeUndefined();
	return items[0].json;
}

async function setStatus(approvalId: string, newStatus: string) {
	const { items, error } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'approval',
			operation: 'updateStatus',
			approvalKind: 'remedy',
			approvalId,
			newStatus,
		},
		items: [{}],
	});
	expect(error).toBeUndefined();
	return items[0].json;
}

const remediesStored = async () =>
	(await (await fetch(`${emu.url}/__admin/remedies`)).json()) as IDataObject[];

test('Get Allowed: the abnormal punches of a day with their ranges; nothing on a normal day or a weekend', async () => {
	emu.seedFlows([
		{ user_id: emp(1), check_time: shanghai(day(0), '09:10:00') },
		{ user_id: emp(2), check_time: shanghai(day(0), '08:55:00') },
		{ user_id: emp(2), check_time: shanghai(day(0), '18:05:00') },
	]);
	const { items, error } = await remedy(
		'getAllowed',
		{ employeeIds: '={{ $json.emp }}', day: '={{ $json.day }}' },
		[
			{ emp: emp(1), day: day(0) },
			{ emp: emp(2), day: day(0) },
			{ emp: emp(1), day: day(5) }, // Saturday
			{ emp: emp(1), day: day(0) }, // asked once, paired twice
		],
	);
	expect(error).toBeUndefined();
	expect(sent.filter((r) => r.path.endsWith('query_user_allowed_remedys'))).toHaveLength(3);
	const rows: IDataObject[] = items.map((i) => ({
		...i.json,
		paired: i.pairedItem as unknown as IDataObject,
	}));
	expect(rows.filter((r) => r.employee_id === emp(1) && r.status === 'allowed')).toEqual([
		expect.objectContaining({
			punch: 'First Shift Check-In',
			punch_status: 'Late',
			normal_punch_time: `${day(0)} 09:00`,
			normal_punch_time_iso: `${day(0)}T09:00:00+08:00`,
			remedy_start_time: `${day(0)} 00:00`,
			remedy_end_time: `${day(0)} 13:30`,
			paired: [{ item: 0 }, { item: 3 }],
		}),
		expect.objectContaining({
			punch: 'First Shift Check-Out',
			punch_status: 'Lack',
			remedy_end_time: `${day(0)} 23:59`,
		}),
	]);
	expect(rows.find((r) => r.employee_id === emp(2))).toMatchObject({
		status: 'nothing to remedy',
		date_iso: day(0),
		paired: { item: 1 },
	});
	expect(rows.find((r) => r.date_iso === day(5))).toMatchObject({
		status: 'nothing to remedy',
		paired: { item: 2 },
	});
});

test('Create writes a pending remedy; approving it turns the missing check-out into a remedied punch', async () => {
	emu.seedFlows([{ user_id: emp(3), check_time: shanghai(day(1), '08:50:00') }]);
	expect(await punchResult(emp(3), day(1))).toMatchObject({
		check_out_result: 'Lack',
		check_out_result_supplement: 'None',
	});

	const { items, error } = await create([
		{ emp: emp(3), day: day(1), punch: 'First Shift Check-Out', time: `${day(1)} 18:02:41` },
	]);
	expect(error).toBeUndefined();
	expect(items).toHaveLength(1);
	const created = items[0].json;
	expect(created).toMatchObject({
		status: 'created',
		employee_id: emp(3),
		remedy_date: Number(day(1).replace(/-/g, '')),
		punch: 'First Shift Check-Out',
		punch_no: 0,
		work_type: 2,
		remedy_time: `${day(1)} 18:02`, // Feishu keeps minutes only
		remedy_time_iso: `${day(1)}T18:02:00+08:00`,
		remedy_status: 'Pending',
		approval_id: expect.any(String),
	});
	expect(String(created.note)).toContain('Approval → Update Status');
	const body = sent.find((r) => r.path === CREATE)!.body!;
	expect(body).toEqual({
		user_id: emp(3),
		remedy_date: Number(day(1).replace(/-/g, '')),
		punch_no: 0,
		work_type: 2,
		remedy_time: `${day(1)} 18:02`,
		reason: 'Forgot to punch',
	});
	// pending: the punch is still missing, the result says a remedy was applied for
	expect(await punchResult(emp(3), day(1))).toMatchObject({
		check_out_result: 'Lack',
		check_out_result_supplement: 'CardReplacementApplication',
	});

	expect(await setStatus(String(created.approval_id), 'approve')).toMatchObject({
		status: 'approved',
		approval_status: 'Approved',
	});
	expect(await punchResult(emp(3), day(1))).toMatchObject({
		check_in_result: 'Normal',
		check_out_result: 'Normal',
		check_out_result_supplement: 'CardReplacement',
		check_out_time_iso: `${day(1)}T18:02:00+08:00`,
		check_out_record_id: created.approval_id,
	});

	// revoking the approved remedy takes the punch back
	expect(await setStatus(String(created.approval_id), 'revoke')).toMatchObject({
		status: 'revoked',
		approval_status: 'Revoked',
	});
	expect(await punchResult(emp(3), day(1))).toMatchObject({
		check_out_result: 'Lack',
		check_out_result_supplement: 'None',
	});
});

test('a rejected remedy leaves the punch as it was; a late check-in remedied becomes Normal', async () => {
	emu.seedFlows([
		{ user_id: emp(4), check_time: shanghai(day(2), '09:20:00') },
		{ user_id: emp(4), check_time: shanghai(day(2), '18:10:00') },
	]);
	const { items } = await create([{ emp: emp(4), day: day(2), time: `${day(2)} 08:58` }]);
	expect(await setStatus(String(items[0].json.approval_id), 'reject')).toMatchObject({
		status: 'rejected',
	});
	expect(await punchResult(emp(4), day(2))).toMatchObject({
		check_in_result: 'Late',
		check_in_result_supplement: 'None',
	});

	// after a rejection only "Send Again After Rejection" sends a new one
	const again = await create([{ emp: emp(4), day: day(2), time: `${day(2)} 08:59` }]);
	expect(again.items[0].json).toMatchObject({ status: 'duplicate', remedy_status: 'Rejected' });
	const resent = await create([{ emp: emp(4), day: day(2), time: `${day(2)} 08:59` }], false, {
		options: { resendClosed: true },
	});
	expect(resent.items[0].json).toMatchObject({ status: 'created' });
	await setStatus(String(resent.items[0].json.approval_id), 'approve');
	expect(await punchResult(emp(4), day(2))).toMatchObject({
		check_in_result: 'Normal',
		check_in_result_supplement: 'CardReplacement',
		check_out_result: 'Normal',
		check_out_time_iso: `${day(2)}T18:10:00+08:00`,
	});
});

test('re-run: 60 remedies written once; look-ups batched per 50 employees × window × status', async () => {
	const items = Array.from({ length: 60 }, (_, i) => ({
		emp: emp(i + 10),
		day: day(i % 2 === 0 ? 0 : 3),
		time: `${day(i % 2 === 0 ? 0 : 3)}T09:00:00+08:00`,
	}));
	items.push({ ...items[5] }); // the same remedy twice in one run

	const first = await create(items);
	expect(first.error).toBeUndefined();
	expect(first.items.map((i) => i.json.status)).toEqual([
		...Array(60).fill('created'),
		'duplicate',
	]);
	expect(first.items[60].json).toMatchObject({ duplicate_of_item: 5 });
	const lookups = sent.filter((r) => r.path === QUERY);
	// 2 batches (50 + 10) × 1 window × 5 statuses
	expect(lookups).toHaveLength(10);
	expect(new Set(lookups.map((r) => r.body!.status))).toEqual(new Set([0, 1, 2, 3, 4]));
	expect(lookups.map((r) => (r.body!.user_ids as string[]).length).sort((a, b) => a - b)).toEqual([
		10, 10, 10, 10, 10, 50, 50, 50, 50, 50,
	]);
	expect(sent.filter((r) => r.path === CREATE)).toHaveLength(60);
	expect(await remediesStored()).toHaveLength(60);

	const second = await create(items);
	expect(second.error).toBeUndefined();
	expect(second.items.map((i) => i.json.status)).toEqual(Array(61).fill('duplicate'));
	expect(second.items[0].json).toMatchObject({
		remedy_status: 'Pending',
		approval_id: first.items[0].json.approval_id,
	});
	expect(second.items[0].pairedItem).toEqual({ item: 0 });
	expect(sent.filter((r) => r.path === CREATE)).toHaveLength(0);
	expect(await remediesStored()).toHaveLength(60);
});

test("Feishu's refusals are items with its reason; the other items are written", async () => {
	const monthQuota = Array.from({ length: 5 }, (_, i) => ({
		emp: emp(40),
		day: day(7 + i),
		time: `${day(7 + i)} 09:00`,
	}));
	await create(monthQuota); // five pending remedies in January: the quota of the month
	const { items, error } = await create([
		{ emp: emp(30), day: day(5), time: `${day(5)} 09:00` }, // Saturday: nothing to correct
		{ emp: emp(31), day: day(0), time: `${day(0)} 15:00` }, // check-in after the allowed range
		{ emp: emp(32), day: '2024-12-02', time: '2024-12-02 09:00' }, // more than 30 days ago
		{ emp: emp(40), day: day(4), time: `${day(4)} 09:00` }, // sixth of the month
		{ emp: 'emp0999', day: day(0), time: `${day(0)} 09:00` }, // group without remedies
		{ emp: emp(33), day: day(0), time: `${day(0)} 09:00` }, // fine
	]);
	expect(error).toBeUndefined();
	expect(
		items.map((i) => [i.json.outcome, i.json.status, i.json.errorReason, i.json.errorDetails]),
	).toEqual([
		['not done', 'failed', 'refused', 'Feishu answered code 1226501'],
		['not done', 'failed', 'refused', 'Feishu answered code 1220001'],
		['not done', 'failed', 'refused', 'Feishu answered code 1226503'],
		['not done', 'failed', 'refused', 'Feishu answered code 1226504'],
		['not done', 'failed', 'refused', 'Feishu answered code 1226502'],
		['done', 'created', undefined, undefined],
	]);
	expect(String(items[4].json.error)).toMatch(/\[item 4\]$/);
	expect(String(items[0].json.error)).toContain('no abnormal attendance');
	expect(String(items[0].json.errorDescription)).toContain('Remedy → Get Allowed');
	expect(String(items[1].json.error)).toContain('between');
	expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
});

test('a repeated item gets the outcome of the first: failed when Feishu refused the first, duplicate when written', async () => {
	const saturday = { emp: emp(34), day: day(5), time: `${day(5)} 09:00` }; // nothing to correct: refused
	const fine = { emp: emp(35), day: day(0), time: `${day(0)} 09:00` };
	const { items, error } = await create([saturday, fine, saturday, fine]);
	expect(error).toBeUndefined();
	expect(items.map((i) => [i.json.status, i.json.duplicate_of_item])).toEqual([
		['failed', undefined],
		['created', undefined],
		['failed', 0],
		['duplicate', 1],
	]);
	expect(String(items[2].json.error)).toMatch(
		/^Same remedy as item 0, which was not written: .*no abnormal attendance/,
	);
	expect(items[2].json).toMatchObject({
		outcome: 'not done',
		errorReason: 'same_as_failed_item',
		errorDetails: 'Feishu answered code 1226501',
	});
	expect(items[3].json.outcome).toBe('already done');
	expect(items[3].json.approval_id).toBe(items[1].json.approval_id);
	expect(sent.filter((r) => r.path === CREATE)).toHaveLength(2);
});

test.each(['dropAfter', 'http500After'] as const)(
	'an answer lost after Feishu stored the remedy (%s): not resent, the look-up finds it, reported done; a re-run already done',
	async (kind) => {
		const asked = [{ emp: emp(36), day: day(0), time: `${day(0)} 09:00` }];
		emu.injectFault({ endpoint: `${CREATE}$`, kind, times: 1 });
		const { items, error } = await create(asked);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			outcome: 'done',
			status: 'created',
			remedy_status: 'Pending',
		});
		expect(String(items[0].json.message)).toMatch(/answer was lost/);
		expect(sent.filter((r) => r.path === CREATE)).toHaveLength(1); // no idempotency key: never resent
		const stored = (await remediesStored()).filter((r) => r.user_id === emp(36));
		expect(stored).toHaveLength(1);
		expect(items[0].json.approval_id).toBe(stored[0].approval_id);
		const again = await create(asked);
		expect(again.items[0].json).toMatchObject({ outcome: 'already done', status: 'duplicate' });
	},
);

test('Continue On Fail: bad input and an unknown employee fail alone; without it the node stops', async () => {
	const input = [
		{ emp: emp(50), day: day(0), time: `${day(0)} 09:00` },
		{ emp: emp(51), day: day(0), time: 'yesterday-ish' },
		{ emp: 'emp_unknown', day: day(0), time: `${day(0)} 09:00` },
		{ emp: emp(52), day: day(0), time: `${day(0)} 09:00`, reason: '   ' },
		{ emp: emp(53), day: day(0), time: `${day(0)} 09:00` },
		{ emp: emp(54), day: day(0), time: `${day(3)} 09:00` },
	];
	const { items, error } = await create(input, true);
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json.status)).toEqual([
		'created',
		'failed',
		'failed',
		'failed',
		'created',
		'failed',
	]);
	expect(String(items[5].json.error)).toBe(
		`Remedied Time (${day(3)} 09:00) is not on Day ${day(0)} or the night after [item 5]`,
	);
	expect(String(items[1].json.error)).toMatch(/Remedied Time .*\[item 1\]/);
	expect(String(items[2].json.error)).toContain('1220004');
	expect(String(items[3].json.error)).toMatch(/Reason/);
	expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
	// the unknown ID's batch was split: the others were looked up and written
	expect((await remediesStored()).map((r) => r.user_id).sort()).toEqual([emp(50), emp(53)]);

	emu.reset();
	const stopped = await create(input.slice(0, 2));
	expect(stopped.error?.message).toMatch(/Remedied Time .*\[item 1\]/);
	expect(sent.filter((r) => r.path === CREATE)).toHaveLength(0);
});

test('Get Many: all statuses by default (one call per status), a single status, rows per employee', async () => {
	emu.seedFlows([{ user_id: emp(60), check_time: shanghai(day(0), '08:55:00') }]);
	const created = await create([
		{ emp: emp(60), day: day(0), punch: 'firstCheckOut', time: `${day(0)} 18:00` },
		{ emp: emp(61), day: day(1), time: `${day(1)} 09:00` },
		{ emp: emp(61), day: day(2), time: `${day(2)} 09:00` },
	]);
	await setStatus(String(created.items[1].json.approval_id), 'approve');

	const all = await remedy(
		'getMany',
		{ employeeIds: '={{ $json.emp }}', from: day(0), to: day(11), returnAll: true },
		[{ emp: emp(61) }, { emp: emp(60) }],
	);
	expect(all.error).toBeUndefined();
	expect(
		sent
			.filter((r) => r.path === QUERY)
			.map((r) => r.body!.status)
			.sort(),
	).toEqual([0, 1, 2, 3, 4]);
	expect(
		all.items.map((i) => [i.json.employee_id, i.json.date_iso, i.json.remedy_status, i.json.punch]),
	).toEqual([
		[emp(61), day(2), 'Pending', 'First Shift Check-In'],
		[emp(61), day(1), 'Approved', 'First Shift Check-In'],
		[emp(60), day(0), 'Pending', 'First Shift Check-Out'],
	]);
	expect(all.items[2].json).toMatchObject({
		remedy_time_iso: `${day(0)}T18:00:00+08:00`,
		approval_id: created.items[0].json.approval_id,
	});
	expect(all.items[0].pairedItem).toEqual({ item: 0 });

	const approved = await remedy('getMany', {
		employeeIds: emp(61),
		from: day(0),
		to: day(11),
		status: 'approved',
		returnAll: true,
	});
	expect(sent.filter((r) => r.path === QUERY).map((r) => r.body!.status)).toEqual([2]);
	expect(approved.items.map((i) => i.json.date_iso)).toEqual([day(1)]);
});

test("example 08's Feishu nodes: requests → pending remedies → approved → Normal/CardReplacement; a re-run writes nothing", async () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { PARAMS } = require('../../scripts/examples/generate.js') as {
		PARAMS: Record<string, () => INodeParameters>;
	};
	emu.configure({ today: '2026-11-27' });
	try {
		const requests = [
			{
				employee_no: 'NO0003',
				date: '2026-11-20',
				punch: 'First Shift Check-Out',
				time: '2026-11-20 18:05',
				reason: 'Forgot to punch out',
			},
			{
				employee_no: 'NO0002',
				date: '2026-11-20',
				punch: 'First Shift Check-In',
				time: '2026-11-20 08:58',
				reason: 'Badge reader down',
			},
		];
		const run = async (parameters: INodeParameters, items: IDataObject[]) => {
			const result = await runNode({ emulatorUrl: emu.url, parameters, items });
			expect(result.error).toBeUndefined();
			return result.items.map((i) => i.json);
		};
		const created = await run(PARAMS.remedyCreate(), requests);
		expect(created.map((c) => c.status)).toEqual(['created', 'created']);
		expect((await run(PARAMS.remedyApprove(), created)).map((a) => a.status)).toEqual([
			'approved',
			'approved',
		]);
		const after = await run(PARAMS.punchResultGetMany(), requests);
		expect(
			after.map((r) => [
				r.employee_id,
				r.check_in_result,
				r.check_in_result_supplement,
				r.check_out_result,
				r.check_out_result_supplement,
			]),
		).toEqual([
			['NO0003', 'Lack', 'None', 'Normal', 'CardReplacement'],
			['NO0002', 'Normal', 'CardReplacement', 'Lack', 'None'],
		]);
		const again = await run(PARAMS.remedyCreate(), requests);
		expect(again.map((c) => [c.status, c.remedy_status])).toEqual([
			['duplicate', 'Approved'],
			['duplicate', 'Approved'],
		]);
	} finally {
		emu.configure({ today: TODAY });
	}
});

test('emulator: the documented remedy rules over HTTP (time format, query status default, limits)', async () => {
	// Feishu's own answer to requests outside its definitions (test/emulator/definitions.ts)
	skipDefinitionsForThisTest();
	const { tenant_access_token: token } = (await (
		await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ app_id: 'cli_emulator', app_secret: 'emulator-secret' }),
		})
	).json()) as { tenant_access_token: string };
	const call = async (path: string, body: IDataObject) => {
		const res = await fetch(`${emu.url}/open-apis/attendance/v1${path}?employee_type=employee_id`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify(body),
		});
		return {
			status: res.status,
			...((await res.json()) as { code: number; msg: string; data?: IDataObject }),
		};
	};
	const remedyBody = {
		user_id: emp(70),
		remedy_date: 20250106,
		punch_no: 0,
		work_type: 1,
		remedy_time: '2025-01-06 09:00',
		reason: 'x',
	};
	expect(await call(CREATE, { ...remedyBody, remedy_time: '2025-01-06 09:00:00' })).toMatchObject({
		status: 400,
		code: 1220001,
		msg: expect.stringMatching(/yyyy-MM-dd HH:mm/),
	});
	expect(await call(CREATE, { ...remedyBody, remedy_date: '20250106' })).toMatchObject({
		status: 400,
		code: 1220001,
	});
	expect(await call(CREATE, { ...remedyBody, punch_no: 1 })).toMatchObject({
		status: 400,
		code: 1226501,
	});
	const created = await call(CREATE, remedyBody);
	expect(created).toMatchObject({
		code: 0,
		data: {
			user_remedy: { status: 0, remedy_time: '2025-01-06 09:00', time_zone: 'Asia/Shanghai' },
		},
	});

	const window = {
		user_ids: [emp(70)],
		check_time_from: shanghai(day(0), '00:00:00'),
		check_time_to: shanghai(day(0), '23:59:59'),
	};
	// status omitted: approved remedies only
	expect((await call(QUERY, window)).data).toEqual({ user_remedys: [] });
	expect(
		((await call(QUERY, { ...window, status: 0 })).data!.user_remedys as IDataObject[]).map(
			(r) => r.approval_id,
		),
	).toEqual([(created.data!.user_remedy as IDataObject).approval_id]);
	expect(
		await call(QUERY, { ...window, check_time_to: shanghai(day(40), '00:00:00') }),
	).toMatchObject({ code: 1220001, msg: 'time span too long' });
	expect(await call(QUERY, { ...window, check_date_type: 'CreateTime' })).toMatchObject({
		code: 1220001,
	});
	expect(
		await call(QUERY, { ...window, user_ids: Array.from({ length: 51 }, (_, i) => emp(i + 1)) }),
	).toMatchObject({ code: 1220001 });
	expect(
		await call('/user_task_remedys/query_user_allowed_remedys', {
			user_id: emp(70),
			remedy_date: 20250106,
		}),
	).toMatchObject({
		code: 0,
		data: {
			user_allowed_remedys: [
				expect.objectContaining({ work_type: 1, punch_status: 'Lack', is_free_punch: false }),
				expect.objectContaining({ work_type: 2 }),
			],
		},
	});
});

test('Get Many: 55 employees over 40 days = 2 batches × 2 windows × 5 statuses; Limit stops further batches', async () => {
	const employees = Array.from({ length: 55 }, (_, i) => emp(100 + i));
	const all = await remedy('getMany', {
		employeeIds: employees.join(','),
		from: '2024-12-09',
		to: '2025-01-17',
		returnAll: true,
	});
	expect(all.error).toBeUndefined();
	const queries = sent.filter((r) => r.path === QUERY);
	expect(queries).toHaveLength(20);
	expect([...new Set(queries.map((r) => (r.body!.user_ids as string[]).length))].sort()).toEqual([
		5, 50,
	]);
	const spans = [
		...new Set(
			queries.map(
				(r) => (Number(r.body!.check_time_to) - Number(r.body!.check_time_from) + 1) / 86400,
			),
		),
	].sort();
	expect(spans).toEqual([10, 30]);
	expect(queries[0].body!.check_time_from).toBe(shanghai('2024-12-09', '00:00:00'));

	await create([{ emp: emp(100), day: day(0), time: `${day(0)} 09:00` }]);
	const limited = await remedy('getMany', {
		employeeIds: employees.join(','),
		from: '2024-12-09',
		to: '2025-01-17',
		returnAll: false,
		limit: 1,
	});
	expect(limited.items.map((i) => i.json.employee_id)).toEqual([emp(100)]);
	expect(sent.filter((r) => r.path === QUERY)).toHaveLength(10);
});
