import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/** Open Platform hosts per brand (Feishu: open.feishu.cn, Lark: open.larksuite.com). */
export const FEISHU_BASE_URL = 'https://open.feishu.cn';
export const LARK_BASE_URL = 'https://open.larksuite.com';
export const APP_LOGIN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

/** The one place that turns the credential's platform choice into a base URL (no trailing slash). */
export function resolveBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const platform = credentials.platform as string | undefined;
	if (platform === 'lark') return LARK_BASE_URL;
	if (platform === 'custom')
		return String(credentials.baseUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
	return FEISHU_BASE_URL;
}

const TOKEN_ERRORS: Record<number, string> = {
	10003:
		'Feishu rejected the App ID (code 10003). Check the App ID of your app on the Feishu/Lark developer console, and that the platform matches the console you created the app on.',
	10014:
		'Feishu rejected the App Secret (code 10014). Copy the App Secret again from the developer console (Credentials & Basic Info).',
};

/** Message for a failed token exchange; never contains the secret. */
export function tokenErrorMessage(code: number, msg: string): string {
	return (
		TOKEN_ERRORS[code] ??
		`Feishu did not issue a tenant access token (code ${code}: ${msg || 'no message'}). Check the App ID, App Secret and platform.`
	);
}

/**
 * The stored expiry of a token that has `expireSeconds` left: text (see `tenantAccessTokenExpiresAt`), '' when
 * Feishu did not say.
 */
export function tokenExpiryText(expireSeconds: number, now = Date.now()): string {
	return expireSeconds > 0 ? String(now + Math.round(expireSeconds * 1000)) : '';
}

/**
 * What a stored `tenantAccessTokenExpiresAt` says: the expiry in ms, or 'legacy' for a number written by
 * versions before 0.1.0's fix (it breaks n8n 1.x's editor: the node replaces that token at once, which stores
 * the expiry as text), or undefined when unknown.
 */
export function readTokenExpiry(value: unknown): number | 'legacy' | undefined {
	if (typeof value === 'number') return 'legacy';
	if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return undefined;
	const ms = Number(value.trim());
	return ms > 0 ? ms : undefined;
}

export class FeishuAttendanceApi implements ICredentialType {
	name = 'feishuAttendanceApi';

	displayName = 'Feishu Attendance API';

	icon: Icon = { light: 'file:feishuAttendance.svg', dark: 'file:feishuAttendance.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-feishu-attendance/n8n-nodes-feishu-attendance#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Platform',
			name: 'platform',
			type: 'options',
			options: [
				{ name: 'Feishu (open.feishu.cn)', value: 'feishu' },
				{ name: 'Lark (open.larksuite.com)', value: 'lark' },
				{ name: 'Custom Base URL', value: 'custom' },
			],
			default: 'feishu',
			description: 'Which Open Platform your app was created on',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://open.example.com',
			description:
				'Base URL of a private deployment or a test emulator, without /open-apis. Tokens are only ever sent to this host.',
			displayOptions: { show: { platform: ['custom'] } },
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'cli_a1b2c3d4e5f6',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Tenant Access Token',
			name: 'tenantAccessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// When the token expires, as text: milliseconds since epoch in decimal digits ('' = unknown). The node
			// replaces a token it knows to have expired before its first call instead of sending it to be refused.
			// Text, never a number: n8n 1.x redacts every password field for the editor with
			// `value.startsWith('={{')`, and a number there breaks the editor and the Credentials page for the
			// whole instance (see docs/ASSUMPTIONS.md#stored-credential-fields).
			displayName: 'Tenant Access Token Expires At',
			name: 'tenantAccessTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Verification Token',
			name: 'verificationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Feishu Attendance Trigger: the Verification Token from Events & Callbacks → Encryption Strategy',
		},
		{
			displayName: 'Encrypt Key',
			name: 'encryptKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Feishu Attendance Trigger: the Encrypt Key from Events & Callbacks → Encryption Strategy. When set, events are decrypted and their signature is checked.',
		},
	];

	/**
	 * Exchanges App ID / App Secret for a tenant access token. n8n runs this when the hidden, expirable
	 * `tenantAccessToken` is empty or when a request signals that it expired, and stores what it returns
	 * in the credential (shared by every main and worker). A failed exchange throws: nothing is stored.
	 * `this` offers only `helpers.httpRequest` in n8n 2.x; use nothing else here.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${resolveBaseUrl(credentials)}${APP_LOGIN_PATH}`,
			body: { app_id: credentials.appId, app_secret: credentials.appSecret },
			json: true,
			ignoreHttpStatusErrors: true,
			// App ID and App Secret go to the configured host only, never along a redirect.
			disableFollowRedirect: true,
		})) as IDataObject;
		const code = Number(response?.code ?? -1);
		const token = response?.tenant_access_token;
		if (code !== 0 || typeof token !== 'string' || token === '') {
			throw new Error(tokenErrorMessage(code, String(response?.msg ?? '')));
		}
		// `expire`: seconds the token has left (Feishu answers an unexpired token again, with what it has left)
		const expire = Number(response?.expire);
		return { tenantAccessToken: token, tenantAccessTokenExpiresAt: tokenExpiryText(expire) };
	}

	/**
	 * Puts the stored tenant token in the Authorization header. A function rather than n8n's generic
	 * `=Bearer {{$credentials.tenantAccessToken}}`, which n8n evaluates as an expression for every call (about
	 * 0.8 ms each in n8n 2.x's isolated expression engine: a CPU profile of `npm run bench:n8n`).
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.tenantAccessToken ?? '')}`,
			},
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.platform === "custom" ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : ($credentials.platform === "lark" ? "https://open.larksuite.com" : "https://open.feishu.cn")}}',
			url: APP_LOGIN_PATH,
			method: 'POST',
			// Feishu answers a wrong App ID / Secret with HTTP 400: read the body so the rules below apply.
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			body: {
				app_id: '={{$credentials.appId}}',
				app_secret: '={{$credentials.appSecret}}',
			},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 10003, message: TOKEN_ERRORS[10003] },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 10014, message: TOKEN_ERRORS[10014] },
			},
		],
	};
}
