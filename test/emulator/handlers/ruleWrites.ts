/**
 * Rules as configuration (Feishu's docs of the group, shift and temporary-shift writes): writes over the seed groups and shifts of rules.ts.
 *   POST   groups                               create a group, or overwrite one when group.group_id is set (the whole group)
 *   DELETE groups/:group_id
 *   POST   shifts                               create a shift, or overwrite one when `id` is set
 *   DELETE shifts/:shift_id
 *   POST   user_daily_shifts/batch_create_temp  one-off (temporary) shifts for an employee's day
 *
 * Groups: query `employee_type` (employee_id | employee_no) and `dept_type` (open_id) required; group_name unique,
 * time_zone an IANA zone, group_type 0/1 fixed, 2 shift-based, 3 free; a fixed group needs 7 punch_day_shift_ids
 * (Monday→Sunday, each a shift or "0" = rest); calendar_id 0–5; group_leader_ids at least one known employee;
 * bind_user_ids known employees (they become the group's members: moved out of their seed group). operator_id
 * required unless the scheduleOperatorRequired option is false (as user_daily_shifts/batch_create). Missing group:
 * 400/1220600 'rule does not exist' (as GET). Parameter errors 400/1220001.
 * Shifts: shift_name unique; punch_times 1–3 and equal to the number of punch_time_rule entries; times H:mm (the next
 * day as +24 h, up to 48:00), off after on, sections in order; minute fields integers ≥ 0, on_advance_minutes ≤ 720,
 * off_delay_minutes ≤ 960. Missing shift: 400/1226003. A shift a group's week uses cannot be deleted (400/1220600,
 * UNCONFIRMED: docs/ASSUMPTIONS.md#rule-writes).
 * Temporary shifts (a paid feature): ≤ 50 entries {group_id, user_id, date yyyyMMdd, shift_name,
 * punch_time_simple_rules 1–3 {on_time, off_time}}; each applied entry becomes the day's schedule (an upsert per
 * employee and day, read back by user_daily_shifts/query with the temporary shift's id); entries for a group the
 * employee is not in are not applied and reported in msg `{"<user>":[yyyyMMdd,…]}` with code 0, as batch_create.
 * The option `tempShiftsEnabled: false` (tenant without the paid feature) refuses the call with 400/1220600.
 */
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { generalError, paramError, userError } from '../errors';
import { newNumericId } from '../store';
import { isValidDay, nowSeconds } from '../time';
import { requireUsers } from '../users';
import { employeeTypeOf, isObject, validateFields, type Body } from '../validate';
import type { EmployeeIdType } from '../types';
import {
	groupOf,
	groupsOf,
	numberOf,
	REST_SHIFT_ID,
	requireGroup,
	shiftById,
	shiftMissing,
	shiftsOf,
	writtenGroups,
	writtenShifts,
	type SeedGroup,
	type SeedShift,
} from './rules';
import { SHIFT_ID } from './tasks';

const MAX_TEMP_ENTRIES = 50;
const MAX_SECTIONS = 3;

function operatorCheck(state: EmulatorState, body: Body, type: EmployeeIdType): void {
	validateFields(body, { operator_id: { type: 'string', optional: true } });
	if (body.operator_id === undefined || body.operator_id === '') {
		if (state.options.scheduleOperatorRequired) throw paramError('operator_id is required');
	} else if (!state.directory.find(body.operator_id, type)) {
		throw userError([body.operator_id as string]);
	}
}

const isZone = (zone: string) => {
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return zone.includes('/') || zone === 'UTC';
	} catch {
		return false;
	}
};

/** Known ids of `field` (optional array) → employee_ids. */
function employeeIds(
	state: EmulatorState,
	value: unknown,
	field: string,
	type: EmployeeIdType,
	required = false,
): string[] {
	if (value === undefined) {
		if (required) throw paramError(`group.${field} is required`);
		return [];
	}
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
		throw paramError(`group.${field} must contain strings`);
	if (required && value.length === 0) throw paramError(`group.${field} is required`);
	return requireUsers(state.directory, value as string[], type).map((v) => v.employee.employee_id);
}

/** POST /groups */
export function createOrUpdateGroup({ state, query, body }: RequestContext): Reply {
	const type = employeeTypeOf(query);
	if (query.get('dept_type') !== 'open_id') throw paramError('dept_type invalid');
	const group = body.group;
	if (!isObject(group)) throw paramError('group is required');
	validateFields(
		group,
		{
			group_id: { type: 'string', optional: true },
			group_name: { type: 'string' },
			time_zone: { type: 'string' },
			group_type: { type: 'int', oneOf: [0, 1, 2, 3] },
			punch_day_shift_ids: { type: 'array' },
			calendar_id: { type: 'int', oneOf: [0, 1, 2, 3, 4, 5] },
		},
		'group',
	);
	operatorCheck(state, body, type);
	const name = (group.group_name as string).trim();
	if (!name) throw paramError('group.group_name is required');
	if (!isZone(group.time_zone as string)) throw paramError('group.time_zone invalid');
	const existing =
		group.group_id === undefined || group.group_id === ''
			? undefined
			: requireGroup(state, group.group_id as string);
	if (groupsOf(state).some((g) => g.group_name === name && g.group_id !== existing?.group_id))
		throw generalError('group name already exists');
	const week = group.punch_day_shift_ids as unknown[];
	const fixed = group.group_type === 0 || group.group_type === 1;
	if (fixed && week.length !== 7)
		throw paramError(
			'group.punch_day_shift_ids must have 7 entries (Monday to Sunday) for a fixed group',
		);
	week.forEach((id, i) => {
		if (typeof id !== 'string')
			throw paramError(`group.punch_day_shift_ids[${i}] must be a string`);
		if (id !== REST_SHIFT_ID && !shiftById(state, id)) throw shiftMissing();
	});
	const leaders = employeeIds(state, group.group_leader_ids, 'group_leader_ids', type, true);
	const bind = employeeIds(state, group.bind_user_ids, 'bind_user_ids', type);
	const except = new Set(employeeIds(state, group.except_user_ids, 'except_user_ids', type));
	const members = new Set(bind.filter((id) => !except.has(id)).map(numberOf));
	const groupId = existing?.group_id ?? newNumericId();
	const written: Record<string, unknown> = {
		...group,
		group_id: groupId,
		group_name: name,
		group_leader_ids: leaders,
		sub_group_leader_ids: employeeIds(
			state,
			group.sub_group_leader_ids,
			'sub_group_leader_ids',
			type,
		),
		bind_user_ids: bind,
		except_user_ids: [...except],
	};
	const stored: SeedGroup = {
		group_id: groupId,
		group_name: name,
		group_type: group.group_type as number,
		updated: nowSeconds(),
		members: (n) => members.has(n),
		written,
	};
	writtenGroups(state).set(groupId, stored);
	const ids = (list: string[]) => list.map((id) => state.directory.idAs(id, type));
	return ok({
		group: {
			...written,
			group_leader_ids: ids(leaders),
			bind_user_ids: ids(bind),
			except_user_ids: ids([...except]),
		},
	});
}

/** DELETE /groups/:id */
export function deleteGroup({ state, params }: RequestContext): Reply {
	const group = requireGroup(state, params.id);
	writtenGroups(state).set(group.group_id, null);
	return ok({});
}

// ---- shifts ----

/** 'H:mm' / 'HH:mm' up to 48:00 → minutes, or undefined */
function minutesOf(text: unknown): number | undefined {
	const m = typeof text === 'string' ? /^(\d{1,2}):([0-5]\d)$/.exec(text) : null;
	if (!m) return undefined;
	const minutes = Number(m[1]) * 60 + Number(m[2]);
	return minutes <= 48 * 60 ? minutes : undefined;
}

/** Sections {on_time, off_time} in order, each off after on, not overlapping. */
function checkSections(sections: unknown[], where: string): void {
	let last = -1;
	sections.forEach((section, i) => {
		const s = section as Body;
		const on = minutesOf(s.on_time);
		const off = minutesOf(s.off_time);
		if (on === undefined) throw paramError(`${where}[${i}].on_time must be H:mm`);
		if (off === undefined) throw paramError(`${where}[${i}].off_time must be H:mm`);
		if (off <= on) throw paramError(`${where}[${i}].off_time must be after on_time`);
		if (on <= last) throw paramError(`${where}[${i}] overlaps the section before it`);
		last = off;
	});
}

const MINUTE_FIELDS = [
	'late_minutes_as_late',
	'late_minutes_as_lack',
	'on_advance_minutes',
	'early_minutes_as_early',
	'early_minutes_as_lack',
	'off_delay_minutes',
];

/** POST /shifts */
export function createOrUpdateShift({ state, query, body }: RequestContext): Reply {
	if (query.has('employee_type')) employeeTypeOf(query);
	validateFields(body, {
		shift_name: { type: 'string' },
		punch_times: { type: 'int' },
		punch_time_rule: { type: 'array' },
		id: { type: 'string', optional: true },
	});
	const name = (body.shift_name as string).trim();
	if (!name) throw paramError('shift_name is required');
	const existing =
		body.id === undefined || body.id === '' ? undefined : shiftById(state, body.id as string);
	if (body.id !== undefined && body.id !== '' && !existing) throw shiftMissing();
	if (shiftsOf(state).some((s) => s.shift_name === name && s.shift_id !== existing?.shift_id))
		throw generalError('shift name already exists');
	const rules = body.punch_time_rule as unknown[];
	const times = body.punch_times as number;
	if (times < 1 || times > MAX_SECTIONS)
		throw paramError(`punch_times must be from 1 to ${MAX_SECTIONS}`);
	if (rules.length !== times) throw paramError('punch_time_rule must have punch_times entries');
	rules.forEach((rule, i) => {
		const where = `punch_time_rule[${i}]`;
		if (!isObject(rule)) throw paramError(`${where} must be an object`);
		validateFields(
			rule,
			Object.fromEntries(MINUTE_FIELDS.map((f) => [f, { type: 'int' as const }])),
			where,
		);
		for (const f of MINUTE_FIELDS)
			if ((rule[f] as number) < 0) throw paramError(`${where}.${f} must not be negative`);
		if ((rule.on_advance_minutes as number) > 720)
			throw paramError(`${where}.on_advance_minutes must be at most 720`);
		if ((rule.off_delay_minutes as number) > 960)
			throw paramError(`${where}.off_delay_minutes must be at most 960`);
	});
	checkSections(rules, 'punch_time_rule');
	if (body.rest_time_rule !== undefined) {
		if (!Array.isArray(body.rest_time_rule)) throw paramError('rest_time_rule must be an array');
		checkSections(
			body.rest_time_rule.map((r: Body) => ({
				on_time: r?.rest_begin_time,
				off_time: r?.rest_end_time,
			})),
			'rest_time_rule',
		);
	}
	const shiftId = existing?.shift_id ?? newNumericId();
	const first = rules[0] as Body;
	const written: Record<string, unknown> = { ...body, shift_id: shiftId, shift_name: name };
	delete written.id;
	const stored: SeedShift = {
		shift_id: shiftId,
		shift_name: name,
		on_time: first.on_time as string,
		off_time: (rules[rules.length - 1] as Body).off_time as string,
		updated: nowSeconds(),
		written,
	};
	writtenShifts(state).set(shiftId, stored);
	return ok({ shift: written });
}

/** DELETE /shifts/:id */
export function deleteShift({ state, params }: RequestContext): Reply {
	const shift = params.id ? shiftById(state, params.id) : undefined;
	if (!shift) throw shiftMissing();
	const usedBy = groupsOf(state).find((g) => {
		// seed fixed groups work the Day Shift Monday to Friday (rules.ts getGroup)
		const week = g.written
			? (g.written.punch_day_shift_ids as string[])
			: g.group_type !== 2
				? [SHIFT_ID]
				: [];
		return week.includes(shift.shift_id);
	});
	if (usedBy) throw generalError(`shift is used by attendance group ${usedBy.group_name}`);
	writtenShifts(state).set(shift.shift_id, null);
	return ok({});
}

// ---- temporary shifts ----

/** POST /user_daily_shifts/batch_create_temp */
export function batchCreateTempShifts({ state, query, body }: RequestContext): Reply {
	const type = employeeTypeOf(query);
	if (state.options.tempShiftsEnabled === false)
		throw generalError('temporary shifts are not enabled for this tenant');
	const list = body.user_tmp_daily_shifts;
	if (!Array.isArray(list) || list.length === 0)
		throw paramError('user_tmp_daily_shifts is required');
	if (list.length > MAX_TEMP_ENTRIES)
		throw paramError(`user_tmp_daily_shifts exceeds the limit of ${MAX_TEMP_ENTRIES}`);
	operatorCheck(state, body, type);
	const entries = list.map((raw, i) => {
		const where = `user_tmp_daily_shifts[${i}]`;
		if (!isObject(raw)) throw paramError(`${where} must be an object`);
		validateFields(
			raw,
			{
				group_id: { type: 'string' },
				user_id: { type: 'string' },
				date: { type: 'int' },
				shift_name: { type: 'string' },
				punch_time_simple_rules: { type: 'array' },
			},
			where,
		);
		if (!isValidDay(raw.date)) throw paramError(`${where}.date must be an integer date yyyyMMdd`);
		if (!(raw.shift_name as string).trim()) throw paramError(`${where}.shift_name is required`);
		const sections = raw.punch_time_simple_rules as unknown[];
		if (sections.length === 0 || sections.length > MAX_SECTIONS)
			throw paramError(`${where}.punch_time_simple_rules must have 1 to ${MAX_SECTIONS} entries`);
		sections.forEach((s, j) => {
			if (!isObject(s))
				throw paramError(`${where}.punch_time_simple_rules[${j}] must be an object`);
		});
		checkSections(sections, `${where}.punch_time_simple_rules`);
		requireGroup(state, raw.group_id as string);
		return raw as {
			group_id: string;
			user_id: string;
			date: number;
			shift_name: string;
			punch_time_simple_rules: Body[];
		};
	});
	const users = new Map(
		requireUsers(
			state.directory,
			entries.map((e) => e.user_id),
			type,
		).map((v) => [v.id, v.employee]),
	);
	const notApplied = new Map<string, number[]>();
	const applied: unknown[] = [];
	for (const entry of entries) {
		const employee = users.get(entry.user_id)!;
		if (groupOf(state, employee.employee_id) !== entry.group_id) {
			notApplied.set(entry.user_id, [...(notApplied.get(entry.user_id) ?? []), entry.date]);
			continue;
		}
		const shiftId = newNumericId();
		state.store.of<unknown>('tempShifts').set(shiftId, { shift_id: shiftId, ...entry });
		state.store.schedules.set(`${employee.employee_id}|${entry.date}`, {
			group_id: entry.group_id,
			shift_id: shiftId,
		});
		applied.push(entry);
	}
	const msg = notApplied.size > 0 ? JSON.stringify(Object.fromEntries(notApplied)) : 'success';
	return ok({ user_tmp_daily_shifts: applied }, msg);
}
