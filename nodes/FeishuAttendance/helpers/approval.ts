/**
 * Approvals (leave, out of office, overtime, business trip): named options ↔ Feishu's numbers, request
 * bodies for user_approvals, decoding of the 1225001 rejection message, query windows, and flattening of
 * query answers. Source: shared/feishu-api.md §5 and seed 004.
 */
import { createHash } from 'crypto';
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { compact } from './output';
import { addDays, dayNumberToIsoDate, formatFeishuDateTime, isValidTimeZone, parseDateTime, splitDayRange, toIsoInZone } from './time';

export type ApprovalType = 'leave' | 'out' | 'overtime' | 'trip';

type JsonValue = IDataObject[string];

export const APPROVAL_TYPES: ApprovalType[] = ['leave', 'out', 'overtime', 'trip'];

/** Per type: the body array of user_approval and the key of its part of a 1225001 message. */
export const APPROVAL_KINDS: Record<ApprovalType, { field: string; errorKey: string; label: string }> = {
	leave: { field: 'leaves', errorKey: 'LeaveErrorRecords', label: 'leave' },
	out: { field: 'outs', errorKey: 'OutErrorRecords', label: 'out of office' },
	overtime: { field: 'overtime_works', errorKey: 'OvertimeWorkErrorRecords', label: 'overtime' },
	trip: { field: 'trips', errorKey: 'TripErrorRecords', label: 'business trip' },
};

/**
 * A named option: node option value, display name (also used in outputs), Feishu's value, and the option's
 * description in the node (optional). Each table is the one list of its choices: the node's options
 * (optionsOf), reading a value (resolveEnum) and naming Feishu's value in the output (enumName).
 */
export interface EnumEntry<T extends string | number> {
	value: string;
	name: string;
	code: T;
	description?: string;
}

export const UNITS: Array<EnumEntry<number>> = [
	{ value: 'day', name: 'Day', code: 1 },
	{ value: 'hour', name: 'Hour', code: 2 },
	{ value: 'halfDay', name: 'Half Day', code: 3 },
	{ value: 'halfHour', name: 'Half Hour', code: 4 },
];

export const OVERTIME_CATEGORIES: Array<EnumEntry<number>> = [
	{ value: 'workday', name: 'Workday', code: 1 },
	{ value: 'restDay', name: 'Rest Day', code: 2 },
	{ value: 'publicHoliday', name: 'Public Holiday', code: 3 },
];

export const OVERTIME_TYPES: Array<EnumEntry<number>> = [
	{ value: 'recordOnly', name: 'Record Only', code: 0, description: 'The overtime is recorded without compensation' },
	{ value: 'timeOffInLieu', name: 'Time Off in Lieu', code: 1, description: 'The overtime is compensated with time off' },
	{ value: 'overtimePay', name: 'Overtime Pay', code: 2, description: 'The overtime is paid' },
];

export const TRANSPORTATION: Array<EnumEntry<number>> = [
	{ value: 'plane', name: 'Plane', code: 1 },
	{ value: 'train', name: 'Train', code: 2 },
	{ value: 'car', name: 'Car', code: 3 },
	{ value: 'highSpeedRail', name: 'High-Speed Rail', code: 4 },
	{ value: 'ship', name: 'Ship', code: 5 },
	{ value: 'other', name: 'Other', code: 6 },
];

export const TRIP_TYPES: Array<EnumEntry<number>> = [
	{ value: 'oneWay', name: 'One Way', code: 1 },
	{ value: 'roundTrip', name: 'Round Trip', code: 2 },
];

export const REGION_LEVELS: Array<EnumEntry<string>> = [
	{ value: 'country', name: 'Country', code: 'l1' },
	{ value: 'province', name: 'Province', code: 'l2' },
	{ value: 'city', name: 'City', code: 'l3' },
	{ value: 'district', name: 'District or County', code: 'l4' },
];

export const LOCALES: Array<EnumEntry<string>> = [
	{ value: 'ch', name: 'Chinese', code: 'ch' },
	{ value: 'en', name: 'English', code: 'en' },
	{ value: 'ja', name: 'Japanese', code: 'ja' },
];

export const APPROVAL_STATUSES: Array<EnumEntry<number>> = [
	{ value: 'pending', name: 'Pending', code: 0 },
	{ value: 'rejected', name: 'Rejected', code: 1 },
	{ value: 'approved', name: 'Approved', code: 2 },
	{ value: 'cancelled', name: 'Cancelled', code: 3 },
	{ value: 'withdrawn', name: 'Withdrawn', code: 4 },
];

export const DATE_TYPES: Array<EnumEntry<string>> = [
	{ value: 'period', name: 'Period', code: 'PeriodTime', description: 'Approvals whose date (the day they apply to) is in the range' },
	{ value: 'created', name: 'Created', code: 'CreateTime', description: 'Approvals created in the range' },
	{
		value: 'updated',
		name: 'Updated',
		code: 'UpdateTime',
		description: 'Approvals updated in the range (not yet available on every tenant)',
	},
];

/**
 * The options of a node parameter for a table: sorted by name as n8n lists them, or `asListed` where the
 * table's order is the one to show (the default first).
 */
export function optionsOf<T extends string | number>(
	entries: Array<EnumEntry<T>>,
	order: 'byName' | 'asListed' = 'byName',
): INodePropertyOptions[] {
	const options = entries.map(({ name, value, description }) => (description ? { name, value, description } : { name, value }));
	return order === 'asListed' ? options : options.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Feishu's value for a named option. Accepts the option value ('halfDay'), its display name ('Half Day',
 * any case and spacing) and, for values coming from other systems, Feishu's own value (3).
 * Throws an Error naming the allowed choices otherwise.
 */
export function resolveEnum<T extends string | number>(entries: Array<EnumEntry<T>>, value: unknown, label: string): T {
	const text = typeof value === 'string' ? normalize(value) : undefined;
	const found = entries.find(
		(e) =>
			(text !== undefined && text !== '' && (normalize(e.value) === text || normalize(e.name) === text)) ||
			e.code === value ||
			(typeof e.code === 'number' && typeof value === 'string' && value.trim() !== '' && Number(value) === e.code),
	);
	if (!found) {
		throw new Error(`${label} "${String(value)}" is not one of: ${entries.map((e) => e.name).join(', ')}`);
	}
	return found.code;
}

/** The display name of Feishu's value, or the value itself when it is not known. */
export function enumName<T extends string | number>(entries: Array<EnumEntry<T>>, code: unknown): JsonValue {
	return entries.find((e) => e.code === code)?.name ?? (code as JsonValue);
}

// ------------------------------------------------------------------------------------------- create

/** Feishu allows type IDs (uniq_id) of fewer than 14 characters. */
export const MAX_TYPE_ID_LENGTH = 13;

/** Longest type name accepted per language (not documented by Feishu; a guard against pasted text). */
export const MAX_TYPE_NAME_LENGTH = 100;

export interface RegionPlace {
	region_level: string;
	region_id: string;
}

/** One approval record as the user described it, already checked and converted to Feishu's values. */
export interface ApprovalRecordInput {
	type: ApprovalType;
	startMs: number;
	endMs: number;
	/** zone of the attendance group: Feishu reads start/end wall times in it */
	timeZone: string;
	reason: string;
	idempotencyKey: string;
	unit?: number;
	/** seconds */
	interval?: number;
	names?: { ch?: string; en?: string; ja?: string };
	defaultLocale?: string;
	typeId?: string;
	category?: number;
	overtimeType?: number;
	duration?: number;
	applyMs?: number;
	passMs?: number;
	departure?: RegionPlace;
	destinations?: RegionPlace[];
	transportation?: number[];
	tripType?: number;
	remarks?: string;
}

/** Seconds per unit, to compute an overtime duration from Start and End (a day counts as 24 hours). */
const UNIT_SECONDS: Record<number, number> = { 1: 86400, 2: 3600, 3: 43200, 4: 1800 };

/** The default duration of an overtime in its unit, rounded to two decimals. */
export function durationInUnit(startMs: number, endMs: number, unit: number): number {
	return Math.round(((endMs - startMs) / 1000 / UNIT_SECONDS[unit]) * 100) / 100;
}

/** A default out-of-office type ID derived from the type name (13 characters, stable per name). */
export function deriveTypeId(name: string): string {
	const hash = createHash('sha256').update(name.trim()).digest('hex');
	return `n8n${hash.slice(0, MAX_TYPE_ID_LENGTH - 3)}`;
}

/** The item of `user_approval.leaves / outs / overtime_works / trips` for one record. */
export function buildApprovalRecord(input: ApprovalRecordInput): IDataObject {
	const time = (ms: number) => formatFeishuDateTime(ms, input.timeZone);
	const start_time = time(input.startMs);
	const end_time = time(input.endMs);
	const interval = input.interval ?? Math.round((input.endMs - input.startMs) / 1000);
	switch (input.type) {
		case 'leave':
		case 'out':
			return compact({
				uniq_id: input.typeId,
				unit: input.unit,
				interval,
				start_time,
				end_time,
				i18n_names: compact({ ...input.names }),
				default_locale: input.defaultLocale,
				reason: input.reason,
				idempotent_id: input.idempotencyKey,
			});
		case 'overtime':
			return compact({
				duration: input.duration ?? durationInUnit(input.startMs, input.endMs, input.unit ?? 2),
				unit: input.unit,
				category: input.category,
				type: input.overtimeType,
				start_time,
				end_time,
				reason: input.reason === '' ? undefined : input.reason,
				idempotent_id: input.idempotencyKey,
			});
		case 'trip':
			return compact({
				start_time,
				end_time,
				reason: input.reason,
				approve_apply_time: time(input.applyMs ?? input.startMs),
				approve_pass_time: time(input.passMs ?? input.applyMs ?? input.startMs),
				idempotent_id: input.idempotencyKey,
				departure: input.departure,
				destinations: input.destinations?.length ? input.destinations : undefined,
				transportation: input.transportation?.length ? input.transportation : undefined,
				trip_type: input.tripType,
				remarks: input.remarks === '' ? undefined : input.remarks,
			});
	}
}

/** The body of POST user_approvals: one employee, one date (yyyyMMdd), one record. */
export function buildApprovalBody(employeeId: string, date: string, type: ApprovalType, record: IDataObject): IDataObject {
	return { user_approval: { user_id: employeeId, date, [APPROVAL_KINDS[type].field]: [record] } };
}

// ----------------------------------------------------------------------------------------- 1225001

/** One rejected record from a 1225001 message. */
export interface ApprovalRejection {
	/** undefined when the message did not say which part it came from */
	type?: ApprovalType;
	idempotentId?: string;
	startTime?: string;
	endTime?: string;
	reason: string;
}

const pick = (record: IDataObject, names: string[]): string | undefined => {
	for (const name of names) {
		const value = record[name];
		if (typeof value === 'string' && value !== '') return value;
		if (typeof value === 'number') return String(value);
	}
	return undefined;
};

function tryJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function rejectionsIn(value: unknown, type: ApprovalType | undefined, depth = 0): ApprovalRejection[] {
	if (value === null || value === undefined || value === '') return [];
	if (typeof value === 'string') {
		const parsed = depth < 3 ? tryJson(value) : undefined;
		if (parsed !== undefined && typeof parsed !== 'string' && typeof parsed !== 'number') {
			return rejectionsIn(parsed, type, depth + 1);
		}
		return [{ type, reason: value }];
	}
	if (Array.isArray(value)) return value.flatMap((entry) => rejectionsIn(entry, type, depth + 1));
	if (typeof value === 'object') {
		const record = value as IDataObject;
		const reason =
			pick(record, ['reason', 'Reason', 'err_msg', 'error_msg', 'errMsg', 'msg', 'message', 'error', 'Error']) ??
			JSON.stringify(record);
		return [
			{
				type,
				idempotentId: pick(record, ['idempotent_id', 'idempotentId', 'IdempotentId', 'IdempotentID']),
				startTime: pick(record, ['start_time', 'startTime', 'StartTime']),
				endTime: pick(record, ['end_time', 'endTime', 'EndTime']),
				reason,
			},
		];
	}
	return [{ type, reason: String(value) }];
}

/**
 * Reads the `msg` of a 1225001 answer. Documented only as the template
 * {"TripErrorRecords":"","OvertimeWorkErrorRecords":"","LeaveErrorRecords":"","OutErrorRecords":""};
 * the values may be stringified JSON arrays of records, arrays, objects or plain text, so every form is
 * accepted. Returns undefined when the message is not such an object.
 */
export function decodeApprovalRejections(msg: string): ApprovalRejection[] | undefined {
	const parsed = tryJson(msg);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
	const byKey = new Map(APPROVAL_TYPES.map((type) => [APPROVAL_KINDS[type].errorKey.toLowerCase(), type]));
	const rejections: ApprovalRejection[] = [];
	let known = false;
	for (const [key, value] of Object.entries(parsed as IDataObject)) {
		const type = byKey.get(key.toLowerCase());
		if (type) known = true;
		else if (!/ErrorRecords$/i.test(key)) continue;
		rejections.push(...rejectionsIn(value, type));
	}
	return known || rejections.length > 0 ? rejections : undefined;
}

/**
 * The rejection that belongs to a record that was sent: same idempotency key, else same start and end
 * time (only rejections of the record's type, or of no known type, are considered).
 */
export function rejectionFor(
	rejections: ApprovalRejection[],
	type: ApprovalType,
	record: IDataObject,
): ApprovalRejection | undefined {
	const candidates = rejections.filter((r) => r.type === undefined || r.type === type);
	return (
		candidates.find((r) => r.idempotentId !== undefined && r.idempotentId === record.idempotent_id) ??
		candidates.find(
			(r) =>
				r.idempotentId === undefined &&
				r.startTime !== undefined &&
				r.startTime === record.start_time &&
				r.endTime === record.end_time,
		)
	);
}

// ------------------------------------------------------------------------------------------- query

/** Feishu answers approval queries for at most 30 days per call. */
export const APPROVAL_QUERY_MAX_DAYS = 30;

/**
 * The windows of an approval query for the days [from, to]. Feishu refuses check_date_from later than
 * tomorrow (`latestFrom`) and spans over 30 days, so:
 * - Period: a part of the range after `latestFrom` is asked in one window that starts at `latestFrom`
 *   (records outside [from, to] are dropped by the caller); a range ending after latestFrom + 29 days
 *   cannot be asked at all → Error.
 * - Created / Updated: nothing can be created after tomorrow, so the range ends at `latestFrom`
 *   (no windows when it starts later).
 */
export function approvalQueryWindows(
	from: number,
	to: number,
	latestFrom: number,
	dateType: string,
): Array<{ from: number; to: number }> {
	if (dateType !== 'PeriodTime') {
		const end = Math.min(to, latestFrom);
		return from > end ? [] : splitDayRange(from, end, APPROVAL_QUERY_MAX_DAYS);
	}
	const lastReachable = addDays(latestFrom, APPROVAL_QUERY_MAX_DAYS - 1);
	if (to > lastReachable) {
		throw new Error(
			`To (${dayNumberToIsoDate(to)}) is too far ahead: Feishu only answers approval queries that start by tomorrow and span at most ${APPROVAL_QUERY_MAX_DAYS} days, so the latest day that can be asked for is ${dayNumberToIsoDate(lastReachable)}`,
		);
	}
	if (to < latestFrom) return splitDayRange(from, to, APPROVAL_QUERY_MAX_DAYS);
	const windows = from < latestFrom ? splitDayRange(from, addDays(latestFrom, -1), APPROVAL_QUERY_MAX_DAYS) : [];
	windows.push({ from: latestFrom, to });
	return windows;
}

/** Reads a Feishu wall time ('yyyy-MM-dd HH:mm:ss' in `sourceZone`) as ISO 8601 in `outputZone`. */
function isoOf(value: unknown, sourceZone: string, outputZone: string): string | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	try {
		return toIsoInZone(parseDateTime(value, sourceZone), outputZone);
	} catch {
		return undefined;
	}
}

const dateIsoOf = (value: unknown): string | undefined =>
	typeof value === 'string' && /^\d{8}$/.test(value) ? dayNumberToIsoDate(Number(value)) : undefined;

/**
 * One output item per record of a user_approvals/query entry: the record's own fields with readable
 * option names, its type and employee, and next to Feishu's date and wall times their ISO 8601 form
 * (`*_iso`, times in `outputZone`).
 * The entry's `time_zone` (the attendance group's zone) is used to read the wall times when it is valid.
 */
export function flattenApprovalEntry(
	entry: IDataObject,
	outputZone: string,
	extra: IDataObject,
): Array<{ type: ApprovalType; record: IDataObject }> {
	const entryZone = typeof entry.time_zone === 'string' && isValidTimeZone(entry.time_zone) ? entry.time_zone : outputZone;
	const out: Array<{ type: ApprovalType; record: IDataObject }> = [];
	for (const type of APPROVAL_TYPES) {
		const records = entry[APPROVAL_KINDS[type].field];
		if (!Array.isArray(records)) continue;
		for (const raw of records as IDataObject[]) {
			if (typeof raw !== 'object' || raw === null) continue;
			const {
				approval_id,
				start_time,
				end_time,
				approve_apply_time,
				approve_pass_time,
				idempotent_id,
				uniq_id,
				i18n_names,
				default_locale,
				unit,
				category,
				type: overtimeType,
				transportation,
				trip_type,
				...rest
			} = raw;
			const names = (typeof i18n_names === 'object' && i18n_names !== null ? i18n_names : {}) as IDataObject;
			const record: IDataObject = compact({
				type,
				approval_id,
				employee_id: entry.user_id,
				...extra,
				date: entry.date,
				date_iso: dateIsoOf(entry.date),
				start_time,
				start_time_iso: isoOf(start_time, entryZone, outputZone),
				end_time,
				end_time_iso: isoOf(end_time, entryZone, outputZone),
				type_name:
					type === 'leave' || type === 'out'
						? (names[String(default_locale)] ?? names.ch ?? names.en ?? names.ja)
						: undefined,
				type_id: uniq_id,
				i18n_names: i18n_names as IDataObject | undefined,
				default_locale,
				unit: unit === undefined ? undefined : enumName(UNITS, unit),
				category: category === undefined ? undefined : enumName(OVERTIME_CATEGORIES, category),
				overtime_type: overtimeType === undefined ? undefined : enumName(OVERTIME_TYPES, overtimeType),
				transportation: Array.isArray(transportation)
					? (transportation.map((t) => enumName(TRANSPORTATION, t)) as JsonValue)
					: transportation,
				trip_type: trip_type === undefined ? undefined : enumName(TRIP_TYPES, trip_type),
				approve_apply_time,
				approve_apply_time_iso: isoOf(approve_apply_time, entryZone, outputZone),
				approve_pass_time,
				approve_pass_time_iso: isoOf(approve_pass_time, entryZone, outputZone),
				idempotency_key: idempotent_id,
				...rest,
				time_zone: entry.time_zone,
			});
			out.push({ type, record });
		}
	}
	return out;
}
