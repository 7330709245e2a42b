import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { employeeQueryProperties, timezoneOption } from '../../descriptions/common';
import { chunk } from '../../helpers/batching';
import { compact } from '../../helpers/output';
import { queryEmployees, readEmployeeDayRange } from '../../helpers/query';
import type { ColumnNaming, StatCell, StatsType } from './statistics';
import {
	STATS_MAX_EMPLOYEES,
	STATS_ROW_CAP,
	STATS_SAFE_EMPLOYEES,
	columnFieldNames,
	dayOfStatRow,
	flattenStatCells,
	parseStatValue,
	readOperatorId,
	statRowHead,
	statsWindows,
} from './statistics';
import type { DayWindow } from '../../helpers/time';
import { addDays, daysBetween } from '../../helpers/time';
import type { FeishuClient, FeishuRequest, FeishuResponse } from '../../transport';
import { localeProperty, operatorProperty, statsTypeProperty } from './common';
import { readLimit, readSimplify } from '../../helpers/parameters';

const SIMPLIFY_KEEPS_1_0 =
	"employee, day or period, and each column's value as the report shows it. Off: also each column's number and unit, the ID type and the statistics type.";
const SIMPLIFY_HINT_1_1 =
	'One number per figure, named by its column code (e.g. 52202), units apart; Get Columns names the codes';

/** Version 1.1 on: new nodes return every row (a cut payroll export is wrong money) and simplified figures. */
const SINCE_1_1 = { '@version': [{ _cnd: { gte: 1.1 } }] };
const BEFORE_1_1 = { '@version': [{ _cnd: { lt: 1.1 } }] };

const baseProperties: INodeProperties[] = employeeQueryProperties({
	days: true,
	employeeIds:
		'Employees whose statistics to get: one ID per item, or several separated by commas. Every employee is asked once, however many items name them; each row is paired with the items that asked for it.',
	from: 'First day of the period (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd. For a monthly export of last month use e.g. {{ $today.minus({ months: 1 }).startOf("month") }}.',
	to: 'Last day of the period, inclusive. Long periods are asked in several calls (at most 31 days each; Monthly: one per calendar month) and merged.',
	// Statistics Type, Language and the options below but Timezone: one choice for the run (read from the first
	// item), so they take no expression.
	filters: [
		{ ...statsTypeProperty, noDataExpression: true },
		operatorProperty,
		{ ...localeProperty, noDataExpression: true },
	],
	simplify: SIMPLIFY_KEEPS_1_0,
	options: [
		{
			displayName: 'Column Names',
			name: 'columnNames',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Code',
					value: 'code',
					description:
						'Stable column codes such as 52102 (the same in every language; best for a fixed mapping)',
				},
				{
					name: 'Title',
					value: 'title',
					description: 'Column titles as in the Feishu report, in the chosen language',
				},
			],
			default: 'title',
			description:
				'How the statistics columns are named in the output. Each column also gets "(number)" and "(unit)" fields (code: "_number", "_unit") when its text is one quantity such as "5 days" or "0.5 hours".',
		},
		{
			displayName: 'Current Group Only',
			name: 'currentGroupOnly',
			noDataExpression: true,
			type: 'boolean',
			default: false,
			description:
				"Whether to count only the data of each employee's current attendance group. Off: data of every group the employee was in during the period.",
		},
		{
			displayName: 'Employees per Call',
			name: 'employeesPerCall',
			noDataExpression: true,
			type: 'number',
			typeOptions: { minValue: 1, maxValue: STATS_MAX_EMPLOYEES },
			default: STATS_SAFE_EMPLOYEES,
			description:
				'Most employees asked in one Feishu call. 20 works on Feishu and Lark; Feishu accepts up to 200 (fewer calls, shorter daily windows). If Feishu rejects a larger number the node falls back to 20.',
		},
		{
			displayName: 'Include Cell Details',
			name: 'includeCells',
			noDataExpression: true,
			type: 'boolean',
			default: false,
			description:
				"Whether to add Feishu's cells as they came (code, title, value, features such as Abnormal, duration) in a field named cells",
		},
		{
			displayName: 'Include Departed Employees',
			name: 'includeDeparted',
			noDataExpression: true,
			type: 'boolean',
			default: false,
			description:
				'Whether to also return statistics of employees who have left or moved out (need_history)',
		},
		timezoneOption,
	],
});

/**
 * Return All and Simplify per node version: saved nodes (1) keep Return All off and Simplify off with their
 * meaning then; new nodes (1.1) return every row and, simplified, one number per figure keyed by its column code.
 */
const properties: INodeProperties[] = baseProperties.flatMap((property): INodeProperties[] => {
	if (property.name === 'returnAll') {
		return [
			{ ...property, displayOptions: { show: BEFORE_1_1 } },
			{
				...property,
				default: true,
				description:
					'Whether to return all results or only up to a given limit. A payroll export cut at a limit pays the wrong money.',
				displayOptions: { show: SINCE_1_1 },
			},
		];
	}
	if (property.name === 'simplify') {
		return [
			{ ...property, displayOptions: { show: BEFORE_1_1 } },
			{
				...property,
				default: true,
				description:
					'Whether to return, per employee and day or period, one field per column named by its code (the same in every report language): the number for a figure ("12 minutes" → 12), else the text, with each figure\'s unit in units. Off: Feishu\'s text with its number and unit.',
				hint: SIMPLIFY_HINT_1_1,
				displayOptions: { show: SINCE_1_1 },
			},
		];
	}
	return [property];
});

export const description = updateDisplayOptions(
	{ show: { resource: ['statistics'], operation: ['getMany'] } },
	properties,
);

interface StatsQuery {
	employeeIdType: string;
	from: number;
	to: number;
	operatorId: string;
	simplify: boolean;
}

/** Fields a simplified row keeps before the columns (Simplify). */
const SIMPLE_HEAD = [
	'status',
	'employee_id',
	'employee_name',
	'date_iso',
	'period_from',
	'period_to',
];

/** A statistics row with the head fields and one field per column (its text), without the number and unit fields. */
function simplifiedStatRow(
	head: IDataObject,
	columns: IDataObject,
	naming: ColumnNaming,
): IDataObject {
	const out: IDataObject = {};
	for (const field of SIMPLE_HEAD) if (head[field] !== undefined) out[field] = head[field];
	const derived = new Set<string>();
	for (const key of Object.keys(columns)) {
		const names = columnFieldNames(key, naming);
		if (names.number in columns || names.unit in columns) derived.add(names.number).add(names.unit);
	}
	for (const [key, value] of Object.entries(columns)) if (!derived.has(key)) out[key] = value;
	return out;
}

/**
 * A simplified row of node version 1.1: the head fields and one field per cell named by its code (stable in every
 * report language): a number where Feishu's text is one quantity, else the text; `units`: code → unit of figures.
 */
function figuresRow(head: IDataObject, cells: StatCell[]): IDataObject {
	const out: IDataObject = {};
	for (const field of SIMPLE_HEAD) if (head[field] !== undefined) out[field] = head[field];
	const units: IDataObject = {};
	for (const cell of cells) {
		const code = String(cell.code ?? '');
		if (code === '' || code in out) continue;
		const quantity = parseStatValue(cell.value);
		out[code] = quantity ? quantity.number : (cell.value ?? '');
		if (quantity?.unit !== undefined) units[code] = quantity.unit;
	}
	if (Object.keys(units).length > 0) out.units = units;
	return out;
}

/** The answer for one planned call: the rows of each (sub-)window asked, and the IDs Feishu refused. */
interface StatsAnswer {
	parts: Array<{ window: DayWindow; rows: IDataObject[] }>;
	invalid: Array<{ id: string; message?: string }>;
}

const PATH = '/user_stats_datas/query';
const CODE_PARAM = 1220001;
const CODE_USER = 1220004;
const CODE_NO_PERMISSION = 1220005;

const INVALID_MESSAGE =
	"Feishu returns no statistics for this employee ID: it is unknown, or outside the app's data permission. Check the ID, the Employee ID Type, and the app's data-permission range in the attendance admin console.";

/** Reads the Employees per Call option (a whole number from 1 to 200). */
function readEmployeesPerCall(ctx: IExecuteFunctions, options: IDataObject): number {
	const raw = options.employeesPerCall ?? STATS_SAFE_EMPLOYEES;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > STATS_MAX_EMPLOYEES) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Employees per Call must be a whole number from 1 to ${STATS_MAX_EMPLOYEES}, got ${JSON.stringify(raw)}`,
			{
				itemIndex: 0,
				description: `Use ${STATS_SAFE_EMPLOYEES} (works on Feishu and Lark) or up to ${STATS_MAX_EMPLOYEES} on Feishu.`,
			},
		);
	}
	return value;
}

/** Splits a window in two halves (the first half one day longer when odd). */
function halves(window: DayWindow): [DayWindow, DayWindow] {
	const firstEnd = addDays(window.from, Math.floor(daysBetween(window.from, window.to) / 2));
	return [
		{ from: window.from, to: firstEnd },
		{ from: addDays(firstEnd, 1), to: window.to },
	];
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const statsType = this.getNodeParameter('statsType', 0, 'month') as StatsType;
	const locale = this.getNodeParameter('locale', 0, 'en') as string;
	const naming = (options.columnNames === 'code' ? 'code' : 'title') as ColumnNaming;
	const includeCells = options.includeCells === true;
	const employeesPerCall = readEmployeesPerCall(this, options);
	const version = this.getNode().typeVersion;
	const marked = new Set<string>();
	// Per Employee ID Type and operator: Feishu's refusal of the operator (read once), or undefined when it knows them.
	const operatorChecks = new Map<string, Promise<NodeApiError | undefined>>();

	/**
	 * Whether Feishu refuses the operator itself: a call refused with 1220004 may be about an employee or about the
	 * operator (Feishu refuses every call then). user_stats_views/query takes only the operator, so one call of it
	 * tells them apart, instead of halving the employees down to single IDs and blaming each.
	 * UNCONFIRMED: see docs/ASSUMPTIONS.md#statistics-unknown-operator
	 */
	const operatorRefusal = async (
		query: StatsQuery,
		itemIndex: number,
	): Promise<NodeApiError | undefined> => {
		const key = `${query.employeeIdType}|${query.operatorId}`;
		let check = operatorChecks.get(key);
		if (!check) {
			const req: FeishuRequest = {
				method: 'POST',
				path: '/user_stats_views/query',
				qs: { employee_type: query.employeeIdType },
				body: { locale, stats_type: statsType, user_id: query.operatorId },
				repeatable: true,
				acceptCodes: [CODE_PARAM, CODE_USER, CODE_NO_PERMISSION],
				itemIndex,
			};
			check = client.request<IDataObject>(req).then((answer) =>
				answer.code === 0
					? undefined
					: client.errorFor(answer as FeishuResponse<unknown>, req, {
							message: `Feishu does not accept the Operator ID ${query.operatorId}: it refuses every statistics call with it`,
							note: `The operator must be an attendance admin whose ID Feishu knows for the Employee ID Type (${query.employeeIdType}) and whom the app may see. Check Operator ID (Statistics → Get Report Settings with it answers the same).`,
						}),
			);
			operatorChecks.set(key, check);
		}
		return await check;
	};
	// Set once Feishu rejected a call with more than 20 employees (Lark's documented limit): from then on
	// every call is sent in chunks of 20. UNCONFIRMED: see docs/ASSUMPTIONS.md#statistics-employee-limit
	let employeeLimitRejected = false;

	/**
	 * One planned call, made safe: never a truncated reply (a reply of exactly 1,000 rows is split into
	 * fewer employees, then shorter windows, and asked again), a rejected employee count falls back to 20,
	 * and an employee refusal for the whole call (UNCONFIRMED: see docs/ASSUMPTIONS.md#statistics-invalid-users)
	 * is narrowed down to the IDs concerned.
	 */
	const ask = async (
		query: StatsQuery,
		employeeIds: string[],
		window: DayWindow,
		itemIndex: number,
	): Promise<StatsAnswer> => {
		if (employeeLimitRejected && employeeIds.length > STATS_SAFE_EMPLOYEES) {
			return merge(
				await Promise.all(
					chunk(employeeIds, STATS_SAFE_EMPLOYEES).map(
						async (ids) => await ask(query, ids, window, itemIndex),
					),
				),
			);
		}
		const req: FeishuRequest = {
			method: 'POST',
			path: PATH,
			qs: { employee_type: query.employeeIdType },
			body: {
				locale,
				stats_type: statsType,
				start_date: window.from,
				end_date: window.to,
				user_ids: employeeIds,
				need_history: options.includeDeparted === true,
				current_group_only: options.currentGroupOnly === true,
				user_id: query.operatorId,
			},
			repeatable: true,
			acceptCodes: [CODE_PARAM, CODE_USER],
			itemIndex,
		};
		const response = await client.request<IDataObject>(req);
		const splitEmployees = async () => {
			const half = Math.ceil(employeeIds.length / 2);
			return merge([
				await ask(query, employeeIds.slice(0, half), window, itemIndex),
				await ask(query, employeeIds.slice(half), window, itemIndex),
			]);
		};
		if (response.code === CODE_PARAM) {
			if (employeeIds.length > STATS_SAFE_EMPLOYEES) {
				employeeLimitRejected = true;
				return await ask(query, employeeIds, window, itemIndex);
			}
			throw client.errorFor(response as FeishuResponse<unknown>, req, {
				note: 'Check Operator ID (an attendance admin, in the Employee ID Type) and the period.',
			});
		}
		if (response.code === CODE_USER) {
			// The operator, or some employees? One call that names only the operator tells.
			const refusal = await operatorRefusal(query, itemIndex);
			if (refusal) throw refusal;
			if (employeeIds.length > 1) return await splitEmployees();
			return { parts: [], invalid: [{ id: employeeIds[0], message: response.msg }] };
		}
		const data = response.data ?? {};
		const rows = (Array.isArray(data.user_datas) ? data.user_datas : []) as IDataObject[];
		const invalid = ((data.invalid_user_list ?? []) as unknown[]).map((id) => ({ id: String(id) }));
		if (rows.length >= STATS_ROW_CAP) {
			// Feishu cuts replies at 1,000 rows without a word: ask again in smaller calls.
			if (employeeIds.length > 1) return await splitEmployees();
			if (window.from < window.to) {
				const [first, second] = halves(window);
				return merge([
					await ask(query, employeeIds, first, itemIndex),
					await ask(query, employeeIds, second, itemIndex),
				]);
			}
			throw client.errorFor(response as FeishuResponse<unknown>, req, {
				subject: `employee ${employeeIds[0]}`,
				message: `Feishu returned ${rows.length} statistics rows for one employee and one day; the reply may be cut off, so nothing is output for it`,
			});
		}
		return { parts: [{ window, rows }], invalid };
	};

	return await queryEmployees<StatsQuery, DayWindow, StatsAnswer>(this, client, items.length, {
		read: (itemIndex) => {
			// Each item reads its own Timezone (its days are days in that zone); items are asked together only
			// when ID type, days, operator, zone and Simplify are equal.
			const { employeeIdType, lookup, employeeIds, from, to, timeZone } = readEmployeeDayRange(
				this,
				itemIndex,
			);
			const simplify = readSimplify(this, itemIndex, version >= 1.1);
			const operatorId = readOperatorId(
				this,
				itemIndex,
				'Feishu requires an operator: the ID of an attendance admin (in the Employee ID Type) whose report settings decide which columns come back.',
			);
			return {
				employeeIds,
				lookup,
				key: JSON.stringify([employeeIdType, from, to, operatorId, timeZone, simplify]),
				params: { employeeIdType, from, to, operatorId, simplify },
			};
		},
		windows: (query) => statsWindows(query.from, query.to, statsType, employeesPerCall),
		employeesPerCall,
		send: async ({ group, employeeIds, window, itemIndex }) =>
			await ask(group.params, employeeIds, window, itemIndex),
		onCallErrors: (callErrors) => {
			for (const error of callErrors) {
				if (error instanceof NodeApiError && error.errorResponse?.code === 1228000) {
					error.description =
						`${error.description ?? ''} Feishu's statistics service failed; try again later or with a shorter period.`.trim();
				}
			}
		},
		rows: ({ group, result }, add) => {
			const { employeeIdType, simplify } = group.params;
			for (const { id, message } of result.invalid) {
				const key = `${group.index}|${id}`;
				if (marked.has(key)) continue;
				marked.add(key);
				add(
					id,
					compact({
						employee_id: id,
						employee_id_type: employeeIdType,
						status: 'invalid',
						message: INVALID_MESSAGE,
						feishu_message: message,
					}),
				);
			}
			for (const { window, rows } of result.parts) {
				for (const row of rows) {
					const cells = (Array.isArray(row.datas) ? row.datas : []) as StatCell[];
					const day = statsType === 'daily' ? dayOfStatRow(cells, window) : undefined;
					const head = statRowHead(row, employeeIdType, statsType, window, day);
					add(
						String(row.user_id ?? ''),
						simplify
							? version >= 1.1
								? figuresRow(head, cells)
								: simplifiedStatRow(head, flattenStatCells(cells, naming), naming)
							: {
									...head,
									...flattenStatCells(cells, naming),
									...(includeCells ? { cells: cells as unknown as IDataObject[] } : {}),
								},
					);
				}
			}
		},
		limit: readLimit(this, version >= 1.1),
		counts: (row) => row.status === 'ok',
	});
}

function merge(answers: StatsAnswer[]): StatsAnswer {
	return { parts: answers.flatMap((a) => a.parts), invalid: answers.flatMap((a) => a.invalid) };
}
