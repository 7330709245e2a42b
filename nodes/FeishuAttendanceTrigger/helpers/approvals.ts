import type { IDataObject } from 'n8n-workflow';

import { compact } from '../../shared/json';
import { isValidTimeZone, parseDateTime, toIsoInZone } from '../../shared/time';
import { envelopeEventId, envelopeEventType, isObject } from './envelope';
import { parseEpoch, toIsoInTimeZone } from './time';

/**
 * Feishu Approval's attendance events (approval events "special events", scope approval:approval:readonly; the
 * app must also subscribe to the approval definition through approval/v4/approvals/:code/subscribe):
 * https://open.feishu.cn/document/server-docs/approval-v4/event/special-event/leave (and …/overtime,
 * …/out-of-office, …/shift-change, …/attendance-record-correction, …/business-trip).
 *
 * Confirmed by Feishu's pages: leave, overtime, out of office and shift swap arrive in the schema 1.0 envelope
 * (`type: event_callback`, `uuid`, `token`, the type in `event.type`); an approved leave sends two messages
 * (`leave_approval` and `leave_approvalV2`, different `uuid`, same `instance_code`); "approved, then revoked" sends
 * `leave_approval_revert` / `work_approval_revert` / `out_approval_revert` (with `operate_time`). The remedy and
 * trip events are documented in schema 2.0 (`header.event_type` approval.instance.remedy_group_update_v4 /
 * trip_group_update_v4, payload under `event.object`), while the .NET SDK reads them as schema 1.0 envelopes
 * with that type in `event.type`; the older `remedy_approval` / `trip_approval` (1.0) carry the fields in `event`.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-events — every reading is accepted.
 */

export type ApprovalKind = 'leave' | 'overtime' | 'out' | 'shift_swap' | 'remedy' | 'trip';

/** The choices of the trigger's Events list, each with the event types Feishu sends for it. */
export const APPROVAL_EVENTS: Array<{
	value: string;
	kind: ApprovalKind;
	name: string;
	description: string;
	types: string[];
}> = [
	{
		value: 'leave_approval',
		kind: 'leave',
		name: 'Leave Approved or Revoked',
		description:
			'Feishu Approval: a leave request was approved, or approved and then revoked (leave_approval)',
		types: ['leave_approval', 'leave_approvalV2', 'leave_approval_revert'],
	},
	{
		value: 'work_approval',
		kind: 'overtime',
		name: 'Overtime Approved or Revoked',
		description:
			'Feishu Approval: an overtime request was approved, or approved and then revoked (work_approval)',
		types: ['work_approval', 'work_approval_revert'],
	},
	{
		value: 'out_approval',
		kind: 'out',
		name: 'Out of Office Approved or Revoked',
		description:
			'Feishu Approval: an out-of-office request was approved, or approved and then revoked (out_approval)',
		types: ['out_approval', 'out_approval_revert'],
	},
	{
		value: 'shift_approval',
		kind: 'shift_swap',
		name: 'Shift Swap Approved',
		description: 'Feishu Approval: a shift swap was approved (shift_approval)',
		types: ['shift_approval'],
	},
	{
		value: 'remedy_approval',
		kind: 'remedy',
		name: 'Remedy Approved',
		description:
			'Feishu Approval: a punch correction (补卡) was approved (approval.instance.remedy_group_update_v4)',
		types: ['approval.instance.remedy_group_update_v4', 'remedy_approval', 'remedy_approval_v2'],
	},
	{
		value: 'trip_approval',
		kind: 'trip',
		name: 'Business Trip Approved',
		description:
			'Feishu Approval: a business trip was approved (approval.instance.trip_group_update_v4)',
		types: ['approval.instance.trip_group_update_v4', 'trip_approval', 'trip_approval_v2'],
	},
];

const CHOICE_OF_TYPE = new Map(
	APPROVAL_EVENTS.flatMap((choice) => choice.types.map((type) => [type, choice] as const)),
);

/** The Events choice an event type belongs to, if it is an approval event. */
export function approvalChoiceOf(
	eventType: string | undefined,
): (typeof APPROVAL_EVENTS)[number] | undefined {
	return eventType === undefined ? undefined : CHOICE_OF_TYPE.get(eventType);
}

/** The approval's fields: `event.object` (approval.instance.*_group_update_v4) or `event` itself (schema 1.0). */
function payloadOf(envelope: IDataObject): IDataObject {
	const event = isObject(envelope.event) ? envelope.event : {};
	return isObject(event.object) ? event.object : event;
}

/** A Feishu wall time ('2024-09-05 12:00:00') as ISO 8601: read and written in `zone` (the events carry none). */
function wallIso(value: unknown, zone: string): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	try {
		return toIsoInZone(parseDateTime(value.trim(), zone), zone);
	} catch {
		return undefined;
	}
}

/**
 * The name behind an `@i18n@…` key (leave_name, out_name) from `i18n_resources`: an array of
 * `{ locale, is_default, texts }` objects, or the text Feishu's leave sample shows
 * (`[{is_default=true,locale=zh_cn,texts={@i18n@7276…=事假}}]`). The default locale's text first.
 */
export function i18nName(key: unknown, resources: unknown): string | undefined {
	if (typeof key !== 'string' || !key.startsWith('@i18n@'))
		return typeof key === 'string' && key !== '' ? key : undefined;
	if (Array.isArray(resources)) {
		const list = resources.filter(isObject);
		const ordered = [
			...list.filter((r) => r.is_default === true),
			...list.filter((r) => r.is_default !== true),
		];
		for (const resource of ordered) {
			const texts = isObject(resource.texts) ? resource.texts : {};
			if (typeof texts[key] === 'string') return texts[key] as string;
		}
		return undefined;
	}
	if (typeof resources === 'string') {
		const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		const match = new RegExp(`${escaped}=([^,}\\]]+)`).exec(resources);
		return match ? match[1].trim() : undefined;
	}
	return undefined;
}

/** From and to of an approval in Feishu's wall times, per kind (a trip: its first start and last end). */
function periodOf(
	kind: ApprovalKind,
	p: IDataObject,
	zone: string,
): { from?: IDataObject[string]; to?: IDataObject[string]; fromIso?: string; toIso?: string } {
	switch (kind) {
		case 'leave':
			return { from: p.leave_start_time, to: p.leave_end_time };
		case 'overtime':
			return { from: p.work_start_time, to: p.work_end_time };
		case 'out':
			return { from: p.out_start_time, to: p.out_end_time };
		case 'shift_swap':
			return { from: p.shift_time, to: p.return_time };
		case 'remedy': {
			// approval.instance.remedy_group_update_v4: milliseconds; remedy_approval (1.0): a wall time
			const ms =
				typeof p.remedy_time === 'number' || /^\d{12,}$/.test(String(p.remedy_time ?? ''))
					? parseEpoch(p.remedy_time, 'ms')
					: undefined;
			if (ms !== undefined)
				return {
					from: p.remedy_time,
					to: p.remedy_time,
					fromIso: toIsoInTimeZone(ms, zone),
					toIso: toIsoInTimeZone(ms, zone),
				};
			return { from: p.remedy_time, to: p.remedy_time };
		}
		case 'trip': {
			const schedules = Array.isArray(p.schedules) ? p.schedules.filter(isObject) : [];
			const starts = schedules
				.map((s) => String(s.trip_start_time ?? ''))
				.filter((t) => t !== '')
				.sort();
			const ends = schedules
				.map((s) => String(s.trip_end_time ?? ''))
				.filter((t) => t !== '')
				.sort();
			return { from: starts[0], to: ends[ends.length - 1] };
		}
	}
}

function reasonOf(kind: ApprovalKind, p: IDataObject): IDataObject[string] {
	const field = {
		leave: 'leave_reason',
		overtime: 'work_reason',
		out: 'out_reason',
		shift_swap: 'shift_reason',
		remedy: 'remedy_reason',
		trip: 'trip_reason',
	}[kind];
	return p[field];
}

function durationOf(kind: ApprovalKind, p: IDataObject): number | undefined {
	const field = {
		leave: 'leave_interval',
		overtime: 'work_interval',
		out: 'out_interval',
		shift_swap: '',
		remedy: '',
		trip: 'trip_interval',
	}[kind];
	const value = field === '' ? undefined : Number(p[field]);
	return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** Whether the event says the approval was revoked (`*_revert`, status REVERTED) rather than approved. */
function isRevoked(eventType: string, p: IDataObject): boolean {
	return eventType.endsWith('_revert') || String(p.status ?? '').toUpperCase() === 'REVERTED';
}

/** The submitter's user_id: `employee_id` (most events), `user_id` (V2 / out), or `start_user.id.user_id` (trip v4). */
function employeeOf(p: IDataObject): string | undefined {
	const startUser = isObject(p.start_user) && isObject(p.start_user.id) ? p.start_user.id : {};
	const id = p.employee_id ?? p.user_id ?? startUser.user_id;
	return id === undefined || id === null || id === '' ? undefined : String(id);
}

/**
 * The one output item of an approval event: who (`employee_id`, `open_id`), what (`approval_type`,
 * `type_name`), `status` (approved / revoked), `from` / `to` (Feishu's wall times) with `from_iso` / `to_iso`
 * in `zone`, `instance_code`, `approval_code`, reason, duration, when it was approved or revoked; Feishu's own
 * fields after them and the envelope under `raw` (the caller adds it, redacted).
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-events (the zone of the wall times: read in `zone`).
 */
export function flattenApproval(envelope: IDataObject, zone: string): IDataObject {
	const eventType = envelopeEventType(envelope) ?? '';
	const choice = approvalChoiceOf(eventType);
	const kind = choice?.kind ?? 'leave';
	const p = payloadOf(envelope);
	const outputZone = isValidTimeZone(zone) ? zone : 'UTC';
	const period = periodOf(kind, p, outputZone);
	const revoked = isRevoked(eventType, p);
	const header = isObject(envelope.header) ? envelope.header : {};
	const startUser = isObject(p.start_user) && isObject(p.start_user.id) ? p.start_user.id : {};
	const approvedMs = parseEpoch(p.end_time, 's');
	const revokedMs = parseEpoch(p.operate_time, 's');
	const item: IDataObject = {
		event_type: eventType,
		event_id: envelopeEventId(envelope),
		approval_type: kind,
		status: revoked ? 'revoked' : 'approved',
		employee_id: employeeOf(p),
		open_id: (p.open_id ?? startUser.open_id) as string | undefined,
		type_name:
			kind === 'leave'
				? (i18nName(p.leave_name, p.i18n_resources) ?? p.leave_type)
				: kind === 'out'
					? i18nName(p.out_name, p.i18n_resources)
					: undefined,
		from: period.from,
		from_iso: period.fromIso ?? wallIso(period.from, outputZone),
		to: period.to,
		to_iso: period.toIso ?? wallIso(period.to, outputZone),
		duration_seconds: durationOf(kind, p),
		reason: reasonOf(kind, p),
		instance_code: p.instance_code,
		approval_code: p.approval_code,
		origin_instance_code: p.origin_instance_code === '' ? undefined : p.origin_instance_code,
		approved_at_iso:
			!revoked && approvedMs !== undefined ? toIsoInTimeZone(approvedMs, outputZone) : undefined,
		revoked_at_iso:
			revoked && revokedMs !== undefined ? toIsoInTimeZone(revokedMs, outputZone) : undefined,
		app_id: header.app_id ?? p.app_id,
		tenant_key: header.tenant_key ?? p.tenant_key,
		schema: envelope.schema ?? (envelope.uuid !== undefined ? '1.0' : undefined),
	};
	for (const [key, value] of Object.entries(p))
		if (!(key in item) && key !== 'type') item[key] = value;
	return compact(item);
}

/**
 * What makes two deliveries the same approval event: the instance and what happened to it. Feishu sends an
 * approved leave twice (leave_approval and leave_approvalV2, different uuid): the second is a duplicate.
 */
export function approvalEventKey(item: IDataObject): string | undefined {
	if (item.instance_code === undefined || item.instance_code === '') return undefined;
	return `approval:${String(item.approval_type)}:${String(item.instance_code)}:${String(item.status)}`;
}
