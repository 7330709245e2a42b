import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RawResponse } from './answer';
import { bodyText, header } from './answer';
import { hintFor, redact } from './errors';
import type { FeishuRequest, FeishuResponse } from './request';
import { apiPath } from './request';

/**
 * The n8n errors for each way a call can fail: a Feishu answer (code, msg, hint), an answer that is not
 * Feishu's, no answer at all, a request n8n could not authenticate. Every text is redacted of the App Secret
 * and tokens, and names the endpoint and the item.
 */

/** The node the error belongs to, and the secrets to keep out of its texts. */
export interface FailureContext {
	node: INode;
	secrets: string[];
}

export interface FeishuErrorOptions {
	note?: string;
	subject?: string;
	message?: string;
}

/** Said when a call that is not safe to send twice failed in a way a retry might have fixed. */
export const NOT_REPEATED =
	'The call was not repeated automatically because it is not safe to send twice (it could create duplicates). Check what Feishu stored before running it again.';

/**
 * The NodeApiError for a Feishu answer: code and msg (redacted), an English hint, HTTP status, log ID,
 * endpoint and item. Operations use it for answers they accepted (`acceptCodes`) but cannot use.
 * `subject` names what the answer is about (e.g. 'employee emp0001'); `note` goes before the hint;
 * `message` replaces the default message (e.g. a reason decoded from msg for one record).
 */
export function feishuError(
	at: FailureContext,
	response: FeishuResponse<unknown>,
	req: Pick<FeishuRequest, 'method' | 'path' | 'itemIndex'>,
	{ note, subject, message }: FeishuErrorOptions = {},
): NodeApiError {
	const { secrets } = at;
	const msg = redact(response.msg, secrets);
	const hint = hintFor(response.code, msg, req.path);
	const details = [
		`HTTP ${response.httpStatus}`,
		response.logId ? `log ID ${response.logId}` : undefined,
	]
		.filter(Boolean)
		.join(', ');
	return new NodeApiError(
		at.node,
		{
			code: response.code,
			msg,
			httpStatus: response.httpStatus,
			logId: response.logId ?? null,
		} as JsonObject,
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
export function notFeishuError(
	at: FailureContext,
	raw: RawResponse,
	req: FeishuRequest,
): NodeApiError {
	const contentType =
		header(raw.headers, 'content-type')?.split(';')[0].trim() || 'no content type';
	const text = redact(bodyText(raw.body), at.secrets).replace(/\s+/g, ' ').trim();
	const start =
		text === '' ? 'an empty body' : `"${text.length > 80 ? `${text.slice(0, 80)}…` : text}"`;
	return new NodeApiError(
		at.node,
		{ httpStatus: raw.statusCode, contentType, start } as JsonObject,
		{
			message: `The server answered HTTP ${raw.statusCode} (${contentType}) with something that is not a Feishu API answer: ${start}`,
			description: `Check the credential's Base URL (for the Custom platform: the Open Platform host, e.g. https://open.feishu.cn, without /open-apis) and any proxy between n8n and Feishu. (${req.method} ${apiPath(req.path) ?? req.path})`,
			httpCode: String(raw.statusCode),
			itemIndex: req.itemIndex,
		},
	);
}

/** A call that got no answer (lost connection, timeout) after `retries` retries. */
export function unreachableError(
	at: FailureContext,
	error: unknown,
	req: FeishuRequest,
	retries: number,
): NodeApiError {
	const message = redact(String((error as Error)?.message ?? error), at.secrets);
	return new NodeApiError(at.node, { message } as JsonObject, {
		message: `Could not reach Feishu: ${message}`,
		description: req.repeatable
			? `The call failed after ${retries + 1} attempt(s). Check the network path from n8n to the Feishu host.`
			: NOT_REPEATED,
		itemIndex: req.itemIndex,
	});
}

/** An error that is neither a Feishu answer nor a lost connection: mostly a failed token exchange. */
export function credentialError(
	at: FailureContext,
	error: unknown,
	req: FeishuRequest,
): NodeOperationError {
	const message = redact(String((error as Error)?.message ?? error), at.secrets);
	return new NodeOperationError(at.node, message, {
		itemIndex: req.itemIndex,
		description:
			'The request to Feishu could not be authenticated. Check the Feishu Attendance API credential (platform, App ID, App Secret).',
	});
}
