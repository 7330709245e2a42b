/** Request bodies of POST user_approvals: one employee, one date, one record (https://open.feishu.cn/document/server-docs/attendance-v1/user_approval/create). */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { compact } from '../../helpers/output';
import { formatFeishuDateTime } from '../../helpers/time';
import type { ApprovalType } from './approvalOptions';
import { APPROVAL_KINDS } from './approvalOptions';

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
function durationInUnit(startMs: number, endMs: number, unit: number): number {
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
export function buildApprovalBody(
	employeeId: string,
	date: string,
	type: ApprovalType,
	record: IDataObject,
): IDataObject {
	return { user_approval: { user_id: employeeId, date, [APPROVAL_KINDS[type].field]: [record] } };
}
