/**
 * Public types of the Feishu emulator (re-exported by ./index.ts).
 * Test code only — never published.
 */
import type { EndpointTimeline } from './traffic';

export type EmployeeIdType = 'employee_id' | 'employee_no' | 'open_id';

export interface EmulatorOptions {
	/** default 0 (random free port); cli default 4010 or env FEISHU_EMULATOR_PORT */
	port?: number;
	/** default [{ appId: 'cli_emulator', appSecret: 'emulator-secret' }] */
	apps?: Array<{ appId: string; appSecret: string }>;
	/** default 7200; fractions allowed (useful for fast expiry tests) */
	tokenTtlSeconds?: number;
	/** per endpoint, sliding 1-second window; default 50; 0 = off */
	rateLimitPerSecond?: number;
	/** base latency added to every API response, default 0 */
	latencyMs?: number;
	/** fraction, e.g. 0.5 => latency uniformly in [base*0.5, base*1.5]; default 0 */
	latencyJitter?: number;
	/**
	 * network delay before a request reaches the rate limiter (as a real network's one-way trip), default 0:
	 * requests sent evenly arrive unevenly, so the limiter counts arrivals, not sends
	 */
	arrivalDelayMs?: number;
	/** fraction, e.g. 0.5 with arrivalDelayMs 100 => arrival delay uniformly in [50, 150] ms; default 0 */
	arrivalJitter?: number;
	/**
	 * whether a request answered 429 still takes a slot of the rate-limit window (UNCONFIRMED, see
	 * docs/ASSUMPTIONS.md#rate-limit-window); default false
	 */
	rateLimitCountsRejected?: boolean;
	/** number of generated employees, default 2000 */
	employees?: number;
	/** exist but outside the app's data permission; default ['emp_unauth_1','emp_unauth_2'] */
	unauthorizedEmployeeIds?: string[];
	/** how a repeated idempotent_id on user_flows/batch_create is answered, default 'reject-record' */
	duplicateMode?: 'reject-record' | 'reject-call' | 'echo';
	/**
	 * how a repeated idempotent_id on user_approvals (create) is answered, default 'echo': code 0 with the stored
	 * item; 'reject-call': the whole call fails with 400 / 1220600 'the object already exists', nothing stored;
	 * 'reject-call-reworded': the same with another wording (Feishu documents none)
	 */
	approvalDuplicateMode?: 'echo' | 'reject-call' | 'reject-call-reworded';
	/** 'yyyy-MM-dd' used for "today + 1" rules and task results; default real today in Asia/Shanghai */
	today?: string;
	/** max check_time_to - check_time_from on user_flows/query, in days; default 30 */
	maxFlowQueryDays?: number;
	/** max record_ids per user_flows/batch_del; default 50 */
	maxDeleteIds?: number;
	/** max days (inclusive count) per user_tasks/query; default 31 */
	maxTaskQueryDays?: number;
	/** contact/v3/users/batch_get_id: calls per sliding minute (besides the per-second limit); default 1000; 0 = off */
	contactRateLimitPerMinute?: number;
	/**
	 * the app's contact scopes: 'full' (default); 'no-api-scope' (batch_get_id answers 400 / 99991672 naming
	 * contact:user.id:readonly); 'no-field-scope' (code 0 but no user_id for anyone: one reading of a missing
	 * contact:user.employee_id:readonly, the other being an error; see docs/ASSUMPTIONS.md)
	 */
	contactScope?: 'full' | 'no-api-scope' | 'no-field-scope';
	/** how batch_get_id answers a value without a user: 'omit' the user_id field (default) or send it 'empty' */
	contactMissingUserId?: 'omit' | 'empty';
	/** the tenant has the paid temporary-shift feature (user_daily_shifts/batch_create_temp); default true */
	tempShiftsEnabled?: boolean;
	/** user_daily_shifts/batch_create requires operator_id (no "API access" set up in the admin console); default true */
	scheduleOperatorRequired?: boolean;
	/** max user_ids per user_stats_datas/query (Feishu metadata 200, Lark doc 20); default 200 */
	maxStatsUsers?: number;
	/** rows answered per employee and day (monthly: per employee) by user_stats_datas/query, e.g. data of several groups; default 1 */
	statsRowsPerUserDay?: number;
	/** unknown / unauthorized IDs on user_stats_datas/query: 'list' = invalid_user_list (default), 'reject' = 400/1220004 */
	statsInvalidUserMode?: 'list' | 'reject';
	/**
	 * how approval_infos/process answers a transition to the status the approval already has (undocumented,
	 * docs/ASSUMPTIONS.md#approval-process-repeat): 'already' = 400/1220600 'the approval is already reverted'
	 * (default); 'reworded' = 400/1220001 'status transition not allowed' (no status named, nothing said about a
	 * repeat); 'echo' = code 0 with approval_info.status as if changed now
	 */
	processRepeatAnswer?: 'already' | 'reworded' | 'echo';
	/**
	 * how the statistics endpoints answer an operator (body user_id) they do not know: 'user-error' =
	 * 400/1220004 naming the operator (default: 'user missing or no permission', as Feishu's error table reads),
	 * 'param-error' = 400/1220001 naming it
	 */
	statsUnknownOperator?: 'user-error' | 'param-error';
}

export interface Fault {
	/**
	 * substring matched against the request path ('…$': the path ends with it, e.g. '/user_task_remedys$' is the
	 * create and not its /query); default: any API endpoint (never the token endpoint unless named)
	 */
	endpoint?: string;
	/**
	 * http500: answer 500 without running the handler; dropBefore: drop the connection before the handler;
	 * dropAfter: run the handler (the write is applied), then drop the connection; http500After: run the handler,
	 * then answer 500 (an answer lost after Feishu committed); latency; code: answer this Feishu error instead
	 */
	kind: 'http500' | 'dropBefore' | 'dropAfter' | 'http500After' | 'latency' | 'code';
	/** how many matching requests it applies to (default 1) */
	times?: number;
	/** for 'latency' */
	latencyMs?: number;
	/** for 'code' (answer with this Feishu error instead) */
	code?: number;
	msg?: string;
	httpStatus?: number;
}

export interface Counters {
	/** per endpoint key, e.g. 'POST /open-apis/attendance/v1/user_flows/batch_create' (path params normalised to :id) */
	requests: Record<string, number>;
	/** per HTTP status */
	status: Record<string, number>;
	/** answers with 429 */
	rateLimited: number;
	/** calls to the token endpoint that issued or returned a token */
	tokenExchanges: number;
	/** calls rejected with 99991663 */
	tokenRejections: number;
	/** max API requests in flight at once (all endpoints) */
	peakConcurrency: number;
	peakConcurrencyByEndpoint: Record<string, number>;
	/** connections dropped by faults */
	dropped: number;
}

/** A punch record as stored. user_id / creator_id are always employee_id internally. */
export interface StoredFlow {
	record_id: string;
	user_id: string;
	creator_id: string;
	location_name: string;
	/** Unix seconds as a string, like the wire format */
	check_time: string;
	comment: string;
	external_id?: string;
	idempotent_id?: string;
	ssid?: string;
	bssid?: string;
	is_field: boolean;
	is_wifi: boolean;
	/** 7 = imported through the open platform (Feishu forces 7 on import) */
	type: number;
	photo_urls: string[];
	/** false = not imported through the API (batch_del refuses to delete it) */
	imported: boolean;
	/** ms since epoch */
	created_at: number;
}

export type ApprovalKind = 'outs' | 'leaves' | 'overtime_works' | 'trips';

/** One stored approval item (one leave / out / overtime / trip). */
export interface StoredApproval {
	approval_id: string;
	/** the body array the item came from */
	kind: ApprovalKind;
	/** employee_id */
	user_id: string;
	/** 'yyyyMMdd' (the user_approval.date of the call) */
	date: string;
	idempotent_id?: string;
	/** 'yyyy-MM-dd HH:mm:ss', Asia/Shanghai */
	start_time: string;
	end_time: string;
	/** always 2 (approved) for items written through the API */
	status: number;
	/** ms since epoch */
	created_at: number;
	/** the item exactly as answered (input echo + approval_id, approve_* times on outs/leaves) */
	item: Record<string, unknown>;
}

export interface Emulator {
	/** 'http://127.0.0.1:<port>' */
	url: string;
	close(): Promise<void>;
	/** clears stored data, tokens, counters, faults and rate windows (keeps options); keepTokens: issued tokens stay valid */
	reset(options?: { keepTokens?: boolean }): void;
	configure(patch: Partial<EmulatorOptions>): void;
	injectFault(fault: Fault): void;
	clearFaults(): void;
	/** every issued token becomes invalid now */
	expireTokens(): void;
	counters(): Counters;
	/** Per endpoint: admitted and rejected (429) arrivals, in all and per second (the limiter's view). */
	traffic(): Record<string, EndpointTimeline>;
	flows(): StoredFlow[];
	approvals(): StoredApproval[];
	tokens(): { issued: string[]; valid: string[] };
	seedFlows(
		records: Array<Partial<StoredFlow> & { user_id: string; check_time: string }>,
		employeeType?: 'employee_id' | 'employee_no',
	): StoredFlow[];
}
