/**
 * Remedy → Create: deciding which remedies to send (Feishu has no idempotency key for remedies, so the
 * remedies it already holds are looked up first), and sending one remedy and reading the answer.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#remedy-duplicates.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FeishuClient } from '../../transport';
import { FEISHU_MAX_BATCH, chunk } from '../../helpers/batching';
import type { SecondsWindow } from './remedy';
import {
	ALL_REMEDY_STATUS_CODES,
	CLOSED_REMEDY_STATUS_CODES,
	REMEDY_CREATE_PATH,
	REMEDY_QUERY_PATH,
	REMEDY_REFUSALS,
	flattenRemedy,
	remedyKey,
	remedyQueryBody,
	remedyQueryWindows,
} from './remedy';
import { answerMayBeLost } from '../../helpers/outcome';
import { askIsolatingRefused } from '../../helpers/refusedEmployees';
import type { PreparedRemedy } from './remedyInput';
import { addDays } from '../../helpers/time';

/**
 * What to do with one remedy:
 * - send: nothing stands in its way;
 * - held: Feishu already holds a remedy for this employee, day and punch (the first of them, as output);
 * - repeat: an earlier item of this run asks for the same remedy (it is sent once);
 * - lookUpFailed: the look-up of the employee's remedies failed, so it must not be sent.
 */
export type RemedyPlan =
	| { kind: 'send' }
	| { kind: 'held'; remedy: IDataObject }
	| { kind: 'repeat'; firstItem: number }
	| { kind: 'lookUpFailed'; error: unknown };

/**
 * The plan of every remedy, group by group (Employee ID Type and time zone; item order within a group), each
 * group once its look-up is answered: a caller that stops at a failed look-up asks no further group. One set
 * of look-up calls per Employee ID Type and time zone over the days the items name (every status, ≤ 50
 * employees × window × status per call). With `resendClosed`, rejected, cancelled and withdrawn remedies do
 * not count as held.
 */
export async function* planRemedies(
	client: FeishuClient,
	prepared: PreparedRemedy[],
	settings: { resendClosed: boolean; windowDays: number },
): AsyncGenerator<[PreparedRemedy, RemedyPlan]> {
	const groups = new Map<string, PreparedRemedy[]>();
	for (const p of prepared) {
		const key = `${p.employeeIdType}|${p.timeZone}`;
		const group = groups.get(key);
		if (group) group.push(p);
		else groups.set(key, [p]);
	}
	const firstOfKey = new Map<string, PreparedRemedy>();
	for (const group of groups.values()) {
		const { employeeIdType, timeZone } = group[0];
		const employees = [...new Set(group.map((p) => p.employeeId))];
		const firstItem = new Map<string, number>();
		for (const p of group)
			if (!firstItem.has(p.employeeId)) firstItem.set(p.employeeId, p.itemIndex);
		const firstDay = group.reduce((min, p) => Math.min(min, p.day), Infinity);
		const lastDay = group.reduce((max, p) => Math.max(max, p.day), -Infinity);
		const existing = await findExistingRemedies(
			client,
			employeeIdType,
			employees,
			firstDay,
			lastDay,
			timeZone,
			settings.windowDays,
			(id) => firstItem.get(id) ?? 0,
		);
		for (const p of group) {
			const failed = existing.failed.get(p.employeeId);
			if (failed !== undefined) {
				yield [p, { kind: 'lookUpFailed', error: failed }];
				continue;
			}
			const held = (existing.found.get(p.key) ?? []).filter(
				(r) => !(settings.resendClosed && CLOSED_REMEDY_STATUS_CODES.includes(Number(r.status))),
			);
			if (held.length > 0) {
				yield [p, { kind: 'held', remedy: flattenRemedy(held[0], employeeIdType, p.timeZone) }];
				continue;
			}
			const first = firstOfKey.get(`${employeeIdType}|${p.key}`);
			if (first) {
				yield [p, { kind: 'repeat', firstItem: first.itemIndex }];
				continue;
			}
			firstOfKey.set(`${employeeIdType}|${p.key}`, p);
			yield [p, { kind: 'send' }];
		}
	}
}

/** What the look-up found for one remedy key, or the error of the calls that should have found it. */
interface ExistingRemedies {
	/** remedy key → the remedies Feishu already holds */
	found: Map<string, IDataObject[]>;
	/** employee ID → the error of a failed look-up call (the items of that employee must not be sent) */
	failed: Map<string, unknown>;
}

/**
 * Looks up the remedies Feishu already holds for employees of one Employee ID Type, on the days
 * [firstDay, lastDay] (remedy times up to the end of the day after lastDay, for check-outs after midnight),
 * every status: one call per ≤ 50 employees × window × status, all handed to the client at once. The error
 * of an employee whose calls failed is in `failed`.
 */
async function findExistingRemedies(
	client: FeishuClient,
	employeeIdType: string,
	employeeIds: string[],
	firstDay: number,
	lastDay: number,
	timeZone: string,
	windowDays: number,
	itemIndexOf: (employeeId: string) => number,
): Promise<ExistingRemedies> {
	const windows = remedyQueryWindows(
		firstDay,
		addDays(lastDay, 1),
		timeZone,
		windowDays,
		ALL_REMEDY_STATUS_CODES,
	);
	const found = new Map<string, IDataObject[]>();
	const failed = new Map<string, unknown>();
	const lookUp = async (batch: string[], window: SecondsWindow): Promise<void> => {
		const answer = await client.request<IDataObject>({
			method: 'POST',
			path: REMEDY_QUERY_PATH,
			qs: { employee_type: employeeIdType },
			body: remedyQueryBody(batch, window),
			repeatable: true,
			itemIndex: Math.min(...batch.map(itemIndexOf)),
		});
		for (const remedy of (answer.data?.user_remedys ?? []) as IDataObject[]) {
			const key = remedyKey(remedy.user_id, remedy.remedy_date, remedy.punch_no, remedy.work_type);
			const list = found.get(key);
			if (list) list.push(remedy);
			else found.set(key, [remedy]);
		}
	};
	// An unknown or unauthorized ID fails only its own items (askIsolatingRefused halves the batch around it).
	const calls = chunk(employeeIds, FEISHU_MAX_BATCH).flatMap((batch) =>
		windows.map((window) => ({ batch, window })),
	);
	await Promise.all(
		calls.map(async ({ batch, window }) => {
			const refused = await askIsolatingRefused(batch, async (ids) => await lookUp(ids, window));
			for (const [id, error] of refused) if (!failed.has(id)) failed.set(id, error);
		}),
	);
	return { found, failed };
}

/**
 * What became of one remedy sent:
 * - created: stored (pending), as output fields (flattenRemedy);
 * - refused: Feishu's decision about this remedy (REMEDY_REFUSALS): a failed output item, the run goes on;
 * - error: any other failure: follows Continue On Fail.
 */
export type RemedyOutcome =
	/** `afterLostAnswer`: the answer was lost and the look-up found the remedy this run's send stored */
	| { status: 'created'; remedy: IDataObject; afterLostAnswer?: boolean }
	| { status: 'refused'; error: string; errorDescription?: string; code: number }
	| { status: 'error'; error: unknown };

/**
 * Sends one remedy; never throws. Not repeated automatically: there is no idempotency key, a resend could
 * store a second remedy (a lost answer could mean it was stored: the next run's look-up finds it).
 */
export async function writeRemedy(client: FeishuClient, p: PreparedRemedy): Promise<RemedyOutcome> {
	const req = { method: 'POST' as const, path: REMEDY_CREATE_PATH, itemIndex: p.itemIndex };
	try {
		const answer = await client.request<IDataObject>({
			...req,
			qs: { employee_type: p.employeeIdType },
			body: {
				user_id: p.employeeId,
				remedy_date: p.day,
				punch_no: p.punch.punchNo,
				work_type: p.punch.workType,
				remedy_time: p.remedyTime,
				reason: p.reason,
			},
			// no idempotency key: a resend could store a second remedy
			repeatable: false,
			acceptCodes: Object.keys(REMEDY_REFUSALS).map(Number),
		});
		if (answer.code !== 0) {
			const error = client.errorFor(answer, req, {
				note: REMEDY_REFUSALS[answer.code],
				message: `Feishu refused the remedy: ${answer.msg}`,
			});
			return {
				status: 'refused',
				error: error.message,
				errorDescription: error.description ?? undefined,
				code: answer.code,
			};
		}
		return {
			status: 'created',
			remedy: flattenRemedy(
				(answer.data?.user_remedy ?? {}) as IDataObject,
				p.employeeIdType,
				p.timeZone,
			),
		};
	} catch (error) {
		// The answer may be lost after Feishu stored the remedy (no answer, a 5xx): the remedies it now holds say so.
		// UNCONFIRMED: see docs/ASSUMPTIONS.md#answer-lost-after-commit
		// The look-up before the send found none for this punch (else nothing was sent), so a pending one is this run's.
		if (answerMayBeLost(error)) {
			try {
				const existing = await findExistingRemedies(
					client,
					p.employeeIdType,
					[p.employeeId],
					p.day,
					p.day,
					p.timeZone,
					2,
					() => p.itemIndex,
				);
				const stored = (existing.found.get(p.key) ?? []).find(
					(r) => !CLOSED_REMEDY_STATUS_CODES.includes(Number(r.status)),
				);
				if (stored)
					return {
						status: 'created',
						remedy: flattenRemedy(stored, p.employeeIdType, p.timeZone),
						afterLostAnswer: true,
					};
			} catch {
				// nothing could be read back: the call's own error says what happened
			}
		}
		return { status: 'error', error };
	}
}
