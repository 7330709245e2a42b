/**
 * The HTTP side: routing, auth, rate limiting, faults, latency, counting, and the admin API.
 *
 * Order for an API request: count it and mark it in flight -> read the body -> wait the arrival delay (the
 * network's one-way trip, with jitter: the limiter counts arrivals, as Feishu's gateway does) -> route
 * (unknown: 404) -> auth (attendance routes) -> per-endpoint rate limit -> take matching faults -> wait latency
 * (base with jitter + latency faults) -> fault action or handler -> answer (or drop the socket).
 * Every answer carries `x-tt-logid`. Admin routes (/__admin/...) skip all of that.
 */
import { randomBytes } from 'crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'http';
import { CODES, FeishuError } from './errors';
import type { EmulatorState, Handler, Reply } from './context';
import { createApproval, processApproval, queryApprovals } from './handlers/approvals';
import {
	batchCreateFlows,
	batchDeleteFlows,
	getFlow,
	queryFlows,
	seedFlows,
} from './handlers/flows';
import {
	queryStatsData,
	queryStatsFields,
	queryStatsViews,
	updateStatsView,
} from './handlers/stats';
import {
	archiveRowsOf,
	deleteArchiveReport,
	listArchiveRules,
	queryArchiveFields,
	uploadArchiveReport,
} from './handlers/archive';
import { getLeaveExpireRecords, leaveRecordsOf, patchLeaveAccrualRecord } from './handlers/leave';
import {
	batchCreateTempShifts,
	createOrUpdateGroup,
	createOrUpdateShift,
	deleteGroup,
	deleteShift,
} from './handlers/ruleWrites';
import {
	downloadFile,
	modifyUserSetting,
	queryUserSettings,
	uploadFile,
} from './handlers/settings';
import { createRemedy, queryAllowedRemedies, queryRemedies, remediesOf } from './handlers/remedies';
import { queryTasks } from './handlers/tasks';
import { BATCH_GET_ID_PATH, batchGetId } from './handlers/contact';
import {
	batchCreateSchedules,
	getGroup,
	getShift,
	listGroups,
	listGroupUsers,
	listShifts,
	querySchedules,
	queryShift,
	searchGroups,
} from './handlers/rules';
import { exchangeToken } from './handlers/token';
import { TOKEN_PATH } from './traffic';
import type { Fault } from './types';
import type { DeliverOptions } from './events';
import {
	buildFlowCreatedEvent,
	buildTaskUpdatedEvent,
	deliverChallenge,
	deliverEvent,
} from './events';
import { isObject, type Body } from './validate';
import {
	checkRequest,
	definitionsSkipped,
	DEFINITIONS_CODE,
	recordViolation,
	SKIP_HEADER,
	takeViolations,
	violationMessage,
} from './definitions';

interface Route {
	method: string;
	/** path with `:id` placeholders; also the counter key */
	pattern: string;
	handler: Handler;
	/** needs `Authorization: Bearer <tenant_access_token>` (and is rate limited) */
	auth: boolean;
	/** the body is not JSON (multipart upload): the handler reads rawBody */
	raw?: boolean;
}

const ATT = '/open-apis/attendance/v1';
const ROUTES: Route[] = [
	{ method: 'POST', pattern: TOKEN_PATH, handler: exchangeToken, auth: false },
	{ method: 'POST', pattern: BATCH_GET_ID_PATH, handler: batchGetId, auth: true },
	{
		method: 'POST',
		pattern: `${ATT}/user_flows/batch_create`,
		handler: batchCreateFlows,
		auth: true,
	},
	{ method: 'POST', pattern: `${ATT}/user_flows/query`, handler: queryFlows, auth: true },
	{ method: 'POST', pattern: `${ATT}/user_flows/batch_del`, handler: batchDeleteFlows, auth: true },
	{ method: 'GET', pattern: `${ATT}/user_flows/:id`, handler: getFlow, auth: true },
	{ method: 'POST', pattern: `${ATT}/user_tasks/query`, handler: queryTasks, auth: true },
	{ method: 'POST', pattern: `${ATT}/user_stats_datas/query`, handler: queryStatsData, auth: true },
	{
		method: 'POST',
		pattern: `${ATT}/user_stats_fields/query`,
		handler: queryStatsFields,
		auth: true,
	},
	{
		method: 'POST',
		pattern: `${ATT}/user_stats_views/query`,
		handler: queryStatsViews,
		auth: true,
	},
	{ method: 'POST', pattern: `${ATT}/user_approvals`, handler: createApproval, auth: true },
	{ method: 'POST', pattern: `${ATT}/user_approvals/query`, handler: queryApprovals, auth: true },
	{
		method: 'POST',
		pattern: `${ATT}/approval_infos/process`,
		handler: processApproval,
		auth: true,
	},
	{ method: 'POST', pattern: `${ATT}/user_task_remedys`, handler: createRemedy, auth: true },
	{ method: 'POST', pattern: `${ATT}/user_task_remedys/query`, handler: queryRemedies, auth: true },
	{
		method: 'POST',
		pattern: `${ATT}/user_task_remedys/query_user_allowed_remedys`,
		handler: queryAllowedRemedies,
		auth: true,
	},
	{ method: 'GET', pattern: `${ATT}/groups`, handler: listGroups, auth: true },
	{ method: 'GET', pattern: `${ATT}/groups/:id`, handler: getGroup, auth: true },
	{ method: 'GET', pattern: `${ATT}/groups/:id/list_user`, handler: listGroupUsers, auth: true },
	{ method: 'POST', pattern: `${ATT}/groups/search`, handler: searchGroups, auth: true },
	{ method: 'GET', pattern: `${ATT}/shifts`, handler: listShifts, auth: true },
	{ method: 'GET', pattern: `${ATT}/shifts/:id`, handler: getShift, auth: true },
	{ method: 'POST', pattern: `${ATT}/shifts/query`, handler: queryShift, auth: true },
	{
		method: 'POST',
		pattern: `${ATT}/user_daily_shifts/batch_create`,
		handler: batchCreateSchedules,
		auth: true,
	},
	{
		method: 'POST',
		pattern: `${ATT}/user_daily_shifts/query`,
		handler: querySchedules,
		auth: true,
	},
	{
		method: 'POST',
		pattern: `${ATT}/user_daily_shifts/batch_create_temp`,
		handler: batchCreateTempShifts,
		auth: true,
	},
	{ method: 'POST', pattern: `${ATT}/groups`, handler: createOrUpdateGroup, auth: true },
	{ method: 'DELETE', pattern: `${ATT}/groups/:id`, handler: deleteGroup, auth: true },
	{ method: 'POST', pattern: `${ATT}/shifts`, handler: createOrUpdateShift, auth: true },
	{ method: 'DELETE', pattern: `${ATT}/shifts/:id`, handler: deleteShift, auth: true },
	{ method: 'PUT', pattern: `${ATT}/user_stats_views/:id`, handler: updateStatsView, auth: true },
	{
		method: 'GET',
		pattern: `${ATT}/leave_employ_expire_records/:id`,
		handler: getLeaveExpireRecords,
		auth: true,
	},
	{
		method: 'PATCH',
		pattern: `${ATT}/leave_accrual_record/:id`,
		handler: patchLeaveAccrualRecord,
		auth: true,
	},
	{ method: 'GET', pattern: `${ATT}/archive_rule`, handler: listArchiveRules, auth: true },
	{
		method: 'POST',
		pattern: `${ATT}/archive_rule/user_stats_fields_query`,
		handler: queryArchiveFields,
		auth: true,
	},
	{
		method: 'POST',
		pattern: `${ATT}/archive_rule/upload_report`,
		handler: uploadArchiveReport,
		auth: true,
	},
	{
		method: 'POST',
		pattern: `${ATT}/archive_rule/del_report`,
		handler: deleteArchiveReport,
		auth: true,
	},
	{ method: 'GET', pattern: `${ATT}/user_settings/query`, handler: queryUserSettings, auth: true },
	{
		method: 'POST',
		pattern: `${ATT}/user_settings/modify`,
		handler: modifyUserSetting,
		auth: true,
	},
	{ method: 'POST', pattern: `${ATT}/files/upload`, handler: uploadFile, auth: true, raw: true },
	{ method: 'GET', pattern: `${ATT}/files/:id/download`, handler: downloadFile, auth: true },
];

function matchRoute(
	method: string,
	path: string,
): { route: Route; params: { id?: string }; pathValues: string[] } | undefined {
	const segments = path.split('/');
	for (const route of ROUTES) {
		const parts = route.pattern.split('/');
		if (route.method !== method || parts.length !== segments.length) continue;
		const params: { id?: string } = {};
		const pathValues: string[] = [];
		const same = parts.every((p, i) => {
			if (p !== ':id') return p === segments[i];
			params.id = decodeURIComponent(segments[i]);
			pathValues.push(params.id);
			return segments[i] !== '';
		});
		if (same) return { route, params, pathValues };
	}
	return undefined;
}

const json = (
	status: number,
	body: Record<string, unknown>,
	headers?: Record<string, string>,
): Reply => ({ status, body, headers });
const errorReply = (e: FeishuError): Reply =>
	json(
		e.httpStatus,
		e.data === undefined
			? { code: e.code, msg: e.message }
			: { code: e.code, msg: e.message, data: e.data },
	);

const NOT_FOUND = json(404, { code: 404, msg: 'not found' });
/** Malformed JSON body: the gateway's generic "Bad Request" (9499, as commonly observed — UNCONFIRMED). */
const BAD_REQUEST = json(400, { code: 9499, msg: 'Bad Request' });
const MSG_TOKEN_MISSING =
	'Missing access token for authorization. Please make a request with token attached.';
const MSG_TOKEN_INVALID =
	'Invalid access token for authorization. Please make a request with token attached.';

const sleep = (ms: number) =>
	ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
const newLogId = () =>
	`${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomBytes(10).toString('hex').toUpperCase()}`;

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function parseBody(raw: string): Body | undefined {
	if (raw.trim() === '') return {};
	try {
		const value: unknown = JSON.parse(raw);
		return isObject(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

function send(state: EmulatorState, res: ServerResponse, reply: Reply): void {
	state.counters.status(reply.status);
	if (res.destroyed) return;
	if (reply.binary) {
		res.writeHead(reply.status, {
			'content-type': reply.binary.contentType,
			'content-length': String(reply.binary.data.length),
			...reply.headers,
		});
		res.end(reply.binary.data);
		return;
	}
	res.writeHead(reply.status, {
		'content-type': 'application/json; charset=utf-8',
		...reply.headers,
	});
	res.end(JSON.stringify(reply.body));
}

function drop(state: EmulatorState, req: IncomingMessage): void {
	state.counters.dropped();
	req.socket.destroy();
}

/** Auth check for attendance routes; returns an error reply or undefined. */
function checkAuth(state: EmulatorState, header: string | undefined): Reply | undefined {
	const token = /^Bearer\s+(\S+)$/i.exec((header ?? '').trim())?.[1];
	if (!token) return json(400, { code: CODES.TOKEN_MISSING, msg: MSG_TOKEN_MISSING });
	if (state.tokens.isValid(token)) return undefined;
	state.counters.tokenRejection();
	return json(400, { code: CODES.TOKEN_INVALID, msg: MSG_TOKEN_INVALID });
}

/** Everything decided on arrival: an early answer, or the fault to apply while running the handler. */
function decide(
	state: EmulatorState,
	req: IncomingMessage,
	path: string,
	route: Route,
	endpoint: string,
) {
	if (route.auth) {
		const denied = checkAuth(state, req.headers.authorization);
		if (denied) return { early: denied, extraLatencyMs: 0 };
		const rate = state.options.rateLimitPerSecond;
		const resetSeconds = state.limiter.admit(
			endpoint,
			rate,
			Date.now(),
			state.options.rateLimitCountsRejected,
		);
		if (resetSeconds !== undefined) {
			const early = json(
				429,
				{ code: CODES.RATE_LIMITED, msg: 'request trigger frequency limit' },
				{ 'x-ogw-ratelimit-limit': String(rate), 'x-ogw-ratelimit-reset': String(resetSeconds) },
			);
			return { early, extraLatencyMs: 0 };
		}
	}
	const plan = state.faults.take(path);
	const fault: Fault | undefined = plan.action;
	let early: Reply | undefined;
	if (fault?.kind === 'http500') early = json(500, { code: CODES.INTERNAL, msg: 'internal error' });
	if (fault?.kind === 'code')
		early = json(fault.httpStatus ?? 400, {
			code: fault.code ?? CODES.GENERAL,
			msg: fault.msg ?? 'injected error',
		});
	return { early, fault, extraLatencyMs: plan.extraLatencyMs };
}

/**
 * The definitions check (./definitions.ts) of an attendance request: a request Lark's definitions do not allow is
 * recorded and answered 400 / DEFINITIONS_CODE naming the fields and the schema. A malformed body is left to run().
 */
function checkDefinitions(
	req: IncomingMessage,
	url: URL,
	match: { route: Route; pathValues: string[] },
	raw: string,
): Reply | undefined {
	if (
		!(match.route.pattern.startsWith(ATT) || match.route.pattern === BATCH_GET_ID_PATH) ||
		match.route.raw ||
		req.headers[SKIP_HEADER] === 'off' ||
		definitionsSkipped()
	)
		return undefined;
	const body = parseBody(raw);
	if (!body) return undefined;
	const violation = checkRequest({
		method: match.route.method,
		pattern: match.route.pattern,
		pathValues: match.pathValues,
		query: url.searchParams,
		body,
		hasBody: raw.trim() !== '',
	});
	if (!violation) return undefined;
	recordViolation(violation);
	return json(400, { code: DEFINITIONS_CODE, msg: violationMessage(violation) });
}

function run(
	state: EmulatorState,
	req: IncomingMessage,
	route: Route,
	url: URL,
	params: { id?: string },
	rawBody: Buffer,
): Reply {
	const body = route.raw ? {} : parseBody(rawBody.toString('utf8'));
	if (!body) return BAD_REQUEST;
	try {
		return route.handler({
			state,
			query: url.searchParams,
			body,
			params,
			rawBody,
			headers: req.headers,
		});
	} catch (e) {
		if (e instanceof FeishuError) return errorReply(e);
		return json(500, { code: CODES.INTERNAL, msg: `internal error: ${(e as Error).message}` });
	}
}

async function handleApi(
	state: EmulatorState,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	const method = req.method ?? 'GET';
	const match = matchRoute(method, url.pathname);
	const endpoint = `${method} ${match ? match.route.pattern : url.pathname}`;
	state.counters.request(endpoint);
	const leave = state.counters.enter(endpoint);
	try {
		const rawBody = await readBody(req);
		const raw = rawBody.toString('utf8');
		await sleep(state.arrivalDelay());
		const decision = match
			? decide(state, req, url.pathname, match.route, endpoint)
			: { early: NOT_FOUND, extraLatencyMs: 0 };
		await sleep(state.latency() + decision.extraLatencyMs);
		const kind = 'fault' in decision ? decision.fault?.kind : undefined;
		if (kind === 'dropBefore') return drop(state, req);
		const reply =
			decision.early ??
			checkDefinitions(req, url, match!, raw) ??
			run(state, req, match!.route, url, match!.params, rawBody);
		if (kind === 'dropAfter') return drop(state, req);
		if (kind === 'http500After')
			return send(state, res, json(500, { code: CODES.INTERNAL, msg: 'internal error' }));
		send(state, res, reply);
	} finally {
		leave();
	}
}

// ---- admin API (not counted, not rate limited, no token) ----

type AdminAction = (state: EmulatorState, body: unknown) => unknown | Promise<unknown>;
const done = { ok: true };

const ADMIN: Record<string, AdminAction> = {
	'GET /__admin/counters': (s) => s.counters.snapshot(),
	/** per endpoint: first and last admitted arrival (ms since epoch), admitted and rejected counts */
	'GET /__admin/traffic': (s) => s.limiter.timeline(),
	'GET /__admin/flows': (s) => s.store.flows(),
	'GET /__admin/approvals': (s) => s.store.approvals(),
	'GET /__admin/remedies': (s) => remediesOf(s),
	'GET /__admin/tokens': (s) => s.tokens.snapshot(),
	'GET /__admin/leave-records': (s) => leaveRecordsOf(s),
	'GET /__admin/archive-reports': (s) => archiveRowsOf(s),
	/** requests Lark's definitions refused since the last call (definitions.ts); the list is cleared */
	'GET /__admin/definition-violations': () => takeViolations(),
	'POST /__admin/reset': (s) => (s.reset(), done),
	'POST /__admin/configure': (s, b) => (s.configure(b as Body), done),
	/** body: one Fault or an array of them */
	'POST /__admin/faults': (s, b) => (
		(Array.isArray(b) ? b : [b]).forEach((f: Fault) => s.faults.add(f)),
		done
	),
	'DELETE /__admin/faults': (s) => (s.faults.clear(), done),
	'POST /__admin/expire-tokens': (s) => (s.tokens.expireAll(), done),
	/** body: an array of records, or { records, employeeType } */
	'POST /__admin/seed-flows': (s, b) => {
		const { records, employeeType } = Array.isArray(b)
			? { records: b, employeeType: undefined }
			: (b as Body);
		if (!Array.isArray(records)) throw new Error('records must be an array');
		return {
			flows: seedFlows(s, records, employeeType as 'employee_id' | 'employee_no' | undefined),
		};
	},
	/**
	 * Deliver an attendance event to a URL (e.g. an n8n trigger's webhook), as Feishu would.
	 * body: { url, kind: 'flow' | 'task' | 'challenge', fields?, options?: DeliverOptions, times? (send the same
	 * envelope N times, as Feishu's retries do) } → the delivery results.
	 */
	'POST /__admin/events': async (_s, b) => {
		const {
			url,
			kind = 'flow',
			fields = {},
			options = {},
			times = 1,
		} = b as Body & {
			url: string;
			kind?: string;
			fields?: Body;
			options?: DeliverOptions;
			times?: number;
		};
		if (typeof url !== 'string' || !url) throw new Error('url is required');
		if (kind === 'challenge') return { results: [await deliverChallenge(url, options)] };
		const envelope =
			kind === 'task' ? buildTaskUpdatedEvent(fields) : buildFlowCreatedEvent(fields);
		const results = [];
		for (let i = 0; i < Math.max(1, Number(times)); i++)
			results.push(await deliverEvent(url, envelope, options));
		return { envelope, results };
	},
};

async function handleAdmin(
	state: EmulatorState,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	const action = ADMIN[`${req.method} ${url.pathname}`];
	const raw = (await readBody(req)).toString('utf8');
	let status = 200;
	let body: unknown;
	try {
		if (!action)
			throw Object.assign(new Error(`unknown admin route ${req.method} ${url.pathname}`), {
				status: 404,
			});
		body = await action(state, raw.trim() ? JSON.parse(raw) : {});
	} catch (e) {
		status = (e as { status?: number }).status ?? 400;
		body = { error: (e as Error).message };
	}
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(body));
}

export function createRequestListener(state: EmulatorState): RequestListener {
	return (req, res) => {
		res.setHeader('x-tt-logid', newLogId());
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const work = url.pathname.startsWith('/__admin/')
			? handleAdmin(state, req, res, url)
			: handleApi(state, req, res, url);
		work.catch((e: Error) => {
			if (res.headersSent || res.destroyed) return;
			res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
			res.end(JSON.stringify({ code: CODES.INTERNAL, msg: `internal error: ${e.message}` }));
		});
	};
}
