import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { dayProperty, optionsCollection, timezoneOption } from '../../descriptions/common';
import { compact, errorMessage, failItem, inputError, outputItem } from '../../helpers/output';
import { addDays, parseDay, toDayNumber } from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { localeProperty, statsTypeProperty } from './common';
import { timezoneFrom } from '../../helpers/parameters';
import { readItemEmployeeIdType } from '../../helpers/query';

// No Employee ID Type: no employee is named here. Feishu requires employee_type on this call all the same
// (its API reference: employee_type is a required query parameter); it is sent as employee_id, or as a workflow
// saved with the field set it.
const properties: INodeProperties[] = [
	statsTypeProperty,
	localeProperty,
	optionsCollection([
		dayProperty(
			{
				displayName: 'Month',
				name: 'month',
				description:
					'Any day of the month whose per-day columns (Monthly: one column per date) to list. Empty: the current month.',
			},
			'2026-11-01',
		),
		timezoneOption,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['statistics'], operation: ['getColumns'] } },
	properties,
);

/** First and last day of the calendar month of a yyyyMMdd day. */
function monthOf(day: number): { from: number; to: number } {
	const from = day - (day % 100) + 1;
	const year = Math.floor(day / 10000);
	const month = Math.floor(day / 100) % 100;
	const next = month === 12 ? (year + 1) * 10000 + 101 : year * 10000 + (month + 1) * 100 + 1;
	return { from, to: addDays(next, -1) };
}

/** One item per column: its group, code, title and time unit (the header of the statistics report). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			// each item's own zone (an expression may differ per item); a bad one is this item's error
			const timeZone = timezoneFrom(this, itemIndex);
			const employeeIdType = readItemEmployeeIdType(this, itemIndex, {}).employeeType;
			const statsType = String(this.getNodeParameter('statsType', itemIndex, 'month'));
			const locale = String(this.getNodeParameter('locale', itemIndex, 'en'));
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			let day: number;
			try {
				day = options.month ? parseDay(options.month, timeZone) : toDayNumber(Date.now(), timeZone);
			} catch (error) {
				throw inputError(this, itemIndex, `Month ${errorMessage(error)}`);
			}
			// UNCONFIRMED: see docs/ASSUMPTIONS.md#statistics-columns-dates (required, maybe ignored): a whole month is sent.
			const { from, to } = monthOf(day);
			const response = await client.request<IDataObject>({
				method: 'POST',
				path: '/user_stats_fields/query',
				qs: { employee_type: employeeIdType },
				body: { locale, stats_type: statsType, start_date: from, end_date: to },
				repeatable: true,
				itemIndex,
			});
			const header = (response.data?.user_stats_field ?? {}) as IDataObject;
			for (const group of (header.fields ?? []) as IDataObject[]) {
				const children = (group.child_fields ?? []) as IDataObject[];
				for (const column of children.length > 0 ? children : [group]) {
					out.push(
						outputItem(
							compact({
								stats_type: (header.stats_type as string) ?? statsType,
								locale,
								group_code: group.code as string,
								group_title: group.title as string,
								code: column.code as string,
								title: column.title as string,
								time_unit: (column.time_unit as string) || undefined,
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
