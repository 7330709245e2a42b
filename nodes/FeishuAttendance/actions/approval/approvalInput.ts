/**
 * Approval → Create: reading one input item into the record Feishu stores. Every value is read for its own
 * item (Employee ID Type and Timezone too) and checked for what it must be before anything is sent; a problem
 * throws a NodeOperationError naming the field and the item (see inputError).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApprovalRecordInput, RegionPlace } from './approvalBody';
import {
	MAX_TYPE_ID_LENGTH,
	MAX_TYPE_NAME_LENGTH,
	buildApprovalRecord,
	deriveTypeId,
} from './approvalBody';
import type { ApprovalType } from './approvalOptions';
import {
	APPROVAL_KINDS,
	APPROVAL_TYPE_CHOICES,
	LOCALES,
	OVERTIME_CATEGORIES,
	OVERTIME_TYPES,
	REGION_LEVELS,
	TRANSPORTATION,
	TRIP_TYPES,
	UNITS,
} from './approvalOptions';
import { deriveIdempotencyKey } from '../../helpers/idempotency';
import { errorMessage, inputError } from '../../helpers/output';
import { perItem, timezoneFrom } from '../../helpers/parameters';
import {
	DAY_MS,
	dayNumberToIsoDate,
	formatFeishuDateTime,
	parseDateTime,
	parseDay,
	toDayNumber,
	toIsoInZone,
} from '../../helpers/time';
import { readOptionalText, readText } from '../../helpers/values';
import { resolveEnum } from '../../helpers/enums';
import type { EnumEntry } from '../../helpers/enums';
import { readEmployeeIdType } from '../../helpers/employeeIdTypes';

/** Plausible approval times: not before 2000-01-01, not more than a year ahead (a typo such as 2926, or an epoch in the wrong unit). */
const EARLIEST_APPROVAL_MS = Date.UTC(2000, 0, 1);
const LATEST_APPROVAL_AHEAD_MS = 366 * DAY_MS;

/** One item, checked and converted: the body parts of its call and the summary shown in its output. */
export interface PreparedApproval {
	itemIndex: number;
	type: ApprovalType;
	employeeIdType: string;
	employeeId: string;
	/** yyyyMMdd */
	date: string;
	timeZone: string;
	/** the item of user_approval.<leaves|outs|overtime_works|trips> */
	record: IDataObject;
	summary: IDataObject;
	/** the idempotency key was given (not derived) */
	ownKey?: boolean;
}

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * The reader of the run's items: item → PreparedApproval, or a NodeOperationError naming the field and the
 * item. Timezone is read per item when it is an expression.
 */
export function approvalItemReader(
	ctx: IExecuteFunctions,
): (itemIndex: number) => PreparedApproval {
	const timezoneOf = perItem(ctx, 'options.timezone', (itemIndex) => timezoneFrom(ctx, itemIndex));
	return (itemIndex) => {
		const timeZone = timezoneOf(itemIndex);
		try {
			return read(ctx, itemIndex, timeZone);
		} catch (error) {
			throw inputError(ctx, itemIndex, errorMessage(error));
		}
	};
}

/** The reading itself; checks throw plain Errors, which readApprovalItem turns into this item's error. */
function read(ctx: IExecuteFunctions, itemIndex: number, timeZone: string): PreparedApproval {
	const param = (name: string, fallback?: unknown) =>
		ctx.getNodeParameter(name, itemIndex, fallback);
	const fail = (message: string): never => {
		throw new Error(message);
	};
	const named = <T extends string | number>(
		entries: Array<EnumEntry<T>>,
		value: unknown,
		label: string,
	): T => resolveEnum(entries, value, label);
	const time = (value: unknown, label: string): number => {
		let ms: number;
		try {
			ms = parseDateTime(value, timeZone);
		} catch (error) {
			return fail(`${label} ${errorMessage(error)}`);
		}
		if (ms < EARLIEST_APPROVAL_MS)
			fail(`${label} (${formatFeishuDateTime(ms, timeZone)}) is before 2000-01-01`);
		if (ms > Date.now() + LATEST_APPROVAL_AHEAD_MS) {
			fail(
				`${label} (${formatFeishuDateTime(ms, timeZone)}) is more than a year after today; check the year or the unit of an epoch time`,
			);
		}
		return ms;
	};

	const type = named(APPROVAL_TYPE_CHOICES, param('approvalType'), 'Type');
	const employeeIdType = readEmployeeIdType(
		param('employeeIdType'),
		{ openId: true, lookup: true },
		'choices',
	).chosen;
	const employeeId = readText(param('employeeId', ''), 'Employee ID');
	const startMs = time(param('start', ''), 'Start');
	const endMs = time(param('end', ''), 'End');
	const startText = formatFeishuDateTime(startMs, timeZone);
	const endText = formatFeishuDateTime(endMs, timeZone);
	if (endMs <= startMs) fail(`End (${endText}) must be after Start (${startText})`);
	const label = APPROVAL_KINDS[type].label;
	const reason = readOptionalText(param('reason', ''), 'Reason') ?? '';
	if (reason === '' && type !== 'overtime')
		fail(`Reason is empty: Feishu requires a reason for a ${label}`);
	const extra = param('additionalFields', {}) as IDataObject;

	let dayNumber: number;
	if (isSet(extra.date)) {
		try {
			dayNumber = parseDay(extra.date, timeZone);
		} catch (error) {
			return fail(`Date ${errorMessage(error)}`);
		}
	} else {
		dayNumber = toDayNumber(startMs, timeZone);
	}
	const ownKey = readOptionalText(extra.idempotencyKey, 'Idempotency Key');
	const idempotencyKey =
		ownKey ??
		deriveIdempotencyKey('approval', [employeeIdType, employeeId, type, startText, endText]);

	const input: ApprovalRecordInput = { type, startMs, endMs, timeZone, reason, idempotencyKey };
	if (type !== 'trip') input.unit = named(UNITS, param('unit'), 'Unit');

	if (type === 'leave' || type === 'out') {
		// One field for the type's name; its language, other-language names and type ID are grouped under it
		// (Leave Type Options / Out-of-Office Type Options).
		const field = type === 'leave' ? 'Leave Type' : 'Out-of-Office Type';
		const typeName = readOptionalText(param('typeName', ''), field);
		if (typeName === undefined) {
			return fail(
				type === 'leave'
					? `${field} is empty: give the name of a leave type set up in Feishu Attendance → Leave settings`
					: `${field} is empty: Feishu needs the name of the out-of-office type`,
			);
		}
		const typeOptions = param('typeNameOptions', {}) as IDataObject;
		const locale = named(
			LOCALES,
			isSet(typeOptions.locale) ? typeOptions.locale : 'ch',
			`${field} Options → Language`,
		);
		const names: Record<string, string | undefined> = {
			ch: readOptionalText(typeOptions.nameCh, 'Name in Chinese'),
			en: readOptionalText(typeOptions.nameEn, 'Name in English'),
			ja: readOptionalText(typeOptions.nameJa, 'Name in Japanese'),
			[locale]: typeName,
		};
		for (const [lang, name] of Object.entries(names)) {
			if (name !== undefined && name.length > MAX_TYPE_NAME_LENGTH) {
				fail(
					`The ${LOCALES.find((l) => l.code === lang)?.name} name of the ${field} is too long (${name.length} characters, at most ${MAX_TYPE_NAME_LENGTH})`,
				);
			}
		}
		input.names = names;
		input.defaultLocale = locale;
		const typeId =
			readOptionalText(typeOptions.typeId, 'Type ID') ??
			(type === 'out' ? deriveTypeId(typeName) : undefined);
		if (typeId !== undefined && typeId.length > MAX_TYPE_ID_LENGTH) {
			fail(
				`Type ID "${typeId}" is too long (${typeId.length} characters, Feishu allows at most ${MAX_TYPE_ID_LENGTH})`,
			);
		}
		input.typeId = typeId;
		if (isSet(extra.interval)) {
			const interval = Number(extra.interval);
			if (typeof extra.interval === 'object' || !Number.isInteger(interval) || interval < 0) {
				fail(
					`Interval (Seconds) must be a whole number of 0 or more, got ${String(extra.interval)}`,
				);
			}
			input.interval = interval;
		}
	}

	if (type === 'overtime') {
		input.category = named(OVERTIME_CATEGORIES, param('overtimeCategory'), 'Overtime Category');
		input.overtimeType = named(OVERTIME_TYPES, param('overtimeType'), 'Overtime Type');
		if (isSet(extra.duration)) {
			const duration = Number(extra.duration);
			if (typeof extra.duration === 'object' || !Number.isFinite(duration) || duration < 0) {
				fail(`Duration must be a number of 0 or more, got ${String(extra.duration)}`);
			}
			input.duration = duration;
		}
	}

	if (type === 'trip') {
		if (isSet(extra.approveApplyTime))
			input.applyMs = time(extra.approveApplyTime, 'Approval Applied At');
		if (isSet(extra.approvePassTime))
			input.passMs = time(extra.approvePassTime, 'Approval Passed At');
		const place = (level: unknown, id: unknown, what: string): RegionPlace | undefined => {
			const regionId = readOptionalText(id, `${what} Region ID`);
			if (regionId === undefined) return undefined;
			return {
				region_level: named(REGION_LEVELS, level ?? 'city', `${what} Region Level`),
				region_id: regionId,
			};
		};
		input.departure = place(extra.departureRegionLevel, extra.departureRegionId, 'Departure');
		const destinations = ((extra.destinations as IDataObject | undefined)?.destination ??
			[]) as IDataObject[];
		input.destinations = destinations
			.map((d) => place(d.regionLevel, d.regionId, 'Destination'))
			.filter((d): d is RegionPlace => d !== undefined);
		const transportation = extra.transportation;
		if (isSet(transportation)) {
			const list = Array.isArray(transportation)
				? transportation
				: String(transportation).split(',');
			input.transportation = [
				...new Set(
					list.map((t) =>
						named(TRANSPORTATION, typeof t === 'string' ? t.trim() : t, 'Transportation'),
					),
				),
			];
		}
		if (isSet(extra.tripType)) input.tripType = named(TRIP_TYPES, extra.tripType, 'Trip Type');
		input.remarks = readOptionalText(extra.remarks, 'Remarks') ?? '';
	}

	const date = String(dayNumber);
	return {
		itemIndex,
		type,
		employeeIdType,
		employeeId,
		date,
		timeZone,
		record: buildApprovalRecord(input),
		summary: {
			type,
			employee_id: employeeId,
			employee_id_type: employeeIdType,
			date,
			date_iso: dayNumberToIsoDate(dayNumber),
			start_time: startText,
			start_time_iso: toIsoInZone(startMs, timeZone),
			end_time: endText,
			end_time_iso: toIsoInZone(endMs, timeZone),
			idempotency_key: idempotencyKey,
		},
		ownKey: ownKey !== undefined,
	};
}

/**
 * An item of Employee ID Type Email / Mobile once its user ID is known: sent as employee_id, its derived
 * idempotency key computed as for an item given by user ID (the same leave is one record whichever way the
 * sheet names the employee); the summary carries what the item gave (`given`: employee_email / _mobile).
 */
export function approvalByUserId(
	prepared: PreparedApproval,
	userId: string,
	given: IDataObject,
): PreparedApproval {
	const { summary } = prepared;
	const key = prepared.ownKey
		? String(summary.idempotency_key)
		: deriveIdempotencyKey('approval', [
				'employee_id',
				userId,
				prepared.type,
				String(summary.start_time),
				String(summary.end_time),
			]);
	const { type, employee_id: _given, employee_id_type: _type, ...rest } = summary;
	return {
		...prepared,
		employeeIdType: 'employee_id',
		employeeId: userId,
		record: { ...prepared.record, idempotent_id: key },
		summary: {
			type,
			employee_id: userId,
			...given,
			employee_id_type: 'employee_id',
			...rest,
			idempotency_key: key,
		},
	};
}
