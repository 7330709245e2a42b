/** Feishu error answers. Handlers throw FeishuError; the server turns it into `{code, msg}` + HTTP status. */

export class FeishuError extends Error {
	constructor(
		readonly httpStatus: number,
		readonly code: number,
		msg: string,
		readonly data?: unknown,
	) {
		super(msg);
	}
}

export const CODES = {
	PARAM_INVALID: 1220001,
	USER_INVALID: 1220004,
	NO_PERMISSION: 1220005,
	GENERAL: 1220600,
	INTERNAL: 1225000,
	APPROVAL_REJECTED: 1225001,
	TOKEN_MISSING: 99991661,
	TOKEN_INVALID: 99991663,
	RATE_LIMITED: 99991400,
	// token endpoint (not in the attendance tables; values as commonly observed, see handlers/token.ts)
	APP_ID_INVALID: 10003,
	APP_SECRET_INVALID: 10014,
} as const;

/** 400 / 1220001 — parameter validation failed */
export const paramError = (msg: string) => new FeishuError(400, CODES.PARAM_INVALID, msg);
/** 400 / 1220004 — user does not exist */
export const userError = (ids: string[]) =>
	new FeishuError(
		400,
		CODES.USER_INVALID,
		`user_id is not exist or does not have permission: ${ids.join(',')}`,
	);
/** 400 / 1220005 — outside the data permission range */
export const permissionError = (ids: string[]) =>
	new FeishuError(400, CODES.NO_PERMISSION, `no data permission for users: ${ids.join(',')}`);
/** 400 / 1220600 — the "general error" umbrella; the real cause is in msg */
export const generalError = (msg: string) => new FeishuError(400, CODES.GENERAL, msg);
