/**
 * Leave grant records (Feishu's docs of leave_employ_expire_records and leave_accrual_record; Feishu People enterprise edition only):
 *   GET   leave_employ_expire_records/:leave_id   grant records expiring in a window (GET with a JSON body)
 *   PATCH leave_accrual_record/:leave_id          change a grant record's quantity and/or expiration date
 *
 * Rules: `user_id_type` (query, optional, default open_id; open_id | union_id | user_id | people_corehr_id) names
 * the kind of `employment_id` (open_id ou_0001, union_id on_0001, user_id = employee_id emp0001, people_corehr_id
 * pc_0001). The path `leave_id` is the leave type; the body's `leave_type_id` must name the same type (UNCONFIRMED,
 * docs/ASSUMPTIONS.md#leave-records). Dates `yyyy-MM-dd`; `time_offset` minutes (default 480); the window's
 * start must not be after its end. PATCH: the record must exist for that employee and type; records the system
 * generated (accrual_source 1) cannot be updated (the doc: 由系统生成的发放记录不可被更新); only `quantity`
 * (a decimal string, ≥ 0) and `expiration_date` (not before the effective date) change; `reason` needs at least
 * one {lang, value}. Parameter errors 400/1220001; a missing record or a refused update 400/1220600 (the
 * attendance "general error"; the pages read list no specific code: UNCONFIRMED).
 *
 * Seed (per emulator, writes kept until reset): leave type ANNUAL_LEAVE_ID, for employees 1–20 one system grant
 * (10 days, 2024-01-01 → 2024-12-31, id `7300000000000000<nn>1`) and one manual grant (2 days, 2024-03-01 →
 * 2024-06-30, id `7300000000000000<nn>2`).
 */
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { generalError, paramError } from '../errors';
import { parseIsoDay } from '../time';
import { isObject, validateFields, type Body } from '../validate';

export const ANNUAL_LEAVE_ID = '7111688079785723436';
const ID_TYPES = ['open_id', 'union_id', 'user_id', 'people_corehr_id'] as const;
type LeaveIdType = (typeof ID_TYPES)[number];
const PREFIX: Record<LeaveIdType, string> = {
	open_id: 'ou_',
	union_id: 'on_',
	user_id: 'emp',
	people_corehr_id: 'pc_',
};

export interface LeaveRecord {
	id: string;
	/** employee number */
	n: number;
	leave_type_id: string;
	granting_quantity: string;
	granting_unit: number;
	effective_date: string;
	expiration_date: string;
	/** 1 system, 2 manual, 3 external */
	accrual_source: number;
	reason: Array<{ lang: string; value: string }>;
	created_at: string;
	updated_at: string;
	updated_by: string;
}

const SEEDED = 20;

function records(state: EmulatorState): Map<string, LeaveRecord> {
	const map = state.store.of<LeaveRecord>('leave');
	if (map.size === 0) {
		for (let n = 1; n <= Math.min(SEEDED, state.options.employees); n++) {
			const nn = String(n).padStart(2, '0');
			const base = {
				n,
				leave_type_id: ANNUAL_LEAVE_ID,
				granting_unit: 1,
				created_at: '1704038400',
				updated_at: '1704038400',
				updated_by: '',
			};
			map.set(`7300000000000000${nn}1`, {
				...base,
				id: `7300000000000000${nn}1`,
				granting_quantity: '10',
				effective_date: '2024-01-01',
				expiration_date: '2024-12-31',
				accrual_source: 1,
				reason: [{ lang: 'en', value: 'Annual entitlement' }],
			});
			map.set(`7300000000000000${nn}2`, {
				...base,
				id: `7300000000000000${nn}2`,
				granting_quantity: '2',
				effective_date: '2024-03-01',
				expiration_date: '2024-06-30',
				accrual_source: 2,
				reason: [{ lang: 'en', value: 'Overtime compensation' }],
			});
		}
	}
	return map;
}

/** The leave records, for tests (grants, as stored). */
export const leaveRecordsOf = (state: EmulatorState): LeaveRecord[] => [...records(state).values()];

function idTypeOf(query: URLSearchParams): LeaveIdType {
	const value = query.get('user_id_type') ?? 'open_id';
	if (!ID_TYPES.includes(value as LeaveIdType)) throw paramError('user_id_type invalid');
	return value as LeaveIdType;
}

const width = (state: EmulatorState) => Math.max(4, String(state.options.employees).length);
const idOf = (state: EmulatorState, n: number, type: LeaveIdType) =>
	`${PREFIX[type]}${String(n).padStart(width(state), '0')}`;

/** The employee number of an employment_id of the given type, or undefined. */
function employeeOf(state: EmulatorState, id: string, type: LeaveIdType): number | undefined {
	const suffix = id.startsWith(PREFIX[type]) ? id.slice(PREFIX[type].length) : '';
	const n = /^\d+$/.test(suffix) ? Number(suffix) : 0;
	return n >= 1 && n <= state.options.employees && suffix === String(n).padStart(width(state), '0')
		? n
		: undefined;
}

function isoDay(body: Body, field: string): number {
	try {
		return parseIsoDay(body[field] as string);
	} catch {
		throw paramError(`${field} must be a date yyyy-MM-dd`);
	}
}

function common(
	state: EmulatorState,
	query: URLSearchParams,
	body: Body,
	leaveId: string | undefined,
) {
	const type = idTypeOf(query);
	if (!leaveId) throw paramError('leave_id is required');
	if (body.leave_type_id !== leaveId) throw paramError('leave_type_id does not match leave_id');
	if (
		body.time_offset !== undefined &&
		!(Number.isInteger(body.time_offset) && Math.abs(body.time_offset as number) <= 14 * 60)
	) {
		throw paramError('time_offset must be minutes from -840 to 840');
	}
	const n = employeeOf(state, body.employment_id as string, type);
	if (n === undefined)
		throw paramError(`employment_id ${String(body.employment_id)} does not exist`);
	return { type, n };
}

function wire(state: EmulatorState, r: LeaveRecord, type: LeaveIdType): Record<string, unknown> {
	return {
		id: r.id,
		employment_id: idOf(state, r.n, type),
		leave_type_id: r.leave_type_id,
		granting_quantity: r.granting_quantity,
		granting_unit: r.granting_unit,
		effective_date: r.effective_date,
		expiration_date: r.expiration_date,
		granted_by: r.accrual_source === 1 ? 1 : 2,
		reason: r.reason,
		created_at: r.created_at,
		updated_at: r.updated_at,
		created_by: '',
		updated_by: r.updated_by,
	};
}

/** GET /leave_employ_expire_records/:leave_id */
export function getLeaveExpireRecords({ state, query, body, params }: RequestContext): Reply {
	validateFields(body, {
		employment_id: { type: 'string' },
		leave_type_id: { type: 'string' },
		start_expiration_date: { type: 'string' },
		end_expiration_date: { type: 'string' },
		time_offset: { type: 'int', optional: true },
	});
	const { type, n } = common(state, query, body, params.id);
	const from = isoDay(body, 'start_expiration_date');
	const to = isoDay(body, 'end_expiration_date');
	if (from > to) throw paramError('start_expiration_date is later than end_expiration_date');
	const found = [...records(state).values()]
		.filter((r) => r.n === n && r.leave_type_id === params.id)
		.filter((r) => {
			const day = parseIsoDay(r.expiration_date);
			return day >= from && day <= to;
		})
		.map((r) => ({
			id: r.id,
			employment_id: idOf(state, r.n, type),
			leave_type_id: r.leave_type_id,
			granting_quantity: r.granting_quantity,
			left_granting_quantity: r.granting_quantity,
			granting_unit: r.granting_unit,
			effective_date: r.effective_date,
			expiration_date: r.expiration_date,
			reason: r.reason,
			is_update_by_external: r.updated_by !== '',
			accrual_source: r.accrual_source,
			leave_sub_type_id: '',
			section_type: 0,
		}));
	return ok({ records: found });
}

/** PATCH /leave_accrual_record/:leave_id */
export function patchLeaveAccrualRecord({ state, query, body, params }: RequestContext): Reply {
	validateFields(body, {
		leave_granting_record_id: { type: 'string' },
		employment_id: { type: 'string' },
		leave_type_id: { type: 'string' },
		reason: { type: 'array' },
		time_offset: { type: 'int', optional: true },
		expiration_date: { type: 'string', optional: true },
		quantity: { type: 'string', optional: true },
	});
	const { type, n } = common(state, query, body, params.id);
	const reasons = body.reason as unknown[];
	if (reasons.length === 0) throw paramError('reason is required');
	reasons.forEach((r, i) => {
		if (!isObject(r)) throw paramError(`reason[${i}] must be an object`);
		validateFields(r, { lang: { type: 'string' }, value: { type: 'string' } }, `reason[${i}]`);
		if (!(r.value as string).trim()) throw paramError(`reason[${i}].value is required`);
	});
	if (body.quantity !== undefined && !/^\d+(\.\d+)?$/.test(body.quantity as string))
		throw paramError('quantity must be a number ≥ 0 as text');
	const expiry = body.expiration_date === undefined ? undefined : isoDay(body, 'expiration_date');
	const record = records(state).get(body.leave_granting_record_id as string);
	if (!record || record.n !== n || record.leave_type_id !== params.id)
		throw generalError('leave granting record does not exist');
	if (record.accrual_source === 1)
		throw generalError('records generated by the system cannot be updated');
	if (expiry !== undefined && expiry < parseIsoDay(record.effective_date))
		throw paramError('expiration_date is earlier than the effective date');
	if (body.quantity !== undefined) record.granting_quantity = String(Number(body.quantity));
	if (body.expiration_date !== undefined) record.expiration_date = body.expiration_date as string;
	record.reason = reasons as LeaveRecord['reason'];
	record.updated_at = String(Math.floor(Date.now() / 1000));
	record.updated_by = 'open_api';
	return ok({ record: wire(state, record, type) });
}
