/**
 * The Feishu Attendance API credential, run through n8n-core's real request path (engine harness)
 * against the emulator over HTTP: token exchange and storage, reuse, bad App ID / Secret, the credential
 * test request, and base-URL resolution.
 */
import axios from 'axios';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import {
	APP_LOGIN_PATH,
	FEISHU_BASE_URL,
	FeishuAttendanceApi,
	LARK_BASE_URL,
	resolveBaseUrl,
	tokenErrorMessage,
} from '../../credentials/FeishuAttendanceApi.credentials';
import { startEmulator, type Emulator } from '../emulator';
import {
	CREDENTIAL_TYPE,
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	calls,
	createStore,
	credentialTypes,
	findSecrets,
	flowQuery,
	recordHttp,
	resolveWithCredentials,
	runNode,
	runProbe,
	testCredential,
} from '../harness';

const TOKEN_PATH = `POST ${APP_LOGIN_PATH}`;
const FLOW_QUERY = 'POST /open-apis/attendance/v1/user_flows/query';
const credential = new FeishuAttendanceApi();

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerSecond: 0 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const tokenCalls = () => emu.counters().requests[TOKEN_PATH] ?? 0;
const apiCalls = () => emu.counters().requests[FLOW_QUERY] ?? 0;

describe('base URL', () => {
	test('resolveBaseUrl: Feishu by default, Lark, custom without trailing slashes', () => {
		expect(resolveBaseUrl({})).toBe(FEISHU_BASE_URL);
		expect(resolveBaseUrl({ platform: 'feishu', baseUrl: 'http://ignored' })).toBe(
			'https://open.feishu.cn',
		);
		expect(resolveBaseUrl({ platform: 'lark', baseUrl: 'http://ignored' })).toBe(LARK_BASE_URL);
		expect(LARK_BASE_URL).toBe('https://open.larksuite.com');
		expect(resolveBaseUrl({ platform: 'custom', baseUrl: 'http://127.0.0.1:4010/' })).toBe(
			'http://127.0.0.1:4010',
		);
		expect(resolveBaseUrl({ platform: 'custom', baseUrl: ' https://open.example.com/// ' })).toBe(
			'https://open.example.com',
		);
	});

	test.each([
		[{ platform: 'feishu' }],
		[{ platform: 'lark' }],
		[{ platform: 'custom', baseUrl: 'http://127.0.0.1:4010/' }],
		[{ platform: 'custom', baseUrl: 'https://open.example.com' }],
	])(
		"the credential test's baseURL (n8n expression) agrees with resolveBaseUrl for %j",
		(data: ICredentialDataDecryptedObject) => {
			const resolved = resolveWithCredentials(credential.test.request.baseURL, data);
			expect(resolved).toBe(resolveBaseUrl(data));
		},
	);

	test("platform 'custom': every request of a run (token exchange included) goes to the custom host only", async () => {
		const recorder = recordHttp();
		try {
			const run = await runProbe({ emulatorUrl: emu.url, phases: [calls(4, flowQuery())] });
			expect(run.error).toBeUndefined();
		} finally {
			recorder.stop();
		}
		const emulatorHost = new URL(emu.url).host;
		expect(recorder.requests.length).toBe(5); // 1 token exchange + 4 calls
		expect(new Set(recorder.requests.map((r) => r.host))).toEqual(new Set([emulatorHost]));
		expect(recorder.requests.filter((r) => r.path === APP_LOGIN_PATH)).toHaveLength(1);
	});
});

describe('token exchange and storage (preAuthentication through n8n)', () => {
	test('first run: one exchange, the token is stored; later runs reuse it without exchanging', async () => {
		const store = createStore();
		const first = await runProbe({ emulatorUrl: emu.url, store, phases: [calls(8, flowQuery())] });
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(8);
		expect(emu.counters().tokenExchanges).toBe(1);
		expect(store.updates).toBe(1);
		const [issued] = emu.tokens().issued;
		expect(store.data.tenantAccessToken).toBe(issued);
		expect(first.preAuthRuns).toEqual([
			{ credentialsExpired: false, testing: false, outcome: 'stored' },
		]);

		for (let run = 0; run < 2; run++) {
			const again = await runProbe({
				emulatorUrl: emu.url,
				store,
				phases: [calls(5, flowQuery())],
			});
			expect(again.error).toBeUndefined();
			expect(again.preAuthRuns).toEqual([]);
		}
		expect(emu.counters().tokenExchanges).toBe(1);
		expect(store.updates).toBe(1);
		expect(store.data.tenantAccessToken).toBe(issued);
		expect(apiCalls()).toBe(18);
	});

	test('the real node (Punch Flow → Get Many) shares the stored token across runs', async () => {
		const store = createStore();
		const parameters = {
			resource: 'punchFlow',
			operation: 'getMany',
			employeeIds: '={{ $json.emp }}',
			from: '2026-01-01',
			to: '2026-01-10',
			returnAll: true,
		};
		const first = await runNode({
			emulatorUrl: emu.url,
			store,
			parameters,
			items: [{ emp: 'emp0001' }, { emp: 'emp0002' }],
		});
		expect(first.error).toBeUndefined();
		const second = await runNode({
			emulatorUrl: emu.url,
			store,
			parameters,
			items: [{ emp: 'emp0003' }],
		});
		expect(second.error).toBeUndefined();
		expect(emu.counters().tokenExchanges).toBe(1);
		expect(store.updates).toBe(1);
		expect(store.data.tenantAccessToken).toBe(emu.tokens().issued[0]);
	});

	test('a stored token that expired between runs is refreshed once and the new one is stored', async () => {
		const store = createStore();
		await runProbe({ emulatorUrl: emu.url, store, phases: [[flowQuery()]] });
		const old = store.data.tenantAccessToken;
		emu.expireTokens();
		const run = await runProbe({ emulatorUrl: emu.url, store, phases: [calls(6, flowQuery())] });
		expect(run.error).toBeUndefined();
		expect(emu.counters().tokenExchanges).toBe(2);
		expect(store.updates).toBe(2);
		expect(store.data.tenantAccessToken).not.toBe(old);
		expect(emu.tokens().valid).toEqual([store.data.tenantAccessToken]);
		expect(run.preAuthRuns).toEqual([
			{ credentialsExpired: false, testing: false, outcome: 'stored' },
		]);
		// the credential still expected the token to live (Feishu refused it before its time): the calls sent
		// before the refresh were refused once each and resent
		expect(emu.counters().tokenRejections).toBeGreaterThanOrEqual(1);
		expect(emu.counters().tokenRejections).toBeLessThanOrEqual(6);
	});

	test('a token the credential knows has expired is replaced before the first call: no call is refused', async () => {
		const store = createStore();
		const before = Date.now();
		await runProbe({ emulatorUrl: emu.url, store, phases: [[flowQuery()]] });
		// stored with the token: when it expires (Feishu's `expire`, 7,200 s here), as text (a number breaks n8n
		// 1.x's editor: it redacts password fields with value.startsWith)
		expect(typeof store.data.tenantAccessTokenExpiresAt).toBe('string');
		const expiresAt = Number(store.data.tenantAccessTokenExpiresAt);
		expect(expiresAt).toBeGreaterThanOrEqual(before + 7190_000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7200_000);
		// two hours later
		emu.expireTokens();
		store.data.tenantAccessTokenExpiresAt = String(Date.now() - 1000);
		const old = store.data.tenantAccessToken;
		const run = await runProbe({ emulatorUrl: emu.url, store, phases: [calls(6, flowQuery())] });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(6);
		expect(emu.counters().tokenRejections).toBe(0);
		expect(emu.counters().tokenExchanges).toBe(2);
		expect(store.data.tenantAccessToken).not.toBe(old);
		expect(Number(store.data.tenantAccessTokenExpiresAt)).toBeGreaterThan(Date.now() + 7000_000);
		expect(apiCalls()).toBe(7);
	});

	test('a credential that holds the expiry as a number (earlier versions) is healed by the next run: text again, no call refused', async () => {
		const store = createStore();
		await runProbe({ emulatorUrl: emu.url, store, phases: [[flowQuery()]] });
		const old = store.data.tenantAccessToken;
		// what an earlier version stored: a valid token, its expiry as a number under a password field
		store.data.tenantAccessTokenExpiresAt = Date.now() + 7000_000;
		const run = await runProbe({ emulatorUrl: emu.url, store, phases: [calls(3, flowQuery())] });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(emu.counters().tokenRejections).toBe(0);
		expect(emu.counters().tokenExchanges).toBe(2);
		expect(typeof store.data.tenantAccessTokenExpiresAt).toBe('string');
		expect(Number(store.data.tenantAccessTokenExpiresAt)).toBeGreaterThan(Date.now() + 7000_000);
		// Feishu answers an unexpired token again: the token may stay the same, the stored fields are text
		expect(typeof store.data.tenantAccessToken).toBe('string');
		expect([old, emu.tokens().issued.at(-1)]).toContain(store.data.tenantAccessToken);
	});

	test('the first call runs alone only when the stored token may need fetching', async () => {
		emu.configure({ latencyMs: 200 });
		try {
			// no token yet: the first call runs alone (n8n fetches the token once), the others wait for its answer
			const store = createStore();
			const first = await runProbe({
				emulatorUrl: emu.url,
				store,
				phases: [calls(4, flowQuery())],
			});
			expect(first.error).toBeUndefined();
			const sent = (run: typeof first) => [...run.attempts].sort((a, b) => a.sentAt - b.sentAt);
			const [alone, ...others] = sent(first);
			expect(Math.min(...others.map((a) => a.sentAt))).toBeGreaterThanOrEqual(alone.doneAt);
			expect(emu.counters().tokenExchanges).toBe(1);
			// a token the credential knows to be valid: the calls go out together
			const second = await runProbe({
				emulatorUrl: emu.url,
				store,
				phases: [calls(4, flowQuery())],
			});
			expect(second.error).toBeUndefined();
			const [head, ...rest] = sent(second);
			expect(Math.min(...rest.map((a) => a.sentAt))).toBeLessThan(head.doneAt);
			expect(emu.counters().tokenExchanges).toBe(1);
			expect(emu.counters().tokenRejections).toBe(0);
		} finally {
			emu.configure({ latencyMs: 0 });
		}
	});

	test('authenticate puts the stored token in the Authorization header and keeps the other headers', async () => {
		const helper = new HarnessCredentialsHelper(credentialTypes, {});
		const node: INode = {
			id: 'n',
			name: 'N',
			type: 'harness.source',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new HarnessNodeTypes(),
		});
		const options: IHttpRequestOptions = { url: 'http://x/y', headers: { 'X-Other': '1' } };
		const signed = await helper.authenticate(
			{ tenantAccessToken: 't-abc123' },
			CREDENTIAL_TYPE,
			options,
			workflow,
			node,
		);
		expect(signed.headers).toEqual({ 'X-Other': '1', Authorization: 'Bearer t-abc123' });
	});
});

describe('wrong App ID / App Secret', () => {
	test.each([
		['secret', { appSecret: 'wrong-secret-4711' }, 10014],
		['app id', { appId: 'cli_does_not_exist' }, 10003],
	])(
		'wrong %s: clear message, one exchange attempt for 30 calls, nothing stored, no secret in the error',
		async (_what, bad, code) => {
			const store = createStore();
			const run = await runProbe({
				emulatorUrl: emu.url,
				store,
				credentials: bad,
				phases: [calls(10, flowQuery()), calls(20, flowQuery())],
			});
			expect(run.error).toBeDefined();
			expect(run.error!.message).toBe(tokenErrorMessage(code, ''));
			expect((run.error as Error & { description?: string }).description).toMatch(/credential/i);
			expect(tokenCalls()).toBe(1);
			expect(apiCalls()).toBe(0);
			expect(emu.counters().tokenExchanges).toBe(0);
			expect(store.updates).toBe(0);
			expect(store.data.tenantAccessToken ?? '').toBe('');
			// every call ended with the same credential error, none of them tried again
			expect(run.results.every((r) => !r.ok && r.error?.message === run.error!.message)).toBe(true);
			const secrets = ['wrong-secret-4711', 'emulator-secret', ...emu.tokens().issued];
			expect(
				findSecrets([run.error, ...run.results.map((r) => r.error), run.runData], secrets),
			).toEqual([]);
		},
	);

	test('wrong secret with Continue On Fail: every call reports the credential error, still one exchange attempt', async () => {
		const run = await runProbe({
			emulatorUrl: emu.url,
			credentials: { appSecret: 'another-wrong-secret' },
			phases: [calls(12, flowQuery())],
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(12);
		for (const item of run.items) expect(item.json.error).toBe(tokenErrorMessage(10014, ''));
		expect(tokenCalls()).toBe(1);
		expect(findSecrets([run.items, run.runData], ['another-wrong-secret'])).toEqual([]);
	});

	test('the real node with a wrong secret fails the run with the credential message (one exchange attempt)', async () => {
		const { error, runData } = await runNode({
			emulatorUrl: emu.url,
			credentials: { appSecret: 'bad-secret-0815' },
			parameters: {
				resource: 'punchFlow',
				operation: 'getMany',
				employeeIds: '={{ $json.emp }}',
				from: '2026-01-01',
				to: '2026-01-05',
				returnAll: true,
			},
			items: Array.from({ length: 5 }, (_, i) => ({ emp: `emp000${i + 1}` })),
		});
		expect(error?.message).toBe(tokenErrorMessage(10014, ''));
		expect(tokenCalls()).toBe(1);
		expect(findSecrets([error, runData], ['bad-secret-0815', 'emulator-secret'])).toEqual([]);
	});
});

describe('credential test (as n8n runs it: RoutingNode + test request + rules)', () => {
	test('valid credential: the test request goes to the token endpoint of the configured host and succeeds', async () => {
		const recorder = recordHttp();
		let outcome;
		try {
			outcome = await testCredential({ emulatorUrl: emu.url });
		} finally {
			recorder.stop();
		}
		expect(outcome).toMatchObject({ status: 'OK', via: 'ok' });
		expect(outcome.responseBody).toMatchObject({ code: 0 });
		// preAuthentication (always run for a test) + the test request itself, both to the token endpoint
		expect(recorder.requests.map((r) => `${r.method} ${r.host}${r.path}`)).toEqual([
			`POST ${new URL(emu.url).host}${APP_LOGIN_PATH}`,
			`POST ${new URL(emu.url).host}${APP_LOGIN_PATH}`,
		]);
		expect(outcome.preAuthRuns).toEqual([
			{ credentialsExpired: false, testing: true, outcome: 'stored' },
		]);
	});

	test.each([
		['App Secret', { appSecret: 'nope-secret' }, 10014],
		['App ID', { appId: 'cli_unknown' }, 10003],
	])('wrong %s: the test fails with the clear message', async (_what, bad, code) => {
		const outcome = await testCredential({ emulatorUrl: emu.url, credentials: bad });
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toBe(tokenErrorMessage(code, ''));
		expect(findSecrets([outcome], ['nope-secret', 'emulator-secret'])).toEqual([]);
	});

	test("the test's rules match the emulator's answers to the request the test describes", async () => {
		const rules = credential.test.rules ?? [];
		expect(rules.map((r) => r.type === 'responseSuccessBody' && r.properties.value)).toEqual([
			10003, 10014,
		]);
		for (const [bad, expectedCode] of [
			[{ appId: 'cli_unknown' }, 10003],
			[{ appSecret: 'nope' }, 10014],
			[{}, 0],
		] as const) {
			const data: ICredentialDataDecryptedObject = {
				platform: 'custom',
				baseUrl: `${emu.url}/`,
				appId: 'cli_emulator',
				appSecret: 'emulator-secret',
				...(bad as ICredentialDataDecryptedObject),
			};
			const request = resolveWithCredentials(credential.test.request, data) as IDataObject;
			expect(request.url).toBe(APP_LOGIN_PATH);
			const answer = await axios.request({
				method: request.method as string,
				baseURL: request.baseURL as string,
				url: request.url as string,
				data: request.body,
				validateStatus: () => true,
			});
			expect(answer.data.code).toBe(expectedCode);
			const matching = rules.filter(
				(r) =>
					r.type === 'responseSuccessBody' && answer.data[r.properties.key] === r.properties.value,
			);
			expect(matching.map((r) => r.properties.message)).toEqual(
				expectedCode ? [tokenErrorMessage(expectedCode, '')] : [],
			);
		}
	});
});
