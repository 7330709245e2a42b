import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, optionsCollection, timezoneFrom, timezoneOption } from '../../descriptions/common';
import type { ApprovalRecordInput, ApprovalType, EnumEntry, RegionPlace } from '../../helpers/approval';
import {
	APPROVAL_KINDS,
	LOCALES,
	MAX_TYPE_ID_LENGTH,
	MAX_TYPE_NAME_LENGTH,
	OVERTIME_CATEGORIES,
	OVERTIME_TYPES,
	REGION_LEVELS,
	TRANSPORTATION,
	TRIP_TYPES,
	UNITS,
	buildApprovalBody,
	buildApprovalRecord,
	decodeApprovalRejections,
	deriveTypeId,
	optionsOf,
	rejectionFor,
	resolveEnum,
} from '../../helpers/approval';
import { deriveIdempotencyKey } from '../../helpers/idempotency';
import { compact, errorMessage, failItem, outputItem, validateItems } from '../../helpers/output';
import { dayNumberToIsoDate, formatFeishuDateTime, parseDateTime, parseDay, toDayNumber, toIsoInZone } from '../../helpers/time';
import type { FeishuClient, FeishuResponse } from '../../transport';
import { GENERAL_ERROR_CODE, isAlreadyExists } from '../../transport/errors';

const CREATE_PATH = '/user_approvals';

/** Feishu's answer when it rejects approval records (msg lists them); handled per item. */
const APPROVAL_REJECTED = 1225001;


const TYPE_OPTIONS: Array<{ name: string; value: ApprovalType }> = [
	{ name: 'Business Trip', value: 'trip' },
	{ name: 'Leave', value: 'leave' },
	{ name: 'Out of Office', value: 'out' },
	{ name: 'Overtime', value: 'overtime' },
];

// The choices of the options parameters come from the tables that also map them to Feishu's values
// (helpers/approval.ts), so that a choice is added in one place.
const localeOptions = optionsOf(LOCALES);
const unitOptions = optionsOf(UNITS);
const overtimeCategoryOptions = optionsOf(OVERTIME_CATEGORIES);
const overtimeTypeOptions = optionsOf(OVERTIME_TYPES);
const regionLevelOptions = optionsOf(REGION_LEVELS);
const transportationOptions = optionsOf(TRANSPORTATION);
const tripTypeOptions = optionsOf(TRIP_TYPES);

const properties: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'approvalType',
		type: 'options',
		options: TYPE_OPTIONS,
		default: 'leave',
		description: 'What kind of approved record to write',
	},
	employeeIdTypeProperty(true),
	{
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_id }}',
		description: 'The employee the record is for, in the Employee ID Type chosen above',
	},
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-11-20 09:00:00',
		description:
			"When the record starts. ISO 8601, 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', or epoch seconds/milliseconds. Times without an offset are read in the Timezone option.",
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-11-20 18:00:00',
		description: 'When the record ends (after Start); same formats as Start',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		description: 'Why the employee is away or works overtime. Required for leave, out of office and business trips.',
	},
	{
		displayName: 'Type Name',
		name: 'typeName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Annual Leave',
		description:
			'Name of the leave or out-of-office type as employees see it in Feishu (for example Annual Leave, 年假, Customer Visit)',
		displayOptions: { show: { approvalType: ['leave', 'out'] } },
	},
	{
		displayName: 'Type Name Language',
		name: 'typeNameLocale',
		type: 'options',
		options: localeOptions,
		default: 'ch',
		description:
			'Language of the Type Name; Feishu shows this language when it has no name in the language of the reader. Names in other languages can be added under Additional Fields.',
		displayOptions: { show: { approvalType: ['leave', 'out'] } },
	},
	{
		displayName: 'Unit',
		name: 'unit',
		type: 'options',
		options: unitOptions,
		default: 'hour',
		description: 'Unit in which Feishu shows the length of the record',
		displayOptions: { show: { approvalType: ['leave', 'out', 'overtime'] } },
	},
	{
		displayName: 'Overtime Category',
		name: 'overtimeCategory',
		type: 'options',
		options: overtimeCategoryOptions,
		default: 'workday',
		description: 'On what kind of day the overtime was worked',
		displayOptions: { show: { approvalType: ['overtime'] } },
	},
	{
		displayName: 'Overtime Type',
		name: 'overtimeType',
		type: 'options',
		options: overtimeTypeOptions,
		default: 'recordOnly',
		description: 'How the overtime is compensated',
		displayOptions: { show: { approvalType: ['overtime'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Approval Applied At',
				name: 'approveApplyTime',
				type: 'dateTime',
				default: '',
				description: 'When the trip was applied for. Empty: the Start time.',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Approval Passed At',
				name: 'approvePassTime',
				type: 'dateTime',
				default: '',
				description: 'When the trip was approved. Empty: the Approval Applied At time (or Start).',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Date',
				name: 'date',
				type: 'dateTime',
				default: '',
				placeholder: 'e.g. 2026-11-20',
				description: 'The attendance day the record belongs to. Empty: the day of Start in the Timezone option.',
			},
			{
				displayName: 'Departure Region ID',
				name: 'departureRegionId',
				type: 'string',
				default: '',
				description: 'Region ID of the place of departure (region IDs need Feishu People, enterprise edition)',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Departure Region Level',
				name: 'departureRegionLevel',
				type: 'options',
				options: regionLevelOptions,
				default: 'city',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Destinations',
				name: 'destinations',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Destination',
				default: {},
				displayOptions: { show: { '/approvalType': ['trip'] } },
				options: [
					{
						displayName: 'Destination',
						name: 'destination',
						values: [
							{
								displayName: 'Region Level',
								name: 'regionLevel',
								type: 'options',
								options: regionLevelOptions,
								default: 'city',
							},
							{
								displayName: 'Region ID',
								name: 'regionId',
								type: 'string',
								default: '',
							},
						],
					},
				],
			},
			{
				displayName: 'Duration',
				name: 'duration',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					'Length of the overtime in the chosen Unit. Not set: computed from Start and End (a day counts as 24 hours). Feishu only uses it when support enabled it; otherwise it computes the length itself.',
				displayOptions: { show: { '/approvalType': ['overtime'] } },
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					"A unique ID of this record in your system (for example the leave request's ID). Feishu stores a record only once per key, so running the workflow again creates no duplicates. Empty: derived from the Employee ID Type, Employee ID, Type, Start and End.",
			},
			{
				displayName: 'Interval (Seconds)',
				name: 'interval',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Length of the leave or out-of-office in seconds. Not set: the seconds from Start to End.',
				displayOptions: { show: { '/approvalType': ['leave', 'out'] } },
			},
			{
				displayName: 'Name in Chinese',
				name: 'nameCh',
				type: 'string',
				default: '',
				description: 'Chinese name of the type (when the Type Name is in another language)',
				displayOptions: { show: { '/approvalType': ['leave', 'out'] } },
			},
			{
				displayName: 'Name in English',
				name: 'nameEn',
				type: 'string',
				default: '',
				description: 'English name of the type (when the Type Name is in another language)',
				displayOptions: { show: { '/approvalType': ['leave', 'out'] } },
			},
			{
				displayName: 'Name in Japanese',
				name: 'nameJa',
				type: 'string',
				default: '',
				description: 'Japanese name of the type (when the Type Name is in another language)',
				displayOptions: { show: { '/approvalType': ['leave', 'out'] } },
			},
			{
				displayName: 'Remarks',
				name: 'remarks',
				type: 'string',
				default: '',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Transportation',
				name: 'transportation',
				type: 'multiOptions',
				options: transportationOptions,
				default: [],
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Trip Type',
				name: 'tripType',
				type: 'options',
				options: tripTypeOptions,
				default: 'roundTrip',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Type ID',
				name: 'typeId',
				type: 'string',
				default: '',
				description: `Your ID of the leave or out-of-office type (at most ${MAX_TYPE_ID_LENGTH} characters). Empty: none for leave; for out of office one derived from the Type Name, the same for every record with that name.`,
				displayOptions: { show: { '/approvalType': ['leave', 'out'] } },
			},
		],
	},
	optionsCollection([
		{
			...timezoneOption,
			description:
				"Time zone of the employees' attendance group: Feishu reads Start and End as wall-clock times in it, so times without an offset are read in it and all times are sent in it. Empty: the workflow's timezone.",
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['approval'], operation: ['create'] } }, properties);

interface PreparedApproval {
	type: ApprovalType;
	employeeIdType: string;
	employeeId: string;
	date: string;
	record: IDataObject;
	summary: IDataObject;
}

function readTime(ctx: IExecuteFunctions, value: unknown, label: string, timeZone: string, itemIndex: number): number {
	try {
		return parseDateTime(value, timeZone);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${label} ${errorMessage(error)}`, { itemIndex });
	}
}

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

/** Reads, checks and converts one item; throws a NodeOperationError naming the field. */
function prepare(ctx: IExecuteFunctions, itemIndex: number, timeZone: string): PreparedApproval {
	const node = ctx.getNode();
	const fail = (message: string, description?: string): never => {
		throw new NodeOperationError(node, message, { itemIndex, description });
	};
	const named = <T extends string | number>(entries: Array<EnumEntry<T>>, value: unknown, label: string): T => {
		try {
			return resolveEnum(entries, value, label);
		} catch (error) {
			return fail(errorMessage(error));
		}
	};

	const type = named(
		TYPE_OPTIONS.map((o) => ({ value: o.value, name: o.name, code: o.value })),
		ctx.getNodeParameter('approvalType', itemIndex),
		'Type',
	);
	const employeeIdType = String(ctx.getNodeParameter('employeeIdType', itemIndex));
	const employeeId = String(ctx.getNodeParameter('employeeId', itemIndex, '') ?? '').trim();
	if (employeeId === '') fail('Employee ID is empty', 'Map the employee ID of each record, e.g. {{ $json.employee_id }}.');
	const startMs = readTime(ctx, ctx.getNodeParameter('start', itemIndex, ''), 'Start', timeZone, itemIndex);
	const endMs = readTime(ctx, ctx.getNodeParameter('end', itemIndex, ''), 'End', timeZone, itemIndex);
	const startText = formatFeishuDateTime(startMs, timeZone);
	const endText = formatFeishuDateTime(endMs, timeZone);
	if (endMs <= startMs) fail(`End (${endText}) must be after Start (${startText})`);
	const label = APPROVAL_KINDS[type].label;
	const reason = String(ctx.getNodeParameter('reason', itemIndex, '') ?? '').trim();
	if (reason === '' && type !== 'overtime') fail(`Reason is empty: Feishu requires a reason for a ${label}`);
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

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
	const idempotencyKey =
		String(extra.idempotencyKey ?? '').trim() ||
		deriveIdempotencyKey('approval', [employeeIdType, employeeId, type, startText, endText]);

	const input: ApprovalRecordInput = { type, startMs, endMs, timeZone, reason, idempotencyKey };
	if (type !== 'trip') input.unit = named(UNITS, ctx.getNodeParameter('unit', itemIndex), 'Unit');

	if (type === 'leave' || type === 'out') {
		const typeName = String(ctx.getNodeParameter('typeName', itemIndex, '') ?? '').trim();
		if (typeName === '') fail(`Type Name is empty: Feishu needs the name of the ${label} type`);
		const locale = named(LOCALES, ctx.getNodeParameter('typeNameLocale', itemIndex, 'ch'), 'Type Name Language');
		const names: Record<string, string | undefined> = {
			ch: String(extra.nameCh ?? '').trim() || undefined,
			en: String(extra.nameEn ?? '').trim() || undefined,
			ja: String(extra.nameJa ?? '').trim() || undefined,
			[locale]: typeName,
		};
		for (const [lang, name] of Object.entries(names)) {
			if (name !== undefined && name.length > MAX_TYPE_NAME_LENGTH) {
				fail(
					`The ${LOCALES.find((l) => l.code === lang)?.name} type name is too long (${name.length} characters, at most ${MAX_TYPE_NAME_LENGTH})`,
				);
			}
		}
		input.names = names;
		input.defaultLocale = locale;
		const typeId = String(extra.typeId ?? '').trim() || (type === 'out' ? deriveTypeId(typeName) : undefined);
		if (typeId !== undefined && typeId.length > MAX_TYPE_ID_LENGTH) {
			fail(`Type ID "${typeId}" is too long (${typeId.length} characters, Feishu allows at most ${MAX_TYPE_ID_LENGTH})`);
		}
		input.typeId = typeId;
		if (isSet(extra.interval)) {
			const interval = Number(extra.interval);
			if (!Number.isInteger(interval) || interval < 0) fail(`Interval (Seconds) must be a whole number of 0 or more, got ${String(extra.interval)}`);
			input.interval = interval;
		}
	}

	if (type === 'overtime') {
		input.category = named(OVERTIME_CATEGORIES, ctx.getNodeParameter('overtimeCategory', itemIndex), 'Overtime Category');
		input.overtimeType = named(OVERTIME_TYPES, ctx.getNodeParameter('overtimeType', itemIndex), 'Overtime Type');
		if (isSet(extra.duration)) {
			const duration = Number(extra.duration);
			if (!Number.isFinite(duration) || duration < 0) fail(`Duration must be a number of 0 or more, got ${String(extra.duration)}`);
			input.duration = duration;
		}
	}

	if (type === 'trip') {
		if (isSet(extra.approveApplyTime)) {
			input.applyMs = readTime(ctx, extra.approveApplyTime, 'Approval Applied At', timeZone, itemIndex);
		}
		if (isSet(extra.approvePassTime)) {
			input.passMs = readTime(ctx, extra.approvePassTime, 'Approval Passed At', timeZone, itemIndex);
		}
		const place = (level: unknown, id: unknown, what: string): RegionPlace | undefined => {
			const regionId = String(id ?? '').trim();
			if (regionId === '') return undefined;
			return { region_level: named(REGION_LEVELS, level ?? 'city', `${what} Region Level`), region_id: regionId };
		};
		input.departure = place(extra.departureRegionLevel, extra.departureRegionId, 'Departure');
		const destinations = ((extra.destinations as IDataObject | undefined)?.destination ?? []) as IDataObject[];
		input.destinations = destinations
			.map((d) => place(d.regionLevel, d.regionId, 'Destination'))
			.filter((d): d is RegionPlace => d !== undefined);
		const transportation = extra.transportation;
		if (isSet(transportation)) {
			const list = Array.isArray(transportation) ? transportation : String(transportation).split(',');
			input.transportation = [...new Set(list.map((t) => named(TRANSPORTATION, typeof t === 'string' ? t.trim() : t, 'Transportation')))];
		}
		if (isSet(extra.tripType)) input.tripType = named(TRIP_TYPES, extra.tripType, 'Trip Type');
		input.remarks = String(extra.remarks ?? '').trim();
	}

	const date = String(dayNumber);
	return {
		type,
		employeeIdType,
		employeeId,
		date,
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
	};
}

/**
 * What became of one record:
 * - created / duplicate: stored by Feishu (now, or by an earlier call with the same idempotency key);
 * - failed: a rejection Feishu decided for this very record (1225001 naming it): a failed output item, the
 *   run goes on (as Import does with the records Feishu lists as failed);
 * - error: any other failure (whole-call errors, transport errors): follows Continue On Fail.
 */
type Outcome =
	| { status: 'created'; approvalId?: string }
	| { status: 'duplicate'; approvalId?: string }
	| { status: 'failed'; error: NodeApiError }
	| { status: 'error'; error: unknown };

/** The approval_id of this record in an answer's user_approval, if Feishu returned one. */
function approvalIdIn(data: IDataObject | undefined, prepared: PreparedApproval): string | undefined {
	const answered = (data?.user_approval as IDataObject | undefined)?.[APPROVAL_KINDS[prepared.type].field];
	if (!Array.isArray(answered)) return undefined;
	const records = answered as IDataObject[];
	const stored = records.find((r) => r?.idempotent_id === prepared.record.idempotent_id) ?? records[0];
	const id = stored?.approval_id;
	return typeof id === 'string' && id !== '' ? id : typeof id === 'number' ? String(id) : undefined;
}

/**
 * Reads Feishu's answer to one record. How Feishu answers a repeated idempotent_id is UNCONFIRMED
 * (shared/feishu-api.md §8); both readings are handled:
 * - 1220600 'the object already exists' (unique-key conflict): nothing new stored → duplicate, with the
 *   approval_id if the answer carries one;
 * - code 0 with the stored record echoed as if new: indistinguishable from a first write (the echoed item
 *   carries an approval_id either way), so it is reported as created, with the stored approval_id.
 */
function outcomeOf(
	client: FeishuClient,
	prepared: PreparedApproval,
	answer: FeishuResponse<IDataObject>,
	itemIndex: number,
): Outcome {
	const req = { method: 'POST' as const, path: CREATE_PATH, itemIndex };
	const label = APPROVAL_KINDS[prepared.type].label;
	if (answer.code === APPROVAL_REJECTED) {
		const rejections = decodeApprovalRejections(answer.msg);
		const match = rejections ? rejectionFor(rejections, prepared.type, prepared.record) : undefined;
		const note = `Nothing was stored for this record. Common causes: it overlaps another ${label} of the employee that has a different idempotency key, or its times are invalid.`;
		if (match) {
			return { status: 'failed', error: client.errorFor(answer, req, { note, message: `Feishu rejected the ${label}: ${match.reason}` }) };
		}
		// The message names no record of this item: not a decided rejection of it.
		const message = `Feishu rejected the ${label} (code ${answer.code}): ${answer.msg || 'no message'}`;
		return { status: 'error', error: client.errorFor(answer, req, { note, message }) };
	}
	if (answer.code === GENERAL_ERROR_CODE) {
		if (isAlreadyExists(answer)) return { status: 'duplicate', approvalId: approvalIdIn(answer.data, prepared) };
		return { status: 'error', error: client.errorFor(answer, req) };
	}
	return { status: 'created', approvalId: approvalIdIn(answer.data, prepared) };
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const timeZone = timezoneFrom(this);
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => prepare(this, itemIndex, timeZone));

	// Every record is its own call (one employee, one date); the client's pacer bounds them.
	const sent = await Promise.all(
		valid.map(async ({ itemIndex, value: prepared }): Promise<{ itemIndex: number; prepared: PreparedApproval; outcome: Outcome }> => {
			try {
				const answer = await client.request<IDataObject>({
					method: 'POST',
					path: CREATE_PATH,
					qs: { employee_type: prepared.employeeIdType },
					body: buildApprovalBody(prepared.employeeId, prepared.date, prepared.type, prepared.record),
					// every record carries an idempotency key, so a resend cannot create a second one
					repeatable: true,
					// 1220600 'no row affected' is still retried by the client (transient before acceptCodes)
					acceptCodes: [APPROVAL_REJECTED, GENERAL_ERROR_CODE],
					itemIndex,
				});
				return { itemIndex, prepared, outcome: outcomeOf(client, prepared, answer, itemIndex) };
			} catch (error) {
				return { itemIndex, prepared, outcome: { status: 'error', error } };
			}
		}),
	);

	const byItem = new Map(sent.map((s) => [s.itemIndex, s]));
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		if (invalid) {
			output.push({ ...invalid, json: { status: 'failed', ...invalid.json } });
			continue;
		}
		const result = byItem.get(itemIndex);
		if (!result) continue;
		const { prepared, outcome } = result;
		if (outcome.status === 'error') {
			output.push(failItem(this, outcome.error, itemIndex, { status: 'failed', ...prepared.summary }));
			continue;
		}
		if (outcome.status === 'failed') {
			const { message, description } = outcome.error;
			output.push(
				outputItem(
					{ status: 'failed', ...prepared.summary, error: message, ...(description ? { errorDescription: description } : {}) },
					itemIndex,
				),
			);
			continue;
		}
		output.push(
			outputItem(
				compact({ status: outcome.status, approval_id: outcome.approvalId, ...prepared.summary, time_zone: timeZone }),
				itemIndex,
			),
		);
	}
	return output;
}
