import type { IDataObject } from 'n8n-workflow';

/** What a call to Feishu is (method, path, body, whether it may be sent twice), what comes back, and the client's settings. */

export const ATTENDANCE_PATH = '/open-apis/attendance/v1';

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
	if (
		decoded.split('/').some((segment) => segment === '.' || segment === '..') ||
		/[\\\s]/.test(decoded)
	)
		return undefined;
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
	/**
	 * JSON body. Feishu documents some reads as GET with a JSON body (leave_employ_expire_records,
	 * user_settings/query): those are sent through n8n's request helper that keeps a GET's body (see FeishuClient.http).
	 */
	body?: IDataObject;
	/** A file sent as multipart/form-data (files/upload); `body` is then not sent. */
	file?: UploadFile;
	/**
	 * The answer is a file (files/:file_id/download): a success is answered as `data.file` (its bytes) and
	 * `data.mimeType`; a JSON answer (Feishu's envelope of a failure) is judged as any other.
	 */
	fileAnswer?: boolean;
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

/** One file of a multipart/form-data call. */
export interface UploadFile {
	/** the form field, e.g. 'file' */
	field: string;
	fileName: string;
	mimeType: string;
	data: Buffer;
}

/** A multipart/form-data body holding one file (RFC 7578), and its Content-Type with the boundary. */
export function multipartBody(
	file: UploadFile,
	boundary: string,
): { body: Buffer; contentType: string } {
	const safeName = file.fileName.replace(/["\r\n]/g, '_');
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${safeName}"\r\n` +
			`Content-Type: ${file.mimeType}\r\n\r\n`,
		'utf8',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	return {
		body: Buffer.concat([head, file.data, tail]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
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
