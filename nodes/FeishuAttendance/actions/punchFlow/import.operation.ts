import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	batchSizeOption,
	employeeIdTypeProperty,
	optionsCollection,
	timezoneFrom,
	timezoneOption,
} from '../../descriptions/common';
import { FEISHU_MAX_BATCH, batchSizeOf, forEachBatch } from '../../helpers/batching';
import { deriveIdempotencyKey } from '../../helpers/idempotency';
import { readList } from '../../helpers/input';
import { compact, errorMessage, failItem, inputError, outputItem, validateItems } from '../../helpers/output';
import {
	importTimeProblem,
	queryFlows,
} from '../../helpers/punchFlow';
import { parseDateTime, toFeishuSeconds, toIsoInZone } from '../../helpers/time';
import type { FeishuClient, FeishuResponse } from '../../transport';
import { GENERAL_ERROR_CODE, isAlreadyExists } from '../../transport/errors';

const DEFAULT_LOCATION = 'Imported by n8n';
const DEFAULT_COMMENT = 'Imported by n8n';

/** Fields of a flow_record that Feishu reads on import; everything else in JSON mode is dropped. */
const WRITABLE_STRING_FIELDS = ['external_id', 'ssid', 'bssid'];
const WRITABLE_BOOLEAN_FIELDS = ['is_field', 'is_wifi'];
const WRITABLE_NUMBER_FIELDS = ['longitude', 'latitude'];

const properties: INodeProperties[] = [
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Map Each Field',
				value: 'fields',
				description: 'Set employee, check time, location and comment per item, with expressions',
			},
			{
				name: 'Use Item JSON as Flow Record',
				value: 'json',
				description:
					"Each item's JSON is a ready Feishu flow_record (user_id, check_time, …), e.g. the output of Get Many from another tenant. Read-only fields such as record_id are dropped.",
			},
		],
		default: 'fields',
	},
	employeeIdTypeProperty(),
	{
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.employee_id }}',
		description: 'The employee who punched, read per the Employee ID Type',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Check Time',
		name: 'checkTime',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2026-11-20 08:55:00',
		description:
			"When the employee punched: ISO 8601 (with or without offset), 'yyyy-MM-dd HH:mm:ss', epoch seconds or milliseconds, or a date-time from an expression. Times without an offset are read in the Timezone option. Feishu accepts punches from 2022-01-01 on.",
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Location Name',
		name: 'locationName',
		type: 'string',
		default: DEFAULT_LOCATION,
		description:
			'Where the punch happened, as shown in the Feishu punch records (e.g. the attendance machine). Feishu requires this field.',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		default: DEFAULT_COMMENT,
		description:
			'Remark shown with the punch record. Feishu requires this field; whether it accepts an empty text is not documented, hence the default.',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Creator ID',
		name: 'creatorId',
		type: 'string',
		default: '',
		description: 'Who created the record, read per the Employee ID Type. Empty: the employee.',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { inputMode: ['fields'] } },
		options: [
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description: 'Your own ID of the punch (e.g. the attendance machine record), returned by Get Many for reconciliation',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Unique key that stops Feishu from storing the same punch twice. Empty: derived from the Employee ID Type, Employee ID and Check Time, so re-running the same import never creates a second punch.',
			},
			{
				displayName: 'Is Field Punch',
				name: 'isField',
				type: 'boolean',
				default: false,
				description: 'Whether the punch was made outside the office (field work)',
			},
			{
				displayName: 'Is Wi-Fi Punch',
				name: 'isWifi',
				type: 'boolean',
				default: false,
				description: 'Whether the punch was made over Wi-Fi',
			},
			{
				displayName: 'Photo URLs',
				name: 'photoUrls',
				type: 'string',
				default: '',
				description:
					'Photo links, separated by commas or line breaks, or an array from an expression. Feishu documents this field as not supported yet.',
			},
			{
				displayName: 'Wi-Fi BSSID',
				name: 'bssid',
				type: 'string',
				default: '',
				placeholder: 'e.g. b0:b8:67:5c:1d:72',
				description: 'MAC address of the Wi-Fi access point',
			},
			{
				displayName: 'Wi-Fi SSID',
				name: 'ssid',
				type: 'string',
				default: '',
				description: 'Name of the Wi-Fi network',
			},
		],
	},
	optionsCollection([
		batchSizeOption(FEISHU_MAX_BATCH, 'Records per Feishu call (Feishu accepts at most 50)'),
		{
			displayName: 'Look Up Existing Records First',
			name: 'lookUpFirst',
			type: 'boolean',
			default: false,
			description:
				'Whether to query Feishu for the records of each batch before importing it, and report the ones already stored as duplicate without sending them. Costs one extra call per batch. Duplicates are prevented either way (every record carries an idempotency key); this only makes the status exact if Feishu answers a repeated record by returning the stored one.',
		},
		timezoneOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['punchFlow'], operation: ['import'] } }, properties);

/** One input item, validated and ready to send. */
interface PreparedFlow {
	itemIndex: number;
	userId: string;
	creatorId: string;
	/** idempotent_id sent to Feishu */
	key: string;
	/** Unix seconds as Feishu's string */
	checkTime: string;
	checkMs: number;
	externalId?: string;
	record: IDataObject;
}

type Outcome =
	| { status: 'imported'; recordId?: string }
	| { status: 'duplicate'; recordId?: string }
	| { status: 'failed'; error: string; errorDescription?: string }
	/** A whole-call failure: an error item with Continue On Fail, else the node stops. */
	| { status: 'error'; error: unknown };

interface ImportSettings {
	employeeType: string;
	timezone: string;
	batchSize: number;
	lookUpFirst: boolean;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const inputMode = this.getNodeParameter('inputMode', 0, 'fields') as string;
	const settings: ImportSettings = {
		employeeType: this.getNodeParameter('employeeIdType', 0) as string,
		timezone: timezoneFrom(this),
		batchSize: batchSizeOf(options.batchSize, FEISHU_MAX_BATCH),
		lookUpFirst: options.lookUpFirst === true,
	};

	// 1. Validate every item before anything is sent.
	const parse = inputMode === 'json' ? prepareFromJson : prepareFromFields;
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => parse(this, items, itemIndex, settings));
	const output: Array<INodeExecutionData | undefined> = new Array(items.length);
	for (const [itemIndex, item] of errors) output[itemIndex] = { ...item, json: { status: 'failed', ...item.json } };

	// 2. The same record twice in one run (same user and idempotency key) is sent once.
	const firstOf = new Map<string, PreparedFlow>();
	const repeats: Array<{ flow: PreparedFlow; first: PreparedFlow }> = [];
	const unique: PreparedFlow[] = [];
	for (const { value: flow } of valid) {
		const id = `${flow.userId}\u0000${flow.key}`;
		const first = firstOf.get(id);
		if (first) repeats.push({ flow, first });
		else {
			firstOf.set(id, flow);
			unique.push(flow);
		}
	}

	// 3. All batches go to the client at once; its pacer decides how many run at the same time.
	const importer = new FlowImporter(client, settings);
	const outcomes = new Map<PreparedFlow, Outcome>();
	await forEachBatch(unique, settings.batchSize, async (batch) => {
		for (const [flow, outcome] of await importer.importBatch(batch)) outcomes.set(flow, outcome);
	});

	// 4. Exactly one output item per input item, paired with it.
	for (const flow of unique) output[flow.itemIndex] = toOutput(this, flow, outcomes.get(flow), settings.timezone);
	for (const { flow, first } of repeats) {
		const outcome = outcomes.get(first);
		const repeated: Outcome =
			outcome?.status === 'imported' || outcome?.status === 'duplicate'
				? { status: 'duplicate', recordId: outcome.recordId }
				: {
						status: 'failed',
						error: `Same record as item ${first.itemIndex}, which was not imported${outcome && 'error' in outcome ? `: ${errorMessage(outcome.error)}` : ''}`,
					};
		const item = toOutput(this, flow, repeated, settings.timezone);
		item.json.duplicate_of_item = first.itemIndex;
		output[flow.itemIndex] = item;
	}
	return output.filter((item): item is INodeExecutionData => item !== undefined);
}

function toOutput(ctx: IExecuteFunctions, flow: PreparedFlow, outcome: Outcome | undefined, timezone: string): INodeExecutionData {
	const json: IDataObject = compact({
		status: outcome?.status === 'error' ? 'failed' : (outcome?.status ?? 'failed'),
		record_id: outcome && 'recordId' in outcome ? outcome.recordId : undefined,
		user_id: flow.userId,
		check_time: flow.checkTime,
		check_time_iso: toIsoInZone(flow.checkMs, timezone),
		idempotency_key: flow.key,
		external_id: flow.externalId,
	});
	if (!outcome) {
		// Not expected (every batch reports each of its records); still an item error, so Continue On Fail applies.
		const error = new NodeOperationError(ctx.getNode(), 'Feishu gave no answer for this record', { itemIndex: flow.itemIndex });
		return failItem(ctx, error, flow.itemIndex, json);
	}
	if (outcome.status === 'error') return failItem(ctx, outcome.error, flow.itemIndex, json);
	if (outcome.status === 'failed') {
		return outputItem(
			{ ...json, error: outcome.error, ...(outcome.errorDescription ? { errorDescription: outcome.errorDescription } : {}) },
			flow.itemIndex,
		);
	}
	return outputItem(json, flow.itemIndex);
}

// ---- reading items ----

function readCheckTime(ctx: IExecuteFunctions, itemIndex: number, field: string, value: unknown, timezone: string): number {
	let ms: number;
	try {
		ms = parseDateTime(value, timezone);
	} catch (error) {
		throw inputError(ctx, itemIndex, `${field} ${errorMessage(error)}`);
	}
	const problem = importTimeProblem(ms);
	if (problem) throw inputError(ctx, itemIndex, `${field} ${toIsoInZone(ms, timezone)} ${problem}`);
	return ms;
}

function listField(ctx: IExecuteFunctions, itemIndex: number, value: unknown, field: string): string[] {
	try {
		return readList(value, field);
	} catch (error) {
		throw inputError(ctx, itemIndex, errorMessage(error));
	}
}

function idText(value: unknown): string {
	return value === null || value === undefined ? '' : String(value).trim();
}

function finish(
	settings: ImportSettings,
	itemIndex: number,
	record: IDataObject,
	checkMs: number,
	ownKey: string | undefined,
): PreparedFlow {
	const checkTime = toFeishuSeconds(checkMs);
	const userId = record.user_id as string;
	const key = ownKey || deriveIdempotencyKey('punchFlow', [settings.employeeType, userId, checkTime]);
	const wire: IDataObject = { ...record, check_time: checkTime, idempotent_id: key };
	return {
		itemIndex,
		userId,
		creatorId: wire.creator_id as string,
		key,
		checkTime,
		checkMs,
		externalId: typeof wire.external_id === 'string' ? wire.external_id : undefined,
		record: wire,
	};
}

function prepareFromFields(
	ctx: IExecuteFunctions,
	_items: INodeExecutionData[],
	itemIndex: number,
	settings: ImportSettings,
): PreparedFlow {
	const userId = idText(ctx.getNodeParameter('employeeId', itemIndex, ''));
	if (!userId) throw inputError(ctx, itemIndex, 'Employee ID is empty');
	const checkMs = readCheckTime(ctx, itemIndex, 'Check Time', ctx.getNodeParameter('checkTime', itemIndex, ''), settings.timezone);
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const record: IDataObject = {
		user_id: userId,
		creator_id: idText(ctx.getNodeParameter('creatorId', itemIndex, '')) || userId,
		location_name: String(ctx.getNodeParameter('locationName', itemIndex, DEFAULT_LOCATION) ?? ''),
		comment: String(ctx.getNodeParameter('comment', itemIndex, DEFAULT_COMMENT) ?? ''),
	};
	if (idText(extra.externalId)) record.external_id = idText(extra.externalId);
	if (idText(extra.ssid)) record.ssid = idText(extra.ssid);
	if (idText(extra.bssid)) record.bssid = idText(extra.bssid);
	if (extra.isField !== undefined) record.is_field = extra.isField === true;
	if (extra.isWifi !== undefined) record.is_wifi = extra.isWifi === true;
	const photos = listField(ctx, itemIndex, extra.photoUrls, 'Photo URLs');
	if (photos.length > 0) record.photo_urls = photos;
	return finish(settings, itemIndex, record, checkMs, idText(extra.idempotencyKey) || undefined);
}

function prepareFromJson(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
	settings: ImportSettings,
): PreparedFlow {
	const source = items[itemIndex].json ?? {};
	const userId = idText(source.user_id);
	if (!userId) throw inputError(ctx, itemIndex, 'The item has no "user_id" field', 'In this input mode each item must be a Feishu flow_record.');
	const checkMs = readCheckTime(ctx, itemIndex, 'The field "check_time"', source.check_time, settings.timezone);
	const record: IDataObject = {
		user_id: userId,
		creator_id: idText(source.creator_id) || userId,
		location_name: typeof source.location_name === 'string' ? source.location_name : DEFAULT_LOCATION,
		comment: typeof source.comment === 'string' ? source.comment : DEFAULT_COMMENT,
	};
	for (const field of WRITABLE_STRING_FIELDS) if (idText(source[field])) record[field] = idText(source[field]);
	for (const field of WRITABLE_BOOLEAN_FIELDS) {
		const value = source[field];
		if (value === undefined || value === null) continue;
		if (typeof value === 'boolean') record[field] = value;
		else if (value === 'true' || value === 'false') record[field] = value === 'true';
		else throw inputError(ctx, itemIndex, `The field "${field}" must be true or false`);
	}
	for (const field of WRITABLE_NUMBER_FIELDS) {
		const value = source[field];
		if (value === undefined || value === null || value === '') continue;
		if (!Number.isFinite(Number(value))) throw inputError(ctx, itemIndex, `The field "${field}" must be a number`);
		record[field] = Number(value);
	}
	const photos = listField(ctx, itemIndex, source.photo_urls, 'The field "photo_urls"');
	if (photos.length > 0) record.photo_urls = photos;
	return finish(settings, itemIndex, record, checkMs, idText(source.idempotent_id) || undefined);
}

// ---- talking to Feishu ----

interface CreateAnswer {
	flow_records?: IDataObject[];
}


/**
 * Imports one batch and reports an outcome for each of its records.
 *
 * How Feishu answers a repeated idempotent_id is UNCONFIRMED (shared/feishu-api.md §8, §10.3-4). This code
 * does not depend on it; it handles each of the answers seen in the docs and modelled by the emulator:
 * - code 0, the record listed as a failed `user-creator` pair in msg and missing from data ('reject-record');
 * - the whole call refused with 1220600 'the object already exists', nothing stored ('reject-call');
 * - code 0 with the stored record returned as if new ('echo'; only Look Up Existing Records First can tell).
 * Returned records are matched to inputs by idempotent_id, never by position. A record that is not returned
 * is looked up with one user_flows/query: found (same idempotent_id) → duplicate, else failed with msg's reason.
 */
class FlowImporter {
	constructor(
		private readonly client: FeishuClient,
		private readonly settings: ImportSettings,
	) {}

	async importBatch(batch: PreparedFlow[]): Promise<Map<PreparedFlow, Outcome>> {
		const outcomes = new Map<PreparedFlow, Outcome>();
		try {
			let pending = batch;
			if (this.settings.lookUpFirst) pending = await this.markStored(pending, outcomes);
			if (pending.length === 0) return outcomes;

			let answer = await this.send(pending);
			if (isAlreadyExists(answer)) {
				// Whole call refused: nothing of it was stored. Report what exists, resend the rest once.
				pending = await this.markStored(pending, outcomes);
				if (pending.length === 0) return outcomes;
				answer = await this.send(pending);
				if (isAlreadyExists(answer)) {
					pending = await this.markStored(pending, outcomes);
					for (const flow of pending) {
						outcomes.set(flow, {
							status: 'failed',
							error: `Feishu refused the batch with "${answer.msg}" twice, and no stored record with this idempotency key was found`,
							errorDescription:
								'Another record probably uses the same idempotency key. Check the Idempotency Key field, or run the import again.',
						});
					}
					return outcomes;
				}
			}
			if (answer.code !== 0) {
				throw this.client.errorFor(answer, { method: 'POST', path: '/user_flows/batch_create', itemIndex: pending[0].itemIndex });
			}
			const missing = this.markReturned(pending, answer.data?.flow_records ?? [], outcomes);
			if (missing.length > 0) await this.explainMissing(missing, answer.msg, outcomes);
		} catch (error) {
			for (const flow of batch) if (!outcomes.has(flow)) outcomes.set(flow, { status: 'error', error });
		}
		return outcomes;
	}

	/**
	 * Every record carries an idempotent_id, so sending a batch twice cannot create a second punch:
	 * the call is repeatable (the client retries it after lost connections and server errors).
	 * 1220600 is accepted so that 'the object already exists' arrives as an answer, not an exception.
	 */
	private async send(flows: PreparedFlow[]): Promise<FeishuResponse<CreateAnswer>> {
		return await this.client.request<CreateAnswer>({
			method: 'POST',
			path: '/user_flows/batch_create',
			qs: { employee_type: this.settings.employeeType },
			body: { flow_records: flows.map((f) => f.record) },
			repeatable: true,
			acceptCodes: [GENERAL_ERROR_CODE],
			itemIndex: flows[0].itemIndex,
		});
	}

	/** Matches returned records to inputs by idempotent_id (else user + check_time); returns the unmatched inputs. */
	private markReturned(flows: PreparedFlow[], returned: IDataObject[], outcomes: Map<PreparedFlow, Outcome>): PreparedFlow[] {
		const open = new Set(flows);
		const byKey = new Map<string, PreparedFlow[]>();
		for (const flow of flows) byKey.set(flow.key, [...(byKey.get(flow.key) ?? []), flow]);
		for (const record of returned) {
			const candidates =
				typeof record.idempotent_id === 'string' && record.idempotent_id !== ''
					? (byKey.get(record.idempotent_id) ?? [])
					: flows.filter((f) => f.checkTime === String(record.check_time));
			const match =
				candidates.find((f) => open.has(f) && f.userId === String(record.user_id)) ??
				(candidates.filter((f) => open.has(f)).length === 1 ? candidates.find((f) => open.has(f)) : undefined);
			if (!match) continue;
			open.delete(match);
			outcomes.set(match, { status: 'imported', recordId: recordIdOf(record) });
		}
		return flows.filter((f) => open.has(f));
	}

	/** Records Feishu did not return: stored already (duplicate), or rejected (reason from msg). */
	private async explainMissing(missing: PreparedFlow[], msg: string, outcomes: Map<PreparedFlow, Outcome>): Promise<void> {
		let lookupProblem: string | undefined;
		let rejectedUsers = new Map<string, unknown>();
		let notStored = missing;
		try {
			const found = await this.findStored(missing);
			rejectedUsers = found.rejectedUsers;
			notStored = this.applyStored(missing, found.stored, outcomes);
		} catch (error) {
			lookupProblem = errorMessage(error);
		}
		const failedPairs = new Set(
			msg
				.replace(/^\s*\[|\]\s*$/g, '')
				.split(',')
				.map((p) => p.trim())
				.filter((p) => p !== ''),
		);
		for (const flow of notStored) {
			const listed = failedPairs.has(`${flow.userId}-${flow.creatorId}`);
			const error = listed
				? `Feishu rejected this record (user ${flow.userId}, creator ${flow.creatorId} listed as failed)`
				: `Feishu did not store this record (answer: "${msg || 'no message'}")`;
			const hints: string[] = [];
			if (rejectedUsers.has(flow.userId)) {
				hints.push(`Feishu does not know the employee ${flow.userId}, or the app's data permission does not cover them.`);
			} else {
				hints.push(
					'Check that the employee and the creator exist for the Employee ID Type, that the app’s data permission covers them, and that the check time is not in a sealed attendance period.',
				);
			}
			if (lookupProblem) hints.push(`Looking the record up in Feishu failed as well: ${lookupProblem}`);
			outcomes.set(flow, { status: 'failed', error, errorDescription: hints.join(' ') });
		}
	}

	/** Marks the flows already stored in Feishu as duplicate; returns the others. */
	private async markStored(flows: PreparedFlow[], outcomes: Map<PreparedFlow, Outcome>): Promise<PreparedFlow[]> {
		const { stored } = await this.findStored(flows);
		return this.applyStored(flows, stored, outcomes);
	}

	private applyStored(flows: PreparedFlow[], stored: Map<PreparedFlow, IDataObject>, outcomes: Map<PreparedFlow, Outcome>): PreparedFlow[] {
		const rest: PreparedFlow[] = [];
		for (const flow of flows) {
			const record = stored.get(flow);
			if (record) outcomes.set(flow, { status: 'duplicate', recordId: recordIdOf(record) });
			else rest.push(flow);
		}
		return rest;
	}

	/**
	 * Looks the flows up with one user_flows/query (their users, window min..max check_time): a stored flow
	 * with the same idempotent_id, or (when the answer carries no idempotent_id) the same user and check_time.
	 */
	private async findStored(flows: PreparedFlow[]) {
		const times = flows.map((f) => f.checkMs);
		const result = await queryFlows(this.client, {
			employeeType: this.settings.employeeType,
			userIds: flows.map((f) => f.userId),
			// one second either side, in case Feishu treats either end as exclusive
			fromMs: Math.min(...times) - 1000,
			toMs: Math.max(...times) + 1000,
			itemIndex: flows[0].itemIndex,
		});
		const byUser = new Map<string, IDataObject[]>();
		for (const record of result.records) {
			const user = String(record.user_id);
			byUser.set(user, [...(byUser.get(user) ?? []), record]);
		}
		const stored = new Map<PreparedFlow, IDataObject>();
		for (const flow of flows) {
			const record = (byUser.get(flow.userId) ?? []).find((r) =>
				typeof r.idempotent_id === 'string' && r.idempotent_id !== ''
					? r.idempotent_id === flow.key
					: String(r.check_time) === flow.checkTime,
			);
			if (record) stored.set(flow, record);
		}
		return { stored, rejectedUsers: result.rejectedUsers };
	}
}

function recordIdOf(record: IDataObject): string | undefined {
	return typeof record.record_id === 'string' && record.record_id !== '' ? record.record_id : undefined;
}
