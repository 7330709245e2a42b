/**
 * Attendance groups, shifts and daily schedules (Feishu's docs of groups, shifts and user_daily_shifts).
 *
 * Seed data (read-only): 23 groups, 15 shifts.
 *  - Head Office (GROUP_ID, fixed, group_type 0 as the 2024 SDKs encode it): employees 201 and up.
 *  - Retail Stores (shift-based, group_type 2): employees 1–200 except multiples of 40.
 *  - Warehouse (shift-based): employees 40, 80, 120, 160, 200.
 *  - Branch Office 01–20 (fixed, group_type 1 as the 2025 metadata encodes it): no members.
 *  Members must punch, except employees whose number is a multiple of 7.
 *  - Shifts: Day Shift (SHIFT_ID, 09:00–18:00), Early Shift, Early Shift (Weekend) (changed last, so the fuzzy
 *    shifts/query for "Early Shift" answers it), Late Shift, Night Shift (22:00–30:00), Store Shift 01–10.
 *
 * Lists: page_size 1–50 (default 10), opaque page_token, has_more. Schedules: batch_create ≤ 50 entries, an
 * upsert per (user, day); entries for a group the employee is not in are not applied and reported in msg as
 * `{"<user>":[yyyyMMdd,…]}` with code 0; shift "0" = rest day; is_clear_schedule removes the day's entry;
 * operator_id required unless the scheduleOperatorRequired option is false ("API access" set up).
 * query: ≤ 50 users, ≤ 30 days (inclusive), only days with an entry are returned.
 */
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { FeishuError, generalError, paramError, userError } from '../errors';
import { isValidDay } from '../time';
import { requireUsers } from '../users';
import { dayRange, employeeTypeOf, idList, isObject, validateFields } from '../validate';
import { GROUP_ID, SHIFT_ID } from './tasks';

const MAX_PAGE_SIZE = 50;
const DEFAULT_PAGE_SIZE = 10;
const MAX_SCHEDULE_ENTRIES = 50;
const MAX_QUERY_USERS = 50;
/** at most 30 days: check_date_to - check_date_from <= 29 */
const MAX_QUERY_DAY_DIFF = 29;
const SHIFT_NOT_FOUND = 1226003;
export const REST_SHIFT_ID = '0';

export const RETAIL_GROUP_ID = '6921319402260496390';
export const WAREHOUSE_GROUP_ID = '6921319402260496391';

export interface SeedGroup {
	group_id: string;
	group_name: string;
	group_type: number;
	/** seconds; search answers the most recently changed first */
	updated: number;
	members: (n: number) => boolean;
	/** a group written through POST groups (handlers/ruleWrites.ts): the group as stored, answered by GET */
	written?: Record<string, unknown>;
}

const inRetail = (n: number) => n <= 200 && n % 40 !== 0;
const inWarehouse = (n: number) => n <= 200 && n % 40 === 0;

export const GROUPS: SeedGroup[] = [
	{
		group_id: GROUP_ID,
		group_name: 'Head Office',
		group_type: 0,
		updated: 1700000000,
		members: (n) => n > 200,
	},
	{
		group_id: RETAIL_GROUP_ID,
		group_name: 'Retail Stores',
		group_type: 2,
		updated: 1700000100,
		members: inRetail,
	},
	{
		group_id: WAREHOUSE_GROUP_ID,
		group_name: 'Warehouse',
		group_type: 2,
		updated: 1700000200,
		members: inWarehouse,
	},
	...Array.from({ length: 20 }, (_, i) => ({
		group_id: String(6921319402260497000n + BigInt(i)),
		group_name: `Branch Office ${String(i + 1).padStart(2, '0')}`,
		group_type: 1,
		updated: 1700001000 + i,
		members: () => false,
	})),
];

export interface SeedShift {
	shift_id: string;
	shift_name: string;
	on_time: string;
	off_time: string;
	updated: number;
	/** a shift written through POST shifts (handlers/ruleWrites.ts): the shift as stored, answered by GET */
	written?: Record<string, unknown>;
}

export const SHIFTS: SeedShift[] = [
	{
		shift_id: SHIFT_ID,
		shift_name: 'Day Shift',
		on_time: '09:00',
		off_time: '18:00',
		updated: 1700000000,
	},
	{
		shift_id: '7023458093924646920',
		shift_name: 'Early Shift',
		on_time: '06:00',
		off_time: '15:00',
		updated: 1700000100,
	},
	{
		shift_id: '7023458093924646921',
		shift_name: 'Early Shift (Weekend)',
		on_time: '07:00',
		off_time: '16:00',
		updated: 1700009999,
	},
	{
		shift_id: '7023458093924646922',
		shift_name: 'Late Shift',
		on_time: '14:00',
		off_time: '23:00',
		updated: 1700000300,
	},
	{
		shift_id: '7023458093924646923',
		shift_name: 'Night Shift',
		on_time: '22:00',
		off_time: '30:00',
		updated: 1700000400,
	},
	...Array.from({ length: 10 }, (_, i) => ({
		shift_id: String(7023458093924647000n + BigInt(i)),
		shift_name: `Store Shift ${String(i + 1).padStart(2, '0')}`,
		on_time: `${String(8 + (i % 4)).padStart(2, '0')}:00`,
		off_time: `${String(17 + (i % 4)).padStart(2, '0')}:00`,
		updated: 1700001000 + i,
	})),
];

/**
 * Writes over the seed (handlers/ruleWrites.ts): id -> the written group / shift, or null once deleted. Seeds
 * overwritten keep their place in lists; new ones come after the seeds, in creation order.
 */
export const writtenGroups = (state: EmulatorState) => state.store.of<SeedGroup | null>('groups');
export const writtenShifts = (state: EmulatorState) => state.store.of<SeedShift | null>('shifts');

function overlay<T>(seeds: T[], idOf: (t: T) => string, written: Map<string, T | null>): T[] {
	const seedIds = new Set(seeds.map(idOf));
	const merged = seeds.map((t) => (written.has(idOf(t)) ? written.get(idOf(t))! : t));
	for (const [id, t] of written) if (!seedIds.has(id) && t) merged.push(t);
	return merged.filter((t): t is NonNullable<T> => t !== null);
}

/** The tenant's groups and shifts: the seed with the writes over it. */
export const groupsOf = (state: EmulatorState): SeedGroup[] =>
	overlay(GROUPS, (g) => g.group_id, writtenGroups(state));
export const shiftsOf = (state: EmulatorState): SeedShift[] =>
	overlay(SHIFTS, (s) => s.shift_id, writtenShifts(state));
export const groupById = (state: EmulatorState, id: string) =>
	groupsOf(state).find((g) => g.group_id === id);
export const shiftById = (state: EmulatorState, id: string) =>
	shiftsOf(state).find((s) => s.shift_id === id);

/** The employee number of a generated employee_id (emp0042 → 42), 0 for others. */
const numberOf = (employeeId: string) =>
	/^emp\d+$/.test(employeeId) ? Number(employeeId.slice(3)) : 0;

/** The group an employee belongs to (every generated employee is in exactly one). */
export function groupOf(state: EmulatorState, employeeId: string): string | undefined {
	const n = numberOf(employeeId);
	if (n <= 0) return undefined;
	const groups = groupsOf(state);
	// a group written later takes its members out of the seed groups
	return (
		groups.filter((g) => g.written).find((g) => g.members(n)) ??
		groups.find((g) => !g.written && g.members(n))
	)?.group_id;
}

export { numberOf };

function shiftWire(shift: SeedShift): Record<string, unknown> {
	if (shift.written) return shift.written;
	return {
		shift_id: shift.shift_id,
		shift_name: shift.shift_name,
		punch_times: 1,
		is_flexible: false,
		flexible_minutes: 0,
		no_need_off: false,
		punch_time_rule: [
			{
				on_time: shift.on_time,
				off_time: shift.off_time,
				late_minutes_as_late: 1,
				late_minutes_as_lack: 60,
				on_advance_minutes: 120,
				early_minutes_as_early: 1,
				early_minutes_as_lack: 60,
				off_delay_minutes: 240,
			},
		],
		rest_time_rule: [],
		late_minutes_as_serious_late: 30,
	};
}

// ---- pagination ----

function pageOf<T>(
	query: URLSearchParams,
	all: T[],
	kind: string,
): { page: T[]; page_token?: string; has_more: boolean } {
	const rawSize = query.get('page_size');
	const size = rawSize === null || rawSize === '' ? DEFAULT_PAGE_SIZE : Number(rawSize);
	if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
		throw paramError(`page_size must be from 1 to ${MAX_PAGE_SIZE}`);
	const token = query.get('page_token');
	let offset = 0;
	if (token) {
		const decoded = /^([a-z]+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
		if (!decoded || decoded[1] !== kind) throw paramError('page_token invalid');
		offset = Number(decoded[2]);
	}
	const page = all.slice(offset, offset + size);
	const next = offset + size;
	return next < all.length
		? { page, page_token: Buffer.from(`${kind}:${next}`).toString('base64url'), has_more: true }
		: { page, has_more: false };
}

// ---- groups ----

/** GET /groups */
export function listGroups({ state, query }: RequestContext): Reply {
	const { page, ...rest } = pageOf(query, groupsOf(state), 'groups');
	return ok({
		group_list: page.map((g) => ({ group_id: g.group_id, group_name: g.group_name })),
		...rest,
	});
}

function deptType(query: URLSearchParams): void {
	if (query.get('dept_type') !== 'open_id') throw paramError('dept_type invalid');
}

export function requireGroup(state: EmulatorState, id: string | undefined): SeedGroup {
	const group = id ? groupById(state, id) : undefined;
	if (!group) throw generalError('rule does not exist');
	return group;
}

/** GET /groups/:id — data is the group object itself. */
export function getGroup({ state, query, params }: RequestContext): Reply {
	const type = employeeTypeOf(query);
	deptType(query);
	const group = requireGroup(state, params.id);
	if (group.written) {
		const ids = (v: unknown) =>
			Array.isArray(v) ? v.map((id: string) => state.directory.idAs(id, type)) : v;
		const w = group.written;
		return ok({
			...w,
			group_leader_ids: ids(w.group_leader_ids),
			sub_group_leader_ids: ids(w.sub_group_leader_ids),
			bind_user_ids: ids(w.bind_user_ids),
			except_user_ids: ids(w.except_user_ids),
		});
	}
	const fixed = group.group_type !== 2;
	const leader = state.directory.idAs('emp0001', type);
	return ok({
		group_id: group.group_id,
		group_name: group.group_name,
		time_zone: 'Asia/Shanghai',
		group_type: group.group_type,
		bind_dept_ids: [],
		except_dept_ids: [],
		bind_user_ids: [],
		except_user_ids: [],
		group_leader_ids: [leader],
		sub_group_leader_ids: [],
		punch_day_shift_ids: fixed
			? [SHIFT_ID, SHIFT_ID, SHIFT_ID, SHIFT_ID, SHIFT_ID, REST_SHIFT_ID, REST_SHIFT_ID]
			: [],
		calendar_id: 1,
		allow_remedy: true,
		remedy_limit: true,
		remedy_limit_count: 5,
		punch_type: 1,
		effect_time: String(group.updated),
	});
}

/** GET /groups/:id/list_user — members, paginated; member_clock_type 0 all, 1 must punch, 2 need not punch. */
export function listGroupUsers({ state, query, params }: RequestContext): Reply {
	const type = employeeTypeOf(query);
	deptType(query);
	const clock = query.get('member_clock_type');
	if (clock === null || !['0', '1', '2'].includes(clock))
		throw paramError('member_clock_type invalid');
	const group = requireGroup(state, params.id);
	const members: string[] = [];
	// employees bound to a group written later are that group's members (groupOf)
	const claimed = group.written
		? []
		: groupsOf(state).filter((g) => g.written && g.group_id !== group.group_id);
	for (let n = 1; n <= state.options.employees; n++) {
		if (!group.members(n) || claimed.some((g) => g.members(n))) continue;
		const mustPunch = n % 7 !== 0;
		if ((clock === '1' && !mustPunch) || (clock === '2' && mustPunch)) continue;
		members.push(
			`emp${String(n).padStart(Math.max(4, String(state.options.employees).length), '0')}`,
		);
	}
	const { page, ...rest } = pageOf(query, members, 'members');
	return ok({
		users: page.map((id) => ({
			user_id: state.directory.idAs(id, type),
			department_ids: [`od-${group.group_id.slice(-6)}`],
		})),
		...rest,
	});
}

/** POST /groups/search — fuzzy (or exact) name match, at most 10, most recently changed first. */
export function searchGroups({ state, body }: RequestContext): Reply {
	validateFields(body, {
		group_name: { type: 'string' },
		exactly_matched: { type: 'boolean', optional: true },
	});
	const name = (body.group_name as string).trim();
	if (!name) throw paramError('group_name is required');
	const exact = body.exactly_matched === true;
	const found = groupsOf(state)
		.filter((g) =>
			exact ? g.group_name === name : g.group_name.toLowerCase().includes(name.toLowerCase()),
		)
		.sort((a, b) => b.updated - a.updated)
		.slice(0, 10);
	return ok({ group_list: found.map((g) => ({ group_id: g.group_id, group_name: g.group_name })) });
}

// ---- shifts ----

/** GET /shifts */
export function listShifts({ state, query }: RequestContext): Reply {
	const { page, ...rest } = pageOf(query, shiftsOf(state), 'shifts');
	return ok({ shift_list: page.map(shiftWire), ...rest });
}

export const shiftMissing = () => new FeishuError(400, SHIFT_NOT_FOUND, 'shift does not exist');

/** GET /shifts/:id — data is the shift object. */
export function getShift({ state, params }: RequestContext): Reply {
	const shift = params.id ? shiftById(state, params.id) : undefined;
	if (!shift) throw shiftMissing();
	return ok(shiftWire(shift));
}

/**
 * POST /shifts/query?shift_name= — one shift; fuzzy: of the shifts whose name contains the text, the most
 * recently changed (even when another one has exactly that name).
 */
export function queryShift({ state, query }: RequestContext): Reply {
	const name = (query.get('shift_name') ?? '').trim().toLowerCase();
	if (!name) throw paramError('shift_name is required');
	const found = shiftsOf(state)
		.filter((s) => s.shift_name.toLowerCase().includes(name))
		.sort((a, b) => b.updated - a.updated)[0];
	if (!found) throw shiftMissing();
	return ok(shiftWire(found));
}

// ---- schedules ----

export interface StoredSchedule {
	group_id: string;
	shift_id: string;
}

const scheduleKey = (employeeId: string, day: number) => `${employeeId}|${day}`;

interface WireEntry {
	group_id: string;
	shift_id: string;
	month: number;
	user_id: string;
	day_no: number;
	is_clear_schedule?: boolean;
}

/** POST /user_daily_shifts/batch_create */
export function batchCreateSchedules({ state, query, body }: RequestContext): Reply {
	const type = employeeTypeOf(query);
	const list = body.user_daily_shifts;
	if (!Array.isArray(list) || list.length === 0) throw paramError('user_daily_shifts is required');
	if (list.length > MAX_SCHEDULE_ENTRIES)
		throw paramError(`user_daily_shifts exceeds the limit of ${MAX_SCHEDULE_ENTRIES}`);
	validateFields(body, { operator_id: { type: 'string', optional: true } });
	if (body.operator_id === undefined || body.operator_id === null || body.operator_id === '') {
		if (state.options.scheduleOperatorRequired) throw paramError('operator_id is required');
	} else if (!state.directory.find(body.operator_id, type)) {
		throw userError([body.operator_id as string]);
	}
	const entries = list.map((raw, i) => {
		const where = `user_daily_shifts[${i}]`;
		if (!isObject(raw)) throw paramError(`${where} must be an object`);
		validateFields(
			raw,
			{
				group_id: { type: 'string' },
				shift_id: { type: 'string' },
				month: { type: 'int' },
				user_id: { type: 'string' },
				day_no: { type: 'int' },
				is_clear_schedule: { type: 'boolean', optional: true },
			},
			where,
		);
		const entry = raw as unknown as WireEntry;
		const day = entry.month * 100 + entry.day_no;
		if (!isValidDay(day) || entry.day_no < 1)
			throw paramError(`${where}.day_no is not a day of month ${entry.month}`);
		requireGroup(state, entry.group_id);
		if (entry.shift_id !== REST_SHIFT_ID && !shiftById(state, entry.shift_id)) throw shiftMissing();
		return { entry, day };
	});
	const users = new Map(
		requireUsers(
			state.directory,
			entries.map(({ entry }) => entry.user_id),
			type,
		).map((v) => [v.id, v.employee]),
	);

	const notApplied = new Map<string, number[]>();
	const applied: WireEntry[] = [];
	for (const { entry, day } of entries) {
		const employee = users.get(entry.user_id)!;
		if (groupOf(state, employee.employee_id) !== entry.group_id) {
			notApplied.set(entry.user_id, [...(notApplied.get(entry.user_id) ?? []), day]);
			continue;
		}
		const key = scheduleKey(employee.employee_id, day);
		if (entry.is_clear_schedule === true) state.store.schedules.delete(key);
		else state.store.schedules.set(key, { group_id: entry.group_id, shift_id: entry.shift_id });
		applied.push(entry);
	}
	const msg = notApplied.size > 0 ? JSON.stringify(Object.fromEntries(notApplied)) : 'success';
	return ok({ user_daily_shifts: applied }, msg);
}

/** POST /user_daily_shifts/query — the stored entries of the users in the range (days without one are omitted). */
export function querySchedules({ state, query, body }: RequestContext): Reply {
	const type = employeeTypeOf(query);
	const ids = idList(body, 'user_ids', MAX_QUERY_USERS);
	const { from, to } = dayRange(body, MAX_QUERY_DAY_DIFF);
	const users = requireUsers(state.directory, ids, type);
	const result: Array<Record<string, unknown>> = [];
	for (const { id, employee } of users) {
		const days = [...state.store.schedules.keys()]
			.filter((key) => key.startsWith(`${employee.employee_id}|`))
			.map((key) => Number(key.split('|')[1]))
			.filter((day) => day >= from && day <= to)
			.sort((a, b) => a - b);
		for (const day of days) {
			const stored = state.store.schedules.get(scheduleKey(employee.employee_id, day))!;
			result.push({ ...stored, month: Math.floor(day / 100), user_id: id, day_no: day % 100 });
		}
	}
	return ok({ user_daily_shifts: result });
}

/** Stored schedules as (employee_id, yyyyMMdd, group, shift), for tests. */
export function schedulesOf(
	state: EmulatorState,
): Array<StoredSchedule & { user_id: string; day: number }> {
	return [...state.store.schedules.entries()].map(([key, value]) => {
		const [user, day] = key.split('|');
		return { user_id: user, day: Number(day), ...value };
	});
}
