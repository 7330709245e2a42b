/**
 * Remedies (补卡: correcting a missing or abnormal punch), Feishu's docs of user_task_remedys: the punch choices in
 * words, the remedy statuses, Feishu's remedy time format, the query windows and statuses, the output rows
 * (remedies, allowed punches). Remedy → Create: remedyInput.ts reads items, remedyWrite.ts
 * looks up the remedies Feishu holds (instead of an idempotency key) and sends.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import {
	dayNumberToIsoDate,
	formatFeishuDateTime,
	isValidTimeZone,
	parseDateTime,
	toIsoInZone,
} from '../../helpers/time';
import { compact } from '../../helpers/output';
import { resolveEnum } from '../../helpers/enums';
import { REMEDY_STATUSES } from '../../helpers/remedyQuery';

// The query of remedies is also Approval → Update Status's read back of a remedy: it lives in helpers/remedyQuery.ts.
export type { SecondsWindow } from '../../helpers/remedyQuery';
export {
	ALL_REMEDY_STATUS_CODES,
	REMEDY_QUERY_PATH,
	REMEDY_STATUSES,
	remedyQueryBody,
	remedyQueryWindows,
} from '../../helpers/remedyQuery';

export const REMEDY_CREATE_PATH = '/user_task_remedys';
export const REMEDY_ALLOWED_PATH = '/user_task_remedys/query_user_allowed_remedys';

/** Which punch a remedy corrects: Feishu's punch_no (0 = 1st on/off pair of the shift) and work_type (1 in, 2 out). */
export interface PunchChoice {
	value: string;
	name: string;
	punchNo: number;
	workType: number;
}

/** In the order (and with the names) shown in the node; sorted by name as n8n lists options. */
const PUNCHES: PunchChoice[] = [
	{ value: 'firstCheckIn', name: 'First Shift Check-In', punchNo: 0, workType: 1 },
	{ value: 'firstCheckOut', name: 'First Shift Check-Out', punchNo: 0, workType: 2 },
	{ value: 'freeSchedule', name: 'Free Schedule Punch', punchNo: 0, workType: 0 },
	{ value: 'secondCheckIn', name: 'Second Shift Check-In', punchNo: 1, workType: 1 },
	{ value: 'secondCheckOut', name: 'Second Shift Check-Out', punchNo: 1, workType: 2 },
	{ value: 'thirdCheckIn', name: 'Third Shift Check-In', punchNo: 2, workType: 1 },
	{ value: 'thirdCheckOut', name: 'Third Shift Check-Out', punchNo: 2, workType: 2 },
];

export const punchOptions: INodePropertyOptions[] = PUNCHES.map(({ name, value }) => ({
	name,
	value,
}));

/** The punch an item names: the option value ('firstCheckIn') or its name in any spelling ('first shift check-in'). */
export function resolvePunch(value: unknown): PunchChoice {
	const code = resolveEnum(
		PUNCHES.map((p) => ({ ...p, code: p.value })),
		value,
		'Punch',
	);
	return PUNCHES.find((p) => p.value === code)!;
}

/** The punch in words for Feishu's punch_no and work_type. */
function punchName(punchNo: unknown, workType: unknown): string | undefined {
	return PUNCHES.find((p) => p.punchNo === Number(punchNo) && p.workType === Number(workType))
		?.name;
}

/** Statuses after which a remedy no longer stands (rejected, cancelled, withdrawn). */
export const CLOSED_REMEDY_STATUS_CODES = [1, 3, 4];

const remedyStatusName = (code: unknown): string =>
	REMEDY_STATUSES.find((s) => s.code === Number(code))?.name ?? String(code);

/**
 * Feishu's remedy_time, 'yyyy-MM-dd HH:mm' (no seconds) as a wall time in `timeZone`; seconds are dropped.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#remedy-time-zone (which zone Feishu reads it in).
 */
export function formatRemedyTime(epochMs: number, timeZone: string): string {
	return formatFeishuDateTime(epochMs, timeZone).slice(0, 16);
}

/** Remedy codes Feishu answers for one remedy (Feishu's doc of POST user_task_remedys), with what the user can do. */
export const REMEDY_REFUSALS: Record<number, string> = {
	1220001:
		'Check the punch, the day and that the remedied time lies in the range Remedy → Get Allowed lists.',
	1226501:
		'There is nothing to correct for this punch on that day (no missing, late or early punch). Remedy → Get Allowed lists what can be corrected.',
	1226502:
		"The employee's attendance group does not allow remedies. An attendance admin can allow them in the group's settings.",
	1226503:
		'The day is too far back: the attendance group allows remedies only for a limited number of past days.',
	1226504: "The employee's remedy quota for the period is used up (set in the attendance group).",
};

/** A remedy time 'yyyy-MM-dd HH:mm' (wall time in `zone`) as ISO 8601 in `outputZone`; undefined when unreadable. */
function wallTimeIso(text: unknown, zone: string, outputZone: string): string | undefined {
	try {
		return typeof text === 'string' && text !== ''
			? toIsoInZone(parseDateTime(text, zone), outputZone)
			: undefined;
	} catch {
		return undefined;
	}
}

/** One output row for a remedy as Feishu answers it: the punch in words, the status by name, ISO times. */
export function flattenRemedy(
	remedy: IDataObject,
	employeeIdType: string,
	outputZone: string,
): IDataObject {
	const zone =
		typeof remedy.time_zone === 'string' && isValidTimeZone(remedy.time_zone)
			? remedy.time_zone
			: outputZone;
	const day = Number(remedy.remedy_date);
	const seconds = (value: unknown) =>
		typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0
			? toIsoInZone(Number(value) * 1000, outputZone)
			: undefined;
	return compact({
		approval_id: remedy.approval_id as string,
		employee_id: remedy.user_id as string,
		employee_id_type: employeeIdType,
		remedy_date: remedy.remedy_date as number,
		date_iso: Number.isInteger(day) && day > 0 ? dayNumberToIsoDate(day) : undefined,
		punch: punchName(remedy.punch_no, remedy.work_type),
		punch_no: remedy.punch_no as number,
		work_type: remedy.work_type as number,
		remedy_time: remedy.remedy_time as string,
		remedy_time_iso: wallTimeIso(remedy.remedy_time, zone, outputZone),
		remedy_status: remedyStatusName(remedy.status),
		reason: remedy.reason as string,
		time_zone: remedy.time_zone as string,
		created_at: seconds(remedy.create_time),
		updated_at: seconds(remedy.update_time),
	});
}

/**
 * One output row for a punch query_user_allowed_remedys lists as correctable: the punch in words, and the
 * range the remedied time must lie in (Feishu's wall times in `timeZone`, and as ISO 8601).
 */
export function allowedRemedyRow(allowed: IDataObject, timeZone: string): IDataObject {
	const free = allowed.is_free_punch === true;
	return {
		punch: free ? punchName(0, 0) : punchName(allowed.punch_no, allowed.work_type),
		punch_no: allowed.punch_no as number,
		work_type: allowed.work_type as number,
		is_free_punch: free,
		punch_status: allowed.punch_status as string,
		normal_punch_time: allowed.normal_punch_time as string,
		normal_punch_time_iso: wallTimeIso(allowed.normal_punch_time, timeZone, timeZone),
		remedy_start_time: allowed.remedy_start_time as string,
		remedy_start_time_iso: wallTimeIso(allowed.remedy_start_time, timeZone, timeZone),
		remedy_end_time: allowed.remedy_end_time as string,
		remedy_end_time_iso: wallTimeIso(allowed.remedy_end_time, timeZone, timeZone),
	};
}

/** The key that makes two remedies the same correction: employee (as Feishu echoes the ID), day, punch. */
export const remedyKey = (
	employeeId: unknown,
	day: unknown,
	punchNo: unknown,
	workType: unknown,
): string => [String(employeeId), Number(day), Number(punchNo), Number(workType)].join('|');
