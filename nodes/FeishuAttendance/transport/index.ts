import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { resolveBaseUrl } from '../../../credentials/FeishuAttendanceApi.credentials';
import {
	PERMANENT_CODES,
	RATE_LIMIT_CODE,
	TOKEN_INVALID_CODES,
	TRANSIENT_CODES,
	TRANSIENT_MESSAGES,
	hintFor,
	isNetworkError,
	redact,
} from './errors';
import { CREDENTIAL_TYPE } from '../../shared/credential';
import { Pacer } from './pacer';

export { CREDENTIAL_TYPE };
export const ATTENDANCE_PATH = '/open-apis/attendance/v1';

/** Said when a call that is not safe to send twice failed in a way a retry might have fixed. */
const NOT_REPEATED =
	'The call was not repeated automatically because it is not safe to send twice (it could create duplicates). Check what Feishu stored before running it again.';

/** A stored token this close to its expiry is replaced before the first call (see storedToken). */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;

/** Resends of one call after token rejections (each either waits for or performs one refresh). */
const MAX_TOKEN_RESENDS = 3;

/** The client of each run, keyed by its execution context (see FeishuClient.of). */
const CLIENTS = new WeakMap<IExecuteFunctions, FeishuClient>();

/** Where every path goes: the credential's host, below /open-apis/. */
export const OPEN_APIS_PREFIX = '/open-apis/';

/**
 * The full path of a request: a path below /open-apis/attendance/v1 ('/user_flows/query'), or a full Open
 * Platform path ('/open-apis/contact/v3/users/batch_get_id'). Anything else (another prefix, dot segments,
 * a query or fragment, backslashes, whitespace, '//') is refused with undefined: a call never leaves the
 * credential's host nor the /open-apis/ tree.
 */
export function apiPath(path: string): string | undefined {
	if (typeof path !== 'string' || !path.startsWith('/')) return undefined;
	const full = path.startsWith(OPEN_APIS_PREFIX) ? path : `${ATTENDANCE_PATH}${path}`;
	if (/[?#\\\s]|\/\//.test(full)) return undefined;
	let decoded: string;
	try {
		decoded = decodeURIComponent(full);
	} catch {
		return undefined;
	}
	if (decoded.split('/').some((segment) => segment === '.' || segment === '..') || /[\\\s]/.test(decoded)) return undefined;
	return full;
}

export interface FeishuRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/**
	 * Path below /open-apis/attendance/v1, e.g. '/user_flows/batch_create', or a full path below /open-apis/
	 * (e.g. '/open-apis/contact/v3/users/batch_get_id'); see apiPath.
	 */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/**
	 * Whether sending the call twice is harmless: reads, and writes whose records all carry idempotency
	 * keys. Only such calls are retried after 5xx answers, lost connections and timeouts.
	 */
	repeatable: boolean;
	/** Feishu codes the caller handles itself: answered instead of thrown. */
	acceptCodes?: number[];
	/** Input item the call belongs to (the first one for batched calls), for error messages. */
	itemIndex?: number;
}

export interface FeishuResponse<T = IDataObject> {
	code: number;
	msg: string;
	data: T;
	httpStatus: number;
	logId?: string;
	/**
	 * The call was sent more than once because an earlier send got no usable answer (lost connection, timeout,
	 * server error): Feishu may have processed that earlier send (writes use it to tell their own records apart).
	 */
	resent?: boolean;
}

export interface ClientOptions {
	/**
	 * Calls per second per endpoint, shared by the executions of one n8n process that use the same app (Feishu
	 * allows 50; evenly spaced sends reach Feishu unevenly, and 48 keeps answers of 429 rare: see pacer.ts).
	 */
	requestsPerSecond: number;
	/**
	 * Calls in flight at once within one execution: rate × answer time (48/s × 0.4 s, a far-away n8n), so that the
	 * limit on calls in flight does not lower the rate (with 12, the emulator's 0.15–0.25 s answers already hit it).
	 */
	maxConcurrent: number;
	/** Retries of repeatable calls after transient faults (5xx, lost connection, timeout). */
	maxRetries: number;
	/** Retries after rate-limit answers (429 / 99991400). */
	maxRateLimitRetries: number;
	/** Longest single wait honoured from x-ogw-ratelimit-reset, in seconds. */
	maxRateLimitWaitSeconds: number;
	/** Base of the exponential back-off, in ms. */
	backoffBaseMs: number;
	/** Per-call timeout in ms. */
	timeoutMs: number;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
	requestsPerSecond: 48,
	maxConcurrent: 20,
	maxRetries: 4,
	maxRateLimitRetries: 8,
	maxRateLimitWaitSeconds: 60,
	backoffBaseMs: 500,
	timeoutMs: 30000,
};

interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

type Verdict =
	| { kind: 'ok'; response: FeishuResponse<unknown> }
	| { kind: 'tokenInvalid'; response: FeishuResponse<unknown> }
	| { kind: 'rateLimited'; response: FeishuResponse<unknown>; resetSeconds?: number }
	| { kind: 'transient'; response: FeishuResponse<unknown> }
	| { kind: 'failed'; response: FeishuResponse<unknown> }
	| { kind: 'notFeishu'; raw: RawResponse };

/**
 * The one place that talks to Feishu. Every call goes through n8n's `httpRequestWithAuthentication`
 * (full response, HTTP errors not thrown) and gets, in one place:
 * - token refresh: Feishu answers an expired tenant token with HTTP 400 + 99991663, which n8n does not
 *   treat as expiry (it only reacts to 401). The client resends once with the expirable field blanked,
 *   which makes n8n run the credential's preAuthentication and store the new token in the credential
 *   (shared by all workers). Concurrent calls that hit the same expiry share that one refresh.
 * - pacing (Pacer), 429 / 99991400 handling with x-ogw-ratelimit-reset, bounded back-off retries of
 *   repeatable calls, and mapping of every other failure to a NodeApiError with code, msg, log ID, HTTP
 *   status and an English hint. Tokens and the App Secret never reach an error or an output.
 */
export class FeishuClient {
	readonly pacer: Pacer;

	private credentials?: ICredentialDataDecryptedObject;

	private tokenGeneration = 0;

	private refreshing?: Promise<void>;

	/** The first call runs alone so that n8n fetches the token once, not once per concurrent call. */
	private firstCall?: Promise<void>;

	/** A credential failure (wrong App ID / Secret) ends every later call at once: no retry storm. */
	private fatal?: Error;

	/** Whether the pacer was offered this process's lanes of the app (see shareRate). */
	private sharing?: Promise<void>;

	/** Whether Feishu has answered anything in this run (if not, an unreachable host ends the run). */
	private reached = false;

	private readonly stats = { calls: 0, retries: 0, rateLimited: 0, tokenRefreshes: 0 };

	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly options: ClientOptions = DEFAULT_CLIENT_OPTIONS,
	) {
		this.pacer = new Pacer(options.requestsPerSecond, options.maxConcurrent);
		CLIENTS.set(ctx, this);
	}

	get statistics() {
		return { ...this.stats, peakInFlight: this.pacer.peakInFlight, rateCuts: this.pacer.rateCuts };
	}

	/** The client of this run (the router makes one per execution), for helpers handed only the context. */
	static of(ctx: IExecuteFunctions): FeishuClient | undefined {
		return CLIENTS.get(ctx);
	}

	/**
	 * Resolves once the run's first call has been answered when it runs alone (it may fetch the token), or as soon
	 * as the stored token is known to be valid; at once before any call.
	 */
	async firstCallSettled(): Promise<void> {
		await this.firstCall;
	}

	async request<T = IDataObject>(req: FeishuRequest): Promise<FeishuResponse<T>> {
		if (this.fatal) throw this.fatal;
		if (apiPath(req.path) === undefined) {
			throw new NodeOperationError(this.ctx.getNode(), `The path "${String(req.path)}" is not a Feishu Open Platform path`, {
				itemIndex: req.itemIndex,
				description: `Use a path below ${OPEN_APIS_PREFIX}, e.g. /open-apis/attendance/v1/shifts/6919358778597097404, without a host, query string or '..'.`,
			});
		}
		if (!this.firstCall) {
			// The first call runs alone unless the stored token is known to be valid: alone, n8n fetches a missing or
			// expired token once instead of once per concurrent call.
			let done!: () => void;
			this.firstCall = new Promise<void>((resolve) => (done = resolve));
			const token = await this.storedToken();
			if (token === 'valid') done();
			try {
				return await this.send<T>(req, token === 'expired');
			} finally {
				done();
			}
		}
		await this.firstCall;
		if (this.fatal) throw this.fatal;
		return await this.send<T>(req);
	}

	/** `refreshFirst`: the stored token is known to have expired, fetch a new one with the first send. */
	private async send<T>(req: FeishuRequest, refreshFirst = false): Promise<FeishuResponse<T>> {
		const endpoint = `${req.method} ${req.path.replace(/\/[^/]*\d[^/]*$/, '/:id')}`;
		let transientRetries = 0;
		let rateLimitRetries = 0;
		let tokenResends = 0;
		let forceRefresh = refreshFirst;

		for (;;) {
			if (this.fatal) throw this.fatal;
			if (this.refreshing && !forceRefresh) await this.refreshing;
			const generation = this.tokenGeneration;
			let finishRefresh: (() => void) | undefined;
			const sentWithFreshToken = forceRefresh;
			if (forceRefresh) {
				// This call refreshes the token for everyone; the others wait for it, then resend.
				this.refreshing = new Promise<void>((resolve) => (finishRefresh = resolve));
				this.stats.tokenRefreshes++;
			}
			let raw: RawResponse | undefined;
			let failure: unknown;
			await this.shareRate();
			const sentAt = await this.pacer.acquire(endpoint);
			if (this.refreshing && !finishRefresh) {
				// A token refresh started while this call waited for its send slot: sent now, it would carry the
				// expired token and be rejected. Give the slot back and wait for the new token.
				this.pacer.release();
				continue;
			}
			try {
				this.stats.calls++;
				raw = await this.http(req, forceRefresh);
			} catch (error) {
				failure = error ?? new Error('Unknown error');
			} finally {
				this.pacer.release(endpoint);
				if (finishRefresh) {
					this.tokenGeneration++;
					this.refreshing = undefined;
					finishRefresh();
				}
			}
			forceRefresh = false;

			if (failure !== undefined) {
				if (!isNetworkError(failure)) throw this.credentialOrUnknownError(failure, req);
				if (req.repeatable && transientRetries < this.options.maxRetries) {
					transientRetries++;
					this.stats.retries++;
					await sleep(this.backoff(transientRetries));
					continue;
				}
				throw this.networkFailure(failure, req, transientRetries);
			}

			this.reached = true;
			const verdict = this.judge(raw!, req);
			switch (verdict.kind) {
				case 'ok':
					return (transientRetries > 0 ? { ...verdict.response, resent: true } : verdict.response) as FeishuResponse<T>;
				case 'tokenInvalid':
					// A token this call just fetched itself is rejected too: the credential is broken, stop.
					// Otherwise resend (bounded): after another call's refresh, or after refreshing here.
					if (sentWithFreshToken || tokenResends >= MAX_TOKEN_RESENDS) {
						const error = this.errorFor(verdict.response, req);
						if (sentWithFreshToken) this.fatal = error;
						throw error;
					}
					tokenResends++;
					if (this.refreshing) {
						await this.refreshing;
					} else {
						// Refresh unless another call already did so after this one was sent.
						forceRefresh = this.tokenGeneration === generation;
					}
					continue;
				case 'rateLimited': {
					this.stats.rateLimited++;
					if (rateLimitRetries >= this.options.maxRateLimitRetries) throw this.errorFor(verdict.response, req);
					rateLimitRetries++;
					// Only this call waits for the reset time; the pacer lowers the endpoint's rate and the other
					// calls keep flowing (a whole-endpoint hold made 2 % of calls answered 429 cost 40 % of the time).
					this.pacer.throttled(endpoint, sentAt);
					const waitMs =
						verdict.resetSeconds !== undefined
							? Math.min(verdict.resetSeconds, this.options.maxRateLimitWaitSeconds) * 1000 +
								Math.floor(Math.random() * 100)
							: this.backoff(rateLimitRetries);
					await sleep(waitMs);
					continue;
				}
				case 'notFeishu':
					throw this.notFeishuError(verdict.raw, req);
				case 'transient':
					if (req.repeatable && transientRetries < this.options.maxRetries) {
						transientRetries++;
						this.stats.retries++;
						await sleep(this.backoff(transientRetries));
						continue;
					}
					throw this.errorFor(verdict.response, req, { note: req.repeatable ? undefined : NOT_REPEATED });
				default:
					throw this.errorFor(verdict.response, req);
			}
		}
	}

	private async http(req: FeishuRequest, forceRefresh: boolean): Promise<RawResponse> {
		const credentials = await this.getCredentials();
		const options: IHttpRequestOptions = {
			method: req.method,
			url: `${resolveBaseUrl(credentials)}${apiPath(req.path)}`,
			qs: req.qs,
			body: req.body,
			json: true,
			// repeated query parameters (Feishu's list parameters, e.g. user_ids=a&user_ids=b)
			arrayFormat: 'repeat',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.options.timeoutMs,
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
			// The token goes to the credential's host only: n8n would follow a redirect to another host with the
			// Authorization header. A 3xx is answered as "not a Feishu answer, check the Base URL".
			disableFollowRedirect: true,
		};
		if (req.method === 'GET' || req.body === undefined) delete options.body;
		const additional = forceRefresh
			? {
					credentialsDecrypted: {
						id: '',
						name: CREDENTIAL_TYPE,
						type: CREDENTIAL_TYPE,
						data: { ...credentials, tenantAccessToken: '' },
					},
				}
			: undefined;
		const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx,
			CREDENTIAL_TYPE,
			options,
			additional,
		)) as RawResponse;
		return response;
	}

	/**
	 * Paces this execution together with the others in this n8n process that call the same app (base URL and
	 * App ID): Feishu's limit is the app's. A credential that cannot be read paces alone (the call reports why).
	 */
	private async shareRate(): Promise<void> {
		this.sharing ??= this.getCredentials().then(
			(credentials) => this.pacer.share(`${resolveBaseUrl(credentials)} ${String(credentials.appId ?? '')}`),
			() => undefined,
		);
		await this.sharing;
	}

	/**
	 * What the credential says of its stored token (`tenantAccessTokenExpiresAt` is written with the token by the
	 * credential's preAuthentication): 'expired' when it has expired or expires within a minute (the run's first
	 * call then fetches a new token instead of sending the old one to be refused: a scheduled workflow usually
	 * starts after the 2-hour lifetime), 'valid' when it lives longer (the first call need not run alone), else
	 * 'unknown' (no token yet, or a credential stored before that field existed: the first call runs alone and
	 * finds out from Feishu's answer). A token Feishu refuses before its time is still replaced (99991663).
	 */
	private async storedToken(): Promise<'valid' | 'expired' | 'unknown'> {
		const credentials = await this.getCredentials().catch(() => undefined);
		const expiresAt = Number(credentials?.tenantAccessTokenExpiresAt);
		const token = credentials?.tenantAccessToken;
		if (typeof token !== 'string' || token === '' || !(expiresAt > 0)) return 'unknown';
		return expiresAt - TOKEN_EXPIRY_MARGIN_MS <= Date.now() ? 'expired' : 'valid';
	}

	/** Credentials are read once per execution for the base URL; n8n itself reads the stored token per call. */
	private async getCredentials(): Promise<ICredentialDataDecryptedObject> {
		if (!this.credentials) this.credentials = await this.ctx.getCredentials(CREDENTIAL_TYPE);
		return this.credentials;
	}

	private judge(raw: RawResponse, req: FeishuRequest): Verdict {
		const body = (typeof raw.body === 'object' && raw.body !== null ? raw.body : {}) as IDataObject;
		// Feishu always answers with its envelope { code: number, msg, data }. Anything else below 500 (an HTML
		// page from a proxy, a wrong custom Base URL) is not a success with no data: it is an error that says
		// what came back. 5xx and 429 without the envelope keep their retry and rate-limit handling below.
		if (typeof body.code !== 'number' && raw.statusCode < 500 && raw.statusCode !== 429) return { kind: 'notFeishu', raw };
		const code = typeof body.code === 'number' ? body.code : Number(body.code ?? (raw.statusCode < 300 ? 0 : -1));
		const logId = header(raw.headers, 'x-tt-logid') ?? header(raw.headers, 'x-request-id');
		const response: FeishuResponse<unknown> = {
			code: Number.isFinite(code) ? code : -1,
			msg: typeof body.msg === 'string' ? body.msg : typeof raw.body === 'string' ? raw.body.slice(0, 300) : '',
			data: (body.data ?? {}) as unknown,
			httpStatus: raw.statusCode,
			logId,
		};
		if (TOKEN_INVALID_CODES.has(response.code)) return { kind: 'tokenInvalid', response };
		if (raw.statusCode === 429 || response.code === RATE_LIMIT_CODE) {
			const reset = Number(header(raw.headers, 'x-ogw-ratelimit-reset'));
			return { kind: 'rateLimited', response, resetSeconds: Number.isFinite(reset) && reset >= 0 ? reset : undefined };
		}
		if (response.code === 0 && raw.statusCode < 400) return { kind: 'ok', response };
		// Transient before acceptCodes: a caller accepting 1220600 ('already exists') still gets
		// 'no row affected' (also 1220600) retried.
		if (
			(raw.statusCode >= 500 && !PERMANENT_CODES.has(response.code)) ||
			TRANSIENT_CODES.has(response.code) ||
			TRANSIENT_MESSAGES.some((m) => response.msg.toLowerCase().includes(m))
		) {
			return { kind: 'transient', response };
		}
		if (response.code === 0 || req.acceptCodes?.includes(response.code)) return { kind: 'ok', response };
		return { kind: 'failed', response };
	}

	private backoff(attempt: number): number {
		const base = this.options.backoffBaseMs * 2 ** (attempt - 1);
		return Math.min(10000, Math.round(base * (0.5 + Math.random())));
	}

	/**
	 * The NodeApiError for a Feishu answer: code and msg (redacted), an English hint, HTTP status, log ID,
	 * endpoint and item. Operations use it for answers they accepted (`acceptCodes`) but cannot use.
	 * `subject` names what the answer is about (e.g. 'employee emp0001'); `note` goes before the hint;
	 * `message` replaces the default message (e.g. a reason decoded from msg for one record).
	 */
	errorFor(
		response: FeishuResponse<unknown>,
		req: Pick<FeishuRequest, 'method' | 'path' | 'itemIndex'>,
		{ note, subject, message }: { note?: string; subject?: string; message?: string } = {},
	): NodeApiError {
		const secrets = this.secrets();
		const msg = redact(response.msg, secrets);
		const hint = hintFor(response.code, msg, req.path);
		const details = [`HTTP ${response.httpStatus}`, response.logId ? `log ID ${response.logId}` : undefined]
			.filter(Boolean)
			.join(', ');
		return new NodeApiError(
			this.ctx.getNode(),
			{ code: response.code, msg, httpStatus: response.httpStatus, logId: response.logId ?? null } as JsonObject,
			{
				message: message
					? redact(message, secrets)
					: `Feishu error ${response.code}${subject ? ` for ${subject}` : ''}: ${msg || 'no message'}`,
				description: `${note ? note + ' ' : ''}${hint ? hint + ' ' : ''}(${details}; ${req.method} ${apiPath(req.path) ?? req.path})`,
				httpCode: String(response.httpStatus),
				itemIndex: req.itemIndex,
			},
		);
	}

	/** The error for an answer that is not Feishu's envelope: status, content type, the first characters. */
	private notFeishuError(raw: RawResponse, req: FeishuRequest): NodeApiError {
		const contentType = header(raw.headers, 'content-type')?.split(';')[0].trim() || 'no content type';
		const text = redact(bodyText(raw.body), this.secrets()).replace(/\s+/g, ' ').trim();
		const start = text === '' ? 'an empty body' : `"${text.length > 80 ? `${text.slice(0, 80)}…` : text}"`;
		return new NodeApiError(
			this.ctx.getNode(),
			{ httpStatus: raw.statusCode, contentType, start } as JsonObject,
			{
				message: `The server answered HTTP ${raw.statusCode} (${contentType}) with something that is not a Feishu API answer: ${start}`,
				description: `Check the credential's Base URL (for the Custom platform: the Open Platform host, e.g. https://open.feishu.cn, without /open-apis) and any proxy between n8n and Feishu. (${req.method} ${apiPath(req.path) ?? req.path})`,
				httpCode: String(raw.statusCode),
				itemIndex: req.itemIndex,
			},
		);
	}

	private networkFailure(error: unknown, req: FeishuRequest, retries: number): NodeApiError {
		const message = redact(String((error as Error)?.message ?? error), this.secrets());
		const failure = new NodeApiError(
			this.ctx.getNode(),
			{ message } as JsonObject,
			{
				message: `Could not reach Feishu: ${message}`,
				description: req.repeatable
					? `The call failed after ${retries + 1} attempt(s). Check the network path from n8n to the Feishu host.`
					: NOT_REPEATED,
				itemIndex: req.itemIndex,
			},
		);
		// Feishu was never reached in this run: the other calls would only repeat the same wait.
		if (!this.reached) this.fatal = failure;
		return failure;
	}

	/** An error that is neither a Feishu answer nor a lost connection: mostly a failed token exchange. */
	private credentialOrUnknownError(error: unknown, req: FeishuRequest): NodeOperationError {
		const message = redact(String((error as Error)?.message ?? error), this.secrets());
		const wrapped = new NodeOperationError(this.ctx.getNode(), message, {
			itemIndex: req.itemIndex,
			description:
				'The request to Feishu could not be authenticated. Check the Feishu Attendance API credential (platform, App ID, App Secret).',
		});
		this.fatal = wrapped;
		return wrapped;
	}

	private secrets(): string[] {
		const c = this.credentials ?? {};
		return [c.appSecret, c.tenantAccessToken, c.encryptKey, c.verificationToken].filter(
			(s): s is string => typeof s === 'string' && s.length > 0,
		);
	}
}

/** An answer body as text (n8n gives text for non-JSON answers; a Buffer or an object otherwise). */
function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return new TextDecoder().decode(body.subarray(0, 400));
	try {
		return JSON.stringify(body) ?? '';
	} catch {
		return String(body);
	}
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}
