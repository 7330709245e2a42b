import type { IDataObject } from 'n8n-workflow';

import { decryptEncryptField, isValidSignature, safeEqual } from './crypto';

/**
 * Turns one HTTP delivery from Feishu into a verdict: refuse it, answer a URL-verification
 * challenge, or hand over a verified event envelope. Pure: the caller passes the raw body, the
 * headers, the clock and the security settings (https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/choose-a-subscription-mode/send-notifications-to-developers-server).
 */

const SIGNATURE_HEADER = 'x-lark-signature';
const TIMESTAMP_HEADER = 'x-lark-request-timestamp';
const NONCE_HEADER = 'x-lark-request-nonce';

export interface SecuritySettings {
	/** Verification Token from the credential; empty = not checked. */
	verificationToken?: string;
	/** Encrypt Key from the credential; empty = events must arrive unencrypted. */
	encryptKey?: string;
	/** Refuse signed requests whose timestamp is further than this from now (seconds); 0 = off. */
	maxTimestampAgeSeconds: number;
}

interface IncomingDelivery {
	/** Body bytes as received. */
	rawBody: Buffer;
	/** False when the raw bytes were not available and `rawBody` is a re-serialisation of the parsed body. */
	rawBodyExact: boolean;
	/** Parsed body if the host already parsed it (used only when rawBody is not JSON). */
	parsedBody?: unknown;
	headers: Record<string, string | string[] | undefined>;
	nowMs: number;
}

type Verdict =
	| { kind: 'refuse'; status: 400 | 401 | 403; message: string }
	| { kind: 'challenge'; challenge: string }
	| { kind: 'event'; envelope: IDataObject; encrypted: boolean };

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(text: string): IDataObject | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return isObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function headerValue(
	headers: Record<string, string | string[] | undefined>,
	name: string,
): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (Array.isArray(value)) return value[0];
	return value === undefined ? undefined : String(value);
}

/** `header.token` (schema 2.0) or top-level `token` (schema 1.0 and url_verification). */
function envelopeToken(envelope: IDataObject): string | undefined {
	const header = envelope.header;
	if (isObject(header) && typeof header.token === 'string') return header.token;
	return typeof envelope.token === 'string' ? envelope.token : undefined;
}

/** `header.event_id` (schema 2.0) or `uuid` (schema 1.0). */
export function envelopeEventId(envelope: IDataObject): string | undefined {
	const header = envelope.header;
	if (isObject(header) && header.event_id !== undefined && header.event_id !== '') {
		return String(header.event_id);
	}
	return envelope.uuid !== undefined && envelope.uuid !== '' ? String(envelope.uuid) : undefined;
}

/** `header.event_type` (schema 2.0) or `event.type` (schema 1.0). */
export function envelopeEventType(envelope: IDataObject): string | undefined {
	const header = envelope.header;
	if (isObject(header) && typeof header.event_type === 'string') return header.event_type;
	const event = envelope.event;
	if (isObject(event) && typeof event.type === 'string') return event.type;
	return undefined;
}

function isUrlVerification(envelope: IDataObject): boolean {
	return envelope.type === 'url_verification';
}

function checkToken(envelope: IDataObject, settings: SecuritySettings): Verdict | undefined {
	const expected = settings.verificationToken ?? '';
	if (expected === '') return undefined;
	const actual = envelopeToken(envelope);
	if (actual === undefined || !safeEqual(actual, expected)) {
		return {
			kind: 'refuse',
			status: 403,
			message: 'Verification Token does not match the one in the n8n credential',
		};
	}
	return undefined;
}

function checkSignature(
	delivery: IncomingDelivery,
	encryptKey: string,
	maxAge: number,
): Verdict | undefined {
	const signature = headerValue(delivery.headers, SIGNATURE_HEADER);
	const timestamp = headerValue(delivery.headers, TIMESTAMP_HEADER);
	const nonce = headerValue(delivery.headers, NONCE_HEADER);
	if (!signature || timestamp === undefined || nonce === undefined) {
		return {
			kind: 'refuse',
			status: 401,
			message: 'Missing X-Lark-Signature / X-Lark-Request-Timestamp / X-Lark-Request-Nonce headers',
		};
	}
	if (!isValidSignature(signature, timestamp, nonce, encryptKey, delivery.rawBody)) {
		return {
			kind: 'refuse',
			status: 401,
			message: delivery.rawBodyExact
				? 'Invalid X-Lark-Signature'
				: 'Invalid X-Lark-Signature (n8n did not expose the raw request body, so it was re-serialised)',
		};
	}
	if (maxAge > 0) {
		const seconds = Number(timestamp);
		if (!Number.isFinite(seconds) || Math.abs(delivery.nowMs / 1000 - seconds) > maxAge) {
			return {
				kind: 'refuse',
				status: 401,
				message: `Stale or invalid X-Lark-Request-Timestamp (allowed skew: ${maxAge} s)`,
			};
		}
	}
	return undefined;
}

export function openDelivery(delivery: IncomingDelivery, settings: SecuritySettings): Verdict {
	const encryptKey = settings.encryptKey ?? '';
	const body =
		parseJsonObject(delivery.rawBody.toString('utf8')) ??
		(isObject(delivery.parsedBody) ? delivery.parsedBody : undefined);
	if (!body) {
		return { kind: 'refuse', status: 400, message: 'The request body is not a JSON object' };
	}

	const isEncrypted = typeof body.encrypt === 'string';
	let envelope: IDataObject;
	if (isEncrypted) {
		if (encryptKey === '') {
			return {
				kind: 'refuse',
				status: 400,
				message:
					'The event is encrypted, but no Encrypt Key is set: add it to the Feishu Attendance credential used by the trigger',
			};
		}
		const decrypted = decryptEncryptField(body.encrypt as string, encryptKey);
		if (!decrypted.ok) return { kind: 'refuse', status: 400, message: decrypted.reason };
		const inner = parseJsonObject(decrypted.text);
		if (!inner) {
			return {
				kind: 'refuse',
				status: 400,
				message: 'The decrypted event is not a JSON object: check the Encrypt Key',
			};
		}
		envelope = inner;
	} else {
		if (encryptKey !== '') {
			// With an Encrypt Key configured, Feishu encrypts every delivery; a plaintext body is not from it.
			return {
				kind: 'refuse',
				status: 401,
				message:
					'Unencrypted request refused: an Encrypt Key is set in the credential (remove it there if Feishu does not encrypt events)',
			};
		}
		envelope = body;
	}

	if (isUrlVerification(envelope)) {
		// Feishu does not sign the URL-verification request (see https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case); only the token applies.
		const tokenProblem = checkToken(envelope, settings);
		if (tokenProblem) return tokenProblem;
		if (typeof envelope.challenge !== 'string') {
			return { kind: 'refuse', status: 400, message: 'url_verification without a challenge' };
		}
		return { kind: 'challenge', challenge: envelope.challenge };
	}

	if (encryptKey !== '') {
		const signatureProblem = checkSignature(delivery, encryptKey, settings.maxTimestampAgeSeconds);
		if (signatureProblem) return signatureProblem;
	}
	const tokenProblem = checkToken(envelope, settings);
	if (tokenProblem) return tokenProblem;

	return { kind: 'event', envelope, encrypted: isEncrypted };
}
