import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { compact, errorMessage } from '../../shared/json';

export { compact, errorMessage };

/** An output item paired with one or more input items. */
export function outputItem(json: IDataObject, items: number | number[]): INodeExecutionData {
	const list = Array.isArray(items) ? items : [items];
	const pairedItem: IPairedItemData | IPairedItemData[] =
		list.length === 1 ? { item: list[0] } : list.map((item) => ({ item }));
	return { json, pairedItem };
}

/** An input problem of one item: the message names the item, as n8n's UX guidelines ask. */
export function inputError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description,
	});
}

/**
 * Validates every item before anything is sent. Without "Continue On Fail" the first bad item stops the
 * node with a NodeOperationError naming the item; with it, bad items get an error output and the rest go on.
 * Returns the parsed values of the good items (in input order) and the error items.
 */
export function validateItems<T>(
	ctx: IExecuteFunctions,
	count: number,
	parse: (itemIndex: number) => T,
): { valid: Array<{ itemIndex: number; value: T }>; errors: Map<number, INodeExecutionData> } {
	const valid: Array<{ itemIndex: number; value: T }> = [];
	const errors = new Map<number, INodeExecutionData>();
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			valid.push({ itemIndex, value: parse(itemIndex) });
		} catch (error) {
			if (!ctx.continueOnFail()) {
				throw error instanceof NodeOperationError
					? error
					: new NodeOperationError(ctx.getNode(), errorMessage(error), { itemIndex });
			}
			errors.set(itemIndex, outputItem({ error: errorMessage(error) }, itemIndex));
		}
	}
	return { valid, errors };
}

/** An error thrown for one item: with Continue On Fail it becomes that item's output, otherwise it is thrown. */
export function failItem(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData {
	if (!ctx.continueOnFail()) {
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), errorMessage(error), { itemIndex });
	}
	const description = (error as { description?: string })?.description;
	return outputItem(
		{
			...extra,
			error: errorMessage(error),
			...(description ? { errorDescription: description } : {}),
		},
		itemIndex,
	);
}

/** A per-item message without its trailing " [item N]" (to reword it, or to name another item). */
export function withoutItemSuffix(message: string): string {
	return message.replace(/ \[item \d+\]$/, '');
}
