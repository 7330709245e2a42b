/**
 * Punch Flow → Import: reading one input item into the flow_record Feishu stores. Every value is read for its
 * own item (Employee ID Type and Timezone too) and checked for what it must be before it is sent; a problem
 * throws a NodeOperationError naming the field (or column) and the item (see inputError).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FeishuClient } from '../../transport';
import { FEISHU_MAX_BATCH } from '../../helpers/batching';
import type { LookupRequest } from '../../helpers/employees';
import { GIVEN_FIELD, errorForItem, lookupKey, resolveLookups } from '../../helpers/employees';
import { deriveIdempotencyKey } from '../../helpers/idempotency';
import type { FlowColumns } from './flowColumns';
import { missingColumnHelp, readFlowColumns } from './flowColumns';
import { readList } from '../../helpers/input';
import { errorMessage, inputError } from '../../helpers/output';
import { importTimeProblem } from './punchFlow';
import { evaluatedPerItem, itemParameter, perItem, timezoneFrom } from '../../helpers/parameters';
import { parseDateTime, toFeishuSeconds, toIsoInZone } from '../../helpers/time';
import { readOptionalText, readText } from '../../helpers/values';
import type { LookupIdType } from '../../helpers/employeeIdTypes';
import { isLookupIdType, readEmployeeIdType } from '../../helpers/employeeIdTypes';

/** Location Name when none is given: neutral, as Feishu shows it in the punch records (it requires one). */
export const DEFAULT_LOCATION = 'Location not recorded';
export const DEFAULT_COMMENT = 'Imported by n8n';

/** Fields of a flow_record that Feishu reads on import; everything else in JSON mode is dropped. */
const WRITABLE_TEXT_FIELDS = ['external_id', 'ssid', 'bssid'];
const WRITABLE_BOOLEAN_FIELDS = ['is_field', 'is_wifi'];
const WRITABLE_NUMBER_FIELDS = ['longitude', 'latitude'];

/** One input item, checked and ready to send. */
export interface PreparedFlow {
	itemIndex: number;
	/** employee_type of the batch_create call (Employee ID Type of this item) */
	employeeType: string;
	/** zone this item's times were read in and are shown in */
	timezone: string;
	userId: string;
	creatorId: string;
	/** idempotent_id sent to Feishu */
	key: string;
	/** Unix seconds as Feishu's string */
	checkTime: string;
	checkMs: number;
	externalId?: string;
	/** the flow_record as sent */
	record: IDataObject;
	/**
	 * Employee ID Type Email / Mobile: what the item gave (employee and creator), until FlowLookups replaces
	 * them by user IDs (then employeeType is employee_id; `given` stays for the output).
	 */
	given?: { type: LookupIdType; user: string; creator: string; ownKey: boolean; resolved: boolean };
}

export type FlowInputMode = 'columns' | 'fields' | 'json';

/** Reads the run's items one at a time. */
interface FlowReader {
	/** item → PreparedFlow, or an error naming the field (or column) and the item */
	read(itemIndex: number): PreparedFlow;
	/** Map Columns by Name: the mapped optional columns that no item read so far had (a typo, probably) */
	unseenColumns(): string[];
}

/**
 * The reader of the run's items in the given input mode. Employee ID Type and Timezone are read per item when
 * they are expressions.
 */
export function flowItemReader(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	mode: FlowInputMode,
): FlowReader {
	const timezoneOf = perItem(ctx, 'options.timezone', (itemIndex) => timezoneFrom(ctx, itemIndex));
	const employeeTypeOf = perItem(ctx, 'employeeIdType', (itemIndex) => {
		return field(
			ctx,
			itemIndex,
			() =>
				readEmployeeIdType(
					ctx.getNodeParameter('employeeIdType', itemIndex),
					{ lookup: true },
					'choices',
				).chosen,
		);
	});
	let readRecord: (itemIndex: number, timezone: string) => ReadRecord;
	const columns = mode === 'columns' ? readFlowColumns(ctx, items[0]?.json ?? {}) : undefined;
	if (mode === 'json')
		readRecord = (itemIndex, timezone) =>
			fromJson(ctx, items[itemIndex].json ?? {}, itemIndex, timezone);
	else if (columns) readRecord = columnsReader(ctx, items, columns);
	else readRecord = fieldsReader(ctx, items);
	const read = (itemIndex: number): PreparedFlow => {
		const timezone = timezoneOf(itemIndex);
		const employeeType = employeeTypeOf(itemIndex);
		const got = readRecord(itemIndex, timezone);
		const checkTime = toFeishuSeconds(got.checkMs);
		// Email / Mobile: the derived key waits for the user ID (FlowLookups), so that one person's punch has
		// one key whichever way the sheet names them.
		const lookup = isLookupIdType(employeeType);
		const key =
			got.ownKey ??
			(lookup
				? ''
				: deriveIdempotencyKey('punchFlow', [
						employeeType,
						got.record.user_id as string,
						checkTime,
					]));
		const record: IDataObject = { ...got.record, check_time: checkTime, idempotent_id: key };
		return {
			itemIndex,
			employeeType,
			timezone,
			userId: record.user_id as string,
			creatorId: record.creator_id as string,
			key,
			checkTime,
			checkMs: got.checkMs,
			externalId: typeof record.external_id === 'string' ? record.external_id : undefined,
			record,
			...(lookup
				? {
						given: {
							type: employeeType,
							user: record.user_id as string,
							creator: record.creator_id as string,
							ownKey: got.ownKey !== undefined,
							resolved: false,
						},
					}
				: {}),
		};
	};
	return { read, unseenColumns: () => columns?.unseenOptional() ?? [] };
}

interface ReadRecord {
	record: IDataObject;
	checkMs: number;
	ownKey?: string;
}

/** Runs a reader that throws plain Errors and turns any of them into this item's error. */
function field<T>(ctx: IExecuteFunctions, itemIndex: number, read: () => T): T {
	try {
		return read();
	} catch (error) {
		throw inputError(ctx, itemIndex, errorMessage(error));
	}
}

const refuse = (message: string): never => {
	throw new Error(message);
};

/** A check time that Feishu can store as a punch (see importTimeProblem); throws a plain Error. */
function readCheckTime(label: string, value: unknown, timezone: string): number {
	let ms: number;
	try {
		ms = parseDateTime(value, timezone);
	} catch (error) {
		return refuse(`${label} ${errorMessage(error)}`);
	}
	const problem = importTimeProblem(ms);
	return problem ? refuse(`${label} ${toIsoInZone(ms, timezone)} ${problem}`) : ms;
}

/**
 * true / false, also as the text 'true' / 'false'; anything else is an error naming the field. `sheet`: also
 * what spreadsheets and CSV files hold (TRUE / FALSE in any case, yes / no, 1 / 0).
 */
function readBoolean(value: unknown, label: string, sheet = false): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	if (sheet) {
		const text = String(value).trim().toLowerCase();
		if (['true', 'yes', '1'].includes(text) && typeof value !== 'object') return true;
		if (['false', 'no', '0'].includes(text) && typeof value !== 'object') return false;
	}
	throw new Error(
		`${label} must be true or false, got ${typeof value === 'object' ? 'an object' : JSON.stringify(value)}`,
	);
}

/** The parameters of Map Each Field. */
const FIELD_PARAMETERS = [
	'employeeId',
	'checkTime',
	'creatorId',
	'locationName',
	'comment',
	'additionalFields',
] as const;
type FieldParameter = (typeof FIELD_PARAMETERS)[number];

/** Whether reading Map Each Field is n8n evaluating expressions for every item (not only dragged fields). */
export function fieldsEvaluatedPerItem(ctx: IExecuteFunctions): boolean {
	return FIELD_PARAMETERS.some((name) => evaluatedPerItem(ctx, name));
}

/**
 * Map Each Field: a fixed parameter (Creator ID left empty, a constant Comment, Additional Fields without
 * expressions) is read once, a field dragged from the input panel (`{{ $json.emp }}`) straight from the item,
 * any other expression by n8n per item (itemParameter). n8n's getNodeParameter costs time even for a fixed
 * value and far more for an expression; 100,000 items read six parameters each.
 */
function fieldsReader(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): (itemIndex: number, timezone: string) => ReadRecord {
	const param = (name: FieldParameter, fallback: unknown) =>
		itemParameter(ctx, items, name, fallback);
	const employeeIdOf = param('employeeId', '');
	const checkTimeOf = param('checkTime', '');
	const creatorIdOf = param('creatorId', '');
	const locationOf = param('locationName', DEFAULT_LOCATION);
	const commentOf = param('comment', DEFAULT_COMMENT);
	const extraOf = param('additionalFields', {});
	return (itemIndex, timezone) =>
		field(ctx, itemIndex, () => {
			const userId = readText(employeeIdOf(itemIndex), 'Employee ID');
			const checkMs = readCheckTime('Check Time', checkTimeOf(itemIndex), timezone);
			const extra = extraOf(itemIndex) as IDataObject;
			const record: IDataObject = {
				user_id: userId,
				creator_id: readOptionalText(creatorIdOf(itemIndex), 'Creator ID') ?? userId,
				location_name: readText(locationOf(itemIndex), 'Location Name'),
				comment: readText(commentOf(itemIndex), 'Comment'),
			};
			const externalId = readOptionalText(extra.externalId, 'External ID');
			if (externalId) record.external_id = externalId;
			const ssid = readOptionalText(extra.ssid, 'Wi-Fi SSID');
			if (ssid) record.ssid = ssid;
			const bssid = readOptionalText(extra.bssid, 'Wi-Fi BSSID');
			if (bssid) record.bssid = bssid;
			if (extra.isField !== undefined)
				record.is_field = readBoolean(extra.isField, 'Is Field Punch');
			if (extra.isWifi !== undefined) record.is_wifi = readBoolean(extra.isWifi, 'Is Wi-Fi Punch');
			const photos = readList(extra.photoUrls, 'Photo URLs');
			if (photos.length > 0) record.photo_urls = photos;
			return { record, checkMs, ownKey: readOptionalText(extra.idempotencyKey, 'Idempotency Key') };
		});
}

function fromJson(
	ctx: IExecuteFunctions,
	source: IDataObject,
	itemIndex: number,
	timezone: string,
): ReadRecord {
	if (source.user_id === undefined) {
		throw inputError(
			ctx,
			itemIndex,
			'The item has no "user_id" field',
			'In this input mode each item must be a Feishu flow_record.',
		);
	}
	return field(ctx, itemIndex, () => {
		const userId = readText(source.user_id, 'The field "user_id"');
		const checkMs = readCheckTime('The field "check_time"', source.check_time, timezone);
		const textOr = (name: string, fallback: string) =>
			source[name] === undefined ? fallback : readText(source[name], `The field "${name}"`);
		const record: IDataObject = {
			user_id: userId,
			creator_id: readOptionalText(source.creator_id, 'The field "creator_id"') ?? userId,
			location_name: textOr('location_name', DEFAULT_LOCATION),
			comment: textOr('comment', DEFAULT_COMMENT),
		};
		for (const name of WRITABLE_TEXT_FIELDS) {
			const value = readOptionalText(source[name], `The field "${name}"`);
			if (value) record[name] = value;
		}
		for (const name of WRITABLE_BOOLEAN_FIELDS) {
			if (source[name] !== undefined && source[name] !== null)
				record[name] = readBoolean(source[name], `The field "${name}"`);
		}
		for (const name of WRITABLE_NUMBER_FIELDS) {
			const value = source[name];
			if (value === undefined || value === null || value === '') continue;
			if (
				(typeof value !== 'number' && typeof value !== 'string') ||
				!Number.isFinite(Number(value))
			) {
				throw new Error(`The field "${name}" must be a number`);
			}
			record[name] = Number(value);
		}
		const photos = readList(source.photo_urls, 'The field "photo_urls"');
		if (photos.length > 0) record.photo_urls = photos;
		return {
			record,
			checkMs,
			ownKey: readOptionalText(source.idempotent_id, 'The field "idempotent_id"'),
		};
	});
}

/**
 * Map Columns by Name: values are read straight from the item's fields (no expression per item). The Employee
 * ID and Check Time columns must be in every item (an item without one fails, naming the column); the other
 * mapped columns are optional per row (missing or empty: not set; Location Name and Comment fall back to their
 * parameters, read once unless they are expressions).
 */
function columnsReader(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	columns: FlowColumns,
): (itemIndex: number, timezone: string) => ReadRecord {
	const locationOf = perItem(ctx, 'locationName', (itemIndex) =>
		field(ctx, itemIndex, () =>
			readText(ctx.getNodeParameter('locationName', itemIndex, DEFAULT_LOCATION), 'Location Name'),
		),
	);
	const commentOf = perItem(ctx, 'comment', (itemIndex) =>
		field(ctx, itemIndex, () =>
			readText(ctx.getNodeParameter('comment', itemIndex, DEFAULT_COMMENT), 'Comment'),
		),
	);
	const label = (column: string) => `The column "${column}"`;
	return (itemIndex, timezone) => {
		const row = items[itemIndex].json ?? {};
		const required = (column: string, what: string): unknown => {
			const value = columns.value(row, column);
			if (value === undefined) {
				throw inputError(
					ctx,
					itemIndex,
					`The item has no column "${column}" (${what} Column)`,
					missingColumnHelp(row, column, what),
				);
			}
			return value;
		};
		const employee = required(columns.employee, 'Employee ID');
		const time = required(columns.checkTime, 'Check Time');
		return field(ctx, itemIndex, () => {
			const userId = readText(employee, label(columns.employee));
			const checkMs = readCheckTime(label(columns.checkTime), time, timezone);
			const optional = (name: keyof FlowColumns['optional']) => {
				const column = columns.optional[name];
				return column === undefined
					? undefined
					: readOptionalText(columns.value(row, column, name), label(column));
			};
			const record: IDataObject = {
				user_id: userId,
				creator_id: optional('creator') ?? userId,
				location_name: optional('location') ?? locationOf(itemIndex),
				comment: optional('comment') ?? commentOf(itemIndex),
			};
			const externalId = optional('externalId');
			if (externalId) record.external_id = externalId;
			const ssid = optional('ssid');
			if (ssid) record.ssid = ssid;
			const bssid = optional('bssid');
			if (bssid) record.bssid = bssid;
			for (const [name, key] of [
				['isField', 'is_field'],
				['isWifi', 'is_wifi'],
			] as const) {
				const column = columns.optional[name];
				if (column === undefined) continue;
				const value = columns.value(row, column, name);
				if (
					value === undefined ||
					value === null ||
					(typeof value === 'string' && value.trim() === '')
				)
					continue;
				record[key] = readBoolean(value, label(column), true);
			}
			if (columns.optional.photoUrls !== undefined) {
				const photos = readList(
					columns.value(row, columns.optional.photoUrls, 'photoUrls'),
					label(columns.optional.photoUrls),
				);
				if (photos.length > 0) record.photo_urls = photos;
			}
			return { record, checkMs, ownKey: optional('idempotencyKey') };
		});
	};
}
/** A flow of Email / Mobile whose employee (or creator) Feishu does not know: the item's error. */
interface UnresolvedFlow {
	flow: PreparedFlow;
	error: Error;
}

/**
 * Punch Flow → Import with Employee ID Type Email / Mobile: flows wait here until a lookup call's worth of
 * new values (50 emails or 50 mobiles) is waiting, then they are resolved in one batch_get_id call and go
 * to the importer as employee_id flows. So batches still leave while later items are read, each distinct
 * value is asked once per run (helpers/employees.ts caches per client), and 120 distinct emails take 3 calls.
 * The derived idempotency key is computed from the resolved user ID with employee_type employee_id: the same
 * punch imported by email and by user ID is one record.
 */
export class FlowLookups {
	private pending: PreparedFlow[] = [];
	private readonly fresh: Record<LookupIdType, Set<string>> = {
		email: new Set(),
		mobile: new Set(),
	};
	private readonly asked = new Set<string>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: FeishuClient,
	) {}

	/** Takes a flow that has `given`; true when a call's worth of new values waits (flush now). */
	add(flow: PreparedFlow): boolean {
		this.pending.push(flow);
		for (const request of requestsOf(flow)) {
			const key = lookupKey(request.type, request.value);
			const id = `${request.type}|${key}`;
			if (key !== undefined && !this.asked.has(id)) this.fresh[request.type].add(id);
		}
		return this.fresh.email.size >= FEISHU_MAX_BATCH || this.fresh.mobile.size >= FEISHU_MAX_BATCH;
	}

	/** Resolves the waiting flows: each becomes an employee_id flow, or an UnresolvedFlow (in item order). */
	async flush(): Promise<Array<PreparedFlow | UnresolvedFlow>> {
		const flows = this.pending;
		this.pending = [];
		for (const type of ['email', 'mobile'] as const) {
			for (const id of this.fresh[type]) this.asked.add(id);
			this.fresh[type].clear();
		}
		if (flows.length === 0) return [];
		const answers = await resolveLookups(this.ctx, this.client, flows.flatMap(requestsOf));
		return flows.map((flow) => {
			const given = flow.given!;
			const user = answers.get(`${given.type}|${given.user}`)!;
			const creator =
				given.creator === given.user ? user : answers.get(`${given.type}|${given.creator}`)!;
			const error = user instanceof Error ? user : creator instanceof Error ? creator : undefined;
			if (error) return { flow, error: errorForItem(this.ctx, error, flow.itemIndex) };
			return resolvedFlow(flow, user as string, creator as string);
		});
	}
}

function requestsOf(flow: PreparedFlow): LookupRequest[] {
	const given = flow.given!;
	const requests = [{ type: given.type, value: given.user, itemIndex: flow.itemIndex }];
	if (given.creator !== given.user)
		requests.push({ type: given.type, value: given.creator, itemIndex: flow.itemIndex });
	return requests;
}

function resolvedFlow(flow: PreparedFlow, userId: string, creatorId: string): PreparedFlow {
	const given = flow.given!;
	const key = given.ownKey
		? flow.key
		: deriveIdempotencyKey('punchFlow', ['employee_id', userId, flow.checkTime]);
	return {
		...flow,
		employeeType: 'employee_id',
		userId,
		creatorId,
		key,
		record: { ...flow.record, user_id: userId, creator_id: creatorId, idempotent_id: key },
		given: { ...given, resolved: true },
	};
}

/** The output fields of what the item gave: employee_email / employee_mobile (and the creator's, when other). */
export function givenFields(flow: PreparedFlow): IDataObject {
	const given = flow.given;
	if (!given) return {};
	const field = GIVEN_FIELD[given.type];
	return given.creator === given.user
		? { [field]: given.user }
		: { [field]: given.user, [`creator_${given.type}`]: given.creator };
}
