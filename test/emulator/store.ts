/**
 * In-memory data: punch records and approval items, plus their idempotency indexes.
 */
import type { ApprovalKind, StoredApproval, StoredFlow } from './types';
import type { StoredSchedule } from './handlers/rules';

/** Record / approval ids look like Feishu's 19-digit ids; the sequence survives reset() so ids never repeat. */
let sequence = 0;
export function newNumericId(): string {
	sequence += 1;
	return `7${String(Date.now()).slice(-10)}${String(sequence).padStart(8, '0')}`;
}

const key = (...parts: string[]) => parts.join('\u0000');

export class Store {
	private readonly flowsById = new Map<string, StoredFlow>();
	/** (employee_id, idempotent_id) -> record_id */
	private readonly flowIdempotency = new Map<string, string>();
	private approvalItems: StoredApproval[] = [];
	/** daily schedules: `${employee_id}|${yyyyMMdd}` -> entry (handlers/rules.ts) */
	readonly schedules = new Map<string, StoredSchedule>();
	/**
	 * Everything else an endpoint writes, by kind (handlers/ruleWrites.ts, leave.ts, archive.ts, settings.ts, stats.ts):
	 * e.g. 'groups' group_id -> group, 'leave' record id -> record. Cleared by reset().
	 */
	private readonly kinds = new Map<string, Map<string, unknown>>();

	/** The stored objects of one kind (created on first use). */
	of<T>(kind: string): Map<string, T> {
		let map = this.kinds.get(kind);
		if (!map) this.kinds.set(kind, (map = new Map()));
		return map as Map<string, T>;
	}

	reset(): void {
		this.kinds.clear();
		this.flowsById.clear();
		this.flowIdempotency.clear();
		this.approvalItems = [];
		this.schedules.clear();
	}

	// ---- flows ----

	flows(): StoredFlow[] {
		return [...this.flowsById.values()];
	}

	flow(recordId: string): StoredFlow | undefined {
		return this.flowsById.get(recordId);
	}

	flowByIdempotentId(userId: string, idempotentId: string): StoredFlow | undefined {
		const recordId = this.flowIdempotency.get(key(userId, idempotentId));
		return recordId === undefined ? undefined : this.flowsById.get(recordId);
	}

	addFlow(flow: StoredFlow): StoredFlow {
		this.flowsById.set(flow.record_id, flow);
		if (flow.idempotent_id)
			this.flowIdempotency.set(key(flow.user_id, flow.idempotent_id), flow.record_id);
		return flow;
	}

	/** Deleting frees the idempotent_id again (the unique key belongs to the live row). */
	deleteFlow(recordId: string): void {
		const flow = this.flowsById.get(recordId);
		if (!flow) return;
		this.flowsById.delete(recordId);
		if (flow.idempotent_id) this.flowIdempotency.delete(key(flow.user_id, flow.idempotent_id));
	}

	flowsOfUser(userId: string, fromSeconds: number, toSeconds: number): StoredFlow[] {
		return this.flows()
			.filter(
				(f) =>
					f.user_id === userId &&
					Number(f.check_time) >= fromSeconds &&
					Number(f.check_time) <= toSeconds,
			)
			.sort((a, b) => Number(a.check_time) - Number(b.check_time));
	}

	// ---- approvals ----

	approvals(): StoredApproval[] {
		return [...this.approvalItems];
	}

	approvalsOfUser(userId: string, kind?: ApprovalKind): StoredApproval[] {
		return this.approvalItems.filter(
			(a) => a.user_id === userId && (kind === undefined || a.kind === kind),
		);
	}

	/** Idempotency scope for approvals: (user, kind, idempotent_id) — the doc sample reuses one id across kinds. */
	approvalByIdempotentId(
		userId: string,
		kind: ApprovalKind,
		idempotentId: string,
	): StoredApproval | undefined {
		return this.approvalItems.find(
			(a) => a.user_id === userId && a.kind === kind && a.idempotent_id === idempotentId,
		);
	}

	addApproval(approval: StoredApproval): StoredApproval {
		this.approvalItems.push(approval);
		return approval;
	}
}
