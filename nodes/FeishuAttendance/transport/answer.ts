import type { IDataObject } from 'n8n-workflow';

import {
	PERMANENT_CODES,
	RATE_LIMIT_CODE,
	TOKEN_INVALID_CODES,
	TRANSIENT_CODES,
	TRANSIENT_MESSAGES,
} from './errors';
import type { FeishuRequest, FeishuResponse } from './request';

/** What n8n hands back for a call (full response, HTTP errors not thrown). */
export interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

type Verdict =
	| { kind: 'ok'; response: FeishuResponse<unknown> }
	| { kind: 'tokenInvalid'; response: FeishuResponse<unknown> }
	| {
			kind: 'rateLimited';
			response: FeishuResponse<unknown>;
			/** x-ogw-ratelimit-reset: seconds until Feishu's window has room */
			resetSeconds?: number;
			/** x-ogw-ratelimit-limit: the window's ceiling */
			limit?: number;
	  }
	| { kind: 'transient'; response: FeishuResponse<unknown> }
	| { kind: 'failed'; response: FeishuResponse<unknown> }
	| { kind: 'notFeishu'; raw: RawResponse };

/**
 * What a raw answer means for the call: success, an invalid token (refresh and resend), a rate limit (with the
 * reset time), a fault worth retrying, a failure, or something that is not Feishu's envelope at all.
 */
export function judge(raw: RawResponse, req: Pick<FeishuRequest, 'acceptCodes'>): Verdict {
	const body = (typeof raw.body === 'object' && raw.body !== null ? raw.body : {}) as IDataObject;
	// Feishu always answers with its envelope { code: number, msg, data }. Anything else below 500 (an HTML
	// page from a proxy, a wrong custom Base URL) is not a success with no data: it is an error that says
	// what came back. 5xx and 429 without the envelope keep their retry and rate-limit handling below.
	if (typeof body.code !== 'number' && raw.statusCode < 500 && raw.statusCode !== 429)
		return { kind: 'notFeishu', raw };
	const code =
		typeof body.code === 'number'
			? body.code
			: Number(body.code ?? (raw.statusCode < 300 ? 0 : -1));
	const logId = header(raw.headers, 'x-tt-logid') ?? header(raw.headers, 'x-request-id');
	const response: FeishuResponse<unknown> = {
		code: Number.isFinite(code) ? code : -1,
		msg:
			typeof body.msg === 'string'
				? body.msg
				: typeof raw.body === 'string'
					? raw.body.slice(0, 300)
					: '',
		data: (body.data ?? {}) as unknown,
		httpStatus: raw.statusCode,
		logId,
	};
	if (TOKEN_INVALID_CODES.has(response.code)) return { kind: 'tokenInvalid', response };
	if (raw.statusCode === 429 || response.code === RATE_LIMIT_CODE) {
		const reset = Number(header(raw.headers, 'x-ogw-ratelimit-reset'));
		const limit = Number(header(raw.headers, 'x-ogw-ratelimit-limit'));
		return {
			kind: 'rateLimited',
			response,
			resetSeconds: Number.isFinite(reset) && reset >= 0 ? reset : undefined,
			limit: Number.isFinite(limit) && limit > 0 ? limit : undefined,
		};
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
	if (response.code === 0 || req.acceptCodes?.includes(response.code))
		return { kind: 'ok', response };
	return { kind: 'failed', response };
}

/**
 * A file answer (FeishuRequest.fileAnswer) as Feishu's envelope: the bytes of a 2xx answer that is not JSON as
 * `data.file`, a JSON answer parsed (a failure's envelope), anything else as it came.
 */
export function fileAnswer(raw: RawResponse): RawResponse {
	const type = header(raw.headers, 'content-type') ?? '';
	const bytes = raw.body instanceof Uint8Array ? raw.body : undefined;
	if (bytes && /json/i.test(type)) {
		try {
			return { ...raw, body: JSON.parse(new TextDecoder().decode(bytes)) as unknown };
		} catch {
			return raw;
		}
	}
	if (bytes && raw.statusCode >= 200 && raw.statusCode < 300) {
		return {
			...raw,
			body: { code: 0, msg: '', data: { file: bytes, mimeType: type.split(';')[0].trim() } },
		};
	}
	return raw;
}

/** An answer body as text (n8n gives text for non-JSON answers; a Buffer or an object otherwise). */
export function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return new TextDecoder().decode(body.subarray(0, 400));
	try {
		return JSON.stringify(body) ?? '';
	} catch {
		return String(body);
	}
}

export function header(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}
