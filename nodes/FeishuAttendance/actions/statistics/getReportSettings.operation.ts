import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, optionsCollection } from '../../descriptions/common';
import { compact, failItem, outputItem } from '../../helpers/output';
import type { FeishuClient } from '../../transport';
import { localeProperty, operatorProperty, statsTypeProperty } from './common';
import { readItemEmployeeIdType } from '../../helpers/query';
import { readOperatorId } from './statistics';

const properties: INodeProperties[] = [
	employeeIdTypeProperty(),
	operatorProperty,
	statsTypeProperty,
	localeProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['statistics'], operation: ['getReportSettings'] } },
	properties,
);

const switchState = (value: unknown): boolean | undefined =>
	value === '1' ? true : value === '0' ? false : undefined;

/**
 * One item per column of the operator's report settings (user_stats_views/query): whether it is switched on,
 * and the view ID (Update Report Settings changes them).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const employeeIdType = readItemEmployeeIdType(this, itemIndex, {}).employeeType;
			const operatorId = readOperatorId(
				this,
				itemIndex,
				'Enter the ID of the attendance admin whose report settings to read.',
			);
			const statsType = String(this.getNodeParameter('statsType', itemIndex, 'month'));
			const locale = String(this.getNodeParameter('locale', itemIndex, 'en'));
			const response = await client.request<IDataObject>({
				method: 'POST',
				path: '/user_stats_views/query',
				qs: { employee_type: employeeIdType },
				body: { locale, stats_type: statsType, user_id: operatorId },
				repeatable: true,
				itemIndex,
			});
			const view = (response.data?.view ?? {}) as IDataObject;
			for (const group of (view.items ?? []) as IDataObject[]) {
				for (const column of (group.child_items ?? []) as IDataObject[]) {
					out.push(
						outputItem(
							compact({
								view_id: view.view_id as string,
								stats_type: (view.stats_type as string) ?? statsType,
								operator_id: operatorId,
								group_code: group.code as string,
								group_title: group.title as string,
								code: column.code as string,
								title: column.title as string,
								enabled: switchState(column.value),
								value: column.value as string,
								column_type: column.column_type as number,
								read_only: column.read_only as boolean,
								min_value: (column.min_value as string) || undefined,
								max_value: (column.max_value as string) || undefined,
							}),
							itemIndex,
						),
					);
				}
			}
		} catch (error) {
			out.push(failItem(this, error, itemIndex));
		}
	}
	return out;
}
