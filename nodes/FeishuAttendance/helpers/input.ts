/**
 * Reading list parameters from items (employee IDs, record IDs, photo URLs): the one rule every operation
 * uses for "one value, several values, or an array".
 */

/** Commas, semicolons, whitespace, and the full-width comma, semicolon and enumeration comma. */
const LIST_SEPARATORS = /[\s,;，；、]+/u;

/**
 * The entries of a list parameter: one value, values separated by commas, semicolons, whitespace (spaces, tabs,
 * line breaks) or the full-width separators `，` `；` `、` (as typed with a Chinese keyboard), or an array of such
 * values (e.g. from an expression such as `{{ $json.employees }}`). Blank entries are dropped; duplicates are
 * kept. `field` names the parameter in the Error thrown for an object.
 *
 * Splitting on whitespace and `，；、` is safe for every list read here: Feishu employee IDs, employee numbers
 * and record IDs contain none of them, and a URL (photo URLs) cannot contain whitespace or non-ASCII
 * characters unless percent-encoded (RFC 3986).
 */
export function readList(value: unknown, field: string): string[] {
	const parts = Array.isArray(value) ? (value as unknown[]) : [value];
	const entries: string[] = [];
	for (const part of parts) {
		if (part === null || part === undefined) continue;
		if (typeof part === 'object') throw new Error(`${field} must be text or a list of text, not an object`);
		for (const entry of String(part).split(LIST_SEPARATORS)) {
			const trimmed = entry.trim();
			if (trimmed !== '') entries.push(trimmed);
		}
	}
	return entries;
}
