/**
 * Approval → Update Status (approval_infos/process) through n8n's engine against the emulator: revoking leave, out
 * of office, overtime and business trips written through the API; approving, rejecting and revoking remedies; every
 * transition the documented rules refuse; re-running a revoke; the punch result a revoke changes; Continue On Fail.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';
import { day, emp, recordClientRequests } from '../helpers';

const ZONE = 'Asia/Shanghai';
const PROCESS = '/approval_infos/process';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 300, today: '2025-01-17' });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());
const sent = recordClientRequests();

const shanghai = (isoDate: string, time: string) =>
	String(Date.parse(`${isoDate}T${time}+08:00`) / 1000);

/** Approval → Create of one record per item; returns the output items (type, approval_id, …). */
async function writeApprovals(items: IDataObject[]): Promise<IDataObject[]> {
	const { items: out, error } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'approval',
			operation: 'create',
			approvalType: '={{ $json.type }}',
			employeeId: '={{ $json.emp }}',
			start: '={{ $json.start }}',
			end: '={{ $json.end }}',
			reason: 'Planned',
			typeName: 'Annual Leave',
			options: { timezone: ZONE },
		},
		items,
	});
	expect(error).toBeUndefined();
	expect(out.map((o) => o.json.status)).toEqual(items.map(() => 'created'));
	return out.map((o) => o.json);
}

/** Update Status over items that carry `type`, `approval_id` (and optionally `newStatus`). */
async function updateStatus(
	items: IDataObject[],
	parameters: INodeParameters = {},
	continueOnFail = false,
	onError?: INode['onError'],
) {
	sent.length = 0;
	return await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'approval',
			operation: 'updateStatus',
			approvalKind: '={{ $json.type }}',
			approvalId: '={{ $json.approval_id }}',
			newStatus: '={{ $json.newStatus ?? "revoke" }}',
			// what reading the approval back needs (Create's output carries both)
			employeeId: '={{ $json.employee_id ?? "" }}',
			approvalDay: '={{ $json.date ?? $json.remedy_date ?? "" }}',
			...parameters,
			options: { timezone: ZONE, ...(parameters.options as IDataObject | undefined) },
		},
		items,
		continueOnFail,
		onError,
	});
}

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

async function pendingRemedy(employee: string, isoDate: string): Promise<IDataObject> {
	const { items, error } = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: 'remedy',
			operation: 'create',
			employeeId: employee,
			day: isoDate,
			punch: 'firstCheckIn',
			remedyTime: `${isoDate} 09:00`,
			reason: 'Badge forgotten',
			options: { timezone: ZONE },
		},
		items: [{}],
	});
	expect(error).toBeUndefined();
	expect(items[0].json.status).toBe('created');
	return items[0].json;
}

const statusOf = (approvalId: unknown) =>
	emu.approvals().find((a) => a.approval_id === approvalId)?.status;

test('revoking a leave written through the API turns Lack/Leave back into Lack; a re-run says already revoked', async () => {
	const [leave] = await writeApprovals([
		{ type: 'leave', emp: emp(1), start: `${day(1)} 09:00:00`, end: `${day(1)} 18:00:00` },
	]);
	expect(await punchResult(emp(1), day(1))).toMatchObject({
		check_in_result: 'Lack',
		check_in_result_supplement: 'Leave',
		check_out_result_supplement: 'Leave',
	});

	const first = await updateStatus([{ ...leave, comment: 'Cancelled in the OA system' }], {
		options: { comment: '={{ $json.comment }}' },
	});
	expect(first.error).toBeUndefined();
	expect(first.items).toHaveLength(1);
	expect(first.items[0].json).toEqual({
		outcome: 'done',
		status: 'revoked',
		approval_id: leave.approval_id,
		approval_type: 'leave',
		requested_status: 'Revoke',
		employee_id: emp(1),
		date_iso: day(1),
		comment: 'Cancelled in the OA system',
		approval_status: 'Revoked',
	});
	expect(sent.filter((r) => r.path === PROCESS).map((r) => r.body)).toEqual([
		{ approval_id: leave.approval_id, approval_type: 'leave', status: 4 },
	]);
	expect(statusOf(leave.approval_id)).toBe(4);
	expect(await punchResult(emp(1), day(1))).toMatchObject({
		check_in_result: 'Lack',
		check_in_result_supplement: 'None',
		check_out_result_supplement: 'None',
	});

	// Approval → Get Many: no longer approved, listed as withdrawn
	const listed = async (status: string) =>
		(
			await runNode({
				emulatorUrl: emu.url,
				parameters: {
					resource: 'approval',
					operation: 'getMany',
					employeeIds: emp(1),
					from: day(1),
					to: day(1),
					status,
					returnAll: true,
					options: { timezone: ZONE },
				},
				items: [{}],
			})
		).items.map((i) => i.json.approval_id);
	expect(await listed('approved')).toEqual([]);
	expect(await listed('withdrawn')).toEqual([leave.approval_id]);

	const again = await updateStatus([leave]);
	expect(again.error).toBeUndefined();
	expect(again.items[0].json).toMatchObject({
		outcome: 'already done',
		status: 'already revoked',
		approval_status: 'Revoked',
		approval_id: leave.approval_id,
	});
	expect(again.items[0].pairedItem).toEqual({ item: 0 });
	expect(statusOf(leave.approval_id)).toBe(4);
});

test('out of office, overtime and business trips are revoked; two items for one approval make one call', async () => {
	emu.seedFlows([{ user_id: emp(2), check_time: shanghai(day(2), '09:30:00') }]);
	const written = await writeApprovals([
		{ type: 'out', emp: emp(2), start: `${day(2)} 14:00:00`, end: `${day(2)} 18:00:00` },
		{ type: 'overtime', emp: emp(3), start: `${day(2)} 19:00:00`, end: `${day(2)} 21:00:00` },
		{ type: 'trip', emp: emp(4), start: `${day(3)} 09:00:00`, end: `${day(3)} 18:00:00` },
	]);
	expect(await punchResult(emp(2), day(2))).toMatchObject({ check_out_result_supplement: 'GoOut' });
	const { items, error } = await updateStatus([...written, written[0]]);
	expect(error).toBeUndefined();
	expect(items.map((i) => [i.json.approval_type, i.json.status])).toEqual([
		['out', 'revoked'],
		['overtime', 'revoked'],
		['trip', 'revoked'],
		['out', 'revoked'],
	]);
	expect(sent.filter((r) => r.path === PROCESS)).toHaveLength(3);
	expect(written.map((w) => statusOf(w.approval_id))).toEqual([4, 4, 4]);
	expect(await punchResult(emp(2), day(2))).toMatchObject({
		check_out_result: 'Lack',
		check_out_result_supplement: 'None',
	});
});

test('remedies: pending → approved or rejected, approved → revoked; every other transition is not done, with the state Feishu holds', async () => {
	const [a, b, c] = [
		await pendingRemedy(emp(10), day(0)),
		await pendingRemedy(emp(11), day(0)),
		await pendingRemedy(emp(12), day(0)),
	];
	const remedy = (held: IDataObject, newStatus: string) => ({ type: 'remedy', ...held, newStatus });

	// [item, outcome, status, approval_status Feishu holds, reason of a refusal]
	const steps: Array<[IDataObject, string, string, string | undefined, string?]> = [
		[remedy(a, 'revoke'), 'not done', 'refused', 'Pending', 'state_does_not_allow'],
		[remedy(a, 'approve'), 'done', 'approved', 'Approved'],
		[remedy(a, 'approve'), 'already done', 'already approved', 'Approved'],
		[remedy(a, 'reject'), 'not done', 'refused', 'Approved', 'state_does_not_allow'],
		[remedy(a, 'revoke'), 'done', 'revoked', 'Revoked'],
		[remedy(a, 'approve'), 'not done', 'refused', 'Revoked', 'state_does_not_allow'],
		[remedy(b, 'reject'), 'done', 'rejected', 'Rejected'],
		[remedy(b, 'approve'), 'not done', 'refused', 'Rejected', 'state_does_not_allow'],
		[remedy(b, 'revoke'), 'not done', 'refused', 'Rejected', 'state_does_not_allow'],
		[
			{ ...remedy(b, 'approve'), approval_id: '7000000000000000000' },
			'not done',
			'refused',
			undefined,
			'not_found',
		],
	];
	for (const [item, outcome, status, held, reason] of steps) {
		const { items, error } = await updateStatus([item]);
		expect(error).toBeUndefined();
		const json = items[0].json;
		expect([item.newStatus, json.outcome, json.status, json.approval_status]).toEqual([
			item.newStatus,
			outcome,
			status,
			held,
		]);
		if (outcome === 'not done') {
			expect(json.errorReason).toBe(reason);
			expect(String(json.error)).toMatch(/\[item 0\]$/);
			expect(String(json.errorDetails)).toMatch(/^Feishu answered code \d+: /);
		}
	}
	expect(String((await updateStatus([remedy(b, 'approve')])).items[0].json.error)).toBe(
		'Feishu did not approve the remedy: it is Rejected, and only a pending remedy can be approved or rejected [item 0]',
	);

	// a remedy's approval ID sent as a leave is not found there
	const asLeave = await updateStatus([{ ...c, type: 'leave' }]);
	expect(asLeave.items[0].json).toMatchObject({
		outcome: 'not done',
		status: 'refused',
		errorReason: 'not_found',
	});
	expect(String(asLeave.items[0].json.error)).toBe(
		`Feishu holds no leave approval ${String(c.approval_id)} for employee ${emp(12)} on ${day(0)} [item 0]`,
	);
});

test('leave, out, overtime and trips cannot be approved or rejected: input error (no call), per item with Continue On Fail', async () => {
	const [leave] = await writeApprovals([
		{ type: 'leave', emp: emp(20), start: `${day(4)} 09:00:00`, end: `${day(4)} 12:00:00` },
	]);
	const stopped = await updateStatus([
		{ ...leave, newStatus: 'revoke' },
		{ ...leave, newStatus: 'approve' },
	]);
	expect(stopped.error?.message).toBe(
		'Leave approvals can only be revoked, not "Approve" [item 1]',
	);
	expect(sent.filter((r) => r.path === PROCESS)).toHaveLength(0);

	const { items, error } = await updateStatus(
		[
			{ type: 'trips', approval_id: 'x', newStatus: 'reject' },
			{ ...leave, newStatus: 'Revoke' },
			{ type: 'holiday', approval_id: 'y' },
			{ type: 'leave', approval_id: '' },
			{ type: 'leave', approval_id: 7000000000000000001 },
		],
		{},
		true,
	);
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json.status)).toEqual([
		'failed',
		'revoked',
		'failed',
		'failed',
		'failed',
	]);
	expect(items.map((i) => [i.json.outcome, i.json.errorReason])).toEqual([
		['not done', 'invalid_input'],
		['done', undefined],
		['not done', 'invalid_input'],
		['not done', 'invalid_input'],
		['not done', 'invalid_input'],
	]);
	expect(String(items[4].json.error)).toMatch(/pass IDs as text \[item 4\]/);
	expect(String(items[0].json.error)).toBe(
		'Business Trip approvals can only be revoked, not "Reject" [item 0]',
	);
	expect(String(items[2].json.error)).toMatch(
		/Approval Type "holiday" is not one of: .*Remedy \[item 2\]/,
	);
	expect(String(items[3].json.error)).toMatch(/Approval ID .*\[item 3\]/);
	expect(sent.filter((r) => r.path === PROCESS)).toHaveLength(1);

	// the emulator holds Feishu's rule too: status 2 for a leave is a parameter error
	const token = (
		(await await fetch(`${emu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ app_id: 'cli_emulator', app_secret: 'emulator-secret' }),
		}).then((r) => r.json())) as { tenant_access_token: string }
	).tenant_access_token;
	const direct = await fetch(`${emu.url}/open-apis/attendance/v1${PROCESS}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({ approval_id: leave.approval_id, approval_type: 'leave', status: 2 }),
	});
	expect(direct.status).toBe(400);
	expect(await direct.json()).toMatchObject({
		code: 1220001,
		msg: expect.stringMatching(/accepts only status 4/),
	});
});

describe('a repeated revoke, whatever Feishu answers: the approval is read back', () => {
	afterEach(() => emu.configure({ processRepeatAnswer: 'already' }));

	test.each([
		['already', 'the approval is already reverted (1220600)'],
		['reworded', 'status transition not allowed (1220001), no word about a repeat'],
	] as const)('reading %s: %s → already revoked', async (reading, _answer) => {
		emu.configure({ processRepeatAnswer: reading });
		const written = await writeApprovals([
			{ type: 'leave', emp: emp(30), start: `${day(0)} 09:00:00`, end: `${day(0)} 18:00:00` },
			{ type: 'trip', emp: emp(31), start: `${day(-3)} 09:00:00`, end: `${day(-3)} 18:00:00` },
		]);
		expect((await updateStatus(written)).items.map((i) => i.json.outcome)).toEqual([
			'done',
			'done',
		]);
		const again = await updateStatus(written);
		expect(again.error).toBeUndefined();
		expect(again.items.map((i) => [i.json.outcome, i.json.status, i.json.approval_status])).toEqual(
			[
				['already done', 'already revoked', 'Revoked'],
				['already done', 'already revoked', 'Revoked'],
			],
		);
		// the read back: user_approvals/query of that employee and day, the status asked for first
		expect(
			sent
				.filter((r) => r.path === '/user_approvals/query')
				.map((r) => [r.body?.user_ids, r.body?.status]),
		).toEqual([
			[[emp(30)], 4],
			[[emp(31)], 4],
		]);
	});

	test('reading echo (code 0 with the status): revoked, which cannot be told apart from a first revoke', async () => {
		emu.configure({ processRepeatAnswer: 'echo' });
		const [leave] = await writeApprovals([
			{ type: 'leave', emp: emp(32), start: `${day(0)} 09:00:00`, end: `${day(0)} 18:00:00` },
		]);
		await updateStatus([leave]);
		const again = await updateStatus([leave]);
		expect(again.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'revoked',
			approval_status: 'Revoked',
		});
	});

	test('"no row affected" after the retries: the state read back says already revoked', async () => {
		const [leave] = await writeApprovals([
			{ type: 'leave', emp: emp(33), start: `${day(0)} 09:00:00`, end: `${day(0)} 18:00:00` },
		]);
		await updateStatus([leave]);
		emu.injectFault({
			endpoint: PROCESS,
			kind: 'code',
			code: 1220600,
			msg: 'no row affected',
			times: 10,
		});
		const noRow = await updateStatus([leave], { options: { advanced: { maxRetries: 1 } } });
		expect(noRow.error).toBeUndefined();
		expect(noRow.items[0].json).toMatchObject({
			outcome: 'already done',
			status: 'already revoked',
		});
		emu.clearFaults();
	});

	test.each(['dropAfter', 'http500After'] as const)(
		'an answer lost after Feishu revoked (%s): the resend is refused, the state read back says this run revoked it',
		async (kind) => {
			const written = await writeApprovals(
				[30, 31, 32, 33].map((n) => ({
					type: 'leave',
					emp: emp(n + 10),
					start: `${day(1)} 09:00:00`,
					end: `${day(1)} 18:00:00`,
				})),
			);
			for (const reading of ['already', 'reworded'] as const) {
				emu.configure({ processRepeatAnswer: reading });
				emu.injectFault({ endpoint: PROCESS, kind, times: 2 });
				const { items, error } = await updateStatus(
					reading === 'already' ? written.slice(0, 2) : written.slice(2),
					{ options: { advanced: { maxConcurrent: 1 } } },
				);
				expect(error).toBeUndefined();
				expect(items.map((i) => [i.json.outcome, i.json.status])).toEqual([
					['done', 'revoked'],
					['done', 'revoked'],
				]);
			}
			expect(written.map((w) => statusOf(w.approval_id))).toEqual([4, 4, 4, 4]);
			// a re-run: every one already revoked
			const again = await updateStatus(written);
			expect(again.items.map((i) => i.json.outcome)).toEqual([
				'already done',
				'already done',
				'already done',
				'already done',
			]);
		},
	);

	test('without Employee ID and Day nothing can be read back: not done, and the item says what to fill in', async () => {
		const [leave] = await writeApprovals([
			{ type: 'leave', emp: emp(34), start: `${day(0)} 09:00:00`, end: `${day(0)} 18:00:00` },
		]);
		await updateStatus([leave]);
		const bare = { type: leave.type, approval_id: leave.approval_id };
		const again = await updateStatus([bare]);
		expect(again.items[0].json).toMatchObject({
			outcome: 'not done',
			status: 'refused',
			errorReason: 'refused',
		});
		expect(String(again.items[0].json.errorDescription)).toMatch(/^Fill in Employee ID and Day/);
		expect(sent.filter((r) => r.path === '/user_approvals/query')).toHaveLength(0);
	});
});

test('On Error "Continue (using error output)": refused and failed items leave through the error output, done and already done through the main one', async () => {
	const written = await writeApprovals([
		{ type: 'leave', emp: emp(50), start: `${day(0)} 09:00:00`, end: `${day(0)} 12:00:00` },
		{ type: 'leave', emp: emp(51), start: `${day(0)} 09:00:00`, end: `${day(0)} 12:00:00` },
	]);
	await updateStatus([written[0]]);
	const remedyHeld = await pendingRemedy(emp(52), day(0));
	const items = [
		written[0], // already revoked
		written[1], // revoked now
		{ ...written[1], approval_id: '7000000000000000009', marker: 'unknown ID' }, // not found
		{ type: 'remedy', ...remedyHeld, newStatus: 'revoke', marker: 'pending remedy' }, // state does not allow
		{ type: 'leave', approval_id: '', marker: 'bad input' }, // input error
	];
	const {
		items: main,
		errorItems,
		error,
	} = await updateStatus(items, {}, false, 'continueErrorOutput');
	expect(error).toBeUndefined();
	expect(main.map((i) => [i.json.outcome, i.json.status, i.pairedItem])).toEqual([
		['already done', 'already revoked', { item: 0 }],
		['done', 'revoked', { item: 1 }],
	]);
	expect(errorItems.map((i) => [i.pairedItem, i.json.marker])).toEqual([
		[{ item: 2 }, 'unknown ID'],
		[{ item: 3 }, 'pending remedy'],
		[{ item: 4 }, 'bad input'],
	]);
	expect(errorItems.map((i) => String(i.json.error))).toEqual([
		expect.stringMatching(/^Feishu holds no leave approval 7000000000000000009 .* \[item 2\]$/),
		'Feishu did not revoke the remedy: it is Pending, and only an approved one can be revoked [item 3]',
		expect.stringMatching(/Approval ID .*\[item 4\]$/),
	]);

	// "Continue (using regular output)": the same items, all on the main output, with every field
	const regular = await updateStatus(items, {}, true);
	expect(regular.items.map((i) => [i.json.outcome, i.json.errorReason])).toEqual([
		['already done', undefined],
		['already done', undefined],
		['not done', 'not_found'],
		['not done', 'state_does_not_allow'],
		['not done', 'invalid_input'],
	]);
});

test("Continue On Fail: a failed call becomes that item's error; without it the node stops", async () => {
	const written = await writeApprovals([
		{ type: 'leave', emp: emp(40), start: `${day(0)} 09:00:00`, end: `${day(0)} 12:00:00` },
		{ type: 'leave', emp: emp(41), start: `${day(0)} 09:00:00`, end: `${day(0)} 12:00:00` },
	]);
	emu.injectFault({
		endpoint: PROCESS,
		kind: 'code',
		code: 99991672,
		msg: 'app has no scope',
		httpStatus: 400,
		times: 1,
	});
	const { items, error } = await updateStatus(
		written,
		{ options: { advanced: { maxConcurrent: 1 } } },
		true,
	);
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json.status)).toEqual(['failed', 'revoked']);
	expect(items.map((i) => [i.json.outcome, i.json.errorReason])).toEqual([
		['not done', 'request_failed'],
		['done', undefined],
	]);
	expect(String(items[0].json.error)).toContain('99991672');
	expect(String(items[0].json.errorDescription)).toContain('attendance:task');
	expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

	emu.injectFault({
		endpoint: PROCESS,
		kind: 'code',
		code: 99991672,
		msg: 'app has no scope',
		httpStatus: 400,
		times: 1,
	});
	const stopped = await updateStatus([written[0]]);
	expect(stopped.error?.message).toContain('99991672');
	expect(statusOf(written[0].approval_id)).toBe(2);
});

test("example 07's Feishu nodes: leave written with an OA number is found by it and revoked", async () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { PARAMS } = require('../../scripts/examples/generate.js') as {
		PARAMS: Record<string, () => INodeParameters>;
	};
	emu.configure({ today: '2026-11-27' });
	try {
		const run = async (parameters: INodeParameters, items: IDataObject[]) => {
			const result = await runNode({ emulatorUrl: emu.url, parameters, items });
			expect(result.error).toBeUndefined();
			return result.items.map((i) => i.json);
		};
		const leave = {
			approval_no: 'OA-2026-1120-02',
			employee_no: 'NO0003',
			date: '2026-11-20',
			start: '2026-11-20 14:00:00',
			end: '2026-11-20 18:00:00',
			leave_type: 'Sick leave',
			reason: 'Doctor',
		};
		expect((await run(PARAMS.approvalCreate(), [leave]))[0].status).toBe('created');
		const found = (await run(PARAMS.approvalGetMany(), [leave])).filter(
			(a) => a.idempotency_key === leave.approval_no,
		);
		expect(found).toHaveLength(1);
		const revoked = await run(PARAMS.approvalUpdateStatus(), [
			{ ...found[0], cancel_reason: 'Appointment cancelled' },
		]);
		expect(revoked[0]).toMatchObject({
			status: 'revoked',
			approval_type: 'leave',
			comment: 'Appointment cancelled',
		});
		expect(await run(PARAMS.approvalGetMany(), [leave])).toEqual([]);
	} finally {
		emu.configure({ today: '2025-01-17' });
	}
});
