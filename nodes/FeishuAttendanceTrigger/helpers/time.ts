/**
 * Time formatting for trigger output. `Intl` only (no luxon at run time, see docs/ARCHITECTURE.md).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

function pad(value: number, width = 2): string {
	return String(Math.abs(value)).padStart(width, '0');
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string | undefined): boolean {
	if (!timeZone) return false;
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

/**
 * ISO 8601 with the zone's UTC offset, e.g. `2024-05-06T09:01:02+08:00` (milliseconds only when
 * non-zero). Unknown zones fall back to UTC. Returns undefined for non-finite input.
 */
export function toIsoInTimeZone(epochMs: number, timeZone: string | undefined): string | undefined {
	if (!Number.isFinite(epochMs)) return undefined;
	const zone = isValidTimeZone(timeZone) ? (timeZone as string) : 'UTC';
	const wholeSecondMs = Math.floor(epochMs / 1000) * 1000;
	const millis = epochMs - wholeSecondMs;
	const parts: Record<string, number> = {};
	for (const part of formatterFor(zone).formatToParts(new Date(wholeSecondMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const hour = parts.hour === 24 ? 0 : parts.hour;
	const localAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day, hour, parts.minute, parts.second);
	const offsetMinutes = Math.round((localAsUtc - wholeSecondMs) / 60000);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
	const fraction = millis > 0 ? `.${pad(millis, 3)}` : '';
	return (
		`${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}` +
		`T${pad(hour)}:${pad(parts.minute)}:${pad(parts.second)}${fraction}${offset}`
	);
}

/** Parses a Unix timestamp given as number or numeric string; `unit` says seconds or milliseconds. */
export function parseEpoch(value: unknown, unit: 's' | 'ms'): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(n)) return undefined;
	return unit === 's' ? n * 1000 : n;
}

/** `20240506` (number or string) -> `2024-05-06`; anything else -> undefined. */
export function yyyymmddToIsoDate(value: unknown): string | undefined {
	const text = String(value ?? '').trim();
	const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	if (!match) return undefined;
	const [, year, month, day] = match;
	const m = Number(month);
	const d = Number(day);
	if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
	return `${year}-${month}-${day}`;
}
