/**
 * Punch Flow → Import: sending checked flow records to user_flows/batch_create and deciding, for each record,
 * what became of it (imported, duplicate, failed, or a whole-call error).
 */
import type { IDataObject } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../../transport';
import { GENERAL_ERROR_CODE, isAlreadyExists } from '../../transport/errors';
import type { PreparedFlow } from './flowInput';
import type { NotDoneReason } from '../../helpers/outcome';
import { NOT_DONE_REASONS } from '../../helpers/outcome';
import { errorMessage } from '../../helpers/output';
import { queryFlows } from './punchFlow';

export type FlowOutcome =
	/** stored by this run (recordId when Feishu returned or the look-up found it) */
	| { status: 'imported'; recordId?: string }
	/** Feishu already had it before this run, or it repeats an earlier item of this run (duplicateOf) */
	| { status: 'duplicate'; recordId?: string; duplicateOf?: number }
	/**
	 * Feishu decided against this record: a failed output item, the run goes on. `error` is the reason an HR
	 * admin can act on; `errorDetails` what Feishu answered (technical).
	 */
	| {
			status: 'failed';
			error: string;
			reason: NotDoneReason;
			errorDetails?: string;
			duplicateOf?: number;
	  }
	/** a whole-call failure: an error item with Continue On Fail, else the node stops */
	| { status: 'error'; error: unknown };

interface ImportSettings {
	/** records per call, 1..50 */
	batchSize: number;
	/** look each batch up before sending it (Look Up Existing Records First) */
	lookUpFirst: boolean;
	/**
	 * Called once per flow as soon as its outcome is known (its batch answered; a repeat at `finish`), e.g. to
	 * build its output item while other calls are still on their way.
	 */
	onOutcome?: (flow: PreparedFlow, outcome: FlowOutcome) => void;
}

/** What the batches sent so far did (for the stop message of a run that stops part-way). */
export interface ImportTally {
	calls: number;
	imported: number;
	duplicate: number;
	failed: number;
}

/**
 * Imports flows as they are prepared and reports one outcome per flow.
 * - `add` takes the next checked flow; a batch goes to the client as soon as it is full, so the first call
 *   leaves while later items are still being read (the client's pacer bounds the calls in flight).
 * - The same record twice in one run (same Employee ID Type, user and idempotency key) is sent once; the
 *   later item is a duplicate of the first (or failed with it).
 * - One batch_create call takes one employee_type, so flows are grouped by their Employee ID Type, each group
 *   filling its own batch.
 * - `finish` sends the partly filled batches and waits for every answer; `settle` waits for the batches sent so
 *   far without sending the rest (a run that stops at a bad item: records are idempotent, so what went out
 *   is safe, and a re-run reports it as duplicate).
 */
export class FlowImporter {
	private readonly firstOf = new Map<string, PreparedFlow>();
	private readonly repeats: Array<{ flow: PreparedFlow; first: PreparedFlow }> = [];
	private readonly filling = new Map<string, PreparedFlow[]>();
	private readonly running: Array<Promise<void>> = [];
	private readonly outcomes = new Map<PreparedFlow, FlowOutcome>();
	private calls = 0;
	private whole = 0;
	/** batches sent and not yet answered, and who waits for fewer (see `room`) */
	private unanswered = 0;
	private readonly roomWaiters: Array<() => void> = [];

	constructor(
		private readonly client: FeishuClient,
		private readonly settings: ImportSettings,
	) {}

	/** Takes the next flow; true when this sent a batch. */
	add(flow: PreparedFlow): boolean {
		const id = [flow.employeeType, flow.userId, flow.key].join('\u0000');
		const first = this.firstOf.get(id);
		if (first) {
			this.repeats.push({ flow, first });
			return false;
		}
		this.firstOf.set(id, flow);
		let batch = this.filling.get(flow.employeeType);
		if (!batch) this.filling.set(flow.employeeType, (batch = []));
		batch.push(flow);
		if (batch.length < this.settings.batchSize) return false;
		this.filling.delete(flow.employeeType);
		this.dispatch(batch);
		return true;
	}

	/** Whether a batch sent so far failed as a whole (a whole-call error: the node stops without Continue On Fail). */
	get hadCallError(): boolean {
		return this.whole > 0;
	}

	/** The whole-call error of the earliest item among the batches answered so far. */
	firstCallError(): unknown {
		let first: { itemIndex: number; error: unknown } | undefined;
		for (const [flow, outcome] of this.outcomes) {
			if (outcome.status === 'error' && (!first || flow.itemIndex < first.itemIndex))
				first = { itemIndex: flow.itemIndex, error: outcome.error };
		}
		return first?.error;
	}

	/**
	 * Resolves once fewer than `limit` batches are sent and unanswered: reading need not run further ahead of
	 * Feishu than the calls that can go out soon (it would only hold the event loop while answers wait).
	 */
	async room(limit: number): Promise<void> {
		while (this.unanswered >= limit)
			await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
	}

	/** Waits for the batches sent so far; the partly filled ones are not sent. */
	async settle(): Promise<ImportTally> {
		for (let done = 0; done < this.running.length;) {
			const upTo = this.running.length;
			await Promise.all(this.running.slice(done, upTo));
			done = upTo;
		}
		const tally: ImportTally = { calls: this.calls, imported: 0, duplicate: 0, failed: 0 };
		for (const outcome of this.outcomes.values()) {
			if (outcome.status === 'imported') tally.imported++;
			else if (outcome.status === 'duplicate') tally.duplicate++;
			else tally.failed++;
		}
		return tally;
	}

	/** Sends the partly filled batches, waits for every answer and returns an outcome per flow. */
	async finish(): Promise<Map<PreparedFlow, FlowOutcome>> {
		for (const batch of this.filling.values()) this.dispatch(batch);
		this.filling.clear();
		await this.settle();
		for (const { flow, first } of this.repeats) {
			const outcome = repeatOutcome(first.itemIndex, this.outcomes.get(first));
			this.outcomes.set(flow, outcome);
			this.settings.onOutcome?.(flow, outcome);
		}
		return this.outcomes;
	}

	private dispatch(batch: PreparedFlow[]): void {
		this.calls++;
		this.unanswered++;
		const importer = new BatchImport(this.client, batch[0].employeeType, this.settings.lookUpFirst);
		this.running.push(
			importer
				.run(batch)
				.then((outcomes) => {
					for (const [flow, outcome] of outcomes) {
						this.outcomes.set(flow, outcome);
						if (outcome.status === 'error') this.whole++;
						this.settings.onOutcome?.(flow, outcome);
					}
				})
				.finally(() => {
					this.unanswered--;
					this.roomWaiters.splice(0).forEach((wake) => wake());
				}),
		);
	}
}

function repeatOutcome(firstIndex: number, outcome: FlowOutcome | undefined): FlowOutcome {
	if (outcome?.status === 'imported' || outcome?.status === 'duplicate') {
		return { status: 'duplicate', recordId: outcome.recordId, duplicateOf: firstIndex };
	}
	const reason =
		outcome?.status === 'failed'
			? outcome.error
			: outcome?.status === 'error'
				? errorMessage(outcome.error)
				: undefined;
	return {
		status: 'failed',
		duplicateOf: firstIndex,
		reason: NOT_DONE_REASONS.sameAsFailedItem,
		error: `Same punch as item ${firstIndex}, which was not imported${reason ? `: ${reason.replace(/ \[item \d+\]$/, '')}` : ''}`,
		errorDetails: outcome?.status === 'failed' ? outcome.errorDetails : undefined,
	};
}

interface CreateAnswer {
	flow_records?: IDataObject[];
}

/**
 * One batch: sends it and reports an outcome for each of its records.
 *
 * How Feishu answers a repeated idempotent_id is not documented. UNCONFIRMED: see
 * docs/ASSUMPTIONS.md#repeated-punch-key. Each reading is handled:
 * - code 0, the record listed as a failed `user-creator` pair in msg and missing from data ('reject-record');
 * - the whole call refused with 1220600 'the object already exists', nothing stored ('reject-call');
 * - code 0 with the stored record returned as if new ('echo'; only Look Up Existing Records First can tell).
 * Returned records are matched to inputs by idempotent_id, never by position. A record that is not returned
 * is looked up with one user_flows/query: found (same idempotent_id) → stored, else failed with msg's reason.
 *
 * A stored record found by a look-up is `imported` when a send of it in this run may have stored it (the
 * client resent the call after a lost answer or a server error: `resent`), else `duplicate` (Feishu had it).
 */
class BatchImport {
	private readonly outcomes = new Map<PreparedFlow, FlowOutcome>();

	/** Flows that a send of this run may have stored although its answer never arrived. */
	private readonly maybeStoredByUs = new Set<PreparedFlow>();

	constructor(
		private readonly client: FeishuClient,
		private readonly employeeType: string,
		private readonly lookUpFirst: boolean,
	) {}

	async run(batch: PreparedFlow[]): Promise<Map<PreparedFlow, FlowOutcome>> {
		try {
			let pending = batch;
			if (this.lookUpFirst) pending = await this.markStored(pending);
			if (pending.length === 0) return this.outcomes;

			let answer = await this.send(pending);
			if (isAlreadyExists(answer)) {
				// Whole call refused: nothing of it was stored. Report what exists, resend the rest once.
				pending = await this.markStored(pending);
				if (pending.length === 0) return this.outcomes;
				answer = await this.send(pending);
				if (isAlreadyExists(answer)) {
					pending = await this.markStored(pending);
					for (const flow of pending) {
						this.outcomes.set(flow, {
							status: 'failed',
							reason: NOT_DONE_REASONS.refused,
							error:
								'Feishu says this punch already exists, but no stored punch with its idempotency key was found: another record probably uses the same Idempotency Key. Check that field, or run the import again.',
							errorDetails: `Feishu refused the batch with "${answer.msg}" twice`,
						});
					}
					return this.outcomes;
				}
			}
			if (answer.code !== 0) {
				throw this.client.errorFor(answer, {
					method: 'POST',
					path: '/user_flows/batch_create',
					itemIndex: pending[0].itemIndex,
				});
			}
			const missing = this.markReturned(pending, answer.data?.flow_records ?? []);
			if (missing.length > 0) await this.explainMissing(missing, answer.msg);
		} catch (error) {
			for (const flow of batch)
				if (!this.outcomes.has(flow)) this.outcomes.set(flow, { status: 'error', error });
		}
		return this.outcomes;
	}

	/**
	 * Every record carries an idempotent_id, so sending a batch twice cannot create a second punch:
	 * the call is repeatable (the client retries it after lost connections and server errors).
	 * 1220600 is accepted so that 'the object already exists' arrives as an answer, not an exception.
	 */
	private async send(flows: PreparedFlow[]): Promise<FeishuResponse<CreateAnswer>> {
		const answer = await this.client.request<CreateAnswer>({
			method: 'POST',
			path: '/user_flows/batch_create',
			qs: { employee_type: this.employeeType },
			body: { flow_records: flows.map((f) => f.record) },
			repeatable: true,
			acceptCodes: [GENERAL_ERROR_CODE],
			itemIndex: flows[0].itemIndex,
		});
		if (answer.resent) for (const flow of flows) this.maybeStoredByUs.add(flow);
		return answer;
	}

	/** Matches returned records to inputs by idempotent_id (else user + check_time); returns the unmatched inputs. */
	private markReturned(flows: PreparedFlow[], returned: IDataObject[]): PreparedFlow[] {
		const open = new Set(flows);
		for (const record of returned) {
			const sameKey = typeof record.idempotent_id === 'string' && record.idempotent_id !== '';
			const candidates = flows.filter(
				(f) =>
					open.has(f) &&
					(sameKey ? f.key === record.idempotent_id : f.checkTime === String(record.check_time)),
			);
			const match =
				candidates.find((f) => f.userId === String(record.user_id)) ??
				(candidates.length === 1 ? candidates[0] : undefined);
			if (!match) continue;
			open.delete(match);
			this.outcomes.set(match, { status: 'imported', recordId: recordIdOf(record) });
		}
		return flows.filter((f) => open.has(f));
	}

	/** Records Feishu did not return: stored already (see storedOutcome), or rejected (reason from msg). */
	private async explainMissing(missing: PreparedFlow[], msg: string): Promise<void> {
		let lookupProblem: string | undefined;
		let rejectedUsers = new Map<string, FeishuResponse<unknown>>();
		let notStored = missing;
		try {
			const found = await this.findStored(missing);
			rejectedUsers = found.rejectedUsers;
			notStored = this.applyStored(missing, found.stored);
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
			const details = [
				listed
					? `Feishu rejected this record (user ${flow.userId}, creator ${flow.creatorId} listed as failed)`
					: `Feishu did not store this record (answer: "${msg || 'no message'}")`,
			];
			const rejected = rejectedUsers.get(flow.userId);
			if (rejected)
				details.push(`Looking the employee up: Feishu code ${rejected.code}, "${rejected.msg}"`);
			if (lookupProblem)
				details.push(`Looking the record up in Feishu failed as well: ${lookupProblem}`);
			this.outcomes.set(flow, {
				status: 'failed',
				...failureReason(flow, listed, rejected !== undefined),
				errorDetails: details.join('. '),
			});
		}
	}

	/** Marks the flows already stored in Feishu; returns the others. */
	private async markStored(flows: PreparedFlow[]): Promise<PreparedFlow[]> {
		const { stored } = await this.findStored(flows);
		return this.applyStored(flows, stored);
	}

	private applyStored(
		flows: PreparedFlow[],
		stored: Map<PreparedFlow, IDataObject>,
	): PreparedFlow[] {
		const rest: PreparedFlow[] = [];
		for (const flow of flows) {
			const record = stored.get(flow);
			if (!record) rest.push(flow);
			else
				this.outcomes.set(flow, {
					status: this.maybeStoredByUs.has(flow) ? 'imported' : 'duplicate',
					recordId: recordIdOf(record),
				});
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
			employeeType: this.employeeType,
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
	return typeof record.record_id === 'string' && record.record_id !== ''
		? record.record_id
		: undefined;
}

/**
 * The reason of a record Feishu did not store, in words an HR admin can act on (Feishu's answer goes to
 * errorDetails). `listed`: msg names its user-creator pair as failed; `unknownUser`: a look-up of the employee
 * was refused (1220004 unknown / 1220005 outside the data permission).
 */
function failureReason(
	flow: PreparedFlow,
	listed: boolean,
	unknownUser: boolean,
): { error: string; reason: NotDoneReason } {
	if (unknownUser) {
		return {
			error: `Feishu does not know the employee ${flow.userId}, or the app's data permission does not cover them`,
			reason: NOT_DONE_REASONS.unknownEmployee,
		};
	}
	if (listed && flow.creatorId !== flow.userId) {
		return {
			error: `Feishu refused the punch of ${flow.userId} created by ${flow.creatorId}: check that the creator exists for this Employee ID Type and that the app's data permission covers them`,
			reason: NOT_DONE_REASONS.refused,
		};
	}
	if (listed) {
		return {
			error: `Feishu refused the punch of ${flow.userId}: check that the app's data permission covers the employee and that the check time is not in a sealed attendance period`,
			reason: NOT_DONE_REASONS.refused,
		};
	}
	return {
		error: `Feishu did not store the punch of ${flow.userId} and gave no reason: run the import again (it is safe), or check the employee's punch records in Feishu`,
		reason: NOT_DONE_REASONS.noReason,
	};
}
