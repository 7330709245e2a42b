import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/common';
import { inputError, validateItems } from '../../helpers/output';
import { runQueries } from '../../helpers/pagination';
import { RuleDirectory } from '../../helpers/rules';
import type { FeishuClient } from '../../transport';
import { getShift } from './get.operation';
import { textParameter } from '../../helpers/parameters';

/** Feishu: 'shift does not exist'. */
const SHIFT_NOT_FOUND = 1226003;

const properties: INodeProperties[] = [
	{
		displayName: 'Shift Name',
		name: 'shiftName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Early Shift',
		description: 'The name of the shift',
	},
	{
		displayName: 'Exact Match',
		name: 'exactMatch',
		type: 'boolean',
		default: true,
		description:
			'Whether the shift must have exactly this name. Off: the shift Feishu finds for the name, which may be a shift whose name only contains it.',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['shift'], operation: ['getByName'] } },
	properties,
);

/**
 * POST /shifts/query (shift_name in the query string) returns one shift although Feishu matches names
 * fuzzily. UNCONFIRMED: see docs/ASSUMPTIONS.md#shift-query-fuzzy. With Exact Match, an answer with another
 * name is checked against the full shift list, so the exact shift is returned whichever one Feishu picked.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const directory = new RuleDirectory(client);
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => {
		const name = textParameter(this, itemIndex, 'shiftName', 'Shift Name');
		if (!name) throw inputError(this, itemIndex, 'Shift Name is empty');
		return { name, exact: this.getNodeParameter('exactMatch', itemIndex, true) !== false };
	});
	const queries = valid.map(({ itemIndex, value }) => ({
		itemIndex,
		key: `${value.exact}|${value.name}`,
		query: value,
	}));
	return await runQueries(
		this,
		queries,
		errors,
		async ({ name, exact }, itemIndex): Promise<IDataObject[]> => {
			const response = await client.request<IDataObject>({
				method: 'POST',
				path: '/shifts/query',
				qs: { shift_name: name },
				repeatable: true,
				acceptCodes: [SHIFT_NOT_FOUND],
				itemIndex,
			});
			const found = response.code === 0 ? (response.data ?? {}) : {};
			const foundName = typeof found.shift_name === 'string' ? found.shift_name : undefined;
			if (foundName !== undefined && (!exact || foundName === name)) return [found];
			if (exact) {
				const exactly = await directory.lookUp('shift', name, itemIndex);
				if ('id' in exactly) return [await getShift(client, exactly.id, itemIndex)];
			}
			throw new NodeOperationError(this.getNode(), `No shift is named "${name}"`, {
				itemIndex,
				description: foundName
					? `The closest shift Feishu found is "${foundName}". Turn off Exact Match to accept it, or correct the name.`
					: 'Check the spelling, or list the shifts with Shift → Get Many.',
			});
		},
	);
}
