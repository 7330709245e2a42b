import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, timezoneOption } from '../../descriptions/common';
import { validateItems } from '../../helpers/output';
import { runQueries } from '../../helpers/pagination';
import type { FeishuClient } from '../../transport';
import type { LeaveTarget } from './leaveGrant';
import {
	leaveBody,
	leaveProperties,
	readLeaveDate,
	readLeaveTarget,
	timeOffsetOf,
} from './leaveGrant';

const properties: INodeProperties[] = [
	...leaveProperties,
	{
		displayName: 'Expiring From',
		name: 'expiringFrom',
		type: 'string',
		placeholder: 'e.g. 2025-06-01 or {{ $today }}',
		default: '',
		required: true,
		description: 'First day of the window: grants whose expiry date falls in it are returned',
	},
	{
		displayName: 'Expiring To',
		name: 'expiringTo',
		type: 'string',
		placeholder: 'e.g. 2025-06-30 or {{ $today }}',
		default: '',
		required: true,
		description: 'Last day of the window (included)',
	},
	optionsCollection([timezoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leaveBalance'], operation: ['getExpiringGrants'] } },
	properties,
);

interface GrantQuery extends LeaveTarget {
	from: string;
	to: string;
}

/**
 * One item per grant record of the employee and leave type that expires in the window
 * (GET leave_employ_expire_records/:leave_id, a GET with a JSON body). Equal queries of several items are asked once.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex): GrantQuery => {
		const target = readLeaveTarget(this, itemIndex);
		const from = readLeaveDate(this, itemIndex, 'expiringFrom', 'Expiring From', target.timezone);
		const to = readLeaveDate(this, itemIndex, 'expiringTo', 'Expiring To', target.timezone);
		if (from > to)
			throw new Error(`Expiring From (${from}) is after Expiring To (${to}) [item ${itemIndex}]`);
		return { ...target, from, to };
	});
	const queries = valid.map(({ itemIndex, value }) => ({
		itemIndex,
		key: JSON.stringify([
			value.leaveTypeId,
			value.userIdType,
			value.employeeId,
			value.from,
			value.to,
			value.timezone,
		]),
		query: value,
	}));
	return await runQueries(this, queries, errors, async (query, itemIndex) => {
		const response = await client.request<IDataObject>({
			method: 'GET',
			path: `/leave_employ_expire_records/${query.leaveTypeId}`,
			qs: { user_id_type: query.userIdType },
			body: {
				...leaveBody(query),
				start_expiration_date: query.from,
				end_expiration_date: query.to,
				time_offset: timeOffsetOf(query.from, query.timezone),
			},
			repeatable: true,
			itemIndex,
		});
		return ((response.data?.records ?? []) as IDataObject[]).map((record) => ({
			...record,
			user_id_type: query.userIdType,
		}));
	});
}
