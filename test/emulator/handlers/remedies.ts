/**
 * Remedies (补卡, correcting a missing or abnormal punch), Feishu's docs of user_task_remedys:
 *   POST /user_task_remedys                              write a pending remedy
 *   POST /user_task_remedys/query                        list remedies (status omitted = approved only)
 *   POST /user_task_remedys/query_user_allowed_remedys   what can still be corrected on a day
 * Approving, rejecting and revoking a remedy is approval_infos/process (handlers/approvals.ts).
 *
 * Model (the shift of handlers/tasks.ts: one segment 09:00–18:00 Asia/Shanghai, Monday–Friday):
 *  - allowed: the check-in / check-out of punch_no 0 whose result is Lack, Late or Early (after approved
 *    remedies); check-in may be remedied from 00:00 to 13:30, check-out from 13:30 to 23:59 of the day;
 *  - create: remedy_time 'yyyy-MM-dd HH:mm' (no seconds) inside the allowed range; nothing abnormal to correct
 *    (weekend, future day, unknown punch, already Normal) -> 400/1226501; more than REMEDY_PAST_DAYS days ago ->
 *    400/1226503; REMEDY_MONTHLY_QUOTA pending + approved remedies in the month -> 400/1226504; employees in
 *    GROUP_WITHOUT_REMEDY -> 400/1226502. No idempotency key: sending the same remedy twice stores two pending
 *    remedies (Feishu's doc of POST user_task_remedys; docs/ASSUMPTIONS.md#remedy-duplicates);
 *  - an approved remedy is a punch at remedy_time for the punch results (handlers/tasks.ts), a pending one adds
 *    the CardReplacementApplication supplement.
 */
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { FeishuError, paramError } from '../errors';
import { newNumericId } from '../store';
import { atTime, dayOf, dayStart, daysBetween, DAY_SECONDS, nowSeconds } from '../time';
import type { EmployeeIdType } from '../types';
import { requireUsers } from '../users';
import { dayField, employeeTypeOf, idList, validateFields } from '../validate';
import { normalSegmentOf } from './tasks';

export const REMEDY_CODES = {
	NOTHING_TO_REMEDY: 1226501,
	GROUP_FORBIDS: 1226502,
	TOO_LONG_AGO: 1226503,
	QUOTA_USED_UP: 1226504,
} as const;

/** How many days back a remedy may go (the group's remedy_date_num). */
export const REMEDY_PAST_DAYS = 30;
/** Pending + approved remedies per employee and calendar month (the group's remedy_limit_count). */
export const REMEDY_MONTHLY_QUOTA = 5;
/** Employees whose attendance group does not allow remedies. */
export const GROUP_WITHOUT_REMEDY = ['emp0999'];
/** Longest check_time_from..check_time_to of a query (Feishu's limit is UNCONFIRMED; 31 days here). */
export const MAX_REMEDY_QUERY_DAYS = 31;
const MAX_QUERY_USERS = 50;

export const REMEDY_STATUS = {
	PENDING: 0,
	REJECTED: 1,
	APPROVED: 2,
	CANCELLED: 3,
	WITHDRAWN: 4,
} as const;

export interface StoredRemedy {
	approval_id: string;
	/** employee_id */
	user_id: string;
	remedy_date: number;
	punch_no: number;
	work_type: number;
	/** 'yyyy-MM-dd HH:mm' Asia/Shanghai */
	remedy_time: string;
	reason: string;
	status: number;
	/** Unix seconds */
	created: number;
	updated: number;
}

// The remedies of an emulator live beside its Store; the emulator's reset() empties them too.
const remedyLists = new WeakMap<EmulatorState, StoredRemedy[]>();

export function remediesOf(state: EmulatorState): StoredRemedy[] {
	let list = remedyLists.get(state);
	if (!list) {
		const remedies: StoredRemedy[] = [];
		remedyLists.set(state, (list = remedies));
		const reset = state.reset.bind(state);
		state.reset = () => {
			reset();
			remedies.length = 0;
		};
	}
	return list;
}

const REMEDY_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** 'yyyy-MM-dd HH:mm' (Shanghai) -> Unix seconds, undefined when malformed. */
export function parseRemedyTime(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const m = REMEDY_TIME.exec(text);
	if (!m) return undefined;
	const [y, mo, d, h, mi] = m.slice(1).map(Number);
	const day = y * 10000 + mo * 100 + d;
	if (dayOf(dayStart(day) + 3600) !== day || h > 23 || mi > 59) return undefined;
	return atTime(day, h, mi);
}

function formatRemedyTime(seconds: number): string {
	const t = new Date((seconds + 8 * 3600) * 1000);
	return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

function isValidDayNumber(day: number): boolean {
	try {
		return dayOf(dayStart(day) + 3600) === day;
	} catch {
		return false;
	}
}

interface AllowedRemedy {
	punch_no: number;
	work_type: number;
	punch_status: string;
	normal_punch_time: string;
	remedy_start_time: string;
	remedy_end_time: string;
	from: number;
	to: number;
}

/** What can be remedied for an employee on a day (see the model above). */
function allowedRemedies(state: EmulatorState, employeeId: string, day: number): AllowedRemedy[] {
	if (day > state.today()) return [];
	const segment = normalSegmentOf(state, employeeId, day);
	if (!segment) return [];
	const middle = atTime(day, 13, 30);
	const sides = [
		{
			work_type: 1,
			result: segment.check_in_result,
			shift: Number(segment.check_in_shift_time),
			from: dayStart(day),
			to: middle,
		},
		{
			work_type: 2,
			result: segment.check_out_result,
			shift: Number(segment.check_out_shift_time),
			from: middle,
			to: dayStart(day) + DAY_SECONDS - 60,
		},
	];
	return sides
		.filter((side) => side.result === 'Lack' || side.result === 'Late' || side.result === 'Early')
		.map((side) => ({
			punch_no: 0,
			work_type: side.work_type,
			punch_status: side.result,
			normal_punch_time: formatRemedyTime(side.shift),
			remedy_start_time: formatRemedyTime(side.from),
			remedy_end_time: formatRemedyTime(side.to),
			from: side.from,
			to: side.to,
		}));
}

function remedyToWire(state: EmulatorState, remedy: StoredRemedy, idType: EmployeeIdType) {
	return {
		user_id: state.directory.idAs(remedy.user_id, idType),
		remedy_date: remedy.remedy_date,
		punch_no: remedy.punch_no,
		work_type: remedy.work_type,
		approval_id: remedy.approval_id,
		remedy_time: remedy.remedy_time,
		status: remedy.status,
		reason: remedy.reason,
		time: String(parseRemedyTime(remedy.remedy_time)),
		time_zone: 'Asia/Shanghai',
		create_time: String(remedy.created),
		update_time: String(remedy.updated),
	};
}

const refuse = (code: number, msg: string) => new FeishuError(400, code, msg);

/** POST /user_task_remedys */
export function createRemedy({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	validateFields(body, {
		user_id: { type: 'string' },
		remedy_date: { type: 'int' },
		punch_no: { type: 'int', oneOf: [0, 1, 2] },
		work_type: { type: 'int', oneOf: [0, 1, 2] },
		remedy_time: { type: 'string' },
		reason: { type: 'string' },
		time: { type: 'string', optional: true },
	});
	const day = body.remedy_date as number;
	if (!isValidDayNumber(day)) throw paramError('remedy_date must be an integer date yyyyMMdd');
	const time = parseRemedyTime(body.remedy_time);
	if (time === undefined) throw paramError('remedy_time must be a time yyyy-MM-dd HH:mm');
	if (String(body.reason).trim() === '') throw paramError('reason is required');
	const [{ employee }] = requireUsers(state.directory, [String(body.user_id)], idType);
	const userId = employee.employee_id;

	if (GROUP_WITHOUT_REMEDY.includes(userId))
		throw refuse(REMEDY_CODES.GROUP_FORBIDS, 'the attendance group does not allow remedies');
	if (day <= state.today() && daysBetween(day, state.today()) > REMEDY_PAST_DAYS) {
		throw refuse(
			REMEDY_CODES.TOO_LONG_AGO,
			`remedies are allowed for the last ${REMEDY_PAST_DAYS} days only`,
		);
	}
	const allowed = allowedRemedies(state, userId, day).find(
		(a) => a.punch_no === body.punch_no && a.work_type === body.work_type,
	);
	if (!allowed)
		throw refuse(REMEDY_CODES.NOTHING_TO_REMEDY, 'no abnormal attendance record to remedy');
	if (time < allowed.from || time > allowed.to) {
		throw paramError(
			`remedy_time must be between ${allowed.remedy_start_time} and ${allowed.remedy_end_time}`,
		);
	}
	const month = Math.floor(day / 100);
	const used = remediesOf(state).filter(
		(r) =>
			r.user_id === userId &&
			Math.floor(r.remedy_date / 100) === month &&
			(r.status === REMEDY_STATUS.PENDING || r.status === REMEDY_STATUS.APPROVED),
	).length;
	if (used >= REMEDY_MONTHLY_QUOTA)
		throw refuse(REMEDY_CODES.QUOTA_USED_UP, 'remedy quota of the period is used up');

	const now = nowSeconds();
	const remedy: StoredRemedy = {
		approval_id: newNumericId(),
		user_id: userId,
		remedy_date: day,
		punch_no: body.punch_no as number,
		work_type: body.work_type as number,
		remedy_time: String(body.remedy_time),
		reason: String(body.reason),
		status: REMEDY_STATUS.PENDING,
		created: now,
		updated: now,
	};
	remediesOf(state).push(remedy);
	return ok({ user_remedy: { ...remedyToWire(state, remedy, idType), user_id: body.user_id } });
}

/** POST /user_task_remedys/query — PeriodTime (default) filters on remedy_time, UpdateTime on the last change. */
export function queryRemedies({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	const userIds = idList(body, 'user_ids', MAX_QUERY_USERS);
	validateFields(body, {
		check_time_from: { type: 'digits' },
		check_time_to: { type: 'digits' },
		check_date_type: {
			type: 'string',
			optional: true,
			oneOf: ['PeriodTime', 'CreateTime', 'UpdateTime'],
		},
		status: { type: 'int', optional: true, oneOf: [0, 1, 2, 3, 4] },
	});
	if (body.check_date_type === 'CreateTime')
		throw paramError('check_date_type CreateTime is not supported yet');
	const from = Number(body.check_time_from);
	const to = Number(body.check_time_to);
	if (from > to) throw paramError('check_time_from is later than check_time_to');
	if (to - from > MAX_REMEDY_QUERY_DAYS * DAY_SECONDS) throw paramError('time span too long');
	const status = (body.status as number | undefined) ?? REMEDY_STATUS.APPROVED;
	const at = (r: StoredRemedy) =>
		body.check_date_type === 'UpdateTime' ? r.updated : parseRemedyTime(r.remedy_time)!;

	const found = [];
	for (const { id, employee } of requireUsers(state.directory, userIds, idType)) {
		const ofUser = remediesOf(state)
			.filter(
				(r) =>
					r.user_id === employee.employee_id && r.status === status && at(r) >= from && at(r) <= to,
			)
			.sort((a, b) => at(a) - at(b));
		for (const remedy of ofUser)
			found.push({ ...remedyToWire(state, remedy, idType), user_id: id });
	}
	return ok({ user_remedys: found });
}

/** POST /user_task_remedys/query_user_allowed_remedys */
export function queryAllowedRemedies({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	validateFields(body, { user_id: { type: 'string' } });
	const day = dayField(body, 'remedy_date');
	const [{ employee }] = requireUsers(state.directory, [String(body.user_id)], idType);
	const allowed = allowedRemedies(state, employee.employee_id, day).map(
		({ from: _from, to: _to, ...rest }) => ({
			user_id: body.user_id,
			remedy_date: day,
			is_free_punch: false,
			...rest,
		}),
	);
	return ok({ user_allowed_remedys: allowed });
}

/** Remedies of an employee on a day with a given status (for the punch results). */
export function remediesFor(
	state: EmulatorState,
	employeeId: string,
	day: number,
	status: number,
): StoredRemedy[] {
	return remediesOf(state).filter(
		(r) => r.user_id === employeeId && r.remedy_date === day && r.status === status,
	);
}

/** The remedy with this approval_id (approval_infos/process). */
export function remedyById(state: EmulatorState, approvalId: string): StoredRemedy | undefined {
	return remediesOf(state).find((r) => r.approval_id === approvalId);
}

/** Seconds of a remedy's time. */
export const remedySeconds = (remedy: StoredRemedy): number => parseRemedyTime(remedy.remedy_time)!;
