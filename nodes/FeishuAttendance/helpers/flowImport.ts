/**
 * Punch Flow → Import: sending checked flow records to user_flows/batch_create and deciding, for each record,
 * what became of it (imported, duplicate, failed, or a whole-call error).
 */
import type { IDataObject } from 'n8n-workflow';

import type { FeishuClient, FeishuResponse } from '../transport';
import { GENERAL_ERROR_CODE, isAlreadyExists } from '../transport/errors';
import { chunk } from './batching';
import type { PreparedFlow } from './flowInput';
import { errorMessage } from './output';
import { queryFlows } from './punchFlow';

export type FlowOutcome =
	/** stored by this run (recordId when Feishu returned or the look-up found it) */
	| { status: 'imported'; recordId?: string }
	/** Feishu already had it before this run, or it repeats an earlier item of this run (duplicateOf) */
	| { status: 'duplicate'; recordId?: string; duplicateOf?: number }
	/** Feishu decided against this record: a failed output item, the run goes on */
	| { status: 'failed'; error: string; errorDescription?: string; duplicateOf?: number }
	/** a whole-call failure: an error item with Continue On Fail, else the node stops */
	| { status: 'error'; error: unknown };

export interface ImportSettings {
	/** records per call, 1..50 */
	batchSize: number;
	/** look each batch up before sending it (Look Up Existing Records First) */
	lookUpFirst: boolean;
}

/**
 * Imports the flows and reports one outcome per flow.
 * - The same record twice in one run (same Employee ID Type, user and idempotency key) is sent once; the
 *   later item is a duplicate of the first (or failed with it).
 * - One batch_create call takes one employee_type, so flows are grouped by their Employee ID Type, then cut
 *   into batches of `batchSize`. All batches go to the client at once; its pacer decides how many run at a time.
 */
export async function importFlows(
	client: FeishuClient,
	flows: PreparedFlow[],
	settings: ImportSettings,
): Promise<Map<PreparedFlow, FlowOutcome>> {
	const firstOf = new Map<string, PreparedFlow>();
	const repeats: Array<{ flow: PreparedFlow; first: PreparedFlow }> = [];
	const byType = new Map<string, PreparedFlow[]>();
	for (const flow of flows) {
		const id = [flow.employeeType, flow.userId, flow.key].join('\u0000');
		const first = firstOf.get(id);
		if (first) {
			repeats.push({ flow, first });
			continue;
		}
		firstOf.set(id, flow);
		byType.set(flow.employeeType, [...(byType.get(flow.employeeType) ?? []), flow]);
	}

	const outcomes = new Map<PreparedFlow, FlowOutcome>();
	const batches = [...byType.values()].flatMap((group) => chunk(group, settings.batchSize));
	await Promise.all(
		batches.map(async (batch) => {
			const importer = new BatchImport(client, batch[0].employeeType, settings.lookUpFirst);
			for (const [flow, outcome] of await importer.run(batch)) outcomes.set(flow, outcome);
		}),
	);

	for (const { flow, first } of repeats) {
		const outcome = outcomes.get(first);
		outcomes.set(
			flow,
			outcome?.status === 'imported' || outcome?.status === 'duplicate'
				? { status: 'duplicate', recordId: outcome.recordId, duplicateOf: first.itemIndex }
				: {
						status: 'failed',
						duplicateOf: first.itemIndex,
						error: `Same record as item ${first.itemIndex}, which was not imported${outcome?.status === 'error' ? `: ${errorMessage(outcome.error)}` : ''}`,
					},
		);
	}
	return outcomes;
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
							error: `Feishu refused the batch with "${answer.msg}" twice, and no stored record with this idempotency key was found`,
							errorDescription:
								'Another record probably uses the same idempotency key. Check the Idempotency Key field, or run the import again.',
						});
					}
					return this.outcomes;
				}
			}
			if (answer.code !== 0) {
				throw this.client.errorFor(answer, { method: 'POST', path: '/user_flows/batch_create', itemIndex: pending[0].itemIndex });
			}
			const missing = this.markReturned(pending, answer.data?.flow_records ?? []);
			if (missing.length > 0) await this.explainMissing(missing, answer.msg);
		} catch (error) {
			for (const flow of batch) if (!this.outcomes.has(flow)) this.outcomes.set(flow, { status: 'error', error });
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
				(f) => open.has(f) && (sameKey ? f.key === record.idempotent_id : f.checkTime === String(record.check_time)),
			);
			const match = candidates.find((f) => f.userId === String(record.user_id)) ?? (candidates.length === 1 ? candidates[0] : undefined);
			if (!match) continue;
			open.delete(match);
			this.outcomes.set(match, { status: 'imported', recordId: recordIdOf(record) });
		}
		return flows.filter((f) => open.has(f));
	}

	/** Records Feishu did not return: stored already (see storedOutcome), or rejected (reason from msg). */
	private async explainMissing(missing: PreparedFlow[], msg: string): Promise<void> {
		let lookupProblem: string | undefined;
		let rejectedUsers = new Map<string, unknown>();
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
			this.outcomes.set(flow, { status: 'failed', error, errorDescription: hints.join(' ') });
		}
	}

	/** Marks the flows already stored in Feishu; returns the others. */
	private async markStored(flows: PreparedFlow[]): Promise<PreparedFlow[]> {
		const { stored } = await this.findStored(flows);
		return this.applyStored(flows, stored);
	}

	private applyStored(flows: PreparedFlow[], stored: Map<PreparedFlow, IDataObject>): PreparedFlow[] {
		const rest: PreparedFlow[] = [];
		for (const flow of flows) {
			const record = stored.get(flow);
			if (!record) rest.push(flow);
			else this.outcomes.set(flow, { status: this.maybeStoredByUs.has(flow) ? 'imported' : 'duplicate', recordId: recordIdOf(record) });
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
	return typeof record.record_id === 'string' && record.record_id !== '' ? record.record_id : undefined;
}
