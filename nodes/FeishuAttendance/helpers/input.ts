/**
 * Reading list parameters from items (employee IDs, record IDs, photo URLs): the one rule every operation
 * uses for "one value, several values, or an array".
 */

/**
 * The entries of a list parameter: one value, values separated by commas, semicolons or line breaks, or an
 * array (e.g. from an expression such as `{{ $json.employees }}`). Blank entries are dropped. `field` names
 * the parameter in the Error thrown for an object.
 */
export function readList(value: unknown, field: string): string[] {
	const parts = Array.isArray(value) ? (value as unknown[]) : [value];
	const entries: string[] = [];
	for (const part of parts) {
		if (part === null || part === undefined) continue;
		if (typeof part === 'object') throw new Error(`${field} must be text or a list of text, not an object`);
		for (const entry of String(part).split(/[,;\n\r]+/)) {
			const trimmed = entry.trim();
			if (trimmed !== '') entries.push(trimmed);
		}
	}
	return entries;
}
