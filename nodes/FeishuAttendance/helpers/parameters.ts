/** Reading the node's parameters: per item (perItem, itemParameter), and the readers of the shared options
 * (Timezone, Window (Days), Simplify, the Advanced group) that descriptions/common.ts describes. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ClientOptions } from '../transport';
import { DEFAULT_CLIENT_OPTIONS } from '../transport';
import { DEFAULT_WINDOW_DAYS } from './batching';
import { errorMessage, inputError } from './output';
import { isValidTimeZone } from './time';
import { describeValue, readOptionalText } from './values';

/**
 * A reader of one parameter per item that asks n8n again for each item only when the parameter is an
 * expression (which may differ per item). A fixed value is read once, from the first item that asks: it is the
 * same for every item, and each getNodeParameter call costs time (20,000 items would read it 20,000 times).
 * A collection (Additional Fields) is read per item when any of its values is an expression.
 * `path` is the parameter's path ('employeeIdType', 'options.timezone'); `read` reads and checks it for an item
 * (a failed read is not kept: every item that asks gets its own error, naming it).
 */
export function perItem<T>(
	ctx: IExecuteFunctions,
	path: string,
	read: (itemIndex: number) => T,
): (itemIndex: number) => T {
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
		.reduce<unknown>(
			(value, key) =>
				value && typeof value === 'object' ? (value as IDataObject)[key] : undefined,
			ctx.getNode().parameters,
		);
}

/**
 * The value of one parameter for each item, as cheaply as n8n allows: a fixed value is read once (perItem);
 * an expression that only names a field of the item — `{{ $json.emp }}`, `{{ $json['Employee No'] }}`,
 * `{{ $json.a.b }}`, `{{ $json.list[0] }}`, what dragging a field from the input panel writes — is read from
 * the item itself when that field holds text, a number or true / false: the value n8n's expression would give,
 * without evaluating it (n8n builds its expression context per evaluation, once per item and field: what that
 * costs is in the README, Performance). n8n evaluates every other
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

/**
 * Whether n8n evaluates the parameter for every item: an expression that is not just a field of the item (which
 * itemParameter reads from the item itself), or a collection holding any expression.
 */
export function evaluatedPerItem(ctx: IExecuteFunctions, path: string): boolean {
	const raw = rawParameter(ctx, path);
	return typeof raw === 'string'
		? raw.startsWith('=') && fieldReference(raw) === undefined
		: hasExpression(raw);
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
	for (let step = STEP.exec(whole[1]); step; step = STEP.exec(whole[1]))
		path.push(step[1] ?? step[2] ?? step[3] ?? step[4]);
	return path;
}

/** The item's own field at `path` when it is text, a number or a boolean; else undefined. */
function fieldAt(
	json: IDataObject | undefined,
	path: string[],
): string | number | boolean | undefined {
	let value: unknown = json;
	for (const key of path) {
		if (
			value === null ||
			typeof value !== 'object' ||
			!Object.prototype.hasOwnProperty.call(value, key)
		)
			return undefined;
		value = (value as IDataObject)[key];
	}
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
		? value
		: undefined;
}

/** An item's Simplify parameter: true only when it is true (an expression giving anything else: off). */
export function readSimplify(ctx: IExecuteFunctions, itemIndex: number, fallback = false): boolean {
	return ctx.getNodeParameter('simplify', itemIndex, fallback) === true;
}

export const MAX_WINDOW_DAYS = 366;

/** The Window (Days) option of the current operation (default 30); anything but a whole number from 1 to 366 is an error. */
export function readWindowDays(ctx: IExecuteFunctions): number {
	const raw = advancedOptionsFrom(ctx).windowDays;
	if (raw === undefined) return DEFAULT_WINDOW_DAYS;
	const days =
		typeof raw === 'number' || (typeof raw === 'string' && raw.trim() !== '') ? Number(raw) : NaN;
	if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Window (Days) must be a whole number from 1 to ${MAX_WINDOW_DAYS}, got ${JSON.stringify(raw)}`,
			{
				itemIndex: 0,
				description: `Set Options → Advanced → Window (Days) to the number of days asked per call, e.g. ${DEFAULT_WINDOW_DAYS}.`,
			},
		);
	}
	return days;
}

/** Name of the Advanced group inside Options (its settings are stored as options.advanced.<name>). */
export const ADVANCED = 'advanced';

/**
 * The settings chosen in the Advanced group of the current operation's Options (options.advanced.<name>;
 * an empty value counts as not chosen). Read once per run (item 0): they take no expression.
 */
export function advancedOptionsFrom(ctx: IExecuteFunctions): IDataObject {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const group = options?.[ADVANCED];
	if (!group || typeof group !== 'object' || Array.isArray(group)) return {};
	return Object.fromEntries(
		Object.entries(group).filter(
			([, value]) => value !== undefined && value !== null && value !== '',
		),
	) as IDataObject;
}

/** Reads the pacing options of the current operation into transport options. */
export function clientOptionsFrom(ctx: IExecuteFunctions): ClientOptions {
	const options = advancedOptionsFrom(ctx);
	const num = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return {
		...DEFAULT_CLIENT_OPTIONS,
		requestsPerSecond: num(options.requestsPerSecond, DEFAULT_CLIENT_OPTIONS.requestsPerSecond),
		maxConcurrent: num(options.maxConcurrent, DEFAULT_CLIENT_OPTIONS.maxConcurrent),
		maxRetries: num(options.maxRetries, DEFAULT_CLIENT_OPTIONS.maxRetries),
	};
}

/**
 * The timezone of an item: its Timezone option (an expression may give each item its own zone), else the
 * workflow's timezone. Anything but a valid IANA zone name (an object, a number, an unknown name) is an
 * input error naming the item.
 */
export function timezoneFrom(ctx: IExecuteFunctions, itemIndex = 0): string {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const raw = options.timezone;
	let timezone: string;
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
		timezone = String(ctx.getTimezone() || 'UTC').trim();
	} else if (typeof raw === 'string') {
		timezone = raw.trim();
	} else {
		throw inputError(
			ctx,
			itemIndex,
			`Timezone must be the name of a time zone, got ${describeValue(raw)}`,
			TIMEZONE_HINT,
		);
	}
	if (!isValidTimeZone(timezone)) {
		throw inputError(
			ctx,
			itemIndex,
			`The timezone "${timezone}" is not a valid IANA time zone`,
			TIMEZONE_HINT,
		);
	}
	return timezone;
}

const TIMEZONE_HINT =
	'Pick a zone in Options → Timezone, or give a name such as Asia/Shanghai, Europe/Berlin or UTC.';

/**
 * How many results a Get Many returns at most (Return All and Limit, descriptions/common.ts
 * returnAllProperties; read once per run): Infinity with Return All, else the Limit as a whole number, at least 1.
 */
export function readLimit(ctx: IExecuteFunctions, returnAllByDefault = false): number {
	const returnAll = ctx.getNodeParameter('returnAll', 0, returnAllByDefault) as boolean;
	return returnAll
		? Infinity
		: Math.max(1, Math.floor(Number(ctx.getNodeParameter('limit', 0, 50))) || 1);
}

/**
 * A free-text parameter of an item, trimmed ('' when blank: the caller says what is missing); anything but
 * text or a number (an object or a list from an expression) is an input error naming the item.
 */
export function textParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): string {
	try {
		return readOptionalText(ctx.getNodeParameter(name, itemIndex, ''), label) ?? '';
	} catch (error) {
		throw inputError(ctx, itemIndex, errorMessage(error));
	}
}

/**
 * The confirmation of a costly write (descriptions/common.ts confirmationProperty), read once per run: off, the
 * node stops before anything is sent, saying what to switch on.
 */
export function readConfirmation(ctx: IExecuteFunctions, what: string): void {
	if (ctx.getNodeParameter('confirm', 0, false) === true) return;
	throw new NodeOperationError(ctx.getNode(), `Not confirmed: this operation ${what}`, {
		description:
			"Switch on the confirmation in the node's parameters once you have checked which records the items name, then run again.",
	});
}

/** A shift time H:mm, the next day as 24:00 up to 48:00. */
const SHIFT_TIME = /^([01]?\d|2\d|3\d|4[0-7]):([0-5]\d)$|^48:00$/;

/** A shift time (`label` names the field in the error); `dropLeadingZero` sends 09:00 as 9:00. */
export function readShiftTime(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
	dropLeadingZero = false,
): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!SHIFT_TIME.test(text))
		throw inputError(
			ctx,
			itemIndex,
			`${label} "${String(value)}" is not a time H:mm`,
			'Give times such as 09:00 or, for the next day, 26:00.',
		);
	return dropLeadingZero ? text.replace(/^0(\d):/, '$1:') : text;
}

/**
 * The Work Sections of an item (descriptions/common.ts workSectionsProperty): 1 to 3, each time checked.
 * `what` names the thing in the count error ('shift', 'temporary shift'); `dropLeadingZero` sends 09:00 as 9:00.
 */
export function readWorkSections(
	ctx: IExecuteFunctions,
	itemIndex: number,
	what: string,
	options: { dropLeadingZero?: boolean; countHint?: string } = {},
): Array<{ on_time: string; off_time: string }> {
	const raw = ctx.getNodeParameter('sections.section', itemIndex, []) as IDataObject[];
	if (raw.length < 1 || raw.length > 3) {
		throw inputError(
			ctx,
			itemIndex,
			`${raw.length} work sections: a ${what} has 1 to 3`,
			options.countHint,
		);
	}
	const time = (value: unknown, label: string) =>
		readShiftTime(ctx, itemIndex, value, label, options.dropLeadingZero);
	return raw.map((s, i) => ({
		on_time: time(s.onTime, `Start Time of section ${i + 1}`),
		off_time: time(s.offTime, `End Time of section ${i + 1}`),
	}));
}
