/**
 * FeishuClient (transport) inside a real n8n node execution: the harness's test-only Transport Probe node
 * builds a FeishuClient and makes the calls described by its parameters, through n8n's own
 * httpRequestWithAuthentication, against the emulator over HTTP.
 *
 * Timing facts are measured (send and answer times of each attempt), never waited for with timers.
 */
import { NodeApiError } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../emulator';
import {
	calls,
	createStore,
	findSecrets,
	flowQuery,
	runProbe,
	type ProbeAttempt,
	type RunProbeResult,
} from '../harness';

const FLOW_QUERY = 'POST /open-apis/attendance/v1/user_flows/query';
const TOKEN_PATH = 'POST /open-apis/auth/v3/tenant_access_token/internal';
/** Fast back-off so retry tests stay quick; the bounds are what is tested. */
const FAST = { backoffBaseMs: 5 };

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerSecond: 0 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.configure({ rateLimitPerSecond: 0, tokenTtlSeconds: 7200, latencyMs: 0, latencyJitter: 0 });
});

const apiCalls = () => emu.counters().requests[FLOW_QUERY] ?? 0;
/** A store holding a valid token (one warm-up call); returns it with the API-call count after warm-up. */
async function warmStore() {
	const store = createStore();
	const warm = await runProbe({ emulatorUrl: emu.url, store, phases: [[flowQuery()]] });
	expect(warm.error).toBeUndefined();
	return { store, baseCalls: apiCalls(), baseExchanges: emu.counters().tokenExchanges };
}
const attemptsOf = (run: RunProbeResult, call: number): ProbeAttempt[] =>
	run.attempts.filter((a) => a.call === call);
/** Everything the user could see of a run, checked against the secret and every token the emulator issued. */
const leaks = (run: RunProbeResult) =>
	findSecrets(
		[run.error, ...run.results.map((r) => r.error), run.items, run.runData],
		['emulator-secret', ...emu.tokens().issued],
	);

describe('token expiry during a run', () => {
	test('expired between phases of 20 concurrent calls: exactly one refresh per expiry, new token stored', async () => {
		const store = createStore();
		const run = await runProbe({
			emulatorUrl: emu.url,
			store,
			phases: [calls(20, flowQuery()), calls(20, flowQuery()), calls(20, flowQuery())],
			between: () => emu.expireTokens(),
			clientOptions: { maxConcurrent: 10 },
		});
		expect(run.error).toBeUndefined();
		expect(run.results.filter((r) => r.ok)).toHaveLength(60);
		// 1 initial exchange + 1 per expiry
		expect(emu.counters().tokenExchanges).toBe(3);
		expect(store.updates).toBe(3);
		expect(emu.tokens().issued).toHaveLength(3);
		expect(emu.tokens().valid).toEqual([store.data.tenantAccessToken]);
		expect(run.attempts.filter((a) => a.forcedRefresh)).toHaveLength(2);
		expect(run.statistics?.tokenRefreshes).toBe(2);
		// rejected calls were resent (some calls were in flight with the old token), none failed
		expect(emu.counters().tokenRejections).toBeGreaterThanOrEqual(2);
		expect(leaks(run)).toEqual([]);
	});

	test('short-lived tokens with latency: every refresh follows a real expiry (no double refresh)', async () => {
		emu.configure({ tokenTtlSeconds: 0.25, latencyMs: 40, latencyJitter: 0.5 });
		const store = createStore();
		const run = await runProbe({
			emulatorUrl: emu.url,
			store,
			phases: Array.from({ length: 6 }, () => calls(12, flowQuery())),
			clientOptions: { maxConcurrent: 6 },
		});
		expect(run.error).toBeUndefined();
		expect(run.results.every((r) => r.ok)).toBe(true);
		const { tokenExchanges } = emu.counters();
		expect(tokenExchanges).toBeGreaterThanOrEqual(2); // the run outlives several tokens
		// A second refresh for the same expiry would get the same (fresh) token back: issued < exchanges.
		expect(emu.tokens().issued).toHaveLength(tokenExchanges);
		expect(store.updates).toBe(tokenExchanges);
		expect(store.data.tenantAccessToken).toBe(emu.tokens().issued[tokenExchanges - 1]);
		expect(leaks(run)).toEqual([]);
	});

	test('a token about to expire is renewed by one call while the others keep sending: no call refused for an expired token, none waits', async () => {
		emu.configure({ tokenTtlSeconds: 2, latencyMs: 20, latencyJitter: 0.5 });
		const store = createStore();
		const run = await runProbe({
			emulatorUrl: emu.url,
			store,
			phases: [calls(150, flowQuery())],
			clientOptions: { requestsPerSecond: 25 },
		});
		expect(run.error).toBeUndefined();
		expect(run.results.every((r) => r.ok)).toBe(true);
		// 6 s of calls outlive two tokens of 2 s: each renewed before it expired
		const { tokenExchanges, tokenRejections } = emu.counters();
		expect(tokenRejections).toBe(0);
		expect(tokenExchanges).toBeGreaterThanOrEqual(3);
		// every exchange got a new token (none was asked for too early) and the credential holds the newest
		expect(emu.tokens().issued).toHaveLength(tokenExchanges);
		expect(store.data.tenantAccessToken).toBe(emu.tokens().issued[tokenExchanges - 1]);
		// sending never stalled for a refresh: no gap between sends longer than a few intervals
		const sends = run.attempts.map((a) => a.sentAt).sort((a, b) => a - b);
		const gaps = sends.slice(1).map((t, i) => t - sends[i]);
		expect(Math.max(...gaps.slice(1))).toBeLessThan(200);
		expect(leaks(run)).toEqual([]);
	});

	/** Every API answer says "token invalid", even for a token fetched a moment ago (a broken credential). */
	const rejectAllTokens = () =>
		emu.injectFault({
			endpoint: '/user_flows/query',
			kind: 'code',
			code: 99991663,
			msg: 'Invalid access token for authorization',
			httpStatus: 400,
			times: 10000,
		});

	test('a token rejected right after its own refresh fails the run; refreshes stay bounded', async () => {
		rejectAllTokens();
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [calls(20, flowQuery())],
			clientOptions: { requestsPerSecond: 500 },
		});
		expect(run.error).toBeInstanceOf(NodeApiError);
		expect(run.error!.message).toContain('99991663');
		expect((run.error as NodeApiError).description).toMatch(/even after a fresh one was fetched/);
		// bounded: never more refreshes than calls, never more than 1 + 3 resends per call
		expect(emu.counters().requests[TOKEN_PATH]).toBeLessThanOrEqual(1 + 20);
		expect(apiCalls()).toBeLessThanOrEqual(20 * 4);
		expect(leaks(run)).toEqual([]);
	});

	// Known transport bug (reported): once a freshly fetched token is rejected, the other calls of the run
	// still refresh again (measured before the fix: 60 calls → 10 token exchanges, 234 API calls).
	// Fix: in FeishuClient.send, case 'tokenInvalid', set `this.fatal` when `sentWithFreshToken`.
	// Remove `.failing` once fixed.
	test('a token rejected right after its own refresh stops every call: exactly one refresh', async () => {
		rejectAllTokens();
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [calls(30, flowQuery())],
			clientOptions: { requestsPerSecond: 500 },
		});
		expect(run.error).toBeInstanceOf(NodeApiError);
		expect(emu.counters().requests[TOKEN_PATH]).toBe(2); // first token + one refresh
		expect(apiCalls()).toBe(2); // the first call, and its resend with the fresh token
	});
});

describe('rate limits and pacing', () => {
	test('429 with x-ogw-ratelimit-reset: all calls succeed, each retried no earlier than the reset time', async () => {
		emu.configure({ rateLimitPerSecond: 3 });
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [calls(7, flowQuery())],
			clientOptions: { requestsPerSecond: 50, maxConcurrent: 7 },
		});
		expect(run.error).toBeUndefined();
		expect(run.results.every((r) => r.ok)).toBe(true);
		expect(emu.counters().rateLimited).toBeGreaterThan(0);
		const limited = run.attempts.filter((a) => a.statusCode === 429);
		expect(limited.length).toBe(emu.counters().rateLimited);
		for (const hit of limited) {
			expect(hit.resetSeconds).toBeGreaterThanOrEqual(1);
			const next = attemptsOf(run, hit.call).find((a) => a.sentAt >= hit.doneAt);
			expect(next).toBeDefined();
			// 1 ms tolerance for clock granularity
			expect(next!.sentAt - hit.doneAt).toBeGreaterThanOrEqual(hit.resetSeconds! * 1000 - 1);
		}
		expect(run.statistics?.rateLimited).toBe(limited.length);
	});

	test('pacing: 15 calls at 5/s against a limit of 7/s never see a 429; concurrency stays within maxConcurrent', async () => {
		emu.configure({ rateLimitPerSecond: 7, latencyMs: 30, latencyJitter: 0.5 });
		// token first, so the burst below is API calls only
		const { store } = await warmStore();
		const run = await runProbe({
			emulatorUrl: emu.url,
			store,
			phases: [calls(15, flowQuery())],
			clientOptions: { requestsPerSecond: 5, maxConcurrent: 3 },
		});
		expect(run.error).toBeUndefined();
		expect(run.results.every((r) => r.ok)).toBe(true);
		expect(emu.counters().rateLimited).toBe(0);
		expect(emu.counters().status['429']).toBeUndefined();
		expect(emu.counters().peakConcurrency).toBeLessThanOrEqual(3);
		expect(run.statistics?.peakInFlight).toBeLessThanOrEqual(3);
		// the client's own view: within any rolling second at most 5 sends (5 ms tolerance for timer rounding)
		const sends = run.attempts.map((a) => a.sentAt).sort((a, b) => a - b);
		for (let i = 5; i < sends.length; i++)
			expect(sends[i] - sends[i - 5]).toBeGreaterThanOrEqual(995);
	});
});

describe('transient faults', () => {
	test.each(['http500', 'dropBefore', 'dropAfter'] as const)(
		'%s: a repeatable call is retried and succeeds',
		async (kind) => {
			const { store, baseCalls, baseExchanges } = await warmStore();
			emu.injectFault({ endpoint: '/user_flows/query', kind, times: 2 });
			const run = await runProbe({
				emulatorUrl: emu.url,
				store,
				phases: [[flowQuery()]],
				clientOptions: FAST,
			});
			expect(run.error).toBeUndefined();
			expect(run.results[0].ok).toBe(true);
			expect(apiCalls() - baseCalls).toBe(3);
			expect(run.statistics?.retries).toBe(2);
			expect(emu.counters().tokenExchanges).toBe(baseExchanges); // a lost connection is not a credential problem
			expect(leaks(run)).toEqual([]);
		},
	);

	test.each(['http500', 'dropBefore', 'dropAfter'] as const)(
		'%s: retries are bounded by Max Retries',
		async (kind) => {
			emu.injectFault({ endpoint: '/user_flows/query', kind, times: 50 });
			const run = await runProbe({
				emulatorUrl: emu.url,
				phases: [[flowQuery()]],
				clientOptions: { ...FAST, maxRetries: 2 },
			});
			expect(run.error).toBeInstanceOf(NodeApiError);
			expect(apiCalls()).toBe(3);
			if (kind === 'http500') expect(run.error!.message).toContain('1225000');
			else expect(run.error!.message).toMatch(/Could not reach Feishu/);
			expect(leaks(run)).toEqual([]);
		},
	);

	test.each(['dropBefore', 'dropAfter'] as const)(
		'%s: a non-repeatable call is sent once and the error says why',
		async (kind) => {
			emu.injectFault({ endpoint: '/user_flows/query', kind, times: 5 });
			const run = await runProbe({
				emulatorUrl: emu.url,
				phases: [[flowQuery(['emp0001'], { repeatable: false, itemIndex: 2 })]],
				clientOptions: FAST,
			});
			expect(run.error).toBeInstanceOf(NodeApiError);
			expect(apiCalls()).toBe(1);
			expect(run.error!.message).toMatch(/Could not reach Feishu/);
			expect((run.error as NodeApiError).description).toMatch(
				/not repeated automatically because it is not safe to send twice/,
			);
			expect((run.error as NodeApiError).context.itemIndex).toBe(2);
			expect(leaks(run)).toEqual([]);
		},
	);

	test('http500: a non-repeatable call is sent once', async () => {
		emu.injectFault({ endpoint: '/user_flows/query', kind: 'http500', times: 5 });
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [[{ ...flowQuery(), repeatable: false }]],
			clientOptions: FAST,
		});
		expect(run.error).toBeInstanceOf(NodeApiError);
		expect(apiCalls()).toBe(1);
		expect(run.error!.message).toContain('1225000');
		expect((run.error as NodeApiError).httpCode).toBe('500');
	});

	// Known transport gap (reported): after a 5xx on a non-repeatable call the description only says "Run the
	// workflow again later", not that the call was not repeated because it could create duplicates.
	// Remove `.failing` once FeishuClient adds the not-repeated note to transient errors of such calls.
	test('http500: the error of a non-repeatable call says why it was not repeated', async () => {
		emu.injectFault({ endpoint: '/user_flows/query', kind: 'http500', times: 5 });
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [[{ ...flowQuery(), repeatable: false }]],
			clientOptions: FAST,
		});
		expect((run.error as NodeApiError).description).toMatch(/not repeated automatically/);
	});

	test('one lost connection does not end the other concurrent calls of the run', async () => {
		const { store, baseCalls } = await warmStore();
		emu.injectFault({ endpoint: '/user_flows/query', kind: 'dropBefore', times: 1 });
		const run = await runProbe({
			emulatorUrl: emu.url,
			store,
			phases: [calls(8, flowQuery())],
			clientOptions: FAST,
		});
		expect(run.error).toBeUndefined();
		expect(run.results.every((r) => r.ok)).toBe(true);
		expect(apiCalls() - baseCalls).toBe(9);
	});
});

describe('Feishu errors', () => {
	test('1220005 → NodeApiError with code, msg, data-permission hint, log ID, HTTP status, item index; not retried', async () => {
		emu.injectFault({
			endpoint: '/user_flows/query',
			kind: 'code',
			code: 1220005,
			msg: 'no data permission for users: emp0042',
			httpStatus: 400,
		});
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [[flowQuery(['emp0042'], { itemIndex: 3 })]],
			clientOptions: FAST,
		});
		const error = run.error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Feishu error 1220005: no data permission for users: emp0042');
		expect(error.description).toMatch(/data permission/i);
		const [attempt] = run.attempts;
		expect(attempt.logId).toMatch(/^\w{20,}$/);
		expect(error.description).toContain(`log ID ${attempt.logId}`);
		expect(error.description).toContain('HTTP 400');
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(3);
		expect(apiCalls()).toBe(1);
		// n8n's stored copy of the error (run data) carries the same facts
		const stored = run.runData['Transport Probe'][0].error as unknown as {
			message: string;
			description: string;
			context: { itemIndex: number };
		};
		expect(stored.message).toBe(error.message);
		expect(stored.description).toBe(error.description);
		expect(stored.context.itemIndex).toBe(3);
		expect(leaks(run)).toEqual([]);
	});

	test('1227500 (employee not in an attendance group) with HTTP 500 is permanent: sent once, hint names the attendance group', async () => {
		emu.injectFault({
			endpoint: '/user_flows/query',
			kind: 'code',
			code: 1227500,
			msg: 'user lark id not found',
			httpStatus: 500,
			times: 10,
		});
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [[flowQuery(['emp0042'], { itemIndex: 1 })]],
			clientOptions: FAST,
		});
		const error = run.error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Feishu error 1227500: user lark id not found');
		expect(error.description).toMatch(/attendance group/);
		expect(error.context.itemIndex).toBe(1);
		expect(apiCalls()).toBe(1);
		expect(run.statistics?.retries ?? 0).toBe(0);
	});

	const TASK =
		'Add attendance:task (write) and attendance:task:readonly (read) in the developer console';
	const RULE =
		'Add attendance:rule (write) and attendance:rule:readonly (read) in the developer console';
	test.each([
		['POST', '/user_flows/query', TASK],
		['POST', '/user_approvals', TASK],
		['POST', '/user_task_remedys/query', TASK],
		['POST', '/user_stats_datas/query', TASK],
		['POST', '/approval_infos/process', TASK],
		['GET', '/groups', RULE],
		['POST', '/groups/search', RULE],
		['GET', '/shifts', RULE],
		['POST', '/user_daily_shifts/batch_create', RULE],
		// the two reads Feishu documents under attendance:task:readonly
		['POST', '/shifts/query', 'Add attendance:task:readonly in the developer console'],
		['POST', '/user_daily_shifts/query', 'Add attendance:task:readonly in the developer console'],
		[
			'POST',
			'/open-apis/contact/v3/users/batch_get_id',
			'Add contact:user.id:readonly and contact:user.employee_id:readonly',
		],
	] as const)(
		'missing scope (99991672 / 99991679) on %s %s: the hint names the scope of that endpoint',
		async (method, path, scope) => {
			for (const code of [99991672, 99991679]) {
				emu.injectFault({
					endpoint: path,
					kind: 'code',
					code,
					msg: 'Access denied',
					httpStatus: 400,
					times: 1,
				});
				const run = await runProbe({
					emulatorUrl: emu.url,
					phases: [[{ method, path, body: {}, repeatable: true }]],
					clientOptions: FAST,
				});
				const error = run.error as NodeApiError;
				expect(error.message).toBe(`Feishu error ${code}: Access denied`);
				expect(error.description).toContain(scope);
				emu.clearFaults();
			}
		},
	);

	test('a 5xx other code (1225000) is still retried', async () => {
		emu.injectFault({
			endpoint: '/user_flows/query',
			kind: 'code',
			code: 1225000,
			msg: 'internal error',
			httpStatus: 500,
			times: 1,
		});
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [[flowQuery()]],
			clientOptions: FAST,
		});
		expect(run.error).toBeUndefined();
		expect(apiCalls()).toBe(2);
	});

	test('with Continue On Fail the error becomes an output item and the other calls still run', async () => {
		emu.injectFault({
			endpoint: '/user_flows/query',
			kind: 'code',
			code: 1220005,
			msg: 'no data permission for users: emp0042',
			httpStatus: 400,
		});
		const run = await runProbe({
			emulatorUrl: emu.url,
			phases: [[flowQuery()], calls(3, flowQuery())],
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(4);
		expect(run.items[0].json.error).toContain('1220005');
		expect(run.items.slice(1).every((i) => i.json.code === 0)).toBe(true);
	});

	test('no secret or token in any error text across failure kinds', async () => {
		const store = createStore();
		const errors: unknown[] = [];
		for (const fault of [
			{ kind: 'code' as const, code: 1220001, msg: 'bad param' },
			{ kind: 'http500' as const },
			{ kind: 'dropAfter' as const },
		]) {
			emu.injectFault({ endpoint: '/user_flows/query', times: 10, ...fault });
			const run = await runProbe({
				emulatorUrl: emu.url,
				store,
				phases: [[{ ...flowQuery(), repeatable: false }]],
				clientOptions: FAST,
			});
			expect(run.error).toBeDefined();
			errors.push(run.error, run.runData);
			emu.clearFaults();
		}
		const bad = await runProbe({
			emulatorUrl: emu.url,
			credentials: { appSecret: 'a-wrong-secret' },
			phases: [calls(3, flowQuery())],
		});
		errors.push(bad.error, bad.runData);
		expect(errors.filter(Boolean).length).toBeGreaterThanOrEqual(8);
		expect(
			findSecrets(errors, [
				'emulator-secret',
				'a-wrong-secret',
				store.data.tenantAccessToken as string,
				...emu.tokens().issued,
			]),
		).toEqual([]);
	});
});

describe('Feishu unreachable', () => {
	test('a host that never answers ends the run after one call used its retries: no retry storm', async () => {
		// A port that was free a moment ago: connections are refused.
		const probe = await startEmulator();
		const deadUrl = probe.url;
		await probe.close();

		const run = await runProbe({
			emulatorUrl: deadUrl,
			phases: [calls(20, flowQuery())],
			clientOptions: { ...FAST, maxRetries: 2 },
			continueOnFail: true,
		});
		const attempted = new Set(run.attempts.map((a) => a.call));
		// Only the first call went out (1 try + 2 retries); the 19 others failed at once with the same error.
		expect(attempted.size).toBe(1);
		expect(run.attempts).toHaveLength(3);
		expect(run.results.filter((r) => r.ok)).toHaveLength(0);
		expect(run.results).toHaveLength(20);
		for (const r of run.results)
			expect(String(r.error)).toMatch(/Could not reach Feishu|ECONNREFUSED|connect/i);
	});
});

describe('pacing after 429 answers (adaptive rate)', () => {
	test('a 429 makes only its own call wait for the reset time; the other calls keep flowing at a lowered rate', async () => {
		emu.configure({ rateLimitPerSecond: 10 });
		const { store } = await warmStore();
		// asks for 20/s against a limit of 10/s
		const run = await runProbe({
			emulatorUrl: emu.url,
			store,
			phases: [calls(60, flowQuery())],
			clientOptions: { requestsPerSecond: 20, maxConcurrent: 20 },
		});
		expect(run.error).toBeUndefined();
		expect(run.results.every((r) => r.ok)).toBe(true);
		const limited = run.attempts.filter((a) => a.statusCode === 429);
		expect(limited.length).toBeGreaterThan(0);
		// while a throttled call waits its reset time, other calls are sent (no whole-endpoint hold); checked for
		// every 429 after whose wait other calls were still being sent
		const others = (hit: (typeof limited)[number], from: number, to: number) =>
			run.attempts.some((a) => a.call !== hit.call && a.sentAt > from && a.sentAt < to);
		const midRun = limited.filter((hit) =>
			others(hit, hit.doneAt + hit.resetSeconds! * 1000, Infinity),
		);
		expect(midRun.length).toBeGreaterThan(0);
		for (const hit of midRun)
			expect(others(hit, hit.doneAt + 100, hit.doneAt + hit.resetSeconds! * 1000 - 100)).toBe(true);
		// the rate adapted: at a fixed 20/s about half of all attempts would be answered 429
		expect(limited.length).toBeLessThan(0.2 * run.attempts.length);
		expect(run.statistics?.rateCuts).toBeGreaterThan(0);
	});

	test('with the limit counting rejected requests too, the run still adapts and completes', async () => {
		// UNCONFIRMED: see docs/ASSUMPTIONS.md#rate-limit-window
		emu.configure({ rateLimitPerSecond: 10, rateLimitCountsRejected: true });
		try {
			const { store } = await warmStore();
			const run = await runProbe({
				emulatorUrl: emu.url,
				store,
				phases: [calls(40, flowQuery())],
				clientOptions: { requestsPerSecond: 20, maxConcurrent: 20 },
			});
			expect(run.error).toBeUndefined();
			expect(run.results.every((r) => r.ok)).toBe(true);
			// at a fixed 20/s nearly every attempt would be rejected (each rejection keeps the window full)
			expect(run.attempts.filter((a) => a.statusCode === 429).length).toBeLessThan(
				0.5 * run.attempts.length,
			);
		} finally {
			emu.configure({ rateLimitCountsRejected: false });
		}
	});
});
