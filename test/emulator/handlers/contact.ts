/**
 * POST /open-apis/contact/v3/users/batch_get_id — emails / mobile numbers → user IDs
 * (https://open.feishu.cn/document/server-docs/contact-v3/user/batch_get_id).
 *
 * The tenant's contact directory follows the employee directory (users.ts):
 *  - email:  `<employee_id>@example.com` (case-insensitive), e.g. emp0001@example.com;
 *            addresses on the enterprise mailbox domain `mail.example.com` are not supported (no user ID);
 *  - mobile: employee n has the mainland number 138 0000 0000 + n, accepted as `13800000001`,
 *            `+8613800000001` or `008613800000001`; other numbers are unknown;
 *  - employees outside the app's data range (e.g. emp_unauth_1@example.com) are answered without a user ID;
 *  - resigned employees: `emp_left_<n>@example.com` / mobile `139 0000 0000 + n` (n ≤ 9) exist but have left:
 *    answered only with include_resigned=true.
 *
 * Strictness: user_id_type one of open_id (default) / union_id / user_id; emails and mobiles arrays of
 * strings, at most 50 each; include_resigned boolean. One entry per email, then one per mobile, echoing the
 * value as sent; a value without a user has no user_id (contactMissingUserId 'omit', the default) or an
 * empty one ('empty'). Its own limit of calls per minute (contactRateLimitPerMinute, default 1000) besides
 * the per-second limit every endpoint has (server.ts). contactScope models a missing scope.
 */
import type { Reply, RequestContext } from '../context';
import { ok } from '../context';
import { CODES, FeishuError } from '../errors';
import type { Employee } from '../users';
import { isObject } from '../validate';

export const BATCH_GET_ID_PATH = '/open-apis/contact/v3/users/batch_get_id';
export const EMAIL_DOMAIN = 'example.com';
export const ENTERPRISE_MAIL_DOMAIN = 'mail.example.com';
const MAX_PER_KIND = 50;
const MOBILE_BASE = 13800000000;
const RESIGNED_MOBILE_BASE = 13900000000;

/** Contact API validation failures (code as commonly observed for contact v3 field validation — UNCONFIRMED). */
const VALIDATION_CODE = 99992402;
const SCOPE_MISSING_CODE = 99991672;

const validation = (msg: string) =>
	new FeishuError(400, VALIDATION_CODE, `field validation failed: ${msg}`);

/** Test helpers: the email / mobile the emulator knows for employee n (1-based). */
export const emailOf = (employeeId: string) => `${employeeId}@${EMAIL_DOMAIN}`;
export const mobileOf = (n: number) => String(MOBILE_BASE + n);

type IdType = 'open_id' | 'union_id' | 'user_id';

interface Person {
	employee: Employee;
	resigned: boolean;
}

function personByEmail(ctx: RequestContext, email: string): Person | undefined {
	const match = /^([^@\s]+)@([^@\s]+)$/.exec(email.trim().toLowerCase());
	if (!match || match[2] !== EMAIL_DOMAIN) return undefined;
	const left = /^emp_left_(\d)$/.exec(match[1]);
	if (left) return { employee: resignedEmployee(left[1]), resigned: true };
	const employee = ctx.state.directory.find(match[1], 'employee_id');
	return employee ? { employee, resigned: false } : undefined;
}

function personByMobile(ctx: RequestContext, mobile: string): Person | undefined {
	const national = /^(?:\+86|0086)?(1\d{10})$/.exec(mobile.trim())?.[1];
	if (!national) return undefined;
	const n = Number(national) - MOBILE_BASE;
	if (n >= 1 && n < 1e8) {
		const employee = ctx.state.directory.find(`emp${String(n).padStart(4, '0')}`, 'employee_id');
		return employee ? { employee, resigned: false } : undefined;
	}
	const left = Number(national) - RESIGNED_MOBILE_BASE;
	return left >= 1 && left <= 9
		? { employee: resignedEmployee(String(left)), resigned: true }
		: undefined;
}

function resignedEmployee(n: string): Employee {
	return {
		employee_id: `emp_left_${n}`,
		employee_no: `NO_left_${n}`,
		open_id: `ou_left_${n}`,
		name: `Former employee ${n}`,
		authorized: true,
	};
}

function idOf(person: Person, type: IdType): string {
	if (type === 'user_id') return person.employee.employee_id;
	if (type === 'open_id') return person.employee.open_id;
	return person.employee.open_id.replace(/^ou_/, 'on_');
}

function stringList(value: unknown, field: string): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) throw validation(`${field} must be an array of strings`);
	if (value.some((v) => typeof v !== 'string'))
		throw validation(`${field} must be an array of strings`);
	if (value.length > MAX_PER_KIND)
		throw validation(`${field} exceeds the limit of ${MAX_PER_KIND}`);
	return value as string[];
}

export function batchGetId(ctx: RequestContext): Reply {
	const { state, query, body } = ctx;
	const perMinute = state.options.contactRateLimitPerMinute;
	const reset = state.minuteLimiter.admit(BATCH_GET_ID_PATH, perMinute);
	if (reset !== undefined) {
		return {
			status: 429,
			body: { code: CODES.RATE_LIMITED, msg: 'request trigger frequency limit' },
			headers: {
				'x-ogw-ratelimit-limit': String(perMinute),
				'x-ogw-ratelimit-reset': String(reset),
			},
		};
	}
	if (state.options.contactScope === 'no-api-scope') {
		throw new FeishuError(
			400,
			SCOPE_MISSING_CODE,
			'Access denied. One of the following scopes is required: [contact:user.id:readonly].',
		);
	}
	const type = (query.get('user_id_type') ?? 'open_id') as IdType;
	if (!['open_id', 'union_id', 'user_id'].includes(type))
		throw validation('user_id_type must be one of open_id, union_id, user_id');
	if (!isObject(body)) throw validation('body must be an object');
	const emails = stringList(body.emails, 'emails');
	const mobiles = stringList(body.mobiles, 'mobiles');
	const includeResigned = body.include_resigned;
	if (includeResigned !== undefined && typeof includeResigned !== 'boolean')
		throw validation('include_resigned must be a boolean');

	const fieldScope = state.options.contactScope !== 'no-field-scope' || type !== 'user_id';
	const entry = (kind: 'email' | 'mobile', value: string, person: Person | undefined) => {
		const visible =
			person &&
			person.employee.authorized &&
			(!person.resigned || includeResigned === true) &&
			fieldScope;
		if (visible) {
			return {
				user_id: idOf(person, type),
				[kind]: value,
				status: {
					is_frozen: false,
					is_resigned: person.resigned,
					is_activated: !person.resigned,
					is_exited: person.resigned,
					is_unjoin: false,
				},
			};
		}
		return state.options.contactMissingUserId === 'empty'
			? { user_id: '', [kind]: value }
			: { [kind]: value };
	};
	return ok({
		user_list: [
			...emails.map((email) => entry('email', email, personByEmail(ctx, email))),
			...mobiles.map((mobile) => entry('mobile', mobile, personByMobile(ctx, mobile))),
		],
	});
}
