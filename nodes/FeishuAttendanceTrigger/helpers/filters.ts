import type { IDataObject } from 'n8n-workflow';

import { ATTENDANCE_EVENT_PREFIX, EMPLOYEE_ID_ANY, EVENT_ANY } from './constants';
import { isObject } from './envelope';

/**
 * Event filters of the trigger. Pure functions over the decrypted envelope's `event` payload.
 */

/** Selected event types match `eventType`; `*` matches every `attendance.*` event. */
export function matchesEventType(selected: string[], eventType: string | undefined): boolean {
	if (!eventType) return false;
	if (selected.includes(EVENT_ANY) && eventType.startsWith(ATTENDANCE_EVENT_PREFIX)) return true;
	return selected.includes(eventType);
}

/**
 * `employeeIds` as read by readList (nodes/shared/lists.ts). No IDs = everyone; otherwise the event's ID of
 * `idType` (employee_id, employee_no, or either for 'any') must be listed.
 */
export function matchesEmployee(
	event: IDataObject,
	employeeIds: string[],
	idType: string = EMPLOYEE_ID_ANY,
): boolean {
	if (employeeIds.length === 0) return true;
	const fields =
		idType === EMPLOYEE_ID_ANY ? [event.employee_id, event.employee_no] : [event[idType]];
	const candidates = fields
		.filter((v) => v !== undefined && v !== null && v !== '')
		.map((v) => String(v));
	return candidates.some((id) => employeeIds.includes(id));
}

export function statusChangesOf(event: IDataObject): IDataObject[] {
	return Array.isArray(event.status_changes) ? event.status_changes.filter(isObject) : [];
}

/** A change whose status actually moved (before != current). */
export function statusMoved(change: IDataObject): boolean {
	return change.current_status !== undefined && change.before_status !== change.current_status;
}

export function supplementMoved(change: IDataObject): boolean {
	return (
		change.current_supplement !== undefined &&
		change.before_supplement !== change.current_supplement
	);
}

/**
 * Task-update filters: with statuses selected, at least one change must move *to* one of them;
 * with supplements selected, at least one change must move to one of those. Both must hold when
 * both are set. Empty selections do not filter.
 */
export function matchesTaskFilters(
	event: IDataObject,
	statuses: string[],
	supplements: string[],
): boolean {
	const changes = statusChangesOf(event);
	if (
		statuses.length > 0 &&
		!changes.some((c) => statusMoved(c) && statuses.includes(String(c.current_status)))
	) {
		return false;
	}
	if (
		supplements.length > 0 &&
		!changes.some((c) => supplementMoved(c) && supplements.includes(String(c.current_supplement)))
	) {
		return false;
	}
	return true;
}
