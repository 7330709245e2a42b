import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import {
	batchSizeOption,
	employeeIdTypeProperty,
	optionsCollection,
	timezoneFrom,
	timezoneOption,
} from '../../descriptions/common';
import { FEISHU_MAX_BATCH, batchSizeOf, chunk, forEachBatch } from '../../helpers/batching';
import { compact, errorMessage, failItem, inputError, outputItem, validateItems } from '../../helpers/output';
import type { Resolved, RuleRef } from '../../helpers/rules';
import { REST_DAY_NAME, REST_DAY_SHIFT_ID, RuleDirectory, readRuleRef, resolveRuleRefs, ruleLocator } from '../../helpers/rules';
import type { ScheduleDay } from '../../helpers/schedule';
import { dayOfEntry, namesDay, readUnapplied, scheduleDayOf } from '../../helpers/schedule';
import { dayNumberToIsoDate, parseDay, splitDayRange } from '../../helpers/time';
import type { FeishuClient, FeishuResponse } from '../../transport';

/** Longest range of one user_daily_shifts/query (Feishu: at most 30 days). */
export const MAX_SCHEDULE_QUERY_DAYS = 30;

const properties: INodeProperties[] = [
	{
		displayName:
			'One item per employee and day. Writing the same schedule again gives the same result (Feishu replaces the day\'s schedule), so a roster can be re-sent safely.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	employeeIdTypeProperty(),
	{
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.employee_id }}',
		description: 'The employee to schedule, read per the Employee ID Type',
	},
	{
		displayName: 'Date',
		name: 'date',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'The day to schedule: a date, a date-time (its day in the Timezone option) or yyyyMMdd',
	},
	ruleLocator('group', {
		displayName: 'Attendance Group',
		name: 'group',
		description:
			"The employee's attendance group on that day (an employee is in one group per day; Feishu does not apply entries for another group). By Name is looked up once per run.",
	}),
	{
		displayName: 'Day Type',
		name: 'dayType',
		type: 'options',
		options: [
			{ name: 'Clear Schedule', value: 'clear', description: 'Remove the schedule of the day' },
			{ name: 'Rest Day', value: 'rest', description: 'The employee is off that day' },
			{ name: 'Shift', value: 'shift', description: 'The employee works a shift that day' },
		],
		default: 'shift',
	},
	ruleLocator('shift', {
		displayName: 'Shift',
		name: 'shift',
		displayOptions: { show: { dayType: ['shift'] } },
	}),
	{
		displayName: 'Operator ID',
		name: 'operatorId',
		type: 'string',
		default: '',
		placeholder: 'e.g. emp0001',
		description:
			'The attendance admin recorded as the one who changed the schedules, read per the Employee ID Type. Feishu requires it unless "API access" is set up in the attendance admin console.',
	},
	optionsCollection([
		batchSizeOption(FEISHU_MAX_BATCH, 'Schedule entries per Feishu call (Feishu accepts at most 50)'),
		timezoneOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['schedule'], operation: ['createOrUpdate'] } }, properties);

/** Values of Day Type. */
const DAY_TYPES = ['shift', 'rest', 'clear'];

/** One input item, read and resolved. */
interface Entry extends ScheduleDay {
	itemIndex: number;
	userId: string;
	groupId: string;
	groupName?: string;
	shiftId: string;
	shiftName?: string;
	clear: boolean;
}

type Outcome =
	| { status: 'scheduled' }
	| { status: 'failed'; error: string; errorDescription?: string }
	/** The call failed as a whole: the item's error (Continue On Fail), else the node stops. */
	| { status: 'error'; error: unknown };

interface Settings {
	employeeType: string;
	operatorId?: string;
}

interface RawEntry extends ScheduleDay {
	userId: string;
	group: RuleRef;
	shift?: RuleRef;
	dayType: string;
}

const NOT_APPLIED_HINT =
	'Feishu applies a schedule only for the attendance group the employee belongs to on that day. Check the employee\'s group (Attendance Group → Get Members) and that the group uses shifts.';

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const timezone = timezoneFrom(this);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const batchSize = batchSizeOf(options.batchSize, FEISHU_MAX_BATCH);
	const operatorId = String(this.getNodeParameter('operatorId', 0, '') ?? '').trim();
	const settings: Settings = {
		employeeType: this.getNodeParameter('employeeIdType', 0) as string,
		operatorId: operatorId || undefined,
	};

	// 1. Read every item before anything is sent.
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => readEntry(this, itemIndex, timezone));
	const output = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) output.set(itemIndex, { ...item, json: { status: 'failed', ...item.json } });

	// 2. Names → IDs, once per run; an unknown name fails its item only.
	const directory = new RuleDirectory(client);
	const groups = await resolveRuleRefs(this, directory, 'group', 'Attendance Group', valid.map(({ itemIndex, value }) => ({ itemIndex, ref: value.group })));
	const shifts = await resolveRuleRefs(
		this,
		directory,
		'shift',
		'Shift',
		valid.filter(({ value }) => value.shift).map(({ itemIndex, value }) => ({ itemIndex, ref: value.shift! })),
	);
	const entries: Entry[] = [];
	for (const { itemIndex, value } of valid) {
		const group = groups.get(itemIndex)!;
		const shift: Resolved = value.shift
			? shifts.get(itemIndex)!
			: { id: REST_DAY_SHIFT_ID, name: value.dayType === 'rest' ? REST_DAY_NAME : undefined };
		if ('error' in group || 'error' in shift) {
			const problem = 'error' in group ? group.error : (shift as { error: Error }).error;
			output.set(itemIndex, failItem(this, problem, itemIndex, { status: 'failed', employee_id: value.userId, date: dayNumberToIsoDate(value.day) }));
			continue;
		}
		entries.push({
			itemIndex,
			userId: value.userId,
			day: value.day,
			month: value.month,
			dayNo: value.dayNo,
			groupId: group.id,
			groupName: group.name,
			shiftId: shift.id,
			shiftName: shift.name,
			clear: value.dayType === 'clear',
		});
	}
	await addKnownNames(directory, entries);

	// 3. The same employee and day twice: sent once when equal, else the later item is an input error.
	const firstOf = new Map<string, Entry>();
	const unique: Entry[] = [];
	const repeats: Array<{ entry: Entry; first: Entry }> = [];
	for (const entry of entries) {
		const key = `${entry.userId}\u0000${entry.day}`;
		const first = firstOf.get(key);
		if (!first) {
			firstOf.set(key, entry);
			unique.push(entry);
		} else if (first.groupId === entry.groupId && first.shiftId === entry.shiftId && first.clear === entry.clear) {
			repeats.push({ entry, first });
		} else {
			const error = inputError(
				this,
				entry.itemIndex,
				`Item ${first.itemIndex} already schedules ${entry.userId} on ${dayNumberToIsoDate(entry.day)} differently`,
				'Each employee can have one schedule per day. Remove one of the two items.',
			);
			output.set(entry.itemIndex, failItem(this, error, entry.itemIndex, { status: 'failed', ...fieldsOf(entry, settings) }));
		}
	}

	// 4. Batches of at most 50 entries, all handed to the client at once (its pacer bounds them).
	const outcomes = new Map<Entry, Outcome>();
	await forEachBatch(unique, batchSize, async (batch) => {
		for (const [entry, outcome] of await writeBatch(client, settings, batch)) outcomes.set(entry, outcome);
	});

	// 5. One output item per input item.
	for (const entry of unique) output.set(entry.itemIndex, toOutput(this, entry, outcomes.get(entry), settings));
	for (const { entry, first } of repeats) {
		const item = toOutput(this, entry, outcomes.get(first), settings);
		item.json.duplicate_of_item = first.itemIndex;
		output.set(entry.itemIndex, item);
	}
	return [...output.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

function readEntry(ctx: IExecuteFunctions, itemIndex: number, timezone: string): RawEntry {
	const rawId = ctx.getNodeParameter('employeeId', itemIndex, '');
	if (typeof rawId === 'object' && rawId !== null) throw inputError(ctx, itemIndex, 'Employee ID must be text, not an object or a list');
	const userId = rawId === null || rawId === undefined ? '' : String(rawId).trim();
	if (!userId) throw inputError(ctx, itemIndex, 'Employee ID is empty');
	let day: number;
	try {
		day = parseDay(ctx.getNodeParameter('date', itemIndex, ''), timezone);
	} catch (error) {
		throw inputError(ctx, itemIndex, `Date ${errorMessage(error)}`);
	}
	const dayType = String(ctx.getNodeParameter('dayType', itemIndex, 'shift')).trim();
	if (!DAY_TYPES.includes(dayType)) {
		throw inputError(ctx, itemIndex, `Day Type "${dayType}" is not one of ${DAY_TYPES.join(', ')}`, 'Map "shift", "rest" or "clear".');
	}
	return {
		userId,
		...scheduleDayOf(day),
		dayType,
		group: readRuleRef(ctx, 'group', itemIndex, 'Attendance Group'),
		shift: dayType === 'shift' ? readRuleRef(ctx, 'shift', itemIndex, 'Shift') : undefined,
	};
}

/** Names of groups and shifts given by ID, when their list was read in this run anyway (no extra call). */
async function addKnownNames(directory: RuleDirectory, entries: Entry[]): Promise<void> {
	for (const kind of ['group', 'shift'] as const) {
		if (!directory.has(kind)) continue;
		let names: Map<string, string>;
		try {
			names = await directory.names(kind);
		} catch {
			continue;
		}
		for (const entry of entries) {
			if (kind === 'group') entry.groupName ??= names.get(entry.groupId);
			else if (entry.shiftId !== REST_DAY_SHIFT_ID) entry.shiftName ??= names.get(entry.shiftId);
		}
	}
}

function fieldsOf(entry: Entry, settings: Settings): IDataObject {
	return compact({
		employee_id: entry.userId,
		employee_id_type: settings.employeeType,
		date: dayNumberToIsoDate(entry.day),
		month: entry.month,
		day_no: entry.dayNo,
		group_id: entry.groupId,
		group_name: entry.groupName,
		shift_id: entry.clear ? undefined : entry.shiftId,
		shift_name: entry.clear ? undefined : entry.shiftName,
		rest_day: entry.clear ? undefined : entry.shiftId === REST_DAY_SHIFT_ID,
		cleared: entry.clear ? true : undefined,
	});
}

function toOutput(ctx: IExecuteFunctions, entry: Entry, outcome: Outcome | undefined, settings: Settings): INodeExecutionData {
	const json = fieldsOf(entry, settings);
	if (!outcome) return failItem(ctx, new Error('Feishu gave no answer for this entry'), entry.itemIndex, { status: 'failed', ...json });
	if (outcome.status === 'error') return failItem(ctx, outcome.error, entry.itemIndex, { status: 'failed', ...json });
	if (outcome.status === 'failed') {
		return outputItem(
			compact({ status: 'failed', ...json, error: outcome.error, errorDescription: outcome.errorDescription }),
			entry.itemIndex,
		);
	}
	return outputItem({ status: 'scheduled', ...json }, entry.itemIndex);
}

// ---- talking to Feishu ----

const wireOf = (entry: Entry): IDataObject =>
	compact({
		group_id: entry.groupId,
		shift_id: entry.shiftId,
		month: entry.month,
		user_id: entry.userId,
		day_no: entry.dayNo,
		is_clear_schedule: entry.clear ? true : undefined,
	});

/**
 * Codes with which Feishu refuses a whole call because of some of its entries: an unknown employee or one
 * outside the data permission, a shift or group that does not exist (1220600 'rule does not exist').
 */
const ENTRY_CODES = new Set([1220004, 1220005, 1226003, 1220600]);
/** Unknown employee, employee outside the data permission: Feishu's msg may name them. */
const USER_CODES = new Set([1220004, 1220005]);

const codeOf = (error: unknown) => (error instanceof NodeApiError ? Number(error.errorResponse?.code) : undefined);
const sameAnswer = (a: unknown, b: unknown) => codeOf(a) === codeOf(b) && errorMessage(a) === errorMessage(b);

/**
 * Writes one batch and reports every entry. When Feishu refuses the whole call because of some entries
 * (ENTRY_CODES), the batch is split by employee into halves and each half sent again (safe: batch_create
 * is an upsert), until the refused employees' entries are alone: those fail with Feishu's answer, the
 * others are written. When both halves get the same answer as the whole batch, the answer concerns the
 * call (e.g. the operator), not entries: every entry gets it as an error.
 */
async function writeBatch(client: FeishuClient, settings: Settings, batch: Entry[], refusal?: unknown): Promise<Map<Entry, Outcome>> {
	if (refusal === undefined) {
		const sent = await trySend(client, settings, batch);
		if (!('error' in sent)) return sent.outcomes;
		refusal = sent.error;
	}
	const users = [...new Set(batch.map((entry) => entry.userId))];
	const code = codeOf(refusal);
	if (code === undefined || !ENTRY_CODES.has(code)) return failAll(batch, { status: 'error', error: addOperatorHint(refusal) });
	const refused: Outcome = {
		status: 'failed',
		error: errorMessage(refusal),
		errorDescription: (refusal as { description?: string }).description ?? undefined,
	};
	if (users.length < 2) return failAll(batch, refused);
	// Employees the answer names (e.g. "user_id is not exist …: emp9999"): their entries fail, the rest is sent again.
	const named = new Set(String((refusal as NodeApiError).errorResponse?.msg ?? '').split(/[\s,;:()[\]{}"']+/));
	const mentioned = USER_CODES.has(code) ? users.filter((user) => named.has(user)) : [];
	if (mentioned.length > 0) {
		const outcomes = failAll(batch.filter((e) => mentioned.includes(e.userId)), refused);
		const rest = batch.filter((e) => !mentioned.includes(e.userId));
		if (rest.length > 0) for (const [entry, outcome] of await writeBatch(client, settings, rest)) outcomes.set(entry, outcome);
		return outcomes;
	}
	const firstHalf = new Set(users.slice(0, Math.ceil(users.length / 2)));
	const halves = [batch.filter((e) => firstHalf.has(e.userId)), batch.filter((e) => !firstHalf.has(e.userId))];
	const answers = await Promise.all(halves.map(async (half) => await trySend(client, settings, half)));
	if (answers.every((answer) => 'error' in answer && sameAnswer(answer.error, refusal))) {
		return failAll(batch, { status: 'error', error: refusal });
	}
	const outcomes = new Map<Entry, Outcome>();
	for (const [index, answer] of answers.entries()) {
		const part = 'error' in answer ? await writeBatch(client, settings, halves[index], answer.error) : answer.outcomes;
		for (const [entry, outcome] of part) outcomes.set(entry, outcome);
	}
	return outcomes;
}

function failAll(batch: Entry[], outcome: Outcome): Map<Entry, Outcome> {
	return new Map(batch.map((entry) => [entry, outcome]));
}

function addOperatorHint(error: unknown): unknown {
	if (error instanceof NodeApiError && /operator/i.test(String(error.message))) {
		error.description = `Fill in Operator ID with an attendance admin's ID, or set up "API access" in the attendance admin console. ${error.description ?? ''}`.trim();
	}
	return error;
}

/**
 * Sends one batch_create. Feishu answers entries it did not apply with code 0 and `{user: [dates]}` in msg:
 * those entries fail with that reason, the others are scheduled. A msg that cannot be read is checked by
 * reading the batch's schedules back. UNCONFIRMED: see docs/ASSUMPTIONS.md#schedule-partial-failures.
 */
async function trySend(
	client: FeishuClient,
	settings: Settings,
	batch: Entry[],
): Promise<{ outcomes: Map<Entry, Outcome> } | { error: unknown }> {
	let response: FeishuResponse<IDataObject>;
	try {
		response = await client.request<IDataObject>({
			method: 'POST',
			path: '/user_daily_shifts/batch_create',
			qs: { employee_type: settings.employeeType },
			body: compact({ user_daily_shifts: batch.map(wireOf), operator_id: settings.operatorId }),
			repeatable: true,
			itemIndex: batch[0].itemIndex,
		});
	} catch (error) {
		return { error };
	}
	const outcomes = new Map<Entry, Outcome>();
	const reading = readUnapplied(response.msg);
	if (reading.kind === 'none') {
		for (const entry of batch) outcomes.set(entry, { status: 'scheduled' });
	} else if (reading.kind === 'listed') {
		for (const entry of batch) {
			const listed = (reading.users.get(entry.userId) ?? []).some((value) => namesDay(value, entry));
			outcomes.set(
				entry,
				listed
					? {
							status: 'failed',
							error: `Feishu did not apply this entry (listed as not applied: ${entry.userId} on ${dayNumberToIsoDate(entry.day)})`,
							errorDescription: NOT_APPLIED_HINT,
						}
					: { status: 'scheduled' },
			);
		}
	} else {
		await checkStored(client, settings, batch, reading.msg, outcomes);
	}
	return { outcomes };
}

/** Reads the batch's employees and days back and compares them with what was sent. */
async function checkStored(client: FeishuClient, settings: Settings, batch: Entry[], msg: string, outcomes: Map<Entry, Outcome>): Promise<void> {
	const days = batch.map((entry) => entry.day);
	const users = [...new Set(batch.map((entry) => entry.userId))];
	const stored = new Map<string, IDataObject>();
	try {
		for (const ids of chunk(users, FEISHU_MAX_BATCH)) {
			for (const window of splitDayRange(Math.min(...days), Math.max(...days), MAX_SCHEDULE_QUERY_DAYS)) {
				const response = await client.request<IDataObject>({
					method: 'POST',
					path: '/user_daily_shifts/query',
					qs: { employee_type: settings.employeeType },
					body: { user_ids: ids, check_date_from: window.from, check_date_to: window.to },
					repeatable: true,
					itemIndex: batch[0].itemIndex,
				});
				for (const shift of (response.data?.user_daily_shifts ?? []) as IDataObject[]) {
					stored.set(`${String(shift.user_id)}\u0000${dayOfEntry(shift.month, shift.day_no)}`, shift);
				}
			}
		}
	} catch (error) {
		for (const entry of batch) {
			outcomes.set(entry, {
				status: 'failed',
				error: `Feishu answered "${msg}" and reading the schedules back failed: ${errorMessage(error)}`,
				errorDescription: 'Check the schedule in Feishu, or run the workflow again (writing the same schedule twice is safe).',
			});
		}
		return;
	}
	for (const entry of batch) {
		const found = stored.get(`${entry.userId}\u0000${entry.day}`);
		const applied = entry.clear
			? !found || found.is_clear_schedule === true
			: !!found && String(found.group_id) === entry.groupId && String(found.shift_id) === entry.shiftId;
		outcomes.set(
			entry,
			applied
				? { status: 'scheduled' }
				: {
						status: 'failed',
						error: `Feishu did not apply this entry (answer: "${msg}")`,
						errorDescription: NOT_APPLIED_HINT,
					},
		);
	}
}
