/**
 * Feishu Attendance Trigger: pure helpers, and the node's webhook() run through n8n-core's real
 * WebhookContext behind a real HTTP server on 127.0.0.1. Events arrive over HTTP from
 * test/emulator/events.ts exactly as Feishu sends them (encrypted, signed, retried).
 *
 * The server below reproduces what n8n's webhook path does around a node (n8n packages/cli:
 * live-webhooks.ts + webhook-helpers.ts + middlewares/body-parser.ts):
 *   - parseIncomingMessage + readRawBody -> req.rawBody (Buffer) -> req.body (parsed JSON)
 *   - a fresh Workflow per request, built from the stored static data ("database")
 *   - new WebhookContext(...) and nodeType.webhook.call(ctx)
 *   - noWebhookResponse -> the node answered itself; workflowData -> an execution; a throw -> 500;
 *     otherwise (onReceived) n8n answers 200 — in 2.x only after the execution was created
 *   - static data saved when workflow.staticData.__dataChanged (n8n's saveStaticData), in the
 *     response callback; creating the execution's Workflow from the same staticData object resets
 *     that flag (ObservableObject.create), exactly as in n8n 2.x
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import http from 'http';
import { join } from 'path';
import type { AddressInfo } from 'net';

import { Container } from '@n8n/di';
import { InstanceSettings, parseIncomingMessage, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ILoadOptionsFunctions,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeTypes,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { FeishuAttendanceTrigger } from '../../nodes/FeishuAttendanceTrigger/FeishuAttendanceTrigger.node';
import {
	computeSignature,
	decryptEncryptField,
	isValidSignature,
	safeEqual,
} from '../../nodes/FeishuAttendanceTrigger/helpers/crypto';
import {
	checkAndRemember,
	DEDUPE_WINDOW_MS,
	pruneSeen,
	readSeen,
	rememberSeen,
	STATIC_DATA_KEY,
	type SeenEntry,
} from '../../nodes/FeishuAttendanceTrigger/helpers/dedupe';
import { openDelivery } from '../../nodes/FeishuAttendanceTrigger/helpers/envelope';
import { readList } from '../../nodes/FeishuAttendance/helpers/input';
import {
	matchesEmployee,
	matchesEventType,
	matchesTaskFilters,
} from '../../nodes/FeishuAttendanceTrigger/helpers/filters';
import { flattenEvent } from '../../nodes/FeishuAttendanceTrigger/helpers/flatten';
import { parseDayNumber, toIsoInTimeZone } from '../../nodes/FeishuAttendanceTrigger/helpers/time';
import {
	APPROVAL_SAMPLES,
	REMEDY_GROUP_OBJECT,
	TRIP_GROUP_OBJECT,
	buildApprovalGroupEvent,
	buildFlowCreatedEvent,
	buildTaskUpdatedEvent,
	buildV1Event,
	deliverChallenge,
	deliverEvent,
	encryptPayload,
	signBody,
	type TaskEventFields,
} from '../emulator/events';

const NODE_TYPE = 'n8n-nodes-feishu-attendance.feishuAttendanceTrigger';
const ENCRYPT_KEY = 'kx9vQ2ZtY5Lr8Wm3';
const TOKEN = 'vt_3mL0p9QaZr';

// NodeExecutionContext reads InstanceSettings from the DI container; the real one would create
// ~/.n8n/config. Nothing the trigger uses needs more than this stub.
Container.set(InstanceSettings, { instanceId: 'trigger-test' } as unknown as InstanceSettings);

// ---------------------------------------------------------------------------------------------
// Harness: a real HTTP server that hosts the trigger like n8n does
// ---------------------------------------------------------------------------------------------

interface HostOptions {
	parameters?: IDataObject;
	/** undefined = no credential selected on the node */
	credentials?: ICredentialDataDecryptedObject;
	timezone?: string;
	/** simulate a host that does not expose req.rawBody (only the parsed body) */
	withoutRawBody?: boolean;
}

interface Host {
	url: string;
	executions: INodeExecutionData[][];
	staticData: () => IDataObject;
	close: () => Promise<void>;
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

async function startHost(options: HostOptions = {}): Promise<Host> {
	const nodeType = new FeishuAttendanceTrigger();
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const executions: INodeExecutionData[][] = [];
	let storedStaticData = '{}';
	const webhookDescription = nodeType.description.webhooks![0];

	const server = http.createServer((req, res) => {
		void (async () => {
			// n8n: rawBodyReader + parseBody
			parseIncomingMessage(req);
			req.readRawBody = async () => {
				if (!req.rawBody) {
					req.rawBody = await readAll(req);
					req._body = true;
				}
			};
			await req.readRawBody();
			const request = req as http.IncomingMessage & { body?: unknown };
			if (req.contentType === 'application/json' && req.rawBody.length > 0) {
				request.body = JSON.parse(req.rawBody.toString(req.encoding));
			}
			if (options.withoutRawBody) {
				(req as unknown as { rawBody?: Buffer }).rawBody = undefined;
			}

			// n8n: a fresh Workflow from the database row for every request
			const node: INode = {
				id: 'b0f4f8a2-0000-4000-8000-000000000001',
				name: 'Feishu Attendance Trigger',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: '6f1a3c2e-1111-4a4a-9b9b-1234567890ab',
				parameters: JSON.parse(JSON.stringify(options.parameters ?? { events: ['*'] })),
				credentials: options.credentials
					? { feishuAttendanceApi: { id: 'cred1', name: 'Feishu' } }
					: undefined,
			};
			const rawStaticData = JSON.parse(storedStaticData) as IDataObject;
			const workflow = new Workflow({
				id: 'wfTrigger001',
				name: 'trigger test',
				nodes: [node],
				connections: {},
				active: true,
				nodeTypes,
				staticData: rawStaticData,
				settings: { timezone: options.timezone ?? 'Asia/Shanghai' },
			});
			const additionalData = {
				httpRequest: req,
				httpResponse: res,
				credentialsHelper: {
					getDecrypted: async () => ({ ...options.credentials }),
					getCredentialsProperties: () => [],
				},
				restApiUrl: 'http://127.0.0.1/rest',
				instanceBaseUrl: 'http://127.0.0.1/',
				webhookBaseUrl: 'http://127.0.0.1/webhook/',
				webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting/',
				webhookTestBaseUrl: 'http://127.0.0.1/webhook-test/',
				variables: {},
			} as unknown as IWorkflowExecuteAdditionalData;
			const webhookData: IWebhookData = {
				httpMethod: 'POST',
				node: node.name,
				path: `${node.webhookId}/webhook`,
				webhookDescription,
				workflowId: workflow.id,
				workflowExecuteAdditionalData: additionalData,
				webhookId: node.webhookId,
			};
			const context = new WebhookContext(
				workflow,
				workflow.getNode(node.name)!,
				additionalData,
				'webhook',
				webhookData,
				[],
				null,
			);

			try {
				const result = await nodeType.webhook!.call(context);
				// n8n: WorkflowStaticDataService.saveStaticData runs in the response callback
				const saveStaticData = () => {
					if (workflow.staticData.__dataChanged === true)
						storedStaticData = JSON.stringify(workflow.staticData);
				};
				if (result.noWebhookResponse === true) saveStaticData(); // the node answered: callback now
				if (result.workflowData) {
					// n8n creates the execution from the same workflow data; its Workflow constructor runs
					// ObservableObject.create on the same staticData object, which resets __dataChanged.
					new Workflow({
						id: workflow.id,
						nodes: [node],
						connections: {},
						active: true,
						nodeTypes,
						staticData: rawStaticData,
					});
					executions.push(result.workflowData[0]);
				}
				if (result.noWebhookResponse !== true) {
					// n8n 2.x: the onReceived answer (and its callback) comes after the execution was created
					saveStaticData();
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end(
						JSON.stringify(
							result.webhookResponse ??
								(result.workflowData
									? { message: 'Workflow was started' }
									: { message: 'Webhook call received' }),
						),
					);
				}
			} catch (error) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(
					JSON.stringify({
						code: 0,
						message: 'Workflow Webhook Error: Workflow could not be started!',
						detail: (error as Error).message,
					}),
				);
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/6f1a3c2e-1111-4a4a-9b9b-1234567890ab/webhook`,
		executions,
		staticData: () => JSON.parse(storedStaticData) as IDataObject,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const hosts: Host[] = [];
async function host(options: HostOptions = {}): Promise<Host> {
	const h = await startHost(options);
	hosts.push(h);
	return h;
}
afterAll(async () => {
	await Promise.all(hosts.map(async (h) => await h.close()));
});

const fullCredentials = {
	appId: 'cli_x',
	appSecret: 's',
	verificationToken: TOKEN,
	encryptKey: ENCRYPT_KEY,
};

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

describe('crypto helpers', () => {
	test('official test vector: key "test key" decrypts to "hello world"', () => {
		expect(decryptEncryptField('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toEqual(
			{
				ok: true,
				text: 'hello world',
			},
		);
	});

	test('round trip with the emulator encryption, wrong key and garbage are reported, not thrown', () => {
		const cipher = encryptPayload('{"a":1}', ENCRYPT_KEY);
		expect(decryptEncryptField(cipher, ENCRYPT_KEY)).toEqual({ ok: true, text: '{"a":1}' });
		// a wrong key fails the PKCS#7 padding check, or (rarely) yields garbage — never the plaintext
		for (let i = 0; i < 50; i++) {
			const other = decryptEncryptField(encryptPayload('{"a":1}', ENCRYPT_KEY), `other key ${i}`);
			expect(other.ok ? other.text : undefined).not.toBe('{"a":1}');
		}
		expect(decryptEncryptField('not base64 at all', ENCRYPT_KEY).ok).toBe(false);
		expect(decryptEncryptField('', ENCRYPT_KEY).ok).toBe(false);
	});

	test('signature = sha256 hex of timestamp + nonce + key + raw body', () => {
		const body = '{"encrypt":"abc"}';
		const expected = createHash('sha256')
			.update(`1700000000nonce1${ENCRYPT_KEY}${body}`)
			.digest('hex');
		expect(computeSignature('1700000000', 'nonce1', ENCRYPT_KEY, body)).toBe(expected);
		expect(computeSignature('1700000000', 'nonce1', ENCRYPT_KEY, Buffer.from(body))).toBe(expected);
		expect(signBody('1700000000', 'nonce1', ENCRYPT_KEY, body)).toBe(expected);
		expect(
			isValidSignature(expected.toUpperCase(), '1700000000', 'nonce1', ENCRYPT_KEY, body),
		).toBe(true);
		expect(isValidSignature(expected, '1700000001', 'nonce1', ENCRYPT_KEY, body)).toBe(false);
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abcd')).toBe(false);
	});
});

describe('openDelivery (verification verdicts)', () => {
	const now = 1_700_000_000_000;
	const settings = {
		verificationToken: TOKEN,
		encryptKey: ENCRYPT_KEY,
		maxTimestampAgeSeconds: 300,
	};
	function signed(plain: object, ts = now / 1000) {
		const raw = JSON.stringify({ encrypt: encryptPayload(JSON.stringify(plain), ENCRYPT_KEY) });
		const headers = {
			'x-lark-request-timestamp': String(ts),
			'x-lark-request-nonce': 'n1',
			'x-lark-signature': signBody(String(ts), 'n1', ENCRYPT_KEY, raw),
		};
		return { rawBody: Buffer.from(raw), rawBodyExact: true, headers, nowMs: now };
	}

	test('accepts a signed, encrypted event with the right token', () => {
		const env = buildFlowCreatedEvent({}, { token: TOKEN });
		const verdict = openDelivery(signed(env), settings);
		expect(verdict.kind).toBe('event');
	});

	test('refuses stale and future timestamps (301 s), accepts 299 s', () => {
		const env = buildFlowCreatedEvent({}, { token: TOKEN });
		expect(openDelivery(signed(env, now / 1000 - 301), settings)).toMatchObject({
			kind: 'refuse',
			status: 401,
		});
		expect(openDelivery(signed(env, now / 1000 + 301), settings)).toMatchObject({
			kind: 'refuse',
			status: 401,
		});
		expect(openDelivery(signed(env, now / 1000 - 299), settings).kind).toBe('event');
		expect(
			openDelivery(signed(env, now / 1000 - 3600), { ...settings, maxTimestampAgeSeconds: 0 }).kind,
		).toBe('event');
	});

	test('schema 1.0 token is read from the top level', () => {
		const v1 = {
			uuid: 'u-1',
			token: TOKEN,
			ts: '1700000000',
			type: 'event_callback',
			event: { type: 'attendance.x' },
		};
		expect(openDelivery(signed(v1), settings).kind).toBe('event');
		expect(openDelivery(signed({ ...v1, token: 'nope' }), settings)).toMatchObject({
			kind: 'refuse',
			status: 403,
		});
	});

	test('non-JSON bodies are refused with 400', () => {
		expect(
			openDelivery(
				{ rawBody: Buffer.from('hello'), rawBodyExact: true, headers: {}, nowMs: now },
				{
					maxTimestampAgeSeconds: 300,
				},
			),
		).toMatchObject({ kind: 'refuse', status: 400 });
	});
});

describe('dedupe helpers', () => {
	const limits = { maxEntries: 1000, windowMs: DEDUPE_WINDOW_MS };

	test('keeps at most maxEntries, newest last', () => {
		let entries: SeenEntry[] = [];
		const t0 = 1_700_000_000_000;
		for (let i = 0; i < 1200; i++) entries = rememberSeen(entries, `ev${i}`, t0 + i * 1000, limits);
		expect(entries).toHaveLength(1000);
		expect(entries[0][0]).toBe('ev200');
		expect(entries[999][0]).toBe('ev1199');
	});

	test('forgets IDs older than 8 hours', () => {
		const t0 = 1_700_000_000_000;
		const entries = rememberSeen([], 'old', t0, limits);
		expect(pruneSeen(entries, t0 + 7.5 * 3600_000, limits)).toHaveLength(1);
		expect(pruneSeen(entries, t0 + 8.1 * 3600_000, limits)).toHaveLength(0);
	});

	test('checkAndRemember works on static data and ignores malformed stored data', () => {
		const staticData: IDataObject = {
			[STATIC_DATA_KEY]: [['x', 'bad'], 'junk'] as unknown as IDataObject[],
		};
		expect(readSeen(staticData)).toEqual([]);
		const t = Date.now();
		expect(checkAndRemember(staticData, 'e1', t, limits)).toBe(false);
		expect(checkAndRemember(staticData, 'e1', t + 1000, limits)).toBe(true);
		expect(checkAndRemember(staticData, 'e2', t, { ...limits, maxEntries: 0 })).toBe(false);
		expect(checkAndRemember(staticData, 'e2', t, { ...limits, maxEntries: 0 })).toBe(false);
		expect(checkAndRemember(staticData, undefined, t, limits)).toBe(false);
	});
});

describe('time, filters and flatten helpers', () => {
	test('ISO 8601 in a time zone via Intl', () => {
		expect(toIsoInTimeZone(Date.UTC(2024, 4, 6, 1, 2, 3), 'Asia/Shanghai')).toBe(
			'2024-05-06T09:02:03+08:00',
		);
		expect(toIsoInTimeZone(Date.UTC(2024, 0, 15, 12, 0, 0, 250), 'America/New_York')).toBe(
			'2024-01-15T07:00:00.250-05:00',
		);
		expect(toIsoInTimeZone(Date.UTC(2024, 6, 15, 12, 0, 0), 'America/New_York')).toBe(
			'2024-07-15T08:00:00-04:00',
		);
		expect(toIsoInTimeZone(Date.UTC(2024, 0, 1, 0, 0, 0), 'Asia/Kolkata')).toBe(
			'2024-01-01T05:30:00+05:30',
		);
		expect(toIsoInTimeZone(Date.UTC(2024, 0, 1, 0, 0, 0), 'Not/AZone')).toBe(
			'2024-01-01T00:00:00+00:00',
		);
		expect(parseDayNumber(20240506)).toBe(20240506);
		expect(parseDayNumber(' 20240506 ')).toBe(20240506);
		expect(parseDayNumber('2024-05-06')).toBeUndefined();
		expect(parseDayNumber(20241306)).toBeUndefined();
		expect(parseDayNumber(undefined)).toBeUndefined();
	});

	test('employee ID lists (readList, shared with the action node) and matching', () => {
		expect(readList(' a1, b2;c3\nd4，e5；f6、g7 h8\ti9 ', 'Employee IDs')).toEqual([
			'a1',
			'b2',
			'c3',
			'd4',
			'e5',
			'f6',
			'g7',
			'h8',
			'i9',
		]);
		expect(readList(['x', 'y, z', 'x'], 'Employee IDs')).toEqual(['x', 'y', 'z', 'x']);
		expect(readList('', 'Employee IDs')).toEqual([]);
		expect(() => readList({ id: 'x' }, 'Employee IDs')).toThrow(
			'Employee IDs must be text or a list of text, not an object',
		);
		expect(matchesEmployee({ employee_id: 'u1', employee_no: 'E7' }, ['E7'])).toBe(true);
		expect(matchesEmployee({ employee_id: 'u1', employee_no: 'E7' }, ['u1'])).toBe(true);
		expect(matchesEmployee({ employee_id: 'u1', employee_no: 'E7' }, ['u2'])).toBe(false);
		expect(matchesEmployee({ employee_id: 'u1' }, [])).toBe(true);
	});

	test('event type matching: * = any attendance event', () => {
		expect(matchesEventType(['*'], 'attendance.user_flow.created_v1')).toBe(true);
		expect(matchesEventType(['*'], 'im.message.receive_v1')).toBe(false);
		expect(
			matchesEventType(['attendance.user_task.updated_v1'], 'attendance.user_flow.created_v1'),
		).toBe(false);
		expect(matchesEventType(['*'], undefined)).toBe(false);
	});

	test('task filters need a change that actually moves to a selected status / supplement', () => {
		const event = {
			status_changes: [
				{
					before_status: 'Late',
					current_status: 'Late',
					before_supplement: 'None',
					current_supplement: 'Leave',
				},
				{
					before_status: 'Lack',
					current_status: 'Normal',
					before_supplement: 'None',
					current_supplement: 'None',
				},
			],
		};
		expect(matchesTaskFilters(event, [], [])).toBe(true);
		expect(matchesTaskFilters(event, ['Normal'], [])).toBe(true);
		expect(matchesTaskFilters(event, ['Late'], [])).toBe(false);
		expect(matchesTaskFilters(event, [], ['Leave'])).toBe(true);
		expect(matchesTaskFilters(event, ['Normal'], ['Travel'])).toBe(false);
	});

	test('flatten a flow event and redact the token in raw', () => {
		const env = buildFlowCreatedEvent(
			{
				employee_id: 'u1',
				employee_no: 'E1',
				check_time: '1714957323',
				location_name: 'Gate',
				record_id: 'r1',
			},
			{ eventId: 'ev1', createTime: 1714957324123, token: TOKEN },
		);
		const item = flattenEvent(env as unknown as IDataObject, 'Asia/Shanghai');
		expect(item).toMatchObject({
			event_type: 'attendance.user_flow.created_v1',
			event_id: 'ev1',
			create_time: '1714957324123',
			create_time_iso: '2024-05-06T09:02:04.123+08:00',
			employee_id: 'u1',
			employee_no: 'E1',
			check_time: '1714957323',
			check_time_iso: '2024-05-06T09:02:03+08:00',
			check_time_unix: 1714957323,
			location_name: 'Gate',
			record_id: 'r1',
			schema: '2.0',
			app_id: 'cli_emulator',
		});
		expect((item.raw as IDataObject).header).toMatchObject({
			token: '[redacted]',
			event_id: 'ev1',
		});
		expect(JSON.stringify(item)).not.toContain(TOKEN);
	});
});

// ---------------------------------------------------------------------------------------------
// webhook() over real HTTP through n8n-core's WebhookContext
// ---------------------------------------------------------------------------------------------

describe('URL verification (challenge)', () => {
	test('plain challenge without a credential is answered, no execution', async () => {
		const h = await host();
		const r = await deliverChallenge(h.url, { challenge: 'plain-123' });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ challenge: 'plain-123' });
		expect(r.answeredCorrectly).toBe(true);
		expect(h.executions).toHaveLength(0);
	});

	test('encrypted challenge (Encrypt Key + token) is decrypted and answered in plaintext, no execution', async () => {
		const h = await host({ credentials: fullCredentials });
		const r = await deliverChallenge(h.url, {
			challenge: 'enc-456',
			encryptKey: ENCRYPT_KEY,
			verificationToken: TOKEN,
		});
		expect(JSON.parse(r.sentBody)).toHaveProperty('encrypt');
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ challenge: 'enc-456' });
		expect(h.executions).toHaveLength(0);
	});

	test('challenge with a wrong Verification Token is refused with 403', async () => {
		const h = await host({ credentials: fullCredentials });
		const r = await deliverChallenge(h.url, {
			encryptKey: ENCRYPT_KEY,
			verificationToken: 'wrong',
		});
		expect(r.status).toBe(403);
		expect(r.answeredCorrectly).toBe(false);
	});

	test('encrypted challenge without an Encrypt Key in n8n gets a 400 that says what to do', async () => {
		const h = await host();
		const r = await deliverChallenge(h.url, { encryptKey: ENCRYPT_KEY });
		expect(r.status).toBe(400);
		expect(r.body).toMatch(/Encrypt Key/);
	});
});

describe('security of event deliveries', () => {
	let h: Host;
	beforeAll(async () => {
		h = await host({ credentials: fullCredentials });
	});

	test('encrypted + signed event with the right token starts one execution (200)', async () => {
		const before = h.executions.length;
		const r = await deliverEvent(h.url, buildFlowCreatedEvent(), {
			encryptKey: ENCRYPT_KEY,
			verificationToken: TOKEN,
		});
		expect(r.status).toBe(200);
		expect(r.sentHeaders['X-Lark-Signature']).toMatch(/^[0-9a-f]{64}$/);
		expect(h.executions.length).toBe(before + 1);
	});

	test.each([
		['bad signature', { badSignature: true }, 401],
		['missing signature headers', { sign: false }, 401],
		['stale timestamp (10 min old)', { timestamp: Math.floor(Date.now() / 1000) - 600 }, 401],
		['wrong verification token', { verificationToken: 'not-the-token' }, 403],
		['encrypted with another key', { encryptKey: 'another-key-123' }, 400],
		['plaintext although an Encrypt Key is set', { encryptKey: undefined }, 401],
	])('%s -> refused, nothing starts', async (_name, override, status) => {
		const before = h.executions.length;
		const r = await deliverEvent(h.url, buildFlowCreatedEvent(), {
			encryptKey: ENCRYPT_KEY,
			verificationToken: TOKEN,
			...override,
		});
		expect(r.status).toBe(status);
		expect((r.json as IDataObject).error).toEqual(expect.any(String));
		expect(h.executions.length).toBe(before);
	});

	test('the signature covers the raw bytes: pretty-printed, signed body is accepted', async () => {
		const before = h.executions.length;
		const env = buildFlowCreatedEvent({}, { token: TOKEN });
		const rawBody = `{\n  "encrypt" : "${encryptPayload(JSON.stringify(env), ENCRYPT_KEY)}"\n}\n`;
		const r = await deliverEvent(h.url, env, { encryptKey: ENCRYPT_KEY, rawBody });
		expect(r.status).toBe(200);
		expect(h.executions.length).toBe(before + 1);
	});

	test('Max Request Age 0 accepts an old timestamp', async () => {
		const lax = await host({
			credentials: fullCredentials,
			parameters: { events: ['*'], options: { maxTimestampAge: 0 } },
		});
		const r = await deliverEvent(lax.url, buildFlowCreatedEvent(), {
			encryptKey: ENCRYPT_KEY,
			verificationToken: TOKEN,
			timestamp: Math.floor(Date.now() / 1000) - 3 * 3600,
		});
		expect(r.status).toBe(200);
		expect(lax.executions).toHaveLength(1);
	});

	test('token-only credential: plaintext events, token checked', async () => {
		const t = await host({ credentials: { verificationToken: TOKEN, encryptKey: '' } });
		expect(
			(await deliverEvent(t.url, buildFlowCreatedEvent(), { verificationToken: TOKEN })).status,
		).toBe(200);
		expect(
			(await deliverEvent(t.url, buildFlowCreatedEvent(), { verificationToken: 'x' })).status,
		).toBe(403);
		expect((await deliverEvent(t.url, buildFlowCreatedEvent())).status).toBe(403);
		expect(t.executions).toHaveLength(1);
	});

	test('no credential: plaintext events accepted, encrypted ones refused', async () => {
		const open = await host();
		expect((await deliverEvent(open.url, buildFlowCreatedEvent())).status).toBe(200);
		expect(
			(await deliverEvent(open.url, buildFlowCreatedEvent(), { encryptKey: ENCRYPT_KEY })).status,
		).toBe(400);
		expect(open.executions).toHaveLength(1);
	});

	test('host without req.rawBody: compact JSON still verifies, re-serialisation mismatch is explained', async () => {
		const noRaw = await host({ credentials: fullCredentials, withoutRawBody: true });
		const ok = await deliverEvent(noRaw.url, buildFlowCreatedEvent(), {
			encryptKey: ENCRYPT_KEY,
			verificationToken: TOKEN,
		});
		expect(ok.status).toBe(200);
		const env = buildFlowCreatedEvent({}, { token: TOKEN });
		const rawBody = `{ "encrypt": "${encryptPayload(JSON.stringify(env), ENCRYPT_KEY)}" }`;
		const bad = await deliverEvent(noRaw.url, env, { encryptKey: ENCRYPT_KEY, rawBody });
		expect(bad.status).toBe(401);
		expect(bad.body).toMatch(/re-serialised/);
		expect(noRaw.executions).toHaveLength(1);
	});
});

describe('deduplication', () => {
	test('a retried delivery (new IV, nonce, timestamp) starts only one execution; both get 200', async () => {
		const h = await host({ credentials: fullCredentials });
		const env = buildTaskUpdatedEvent({}, { eventId: 'evt-retry-1' });
		const first = await deliverEvent(h.url, env, {
			encryptKey: ENCRYPT_KEY,
			verificationToken: TOKEN,
		});
		const retry = await deliverEvent(h.url, env, {
			encryptKey: ENCRYPT_KEY,
			verificationToken: TOKEN,
		});
		expect(first.sentBody).not.toBe(retry.sentBody);
		expect(first.status).toBe(200);
		expect(retry.status).toBe(200);
		expect(retry.json).toEqual({ message: 'Duplicate delivery; already processed' });
		expect(h.executions).toHaveLength(1);
		// persisted through the workflow's static data (n8n saves it because it changed)
		const stored = h.staticData()['node:Feishu Attendance Trigger'] as IDataObject;
		expect((stored[STATIC_DATA_KEY] as unknown as SeenEntry[]).map(([id]) => id)).toEqual([
			'evt-retry-1',
		]);
		// a different event still starts
		await deliverEvent(h.url, buildTaskUpdatedEvent(), {
			encryptKey: ENCRYPT_KEY,
			verificationToken: TOKEN,
		});
		expect(h.executions).toHaveLength(2);
	});

	test('schema 1.0 deliveries are deduplicated on uuid', async () => {
		const h = await host();
		const v1 = {
			uuid: 'uuid-1',
			token: '',
			ts: '1714957323',
			type: 'event_callback',
			event: { type: 'attendance.legacy_v1', employee_id: 'u1' },
		};
		expect((await deliverEvent(h.url, v1)).status).toBe(200);
		expect((await deliverEvent(h.url, v1)).status).toBe(200);
		expect(h.executions).toHaveLength(1);
		expect(h.executions[0][0].json).toMatchObject({
			event_id: 'uuid-1',
			event_type: 'attendance.legacy_v1',
			schema: '1.0',
		});
	});

	test('Remembered Event IDs = 0 turns deduplication off', async () => {
		const h = await host({ parameters: { events: ['*'], options: { maxRememberedEvents: 0 } } });
		const env = buildFlowCreatedEvent({}, { eventId: 'same' });
		await deliverEvent(h.url, env);
		await deliverEvent(h.url, env);
		expect(h.executions).toHaveLength(2);
	});
});

describe('filters', () => {
	test('event type selection: unselected and non-attendance events are acknowledged but start nothing', async () => {
		const h = await host({ parameters: { events: ['attendance.user_flow.created_v1'] } });
		const task = await deliverEvent(h.url, buildTaskUpdatedEvent());
		expect(task.status).toBe(200);
		expect(h.executions).toHaveLength(0);
		const im = buildFlowCreatedEvent();
		im.header.event_type = 'im.message.receive_v1';
		expect((await deliverEvent(h.url, im)).status).toBe(200);
		expect(h.executions).toHaveLength(0);
		expect((await deliverEvent(h.url, buildFlowCreatedEvent())).status).toBe(200);
		expect(h.executions).toHaveLength(1);
	});

	test('Employee IDs match employee_id or employee_no', async () => {
		const h = await host({ parameters: { events: ['*'], employeeIds: 'emp_42, E0100' } });
		await deliverEvent(
			h.url,
			buildFlowCreatedEvent({ employee_id: 'emp_42', employee_no: 'E0042' }),
		);
		await deliverEvent(
			h.url,
			buildFlowCreatedEvent({ employee_id: 'emp_100', employee_no: 'E0100' }),
		);
		await deliverEvent(
			h.url,
			buildFlowCreatedEvent({ employee_id: 'emp_7', employee_no: 'E0007' }),
		);
		expect(h.executions.map((e) => e[0].json.employee_id)).toEqual(['emp_42', 'emp_100']);

		// Read by readList like the action node's ID lists: full-width separators and spaces work too.
		const wide = await host({ parameters: { events: ['*'], employeeIds: 'emp_42，E0100 emp_9' } });
		await deliverEvent(
			wide.url,
			buildFlowCreatedEvent({ employee_id: 'emp_100', employee_no: 'E0100' }),
		);
		await deliverEvent(
			wide.url,
			buildFlowCreatedEvent({ employee_id: 'emp_7', employee_no: 'E0007' }),
		);
		await deliverEvent(
			wide.url,
			buildFlowCreatedEvent({ employee_id: 'emp_9', employee_no: 'E0009' }),
		);
		expect(wide.executions.map((e) => e[0].json.employee_id)).toEqual(['emp_100', 'emp_9']);

		// An object is a setup error (before: it silently matched nobody): the request fails, nothing starts.
		const bad = await host({
			parameters: { events: ['*'], employeeIds: { id: 'emp_42' } as unknown as string },
		});
		const refused = await deliverEvent(bad.url, buildFlowCreatedEvent({ employee_id: 'emp_42' }));
		expect(refused.status).toBe(500);
		expect(JSON.stringify(refused.body)).toContain(
			'Employee IDs must be text or a list of text, not an object',
		);
		expect(bad.executions).toHaveLength(0);
	});

	test('Employee ID Type says which ID of the event the Employee IDs are compared with', async () => {
		const events = [
			buildFlowCreatedEvent({ employee_id: 'emp_42', employee_no: 'E0042' }),
			buildFlowCreatedEvent({ employee_id: 'E0100', employee_no: 'E0777' }),
			buildFlowCreatedEvent({ employee_id: 'emp_100', employee_no: 'E0100' }),
		];
		const started = async (employeeIdType: string) => {
			const h = await host({
				parameters: { events: ['*'], employeeIdType, employeeIds: 'emp_42, E0100' },
			});
			for (const event of events) await deliverEvent(h.url, event);
			return h.executions.map(
				(e) => `${String(e[0].json.employee_id)}/${String(e[0].json.employee_no)}`,
			);
		};
		expect(await started('employee_id')).toEqual(['emp_42/E0042', 'E0100/E0777']);
		expect(await started('employee_no')).toEqual(['emp_100/E0100']);
		expect(await started('any')).toEqual(['emp_42/E0042', 'E0100/E0777', 'emp_100/E0100']);

		// A value from an expression that is no ID type is a setup error: the request fails, nothing starts.
		const bad = await host({
			parameters: { events: ['*'], employeeIdType: 'union_id', employeeIds: 'emp_42' },
		});
		const refused = await deliverEvent(bad.url, events[0]);
		expect(refused.status).toBe(500);
		expect(JSON.stringify(refused.body)).toMatch(
			/Employee ID Type must be one of: any, employee_id, employee_no, got \W*union_id/,
		);
		expect(bad.executions).toHaveLength(0);
	});

	test('Only When Status Changes To / Supplement', async () => {
		const h = await host({
			parameters: { events: ['attendance.user_task.updated_v1'], taskStatuses: ['Late', 'Lack'] },
		});
		const change = (before: string, current: string): TaskEventFields => ({
			status_changes: [
				{
					index: 0,
					before_status: before,
					current_status: current,
					before_supplement: 'None',
					current_supplement: 'None',
					work_type: 'on' as const,
				},
			],
		});
		await deliverEvent(h.url, buildTaskUpdatedEvent(change('Lack', 'Normal')));
		await deliverEvent(h.url, buildTaskUpdatedEvent(change('Normal', 'Late')));
		await deliverEvent(h.url, buildTaskUpdatedEvent(change('Late', 'Late')));
		expect(h.executions).toHaveLength(1);
		expect(h.executions[0][0].json.changed_statuses).toEqual(['Late']);

		const s = await host({ parameters: { events: ['*'], taskSupplements: ['Leave'] } });
		await deliverEvent(
			s.url,
			buildTaskUpdatedEvent({
				status_changes: [
					{
						before_status: 'Lack',
						current_status: 'NoNeedCheck',
						before_supplement: 'None',
						current_supplement: 'Leave',
					},
				],
			}),
		);
		await deliverEvent(s.url, buildTaskUpdatedEvent());
		// flows are not subject to task filters
		await deliverEvent(s.url, buildFlowCreatedEvent());
		expect(s.executions.map((e) => e[0].json.event_type)).toEqual([
			'attendance.user_task.updated_v1',
			'attendance.user_flow.created_v1',
		]);
	});
});

describe('output shape', () => {
	test('flow event item', async () => {
		const h = await host({ credentials: fullCredentials, timezone: 'Europe/Berlin' });
		const env = buildFlowCreatedEvent(
			{
				employee_id: 'emp_9',
				employee_no: 'E0009',
				check_time: '1714957323',
				location_name: 'Berlin Office',
				record_id: 'rec_9',
				is_wifi: true,
				ssid: 'corp',
			},
			{ eventId: 'flow-evt-9', createTime: 1714957324000 },
		);
		await deliverEvent(h.url, env, { encryptKey: ENCRYPT_KEY, verificationToken: TOKEN });
		expect(h.executions).toHaveLength(1);
		const items = h.executions[0];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			event_type: 'attendance.user_flow.created_v1',
			event_id: 'flow-evt-9',
			create_time: '1714957324000',
			create_time_iso: '2024-05-06T03:02:04+02:00',
			employee_id: 'emp_9',
			employee_no: 'E0009',
			check_time: '1714957323',
			check_time_iso: '2024-05-06T03:02:03+02:00',
			check_time_unix: 1714957323,
			location_name: 'Berlin Office',
			record_id: 'rec_9',
			is_wifi: true,
			ssid: 'corp',
			tenant_key: 'tenant_emulator',
			raw: {
				schema: '2.0',
				header: { event_id: 'flow-evt-9', token: '[redacted]' },
				event: { record_id: 'rec_9' },
			},
		});
		expect(JSON.stringify(items[0].json)).not.toContain(TOKEN);
	});

	test('task update item', async () => {
		const h = await host({ timezone: 'Asia/Shanghai' });
		const env = buildTaskUpdatedEvent(
			{
				employee_id: 'emp_3',
				employee_no: 'E0003',
				date: 20240506,
				status_changes: [
					{
						index: 1,
						before_status: 'Lack',
						current_status: 'Late',
						before_supplement: 'None',
						current_supplement: 'None',
						work_type: 'on',
					},
					{
						index: 2,
						before_status: 'Normal',
						current_status: 'Normal',
						before_supplement: 'None',
						current_supplement: 'Leave',
						work_type: 'off',
					},
				],
			},
			{ eventId: 'task-evt-3', createTime: 1714957324000 },
		);
		await deliverEvent(h.url, env);
		expect(h.executions[0][0].json).toMatchObject({
			event_type: 'attendance.user_task.updated_v1',
			event_id: 'task-evt-3',
			create_time_iso: '2024-05-06T09:02:04+08:00',
			employee_id: 'emp_3',
			date: 20240506,
			date_iso: '2024-05-06',
			group_id: expect.any(String),
			shift_id: expect.any(String),
			changed_statuses: ['Late'],
			status_changes: [
				{
					index: 1,
					before_status: 'Lack',
					current_status: 'Late',
					status_changed: true,
					supplement_changed: false,
					work_type: 'on',
				},
				{
					index: 2,
					before_status: 'Normal',
					current_status: 'Normal',
					current_supplement: 'Leave',
					status_changed: false,
					supplement_changed: true,
					work_type: 'off',
				},
			],
		});
	});
});

describe('Timezone option: the zone of the ISO times', () => {
	const createTime = Date.UTC(2024, 4, 6, 1, 2, 4); // 09:02:04 in Shanghai, 03:02:04 in Berlin
	const flow = () =>
		buildFlowCreatedEvent({ check_time: String(createTime / 1000) }, { createTime });
	const task = (time_zone?: string) =>
		buildTaskUpdatedEvent(time_zone === undefined ? {} : { time_zone }, { createTime });
	const isoTimes = (h: Host) =>
		h.executions.map((e) => [e[0].json.create_time_iso, e[0].json.check_time_iso ?? null]);

	test("default: the event's own zone when it carries one, else the workflow's", async () => {
		const h = await host({ timezone: 'Europe/Berlin' });
		await deliverEvent(h.url, task()); // carries Asia/Shanghai
		await deliverEvent(h.url, flow()); // carries none
		await deliverEvent(h.url, task('Mars/Olympus')); // an unknown zone is not used
		expect(isoTimes(h)).toEqual([
			['2024-05-06T09:02:04+08:00', null],
			['2024-05-06T03:02:04+02:00', '2024-05-06T03:02:04+02:00'],
			['2024-05-06T03:02:04+02:00', null],
		]);
	});

	test("Workflow's Timezone or a zone from the list", async () => {
		const wf = await host({
			timezone: 'Europe/Berlin',
			parameters: { events: ['*'], options: { timezone: 'workflow' } },
		});
		await deliverEvent(wf.url, task());
		expect(isoTimes(wf)).toEqual([['2024-05-06T03:02:04+02:00', null]]);

		const tokyo = await host({
			timezone: 'Europe/Berlin',
			parameters: { events: ['*'], options: { timezone: 'Asia/Tokyo' } },
		});
		await deliverEvent(tokyo.url, task());
		await deliverEvent(tokyo.url, flow());
		expect(isoTimes(tokyo)).toEqual([
			['2024-05-06T10:02:04+09:00', null],
			['2024-05-06T10:02:04+09:00', '2024-05-06T10:02:04+09:00'],
		]);
	});

	test('an unknown zone fails the request and does not mark the event as processed', async () => {
		const h = await host({ parameters: { events: ['*'], options: { timezone: 'Asia/Nowhere' } } });
		const refused = await deliverEvent(h.url, flow());
		expect(refused.status).toBe(500);
		expect(JSON.stringify(refused.body)).toMatch(
			/The timezone \W*Asia\/Nowhere\W* is not a valid IANA time zone/,
		);
		expect(h.executions).toHaveLength(0);
		const remembered = (x: Host) =>
			(x.staticData()['node:Feishu Attendance Trigger'] as IDataObject | undefined)?.[
				STATIC_DATA_KEY
			];
		expect(remembered(h)).toBeUndefined();
		// (with a valid zone the same delivery is remembered)
		const fine = await host({ parameters: { events: ['*'], options: { timezone: 'UTC' } } });
		await deliverEvent(fine.url, flow());
		expect(fine.executions).toHaveLength(1);
		expect(remembered(fine)).toHaveLength(1);
	});

	test('the option lists the zones (loaded when opened), first the two defaults', async () => {
		const trigger = new FeishuAttendanceTrigger();
		const options = trigger.description.properties.find((p) => p.name === 'options')!;
		const timezone = (
			options.options as Array<{
				name: string;
				default?: unknown;
				typeOptions?: { loadOptionsMethod?: string };
			}>
		).find((o) => o.name === 'timezone')!;
		expect(timezone.default).toBe('');
		const method = timezone.typeOptions!.loadOptionsMethod!;
		const list = await trigger.methods.loadOptions[method as 'getTimeZones'].call(
			{} as ILoadOptionsFunctions,
		);
		const values = list.map((o) => o.value as string);
		expect(values.slice(0, 2)).toEqual(['', 'workflow']);
		expect(values).toEqual(expect.arrayContaining(['Asia/Shanghai', 'Europe/Berlin', 'UTC']));
		expect(values.length).toBeGreaterThan(300);
		expect([...values.slice(2)].sort()).toEqual(values.slice(2));
	});
});

describe('node description', () => {
	const root = join(__dirname, '..', '..');
	const readmeAnchors = () =>
		readFileSync(join(root, 'README.md'), 'utf8')
			.split('\n')
			.filter((line) => /^#{1,6} /.test(line))
			// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens
			.map((line) =>
				line
					.replace(/^#+ /, '')
					.trim()
					.toLowerCase()
					.replace(/[^\p{L}\p{N} _-]/gu, '')
					.replace(/ /g, '-'),
			);

	test("both nodes' Docs links point to headings the README has (the trigger's to its own section)", () => {
		const anchors = readmeAnchors();
		const links = (file: string) => {
			const codex = JSON.parse(readFileSync(join(root, file), 'utf8')) as {
				resources: Record<string, Array<{ url: string }>>;
			};
			return Object.values(codex.resources)
				.flat()
				.map((r) => r.url);
		};
		const trigger = links('nodes/FeishuAttendanceTrigger/FeishuAttendanceTrigger.node.json');
		const action = links('nodes/FeishuAttendance/FeishuAttendance.node.json');
		expect(trigger).toContain(
			'https://github.com/n8n-nodes-feishu-attendance/n8n-nodes-feishu-attendance#trigger',
		);
		for (const url of [...trigger, ...action]) {
			const anchor = url.split('#')[1];
			expect({ url, found: anchors.includes(anchor) }).toEqual({ url, found: true });
		}
	});

	test("the notice uses the console's words; the description reads right on the nodes panel entry both nodes share", () => {
		const { description } = new FeishuAttendanceTrigger();
		const notice = String(description.properties.find((p) => p.name === 'notice')!.displayName);
		expect(notice).toContain('Events & Callbacks → Request URL');
		expect(notice).not.toContain('Event Subscriptions');
		// n8n's nodes panel merges "X" and "X Trigger" into one entry and shows the trigger's description on it.
		expect(description.description).toMatch(/punch records/i);
		expect(description.description).toMatch(/start workflows on punches/i);
		// every resource of the Feishu Attendance node is named on the entry both share
		for (const words of [
			/statistics/,
			/leave/,
			/overtime/,
			/trips/,
			/remedies/,
			/schedules/,
			/shifts/,
			/groups/,
			/results/,
		]) {
			expect(description.description).toMatch(words);
		}
		const employeeIds = description.properties.find((p) => p.name === 'employeeIds')!;
		expect(employeeIds.description).toContain('Employee ID Type');
	});

	test('webhook, group, credential and icons', () => {
		const { description } = new FeishuAttendanceTrigger();
		expect(description.name).toBe('feishuAttendanceTrigger');
		expect(description.displayName).toBe('Feishu Attendance Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		]);
		expect(description.credentials).toEqual([{ name: 'feishuAttendanceApi', required: false }]);
		expect(description.icon).toEqual({
			light: 'file:feishuAttendanceTrigger.svg',
			dark: 'file:feishuAttendanceTrigger.dark.svg',
		});
		const events = description.properties.find((p) => p.name === 'events')!;
		expect(events.options!.map((o) => (o as { value: string }).value).sort()).toEqual([
			'*',
			'attendance.user_flow.created_v1',
			'attendance.user_task.updated_v1',
			'leave_approval',
			'out_approval',
			'remedy_approval',
			'shift_approval',
			'trip_approval',
			'work_approval',
		]);
		// sorted by name, as n8n lists options
		const names = events.options!.map((o) => o.name);
		expect(names).toEqual([...names].sort());
	});
});

// ---------------------------------------------------------------------------------------------
// Feishu Approval's attendance events
// ---------------------------------------------------------------------------------------------
describe('approval events', () => {
	const ALL_APPROVALS = [
		'leave_approval',
		'work_approval',
		'out_approval',
		'shift_approval',
		'remedy_approval',
		'trip_approval',
	];
	const options = { encryptKey: ENCRYPT_KEY, verificationToken: TOKEN };
	const only = (item: INodeExecutionData[]) => item[0].json;

	test('each approval event, encrypted and signed, becomes one item with who, what, from/to in the zone, status and instance', async () => {
		const h = await host({
			credentials: fullCredentials,
			parameters: { events: ALL_APPROVALS },
			timezone: 'Asia/Shanghai',
		});
		const send = async (envelope: Parameters<typeof deliverEvent>[1]) =>
			expect((await deliverEvent(h.url, envelope, options)).status).toBe(200);

		await send(buildV1Event('leave_approval', APPROVAL_SAMPLES.leave_approval('LEAVE-1')));
		await send(buildV1Event('work_approval', APPROVAL_SAMPLES.work_approval('WORK-1')));
		await send(buildV1Event('out_approval', APPROVAL_SAMPLES.out_approval('OUT-1')));
		await send(buildV1Event('shift_approval', APPROVAL_SAMPLES.shift_approval('SHIFT-1')));
		await send(buildApprovalGroupEvent('remedy', REMEDY_GROUP_OBJECT('REMEDY-1')));
		await send(buildApprovalGroupEvent('trip', TRIP_GROUP_OBJECT('TRIP-1')));
		const items = h.executions.map(only);
		expect(
			items.map((i) => [
				i.approval_type,
				i.status,
				i.employee_id,
				i.instance_code,
				i.from_iso,
				i.to_iso,
			]),
		).toEqual([
			[
				'leave',
				'approved',
				'emp0001',
				'LEAVE-1',
				'2026-11-23T09:00:00+08:00',
				'2026-11-23T18:00:00+08:00',
			],
			[
				'overtime',
				'approved',
				'emp0002',
				'WORK-1',
				'2026-11-23T19:00:00+08:00',
				'2026-11-23T21:00:00+08:00',
			],
			[
				'out',
				'approved',
				'emp0003',
				'OUT-1',
				'2026-11-23T14:00:00+08:00',
				'2026-11-23T17:00:00+08:00',
			],
			[
				'shift_swap',
				'approved',
				'emp0004',
				'SHIFT-1',
				'2026-11-24T09:00:00+08:00',
				'2026-11-26T09:00:00+08:00',
			],
			// remedy_time of the v4 event is in milliseconds: 1795654800000 = 2026-11-26T09:00:00+08:00
			[
				'remedy',
				'approved',
				'emp0005',
				'REMEDY-1',
				'2026-11-26T09:00:00+08:00',
				'2026-11-26T09:00:00+08:00',
			],
			[
				'trip',
				'approved',
				'emp0006',
				'TRIP-1',
				'2026-11-25T00:00:00+08:00',
				'2026-11-26T00:00:00+08:00',
			],
		]);
		expect(items[0]).toMatchObject({
			type_name: 'Annual Leave',
			reason: 'Family',
			duration_seconds: 32400,
			approval_code: expect.any(String),
			approved_at_iso: '2026-11-20T08:01:00+08:00',
		});
		expect(items[2]).toMatchObject({ type_name: 'Client visit', open_id: 'ou_emp0003' });
		expect(items[5]).toMatchObject({ open_id: 'ou_emp0006', reason: 'Customer' });
		expect(JSON.stringify(items)).not.toContain(TOKEN);
		expect(items[0].raw).toMatchObject({ token: '[redacted]', type: 'event_callback' });
	});

	test('an approved leave arrives twice (leave_approval and leave_approvalV2): one item; the revocation is another', async () => {
		const h = await host({
			credentials: fullCredentials,
			parameters: { events: ['leave_approval'] },
		});
		await deliverEvent(
			h.url,
			buildV1Event('leave_approvalV2', APPROVAL_SAMPLES.leave_approvalV2('LEAVE-2')),
			options,
		);
		const second = await deliverEvent(
			h.url,
			buildV1Event('leave_approval', APPROVAL_SAMPLES.leave_approval('LEAVE-2')),
			options,
		);
		expect(second.json).toEqual({ message: 'Duplicate delivery; already processed' });
		const revert = buildV1Event(
			'leave_approval_revert',
			APPROVAL_SAMPLES.leave_approval_revert('LEAVE-2'),
		);
		await deliverEvent(h.url, revert, options);
		// Feishu retries the revocation (same uuid): nothing more
		await deliverEvent(h.url, revert, options);
		const items = h.executions.map(only);
		expect(items.map((i) => [i.event_type, i.status, i.instance_code])).toEqual([
			['leave_approvalV2', 'approved', 'LEAVE-2'],
			['leave_approval_revert', 'revoked', 'LEAVE-2'],
		]);
		// V2 gives the leave's name through i18n_resources (as text, the way Feishu's sample shows it)
		expect(items[0]).toMatchObject({ type_name: 'Annual Leave', employee_id: 'emp0001' });
		expect(items[1]).toMatchObject({ revoked_at_iso: '2026-11-21T08:00:00+08:00' });
	});

	test('both readings of the remedy and trip events: schema 2.0 with event.object, schema 1.0 with event.type; the older remedy_approval', async () => {
		const h = await host({ parameters: { events: ['remedy_approval', 'trip_approval'] } });
		await deliverEvent(h.url, buildApprovalGroupEvent('remedy', REMEDY_GROUP_OBJECT('R-A')));
		await deliverEvent(
			h.url,
			buildV1Event('approval.instance.remedy_group_update_v4', {
				object: REMEDY_GROUP_OBJECT('R-B'),
			}),
		);
		await deliverEvent(
			h.url,
			buildV1Event('remedy_approval', APPROVAL_SAMPLES.remedy_approval('R-C')),
		);
		await deliverEvent(
			h.url,
			buildV1Event('approval.instance.trip_group_update_v4', { object: TRIP_GROUP_OBJECT('T-B') }),
		);
		await deliverEvent(h.url, buildV1Event('trip_approval', APPROVAL_SAMPLES.trip_approval('T-C')));
		const items = h.executions.map(only);
		expect(items.map((i) => [i.approval_type, i.instance_code, i.employee_id, i.from_iso])).toEqual(
			[
				['remedy', 'R-A', 'emp0005', '2026-11-26T09:00:00+08:00'],
				['remedy', 'R-B', 'emp0005', '2026-11-26T09:00:00+08:00'],
				['remedy', 'R-C', 'emp0005', '2026-11-20T09:00:00+08:00'],
				['trip', 'T-B', 'emp0006', '2026-11-25T00:00:00+08:00'],
				['trip', 'T-C', 'emp0006', '2026-11-25T00:00:00+08:00'],
			],
		);
		// the older trip event: first start and last end over its schedules
		expect(items[4]).toMatchObject({
			to_iso: '2026-11-27T00:00:00+08:00',
			duration_seconds: 172800,
		});
	});

	test('selection and filters: unselected approval events and other employees start nothing; "Any Attendance Event" is not an approval', async () => {
		const any = await host({ parameters: { events: ['*'] } });
		expect(
			(
				await deliverEvent(
					any.url,
					buildV1Event('work_approval', APPROVAL_SAMPLES.work_approval('W-9')),
				)
			).json,
		).toEqual({
			message: 'Event type not selected in the trigger; ignored',
		});
		const filtered = await host({
			parameters: {
				events: ['work_approval'],
				employeeIds: 'emp0001',
				employeeIdType: 'employee_id',
			},
		});
		expect(
			(
				await deliverEvent(
					filtered.url,
					buildV1Event('work_approval', APPROVAL_SAMPLES.work_approval('W-9')),
				)
			).json,
		).toEqual({
			message: 'Employee not selected in the trigger; ignored',
		});
		await deliverEvent(
			filtered.url,
			buildV1Event('work_approval', {
				...APPROVAL_SAMPLES.work_approval('W-10'),
				employee_id: 'emp0001',
			}),
		);
		expect(any.executions).toHaveLength(0);
		expect(filtered.executions.map((e) => e[0].json.instance_code)).toEqual(['W-10']);
	});

	test('Timezone option: the wall times are read and shown in the chosen zone', async () => {
		const h = await host({
			parameters: { events: ['leave_approval'], options: { timezone: 'Europe/Berlin' } },
		});
		await deliverEvent(
			h.url,
			buildV1Event('leave_approval', APPROVAL_SAMPLES.leave_approval('L-Z')),
		);
		expect(h.executions[0][0].json).toMatchObject({
			from: '2026-11-23 09:00:00',
			from_iso: '2026-11-23T09:00:00+01:00',
		});
	});
});
