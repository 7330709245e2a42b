/**
 * Schedule → Create or Update: sending entries to user_daily_shifts/batch_create in batches and deciding what
 * became of each entry (a state machine over Feishu's answers: written, refused because of some entries, or
 * accepted with entries listed as not applied).
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../../transport';
import { FEISHU_MAX_BATCH, chunk, forEachBatch } from '../../helpers/batching';
import { compact, errorMessage } from '../../helpers/output';
import { EMPLOYEE_REFUSAL_CODES, feishuCodeOf } from '../../helpers/refusedEmployees';
import { MAX_SCHEDULE_QUERY_DAYS, dayOfEntry, namesDay, readUnapplied } from './schedule';
import type { ScheduleEntry } from './scheduleInput';
import { dayNumberToIsoDate, splitDayRange } from '../../helpers/time';

/** Run-wide settings of the calls. */
export interface ScheduleSettings {
	employeeType: string;
	operatorId?: string;
}

export type ScheduleOutcome =
	| { status: 'scheduled' }
	| { status: 'failed'; error: string; errorDescription?: string }
	/** The call failed as a whole: the item's error (Continue On Fail), else the node stops. */
	| { status: 'error'; error: unknown };

const NOT_APPLIED_HINT =
	'Feishu applies a schedule only for the attendance group the employee belongs to on that day. Check the employee\'s group (Attendance Group → Get Members) and that the group uses shifts.';

/** Writes every entry in batches of `batchSize`, all handed to the client at once (its pacer bounds them). */
export async function writeSchedules(
	client: FeishuClient,
	settings: ScheduleSettings,
	entries: ScheduleEntry[],
	batchSize: number,
): Promise<Map<ScheduleEntry, ScheduleOutcome>> {
	const outcomes = new Map<ScheduleEntry, ScheduleOutcome>();
	await forEachBatch(entries, batchSize, async (batch) => {
		for (const [entry, outcome] of await writeBatch(client, settings, batch)) outcomes.set(entry, outcome);
	});
	return outcomes;
}

const wireOf = (entry: ScheduleEntry): IDataObject =>
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
const ENTRY_CODES = new Set([...EMPLOYEE_REFUSAL_CODES, 1226003, 1220600]);

const sameAnswer = (a: unknown, b: unknown) => feishuCodeOf(a) === feishuCodeOf(b) && errorMessage(a) === errorMessage(b);

/**
 * Writes one batch and reports every entry. When Feishu refuses the whole call because of some entries
 * (ENTRY_CODES), the batch is split by employee into halves and each half sent again (safe: batch_create
 * is an upsert), until the refused employees' entries are alone: those fail with Feishu's answer, the
 * others are written. When both halves get the same answer as the whole batch, the answer concerns the
 * call (e.g. the operator), not entries: every entry gets it as an error.
 */
async function writeBatch(client: FeishuClient, settings: ScheduleSettings, batch: ScheduleEntry[], refusal?: unknown): Promise<Map<ScheduleEntry, ScheduleOutcome>> {
	if (refusal === undefined) {
		const sent = await trySend(client, settings, batch);
		if (!('error' in sent)) return sent.outcomes;
		refusal = sent.error;
	}
	const users = [...new Set(batch.map((entry) => entry.userId))];
	const code = feishuCodeOf(refusal);
	if (code === undefined || !ENTRY_CODES.has(code)) return failAll(batch, { status: 'error', error: addOperatorHint(refusal) });
	const refused: ScheduleOutcome = {
		status: 'failed',
		error: errorMessage(refusal),
		errorDescription: (refusal as { description?: string }).description ?? undefined,
	};
	if (users.length < 2) return failAll(batch, refused);
	// Employees the answer names (e.g. "user_id is not exist …: emp9999"): their entries fail, the rest is sent again.
	const named = new Set(String((refusal as NodeApiError).errorResponse?.msg ?? '').split(/[\s,;:()[\]{}"']+/));
	const mentioned = EMPLOYEE_REFUSAL_CODES.includes(code) ? users.filter((user) => named.has(user)) : [];
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
	const outcomes = new Map<ScheduleEntry, ScheduleOutcome>();
	for (const [index, answer] of answers.entries()) {
		const part = 'error' in answer ? await writeBatch(client, settings, halves[index], answer.error) : answer.outcomes;
		for (const [entry, outcome] of part) outcomes.set(entry, outcome);
	}
	return outcomes;
}

function failAll(batch: ScheduleEntry[], outcome: ScheduleOutcome): Map<ScheduleEntry, ScheduleOutcome> {
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
	settings: ScheduleSettings,
	batch: ScheduleEntry[],
): Promise<{ outcomes: Map<ScheduleEntry, ScheduleOutcome> } | { error: unknown }> {
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
	const outcomes = new Map<ScheduleEntry, ScheduleOutcome>();
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
async function checkStored(client: FeishuClient, settings: ScheduleSettings, batch: ScheduleEntry[], msg: string, outcomes: Map<ScheduleEntry, ScheduleOutcome>): Promise<void> {
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
