import { randomBytes } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	readTokenExpiry,
	resolveBaseUrl,
} from '../../../credentials/FeishuAttendanceApi.credentials';
import { CREDENTIAL_TYPE } from '../../shared/credential';
import type { RawResponse } from './answer';
import { fileAnswer, judge } from './answer';
import { isNetworkError } from './errors';
import type { FailureContext, FeishuErrorOptions } from './failures';
import {
	NOT_REPEATED,
	credentialError,
	feishuError,
	notFeishuError,
	unreachableError,
} from './failures';
import { Pacer } from './pacer';
import type { ClientOptions, FeishuRequest, FeishuResponse } from './request';
import { DEFAULT_CLIENT_OPTIONS, OPEN_APIS_PREFIX, apiPath, multipartBody } from './request';

export { ATTENDANCE_PATH, DEFAULT_CLIENT_OPTIONS, OPEN_APIS_PREFIX, apiPath } from './request';
export type { ClientOptions, FeishuRequest, FeishuResponse, UploadFile } from './request';
export { CREDENTIAL_TYPE };

/**
 * A token this close to its expiry is replaced before it is used: before the first call (see storedToken), and
 * during a run by one call while the others keep using it (see renewalDue). A fifth of the token's lifetime when
 * that is shorter (a test emulator's short tokens); Feishu's are two hours.
 */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;

/** Resends of one call after token rejections (each either waits for or performs one refresh). */
const MAX_TOKEN_RESENDS = 3;

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
/** What the client uses of n8n's context: an execution's, a list search's (methods/listSearch.ts), or a poll's (poll/). */
type FeishuContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

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

	/**
	 * When the token in use expires (from the credential), and its lifetime: whole when this run fetched it, else
	 * what it had left when this run first saw it. The run renews it before it expires, so no call is refused for
	 * an expired token and nothing waits.
	 */
	private tokenExpiry?: { at: number; lifetimeMs: number };

	/** One call is fetching a new token while the others keep using the current one (still valid). */
	private renewing = false;

	/** An expiry a renewal did not move (Feishu answered the same token): not renewed again. */
	private unrenewable?: number;

	/** Every token this run has seen, to keep out of error texts. */
	private readonly tokensSeen = new Set<string>();

	private readonly stats = { calls: 0, retries: 0, rateLimited: 0, tokenRefreshes: 0 };

	constructor(
		private readonly ctx: FeishuContext,
		readonly options: ClientOptions = DEFAULT_CLIENT_OPTIONS,
	) {
		this.pacer = new Pacer(options.requestsPerSecond, options.maxConcurrent);
	}

	get statistics() {
		return { ...this.stats, peakInFlight: this.pacer.peakInFlight, rateCuts: this.pacer.rateCuts };
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
			throw new NodeOperationError(
				this.ctx.getNode(),
				`The path "${String(req.path)}" is not a Feishu Open Platform path`,
				{
					itemIndex: req.itemIndex,
					description: `Use a path below ${OPEN_APIS_PREFIX}, e.g. /open-apis/attendance/v1/shifts/6919358778597097404, without a host, query string or '..'.`,
				},
			);
		}
		if (!this.firstCall) {
			// The first call runs alone unless the stored token is known to be valid: alone, n8n fetches a missing or
			// expired token once instead of once per concurrent call.
			let done!: () => void;
			this.firstCall = new Promise<void>((resolve) => (done = resolve));
			const token = await this.storedToken();
			if (token === 'valid') done();
			const started = Date.now();
			try {
				return await this.send<T>(req, token === 'expired');
			} finally {
				// the first call may have fetched the token: learn its expiry (and lifetime) from the credential
				if (token !== 'valid') await this.learnTokenExpiry(started);
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
			if (forceRefresh) {
				// This call refreshes an expired token for everyone; the others wait for it, then resend.
				this.refreshing = new Promise<void>((resolve) => (finishRefresh = resolve));
			}
			let raw: RawResponse | undefined;
			let failure: unknown;
			await this.shareRate();
			// a refresh goes first: every other call of the run waits for it
			const sentAt = await this.pacer.acquire(endpoint, finishRefresh !== undefined);
			if (this.refreshing && !finishRefresh) {
				// A token refresh started while this call waited for its send slot: sent now, it would carry the
				// expired token and be rejected. Give the slot back and wait for the new token.
				this.pacer.cancel(endpoint, sentAt);
				continue;
			}
			// The token expires soon: this call fetches a new one, the others keep using the current one meanwhile.
			const renewal = !forceRefresh && (await this.renewalDue());
			if (renewal) forceRefresh = true;
			if (forceRefresh) this.stats.tokenRefreshes++;
			const sentWithFreshToken = forceRefresh;
			const fetchedAt = Date.now();
			try {
				this.stats.calls++;
				raw = await this.http(req, forceRefresh);
				if (req.fileAnswer) raw = fileAnswer(raw);
			} catch (error) {
				failure = error ?? new Error('Unknown error');
			} finally {
				this.pacer.release(endpoint);
				if (forceRefresh) await this.learnTokenExpiry(fetchedAt, renewal);
				if (finishRefresh) {
					this.tokenGeneration++;
					this.refreshing = undefined;
					finishRefresh();
				}
			}
			forceRefresh = false;

			if (failure !== undefined) {
				if (!isNetworkError(failure)) {
					// a failed token exchange, mostly: every later call would fail the same way
					this.fatal = credentialError(this.failureContext(), failure, req);
					throw this.fatal;
				}
				if (req.repeatable && transientRetries < this.options.maxRetries) {
					transientRetries++;
					this.stats.retries++;
					await sleep(this.backoff(transientRetries));
					continue;
				}
				const unreachable = unreachableError(this.failureContext(), failure, req, transientRetries);
				// Feishu was never reached in this run: the other calls would only repeat the same wait.
				if (!this.reached) this.fatal = unreachable;
				throw unreachable;
			}

			this.reached = true;
			const verdict = judge(raw!, req);
			switch (verdict.kind) {
				case 'ok':
					return (
						transientRetries > 0 ? { ...verdict.response, resent: true } : verdict.response
					) as FeishuResponse<T>;
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
					if (rateLimitRetries >= this.options.maxRateLimitRetries)
						throw this.errorFor(verdict.response, req);
					rateLimitRetries++;
					// Only this call waits for the reset time; the pacer lowers the endpoint's rate and the other
					// calls keep flowing (a whole-endpoint hold made 2 % of calls answered 429 cost 40 % of the time).
					this.pacer.throttled(endpoint, sentAt, Date.now(), verdict.limit);
					const waitMs =
						verdict.resetSeconds !== undefined
							? Math.min(verdict.resetSeconds, this.options.maxRateLimitWaitSeconds) * 1000 +
								Math.floor(Math.random() * 100)
							: this.backoff(rateLimitRetries);
					await sleep(waitMs);
					continue;
				}
				case 'notFeishu':
					throw notFeishuError(this.failureContext(), verdict.raw, req);
				case 'transient':
					if (req.repeatable && transientRetries < this.options.maxRetries) {
						transientRetries++;
						this.stats.retries++;
						await sleep(this.backoff(transientRetries));
						continue;
					}
					throw this.errorFor(verdict.response, req, {
						note: req.repeatable ? undefined : NOT_REPEATED,
					});
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
		if (req.fileAnswer) {
			options.encoding = 'arraybuffer';
			options.json = false;
		}
		if (req.file) {
			const { body, contentType } = multipartBody(
				req.file,
				`----FeishuAttendance${randomBytes(12).toString('hex')}`,
			);
			options.body = body;
			options.headers = { 'Content-Type': contentType };
		}
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
		if (req.method === 'GET' && req.body !== undefined) {
			// n8n's httpRequest drops the body of every GET (n8n-core 1.x and @n8n/backend-network 2.x: "if GET, delete
			// data"), but Feishu documents leave_employ_expire_records and user_settings/query as GET with a JSON body.
			// n8n's request helper (the request-library options, still in n8n 1.123 and 2.41) keeps it; same
			// credential, same authentication, full response, HTTP errors not thrown. That helper is deprecated in n8n
			// (the linter flags its option type by name), and this is its only use: the two GET reads with a body.
			const legacy: Parameters<FeishuContext['helpers']['requestWithAuthentication']>[1] = {
				method: 'GET',
				uri: options.url,
				qs: req.qs,
				qsStringifyOptions: { arrayFormat: 'repeat' },
				body: req.body,
				json: true,
				resolveWithFullResponse: true,
				simple: false,
				timeout: this.options.timeoutMs,
				headers: options.headers,
				followRedirect: false,
				followAllRedirects: false,
			};
			return (await this.ctx.helpers.requestWithAuthentication.call(
				this.ctx,
				CREDENTIAL_TYPE,
				legacy,
				additional,
			)) as RawResponse;
		}
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
			(credentials) =>
				this.pacer.share(`${resolveBaseUrl(credentials)} ${String(credentials.appId ?? '')}`),
			() => undefined,
		);
		await this.sharing;
	}

	/**
	 * Whether this call should renew the token: it expires within the margin, no renewal or refresh is under way,
	 * and another process has not stored a newer one meanwhile (read back from the credential: queue-mode workers
	 * share it). Marks the renewal as under way when it answers true.
	 */
	private async renewalDue(): Promise<boolean> {
		const expiry = this.tokenExpiry;
		if (!expiry || this.renewing || this.refreshing || expiry.at === this.unrenewable) return false;
		if (Date.now() < expiry.at - this.expiryMargin()) return false;
		this.renewing = true;
		const before = expiry.at;
		await this.learnTokenExpiry();
		if (this.tokenExpiry && this.tokenExpiry.at > before) {
			// renewed by another execution or worker: n8n sends the stored token with every call
			this.renewing = false;
			if (Date.now() < this.tokenExpiry.at - this.expiryMargin()) return false;
			this.renewing = true;
		}
		return true;
	}

	private expiryMargin(): number {
		const lifetime = this.tokenExpiry?.lifetimeMs;
		return lifetime === undefined
			? TOKEN_EXPIRY_MARGIN_MS
			: Math.min(TOKEN_EXPIRY_MARGIN_MS, lifetime / 5);
	}

	/**
	 * Reads the token's expiry back from the credential (n8n stores what the credential's preAuthentication
	 * fetched). `fetchedAt`: this run fetched a token then, so its lifetime is known. `renewal`: the call was a
	 * renewal, which ends here; a renewal that did not move the expiry (Feishu answers the same token until it
	 * has less than 30 minutes left) is not tried again for that token.
	 */
	private async learnTokenExpiry(fetchedAt?: number, renewal = false): Promise<void> {
		const previous = this.tokenExpiry?.at;
		const previousToken = this.credentials?.tenantAccessToken;
		try {
			const credentials = await this.ctx.getCredentials(CREDENTIAL_TYPE);
			this.credentials = credentials;
			const token = credentials.tenantAccessToken;
			if (typeof token === 'string' && token !== '') this.tokensSeen.add(token);
			const at = readTokenExpiry(credentials.tenantAccessTokenExpiresAt);
			if (typeof at !== 'number') {
				this.tokenExpiry = undefined;
			} else if (at !== previous) {
				// fetched by this run: its whole lifetime; else what it had left when this run first saw it
				const seenAt = fetchedAt !== undefined && token !== previousToken ? fetchedAt : Date.now();
				this.tokenExpiry = { at, lifetimeMs: Math.max(0, at - seenAt) };
			}
		} catch {
			// the credential cannot be read back: renew no more, expiry is handled when Feishu refuses the token
			this.tokenExpiry = undefined;
		}
		if (renewal) {
			this.renewing = false;
			if (previous !== undefined && (this.tokenExpiry?.at ?? 0) <= previous)
				this.unrenewable = previous;
		}
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
		const expiresAt = readTokenExpiry(credentials?.tenantAccessTokenExpiresAt);
		const token = credentials?.tenantAccessToken;
		if (typeof token !== 'string' || token === '') return 'unknown';
		// An expiry stored as a number (by an earlier version) breaks n8n 1.x's editor: replace the token now, so
		// the credential is written again with the expiry as text.
		if (expiresAt === 'legacy') return 'expired';
		if (expiresAt === undefined) return 'unknown';
		if (expiresAt - TOKEN_EXPIRY_MARGIN_MS <= Date.now()) return 'expired';
		this.tokenExpiry = { at: expiresAt, lifetimeMs: expiresAt - Date.now() };
		this.tokensSeen.add(token);
		return 'valid';
	}

	/** Credentials are read once per execution for the base URL; n8n itself reads the stored token per call. */
	private async getCredentials(): Promise<ICredentialDataDecryptedObject> {
		if (!this.credentials) this.credentials = await this.ctx.getCredentials(CREDENTIAL_TYPE);
		return this.credentials;
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
		options: FeishuErrorOptions = {},
	): NodeApiError {
		return feishuError(this.failureContext(), response, req, options);
	}

	private failureContext(): FailureContext {
		return { node: this.ctx.getNode(), secrets: this.secrets() };
	}

	private secrets(): string[] {
		const c = this.credentials ?? {};
		return [
			c.appSecret,
			c.tenantAccessToken,
			c.encryptKey,
			c.verificationToken,
			...this.tokensSeen,
		].filter((s): s is string => typeof s === 'string' && s.length > 0);
	}
}
