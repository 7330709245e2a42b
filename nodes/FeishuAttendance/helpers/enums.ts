/**
 * Named choices: each table is the one list of its choices, feeding the node's options (optionsOf), reading a
 * value (resolveEnum) and naming Feishu's value in the output (enumName).
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

/**
 * A named option: node option value, display name (also used in outputs), Feishu's value, and the option's
 * description in the node (optional). Each table is the one list of its choices: the node's options
 * (optionsOf), reading a value (resolveEnum) and naming Feishu's value in the output (enumName).
 */
export interface EnumEntry<T extends string | number> {
	value: string;
	name: string;
	code: T;
	description?: string;
}

/**
 * The options of a node parameter for a table: sorted by name as n8n lists them, or `asListed` where the
 * table's order is the one to show (the default first).
 */
export function optionsOf<T extends string | number>(
	entries: Array<EnumEntry<T>>,
	order: 'byName' | 'asListed' = 'byName',
): INodePropertyOptions[] {
	const options = entries.map(({ name, value, description }) =>
		description ? { name, value, description } : { name, value },
	);
	return order === 'asListed'
		? options
		: options.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Feishu's value for a named option. Accepts the option value ('halfDay'), its display name ('Half Day',
 * any case and spacing) and, for values coming from other systems, Feishu's own value (3).
 * Throws an Error naming the allowed choices otherwise.
 */
export function resolveEnum<T extends string | number>(
	entries: Array<EnumEntry<T>>,
	value: unknown,
	label: string,
): T {
	const text = typeof value === 'string' ? normalize(value) : undefined;
	const found = entries.find(
		(e) =>
			(text !== undefined &&
				text !== '' &&
				(normalize(e.value) === text || normalize(e.name) === text)) ||
			e.code === value ||
			(typeof e.code === 'number' &&
				typeof value === 'string' &&
				value.trim() !== '' &&
				Number(value) === e.code),
	);
	if (!found) {
		throw new Error(
			`${label} "${String(value)}" is not one of: ${entries.map((e) => e.name).join(', ')}`,
		);
	}
	return found.code;
}

/** The display name of Feishu's value, or the value itself when it is not known. */
export function enumName<T extends string | number>(
	entries: Array<EnumEntry<T>>,
	code: unknown,
): IDataObject[string] {
	return entries.find((e) => e.code === code)?.name ?? (code as IDataObject[string]);
}
