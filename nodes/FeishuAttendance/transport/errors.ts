/**
 * Feishu error codes → English hints for the user (source: Feishu's docs of each endpoint, its generic error codes and https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control).
 * One table, used by the transport for every NodeApiError it raises.
 */

/** Tenant token invalid or expired: refresh once and resend. 99991663 is confirmed; the others defensively. */
export const TOKEN_INVALID_CODES = new Set([99991661, 99991663, 99991664, 99991671]);

/** Rate limited (HTTP 429, or HTTP 400 on older APIs). */
export const RATE_LIMIT_CODE = 99991400;

/** Server-side faults that are safe to retry for repeatable calls. */
export const TRANSIENT_CODES = new Set([1225000, 1226500]);

/**
 * Codes that come with HTTP 5xx but that a retry cannot fix: never retried. 1227500 is the shift service's
 * "user not found / not in an attendance group" (Feishu's attendance error-code table): the same answer every time.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#code-1227500
 */
export const PERMANENT_CODES = new Set([1227500]);

/** Feishu's 1220600 "general error" umbrella code; the real cause is in `msg`. */
export const GENERAL_ERROR_CODE = 1220600;

/**
 * Whether Feishu refused a write as a unique-key conflict ('the object already exists'): the record's
 * idempotency key is already stored (exact answer UNCONFIRMED: see docs/ASSUMPTIONS.md#repeated-punch-key).
 */
export function isAlreadyExists(response: { code: number; msg: string }): boolean {
	return response.code === GENERAL_ERROR_CODE && /already exists/i.test(response.msg);
}

/** `msg` of the 1220600 umbrella code that the attendance guide says may be retried. */
export const TRANSIENT_MESSAGES = ['no row affected'];

const CODE_HINTS: Record<number, string> = {
	1220002:
		'Feishu could not find the tenant. Check that the app is enabled in your tenant and that the credential platform (Feishu or Lark) matches the console the app was created on.',
	1220004:
		'The employee does not exist or the app cannot see them. Check the Employee ID and the Employee ID Type (employee ID vs employee number).',
	1220005:
		"The app has no data permission for these employees. In the attendance admin console (Attendance → Settings → API data permission), widen the app's data-permission range to cover them.",
	1225000:
		'Feishu had an internal error. Run the workflow again later; if it persists, contact Feishu support with the log ID.',
	1225001:
		'Feishu rejected one or more approval records (for example overlapping or invalid times).',
	1226500: 'Feishu had an internal error. Run the workflow again later.',
	1227500:
		"Feishu's shift service could not place the employee (for example the employee is not in an attendance group). Add the employee to an attendance group, or check the Employee ID and Employee ID Type; repeating the call does not help.",
	99991400:
		'Feishu kept rate-limiting the calls. Lower Options → Advanced → Requests per Second, or spread the workflows that use this app over time.',
};

/**
 * 1220001 (a parameter rejected): the fields of the operation that made the call, by its path below
 * /open-apis/attendance/v1, so that the hint names only fields the panel has. A full /open-apis path (Custom
 * API Call, the contact lookup) or a path not listed: the field named in Feishu's message.
 */
const PARAMETER_HINTS: Array<[RegExp, string]> = [
	[
		/^\/approval_infos\/process\b/,
		'Check the Approval ID (an approval_id from Approval or Remedy → Create or Get Many) and that Approval Type is its kind.',
	],
	[/^\/user_stats_fields\//, 'Check the Statistics Type, the Language and the Month.'],
	[
		/^\/user_stats_views\//,
		'Check the Operator ID (an attendance admin, in the Employee ID Type) and the Statistics Type.',
	],
	[
		/^\/user_flows\/(batch_del\b|(?!query\b|batch_create\b)[^/]+$)/,
		'Check the record IDs (record_id from Punch Record → Import or Get Many).',
	],
	[/^\/groups\b/, 'Check the attendance group (its ID, or pick it From List).'],
	[/^\/shifts\b/, 'Check the shift (its ID or exact name, or pick it From List).'],
	[
		/^\/(user_flows|user_tasks|user_stats_datas|user_approvals|user_task_remedys|user_daily_shifts)\b/,
		'Check the field named in the message, the Employee ID Type, and the dates and times.',
	],
];

function parameterHint(path: string | undefined): string {
	const found =
		path === undefined ? undefined : PARAMETER_HINTS.find(([pattern]) => pattern.test(path))?.[1];
	return `Feishu rejected a parameter. ${found ?? "Check the field named in the message against the endpoint's API reference."}`;
}

/** Feishu's codes for an app that lacks the API scope of the endpoint it called. */
const SCOPE_MISSING_CODES = new Set([99991672, 99991679]);

const TASK_SCOPES = 'attendance:task (write) and attendance:task:readonly (read)';
const RULE_SCOPES = 'attendance:rule (write) and attendance:rule:readonly (read)';

/**
 * The scopes an endpoint family needs (the scopes each endpoint's Feishu doc names), by the path
 * below /open-apis/attendance/v1 (or a full /open-apis path); first match wins. Punch records, results,
 * approvals, remedies, statistics and archive reports: attendance:task; groups, shifts, schedules, leave grants and
 * face photos: attendance:rule, except
 * the two reads Feishu documents under attendance:task:readonly (shift by name, schedule query).
 */
const SCOPES_BY_PATH: Array<[RegExp, string]> = [
	[
		/^\/open-apis\/contact\/v3\/users\/batch_get_id\b/,
		'contact:user.id:readonly and contact:user.employee_id:readonly (needed to look employees up by email or mobile)',
	],
	[/^\/(shifts\/query|user_daily_shifts\/query)\b/, 'attendance:task:readonly'],
	[/^\/(groups|shifts|user_daily_shifts)\b/, RULE_SCOPES],
	// leave grants (Feishu's docs leave_employ_expire_record/get, leave_accrual_record/patch), face photos and their
	// files (user_setting/query: attendance:rule:readonly, user_setting/modify: attendance:rule)
	[/^\/(leave_employ_expire_records|leave_accrual_record|user_settings|files)\b/, RULE_SCOPES],
	[
		/^\/(user_flows|user_tasks|user_task_remedys|user_approvals|approval_infos|user_stats_|archive_rule)/,
		TASK_SCOPES,
	],
];

const ATTENDANCE_PREFIX = '/open-apis/attendance/v1';

/** The hint for a missing scope: the scope of the endpoint called, else both attendance families. */
function scopeHint(path: string | undefined): string {
	const relative = path?.startsWith(ATTENDANCE_PREFIX)
		? path.slice(ATTENDANCE_PREFIX.length)
		: path;
	const scopes =
		relative === undefined
			? undefined
			: SCOPES_BY_PATH.find(([pattern]) => pattern.test(relative))?.[1];
	const add =
		scopes ??
		`${TASK_SCOPES} for punch records, results, approvals, remedies and statistics, ${RULE_SCOPES} for groups, shifts and schedules`;
	return `The app lacks the API scope. Add ${add} in the developer console, then publish a new app version.`;
}

const MESSAGE_HINTS: Array<[RegExp, string]> = [
	[
		/operate too much flow/i,
		'Feishu accepts at most 50 punch records per call. Lower Options → Advanced → Batch Size to 50 or less.',
	],
	[/already exists/i, 'A record with the same idempotency key already exists in Feishu.'],
	[
		/sealed/i,
		'The attendance period is archived (sealed) in Feishu and can no longer be changed. Ask the attendance admin to unseal it.',
	],
	[
		/time (calculation failed|is invalid)/i,
		'Feishu could not read a time value. Check the time fields and the Timezone option.',
	],
	[
		/auth no permission/i,
		'The app is not allowed to do this. Check its scopes and the attendance data-permission range.',
	],
	[/Feishu People/i, 'This API needs the Feishu People enterprise edition.'],
	[/env count illegal/i, 'Too many GPS locations in one record (at most 3,000).'],
];

/** The hint for a Feishu answer; `path` (as given to FeishuClient.request) names the scope a missing-scope answer needs. */
export function hintFor(code: number, msg: string, path?: string): string | undefined {
	for (const [pattern, hint] of MESSAGE_HINTS) if (pattern.test(msg)) return hint;
	if (SCOPE_MISSING_CODES.has(code)) return scopeHint(path);
	if (TOKEN_INVALID_CODES.has(code)) {
		return 'Feishu rejected the tenant access token even after a fresh one was fetched. Check the App ID, App Secret and platform of the credential, and that the app is enabled.';
	}
	if (code === 1220001) return parameterHint(path);
	return CODE_HINTS[code];
}

/** Connection-level failures worth retrying (the request may or may not have reached Feishu). */
const NETWORK_ERROR_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function isNetworkError(error: unknown): boolean {
	// httpRequestWithAuthentication wraps the request error in a NodeApiError: the code of the lost
	// connection is then in `httpCode`, the original text in `messages`, and `message` is n8n's rewording.
	const e = error as
		| {
				code?: string;
				httpCode?: string | null;
				cause?: { code?: string };
				message?: string;
				messages?: unknown;
		  }
		| undefined;
	if (!e) return false;
	if (
		[e.code, e.httpCode, e.cause?.code].some(
			(c) => typeof c === 'string' && NETWORK_ERROR_CODES.has(c),
		)
	) {
		return true;
	}
	const texts = [e.message ?? '', ...(Array.isArray(e.messages) ? e.messages : [])];
	return texts.some(
		(t) =>
			typeof t === 'string' &&
			/socket hang up|ECONNRESET|ETIMEDOUT|ECONNREFUSED|timeout of \d+ms exceeded/i.test(t),
	);
}

/** Removes anything that looks like a bearer token or an app secret value from a text. */
export function redact(text: string, secrets: string[] = []): string {
	let out = text
		.replace(/Bearer\s+[\w.\-~+/=]+/gi, 'Bearer [redacted]')
		.replace(/\bt-[\w.\-]{10,}/g, '[redacted token]');
	for (const secret of secrets)
		if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
	return out;
}
