/**
 * Reading list parameters from items (employee IDs, record IDs, photo URLs): the one rule every operation
 * uses for "one value, several values, or an array".
 */
import { describeValue, readText } from './values';

/** Commas, semicolons, whitespace, and the full-width comma, semicolon and enumeration comma. */
const LIST_SEPARATORS = /[\s,;，；、]+/u;

/**
 * The entries of a list parameter: one value, values separated by commas, semicolons, whitespace (spaces, tabs,
 * line breaks) or the full-width separators `，` `；` `、` (as typed with a Chinese keyboard), or an array of such
 * values (e.g. from an expression such as `{{ $json.employees }}`). Separators around and between values in
 * text are forgiven ("a, b," is a and b); duplicates are kept. An absent or blank value is an empty list (the
 * caller decides whether that is an error).
 *
 * Checked for what it is (a plain Error naming `field` and what it got): objects, booleans, NaN, and inside an
 * array objects, nested arrays, booleans, null and blank entries (a missing value in a mapped column) are
 * refused. `readEntry` reads one non-text entry (default readText: finite numbers as text; pass readRecordId
 * for record IDs, which refuses numbers that lost digits).
 *
 * Splitting on whitespace and `，；、` is safe for every list read here: Feishu employee IDs, employee numbers
 * and record IDs contain none of them, and a URL (photo URLs) cannot contain whitespace or non-ASCII
 * characters unless percent-encoded (RFC 3986).
 */
export function readList(
	value: unknown,
	field: string,
	readEntry: (value: unknown, field: string) => string = readText,
): string[] {
	if (value === null || value === undefined) return [];
	if (!Array.isArray(value)) {
		if (typeof value === 'object' || typeof value === 'boolean') {
			throw new Error(`${field} must be text or a list of text, not ${describeValue(value)}`);
		}
		return splitEntry(value, field, readEntry);
	}
	const entries: string[] = [];
	(value as unknown[]).forEach((part, position) => {
		const where = `${field} (entry ${position + 1} of ${value.length})`;
		if (part === null || part === undefined || (typeof part === 'string' && part.trim() === '')) {
			throw new Error(`${where} is blank, got ${describeValue(part)}`);
		}
		if (typeof part === 'object' || typeof part === 'boolean') {
			throw new Error(`${where} must be text, got ${describeValue(part)}`);
		}
		entries.push(...splitEntry(part, where, readEntry));
	});
	return entries;
}

/** One text or number: numbers through readEntry, text split at the separators. */
function splitEntry(
	value: unknown,
	field: string,
	readEntry: (value: unknown, field: string) => string,
): string[] {
	if (typeof value !== 'string') return [readEntry(value, field)];
	const entries: string[] = [];
	for (const entry of value.split(LIST_SEPARATORS)) {
		const trimmed = entry.trim();
		if (trimmed !== '') entries.push(readEntry(trimmed, field));
	}
	return entries;
}
