import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * A reader of one parameter per item that asks n8n again for each item only when the parameter is an
 * expression (which may differ per item). A fixed value is read once, from the first item that asks: it is the
 * same for every item, and n8n's getNodeParameter costs tens of µs per call (20,000 items read it 20,000 times).
 * A collection (Additional Fields) is read per item when any of its values is an expression.
 * `path` is the parameter's path ('employeeIdType', 'options.timezone'); `read` reads and checks it for an item
 * (a failed read is not kept: every item that asks gets its own error, naming it).
 */
export function perItem<T>(ctx: IExecuteFunctions, path: string, read: (itemIndex: number) => T): (itemIndex: number) => T {
	if (hasExpression(rawParameter(ctx, path))) return read;
	let fixed: { value: T } | undefined;
	return (itemIndex) => (fixed ??= { value: read(itemIndex) }).value;
}

/** An expression ('=…'), or a collection holding one at any depth. */
function hasExpression(raw: unknown): boolean {
	if (typeof raw === 'string') return raw.startsWith('=');
	if (raw && typeof raw === 'object') return Object.values(raw).some(hasExpression);
	return false;
}

/** A parameter as saved in the workflow (an expression as its '=…' text). */
function rawParameter(ctx: IExecuteFunctions, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), ctx.getNode().parameters);
}

/**
 * The value of one parameter for each item, as cheaply as n8n allows: a fixed value is read once (perItem);
 * an expression that only names a field of the item — `{{ $json.emp }}`, `{{ $json['Employee No'] }}`,
 * `{{ $json.a.b }}`, `{{ $json.list[0] }}`, what dragging a field from the input panel writes — is read from
 * the item itself when that field holds text, a number or true / false: the value n8n's expression would give,
 * without evaluating it (n8n builds its expression context per evaluation: about 0.15–0.2 ms on n8n 1.123 and 0.8 ms
 * on 2.41 measured here, 300,000 times for a 100,000-row sheet with three mapped fields). n8n evaluates every other
 * expression, and a field that is missing, null or an object, so that its result and its errors stay n8n's own.
 */
export function itemParameter(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	path: string,
	fallback: unknown,
): (itemIndex: number) => unknown {
	const viaN8n = perItem(ctx, path, (itemIndex) => ctx.getNodeParameter(path, itemIndex, fallback));
	const reference = fieldReference(rawParameter(ctx, path));
	if (!reference) return viaN8n;
	return (itemIndex) => {
		const value = fieldAt(items[itemIndex]?.json, reference);
		return value === undefined ? viaN8n(itemIndex) : value;
	};
}

/** One step after `$json`: .name, ["name"], ['name'] or [0] (no escapes inside the quotes). */
const STEP_SOURCE = String.raw`\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)'|(\d+))\s*\]`;
const STEP = new RegExp(STEP_SOURCE, 'y');
const WHOLE = new RegExp(String.raw`^=\{\{\s*\$json((?:${STEP_SOURCE})+)\s*\}\}$`);

/** The field path of an expression that is nothing but `$json` followed by .name, ['name'] or [0] steps. */
export function fieldReference(raw: unknown): string[] | undefined {
	if (typeof raw !== 'string') return undefined;
	const whole = WHOLE.exec(raw);
	if (!whole) return undefined;
	const path: string[] = [];
	STEP.lastIndex = 0;
	for (let step = STEP.exec(whole[1]); step; step = STEP.exec(whole[1])) path.push(step[1] ?? step[2] ?? step[3] ?? step[4]);
	return path;
}

/** The item's own field at `path` when it is text, a number or a boolean; else undefined. */
function fieldAt(json: IDataObject | undefined, path: string[]): string | number | boolean | undefined {
	let value: unknown = json;
	for (const key of path) {
		if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
		value = (value as IDataObject)[key];
	}
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}
