import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readList } from '../../shared/lists';
import { errorMessage } from '../../shared/json';
import { CREDENTIAL_TYPE } from '../../shared/credential';
import { isValidTimeZone } from '../../shared/time';
import { describeValue } from '../../shared/values';
import {
	DEFAULT_MAX_TIMESTAMP_AGE_SECONDS,
	EMPLOYEE_ID_ANY,
	EMPLOYEE_ID_TYPES,
	EVENT_TASK_UPDATED,
	TIMEZONE_EVENT_OR_WORKFLOW,
	TIMEZONE_WORKFLOW,
} from './constants';
import { checkAndRemember, DEDUPE_WINDOW_MS, DEFAULT_MAX_REMEMBERED_EVENTS } from './dedupe';
import {
	envelopeEventId,
	envelopeEventType,
	openDelivery,
	type SecuritySettings,
} from './envelope';
import { matchesEmployee, matchesEventType, matchesTaskFilters } from './filters';
import { approvalChoiceOf, approvalEventKey, flattenApproval } from './approvals';
import { flattenEvent, redactToken } from './flatten';
import { readRawBody } from './request';

/**
 * The trigger's `webhook()`: verify, answer URL verification, deduplicate, filter, emit one item.
 *
 * Every request is answered here through the response object, and `noWebhookResponse` tells n8n
 * so. Requests that start nothing return no `workflowData`: refusals (400/401/403), the challenge,
 * and duplicates / filtered events (200, so Feishu stops retrying them). Accepted events are
 * answered 200 and return `workflowData`, which starts one execution.
 */

interface MinimalResponse {
	headersSent?: boolean;
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body?: string): unknown;
}

function respond(
	context: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	const res = context.getResponseObject() as unknown as MinimalResponse;
	if (!res.headersSent) {
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	}
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

async function loadSecurity(
	context: IWebhookFunctions,
): Promise<Omit<SecuritySettings, 'maxTimestampAgeSeconds'>> {
	if (!context.getNode().credentials?.[CREDENTIAL_TYPE]) return {};
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	return {
		verificationToken: String(credentials.verificationToken ?? '').trim(),
		encryptKey: String(credentials.encryptKey ?? '').trim(),
	};
}

/** The trigger's Employee IDs, read like every other ID list (readList); an object value is a setup error. */
function employeeIdsOf(context: IWebhookFunctions): string[] {
	try {
		return readList(context.getNodeParameter('employeeIds', ''), 'Employee IDs');
	} catch (error) {
		throw new NodeOperationError(context.getNode(), errorMessage(error));
	}
}

/** The Employee ID Type of the Employee IDs filter; an unknown value (from an expression) is a setup error. */
function employeeIdTypeOf(context: IWebhookFunctions): string {
	const value = context.getNodeParameter('employeeIdType', EMPLOYEE_ID_ANY);
	if (typeof value === 'string' && (EMPLOYEE_ID_TYPES as readonly string[]).includes(value))
		return value;
	throw new NodeOperationError(
		context.getNode(),
		`Employee ID Type must be one of: ${EMPLOYEE_ID_TYPES.join(', ')}, got ${describeValue(value)}`,
	);
}

/**
 * The zone of the item's ISO 8601 times (option Timezone): by default the zone the event carries (a result
 * change carries its attendance group's `time_zone`), else the workflow's; "Workflow's Timezone"; or a zone.
 * Anything but a valid zone name (from an expression) is a setup error: the request fails, nothing starts.
 * Whether events carry `time_zone` is not documented (the result-change sample does).
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#trigger-event-time-zone
 */
function outputZoneOf(
	context: IWebhookFunctions,
	options: IDataObject,
	event: IDataObject,
): string {
	const workflowZone = context.getTimezone();
	const raw = options.timezone ?? TIMEZONE_EVENT_OR_WORKFLOW;
	if (typeof raw !== 'string') {
		throw new NodeOperationError(
			context.getNode(),
			`Timezone must be the name of a time zone, got ${describeValue(raw)}`,
		);
	}
	const chosen = raw.trim();
	if (chosen === TIMEZONE_EVENT_OR_WORKFLOW) {
		const own = typeof event.time_zone === 'string' ? event.time_zone.trim() : '';
		return own !== '' && isValidTimeZone(own) ? own : workflowZone;
	}
	if (chosen === TIMEZONE_WORKFLOW) return workflowZone;
	if (!isValidTimeZone(chosen)) {
		throw new NodeOperationError(
			context.getNode(),
			`The timezone "${chosen}" is not a valid IANA time zone`,
			{
				description:
					'Pick a zone in Options → Timezone, or give a name such as Asia/Shanghai, Europe/Berlin or UTC.',
			},
		);
	}
	return chosen;
}

function numberOption(options: IDataObject, name: string, fallback: number): number {
	const value = Number(options[name] ?? fallback);
	return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export async function handleAttendanceWebhook(
	this: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const nowMs = Date.now();
	const body = await readRawBody(this);
	const security = await loadSecurity(this);

	const verdict = openDelivery(
		{
			rawBody: body.bytes,
			rawBodyExact: body.exact,
			parsedBody: body.parsed,
			headers: this.getHeaderData() as Record<string, string | string[] | undefined>,
			nowMs,
		},
		{
			...security,
			maxTimestampAgeSeconds: numberOption(
				options,
				'maxTimestampAge',
				DEFAULT_MAX_TIMESTAMP_AGE_SECONDS,
			),
		},
	);

	if (verdict.kind === 'refuse') {
		return respond(this, verdict.status, { error: verdict.message });
	}
	if (verdict.kind === 'challenge') {
		return respond(this, 200, { challenge: verdict.challenge });
	}

	const { envelope } = verdict;
	const eventType = envelopeEventType(envelope);
	const event = (
		typeof envelope.event === 'object' && envelope.event !== null ? envelope.event : {}
	) as IDataObject;

	const selectedEvents = this.getNodeParameter('events', []) as string[];
	const approval = approvalChoiceOf(eventType);
	if (approval) {
		if (!selectedEvents.includes(approval.value)) {
			return respond(this, 200, { message: 'Event type not selected in the trigger; ignored' });
		}
		return approvalEvent(this, envelope, options, nowMs);
	}
	if (!matchesEventType(selectedEvents, eventType)) {
		return respond(this, 200, { message: 'Event type not selected in the trigger; ignored' });
	}
	if (!matchesEmployee(event, employeeIdsOf(this), employeeIdTypeOf(this))) {
		return respond(this, 200, { message: 'Employee not selected in the trigger; ignored' });
	}
	if (eventType === EVENT_TASK_UPDATED) {
		const statuses = this.getNodeParameter('taskStatuses', []) as string[];
		const supplements = this.getNodeParameter('taskSupplements', []) as string[];
		if (!matchesTaskFilters(event, statuses, supplements)) {
			return respond(this, 200, { message: 'Status change not selected in the trigger; ignored' });
		}
	}

	// Read before the event ID is remembered: a setup error must not mark the event as processed.
	const outputZone = outputZoneOf(this, options, event);
	const duplicate = checkAndRemember(
		this.getWorkflowStaticData('node'),
		envelopeEventId(envelope),
		nowMs,
		{
			maxEntries: numberOption(options, 'maxRememberedEvents', DEFAULT_MAX_REMEMBERED_EVENTS),
			windowMs: DEDUPE_WINDOW_MS,
		},
	);
	if (duplicate) {
		return respond(this, 200, { message: 'Duplicate delivery; already processed' });
	}

	const item = flattenEvent(envelope, outputZone);
	// Answer 200 ourselves before n8n creates the execution. Besides acknowledging Feishu at once,
	// this makes n8n save the static data (the remembered event ID) right away: n8n 2.x defers the
	// onReceived answer until after the execution is created, and creating it resets the
	// "static data changed" flag, so the ID would otherwise be lost (duplicates would start again).
	respond(this, 200, { message: 'Workflow was started' });
	return {
		noWebhookResponse: true,
		workflowData: [[{ json: item }]],
	};
}

/**
 * An approval event (helpers/approvals.ts): flattened first (the submitter is found in different fields per
 * event), then the Employee IDs filter, then deduplicated twice: on the delivery's ID (Feishu's retries) and
 * on the instance and what happened to it (an approved leave comes as leave_approval and leave_approvalV2).
 */
function approvalEvent(
	context: IWebhookFunctions,
	envelope: IDataObject,
	options: IDataObject,
	nowMs: number,
): IWebhookResponseData {
	const event = (
		typeof envelope.event === 'object' && envelope.event !== null ? envelope.event : {}
	) as IDataObject;
	const item = flattenApproval(envelope, outputZoneOf(context, options, event));
	if (
		!matchesEmployee(
			{ employee_id: item.employee_id },
			employeeIdsOf(context),
			employeeIdTypeOf(context),
		)
	) {
		return respond(context, 200, { message: 'Employee not selected in the trigger; ignored' });
	}
	const staticData = context.getWorkflowStaticData('node');
	const limits = {
		maxEntries: numberOption(options, 'maxRememberedEvents', DEFAULT_MAX_REMEMBERED_EVENTS),
		windowMs: DEDUPE_WINDOW_MS,
	};
	const key = approvalEventKey(item);
	const duplicate =
		checkAndRemember(staticData, envelopeEventId(envelope), nowMs, limits) ||
		(key !== undefined && checkAndRemember(staticData, key, nowMs, limits));
	if (duplicate) return respond(context, 200, { message: 'Duplicate delivery; already processed' });
	item.raw = redactToken(envelope);
	respond(context, 200, { message: 'Workflow was started' });
	return { noWebhookResponse: true, workflowData: [[{ json: item }]] };
}
