import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeNotice, optionsCollection } from '../../descriptions/common';
import { FEISHU_MAX_BATCH, forEachBatch } from '../../helpers/batching';
import {
	NOT_DONE_REASONS,
	doneItem,
	failedItem,
	invalidItem,
	notDoneItem,
} from '../../helpers/outcome';
import { inputError, validateItems } from '../../helpers/output';
import { textParameter } from '../../helpers/parameters';
import { readText } from '../../helpers/values';
import type { FeishuClient } from '../../transport';
import type { RuleMonth } from './archive';
import {
	fetchArchiveFields,
	readRuleMonth,
	ruleMonthBody,
	ruleMonthKey,
	ruleProperties,
} from './archive';

const properties: INodeProperties[] = [
	changeNotice(
		'archiveNotice',
		"This writes figures into Feishu's archived attendance report (what payroll reads): one item is one employee's row of the month.",
	),
	...ruleProperties,
	{
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_id }}',
		description: 'Whose row of the month this item writes',
	},
	{
		displayName: 'Figures',
		name: 'figures',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Figure',
		default: {},
		description:
			"The row's figures, by column code (Get Fields lists the codes of the rule's report)",
		options: [
			{
				displayName: 'Figure',
				name: 'figure',
				values: [
					{
						displayName: 'Column Code',
						name: 'code',
						type: 'string',
						default: '',
						placeholder: 'e.g. 50102',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $json.days_worked }}',
					},
				],
			},
		],
	},
	optionsCollection([
		{
			displayName: 'First Day',
			name: 'firstDay',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2025-01-01',
			description: "First day the row covers (default: the month's first day)",
		},
		{
			displayName: 'Last Day',
			name: 'lastDay',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2025-01-31',
			description: "Last day the row covers (default: the month's last day)",
		},
		{
			displayName: 'Replace Existing Row',
			name: 'replaceRow',
			type: 'boolean',
			default: true,
			description:
				"Whether to delete the employee's row of the month before writing it, so that a re-run leaves exactly the figures sent (Feishu does not say whether an upload replaces or merges a row)",
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['archiveReport'], operation: ['upload'] } },
	properties,
);

interface Row {
	target: RuleMonth;
	employeeId: string;
	start: string;
	end: string;
	cells: Array<{ code: string; value: string }>;
	replace: boolean;
}

/** yyyyMMdd of 2025-01-31 / 20250131, or undefined. */
function readDay(raw: unknown): string | undefined {
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.slice(0, 10));
	if (!match) return undefined;
	const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return date.getUTCDate() === Number(match[3]) ? `${match[1]}${match[2]}${match[3]}` : undefined;
}

function readRow(ctx: IExecuteFunctions, itemIndex: number): Row {
	const target = readRuleMonth(ctx, itemIndex);
	const employeeId = textParameter(ctx, itemIndex, 'employeeId', 'Employee ID');
	if (employeeId === '')
		throw inputError(
			ctx,
			itemIndex,
			'Employee ID is empty',
			'Give the employee whose row this item writes.',
		);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const year = Number(target.month.slice(0, 4));
	const month = Number(target.month.slice(4));
	const lastOfMonth = `${target.month}${String(new Date(Date.UTC(year, month, 0)).getUTCDate()).padStart(2, '0')}`;
	const day = (name: string, label: string, fallback: string) => {
		if (options[name] === undefined || options[name] === '') return fallback;
		const value = readDay(options[name]);
		if (!value)
			throw inputError(
				ctx,
				itemIndex,
				`${label} "${String(options[name])}" is not a date`,
				'Give a day such as 2025-01-31.',
			);
		return value;
	};
	const start = day('firstDay', 'First Day', `${target.month}01`);
	const end = day('lastDay', 'Last Day', lastOfMonth);
	if (start > end) throw inputError(ctx, itemIndex, `First Day ${start} is after Last Day ${end}`);
	const raw = ctx.getNodeParameter('figures.figure', itemIndex, []) as IDataObject[];
	const cells = raw.map((figure, position) => {
		try {
			const code = readText(figure.code, `Column Code of figure ${position + 1}`);
			const raw = figure.value;
			const blank =
				raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
			return { code, value: blank ? '' : readText(raw, `Value of figure ${position + 1}`) };
		} catch (error) {
			throw inputError(
				ctx,
				itemIndex,
				(error as Error).message,
				'Give every figure a column code (Get Fields lists them) and a value.',
			);
		}
	});
	if (cells.length === 0)
		throw inputError(
			ctx,
			itemIndex,
			'No figures',
			"Add the row's figures under Figures, by column code.",
		);
	if (cells.length > 200)
		throw inputError(ctx, itemIndex, `${cells.length} figures: Feishu takes at most 200 per row`);
	return { target, employeeId, start, end, cells, replace: options.replaceRow !== false };
}

const STATUS = 'uploaded';

/**
 * One row per item (archive_rule/upload_report, up to 50 rows per call, as Feishu documents). Before anything is
 * written, the rule's columns are read once per rule, month and operator, and a figure for a column the report
 * lacks refuses its item. With Replace Existing Row the rows are deleted first (del_report with the employees),
 * which leaves exactly what was sent under both readings of an upload over an existing row.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#archive-reports.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) =>
		readRow(this, itemIndex),
	);
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors)
		out.set(itemIndex, invalidItem(this, item, itemIndex, 'failed'));
	const groups = new Map<string, Array<{ itemIndex: number; value: Row }>>();
	const seen = new Map<string, number>();
	for (const entry of valid) {
		const key = ruleMonthKey(entry.value.target);
		const rowKey = `${key}${entry.value.employeeId}`;
		const first = seen.get(rowKey);
		if (first !== undefined) {
			const error = inputError(
				this,
				entry.itemIndex,
				`Same employee and month as item ${first}`,
				'Give each employee one row per month and rule.',
			);
			out.set(
				entry.itemIndex,
				failedItem(
					this,
					error,
					'failed',
					{ employee_id: entry.value.employeeId },
					entry.itemIndex,
					NOT_DONE_REASONS.invalidInput,
				),
			);
			continue;
		}
		seen.set(rowKey, entry.itemIndex);
		groups.set(key, [...(groups.get(key) ?? []), entry]);
	}
	await Promise.all(
		[...groups.values()].map(async (rows) => {
			const target = rows[0].value.target;
			const fields = (row: Row) => ({
				employee_id: row.employeeId,
				archive_rule_id: target.ruleId,
				month: target.month,
			});
			let known: Set<string>;
			try {
				known = new Set(
					(await fetchArchiveFields(client, target, 'en', rows[0].itemIndex)).map((f) =>
						String(f.code),
					),
				);
			} catch (error) {
				for (const { itemIndex, value } of rows)
					out.set(itemIndex, failedItem(this, error, 'failed', fields(value), itemIndex));
				return;
			}
			const sendable = rows.filter(({ itemIndex, value }) => {
				const unknown = value.cells
					.filter((cell) => !known.has(cell.code))
					.map((cell) => cell.code);
				if (unknown.length === 0) return true;
				const error = inputError(
					this,
					itemIndex,
					`Column code ${unknown.join(', ')} is not in the report of archive rule ${target.ruleId}`,
					`Its columns are ${[...known].join(', ')} (Archive Report → Get Fields).`,
				);
				out.set(
					itemIndex,
					failedItem(
						this,
						error,
						'failed',
						fields(value),
						itemIndex,
						NOT_DONE_REASONS.invalidInput,
					),
				);
				return false;
			});
			await forEachBatch(sendable, FEISHU_MAX_BATCH, async (batch) => {
				const first = batch[0].itemIndex;
				try {
					const replace = batch
						.filter(({ value }) => value.replace)
						.map(({ value }) => value.employeeId);
					if (replace.length > 0) {
						// deleting a row and writing it again is the same whenever it is sent: repeatable
						await client.request({
							method: 'POST',
							path: '/archive_rule/del_report',
							qs: { employee_type: target.employeeType },
							body: { ...ruleMonthBody(target), user_ids: replace },
							repeatable: true,
							itemIndex: first,
						});
					}
					const response = await client.request<IDataObject>({
						method: 'POST',
						path: '/archive_rule/upload_report',
						qs: { employee_type: target.employeeType },
						body: {
							...ruleMonthBody(target),
							archive_report_datas: batch.map(({ value }) => ({
								member_id: value.employeeId,
								start_time: value.start,
								end_time: value.end,
								field_datas: value.cells,
							})),
						},
						repeatable: true,
						itemIndex: first,
					});
					const invalidMembers = new Set(
						((response.data?.invalid_member_id ?? []) as unknown[]).map(String),
					);
					const invalidCodes = new Set(
						((response.data?.invalid_code ?? []) as unknown[]).map(String),
					);
					for (const { itemIndex, value } of batch) {
						const dropped = value.cells
							.filter((cell) => invalidCodes.has(cell.code))
							.map((cell) => cell.code);
						if (invalidMembers.has(value.employeeId)) {
							out.set(
								itemIndex,
								notDoneItem(
									this,
									'failed',
									fields(value),
									{
										error: `Feishu did not write the row: it does not know employee ${value.employeeId} or the app may not see them`,
										reason: NOT_DONE_REASONS.unknownEmployee,
										errorDescription:
											"Check the Employee ID and the Employee ID Type, and the app's data permission.",
									},
									itemIndex,
								),
							);
						} else if (dropped.length > 0) {
							out.set(
								itemIndex,
								notDoneItem(
									this,
									'failed',
									fields(value),
									{
										error: `Feishu wrote the row without column ${dropped.join(', ')}`,
										reason: NOT_DONE_REASONS.refused,
										errorDescription:
											'Check the column codes with Archive Report → Get Fields, then run the item again.',
									},
									itemIndex,
								),
							);
						} else {
							out.set(
								itemIndex,
								doneItem(STATUS, { ...fields(value), figures: value.cells.length }, itemIndex),
							);
						}
					}
				} catch (error) {
					for (const { itemIndex, value } of batch)
						out.set(itemIndex, failedItem(this, error, 'failed', fields(value), itemIndex));
				}
			});
		}),
	);
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}
