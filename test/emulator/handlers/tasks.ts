/**
 * POST /open-apis/attendance/v1/user_tasks/query — attendance results computed from stored punches.
 *
 * Model: every employee is in one group with one fixed shift 09:00–18:00 Asia/Shanghai, Monday–Friday.
 *  - A row per user per day, only for days <= today; weekends have no row (unless an overtime segment is asked for).
 *  - check-in = earliest punch of the day: Normal if <= shift start, else Late; none -> Lack.
 *  - check-out = latest punch of the day if it is not the check-in: Normal if >= shift end, else Early; none -> Lack.
 *  - Supplements (chosen: the result stays as computed, the supplement explains it, e.g. Lack + Leave):
 *    a leave covering the side's shift time -> 'Leave'; a trip on that day (trips are full-day) -> 'Travel';
 *    an out covering the shift time -> 'GoOut'; else 'None'. Priority Leave > Travel > GoOut.
 *  - need_overtime_result: each approved overtime starting on that day adds a segment (task_shift_type 1) whose
 *    shift times are the overtime's start/end, judged with the same punches (segments may share record ids).
 *  - A missing punch has check_*_record_id '' and no check_*_record.
 *  - Remedies (handlers/remedies.ts): an approved remedy is a punch at its remedy_time (a record of type 2,
 *    "user correction", with the remedy's approval_id as record id) and the side it fills gets the supplement
 *    'CardReplacement'; a side with a pending remedy and no such punch gets 'CardReplacementApplication'.
 *    Rejected, cancelled and withdrawn (revoked) remedies count for nothing.
 *  - Only approved approvals count: a revoked leave (approval_infos/process, status 4) no longer adds 'Leave'.
 */
import { createHash } from 'crypto';
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { permissionError, userError } from '../errors';
import {
	addDays,
	atTime,
	DAY_SECONDS,
	dayOf,
	dayStart,
	parseLocalDateTime,
	weekday,
} from '../time';
import type { EmployeeIdType, StoredApproval, StoredFlow } from '../types';
import type { Employee } from '../users';
import { boolQuery, dayRange, employeeTypeOf, idList, validateFields } from '../validate';
import { flowToWire } from './flows';
import { REMEDY_STATUS, remediesFor, remedySeconds, type StoredRemedy } from './remedies';

export const GROUP_ID = '6921319402260496386';
export const SHIFT_ID = '7023458093924646913';
const MAX_USERS = 50;

const startOf = (a: StoredApproval) => parseLocalDateTime(a.start_time) ?? 0;
const endOf = (a: StoredApproval) => parseLocalDateTime(a.end_time) ?? 0;
const covers = (a: StoredApproval, t: number) => startOf(a) <= t && t <= endOf(a);
const touchesDay = (a: StoredApproval, day: number) =>
	startOf(a) < dayStart(day) + DAY_SECONDS && endOf(a) >= dayStart(day);

function supplementAt(approvals: StoredApproval[], t: number): string {
	const day = dayOf(t);
	if (approvals.some((a) => a.kind === 'leaves' && covers(a, t))) return 'Leave';
	if (approvals.some((a) => a.kind === 'trips' && touchesDay(a, day))) return 'Travel';
	if (approvals.some((a) => a.kind === 'outs' && covers(a, t))) return 'GoOut';
	return 'None';
}

/** Stable 19-digit id per (user, day). */
function resultId(employeeId: string, day: number): string {
	const n = createHash('sha1').update(`${employeeId}:${day}`).digest().readBigUInt64BE(0);
	return `6${n.toString().padStart(20, '0').slice(-18)}`;
}

interface DayContext {
	state: EmulatorState;
	idType: EmployeeIdType;
	/** the day's punches, by time */
	punches: StoredFlow[];
	approvals: StoredApproval[];
	/** approved remedies of the normal segment as punches, by work type (1 in, 2 out) */
	remedied: Map<number, StoredFlow>;
	/** work types (1 in, 2 out) with a pending remedy */
	pendingRemedy: Set<number>;
}

/** An approved remedy as the punch it stands for. */
function remedyPunch(remedy: StoredRemedy): StoredFlow {
	return {
		record_id: remedy.approval_id,
		user_id: remedy.user_id,
		creator_id: remedy.user_id,
		location_name: '',
		check_time: String(remedySeconds(remedy)),
		comment: remedy.reason,
		is_field: false,
		is_wifi: false,
		type: 2,
		photo_urls: [],
		imported: false,
		created_at: remedy.created * 1000,
	};
}

function dayContext(
	state: EmulatorState,
	idType: EmployeeIdType,
	employeeId: string,
	day: number,
): DayContext {
	const approved = remediesFor(state, employeeId, day, REMEDY_STATUS.APPROVED);
	return {
		state,
		idType,
		punches: state.store.flowsOfUser(employeeId, dayStart(day), dayStart(day) + DAY_SECONDS - 1),
		approvals: state.store.approvalsOfUser(employeeId).filter((a) => a.status === 2),
		remedied: new Map(
			approved.filter((r) => r.punch_no === 0).map((r) => [r.work_type, remedyPunch(r)]),
		),
		pendingRemedy: new Set(
			remediesFor(state, employeeId, day, REMEDY_STATUS.PENDING).map((r) => r.work_type),
		),
	};
}

/** The supplement of one side: a remedied punch, a pending remedy, else the approvals covering the shift time. */
function supplementOf(
	ctx: DayContext,
	punch: StoredFlow | undefined,
	workType: 1 | 2,
	shiftTime: number,
): string {
	if (punch && ctx.remedied.get(workType) === punch) return 'CardReplacement';
	if (ctx.pendingRemedy.has(workType)) return 'CardReplacementApplication';
	return supplementAt(ctx.approvals, shiftTime);
}

function segment(ctx: DayContext, shiftIn: number, shiftOut: number, taskShiftType: 0 | 1) {
	// An approved remedy is the punch of its side (normal segment); real punches fill the other side.
	const remedyIn = taskShiftType === 0 ? ctx.remedied.get(1) : undefined;
	const remedyOut = taskShiftType === 0 ? ctx.remedied.get(2) : undefined;
	const first = ctx.punches[0];
	const last = ctx.punches[ctx.punches.length - 1];
	const checkIn =
		remedyIn ??
		(remedyOut && first && Number(first.check_time) >= Number(remedyOut.check_time)
			? undefined
			: first);
	const afterIn = (f: StoredFlow) =>
		!remedyIn || Number(f.check_time) > Number(remedyIn.check_time);
	const checkOut =
		remedyOut ?? (last !== undefined && last !== checkIn && afterIn(last) ? last : undefined);
	const time = (f: StoredFlow) => Number(f.check_time);
	const wire = (f: StoredFlow | undefined) =>
		f ? flowToWire(ctx.state, f, ctx.idType) : undefined;
	return {
		check_in_record_id: checkIn?.record_id ?? '',
		check_in_record: wire(checkIn),
		check_out_record_id: checkOut?.record_id ?? '',
		check_out_record: wire(checkOut),
		check_in_result: !checkIn ? 'Lack' : time(checkIn) <= shiftIn ? 'Normal' : 'Late',
		check_out_result: !checkOut ? 'Lack' : time(checkOut) >= shiftOut ? 'Normal' : 'Early',
		check_in_result_supplement: supplementOf(ctx, checkIn, 1, shiftIn),
		check_out_result_supplement: supplementOf(ctx, checkOut, 2, shiftOut),
		check_in_shift_time: String(shiftIn),
		check_out_shift_time: String(shiftOut),
		task_shift_type: taskShiftType,
	};
}

function taskRow(
	state: EmulatorState,
	idType: EmployeeIdType,
	sentId: string,
	employee: Employee,
	day: number,
	needOvertime: boolean,
) {
	const ctx = dayContext(state, idType, employee.employee_id, day);
	const records = [];
	const isWorkday = weekday(day) >= 1 && weekday(day) <= 5;
	if (isWorkday) records.push(segment(ctx, atTime(day, 9), atTime(day, 18), 0));
	if (needOvertime) {
		for (const overtime of ctx.approvals.filter(
			(a) => a.kind === 'overtime_works' && dayOf(startOf(a)) === day,
		)) {
			records.push(segment(ctx, startOf(overtime), endOf(overtime), 1));
		}
	}
	if (records.length === 0) return undefined;
	return {
		result_id: resultId(employee.employee_id, day),
		user_id: sentId,
		employee_name: employee.name,
		day,
		group_id: GROUP_ID,
		shift_id: SHIFT_ID,
		records,
	};
}

/** The normal segment (09:00–18:00) of an employee's workday, as user_tasks/query answers it; none on weekends. */
export function normalSegmentOf(
	state: EmulatorState,
	employeeId: string,
	day: number,
): ReturnType<typeof segment> | undefined {
	if (weekday(day) < 1 || weekday(day) > 5) return undefined;
	return segment(
		dayContext(state, 'employee_id', employeeId, day),
		atTime(day, 9),
		atTime(day, 18),
		0,
	);
}

export function queryTasks({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	const ignoreInvalid = boolQuery(query, 'ignore_invalid_users');
	boolQuery(query, 'include_terminated_user'); // validated; no terminated users are modelled
	const userIds = idList(body, 'user_ids', MAX_USERS);
	const { from, to } = dayRange(body, state.options.maxTaskQueryDays - 1);
	validateFields(body, { need_overtime_result: { type: 'boolean', optional: true } });

	const lookup = state.directory.lookup([...new Set(userIds)], idType);
	if (!ignoreInvalid && lookup.invalid.length) throw userError(lookup.invalid);
	if (!ignoreInvalid && lookup.unauthorized.length) throw permissionError(lookup.unauthorized);

	const lastDay = Math.min(to, state.today());
	const results = [];
	for (const { id, employee } of lookup.valid) {
		for (let day = from; day <= lastDay; day = addDays(day, 1)) {
			const row = taskRow(state, idType, id, employee, day, body.need_overtime_result === true);
			if (row) results.push(row);
		}
	}
	return ok({
		user_task_results: results,
		invalid_user_ids: lookup.invalid,
		unauthorized_user_ids: lookup.unauthorized,
	});
}
