/**
 * Attendance statistics, computed from the stored punches and approved approvals:
 *   POST user_stats_datas/query   daily / monthly rows of display values ("5 days", "0.5 hours", "No record (-)")
 *   POST user_stats_fields/query  the column catalogue
 *   POST user_stats_views/query   the operator's report settings
 *
 * Rules (Feishu's docs of user_stats_datas, user_stats_fields and user_stats_views): employee_type required; locale en|ja|zh; stats_type daily|month; start_date /
 * end_date integer yyyyMMdd, at most 31 days (fields: 40); user_ids required, at most `maxStatsUsers` (default 200,
 * Lark's page says 20) else 400/1220001; the operator `user_id` required (400/1220001) and a known employee
 * (400/1220004 naming it, option statsUnknownOperator).
 * Unknown and unauthorized IDs go to `invalid_user_list` (statsInvalidUserMode 'list', the SDK reading) or fail the
 * call with 400/1220004 ('reject'). Replies are cut at 1,000 rows without a word, as Feishu documents.
 *
 * Model (same as user_tasks): one group, shift 09:00–18:00 Asia/Shanghai Monday–Friday; rows only for days up to
 * today. Daily: one row per employee per day (user-major), with a Date column; Monthly: one row per employee with
 * the period's totals and a column per date. `statsRowsPerUserDay` (default 1) repeats each row, as for an
 * employee whose data comes from several attendance groups (current_group_only false); it makes truncation
 * reachable in tests.
 */
import { ok, type EmulatorState, type Reply, type RequestContext } from '../context';
import { CODES, FeishuError, paramError, userError } from '../errors';
import {
	addDays,
	atTime,
	DAY_SECONDS,
	daysBetween,
	dayOf,
	dayStart,
	isValidDay,
	parseLocalDateTime,
	weekday,
} from '../time';
import type { StoredApproval, StoredFlow } from '../types';
import type { Employee } from '../users';
import { employeeTypeOf, idList, isObject, validateFields, type Body } from '../validate';

export const STATS_ROW_CAP = 1000;
type Locale = 'en' | 'ja' | 'zh';
type Unit = 'day' | 'hour' | 'minute' | 'times' | 'text';

/** A column: code, titles per locale, and the unit of its value. */
interface Column {
	code: string;
	titles: Record<Locale, string>;
	unit: Unit;
	timeUnit?: string;
}
interface ColumnGroup {
	code: string;
	titles: Record<Locale, string>;
	columns: Column[];
}

const col = (
	code: string,
	en: string,
	zh: string,
	ja: string,
	unit: Unit,
	timeUnit?: string,
): Column => ({
	code,
	titles: { en, zh, ja },
	unit,
	timeUnit,
});

const BASIC: ColumnGroup = {
	code: '501',
	titles: { en: 'Basic info', zh: '基本信息', ja: '基本情報' },
	columns: [
		col('50101', 'Name', '姓名', '氏名', 'text'),
		col('50102', 'Employee No.', '工号', '社員番号', 'text'),
		col('50103', 'Attendance group', '考勤组', '勤怠グループ', 'text'),
	],
};
const DATE: ColumnGroup = {
	code: '512',
	titles: { en: 'Date', zh: '日期', ja: '日付' },
	columns: [col('51201', 'Date', '日期', '日付', 'text')],
};
const FIGURES: ColumnGroup[] = [
	{
		code: '521',
		titles: { en: 'Attendance statistics', zh: '出勤统计', ja: '出勤統計' },
		columns: [
			col('52101', 'Required attendance days', '应出勤天数', '所定出勤日数', 'day'),
			col('52102', 'Days of attendance', '实际出勤天数', '出勤日数', 'day'),
			col('52104', 'Required attendance duration', '应出勤时长', '所定労働時間', 'hour', 'Hour'),
			col('52105', 'Actual attendance duration', '实际出勤时长', '実労働時間', 'hour', 'Hour'),
			col('52107', 'Overtime hours', '加班时长', '残業時間', 'hour', 'Hour'),
		],
	},
	{
		code: '522',
		titles: { en: 'Abnormal statistics', zh: '异常统计', ja: '異常統計' },
		columns: [
			col('52201', 'Late in times', '迟到次数', '遅刻回数', 'times'),
			col('52202', 'Late in duration', '迟到时长', '遅刻時間', 'minute', 'Minute'),
			col('52203', 'Early out times', '早退次数', '早退回数', 'times'),
			col('52207', 'No records', '缺卡次数', '打刻漏れ回数', 'times'),
		],
	},
	{
		code: '523',
		titles: { en: 'Leave', zh: '请假', ja: '休暇' },
		columns: [col('52301', 'Leave hours', '请假时长', '休暇時間', 'hour', 'Hour')],
	},
];
const PUNCHES_DAILY: ColumnGroup = {
	code: '524',
	titles: { en: 'Daily statistics', zh: '每日统计', ja: '日次統計' },
	columns: [col('52401', 'Punch results', '打卡结果', '打刻結果', 'text')],
};

const WORDS: Record<Locale, Record<string, string>> = {
	en: {
		noRecord: 'No record (-)',
		Normal: 'Normal',
		Late: 'Late',
		Early: 'Early',
		rest: 'Rest',
		group: 'Default group',
	},
	zh: {
		noRecord: '缺卡(-)',
		Normal: '正常',
		Late: '迟到',
		Early: '早退',
		rest: '休息',
		group: '默认考勤组',
	},
	ja: {
		noRecord: '打刻なし(-)',
		Normal: '正常',
		Late: '遅刻',
		Early: '早退',
		rest: '休み',
		group: 'デフォルトグループ',
	},
};
const WEEKDAYS: Record<Locale, string[]> = {
	en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
	zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
	ja: ['(日)', '(月)', '(火)', '(水)', '(木)', '(金)', '(土)'],
};

/** A figure as Feishu writes it: number and unit in the locale ("5 days", "0.5小时", "2回"). */
function display(value: number, unit: Unit, locale: Locale): string {
	const hours = (n: number) => n.toFixed(1);
	switch (unit) {
		case 'day':
			return locale === 'en'
				? `${value} ${value === 1 ? 'day' : 'days'}`
				: `${value}${locale === 'zh' ? '天' : '日'}`;
		case 'hour':
			return locale === 'en'
				? `${hours(value)} hours`
				: `${hours(value)}${locale === 'zh' ? '小时' : '時間'}`;
		case 'minute':
			return locale === 'en' ? `${value} minutes` : `${value}${locale === 'zh' ? '分钟' : '分'}`;
		case 'times':
			return locale === 'en' ? `${value} times` : `${value}${locale === 'zh' ? '次' : '回'}`;
		default:
			return String(value);
	}
}

const isoOf = (day: number) =>
	`${String(day).slice(0, 4)}-${String(day).slice(4, 6)}-${String(day).slice(6, 8)}`;
const hhmm = (seconds: number) => {
	const t = new Date((seconds + 8 * 3600) * 1000);
	return `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
};

/** One employee's figures for one day. */
interface DayFigures {
	required: number;
	attended: number;
	requiredHours: number;
	actualHours: number;
	overtimeHours: number;
	late: number;
	lateMinutes: number;
	early: number;
	noRecord: number;
	leaveHours: number;
	punches: string;
	abnormal: boolean;
}

const overlapHours = (a: StoredApproval, from: number, to: number) => {
	const start = Math.max(parseLocalDateTime(a.start_time) ?? 0, from);
	const end = Math.min(parseLocalDateTime(a.end_time) ?? 0, to);
	return end > start ? Math.round(((end - start) / 3600) * 2) / 2 : 0;
};

function figuresOf(
	day: number,
	punches: StoredFlow[],
	approvals: StoredApproval[],
	locale: Locale,
): DayFigures {
	const words = WORDS[locale];
	const overtimeHours = approvals
		.filter(
			(a) => a.kind === 'overtime_works' && dayOf(parseLocalDateTime(a.start_time) ?? 0) === day,
		)
		.reduce((sum, a) => sum + overlapHours(a, 0, Number.MAX_SAFE_INTEGER), 0);
	const figures: DayFigures = {
		required: 0,
		attended: 0,
		requiredHours: 0,
		actualHours: 0,
		overtimeHours,
		late: 0,
		lateMinutes: 0,
		early: 0,
		noRecord: 0,
		leaveHours: 0,
		punches: words.rest,
		abnormal: false,
	};
	if (weekday(day) < 1 || weekday(day) > 5) return figures;
	const shiftIn = atTime(day, 9);
	const shiftOut = atTime(day, 18);
	const first = punches[0] ? Number(punches[0].check_time) : undefined;
	const last = punches.length > 1 ? Number(punches[punches.length - 1].check_time) : undefined;
	const leaveHours = Math.min(
		8,
		approvals
			.filter((a) => a.kind === 'leaves')
			.reduce((s, a) => s + overlapHours(a, shiftIn, shiftOut), 0),
	);
	const side = (time: number | undefined, bad: boolean, badWord: string) =>
		time === undefined ? words.noRecord : `${bad ? badWord : words.Normal}(${hhmm(time)})`;
	const late = first !== undefined && first > shiftIn;
	const early = last !== undefined && last < shiftOut;
	Object.assign(figures, {
		required: 1,
		attended: first !== undefined ? 1 : 0,
		requiredHours: 8,
		actualHours:
			first !== undefined && last !== undefined
				? Math.round(((Math.min(last, shiftOut) - Math.max(first, shiftIn)) / 3600) * 10) / 10
				: 0,
		late: late ? 1 : 0,
		lateMinutes: late ? Math.ceil((first - shiftIn) / 60) : 0,
		early: early ? 1 : 0,
		noRecord: leaveHours >= 8 ? 0 : (first === undefined ? 1 : 0) + (last === undefined ? 1 : 0),
		leaveHours,
		punches: `${side(first, late, words.Late)}, ${side(last, early, words.Early)}`,
	});
	figures.abnormal = figures.late + figures.early + figures.noRecord > 0;
	return figures;
}

function sum(days: DayFigures[]): DayFigures {
	const total = (key: keyof DayFigures) => days.reduce((s, d) => s + (d[key] as number), 0);
	return {
		required: total('required'),
		attended: total('attended'),
		requiredHours: total('requiredHours'),
		actualHours: Math.round(total('actualHours') * 10) / 10,
		overtimeHours: total('overtimeHours'),
		late: total('late'),
		lateMinutes: total('lateMinutes'),
		early: total('early'),
		noRecord: total('noRecord'),
		leaveHours: total('leaveHours'),
		punches: '',
		abnormal: days.some((d) => d.abnormal),
	};
}

const FIGURE_OF: Record<string, keyof DayFigures> = {
	'52101': 'required',
	'52102': 'attended',
	'52104': 'requiredHours',
	'52105': 'actualHours',
	'52107': 'overtimeHours',
	'52201': 'late',
	'52202': 'lateMinutes',
	'52203': 'early',
	'52207': 'noRecord',
	'52301': 'leaveHours',
};

function cell(column: Column, value: string, locale: Locale, abnormal?: boolean) {
	return {
		code: column.code,
		title: column.titles[locale],
		value,
		features: abnormal === undefined ? [] : [{ key: 'Abnormal', value: String(abnormal) }],
	};
}

function figureCells(figures: DayFigures, locale: Locale) {
	return FIGURES.flatMap((g) => g.columns).map((c) =>
		cell(c, display(figures[FIGURE_OF[c.code]] as number, c.unit, locale), locale),
	);
}

function basicCells(employee: Employee, locale: Locale) {
	const [name, number, group] = BASIC.columns;
	return [
		cell(name, employee.name, locale),
		cell(number, employee.employee_no, locale),
		cell(group, WORDS[locale].group, locale),
	];
}

const LOCALES = ['en', 'ja', 'zh'] as const;
const STATS_TYPES = ['daily', 'month'] as const;

function readCommon(body: Body, datesRequired: boolean) {
	validateFields(body, {
		locale: { type: 'string', oneOf: LOCALES },
		stats_type: { type: 'string', oneOf: STATS_TYPES },
		start_date: { type: 'int', optional: !datesRequired },
		end_date: { type: 'int', optional: !datesRequired },
		user_id: { type: 'string', optional: true },
		need_history: { type: 'boolean', optional: true },
		current_group_only: { type: 'boolean', optional: true },
	});
	return { locale: body.locale as Locale, statsType: body.stats_type as 'daily' | 'month' };
}

function readDates(body: Body, maxDays: number): { from: number; to: number } {
	const from = body.start_date;
	const to = body.end_date;
	if (!isValidDay(from)) throw paramError('start_date must be an integer date yyyyMMdd');
	if (!isValidDay(to)) throw paramError('end_date must be an integer date yyyyMMdd');
	if (from > to) throw paramError('start_date is later than end_date');
	if (daysBetween(from, to) + 1 > maxDays)
		throw paramError(`the time span between start_date and end_date exceeds ${maxDays} days`);
	return { from, to };
}

/** The operator (body user_id): required in the new statistics system, and a known employee. */
function readOperator(
	state: EmulatorState,
	body: Body,
	idType: 'employee_id' | 'employee_no' | 'open_id',
): Employee {
	const id = body.user_id;
	if (typeof id !== 'string' || id === '')
		throw paramError('user_id is required: the operator whose report settings are used');
	const operator = state.directory.find(id, idType);
	if (!operator || !operator.authorized) {
		if (state.options.statsUnknownOperator === 'param-error')
			throw paramError(`user_id (operator) ${id} is invalid`);
		throw new FeishuError(
			400,
			CODES.USER_INVALID,
			`user missing or no permission: operator user_id ${id}`,
		);
	}
	return operator;
}

export function queryStatsData({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	const { locale, statsType } = readCommon(body, true);
	const { from, to } = readDates(body, 31);
	const userIds = idList(body, 'user_ids', state.options.maxStatsUsers);
	readOperator(state, body, idType);

	const lookup = state.directory.lookup([...new Set(userIds)], idType);
	const refused = [...lookup.invalid, ...lookup.unauthorized];
	if (refused.length > 0 && state.options.statsInvalidUserMode === 'reject')
		throw userError(refused);

	const flows = new Map<string, StoredFlow[]>();
	for (const flow of state.store.flows()) {
		const list = flows.get(flow.user_id);
		if (list) list.push(flow);
		else flows.set(flow.user_id, [flow]);
	}
	const lastDay = Math.min(to, state.today());
	const repeat = Math.max(1, Math.floor(state.options.statsRowsPerUserDay));
	const rows: unknown[] = [];
	for (const { id, employee } of lookup.valid) {
		const own = (flows.get(employee.employee_id) ?? []).sort(
			(a, b) => Number(a.check_time) - Number(b.check_time),
		);
		const approvals = state.store
			.approvalsOfUser(employee.employee_id)
			.filter((a) => a.status === 2);
		const days: Array<{ day: number; figures: DayFigures }> = [];
		for (let day = from; day <= lastDay; day = addDays(day, 1)) {
			const punches = own.filter(
				(f) =>
					Number(f.check_time) >= dayStart(day) &&
					Number(f.check_time) < dayStart(day) + DAY_SECONDS,
			);
			days.push({ day, figures: figuresOf(day, punches, approvals, locale) });
		}
		const base = { name: employee.name, user_id: id };
		const answer: unknown[] = [];
		if (statsType === 'daily') {
			for (const { day, figures } of days) {
				answer.push({
					...base,
					datas: [
						...basicCells(employee, locale),
						cell(DATE.columns[0], isoOf(day), locale),
						...figureCells(figures, locale),
						cell(PUNCHES_DAILY.columns[0], figures.punches, locale, figures.abnormal),
					],
				});
			}
		} else if (days.length > 0) {
			answer.push({
				...base,
				datas: [
					...basicCells(employee, locale),
					...figureCells(sum(days.map((d) => d.figures)), locale),
					...days.map(({ day, figures }) =>
						cell(dateColumn(day), figures.punches, locale, figures.abnormal),
					),
				],
			});
		}
		for (const row of answer) for (let i = 0; i < repeat; i++) rows.push(row);
	}
	return ok({ user_datas: rows.slice(0, STATS_ROW_CAP), invalid_user_list: refused });
}

const dateColumn = (day: number): Column => {
	const w = weekday(day);
	return {
		code: isoOf(day),
		titles: {
			en: `${isoOf(day)} ${WEEKDAYS.en[w]}`,
			zh: `${isoOf(day)} ${WEEKDAYS.zh[w]}`,
			ja: `${isoOf(day)} ${WEEKDAYS.ja[w]}`,
		},
		unit: 'text',
	};
};

function groupsFor(statsType: 'daily' | 'month', from: number, to: number): ColumnGroup[] {
	if (statsType === 'daily') return [BASIC, DATE, ...FIGURES, PUNCHES_DAILY];
	const dates: Column[] = [];
	for (let day = from; day <= to; day = addDays(day, 1)) dates.push(dateColumn(day));
	return [BASIC, ...FIGURES, { ...PUNCHES_DAILY, columns: dates }];
}

export function queryStatsFields({ query, body }: RequestContext): Reply {
	employeeTypeOf(query);
	const { locale, statsType } = readCommon(body, true);
	const { from, to } = readDates(body, 40);
	const fields = groupsFor(statsType, from, to).map((g) => ({
		code: g.code,
		title: g.titles[locale],
		child_fields: g.columns.map((c) => ({
			code: c.code,
			title: c.titles[locale],
			...(c.timeUnit ? { time_unit: c.timeUnit } : {}),
		})),
	}));
	return ok({ user_stats_field: { stats_type: statsType, user_id: '', fields } }, '');
}

/** Report settings written by PUT user_stats_views/:id: view_id -> child item code -> "0" / "1". */
const storedViews = (state: EmulatorState) => state.store.of<Record<string, string>>('views');

const viewGroups = (statsType: 'daily' | 'month') =>
	statsType === 'daily'
		? [BASIC, DATE, ...FIGURES, PUNCHES_DAILY]
		: [BASIC, ...FIGURES, PUNCHES_DAILY];
const viewIdOf = (operator: Employee, statsType: string) =>
	Buffer.from(`${operator.employee_id}:${statsType}`).toString('base64');

function viewOf(
	state: EmulatorState,
	operator: Employee,
	statsType: 'daily' | 'month',
	locale: Locale,
	userId: unknown,
) {
	const viewId = viewIdOf(operator, statsType);
	const switches = storedViews(state).get(viewId) ?? {};
	const items = viewGroups(statsType).map((g) => ({
		code: g.code,
		title: g.titles[locale],
		child_items: g.columns.map((c) => ({
			code: c.code,
			value: switches[c.code] ?? '1',
			title: c.titles[locale],
			column_type: 0,
			read_only: g === BASIC,
			min_value: '',
			max_value: '',
		})),
	}));
	return { view_id: viewId, stats_type: statsType, user_id: userId, items };
}

export function queryStatsViews({ state, query, body }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	const { locale, statsType } = readCommon(body, false);
	const operator = readOperator(state, body, idType);
	return ok({ view: viewOf(state, operator, statsType, locale, body.user_id) });
}

/**
 * PUT /user_stats_views/:id — overwrites the operator's report settings (Feishu's doc of PUT user_stats_views, "全量覆盖更新"):
 * the path id and view.view_id must be a view user_stats_views/query answered, for the same stats_type and operator
 * (user_id); every item and child item code must be one of the view's; values "0" (off) / "1" (on); read-only
 * columns (basic information) cannot be switched off. Child items left out are switched off (one reading of the
 * full overwrite, UNCONFIRMED: docs/ASSUMPTIONS.md#report-settings-update). Errors 400/1220001. Answer: the view
 * as user_stats_views/query would now answer it (titles in English).
 */
export function updateStatsView({ state, query, body, params }: RequestContext): Reply {
	const idType = employeeTypeOf(query);
	const view = body.view;
	if (!isObject(view)) throw paramError('view is required');
	validateFields(
		view,
		{
			view_id: { type: 'string' },
			stats_type: { type: 'string', oneOf: STATS_TYPES },
			user_id: { type: 'string' },
			items: { type: 'array', optional: true },
		},
		'view',
	);
	if (view.view_id !== params.id)
		throw paramError('view.view_id does not match user_stats_view_id');
	const decoded = /^([^:]+):(daily|month)$/.exec(
		Buffer.from(params.id ?? '', 'base64').toString('utf8'),
	);
	if (!decoded || viewIdOf({ employee_id: decoded[1] } as Employee, decoded[2]) !== params.id)
		throw paramError('user_stats_view_id invalid');
	const operator = readOperator(state, view, idType);
	if (operator.employee_id !== decoded[1] || view.stats_type !== decoded[2])
		throw paramError('view does not belong to this user_id and stats_type');
	const statsType = view.stats_type as 'daily' | 'month';
	const groups = viewGroups(statsType);
	const switches: Record<string, string> = {};
	for (const g of groups) for (const c of g.columns) switches[c.code] = g === BASIC ? '1' : '0';
	((view.items ?? []) as unknown[]).forEach((raw, i) => {
		const where = `view.items[${i}]`;
		validateFields(
			raw,
			{ code: { type: 'string' }, child_items: { type: 'array', optional: true } },
			where,
		);
		const item = raw as Body;
		const group = groups.find((g) => g.code === item.code);
		if (!group)
			throw paramError(`${where}.code ${String(item.code)} is not a column group of this report`);
		((item.child_items ?? []) as unknown[]).forEach((rawChild, j) => {
			const at = `${where}.child_items[${j}]`;
			validateFields(
				rawChild,
				{ code: { type: 'string' }, value: { type: 'string', oneOf: ['0', '1'] } },
				at,
			);
			const child = rawChild as Body;
			if (!group.columns.some((c) => c.code === child.code))
				throw paramError(`${at}.code ${String(child.code)} is not a column of ${group.code}`);
			if (group === BASIC && child.value === '0')
				throw paramError(`${at}: ${String(child.code)} is read-only and cannot be switched off`);
			switches[child.code as string] = child.value as string;
		});
	});
	storedViews(state).set(params.id!, switches);
	return ok({ view: viewOf(state, operator, statsType, 'en', view.user_id) });
}
