/**
 * Reading one scalar value from an item or an expression and checking what it is before anything is sent.
 *
 * n8n hands parameters over as whatever the expression produced: an object, an array, a boolean or null must
 * not silently become `[object Object]`, `a,b`, `true` or `null` in a Feishu request. These readers accept text
 * and finite numbers (employee numbers from sheets are numbers) and throw a plain Error naming the field and
 * what it got; callers turn it into a per-item error (`inputError`, `validateItems`).
 */

/** What a value is, in words for the error message ("an object", "a list of 2", "a yes/no value (true)", …). */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (Array.isArray(value))
		return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
	if (typeof value === 'boolean') return `a yes/no value (${value})`;
	if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : `${value}`;
	if (typeof value === 'string') {
		if (value.trim() === '') return value === '' ? 'empty text' : 'only spaces';
		const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
		return `"${shown}"`;
	}
	if (value instanceof Date) return 'a date object';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/**
 * One text value: strings trimmed, finite numbers as their decimal text. Objects, arrays, booleans, null,
 * undefined, NaN/Infinity and text that is blank after trimming throw an Error such as
 * `Employee ID must be text, got an object`.
 */
export function readText(value: unknown, field: string): string {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (trimmed !== '') return trimmed;
		throw new Error(`${field} is empty, got ${describeValue(value)}`);
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new Error(`${field} must be text, got ${describeValue(value)}`);
}

/** Like readText, but an absent or blank value gives undefined (optional fields). Wrong types still throw. */
export function readOptionalText(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	return readText(value, field);
}

/**
 * A record ID (Feishu IDs are 19-digit numbers). Like readText, but a number that is not a safe integer has
 * already lost digits in JSON (6709359313699356941 arrives as 6709359313699357000) and would target another
 * record: it is refused with a message saying to pass IDs as text.
 */
export function readRecordId(value: unknown, field: string): string {
	if (typeof value === 'number' && Number.isFinite(value) && !Number.isSafeInteger(value)) {
		throw new Error(
			`${field} ${value} is a number too large to be exact (digits were already lost before the node got it); pass IDs as text`,
		);
	}
	return readText(value, field);
}
