/**
 * Schedule → Create or Update: sending entries to user_daily_shifts/batch_create in batches and deciding what
 * became of each entry (a state machine over Feishu's answers: written, refused because of some entries, or
 * accepted with entries listed as not applied).
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../../transport';
import { FEISHU_MAX_BATCH, chunk, forEachBatch } from '../../helpers/batching';
import type { NotDone, NotDoneReason } from '../../helpers/outcome';
import { NOT_DONE_REASONS, answerMayBeLost } from '../../helpers/outcome';
import { compact, errorMessage } from '../../helpers/output';
import { fetchAll } from '../../helpers/pagination';
import {
	EMPLOYEE_REFUSAL_CODES,
	EMPLOYEE_UNKNOWN,
	NO_DATA_PERMISSION,
	feishuCodeOf,
} from '../../helpers/refusedEmployees';
import type { RuleDirectory } from '../../helpers/rules';
import { REST_DAY_SHIFT_ID } from '../../helpers/rules';
import { MAX_SCHEDULE_QUERY_DAYS, dayOfEntry, namesDay, readUnapplied } from './schedule';
import type { ScheduleEntry } from './scheduleInput';
import { dayNumberToIsoDate, splitDayRange } from '../../helpers/time';

/** Run-wide settings of the calls. */
export interface ScheduleSettings {
	employeeType: string;
	operatorId?: string;
	/** the group and shift lists of the run (read once), for the reason of an entry Feishu did not apply */
	directory?: RuleDirectory;
	/**
	 * Per refusal (code and message): whether halving a batch showed it concerns the call (true: e.g. an unknown
	 * operator) or entries (false). Shared by the run's batches, so a refusal of the call is confirmed once, not per batch.
	 */
	verdicts?: Map<string, Promise<boolean>>;
}

export type ScheduleOutcome =
	| { status: 'scheduled' }
	| {
			status: 'failed';
			error: string;
			reason: NotDoneReason;
			errorDescription?: string;
			errorDetails?: string;
	  }
	/** The call failed as a whole: the item's error (Continue On Fail), else the node stops. */
	| { status: 'error'; error: unknown };

const NOT_APPLIED_HINT =
	"Feishu applies a schedule only for the attendance group the employee belongs to on that day. Check the employee's group (Attendance Group → Get Members) and that the group uses shifts.";

/** Writes every entry in batches of `batchSize`, all handed to the client at once (its pacer bounds them). */
export async function writeSchedules(
	client: FeishuClient,
	settings: ScheduleSettings,
	entries: ScheduleEntry[],
	batchSize: number,
): Promise<Map<ScheduleEntry, ScheduleOutcome>> {
	const outcomes = new Map<ScheduleEntry, ScheduleOutcome>();
	const run: ScheduleSettings = { ...settings, verdicts: new Map() };
	await forEachBatch(entries, batchSize, async (batch) => {
		for (const [entry, outcome] of await writeBatch(client, run, batch))
			outcomes.set(entry, outcome);
	});
	const notApplied = [...outcomes]
		.filter(([, o]) => o.status === 'failed' && o.reason === NOT_DONE_REASONS.notInGroup)
		.map(([e]) => e);
	if (notApplied.length > 0) {
		const causes = await causesOf(client, settings, notApplied);
		for (const entry of notApplied) {
			const outcome = outcomes.get(entry) as Extract<ScheduleOutcome, { status: 'failed' }>;
			const cause = causes.get(entry);
			// no cause the lists show: Feishu's "not applied" stands, without a reason of its own
			outcomes.set(
				entry,
				cause
					? { ...outcome, ...cause, errorDetails: outcome.error }
					: { ...outcome, reason: NOT_DONE_REASONS.noReason },
			);
		}
	}
	return outcomes;
}

/**
 * Why Feishu did not apply entries (it names none), from the lists the run reads anyway (groups, shifts; once)
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#schedule-not-applied-cause
 * and the members of the groups concerned: an unknown shift or group, an employee outside the group. An
 * entry whose cause none of them shows keeps "not applied" with the group hint. Nothing is decided from text.
 */
async function causesOf(
	client: FeishuClient,
	settings: ScheduleSettings,
	entries: ScheduleEntry[],
): Promise<Map<ScheduleEntry, NotDone>> {
	const causes = new Map<ScheduleEntry, NotDone>();
	const directory = settings.directory;
	const read = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
		try {
			return await work();
		} catch {
			return undefined;
		}
	};
	const shifts = directory ? await read(async () => await directory.names('shift')) : undefined;
	const groups = directory ? await read(async () => await directory.names('group')) : undefined;
	const members = new Map<string, Promise<Set<string> | undefined>>();
	const membersOf = async (groupId: string) => {
		let list = members.get(groupId);
		if (!list) {
			list = read(async () => {
				const users = await fetchAll(client, {
					path: `/groups/${groupId}/list_user`,
					listKey: 'users',
					qs: { employee_type: settings.employeeType, dept_type: 'open_id', member_clock_type: 0 },
				});
				return new Set(users.map((u) => String(u.user_id)));
			});
			members.set(groupId, list);
		}
		return await list;
	};
	for (const entry of entries) {
		const group = entry.groupName ? `"${entry.groupName}" (${entry.groupId})` : entry.groupId;
		const when = dayNumberToIsoDate(entry.day);
		if (
			!entry.clear &&
			entry.shiftId !== REST_DAY_SHIFT_ID &&
			shifts &&
			!shifts.has(entry.shiftId)
		) {
			causes.set(entry, {
				error: `Feishu did not schedule ${entry.userId} on ${when}: there is no shift ${entry.shiftName ? `"${entry.shiftName}" (${entry.shiftId})` : entry.shiftId}`,
				reason: NOT_DONE_REASONS.unknownShift,
				errorDescription: 'Choose the shift from the list (Shift → Get Many lists them).',
			});
			continue;
		}
		if (groups && !groups.has(entry.groupId)) {
			causes.set(entry, {
				error: `Feishu did not schedule ${entry.userId} on ${when}: there is no attendance group ${group}`,
				reason: NOT_DONE_REASONS.unknownGroup,
				errorDescription:
					'Choose the attendance group from the list (Attendance Group → Get Many lists them).',
			});
			continue;
		}
		const inGroup = await membersOf(entry.groupId);
		if (inGroup && !inGroup.has(entry.userId)) {
			causes.set(entry, {
				error: `Feishu did not schedule ${entry.userId} on ${when}: they are not a member of the attendance group ${group}`,
				reason: NOT_DONE_REASONS.notInGroup,
				errorDescription:
					"Schedule the employee in the group they belong to (Attendance Group → Get Members), or add them to this group in Feishu's attendance admin console.",
			});
		}
	}
	return causes;
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

const sameAnswer = (a: unknown, b: unknown) =>
	feishuCodeOf(a) === feishuCodeOf(b) && errorMessage(a) === errorMessage(b);

/**
 * Writes one batch and reports every entry. When Feishu refuses the whole call because of some entries
 * (ENTRY_CODES), the batch is split by employee into halves and each half sent again (safe: batch_create
 * is an upsert), until the refused employees' entries are alone: those fail with Feishu's answer, the
 * others are written. When both halves get the same answer as the whole batch, the answer concerns the
 * call (e.g. the operator), not entries: every entry gets it as an error.
 */
async function writeBatch(
	client: FeishuClient,
	settings: ScheduleSettings,
	batch: ScheduleEntry[],
	refusal?: unknown,
): Promise<Map<ScheduleEntry, ScheduleOutcome>> {
	if (refusal === undefined) {
		const sent = await trySend(client, settings, batch);
		if (!('error' in sent)) return sent.outcomes;
		refusal = sent.error;
	}
	const users = [...new Set(batch.map((entry) => entry.userId))];
	const code = feishuCodeOf(refusal);
	if (code === undefined || !ENTRY_CODES.has(code)) {
		if (answerMayBeLost(refusal)) {
			// The answer may be lost after Feishu applied the batch (no answer or a 5xx, after the retries): the
			// schedules Feishu holds say which entries are set. UNCONFIRMED: see docs/ASSUMPTIONS.md#answer-lost-after-commit
			const applied = await appliedEntries(client, settings, batch).catch(() => undefined);
			if (applied) {
				const outcomes = failAll(batch, { status: 'error', error: refusal });
				for (const entry of applied) outcomes.set(entry, { status: 'scheduled' });
				return outcomes;
			}
		}
		return failAll(batch, { status: 'error', error: addOperatorHint(refusal) });
	}
	const refused: ScheduleOutcome = {
		status: 'failed',
		error: errorMessage(refusal),
		reason:
			code === EMPLOYEE_UNKNOWN
				? NOT_DONE_REASONS.unknownEmployee
				: code === NO_DATA_PERMISSION
					? NOT_DONE_REASONS.noDataPermission
					: code === 1226003
						? NOT_DONE_REASONS.unknownShift
						: NOT_DONE_REASONS.refused,
		errorDescription: (refusal as { description?: string }).description ?? undefined,
	};
	if (users.length < 2) return failAll(batch, refused);
	// Employees the answer names (e.g. "user_id is not exist …: emp9999"): their entries fail, the rest is sent again.
	const named = new Set(
		String((refusal as NodeApiError).errorResponse?.msg ?? '').split(/[\s,;:()[\]{}"']+/),
	);
	const mentioned = EMPLOYEE_REFUSAL_CODES.includes(code)
		? users.filter((user) => named.has(user))
		: [];
	if (mentioned.length > 0) {
		const outcomes = failAll(
			batch.filter((e) => mentioned.includes(e.userId)),
			refused,
		);
		const rest = batch.filter((e) => !mentioned.includes(e.userId));
		if (rest.length > 0)
			for (const [entry, outcome] of await writeBatch(client, settings, rest))
				outcomes.set(entry, outcome);
		return outcomes;
	}
	// A refusal another batch of the run has shown to concern the call is not confirmed again.
	const key = `${code}\u0000${errorMessage(refusal)}`;
	const known = settings.verdicts?.get(key);
	if (known && (await known))
		return failAll(batch, { status: 'error', error: callRefusal(refusal, settings) });
	let settle: ((callLevel: boolean) => void) | undefined;
	if (!known) settings.verdicts?.set(key, new Promise<boolean>((resolve) => (settle = resolve)));
	const firstHalf = new Set(users.slice(0, Math.ceil(users.length / 2)));
	const halves = [
		batch.filter((e) => firstHalf.has(e.userId)),
		batch.filter((e) => !firstHalf.has(e.userId)),
	];
	const answers = await Promise.all(
		halves.map(async (half) => await trySend(client, settings, half)),
	);
	const callLevel = answers.every(
		(answer) => 'error' in answer && sameAnswer(answer.error, refusal),
	);
	settle?.(callLevel);
	if (callLevel) return failAll(batch, { status: 'error', error: callRefusal(refusal, settings) });
	const outcomes = new Map<ScheduleEntry, ScheduleOutcome>();
	for (const [index, answer] of answers.entries()) {
		const part =
			'error' in answer
				? await writeBatch(client, settings, halves[index], answer.error)
				: answer.outcomes;
		for (const [entry, outcome] of part) outcomes.set(entry, outcome);
	}
	return outcomes;
}

function failAll(
	batch: ScheduleEntry[],
	outcome: ScheduleOutcome,
): Map<ScheduleEntry, ScheduleOutcome> {
	return new Map(batch.map((entry) => [entry, outcome]));
}

/**
 * A refusal that halving showed to concern the call, not entries: every employee refused alike. What all the calls
 * share is the operator (and the settings), so the description says to check it; Feishu's answer stays the message.
 */
function callRefusal(error: unknown, settings: ScheduleSettings): unknown {
	if (
		error instanceof NodeApiError &&
		settings.operatorId &&
		!/Operator ID/.test(error.description ?? '')
	) {
		error.description =
			`Feishu refuses the call the same way for every employee in it, so the refusal concerns what every call carries: check Operator ID (${settings.operatorId}), an attendance admin's ID in this Employee ID Type. ${error.description ?? ''}`.trim();
	}
	return error;
}

function addOperatorHint(error: unknown): unknown {
	if (error instanceof NodeApiError && /operator/i.test(String(error.message))) {
		error.description =
			`Fill in Operator ID with an attendance admin's ID, or set up "API access" in the attendance admin console. ${error.description ?? ''}`.trim();
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
			const listed = (reading.users.get(entry.userId) ?? []).some((value) =>
				namesDay(value, entry),
			);
			outcomes.set(
				entry,
				listed
					? {
							status: 'failed',
							error: `Feishu did not apply this entry (listed as not applied: ${entry.userId} on ${dayNumberToIsoDate(entry.day)})`,
							// the likeliest cause until causesOf finds the real one
							reason: NOT_DONE_REASONS.notInGroup,
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

/** Reads the batch's employees and days back; the entries Feishu holds as they were sent. Throws if it cannot read. */
async function appliedEntries(
	client: FeishuClient,
	settings: ScheduleSettings,
	batch: ScheduleEntry[],
): Promise<Set<ScheduleEntry>> {
	const days = batch.map((entry) => entry.day);
	const users = [...new Set(batch.map((entry) => entry.userId))];
	const stored = new Map<string, IDataObject>();
	for (const ids of chunk(users, FEISHU_MAX_BATCH)) {
		for (const window of splitDayRange(
			Math.min(...days),
			Math.max(...days),
			MAX_SCHEDULE_QUERY_DAYS,
		)) {
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
	const applied = new Set<ScheduleEntry>();
	for (const entry of batch) {
		const found = stored.get(`${entry.userId}\u0000${entry.day}`);
		const held = entry.clear
			? !found || found.is_clear_schedule === true
			: !!found &&
				String(found.group_id) === entry.groupId &&
				String(found.shift_id) === entry.shiftId;
		if (held) applied.add(entry);
	}
	return applied;
}

/** Reads the batch's employees and days back and compares them with what was sent. */
async function checkStored(
	client: FeishuClient,
	settings: ScheduleSettings,
	batch: ScheduleEntry[],
	msg: string,
	outcomes: Map<ScheduleEntry, ScheduleOutcome>,
): Promise<void> {
	let applied: Set<ScheduleEntry>;
	try {
		applied = await appliedEntries(client, settings, batch);
	} catch (error) {
		for (const entry of batch) {
			outcomes.set(entry, {
				status: 'failed',
				reason: NOT_DONE_REASONS.noReason,
				error: `Feishu answered "${msg}" and reading the schedules back failed: ${errorMessage(error)}`,
				errorDescription:
					'Check the schedule in Feishu, or run the workflow again (writing the same schedule twice is safe).',
			});
		}
		return;
	}
	for (const entry of batch) {
		outcomes.set(
			entry,
			applied.has(entry)
				? { status: 'scheduled' }
				: {
						status: 'failed',
						error: `Feishu did not apply this entry (answer: "${msg}")`,
						reason: NOT_DONE_REASONS.notInGroup,
						errorDescription: NOT_APPLIED_HINT,
					},
		);
	}
}
