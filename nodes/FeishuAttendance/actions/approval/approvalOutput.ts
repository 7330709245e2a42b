/** Output items of Approval → Get Many: one per record of a user_approvals/query entry. */
import type { IDataObject } from 'n8n-workflow';

import type { ApprovalType } from './approvalOptions';
import {
	APPROVAL_KINDS,
	APPROVAL_TYPES,
	OVERTIME_CATEGORIES,
	OVERTIME_TYPES,
	TRANSPORTATION,
	TRIP_TYPES,
	UNITS,
} from './approvalOptions';
import { compact } from '../../helpers/output';
import {
	dayNumberToIsoDate,
	isValidTimeZone,
	parseDateTime,
	toIsoInZone,
} from '../../helpers/time';
import { enumName } from '../../helpers/enums';

type JsonValue = IDataObject[string];

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
	typeof value === 'string' && /^\d{8}$/.test(value)
		? dayNumberToIsoDate(Number(value))
		: undefined;

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
	const entryZone =
		typeof entry.time_zone === 'string' && isValidTimeZone(entry.time_zone)
			? entry.time_zone
			: outputZone;
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
			const names = (
				typeof i18n_names === 'object' && i18n_names !== null ? i18n_names : {}
			) as IDataObject;
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
				overtime_type:
					overtimeType === undefined ? undefined : enumName(OVERTIME_TYPES, overtimeType),
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
