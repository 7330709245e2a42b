/**
 * Approval → Create through n8n's engine against the emulator: what Feishu stores for each type, input
 * checks, 1225001 rejections and re-runs.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Emulator, StoredApproval } from '../emulator';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';

const CREATE = 'POST /open-apis/attendance/v1/user_approvals';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ employees: 200 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const base = {
	resource: 'approval',
	operation: 'create',
	employeeId: '={{ $json.emp }}',
	start: '={{ $json.start }}',
	end: '={{ $json.end }}',
	reason: '={{ $json.reason }}',
};

async function create(
	parameters: INodeParameters,
	items: IDataObject[],
	extra: { continueOnFail?: boolean; timezone?: string } = {},
) {
	return await runNode({
		emulatorUrl: emu.url,
		parameters: { ...base, ...parameters },
		items,
		...extra,
	});
}

const pairedOf = (item: INodeExecutionData) => item.pairedItem;
const storedById = (id: unknown): StoredApproval => {
	const found = emu.approvals().find((a) => a.approval_id === id);
	if (!found) throw new Error(`approval ${String(id)} was not stored`);
	return found;
};
const creates = () => emu.counters().requests[CREATE] ?? 0;

describe('each type, minimal and full fields', () => {
	test('leave, minimal: named options become numbers, times are sent in the zone, date from Start', async () => {
		const { items, error } = await create(
			{ approvalType: 'leave', typeName: 'Annual Leave', typeNameOptions: { locale: 'en' } },
			// an ISO time with offset is sent as wall-clock time in the workflow zone (Asia/Shanghai)
			[
				{
					emp: 'emp0001',
					start: '2025-03-03T01:00:00Z',
					end: '2025-03-03 18:00',
					reason: 'Family',
				},
			],
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const out = items[0].json;
		expect(out).toMatchObject({
			status: 'created',
			type: 'leave',
			employee_id: 'emp0001',
			date: '20250303',
			date_iso: '2025-03-03',
			start_time: '2025-03-03 09:00:00',
			start_time_iso: '2025-03-03T09:00:00+08:00',
			end_time: '2025-03-03 18:00:00',
			end_time_iso: '2025-03-03T18:00:00+08:00',
		});
		expect(pairedOf(items[0])).toEqual({ item: 0 });
		const stored = storedById(out.approval_id);
		expect(stored).toMatchObject({ kind: 'leaves', user_id: 'emp0001', date: '20250303' });
		expect(stored.item).toMatchObject({
			unit: 2, // Hour (default)
			interval: 9 * 3600,
			start_time: '2025-03-03 09:00:00',
			end_time: '2025-03-03 18:00:00',
			i18n_names: { en: 'Annual Leave' },
			default_locale: 'en',
			reason: 'Family',
			idempotent_id: out.idempotency_key,
		});
		expect(stored.item.uniq_id).toBeUndefined();
		expect(String(out.idempotency_key)).toMatch(/^n8n[0-9a-f]{29}$/);
	});

	test('leave, full: unit, interval, names, type ID, idempotency key, date and Timezone option', async () => {
		const { items, error } = await create(
			{
				approvalType: 'leave',
				typeName: '年假',
				typeNameOptions: {
					locale: 'ch',
					nameEn: 'Annual Leave',
					nameJa: '年次休暇',
					typeId: 'AL-01',
				},
				unit: 'halfDay',
				additionalFields: {
					date: '2025-03-04',
					idempotencyKey: '={{ $json.key }}',
					interval: 14400,
				},
				employeeIdType: 'employee_no',
				options: { timezone: 'Asia/Tokyo' },
			},
			[
				{
					emp: 'NO0002',
					key: 'hr-leave-77',
					start: '2025-03-04T00:00:00Z',
					end: '2025-03-04T04:00:00Z',
					reason: 'Rest',
				},
			],
		);
		expect(error).toBeUndefined();
		const out = items[0].json;
		expect(out).toMatchObject({
			status: 'created',
			idempotency_key: 'hr-leave-77',
			date: '20250304',
			date_iso: '2025-03-04',
			start_time: '2025-03-04 09:00:00',
			start_time_iso: '2025-03-04T09:00:00+09:00',
			time_zone: 'Asia/Tokyo',
		});
		const stored = storedById(out.approval_id);
		expect(stored.date).toBe('20250304');
		expect(stored.item).toMatchObject({
			unit: 3,
			interval: 14400,
			uniq_id: 'AL-01',
			// Tokyo wall-clock times
			start_time: '2025-03-04 09:00:00',
			end_time: '2025-03-04 13:00:00',
			i18n_names: { ch: '年假', en: 'Annual Leave', ja: '年次休暇' },
			default_locale: 'ch',
			idempotent_id: 'hr-leave-77',
		});
	});

	test('leave with Employee ID Type = Employee Number and Open ID', async () => {
		const { items, error } = await create(
			{ approvalType: 'leave', typeName: 'Sick Leave', employeeIdType: '={{ $json.idType }}' },
			[
				{
					emp: 'NO0003',
					idType: 'employee_no',
					start: '2025-03-05 09:00',
					end: '2025-03-05 12:00',
					reason: 'Flu',
				},
				{
					emp: 'ou_0004',
					idType: 'open_id',
					start: '2025-03-05 09:00',
					end: '2025-03-05 12:00',
					reason: 'Flu',
				},
			],
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => storedById(i.json.approval_id).user_id)).toEqual([
			'emp0003',
			'emp0004',
		]);
		expect(items.map((i) => i.json.employee_id_type)).toEqual(['employee_no', 'open_id']);
	});

	test('out of office, minimal: a stable type ID is derived from the type name', async () => {
		const { items, error } = await create(
			{ approvalType: 'out', typeName: 'Customer Visit', unit: 'hour' },
			[
				{
					emp: 'emp0005',
					start: '2025-03-03 14:00:00',
					end: '2025-03-03 16:30:00',
					reason: 'Visit ACME',
				},
				{
					emp: 'emp0006',
					start: '2025-03-03 10:00:00',
					end: '2025-03-03 11:00:00',
					reason: 'Visit Globex',
				},
			],
		);
		expect(error).toBeUndefined();
		const [a, b] = items.map((i) => storedById(i.json.approval_id));
		expect(a.kind).toBe('outs');
		expect(a.item).toMatchObject({
			unit: 2,
			interval: 9000,
			i18n_names: { ch: 'Customer Visit' },
			default_locale: 'ch',
			reason: 'Visit ACME',
		});
		expect(String(a.item.uniq_id)).toMatch(/^n8n[0-9a-f]{10}$/);
		expect(b.item.uniq_id).toBe(a.item.uniq_id);
	});

	test('out of office, full: own type ID, Half Hour, names in three languages', async () => {
		const { items, error } = await create(
			{
				approvalType: 'out',
				typeName: 'Bank',
				typeNameOptions: { locale: 'en', typeId: 'OUT-BANK', nameCh: '银行', nameJa: '銀行' },
				unit: 'halfHour',
				additionalFields: { interval: 1800 },
			},
			[
				{
					emp: 'emp0007',
					start: '2025-03-06 10:00:00',
					end: '2025-03-06 10:45:00',
					reason: 'Paperwork',
				},
			],
		);
		expect(error).toBeUndefined();
		expect(storedById(items[0].json.approval_id).item).toMatchObject({
			uniq_id: 'OUT-BANK',
			unit: 4,
			interval: 1800,
			i18n_names: { ch: '银行', en: 'Bank', ja: '銀行' },
			default_locale: 'en',
		});
	});

	test('overtime, minimal: defaults Workday / Record Only / Hour, duration from Start and End, no reason needed', async () => {
		const { items, error } = await create({ approvalType: 'overtime' }, [
			{ emp: 'emp0008', start: '2025-03-03 18:00:00', end: '2025-03-03 21:30:00', reason: '' },
		]);
		expect(error).toBeUndefined();
		const stored = storedById(items[0].json.approval_id);
		expect(stored.kind).toBe('overtime_works');
		expect(stored.item).toMatchObject({
			category: 1,
			type: 0,
			unit: 2,
			duration: 3.5,
			start_time: '2025-03-03 18:00:00',
		});
		expect(stored.item.reason).toBeUndefined();
	});

	test('overtime, full: Rest Day, Time Off in Lieu, Half Day, explicit duration', async () => {
		const { items, error } = await create(
			{
				approvalType: 'overtime',
				overtimeCategory: 'restDay',
				overtimeType: 'timeOffInLieu',
				unit: 'halfDay',
				additionalFields: { duration: 1.5 },
			},
			[
				{
					emp: 'emp0009',
					start: '2025-03-08 09:00:00',
					end: '2025-03-08 19:00:00',
					reason: 'Release',
				},
			],
		);
		expect(error).toBeUndefined();
		expect(storedById(items[0].json.approval_id).item).toMatchObject({
			category: 2,
			type: 1,
			unit: 3,
			duration: 1.5,
			reason: 'Release',
		});
		// Public Holiday / Overtime Pay given by display name through an expression
		const second = await create(
			{
				approvalType: 'overtime',
				overtimeCategory: '={{ "Public Holiday" }}',
				overtimeType: '={{ "Overtime Pay" }}',
			},
			[{ emp: 'emp0009', start: '2025-05-01 09:00:00', end: '2025-05-01 12:00:00', reason: '' }],
		);
		expect(second.error).toBeUndefined();
		expect(storedById(second.items[0].json.approval_id).item).toMatchObject({
			category: 3,
			type: 2,
		});
	});

	test('business trip, minimal: approval times default to Start', async () => {
		const { items, error } = await create({ approvalType: 'trip' }, [
			{
				emp: 'emp0010',
				start: '2025-03-10 09:00:00',
				end: '2025-03-12 18:00:00',
				reason: 'Training',
			},
		]);
		expect(error).toBeUndefined();
		const stored = storedById(items[0].json.approval_id);
		expect(stored.kind).toBe('trips');
		expect(stored.item).toMatchObject({
			reason: 'Training',
			approve_apply_time: '2025-03-10 09:00:00',
			approve_pass_time: '2025-03-10 09:00:00',
		});
		expect(stored.item.transportation).toBeUndefined();
	});

	test('business trip, full: regions, transportation, trip type, remarks, approval times', async () => {
		const { items, error } = await create(
			{
				approvalType: 'trip',
				additionalFields: {
					approveApplyTime: '2025-03-01 10:00:00',
					approvePassTime: '2025-03-02T03:30:00Z',
					departureRegionLevel: 'city',
					departureRegionId: '6863333418483058189',
					destinations: {
						destination: [
							{ regionLevel: 'country', regionId: '111' },
							{ regionLevel: 'district', regionId: '222' },
						],
					},
					transportation: ['plane', 'highSpeedRail'],
					tripType: 'oneWay',
					remarks: 'Booth duty',
				},
			},
			[{ emp: 'emp0011', start: '2025-03-10', end: '2025-03-11 23:59:59', reason: 'Trade fair' }],
		);
		expect(error).toBeUndefined();
		expect(storedById(items[0].json.approval_id).item).toMatchObject({
			start_time: '2025-03-10 00:00:00',
			end_time: '2025-03-11 23:59:59',
			approve_apply_time: '2025-03-01 10:00:00',
			approve_pass_time: '2025-03-02 11:30:00',
			departure: { region_level: 'l3', region_id: '6863333418483058189' },
			destinations: [
				{ region_level: 'l1', region_id: '111' },
				{ region_level: 'l4', region_id: '222' },
			],
			transportation: [1, 4],
			trip_type: 1,
			remarks: 'Booth duty',
		});
	});
});

describe('input checks before anything is sent', () => {
	const items = [
		{
			emp: 'emp0020',
			start: '2025-03-03 09:00',
			end: '2025-03-03 12:00',
			reason: 'ok',
			unit: 'hour',
			name: 'Annual',
		},
		{
			emp: '',
			start: '2025-03-03 09:00',
			end: '2025-03-03 12:00',
			reason: 'x',
			unit: 'hour',
			name: 'Annual',
		},
		{
			emp: 'emp0021',
			start: '2025-03-03 12:00',
			end: '2025-03-03 09:00',
			reason: 'x',
			unit: 'hour',
			name: 'Annual',
		},
		{
			emp: 'emp0022',
			start: '2025-03-03 09:00',
			end: '2025-03-03 12:00',
			reason: 'x',
			unit: 'week',
			name: 'Annual',
		},
		{
			emp: 'emp0023',
			start: '2025-03-03 09:00',
			end: '2025-03-03 12:00',
			reason: 'x',
			unit: 'hour',
			name: 'A'.repeat(101),
		},
		{
			emp: 'emp0024',
			start: 'next tuesday',
			end: '2025-03-03 12:00',
			reason: 'x',
			unit: 'hour',
			name: 'Annual',
		},
		{
			emp: 'emp0025',
			start: '2025-03-03 09:00',
			end: '2025-03-03 12:00',
			reason: '',
			unit: 'hour',
			name: 'Annual',
		},
	];
	const parameters = {
		approvalType: 'leave',
		typeName: '={{ $json.name }}',
		unit: '={{ $json.unit }}',
	};

	test('without Continue On Fail the first bad item stops the node and nothing is sent', async () => {
		const { error, items: out } = await create(parameters, items);
		expect(error?.message).toBe('Employee ID is empty, got empty text [item 1]');
		expect((error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(1);
		expect(out).toHaveLength(0);
		expect(creates()).toBe(0);
		expect(emu.approvals()).toHaveLength(0);
	});

	test('with Continue On Fail every bad item is reported and the good one is written', async () => {
		const { error, items: out } = await create(parameters, items, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(out).toHaveLength(items.length);
		expect(out.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(out.map((i) => i.json.status)).toEqual([
			'created',
			'failed',
			'failed',
			'failed',
			'failed',
			'failed',
			'failed',
		]);
		const messages = out.map((i) => String(i.json.error ?? ''));
		expect(messages[1]).toBe('Employee ID is empty, got empty text [item 1]');
		expect(messages[2]).toBe(
			'End (2025-03-03 09:00:00) must be after Start (2025-03-03 12:00:00) [item 2]',
		);
		expect(messages[3]).toBe('Unit "week" is not one of: Day, Hour, Half Day, Half Hour [item 3]');
		expect(messages[4]).toBe(
			'The Chinese name of the Leave Type is too long (101 characters, at most 100) [item 4]',
		);
		expect(messages[5]).toContain('Start "next tuesday" is not a date-time');
		expect(messages[6]).toBe('Reason is empty: Feishu requires a reason for a leave [item 6]');
		expect(creates()).toBe(1);
		expect(emu.approvals().map((a) => a.user_id)).toEqual(['emp0020']);
	});

	test('a type ID of 14 characters is refused', async () => {
		const { error } = await create(
			{ approvalType: 'out', typeName: 'Visit', typeNameOptions: { typeId: 'ABCDEFGHIJKLMN' } },
			[{ emp: 'emp0026', start: '2025-03-03 09:00', end: '2025-03-03 12:00', reason: 'x' }],
		);
		expect(error?.message).toBe(
			'Type ID "ABCDEFGHIJKLMN" is too long (14 characters, Feishu allows at most 13) [item 0]',
		);
		expect(creates()).toBe(0);
	});
});

describe('1225001: Feishu rejects records', () => {
	const leave = { approvalType: 'leave', typeName: 'Annual Leave' };

	test('an overlap is reported on the item it belongs to; the other items are written', async () => {
		const first = await create(leave, [
			{ emp: 'emp0030', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'a' },
		]);
		const existing = first.items[0].json.approval_id;
		const items = [
			{ emp: 'emp0031', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'b' },
			{ emp: 'emp0030', start: '2025-03-03 13:00', end: '2025-03-03 15:00', reason: 'overlap' },
			{ emp: 'emp0032', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'c' },
		];
		const { error, items: out } = await create(leave, items, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(out.map((i) => i.json.status)).toEqual(['created', 'failed', 'created']);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[1].json.error).toBe(
			`Feishu rejected the leave: time conflicts with approval ${String(existing)} [item 1]`,
		);
		expect(out[1].json).toMatchObject({ outcome: 'not done', errorReason: 'refused' });
		expect(out[1].json).toMatchObject({
			employee_id: 'emp0030',
			start_time_iso: '2025-03-03T13:00:00+08:00',
		});
		expect(
			emu
				.approvals()
				.map((a) => a.user_id)
				.sort(),
		).toEqual(['emp0030', 'emp0031', 'emp0032']);

		// Without Continue On Fail a rejection Feishu decided for the record is a failed item too (as in
		// Import): the run goes on and the other items are written.
		emu.reset();
		await create(leave, [
			{ emp: 'emp0030', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'a' },
		]);
		const clash = emu.approvals()[0].approval_id;
		const kept = await create(leave, items);
		expect(kept.error).toBeUndefined();
		expect(kept.items.map((i) => i.json.status)).toEqual(['created', 'failed', 'created']);
		expect(kept.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(kept.items[1].json).toMatchObject({
			error: `Feishu rejected the leave: time conflicts with approval ${clash} [item 1]`,
			employee_id: 'emp0030',
		});
		// the reason first, the technical detail after it, then the record's own columns
		expect(Object.keys(kept.items[1].json).slice(0, 5)).toEqual([
			'outcome',
			'status',
			'error',
			'errorReason',
			'errorDetails',
		]);
		expect(String(kept.items[1].json.errorDetails)).toContain(
			'Nothing was stored for this record.',
		);
		expect(String(kept.items[1].json.errorDetails)).toContain(
			'POST /open-apis/attendance/v1/user_approvals',
		);
		expect(Object.values(kept.items[1].json)).not.toContain(undefined);
		expect(
			emu
				.approvals()
				.map((a) => a.user_id)
				.sort(),
		).toEqual(['emp0030', 'emp0031', 'emp0032']);
	});

	test('other shapes of the message: the record as an array (not as JSON text); plain text fails with the raw message', async () => {
		emu.injectFault({
			kind: 'code',
			endpoint: '/user_approvals',
			code: 1225001,
			httpStatus: 400,
			msg: JSON.stringify({
				LeaveErrorRecords: [{ idempotent_id: 'key-A', reason: 'leave balance exhausted' }],
				OutErrorRecords: '',
			}),
		});
		const a = await create(
			{ ...leave, additionalFields: { idempotencyKey: 'key-A' } },
			[{ emp: 'emp0033', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'a' }],
			{ continueOnFail: true },
		);
		expect(a.items[0].json).toMatchObject({
			status: 'failed',
			error: 'Feishu rejected the leave: leave balance exhausted [item 0]',
		});

		const raw = JSON.stringify({
			LeaveErrorRecords: 'quota service unavailable',
			TripErrorRecords: '',
		});
		emu.injectFault({
			kind: 'code',
			endpoint: '/user_approvals',
			code: 1225001,
			httpStatus: 400,
			msg: raw,
		});
		const b = await create(
			leave,
			[{ emp: 'emp0034', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'b' }],
			{
				continueOnFail: true,
			},
		);
		expect(b.items[0].json).toMatchObject({
			status: 'failed',
			error: `Feishu rejected the leave (code 1225001): ${raw} [item 0]`,
		});
		expect(emu.approvals()).toHaveLength(0);
	});

	test('a 1225001 that names no record of the item follows Continue On Fail; secrets in msg are redacted', async () => {
		const raw = JSON.stringify({
			LeaveErrorRecords: 'rejected, app secret emulator-secret',
			TripErrorRecords: '',
		});
		emu.injectFault({
			kind: 'code',
			endpoint: '/user_approvals',
			code: 1225001,
			httpStatus: 400,
			msg: raw,
		});
		const { error, items } = await create(leave, [
			{ emp: 'emp0035', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'a' },
		]);
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/^Feishu rejected the leave \(code 1225001\): /);
		expect(error?.message).not.toContain('emulator-secret');
		expect(error?.message).toContain('[redacted]');
		expect(String((error as { description?: string } | undefined)?.description)).toContain(
			'POST /open-apis/attendance/v1/user_approvals',
		);
		expect((error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(0);
	});

	test('other 1220600 answers are errors, not duplicates', async () => {
		emu.injectFault({
			kind: 'code',
			endpoint: '/user_approvals',
			code: 1220600,
			httpStatus: 400,
			msg: 'time is invalid',
		});
		const { error, items } = await create(
			leave,
			[{ emp: 'emp0036', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'a' }],
			{
				continueOnFail: true,
			},
		);
		expect(error).toBeUndefined();
		// what to do first, Feishu's own words after it
		expect(items[0].json).toMatchObject({
			status: 'failed',
			error:
				'Feishu could not read a time value. Check the time fields and the Timezone option. [item 0]',
		});
		expect(String(items[0].json.errorDetails)).toMatch(
			/^Feishu error 1220600: time is invalid \(HTTP 400, log ID \w+; POST \/open-apis\/attendance\/v1\/user_approvals\)$/,
		);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('failed rows: the reason first', () => {
	const leave = { approvalType: 'leave', typeName: 'Annual Leave' };

	test("an unknown employee: error says what is wrong and what to check, errorDetails has Feishu's answer", async () => {
		const { error, items } = await create(
			{ ...leave, employeeIdType: '={{ $json.idType }}' },
			[
				{
					emp: 'emp0090',
					idType: 'employee_id',
					start: '2025-03-03 09:00',
					end: '2025-03-03 18:00',
					reason: 'a',
				},
				{
					emp: 'NO9999',
					idType: 'employee_no',
					start: '2025-03-03 09:00',
					end: '2025-03-03 18:00',
					reason: 'b',
				},
			],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.status)).toEqual(['created', 'failed']);
		const failed = items[1].json;
		expect(failed.error).toBe(
			'Feishu does not know the employee NO9999 (Employee Number), or the app cannot see them. Check the Employee ID and the Employee ID Type. [item 1]',
		);
		expect(failed).toMatchObject({ outcome: 'not done', errorReason: 'unknown_employee' });
		expect(String(failed.errorDetails)).toMatch(
			/^Feishu error 1220004: .*NO9999.* \(HTTP 400, log ID \w+; POST \/open-apis\/attendance\/v1\/user_approvals\)$/,
		);
		expect(Object.keys(failed).slice(0, 5)).toEqual([
			'outcome',
			'status',
			'error',
			'errorReason',
			'errorDetails',
		]);
		expect(Object.values(failed)).not.toContain(undefined);
		// As n8n's table builds its columns (in order of first appearance), the failed row has a value in every
		// column of the stored row before its error, except approval_id, which a stored row gives last.
		const storedKeys = Object.keys(items[0].json);
		expect(storedKeys[storedKeys.length - 1]).toBe('approval_id');
		expect(storedKeys.filter((k) => !(k in failed))).toEqual(['approval_id']);
		expect(failed).toMatchObject({
			employee_id: 'NO9999',
			employee_id_type: 'employee_no',
			date: '20250303',
			time_zone: 'Asia/Shanghai',
		});

		// Without Continue On Fail the run stops with Feishu's error, its hint in the description.
		const stop = await create(leave, [
			{ emp: 'emp9999', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'c' },
		]);
		expect(stop.error?.message).toMatch(/^Feishu error 1220004: /);
		expect(String((stop.error as { description?: string } | undefined)?.description)).toContain(
			'Check the Employee ID and the Employee ID Type',
		);
	});

	test('an input error keeps status and error first', async () => {
		const { items } = await create(
			leave,
			[{ emp: 'emp0091', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: '' }],
			{
				continueOnFail: true,
			},
		);
		expect(items[0].json).toEqual({
			outcome: 'not done',
			status: 'failed',
			error: 'Reason is empty: Feishu requires a reason for a leave [item 0]',
			errorReason: 'invalid_input',
		});
		expect(Object.keys(items[0].json)).toEqual(['outcome', 'status', 'error', 'errorReason']);
	});
});

describe('Leave Type: one field, its language and other names grouped under it', () => {
	test('Leave Type Options → Language, names and Type ID; Chinese when no language is set', async () => {
		const item = {
			emp: 'emp0095',
			start: '2025-03-05 09:00',
			end: '2025-03-05 12:00',
			reason: 'x',
		};
		const chosen = await create(
			{
				approvalType: 'leave',
				typeName: '年次休暇',
				typeNameOptions: { locale: 'ja', nameCh: '年假', typeId: 'AL-JA' },
			},
			[item],
		);
		expect(chosen.error).toBeUndefined();
		expect(storedById(chosen.items[0].json.approval_id).item).toMatchObject({
			i18n_names: { ch: '年假', ja: '年次休暇' },
			default_locale: 'ja',
			uniq_id: 'AL-JA',
		});
		emu.reset();
		// neither: Chinese
		const plain = await create({ approvalType: 'out', typeName: '外出' }, [item]);
		expect(storedById(plain.items[0].json.approval_id).item).toMatchObject({
			i18n_names: { ch: '外出' },
			default_locale: 'ch',
		});
	});

	test('an empty Leave Type or an unknown language names the field and where to look', async () => {
		const item = {
			emp: 'emp0096',
			start: '2025-03-05 09:00',
			end: '2025-03-05 12:00',
			reason: 'x',
			lang: 'fr',
			name: ' ',
		};
		const empty = await create({ approvalType: 'leave', typeName: '={{ $json.name }}' }, [item]);
		expect(empty.error?.message).toBe(
			'Leave Type is empty: give the name of a leave type set up in Feishu Attendance → Leave settings [item 0]',
		);
		const out = await create({ approvalType: 'out', typeName: '={{ $json.name }}' }, [item]);
		expect(out.error?.message).toBe(
			'Out-of-Office Type is empty: Feishu needs the name of the out-of-office type [item 0]',
		);
		const lang = await create(
			{
				approvalType: 'leave',
				typeName: 'Annual',
				typeNameOptions: { locale: '={{ $json.lang }}' },
			},
			[item],
		);
		expect(lang.error?.message).toBe(
			'Leave Type Options → Language "fr" is not one of: Chinese, English, Japanese [item 0]',
		);
		expect(creates()).toBe(0);
	});
});

describe('re-running an import', () => {
	test('stores nothing twice and answers every item again, paired', async () => {
		const items = Array.from({ length: 12 }, (_, i) => ({
			emp: `emp${String(40 + i).padStart(4, '0')}`,
			start: `2025-03-${String(3 + (i % 5)).padStart(2, '0')} 09:00:00`,
			end: `2025-03-${String(3 + (i % 5)).padStart(2, '0')} 18:00:00`,
			reason: `r${i}`,
			type: ['leave', 'out', 'overtime', 'trip'][i % 4],
		}));
		const parameters = { approvalType: '={{ $json.type }}', typeName: 'Imported' };
		const first = await create(parameters, items);
		expect(first.error).toBeUndefined();
		expect(emu.approvals()).toHaveLength(12);
		const second = await create(parameters, items);
		expect(second.error).toBeUndefined();
		expect(emu.approvals()).toHaveLength(12);
		expect(creates()).toBe(24);
		expect(second.items.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(second.items.map((i) => i.json.status)).toEqual(items.map(() => 'created'));
		expect(second.items.map((i) => i.json.approval_id)).toEqual(
			first.items.map((i) => i.json.approval_id),
		);
		expect(second.items.map((i) => i.json.type)).toEqual(items.map((i) => i.type));
	});

	test("Feishu refusing a repeated key with 1220600 'the object already exists': every item duplicate, nothing new stored", async () => {
		const items = Array.from({ length: 8 }, (_, i) => ({
			emp: `emp${String(70 + i).padStart(4, '0')}`,
			start: '2025-03-04 09:00:00',
			end: '2025-03-04 18:00:00',
			reason: `r${i}`,
			type: ['leave', 'out', 'overtime', 'trip'][i % 4],
		}));
		const parameters = { approvalType: '={{ $json.type }}', typeName: 'Imported' };
		const first = await create(parameters, items);
		expect(first.error).toBeUndefined();
		expect(emu.approvals()).toHaveLength(8);
		emu.configure({ approvalDuplicateMode: 'reject-call' });
		try {
			const second = await create(parameters, items);
			expect(second.error).toBeUndefined();
			expect(emu.approvals()).toHaveLength(8);
			expect(creates()).toBe(16);
			expect(second.items.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
			expect(second.items.map((i) => i.json.status)).toEqual(items.map(() => 'duplicate'));
			// Feishu's refusal carries no record: no approval_id, the rest of the item as usual
			expect(
				second.items.every((i) => !('approval_id' in i.json) && i.json.error === undefined),
			).toBe(true);
			expect(second.items.map((i) => i.json.idempotency_key)).toEqual(
				first.items.map((i) => i.json.idempotency_key),
			);
			expect(second.items.map((i) => i.json.type)).toEqual(items.map((i) => i.type));
		} finally {
			emu.configure({ approvalDuplicateMode: 'echo' });
		}
	});

	test('a repeated key refused with 1220600 in another wording: read back, every item duplicate, nothing new stored', async () => {
		const items = Array.from({ length: 4 }, (_, i) => ({
			emp: `emp${String(80 + i).padStart(4, '0')}`,
			start: '2025-03-05 09:00:00',
			end: '2025-03-05 18:00:00',
			reason: `w${i}`,
			type: ['leave', 'out', 'overtime', 'trip'][i % 4],
		}));
		const parameters = { approvalType: '={{ $json.type }}', typeName: 'Imported' };
		const first = await create(parameters, items);
		expect(first.error).toBeUndefined();
		expect(emu.approvals()).toHaveLength(4);
		emu.configure({ approvalDuplicateMode: 'reject-call-reworded' });
		try {
			const second = await create(parameters, items);
			expect(second.error).toBeUndefined();
			expect(emu.approvals()).toHaveLength(4);
			expect(second.items.map((i) => i.json.status)).toEqual(items.map(() => 'duplicate'));
			expect(second.items.map((i) => i.json.outcome)).toEqual(items.map(() => 'already done'));
		} finally {
			emu.configure({ approvalDuplicateMode: 'echo' });
		}
	});

	test("the same record twice in one run is sent once; the repeat gets the first item's outcome", async () => {
		const leave = { approvalType: 'leave', typeName: 'Annual Leave' };
		const a = { emp: 'emp0080', start: '2025-03-05 09:00', end: '2025-03-05 18:00', reason: 'a' };
		const clash = {
			emp: 'emp0081',
			start: '2025-03-05 09:00',
			end: '2025-03-05 18:00',
			reason: 'c',
		};
		await create(leave, [clash]); // stored before: the next run's clash item overlaps it
		const overlap = { ...clash, start: '2025-03-05 10:00' };
		const before = creates();
		const { error, items } = await create(leave, [a, overlap, { ...a, reason: 'again' }, overlap], {
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(creates() - before).toBe(2);
		expect(items.map((i) => [i.json.status, i.json.duplicate_of_item])).toEqual([
			['created', undefined],
			['failed', undefined],
			['duplicate', 0],
			['failed', 1],
		]);
		expect(items[2].json.approval_id).toBe(items[0].json.approval_id);
		expect(String(items[3].json.error)).toMatch(
			/^Same record as item 1, which was not stored: Feishu rejected the leave: time conflicts/,
		);
		expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(emu.approvals().filter((r) => r.user_id === 'emp0080')).toHaveLength(1);
	});

	test('an answer lost on the way back is resent with the same key: one record', async () => {
		emu.injectFault({ kind: 'dropAfter', endpoint: '/user_approvals', times: 1 });
		const { error, items } = await create({ approvalType: 'leave', typeName: 'Annual Leave' }, [
			{ emp: 'emp0060', start: '2025-03-03 09:00', end: '2025-03-03 18:00', reason: 'a' },
		]);
		expect(error).toBeUndefined();
		expect(creates()).toBe(2);
		expect(emu.approvals()).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			status: 'created',
			approval_id: emu.approvals()[0].approval_id,
		});
	});
});
