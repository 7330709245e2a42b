import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * Getting the request body bytes exactly as Feishu sent them (the signature covers them).
 *
 * n8n 1.x and 2.x: before a webhook node runs, n8n's `parseBody` (packages/cli
 * src/middlewares/body-parser.ts, called from webhook-helpers `parseRequestBody`) reads the whole
 * body with `req.readRawBody()` into `req.rawBody` (a Buffer, gunzipped/inflated if needed) and
 * then JSON-parses it into `req.body`. For a node with typeVersion 1 this happens for every content
 * type, so `rawBody` is always there. n8n-workflow declares `IncomingMessage.rawBody: Buffer`.
 *
 * Fallbacks, in order: `req.readRawBody()` if n8n provides it and the body was not read yet;
 * then a JSON re-serialisation of the parsed body (what the official node SDK does). The last one
 * can differ from the bytes Feishu signed, in which case the signature check reports it.
 */

interface RawBodyRequest {
	rawBody?: unknown;
	readRawBody?: () => Promise<void>;
	readableEnded?: boolean;
	_body?: boolean;
}

interface RawBody {
	bytes: Buffer;
	exact: boolean;
	parsed?: IDataObject;
}

function asBuffer(value: unknown): Buffer | undefined {
	if (Buffer.isBuffer(value)) return value;
	if (value instanceof Uint8Array) return Buffer.from(value);
	if (typeof value === 'string') return Buffer.from(value, 'utf8');
	return undefined;
}

export async function readRawBody(context: IWebhookFunctions): Promise<RawBody> {
	const req = context.getRequestObject() as unknown as RawBodyRequest;
	let bytes = asBuffer(req.rawBody);
	if (
		bytes === undefined &&
		typeof req.readRawBody === 'function' &&
		req._body !== true &&
		req.readableEnded !== true
	) {
		await req.readRawBody();
		bytes = asBuffer(req.rawBody);
	}
	let parsed: IDataObject | undefined;
	try {
		parsed = context.getBodyData();
	} catch {
		parsed = undefined;
	}
	if (bytes !== undefined) return { bytes, exact: true, parsed };
	return { bytes: Buffer.from(JSON.stringify(parsed ?? {}), 'utf8'), exact: false, parsed };
}
