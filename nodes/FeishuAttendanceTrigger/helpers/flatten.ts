import type { IDataObject } from 'n8n-workflow';

import { compact } from '../../shared/json';
import { dayNumberToIsoDate } from '../../shared/time';
import { EVENT_FLOW_CREATED, EVENT_TASK_UPDATED } from './constants';
import { envelopeEventId, envelopeEventType, isObject } from './envelope';
import { statusChangesOf, statusMoved, supplementMoved } from './filters';
import { parseDayNumber, parseEpoch, toIsoInTimeZone } from './time';

/**
 * Builds the one output item of an event: the `event` payload's own fields at the top level (for
 * easy mapping), envelope fields (`event_type`, `event_id`, `create_time`, ...), derived ISO 8601
 * times in the zone of the Timezone option (see outputZoneOf in webhook.ts), and the untouched envelope under `raw`.
 */

function flowFields(event: IDataObject, timeZone: string | undefined): IDataObject {
	const checkMs = parseEpoch(event.check_time, 's');
	return {
		check_time_iso: checkMs === undefined ? undefined : toIsoInTimeZone(checkMs, timeZone),
		check_time_unix: checkMs === undefined ? undefined : checkMs / 1000,
	};
}

function taskFields(event: IDataObject): IDataObject {
	const changes: IDataObject[] = statusChangesOf(event).map((change) => ({
		...change,
		status_changed: statusMoved(change),
		supplement_changed: supplementMoved(change),
	}));
	const changedStatuses = [
		...new Set(changes.filter((c) => c.status_changed).map((c) => String(c.current_status))),
	];
	const day = parseDayNumber(event.date);
	return {
		date_iso: day === undefined ? undefined : dayNumberToIsoDate(day),
		status_changes: changes,
		changed_statuses: changedStatuses,
	};
}

export function flattenEvent(envelope: IDataObject, timeZone: string | undefined): IDataObject {
	const header = isObject(envelope.header) ? envelope.header : {};
	const event = isObject(envelope.event) ? envelope.event : {};
	const eventType = envelopeEventType(envelope);
	// Schema 2.0: header.create_time is milliseconds as a string. Schema 1.0: `ts` (seconds, string).
	const createMs =
		header.create_time !== undefined
			? parseEpoch(header.create_time, 'ms')
			: parseEpoch(envelope.ts, 's');

	const item: IDataObject = {
		event_type: eventType,
		event_id: envelopeEventId(envelope),
		create_time:
			header.create_time !== undefined
				? String(header.create_time)
				: envelope.ts !== undefined
					? String(envelope.ts)
					: undefined,
		create_time_iso: createMs === undefined ? undefined : toIsoInTimeZone(createMs, timeZone),
		app_id: header.app_id ?? envelope.app_id ?? event.app_id,
		tenant_key: header.tenant_key ?? envelope.tenant_key ?? event.tenant_key,
		schema: envelope.schema ?? (envelope.uuid !== undefined ? '1.0' : undefined),
		employee_id: event.employee_id,
		employee_no: event.employee_no,
	};

	// The payload's own fields (check_time, location_name, record_id, date, group_id, ...).
	for (const [key, value] of Object.entries(event)) {
		if (!(key in item) || item[key] === undefined) item[key] = value;
	}

	if (eventType === EVENT_FLOW_CREATED || event.check_time !== undefined) {
		Object.assign(item, flowFields(event, timeZone));
	}
	if (eventType === EVENT_TASK_UPDATED || Array.isArray(event.status_changes)) {
		Object.assign(item, taskFields(event));
	}

	// Never echo the Verification Token into workflow data.
	item.raw = redactToken(envelope);
	return compact(item);
}

/** Copy of the envelope with `header.token` / `token` blanked out. */
export function redactToken(envelope: IDataObject): IDataObject {
	const copy: IDataObject = { ...envelope };
	if (copy.token !== undefined) copy.token = '[redacted]';
	if (isObject(copy.header) && copy.header.token !== undefined) {
		copy.header = { ...copy.header, token: '[redacted]' };
	}
	return copy;
}
