/**
 * Archive reports (Feishu's docs of archive_rule): a payroll or third-party attendance system writes its own figures into
 * Feishu's archived reports.
 *   GET  archive_rule                          list archive rules (page_size 1–50, default 20: UNCONFIRMED bounds)
 *   POST archive_rule/user_stats_fields_query  the columns of a rule's report for a month
 *   POST archive_rule/upload_report            write rows (1–50 rows, 1–200 cells per row)
 *   POST archive_rule/del_report               delete rows of a month (some users, or all without user_ids)
 *
 * Rules: `employee_type` (employee_id | employee_no) required on the three POSTs; `month` a string yyyyMM;
 * `archive_rule_id` must name a rule (400/1220001 otherwise); `operator_id` must be a known employee (400/1220004).
 * upload: `member_id` per employee_type; `start_time` / `end_time` strings yyyyMMdd, start ≤ end; unknown column
 * codes are answered in `invalid_code`, unknown members in `invalid_member_id` (code 0, those cells / rows not
 * written). A member's row of a month is replaced by a new upload (the console import is a full overwrite;
 * UNCONFIRMED, docs/ASSUMPTIONS.md#archive-reports), and so is del_report without user_ids deleting the whole month.
 */
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { paramError, userError } from '../errors';
import { isValidDay } from '../time';
import { employeeTypeOf, isObject, validateFields, type Body } from '../validate';
import type { EmployeeIdType } from '../types';

const MAX_ROWS = 50;
const MAX_CELLS = 200;
const MAX_PAGE_SIZE = 50;
const DEFAULT_PAGE_SIZE = 20;

type Locale = 'en' | 'ja' | 'zh';
interface ArchiveColumn {
	code: string;
	titles: Record<Locale, string>;
	upper: Record<Locale, string>;
}
interface ArchiveRule {
	archive_rule_id: string;
	report_id: string;
	names: Record<Locale, string>;
	report: Record<Locale, string>;
	columns: ArchiveColumn[];
}

const column = (code: string, en: string, zh: string, ja: string): ArchiveColumn => ({
	code,
	titles: { en, zh, ja },
	upper: { en: 'Attendance', zh: '考勤统计', ja: '勤怠統計' },
});
const COLUMNS = [
	column('50101', 'Required Days', '应出勤天数', '出勤予定日数'),
	column('50102', 'Actual Days', '实际出勤天数', '実出勤日数'),
	column('50103', 'Late Times', '迟到次数', '遅刻回数'),
	column('50104', 'Overtime Hours', '加班时长', '残業時間'),
	column('50105', 'Leave Days', '请假天数', '休暇日数'),
];

export const ARCHIVE_RULES: ArchiveRule[] = Array.from({ length: 3 }, (_, i) => ({
	archive_rule_id: String(7368001000000000000n + BigInt(i)),
	report_id: String(7368101000000000000n + BigInt(i)),
	names: { en: `Payroll Archive ${i + 1}`, zh: `薪资归档 ${i + 1}`, ja: `給与アーカイブ ${i + 1}` },
	report: { en: 'Monthly Statistics', zh: '月度统计', ja: '月次統計' },
	columns: i === 2 ? COLUMNS.slice(0, 3) : COLUMNS,
}));

export interface ArchiveRow {
	archive_rule_id: string;
	month: string;
	/** employee_id */
	member: string;
	start_time: string;
	end_time: string;
	cells: Record<string, string>;
	operator: string;
}

const rows = (state: EmulatorState) => state.store.of<ArchiveRow>('archive');
const rowKey = (rule: string, month: string, member: string) => `${rule}|${month}|${member}`;

/** Stored archive rows, for tests. */
export const archiveRowsOf = (state: EmulatorState): ArchiveRow[] => [...rows(state).values()];

/** GET /archive_rule */
export function listArchiveRules({ query }: RequestContext): Reply {
	const rawSize = query.get('page_size');
	const size = rawSize === null || rawSize === '' ? DEFAULT_PAGE_SIZE : Number(rawSize);
	if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
		throw paramError(`page_size must be from 1 to ${MAX_PAGE_SIZE}`);
	const token = query.get('page_token');
	let offset = 0;
	if (token) {
		const decoded = /^archive:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
		if (!decoded) throw paramError('page_token invalid');
		offset = Number(decoded[1]);
	}
	const items = ARCHIVE_RULES.slice(offset, offset + size).map((r) => ({
		report_id: r.report_id,
		report_name: r.report,
		archive_rule_id: r.archive_rule_id,
		archive_rule_name: r.names,
	}));
	const next = offset + size;
	return ok(
		next < ARCHIVE_RULES.length
			? { items, page_token: Buffer.from(`archive:${next}`).toString('base64url'), has_more: true }
			: { items, has_more: false },
	);
}

function readMonth(value: unknown, field = 'month'): string {
	if (typeof value !== 'string' || !/^\d{6}$/.test(value) || !isValidDay(Number(`${value}01`)))
		throw paramError(`${field} must be yyyyMM`);
	return value;
}

function common(state: EmulatorState, query: URLSearchParams, body: Body) {
	const type = employeeTypeOf(query);
	validateFields(body, {
		month: { type: 'string' },
		operator_id: { type: 'string' },
		archive_rule_id: { type: 'string' },
	});
	const month = readMonth(body.month);
	const rule = ARCHIVE_RULES.find((r) => r.archive_rule_id === body.archive_rule_id);
	if (!rule) throw paramError('archive_rule_id does not exist');
	const operator = state.directory.find(body.operator_id, type);
	if (!operator) throw userError([body.operator_id as string]);
	return { type, month, rule, operator };
}

/** POST /archive_rule/user_stats_fields_query */
export function queryArchiveFields({ state, query, body }: RequestContext): Reply {
	const { rule } = common(state, query, body);
	validateFields(body, { locale: { type: 'string', optional: true, oneOf: ['en', 'ja', 'zh'] } });
	const locale = (body.locale ?? 'zh') as Locale;
	return ok({
		archive_report_fields: rule.columns.map((c) => ({
			code: c.code,
			title: c.titles[locale],
			upper_titles: [c.upper[locale]],
		})),
	});
}

const memberOf = (state: EmulatorState, id: unknown, type: EmployeeIdType) => {
	const employee = state.directory.find(id, type);
	return employee?.authorized ? employee : undefined;
};

/** POST /archive_rule/upload_report */
export function uploadArchiveReport({ state, query, body }: RequestContext): Reply {
	const { type, month, rule, operator } = common(state, query, body);
	const list = body.archive_report_datas ?? [];
	if (!Array.isArray(list)) throw paramError('archive_report_datas must be an array');
	if (list.length > MAX_ROWS)
		throw paramError(`archive_report_datas exceeds the limit of ${MAX_ROWS}`);
	const parsed = list.map((raw, i) => {
		const where = `archive_report_datas[${i}]`;
		if (!isObject(raw)) throw paramError(`${where} must be an object`);
		validateFields(
			raw,
			{
				member_id: { type: 'string' },
				start_time: { type: 'string' },
				end_time: { type: 'string' },
				field_datas: { type: 'array', optional: true },
			},
			where,
		);
		for (const field of ['start_time', 'end_time']) {
			if (!/^\d{8}$/.test(raw[field] as string) || !isValidDay(Number(raw[field])))
				throw paramError(`${where}.${field} must be yyyyMMdd`);
		}
		if (Number(raw.start_time) > Number(raw.end_time))
			throw paramError(`${where}.start_time is later than end_time`);
		const cells = (raw.field_datas ?? []) as unknown[];
		if (cells.length > MAX_CELLS)
			throw paramError(`${where}.field_datas exceeds the limit of ${MAX_CELLS}`);
		cells.forEach((c, j) =>
			validateFields(
				c,
				{ code: { type: 'string' }, value: { type: 'string', optional: true } },
				`${where}.field_datas[${j}]`,
			),
		);
		return { raw, cells: cells as Array<{ code: string; value?: string }> };
	});
	const invalidCode = new Set<string>();
	const invalidMember = new Set<string>();
	const known = new Set(rule.columns.map((c) => c.code));
	for (const { raw, cells } of parsed) {
		const member = memberOf(state, raw.member_id, type);
		if (!member) {
			invalidMember.add(raw.member_id as string);
			continue;
		}
		const written: Record<string, string> = {};
		for (const c of cells) {
			if (known.has(c.code)) written[c.code] = c.value ?? '';
			else invalidCode.add(c.code);
		}
		rows(state).set(rowKey(rule.archive_rule_id, month, member.employee_id), {
			archive_rule_id: rule.archive_rule_id,
			month,
			member: member.employee_id,
			start_time: raw.start_time as string,
			end_time: raw.end_time as string,
			cells: written,
			operator: operator.employee_id,
		});
	}
	return ok({ invalid_code: [...invalidCode], invalid_member_id: [...invalidMember] });
}

/** POST /archive_rule/del_report */
export function deleteArchiveReport({ state, query, body }: RequestContext): Reply {
	const { type, month, rule } = common(state, query, body);
	validateFields(body, { user_ids: { type: 'array', optional: true } });
	const ids = body.user_ids as unknown[] | undefined;
	if (ids?.some((id) => typeof id !== 'string')) throw paramError('user_ids must contain strings');
	const members =
		ids === undefined
			? undefined
			: new Set(ids.map((id) => state.directory.find(id, type)?.employee_id).filter(Boolean));
	for (const [key, row] of rows(state)) {
		if (row.archive_rule_id !== rule.archive_rule_id || row.month !== month) continue;
		if (members === undefined || members.has(row.member)) rows(state).delete(key);
	}
	return ok({});
}
