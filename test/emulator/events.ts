/**
 * Feishu event delivery, emulated: builds attendance event envelopes (schema 2.0) and POSTs them
 * to a URL over real HTTP the way the Feishu Open Platform does (https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/choose-a-subscription-mode/send-notifications-to-developers-server):
 * optional AES-256-CBC encryption with the Encrypt Key, `X-Lark-Signature` over the exact bytes
 * sent, Verification Token in `header.token`, URL verification challenge.
 *
 * Standalone on purpose (no dependency on the rest of the emulator). Test code only.
 */
import { createCipheriv, createHash, randomBytes, randomUUID } from 'crypto';
import http from 'http';
import https from 'https';

export const FLOW_CREATED = 'attendance.user_flow.created_v1';
export const TASK_UPDATED = 'attendance.user_task.updated_v1';

export interface EventEnvelope {
	schema: '2.0';
	header: {
		event_id: string;
		event_type: string;
		/** milliseconds since epoch, as a string (as Feishu sends it) */
		create_time: string;
		token: string;
		app_id: string;
		tenant_key: string;
	};
	event: Record<string, unknown>;
}

export interface HeaderOptions {
	eventId?: string;
	/** ms since epoch; default now */
	createTime?: number;
	/** Verification Token placed in header.token; default '' */
	token?: string;
	appId?: string;
	tenantKey?: string;
}

export interface FlowEventFields {
	employee_id?: string;
	employee_no?: string;
	location_name?: string;
	/** Unix seconds as a string; default now */
	check_time?: string;
	comment?: string;
	record_id?: string;
	ssid?: string;
	bssid?: string;
	is_field?: boolean;
	is_wifi?: boolean;
	type?: number;
	photo_urls?: string[];
	risk_result?: number;
	[key: string]: unknown;
}

export interface StatusChange {
	index?: number | string;
	before_status?: string;
	current_status?: string;
	before_supplement?: string;
	current_supplement?: string;
	work_type?: 'on' | 'off';
	[key: string]: unknown;
}

export interface TaskEventFields {
	employee_id?: string;
	employee_no?: string;
	group_id?: string;
	shift_id?: string;
	/** yyyyMMdd as a number; default today (UTC) */
	date?: number;
	status_changes?: StatusChange[];
	task_id?: string;
	time_zone?: string;
	[key: string]: unknown;
}

function header(eventType: string, options: HeaderOptions = {}): EventEnvelope['header'] {
	return {
		event_id: options.eventId ?? randomUUID().replace(/-/g, ''),
		event_type: eventType,
		create_time: String(options.createTime ?? Date.now()),
		token: options.token ?? '',
		app_id: options.appId ?? 'cli_emulator',
		tenant_key: options.tenantKey ?? 'tenant_emulator',
	};
}

/** `attendance.user_flow.created_v1`: a punch was recorded. */
export function buildFlowCreatedEvent(
	fields: FlowEventFields = {},
	options: HeaderOptions = {},
): EventEnvelope {
	return {
		schema: '2.0',
		header: header(FLOW_CREATED, options),
		event: {
			employee_id: 'emp_0001',
			employee_no: 'E0001',
			location_name: 'HQ Gate 1',
			check_time: String(Math.floor(Date.now() / 1000)),
			comment: '',
			record_id: `rec_${randomBytes(6).toString('hex')}`,
			ssid: '',
			bssid: '',
			is_field: false,
			is_wifi: false,
			type: 0,
			photo_urls: [],
			risk_result: 0,
			...fields,
		},
	};
}

/** `attendance.user_task.updated_v1`: an attendance result (task status) changed. */
export function buildTaskUpdatedEvent(
	fields: TaskEventFields = {},
	options: HeaderOptions = {},
): EventEnvelope {
	const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
	return {
		schema: '2.0',
		header: header(TASK_UPDATED, options),
		event: {
			employee_id: 'emp_0001',
			employee_no: 'E0001',
			group_id: '6737202939523236110',
			shift_id: '6737202939523236113',
			date: Number(today),
			task_id: `task_${randomBytes(6).toString('hex')}`,
			time_zone: 'Asia/Shanghai',
			status_changes: [
				{
					index: 0,
					before_status: 'Lack',
					current_status: 'Normal',
					before_supplement: 'None',
					current_supplement: 'None',
					work_type: 'on',
				},
			],
			...fields,
		},
	};
}

// ---------------------------------------------------------------- Feishu Approval's attendance events

/**
 * Schema 1.0 envelope (`type: event_callback`, the event type in `event.type`), as Feishu documents the approval
 * events leave_approval(V2)/_revert, work_approval(_revert), out_approval(_revert), shift_approval, remedy_approval,
 * trip_approval (https://open.feishu.cn/document/server-docs/approval-v4/event/special-event/leave and siblings).
 */
export interface EventV1Envelope {
	ts: string;
	uuid: string;
	token: string;
	type: 'event_callback';
	event: Record<string, unknown>;
}

export interface V1Options {
	uuid?: string;
	/** seconds with a fraction, as a string; default now */
	ts?: string;
	token?: string;
}

export const APPROVAL_CODE = '59558CEE-CEF4-45C9-1234-UVDE8BEC1234';

/** A schema 1.0 event of `type` with `fields` in `event` (app_id, tenant_key and type added). */
export function buildV1Event(
	type: string,
	fields: Record<string, unknown>,
	options: V1Options = {},
): EventV1Envelope {
	return {
		ts: options.ts ?? (Date.now() / 1000).toFixed(7),
		uuid: options.uuid ?? randomUUID().replace(/-/g, ''),
		token: options.token ?? '',
		type: 'event_callback',
		event: { app_id: 'cli_emulator', tenant_key: 'tenant_emulator', ...fields, type },
	};
}

/** The fields of each approval as Feishu's samples show them (one instance; override any field). */
export const APPROVAL_SAMPLES = {
	leave_approval: (instance: string) => ({
		approval_code: APPROVAL_CODE,
		instance_code: instance,
		employee_id: 'emp0001',
		open_id: 'ou_emp0001',
		start_time: 1795132800,
		end_time: 1795132860,
		leave_type: 'Annual Leave',
		leave_start_time: '2026-11-23 09:00:00',
		leave_end_time: '2026-11-23 18:00:00',
		leave_interval: 32400,
		leave_unit: 1,
		leave_reason: 'Family',
	}),
	leave_approvalV2: (instance: string) => ({
		approval_code: APPROVAL_CODE,
		instance_code: instance,
		user_id: 'emp0001',
		open_id: 'ou_emp0001',
		start_time: 1795132800,
		end_time: 1795132860,
		i18n_resources:
			'[{is_default=true,locale=en_us,texts={@i18n@7276381556766212099=Annual Leave}}]',
		leave_name: '@i18n@7276381556766212099',
		leave_start_time: '2026-11-23 09:00:00',
		leave_end_time: '2026-11-23 18:00:00',
		leave_interval: 32400,
		leave_unit: 'DAY',
		leave_reason: 'Family',
		origin_instance_code: '',
	}),
	leave_approval_revert: (instance: string) => ({
		approval_code: APPROVAL_CODE,
		instance_code: instance,
		operate_time: 1795219200,
	}),
	work_approval: (instance: string) => ({
		instance_code: instance,
		employee_id: 'emp0002',
		start_time: 1795132800,
		end_time: 1795132860,
		work_type: 'Weekday',
		work_start_time: '2026-11-23 19:00:00',
		work_end_time: '2026-11-23 21:00:00',
		work_interval: 7200,
		work_reason: 'Release',
	}),
	work_approval_revert: (instance: string) => ({
		instance_code: instance,
		operate_time: 1795219200,
	}),
	out_approval: (instance: string) => ({
		approval_code: APPROVAL_CODE,
		instance_code: instance,
		user_id: 'emp0003',
		open_id: 'ou_emp0003',
		i18n_resources: [{ locale: 'en_us', is_default: true, texts: { '@i18n@55': 'Client visit' } }],
		out_name: '@i18n@55',
		out_start_time: '2026-11-23 14:00:00',
		out_end_time: '2026-11-23 17:00:00',
		out_interval: 10800,
		out_unit: 'HOUR',
		out_reason: 'Client',
		start_time: 1795132800,
		end_time: 1795132860,
	}),
	shift_approval: (instance: string) => ({
		instance_code: instance,
		employee_id: 'emp0004',
		start_time: 1795132800,
		end_time: 1795132860,
		shift_time: '2026-11-24 09:00:00',
		return_time: '2026-11-26 09:00:00',
		shift_reason: 'Swap with a colleague',
	}),
	remedy_approval: (instance: string) => ({
		instance_code: instance,
		employee_id: 'emp0005',
		start_time: 1795132800,
		end_time: 1795132860,
		remedy_time: '2026-11-20 09:00:00',
		remedy_reason: 'Forgot to punch',
	}),
	trip_approval: (instance: string) => ({
		instance_code: instance,
		employee_id: 'emp0006',
		start_time: 1795132800,
		end_time: 1795132860,
		trip_interval: 172800,
		trip_reason: 'Customer',
		trip_peers: [],
		schedules: [
			{
				trip_start_time: '2026-11-25 00:00:00',
				trip_end_time: '2026-11-26 00:00:00',
				departure: 'Shanghai',
				destination: 'Beijing',
				transportation: 'Train',
				trip_type: 'Round trip',
			},
			{
				trip_start_time: '2026-11-26 00:00:00',
				trip_end_time: '2026-11-27 00:00:00',
				departure: 'Beijing',
				destination: 'Shanghai',
				transportation: 'Train',
				trip_type: 'Round trip',
			},
		],
	}),
} as const;

/** The remedy and trip events as documented: schema 2.0, the approval under `event.object`. */
export function buildApprovalGroupEvent(
	kind: 'remedy' | 'trip',
	object: Record<string, unknown>,
	options: HeaderOptions = {},
): EventEnvelope {
	const eventType =
		kind === 'remedy'
			? 'approval.instance.remedy_group_update_v4'
			: 'approval.instance.trip_group_update_v4';
	return { schema: '2.0', header: header(eventType, options), event: { object } };
}

export const REMEDY_GROUP_OBJECT = (instance: string) => ({
	type: 'remedy_approval_v2',
	instance_code: instance,
	employee_id: 'emp0005',
	start_time: 1795132800,
	end_time: 1795132860,
	remedy_time: 1795654800000,
	remedy_reason: 'Forgot to punch',
	status: 'APPROVED',
});

export const TRIP_GROUP_OBJECT = (instance: string) => ({
	instance_code: instance,
	start_time: 1795132800,
	end_time: 1795132860,
	trip_interval: '86400',
	trip_reason: 'Customer',
	type: 'APPROVED',
	start_user: { id: { user_id: 'emp0006', open_id: 'ou_emp0006' } },
	trip_peers: [],
	schedules: [
		{
			trip_start_time: '2026-11-25 00:00:00',
			trip_end_time: '2026-11-26 00:00:00',
			departure: 'Shanghai',
			destination: 'Beijing',
			trip_interval: '86400',
			trip_type: 'One way',
		},
	],
});

/** AES-256-CBC, key = SHA-256(encryptKey), random IV prepended, PKCS#7, base64. */
export function encryptPayload(
	plain: string,
	encryptKey: string,
	iv: Buffer = randomBytes(16),
): string {
	const key = createHash('sha256').update(encryptKey, 'utf8').digest();
	const cipher = createCipheriv('aes-256-cbc', key, iv);
	return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/** sha256 hex of timestamp + nonce + encryptKey + body bytes. */
export function signBody(
	timestamp: string,
	nonce: string,
	encryptKey: string,
	body: Buffer | string,
): string {
	return createHash('sha256')
		.update(`${timestamp}${nonce}${encryptKey}`, 'utf8')
		.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
		.digest('hex');
}

export interface DeliverOptions {
	/** Encrypt the body as {"encrypt": "..."} (Feishu does this when an Encrypt Key is configured). */
	encryptKey?: string;
	/** Put this Verification Token into the envelope (header.token / token) before sending. */
	verificationToken?: string;
	/** Add X-Lark-* signature headers; default true when encryptKey is set. */
	sign?: boolean;
	/** Send a wrong signature. */
	badSignature?: boolean;
	/** X-Lark-Request-Timestamp in Unix seconds; default now. */
	timestamp?: number | string;
	nonce?: string;
	/** Extra / overriding request headers. */
	headers?: Record<string, string>;
	/** Exact body text to send instead of JSON.stringify (e.g. to test odd whitespace). */
	rawBody?: string;
	/** Request timeout in ms; default 10000. */
	timeoutMs?: number;
}

export interface DeliveryResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** Response body text */
	body: string;
	/** Parsed JSON response, if the body was JSON */
	json?: unknown;
	/** The exact bytes that were sent */
	sentBody: string;
	sentHeaders: Record<string, string>;
}

function post(
	url: string,
	body: string,
	headers: Record<string, string>,
	timeoutMs: number,
): Promise<DeliveryResult> {
	const target = new URL(url);
	const client = target.protocol === 'https:' ? https : http;
	const bytes = Buffer.from(body, 'utf8');
	const sentHeaders = {
		'Content-Type': 'application/json; charset=utf-8',
		'User-Agent': 'Feishu-Event-Emulator/1.0',
		...headers,
		'Content-Length': String(bytes.length),
	};
	return new Promise((resolve, reject) => {
		const req = client.request(
			target,
			{ method: 'POST', headers: sentHeaders, timeout: timeoutMs },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = text === '' ? undefined : JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: text,
						json,
						sentBody: body,
						sentHeaders,
					});
				});
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`Event delivery to ${url} timed out`)));
		req.on('error', reject);
		req.end(bytes);
	});
}

function withToken(
	payload: Record<string, unknown>,
	token: string | undefined,
): Record<string, unknown> {
	if (token === undefined) return payload;
	const copy = { ...payload };
	if (typeof copy.header === 'object' && copy.header !== null) {
		copy.header = { ...(copy.header as Record<string, unknown>), token };
	} else {
		copy.token = token;
	}
	return copy;
}

/** Serialises, optionally encrypts and signs, and POSTs one payload. */
async function deliver(
	url: string,
	payload: Record<string, unknown>,
	options: DeliverOptions,
	signByDefault: boolean,
): Promise<DeliveryResult> {
	const plain = JSON.stringify(withToken(payload, options.verificationToken));
	const body =
		options.rawBody ??
		(options.encryptKey
			? JSON.stringify({ encrypt: encryptPayload(plain, options.encryptKey) })
			: plain);
	const headers: Record<string, string> = {};
	const shouldSign = options.sign ?? (signByDefault && Boolean(options.encryptKey));
	if (shouldSign || options.badSignature) {
		const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
		const nonce = options.nonce ?? randomBytes(8).toString('hex');
		const signature = signBody(timestamp, nonce, options.encryptKey ?? '', body);
		headers['X-Lark-Request-Timestamp'] = timestamp;
		headers['X-Lark-Request-Nonce'] = nonce;
		headers['X-Lark-Signature'] = options.badSignature
			? signature.replace(/^./, (c) => (c === '0' ? '1' : '0'))
			: signature;
	}
	return await post(url, body, { ...headers, ...options.headers }, options.timeoutMs ?? 10000);
}

/** Delivers an event envelope as Feishu does (encrypted + signed when encryptKey is given). */
export async function deliverEvent(
	url: string,
	envelope: EventEnvelope | EventV1Envelope | Record<string, unknown>,
	options: DeliverOptions = {},
): Promise<DeliveryResult> {
	return await deliver(url, envelope as Record<string, unknown>, options, true);
}

export interface ChallengeOptions extends DeliverOptions {
	challenge?: string;
}

/**
 * The URL verification request sent when the Request URL is saved in the console:
 * {"challenge","token","type":"url_verification"}, encrypted when encryptKey is given, not signed
 * unless `sign: true`. The endpoint must answer {"challenge": "<same>"} within 1 second.
 */
export async function deliverChallenge(
	url: string,
	options: ChallengeOptions = {},
): Promise<DeliveryResult & { challenge: string; answeredCorrectly: boolean }> {
	const challenge = options.challenge ?? randomUUID();
	const result = await deliver(
		url,
		{ challenge, token: options.verificationToken ?? '', type: 'url_verification' },
		{ ...options, verificationToken: undefined },
		false,
	);
	const answer = result.json as { challenge?: unknown } | undefined;
	return {
		...result,
		challenge,
		answeredCorrectly: result.status === 200 && answer?.challenge === challenge,
	};
}
