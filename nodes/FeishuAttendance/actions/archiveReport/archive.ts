/**
 * Archive reports (Feishu's docs attendance-v1 archive_rule/*): what the operations share — the rule, month and
 * operator of an item, and the columns of a rule's report (user_stats_fields_query, once per rule, month and
 * operator in a run).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { employeeIdTypeProperty } from '../../descriptions/common';
import { inputError } from '../../helpers/output';
import { textParameter } from '../../helpers/parameters';
import { readItemEmployeeIdType } from '../../helpers/query';
import type { FeishuClient } from '../../transport';

export const ruleProperties: INodeProperties[] = [
	employeeIdTypeProperty(),
	{
		displayName: 'Archive Rule ID',
		name: 'archiveRuleId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7368001000000000000',
		description: 'The archive rule whose report is meant (Archive Report → Get Many lists them)',
	},
	{
		displayName: 'Month',
		name: 'month',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2025-01',
		description: 'The month of the archived report: 2025-01, 202501, or any date in it',
	},
	{
		displayName: 'Operator ID',
		name: 'operatorId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. the employee ID of your attendance admin',
		description: 'The attendance admin the change is made as (in the Employee ID Type above)',
	},
];

export interface RuleMonth {
	employeeType: string;
	ruleId: string;
	month: string;
	operatorId: string;
}

/** yyyyMM of '2025-01', '202501', 202501, '2025-01-15', '2025/1'. */
export function readMonth(raw: unknown): string | undefined {
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	const match = /^(\d{4})[-/]?(\d{1,2})(?:[-/]\d{1,2}(?:[T\s].*)?)?$/.exec(text);
	if (!match) return undefined;
	const month = Number(match[2]);
	if (month < 1 || month > 12 || (match[2].length === 1 && !/[-/]/.test(text))) return undefined;
	return `${match[1]}${String(month).padStart(2, '0')}`;
}

export function readRuleMonth(ctx: IExecuteFunctions, itemIndex: number): RuleMonth {
	const employeeType = readItemEmployeeIdType(ctx, itemIndex, {}).employeeType;
	const ruleId = textParameter(ctx, itemIndex, 'archiveRuleId', 'Archive Rule ID');
	if (!/^\d+$/.test(ruleId))
		throw inputError(
			ctx,
			itemIndex,
			`Archive Rule ID "${ruleId}" is not an archive rule ID`,
			'Archive Report → Get Many lists the rules with their IDs.',
		);
	const raw = ctx.getNodeParameter('month', itemIndex, '');
	const month = readMonth(raw);
	if (!month)
		throw inputError(
			ctx,
			itemIndex,
			`Month "${String(raw)}" is not a month`,
			'Give the month as 2025-01 or 202501.',
		);
	const operatorId = textParameter(ctx, itemIndex, 'operatorId', 'Operator ID');
	if (operatorId === '')
		throw inputError(
			ctx,
			itemIndex,
			'Operator ID is empty',
			'Give the attendance admin the change is made as.',
		);
	return { employeeType, ruleId, month, operatorId };
}

export const ruleMonthKey = (r: RuleMonth) =>
	JSON.stringify([r.employeeType, r.ruleId, r.month, r.operatorId]);

/** The body fields every archive call of a rule and month carries. */
export const ruleMonthBody = (r: RuleMonth): IDataObject => ({
	month: r.month,
	operator_id: r.operatorId,
	archive_rule_id: r.ruleId,
});

/** The columns of the rule's report for the month (code, title, upper_titles). */
export async function fetchArchiveFields(
	client: FeishuClient,
	r: RuleMonth,
	locale: string,
	itemIndex: number,
): Promise<IDataObject[]> {
	const response = await client.request<IDataObject>({
		method: 'POST',
		path: '/archive_rule/user_stats_fields_query',
		qs: { employee_type: r.employeeType },
		body: { ...ruleMonthBody(r), locale },
		repeatable: true,
		itemIndex,
	});
	return (response.data?.archive_report_fields ?? []) as IDataObject[];
}
