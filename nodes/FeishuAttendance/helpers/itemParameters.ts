import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * A reader of one parameter per item that asks n8n again for each item only when the parameter is an
 * expression (which may differ per item). A fixed value is read once, from the first item that asks: it is the
 * same for every item, and n8n's getNodeParameter costs tens of µs per call (20,000 items read it 20,000 times).
 * A collection (Additional Fields) is read per item when any of its values is an expression.
 * `path` is the parameter's path ('employeeIdType', 'options.timezone'); `read` reads and checks it for an item
 * (a failed read is not kept: every item that asks gets its own error, naming it).
 */
export function perItem<T>(ctx: IExecuteFunctions, path: string, read: (itemIndex: number) => T): (itemIndex: number) => T {
	const raw = path
		.split('.')
		.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), ctx.getNode().parameters);
	if (hasExpression(raw)) return read;
	let fixed: { value: T } | undefined;
	return (itemIndex) => (fixed ??= { value: read(itemIndex) }).value;
}

/** An expression ('=…'), or a collection holding one at any depth. */
function hasExpression(raw: unknown): boolean {
	if (typeof raw === 'string') return raw.startsWith('=');
	if (raw && typeof raw === 'object') return Object.values(raw).some(hasExpression);
	return false;
}
