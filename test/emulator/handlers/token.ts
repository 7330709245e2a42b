/**
 * POST /open-apis/auth/v3/tenant_access_token/internal
 *
 * Answer is top-level `{code, msg, tenant_access_token, expire}` (no `data`).
 * Error codes are not in the reference docs (Feishu's doc of tenant_access_token/internal only points to the generic list): we use
 * 10003 for a missing / unknown app_id and 10014 for a wrong secret, as commonly observed, both with
 * HTTP 400 (chosen; clients must decide on `code`, not on the status).
 */
import { CODES, FeishuError } from '../errors';
import type { Reply, RequestContext } from '../context';

export function exchangeToken({ state, body }: RequestContext): Reply {
	const { app_id: appId, app_secret: appSecret } = body;
	if (typeof appId !== 'string' || typeof appSecret !== 'string' || !appId || !appSecret) {
		throw new FeishuError(
			400,
			CODES.APP_ID_INVALID,
			'invalid param: app_id and app_secret are required',
		);
	}
	const app = state.options.apps.find((a) => a.appId === appId);
	if (!app) throw new FeishuError(400, CODES.APP_ID_INVALID, 'invalid param: app_id is invalid');
	if (app.appSecret !== appSecret)
		throw new FeishuError(400, CODES.APP_SECRET_INVALID, 'app secret invalid');
	const { token, expire } = state.tokens.exchange(appId);
	state.counters.tokenExchange();
	return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire } };
}
