import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeNotice, employeeIdTypeProperty, optionsCollection } from '../../descriptions/common';
import { readList } from '../../helpers/input';
import { alreadyDoneItem, doneItem, failedItem, invalidItem } from '../../helpers/outcome';
import { inputError, validateItems } from '../../helpers/output';
import { textParameter } from '../../helpers/parameters';
import { readItemEmployeeIdType } from '../../helpers/query';
import type { FeishuClient } from '../../transport';
import { operatorProperty, statsTypeProperty } from './common';

const properties: INodeProperties[] = [
	changeNotice(
		'reportSettingsNotice',
		"This changes which columns the admin's statistics report has: what Get Many and payroll exports built on this admin's report receive.",
	),
	employeeIdTypeProperty(),
	operatorProperty,
	statsTypeProperty,
	{
		displayName: 'Columns to Switch On',
		name: 'switchOn',
		type: 'string',
		default: '',
		placeholder: 'e.g. 51201, 51202',
		description: 'Column codes to show (Get Report Settings lists them with their titles)',
	},
	{
		displayName: 'Columns to Switch Off',
		name: 'switchOff',
		type: 'string',
		default: '',
		placeholder: 'e.g. 51203',
		description: 'Column codes to hide; the basic information columns cannot be switched off',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['statistics'], operation: ['updateReportSettings'] } },
	properties,
);

interface SettingsChange {
	employeeType: string;
	operatorId: string;
	statsType: string;
	on: string[];
	off: string[];
}

function readChange(ctx: IExecuteFunctions, itemIndex: number): SettingsChange {
	const employeeType = readItemEmployeeIdType(ctx, itemIndex, {}).employeeType;
	const operatorId = textParameter(ctx, itemIndex, 'operatorId', 'Operator ID');
	if (operatorId === '')
		throw inputError(
			ctx,
			itemIndex,
			'Operator ID is empty',
			'Enter the ID of the attendance admin whose report settings to change.',
		);
	const statsType = String(ctx.getNodeParameter('statsType', itemIndex, 'month'));
	if (statsType !== 'daily' && statsType !== 'month')
		throw inputError(ctx, itemIndex, `Statistics Type "${statsType}" is not daily or month`);
	let on: string[];
	let off: string[];
	try {
		on = readList(ctx.getNodeParameter('switchOn', itemIndex, ''), 'Columns to Switch On');
		off = readList(ctx.getNodeParameter('switchOff', itemIndex, ''), 'Columns to Switch Off');
	} catch (error) {
		throw inputError(ctx, itemIndex, (error as Error).message);
	}
	if (on.length === 0 && off.length === 0)
		throw inputError(
			ctx,
			itemIndex,
			'No columns to switch',
			'Give column codes under Columns to Switch On or Columns to Switch Off.',
		);
	const both = on.filter((code) => off.includes(code));
	if (both.length > 0)
		throw inputError(ctx, itemIndex, `Column ${both.join(', ')} is both to switch on and off`);
	return { employeeType, operatorId, statsType, on, off };
}

/**
 * Per item: the admin's report settings are read (user_stats_views/query), the columns named switched, and the
 * whole view sent back (PUT user_stats_views/:id overwrites it all, so every column is sent with its value:
 * right under both readings of docs/ASSUMPTIONS.md#report-settings-update). Unknown codes, and read-only columns
 * to switch off, refuse the item before anything is sent; settings already as asked are `already done`.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) =>
		readChange(this, itemIndex),
	);
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) out.set(itemIndex, invalidItem(this, item, itemIndex));
	// one after another: two items changing the same admin's view would overwrite each other if sent together
	for (const { itemIndex, value } of valid) {
		const fields = { operator_id: value.operatorId, stats_type: value.statsType };
		try {
			const read = await client.request<IDataObject>({
				method: 'POST',
				path: '/user_stats_views/query',
				qs: { employee_type: value.employeeType },
				body: { locale: 'en', stats_type: value.statsType, user_id: value.operatorId },
				repeatable: true,
				itemIndex,
			});
			const view = (read.data?.view ?? {}) as IDataObject;
			const groups = (view.items ?? []) as IDataObject[];
			const columns = new Map<string, IDataObject>();
			for (const group of groups)
				for (const child of (group.child_items ?? []) as IDataObject[])
					columns.set(String(child.code), child);
			const unknown = [...value.on, ...value.off].filter((code) => !columns.has(code));
			if (unknown.length > 0) {
				throw inputError(
					this,
					itemIndex,
					`Column ${unknown.join(', ')} is not in the ${value.statsType === 'daily' ? 'daily' : 'monthly'} report`,
					'Get Report Settings lists the column codes.',
				);
			}
			const locked = value.off.filter((code) => columns.get(code)?.read_only === true);
			if (locked.length > 0)
				throw inputError(
					this,
					itemIndex,
					`Column ${locked.join(', ')} cannot be switched off (basic information)`,
				);
			const wanted = new Map<string, string>([
				...value.on.map((c) => [c, '1'] as [string, string]),
				...value.off.map((c) => [c, '0'] as [string, string]),
			]);
			const changed = [...wanted]
				.filter(([code, v]) => String(columns.get(code)?.value) !== v)
				.map(([code]) => code);
			const viewId = String(view.view_id ?? '');
			if (changed.length === 0) {
				out.set(
					itemIndex,
					alreadyDoneItem(
						'updated',
						{ ...fields, view_id: viewId, switched_on: value.on, switched_off: value.off },
						itemIndex,
					),
				);
				continue;
			}
			await client.request<IDataObject>({
				method: 'PUT',
				path: `/user_stats_views/${encodeURIComponent(viewId)}`,
				qs: { employee_type: value.employeeType },
				body: {
					view: {
						view_id: viewId,
						stats_type: value.statsType,
						user_id: value.operatorId,
						items: groups.map((group) => ({
							code: String(group.code),
							child_items: ((group.child_items ?? []) as IDataObject[]).map((child) => ({
								code: String(child.code),
								value: wanted.get(String(child.code)) ?? String(child.value),
							})),
						})),
					},
				},
				// the whole view, the same each time: repeatable
				repeatable: true,
				itemIndex,
			});
			out.set(
				itemIndex,
				doneItem(
					'updated',
					{ ...fields, view_id: viewId, changed, switched_on: value.on, switched_off: value.off },
					itemIndex,
				),
			);
		} catch (error) {
			out.set(itemIndex, failedItem(this, error, 'failed', fields, itemIndex));
		}
	}
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}
