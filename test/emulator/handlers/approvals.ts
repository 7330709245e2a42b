/**
 * Approvals: POST /open-apis/attendance/v1/user_approvals (create), .../user_approvals/query and
 * .../approval_infos/process (approve, reject, revoke).
 */
import { CODES, FeishuError, generalError, paramError } from '../errors';
import { ok, type Reply, type RequestContext } from '../context';
import { newNumericId } from '../store';
import {
	addDays,
	dayOf,
	formatLocalDateTime,
	isValidDay,
	nowSeconds,
	parseLocalDateTime,
} from '../time';
import type { ApprovalKind, EmployeeIdType, StoredApproval } from '../types';
import { requireUsers } from '../users';
import {
	dayRange,
	employeeTypeOf,
	idList,
	validateFields,
	type Body,
	type Rule,
} from '../validate';
import { remedyById, type StoredRemedy } from './remedies';

const ID_TYPES: EmployeeIdType[] = ['employee_id', 'employee_no', 'open_id'];
const KINDS: ApprovalKind[] = ['outs', 'leaves', 'overtime_works', 'trips'];
const MAX_QUERY_USERS = 50;
const MAX_QUERY_SPAN_DAYS = 30;
const APPROVED = 2;

const TIME: Rule = { type: 'datetime' };
const OPTIONAL_STRING: Rule = { type: 'string', optional: true };
const UNIT: Rule = { type: 'int', oneOf: [1, 2, 3, 4] };
const LOCALE: Rule = { type: 'string', oneOf: ['ch', 'en', 'ja'] };

/** Leaves and outs take the same fields; only outs require the type ID (uniq_id). */
const leaveOrOutRules = (uniqId: Rule): Record<string, Rule> => ({
	uniq_id: uniqId,
	unit: UNIT,
	interval: { type: 'int' },
	start_time: TIME,
	end_time: TIME,
	i18n_names: { type: 'object' },
	default_locale: LOCALE,
	reason: { type: 'string' },
	idempotent_id: OPTIONAL_STRING,
});

/** Required fields per item type, as in Feishu's doc of POST user_approvals. */
const ITEM_RULES: Record<ApprovalKind, Record<string, Rule>> = {
	outs: leaveOrOutRules({ type: 'string' }),
	leaves: leaveOrOutRules(OPTIONAL_STRING),
	overtime_works: {
		duration: { type: 'number' },
		unit: UNIT,
		category: { type: 'int', oneOf: [1, 2, 3] },
		type: { type: 'int', oneOf: [0, 1, 2, 3] },
		start_time: TIME,
		end_time: TIME,
		reason: OPTIONAL_STRING,
		idempotent_id: OPTIONAL_STRING,
	},
	trips: {
		start_time: TIME,
		end_time: TIME,
		reason: { type: 'string' },
		approve_pass_time: TIME,
		approve_apply_time: TIME,
		idempotent_id: OPTIONAL_STRING,
	},
};

/**
 * 1225001 msg keys per kind. The doc gives only the template
 * {"TripErrorRecords":"","OvertimeWorkErrorRecords":"","LeaveErrorRecords":"","OutErrorRecords":""}.
 * GUESSED shape: a kind without errors keeps ""; a kind with errors holds a stringified JSON array of
 * `{idempotent_id, start_time, end_time, reason}` (reason = why it was rejected, NOT the item's own reason).
 */
const ERROR_KEYS: Record<ApprovalKind, string> = {
	trips: 'TripErrorRecords',
	overtime_works: 'OvertimeWorkErrorRecords',
	leaves: 'LeaveErrorRecords',
	outs: 'OutErrorRecords',
};

interface RejectedItem {
	idempotent_id: string;
	start_time: string;
	end_time: string;
	reason: string;
}

const optionalString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const overlaps = (a: StoredApproval, start: number, end: number) =>
	start < (parseLocalDateTime(a.end_time) ?? 0) && (parseLocalDateTime(a.start_time) ?? 0) < end;

function validateApproval(body: Body): Body {
	const approval = validateFields(
		body.user_approval,
		{ user_id: { type: 'string' }, date: { type: 'digits' }, time_zone: OPTIONAL_STRING },
		'user_approval',
	);
	if (!isValidDay(Number(approval.date)) || String(approval.date).length !== 8) {
		throw paramError('user_approval.date must be a date yyyyMMdd');
	}
	let count = 0;
	for (const kind of KINDS) {
		const items = approval[kind];
		if (items === undefined || items === null) continue;
		if (!Array.isArray(items)) throw paramError(`user_approval.${kind} must be an array`);
		items.forEach((item, i) =>
			validateFields(item, ITEM_RULES[kind], `user_approval.${kind}[${i}]`),
		);
		count += items.length;
	}
	if (count === 0)
		throw paramError('user_approval needs at least one of outs, leaves, overtime_works, trips');
	return approval;
}

/**
 * Create. Insert-only; per item:
 *  - repeated idempotent_id (same user + same kind) -> not stored again; `approvalDuplicateMode` 'echo'
 *    (default): answered with the stored item as if new; 'reject-call': the whole call fails with
 *    400 / 1220600 'the object already exists' and nothing of it is stored (UNCONFIRMED: docs/ASSUMPTIONS.md#repeated-approval-key);
 *  - end_time < start_time, or overlap with a stored (or earlier in this call) item of the same kind and user
 *    -> the whole call fails with 400 / 1225001 and nothing is stored.
 */
export function createApproval({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query, ID_TYPES);
	const approval = validateApproval(body);
	const [{ employee }] = requireUsers(state.directory, [String(approval.user_id)], idType);
	const userId = employee.employee_id;
	const date = String(approval.date);

	const now = formatLocalDateTime(nowSeconds());
	const answer: Partial<Record<ApprovalKind, unknown[]>> = {};
	const rejected: Partial<Record<ApprovalKind, RejectedItem[]>> = {};
	const toStore: StoredApproval[] = [];
	let sawDuplicate = false;

	for (const kind of KINDS) {
		const items = approval[kind] as Body[] | undefined;
		if (!items) continue;
		answer[kind] = [];
		for (const item of items) {
			const idempotentId = optionalString(item.idempotent_id);
			const sameKind = [
				...state.store.approvalsOfUser(userId, kind),
				...toStore.filter((a) => a.kind === kind),
			];
			const repeated = idempotentId
				? sameKind.find((a) => a.idempotent_id === idempotentId)
				: undefined;
			if (repeated) {
				sawDuplicate = true;
				answer[kind]!.push(repeated.item);
				continue;
			}
			const start = parseLocalDateTime(item.start_time)!;
			const end = parseLocalDateTime(item.end_time)!;
			const clash = sameKind.find((a) => overlaps(a, start, end));
			const reason =
				end < start
					? 'end_time is earlier than start_time'
					: clash
						? `time conflicts with approval ${clash.approval_id}`
						: undefined;
			if (reason) {
				const list = (rejected[kind] ??= []);
				list.push({
					idempotent_id: idempotentId ?? '',
					start_time: String(item.start_time),
					end_time: String(item.end_time),
					reason,
				});
				continue;
			}
			const approvalId = newNumericId();
			const approveTimes =
				kind === 'outs' || kind === 'leaves'
					? { approve_pass_time: now, approve_apply_time: now }
					: {};
			const stored: StoredApproval = {
				approval_id: approvalId,
				kind,
				user_id: userId,
				date,
				idempotent_id: idempotentId,
				start_time: String(item.start_time),
				end_time: String(item.end_time),
				status: APPROVED,
				created_at: Date.now(),
				item: { approval_id: approvalId, ...item, ...approveTimes },
			};
			toStore.push(stored);
			answer[kind]!.push(stored.item);
		}
	}

	if (sawDuplicate && state.options.approvalDuplicateMode === 'reject-call')
		throw generalError('the object already exists');
	if (sawDuplicate && state.options.approvalDuplicateMode === 'reject-call-reworded')
		throw generalError('duplicate request: record with this key was saved before');
	if (Object.keys(rejected).length) {
		const msg = Object.fromEntries(
			(Object.keys(ERROR_KEYS) as ApprovalKind[]).map((kind) => [
				ERROR_KEYS[kind],
				rejected[kind] ? JSON.stringify(rejected[kind]) : '',
			]),
		);
		throw new FeishuError(400, CODES.APPROVAL_REJECTED, JSON.stringify(msg));
	}
	toStore.forEach((a) => state.store.addApproval(a));
	return ok({
		user_approval: { user_id: approval.user_id, date, ...answer, time_zone: 'Asia/Shanghai' },
	});
}

/**
 * Query. PeriodTime (default) = the approval's `date` is in [from, to]; CreateTime / UpdateTime = the day it
 * was written (items are never updated). status defaults to 2; everything written through the API is 2.
 * One entry per user per date, all four arrays present.
 */
export function queryApprovals({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query, ID_TYPES);
	const userIds = idList(body, 'user_ids', MAX_QUERY_USERS);
	const { from, to } = dayRange(body, MAX_QUERY_SPAN_DAYS);
	if (from > addDays(state.today(), 1))
		throw paramError('check_date_from can not be later than tomorrow');
	validateFields(body, {
		check_date_type: {
			type: 'string',
			optional: true,
			oneOf: ['PeriodTime', 'CreateTime', 'UpdateTime'],
		},
		status: { type: 'int', optional: true, oneOf: [0, 1, 2, 3, 4] },
	});
	const status = (body.status as number | undefined) ?? APPROVED;
	const byCreateTime =
		body.check_date_type === 'CreateTime' || body.check_date_type === 'UpdateTime';
	const dayOfApproval = (a: StoredApproval) =>
		byCreateTime ? dayOf(a.created_at / 1000) : Number(a.date);

	const entries = [];
	for (const { id, employee } of requireUsers(state.directory, userIds, idType)) {
		const matching = state.store
			.approvalsOfUser(employee.employee_id)
			.filter((a) => a.status === status && dayOfApproval(a) >= from && dayOfApproval(a) <= to);
		const dates = [...new Set(matching.map((a) => a.date))].sort();
		for (const date of dates) {
			const ofDate = matching.filter((a) => a.date === date);
			const itemsOf = (kind: ApprovalKind) =>
				ofDate.filter((a) => a.kind === kind).map((a) => a.item);
			entries.push({
				user_id: id,
				date,
				outs: itemsOf('outs'),
				leaves: itemsOf('leaves'),
				overtime_works: itemsOf('overtime_works'),
				trips: itemsOf('trips'),
				time_zone: 'Asia/Shanghai',
			});
		}
	}
	return ok({ user_approvals: entries });
}

// ---- approval_infos/process (Feishu's doc of approval_infos/process) ----

/** approval_type → the stored kind (remedies live in handlers/remedies.ts). */
const PROCESS_KINDS: Record<string, ApprovalKind | 'remedy'> = {
	leave: 'leaves',
	out: 'outs',
	overtime: 'overtime_works',
	trip: 'trips',
	remedy: 'remedy',
};
const STATUS_NAMES: Record<number, string> = {
	0: 'pending',
	1: 'rejected',
	2: 'approved',
	3: 'cancelled',
	4: 'reverted',
};
const REJECTED = 1;
const REVERTED = 4;
const PENDING = 0;

/**
 * POST /approval_infos/process — approve (2), reject (1) or revoke (4) an approval written into attendance.
 * Rules as documented: leave/out/overtime/trip accept only 4, remedy accepts 1, 2 and 4; only a pending
 * approval can be approved or rejected, only an approved one can be revoked.
 * Answers (codes and texts of refusals are UNCONFIRMED, chosen here): unknown approval_id for that
 * approval_type -> 400/1220001 'approval not found'; a status the kind does not accept -> 400/1220001;
 * a transition the state does not allow -> 400/1220600 naming the current status ('the approval is already
 * reverted' when it is already in the requested status).
 */
export function processApproval({ state, body }: RequestContext): Reply {
	validateFields(body, {
		approval_id: { type: 'string' },
		approval_type: { type: 'string', oneOf: Object.keys(PROCESS_KINDS) },
		status: { type: 'int', oneOf: [REJECTED, APPROVED, REVERTED] },
	});
	const approvalId = String(body.approval_id);
	const type = String(body.approval_type);
	const status = body.status as number;
	const kind = PROCESS_KINDS[type];
	if (kind !== 'remedy' && status !== REVERTED) {
		throw paramError(`approval_type ${type} accepts only status 4 (revert), got ${status}`);
	}
	const target: { status: number } | undefined =
		kind === 'remedy'
			? remedyById(state, approvalId)
			: state.store.approvals().find((a) => a.approval_id === approvalId && a.kind === kind);
	if (!target)
		throw paramError(`approval not found: no ${type} approval with approval_id ${approvalId}`);

	const current = target.status;
	if (current === status) {
		// UNCONFIRMED: see docs/ASSUMPTIONS.md#approval-process-repeat (three readings, option processRepeatAnswer)
		const repeat = state.options.processRepeatAnswer;
		if (repeat === 'echo')
			return ok({ approval_info: { approval_id: approvalId, approval_type: type, status } });
		if (repeat === 'reworded') throw paramError('status transition not allowed');
		throw generalError(`the approval is already ${STATUS_NAMES[current]}`);
	}
	if (status === REVERTED && current !== APPROVED) {
		throw generalError(
			`only approved approvals can be reverted; the approval is ${STATUS_NAMES[current]}`,
		);
	}
	if (status !== REVERTED && current !== PENDING) {
		throw generalError(
			`only pending approvals can be approved or rejected; the approval is ${STATUS_NAMES[current]}`,
		);
	}
	target.status = status;
	if (kind === 'remedy') (target as StoredRemedy).updated = nowSeconds();
	return ok({ approval_info: { approval_id: approvalId, approval_type: type, status } });
}
