/**
 * Punch records (user_flows): batch_create, get, query, batch_del — plus seeding for tests.
 */
import { generalError, paramError } from '../errors';
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { newNumericId } from '../store';
import { DAY_SECONDS, MIN_IMPORT_CHECK_TIME } from '../time';
import type { EmployeeIdType, StoredFlow } from '../types';
import { requireUsers } from '../users';
import {
	boolQuery,
	employeeTypeOf,
	idList,
	validateFields,
	type Body,
	type Rule,
} from '../validate';

const MAX_FLOW_RECORDS = 50;
const MAX_QUERY_USERS = 50;

const FLOW_RECORD_RULES: Record<string, Rule> = {
	user_id: { type: 'string' },
	creator_id: { type: 'string' },
	location_name: { type: 'string' },
	check_time: { type: 'digits' },
	comment: { type: 'string' },
	external_id: { type: 'string', optional: true },
	idempotent_id: { type: 'string', optional: true },
	ssid: { type: 'string', optional: true },
	bssid: { type: 'string', optional: true },
	is_field: { type: 'boolean', optional: true },
	is_wifi: { type: 'boolean', optional: true },
	photo_urls: { type: 'array', optional: true },
};

const optionalString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Builds a stored flow from wire fields; ids are internal employee_ids. */
function buildFlow(
	input: Partial<StoredFlow> & Body,
	userId: string,
	creatorId: string,
	imported: boolean,
): StoredFlow {
	return {
		record_id: optionalString(input.record_id) ?? newNumericId(),
		user_id: userId,
		creator_id: creatorId,
		location_name: String(input.location_name ?? ''),
		check_time: String(input.check_time),
		comment: String(input.comment ?? ''),
		external_id: optionalString(input.external_id),
		idempotent_id: optionalString(input.idempotent_id),
		ssid: optionalString(input.ssid),
		bssid: optionalString(input.bssid),
		is_field: input.is_field === true,
		is_wifi: input.is_wifi === true,
		// seed 002: "type is ignored when called through the open platform, the internal value is always 7"
		type: imported ? 7 : typeof input.type === 'number' ? input.type : 0,
		photo_urls: Array.isArray(input.photo_urls) ? input.photo_urls.map(String) : [],
		imported,
		created_at: Date.now(),
	};
}

/** A stored flow as answered on the wire, with ids in the requested type. */
export function flowToWire(
	state: EmulatorState,
	flow: StoredFlow,
	idType: EmployeeIdType,
): Record<string, unknown> {
	const { imported: _imported, created_at: _createdAt, ...wire } = flow;
	return {
		...wire,
		user_id: state.directory.idAs(flow.user_id, idType),
		creator_id: state.directory.idAs(flow.creator_id, idType),
	};
}

/**
 * POST /open-apis/attendance/v1/user_flows/batch_create
 * Per-record rejects (unknown / unauthorized user or creator, check_time before 2022-01-01+08:00) keep code 0
 * and are listed in msg as `[userId-creatorId, ...]` (seed 000 sample). Duplicates follow `duplicateMode`.
 */
export function batchCreateFlows({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	const records = body.flow_records;
	if (!Array.isArray(records) || records.length === 0) throw paramError('flow_records is required');
	if (records.length > MAX_FLOW_RECORDS) throw generalError('operate too much flow');
	records.forEach((record, i) => validateFields(record, FLOW_RECORD_RULES, `flow_records[${i}]`));

	const mode = state.options.duplicateMode;
	const failedPairs: string[] = [];
	const answered: StoredFlow[] = [];
	const toStore = new Map<string, StoredFlow>(); // record_id -> flow (this call)
	let sawDuplicate = false;

	for (const record of records as Body[]) {
		const pair = `${record.user_id}-${record.creator_id}`;
		const user = state.directory.find(record.user_id, idType);
		const creator = state.directory.find(record.creator_id, idType);
		if (
			!user?.authorized ||
			!creator?.authorized ||
			Number(record.check_time) < MIN_IMPORT_CHECK_TIME
		) {
			failedPairs.push(pair);
			continue;
		}
		const idempotentId = optionalString(record.idempotent_id);
		const existing = idempotentId
			? (state.store.flowByIdempotentId(user.employee_id, idempotentId) ??
				[...toStore.values()].find(
					(f) => f.user_id === user.employee_id && f.idempotent_id === idempotentId,
				))
			: undefined;
		if (existing) {
			sawDuplicate = true;
			if (mode === 'echo') answered.push(existing);
			else failedPairs.push(pair);
			continue;
		}
		const flow = buildFlow(record, user.employee_id, creator.employee_id, true);
		toStore.set(flow.record_id, flow);
		answered.push(flow);
	}

	// 'reject-call': the unique-key conflict fails the whole call and nothing of it is stored
	if (sawDuplicate && mode === 'reject-call') throw generalError('the object already exists');
	toStore.forEach((flow) => state.store.addFlow(flow));
	return ok(
		{ flow_records: answered.map((f) => flowToWire(state, f, idType)) },
		failedPairs.length ? `[${failedPairs.join(', ')}]` : 'success',
	);
}

/**
 * GET /open-apis/attendance/v1/user_flows/:id
 * Unknown record id -> 400 / 1220001 (parameter invalid; the docs list no dedicated "not found" code).
 */
export function getFlow({ state, query, params }: RequestContext): Reply {
	const idType = employeeTypeOf(query, ['employee_id', 'employee_no', 'open_id']);
	const flow = state.store.flow(params.id ?? '');
	if (!flow) throw paramError(`user_flow_id ${params.id} does not exist`);
	return ok(flowToWire(state, flow, idType));
}

/**
 * POST /open-apis/attendance/v1/user_flows/query
 * Window is inclusive on both ends (from <= check_time <= to); span > maxFlowQueryDays -> 1220001.
 */
export function queryFlows({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	boolQuery(query, 'include_terminated_user'); // validated; no terminated users are modelled
	const userIds = idList(body, 'user_ids', MAX_QUERY_USERS);
	validateFields(body, { check_time_from: { type: 'digits' }, check_time_to: { type: 'digits' } });
	const from = Number(body.check_time_from);
	const to = Number(body.check_time_to);
	if (from > to) throw paramError('check_time_from is later than check_time_to');
	if (to - from > state.options.maxFlowQueryDays * DAY_SECONDS)
		throw paramError('time span too long');
	const users = requireUsers(state.directory, userIds, idType);
	const results = users
		.flatMap((u) => state.store.flowsOfUser(u.employee.employee_id, from, to))
		.sort((a, b) => Number(a.check_time) - Number(b.check_time));
	return ok({ user_flow_results: results.map((f) => flowToWire(state, f, idType)) });
}

/**
 * POST /open-apis/attendance/v1/user_flows/batch_del
 * Unknown ids and flows not imported through the API fail; msg is then a JSON map {"<id>":"<reason>"}.
 */
export function batchDeleteFlows({ state, body }: RequestContext): Reply {
	const ids = [...new Set(idList(body, 'record_ids', state.options.maxDeleteIds))];
	const success: string[] = [];
	const failed: string[] = []; // kept separately: object key order would put numeric ids first
	const reasons: Record<string, string> = {};
	for (const id of ids) {
		const flow = state.store.flow(id);
		const reason = !flow
			? 'record not found'
			: !flow.imported
				? 'record was not imported through the open platform'
				: undefined;
		if (reason) {
			failed.push(id);
			reasons[id] = reason;
		} else {
			state.store.deleteFlow(id);
			success.push(id);
		}
	}
	return ok(
		{ success_record_ids: success, fail_record_ids: failed },
		failed.length ? JSON.stringify(reasons) : 'success',
	);
}

/** Stores flows directly (tests / admin). Defaults: creator = user, imported = true. Throws on unknown users. */
export function seedFlows(
	state: EmulatorState,
	records: Array<Partial<StoredFlow> & { user_id: string; check_time: string }>,
	employeeType: 'employee_id' | 'employee_no' = 'employee_id',
): StoredFlow[] {
	return records.map((record) => {
		const user = state.directory.find(record.user_id, employeeType);
		const creator = state.directory.find(record.creator_id ?? record.user_id, employeeType);
		if (!user || !creator)
			throw new Error(`seedFlows: unknown ${employeeType} '${record.user_id}'`);
		if (!/^\d+$/.test(String(record.check_time)))
			throw new Error('seedFlows: check_time must be Unix seconds');
		const flow = buildFlow(
			{ location_name: 'Seeded location', ...record },
			user.employee_id,
			creator.employee_id,
			record.imported ?? true,
		);
		return state.store.addFlow(flow);
	});
}
