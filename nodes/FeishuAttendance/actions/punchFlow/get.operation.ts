import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	employeeIdTypeProperty,
	optionsCollection,
	timezoneOption,
} from '../../descriptions/common';
import { forEachBatch } from '../../helpers/batching';
import {
	errorMessage,
	failItem,
	inputError,
	outputItem,
	validateItems,
} from '../../helpers/output';
import { readItemEmployeeIdType } from '../../helpers/query';
import { readRecordId } from '../../helpers/values';
import { withIsoTime } from './punchFlow';
import type { FeishuClient } from '../../transport';
import { timezoneFrom } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	// open_id: Feishu's English metadata of this endpoint lists it (docs/ASSUMPTIONS.md#flow-get-open-id).
	// UNCONFIRMED: see docs/ASSUMPTIONS.md#flow-get-open-id
	employeeIdTypeProperty(true),
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 7301234567890123456',
		description:
			'The record_id of the punch record (from Import or Get Many). Pass it as text: a 19-digit number loses its last digits in JSON.',
	},
	optionsCollection([timezoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['punchFlow'], operation: ['get'] } },
	properties,
);

/** One GET user_flows/:id per item; the client paces them. The output item carries check_time_iso. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// Everything is read per item: Employee ID Type and Timezone may come from expressions that differ per item.
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => {
		let recordId: string;
		try {
			recordId = readRecordId(this.getNodeParameter('recordId', itemIndex, ''), 'Record ID');
		} catch (error) {
			throw inputError(this, itemIndex, errorMessage(error));
		}
		return {
			recordId,
			employeeType: readItemEmployeeIdType(this, itemIndex).employeeType,
			timezone: timezoneFrom(this, itemIndex),
		};
	});

	const output = new Map<number, INodeExecutionData>(errors);
	// Batches of one: every item is its own call, all handed to the client at once.
	await forEachBatch(valid, 1, async ([{ itemIndex, value }]) => {
		const { recordId, employeeType, timezone } = value;
		try {
			const response = await client.request<IDataObject>({
				method: 'GET',
				path: `/user_flows/${encodeURIComponent(recordId)}`,
				qs: { employee_type: employeeType },
				repeatable: true,
				itemIndex,
			});
			output.set(itemIndex, outputItem(withIsoTime(response.data ?? {}, timezone), itemIndex));
		} catch (error) {
			output.set(itemIndex, failItem(this, error, itemIndex, { record_id: recordId }));
		}
	});
	return [...output.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}
