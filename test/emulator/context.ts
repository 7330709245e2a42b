/**
 * Emulator state (options + all in-memory parts) and the handler contract.
 */
import { Store } from './store';
import { parseIsoDay, todayInShanghai } from './time';
import { TokenManager } from './tokens';
import { CounterSet, FaultQueue, RateLimiter, WindowLimiter } from './traffic';
import type { EmulatorOptions } from './types';
import { Directory } from './users';
import type { Body } from './validate';

export type ResolvedOptions = Required<Omit<EmulatorOptions, 'today'>> & { today?: string };

export const DEFAULT_OPTIONS: ResolvedOptions = {
	port: 0,
	apps: [{ appId: 'cli_emulator', appSecret: 'emulator-secret' }],
	tokenTtlSeconds: 7200,
	rateLimitPerSecond: 50,
	latencyMs: 0,
	latencyJitter: 0,
	arrivalDelayMs: 0,
	arrivalJitter: 0,
	rateLimitCountsRejected: false,
	employees: 2000,
	unauthorizedEmployeeIds: ['emp_unauth_1', 'emp_unauth_2'],
	duplicateMode: 'reject-record',
	approvalDuplicateMode: 'echo',
	maxFlowQueryDays: 30,
	maxDeleteIds: 50,
	maxTaskQueryDays: 31,
	contactRateLimitPerMinute: 1000,
	contactScope: 'full',
	contactMissingUserId: 'omit',
	scheduleOperatorRequired: true,
	tempShiftsEnabled: true,
	maxStatsUsers: 200,
	statsRowsPerUserDay: 1,
	statsInvalidUserMode: 'list',
	processRepeatAnswer: 'already',
	statsUnknownOperator: 'user-error',
};

const DUPLICATE_MODES = ['reject-record', 'reject-call', 'echo'];
const APPROVAL_DUPLICATE_MODES = ['echo', 'reject-call', 'reject-call-reworded'];

export class EmulatorState {
	options: ResolvedOptions;
	directory: Directory;
	readonly store = new Store();
	readonly tokens = new TokenManager(() => this.options.tokenTtlSeconds);
	readonly limiter = new RateLimiter();
	/** per-minute limits some endpoints have besides the per-second one (contact batch_get_id) */
	readonly minuteLimiter = new WindowLimiter(60_000);
	readonly faults = new FaultQueue();
	readonly counters = new CounterSet();

	constructor(options: EmulatorOptions = {}) {
		this.options = { ...DEFAULT_OPTIONS };
		this.directory = this.buildDirectory();
		this.configure(options);
	}

	private buildDirectory(): Directory {
		return new Directory(this.options.employees, this.options.unauthorizedEmployeeIds);
	}

	/** Applies an options patch (undefined values are ignored); throws on invalid values. */
	configure(patch: Partial<EmulatorOptions>): void {
		const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
		const next: ResolvedOptions = { ...this.options, ...defined };
		if (next.today !== undefined) parseIsoDay(next.today);
		if (!DUPLICATE_MODES.includes(next.duplicateMode))
			throw new Error(`invalid duplicateMode '${next.duplicateMode}'`);
		if (!APPROVAL_DUPLICATE_MODES.includes(next.approvalDuplicateMode)) {
			throw new Error(`invalid approvalDuplicateMode '${next.approvalDuplicateMode}'`);
		}
		if (!['already', 'reworded', 'echo'].includes(next.processRepeatAnswer)) {
			throw new Error(`invalid processRepeatAnswer '${next.processRepeatAnswer}'`);
		}
		if (!(next.tokenTtlSeconds > 0)) throw new Error('tokenTtlSeconds must be > 0');
		if (!Array.isArray(next.apps) || next.apps.length === 0)
			throw new Error('apps must not be empty');
		this.options = next;
		this.directory = this.buildDirectory();
	}

	/** yyyyMMdd of "today" (option or the real date in Asia/Shanghai). */
	today(): number {
		return this.options.today ? parseIsoDay(this.options.today) : todayInShanghai();
	}

	/** Base latency with jitter, in ms. */
	latency(): number {
		const { latencyMs, latencyJitter } = this.options;
		if (latencyMs <= 0) return 0;
		return latencyMs * (1 - latencyJitter + Math.random() * 2 * latencyJitter);
	}

	/** Network delay before a request reaches the rate limiter, with jitter, in ms. */
	arrivalDelay(): number {
		const { arrivalDelayMs, arrivalJitter } = this.options;
		if (arrivalDelayMs <= 0) return 0;
		return arrivalDelayMs * (1 - arrivalJitter + Math.random() * 2 * arrivalJitter);
	}

	reset(options: { keepTokens?: boolean } = {}): void {
		this.store.reset();
		if (!options.keepTokens) this.tokens.reset();
		this.limiter.reset();
		this.minuteLimiter.reset();
		this.faults.clear();
		this.counters.reset();
	}
}

export interface RequestContext {
	state: EmulatorState;
	query: URLSearchParams;
	body: Body;
	params: { id?: string };
	/** the body's bytes (multipart uploads) */
	rawBody: Buffer;
	headers: Record<string, string | string[] | undefined>;
}

/** What a handler answers; the server adds headers and counts the status. */
export interface Reply {
	status: number;
	body: Record<string, unknown>;
	headers?: Record<string, string>;
	/** a file download: these bytes are answered instead of the JSON body */
	binary?: { data: Buffer; contentType: string };
}

export type Handler = (ctx: RequestContext) => Reply;

/** The usual success envelope. */
export const ok = (data: unknown, msg = 'success'): Reply => ({
	status: 200,
	body: { code: 0, msg, data },
});
