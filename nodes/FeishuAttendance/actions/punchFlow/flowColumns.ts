/**
 * Punch Flow → Import, Map Columns by Name: which input column holds which part of a punch record. The column
 * names are plain text (no expressions), read once per run; values are then read straight from each item's
 * fields, which costs nothing like an expression evaluated per item.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The optional columns (Other Columns), by the name of their parameter without "Column". */
interface OptionalColumns {
	bssid?: string;
	comment?: string;
	creator?: string;
	externalId?: string;
	idempotencyKey?: string;
	isField?: string;
	isWifi?: string;
	location?: string;
	photoUrls?: string;
	ssid?: string;
}

/** Parameter of each optional column in the Other Columns collection → its key in OptionalColumns. */
const OPTIONAL_COLUMN_PARAMETERS: Record<string, keyof OptionalColumns> = {
	bssidColumn: 'bssid',
	commentColumn: 'comment',
	creatorIdColumn: 'creator',
	externalIdColumn: 'externalId',
	idempotencyKeyColumn: 'idempotencyKey',
	isFieldColumn: 'isField',
	isWifiColumn: 'isWifi',
	locationNameColumn: 'location',
	photoUrlsColumn: 'photoUrls',
	ssidColumn: 'ssid',
};

const MAX_LISTED = 12;

/** The columns of a row, quoted, for an error that says what to type ("Employee No", "Punch Time", …). */
export function listColumns(row: IDataObject): string {
	const names = Object.keys(row);
	if (names.length === 0) return 'none (the item is empty)';
	const shown = names
		.slice(0, MAX_LISTED)
		.map((n) => `"${n}"`)
		.join(', ');
	return names.length > MAX_LISTED ? `${shown} and ${names.length - MAX_LISTED} more` : shown;
}

const loose = (text: string) => text.toLowerCase().replace(/[\s_\-.]/g, '');

/** A column of the row that differs from `column` only in case, spaces, underscores, dashes or dots. */
export function nearColumn(row: IDataObject, column: string): string | undefined {
	return Object.keys(row).find((name) => name !== column && loose(name) === loose(column));
}

/**
 * The description of an error for a column the row does not have: the row's columns and exactly what to type.
 * `what` is the parameter without "Column" ("Check Time").
 */
export function missingColumnHelp(row: IDataObject, column: string, what: string): string {
	const near = nearColumn(row, column);
	const type = near
		? `Type "${near}" in ${what} Column (names are case-sensitive).`
		: `Type in ${what} Column the name of the one that holds the ${what.toLowerCase()}, exactly as written (case-sensitive).`;
	return `This item has the columns ${listColumns(row)}. ${type}`;
}

export interface FlowColumns {
	employee: string;
	checkTime: string;
	optional: OptionalColumns;
	/**
	 * The value of `column` in `row`: the field of that name, else (for a name with dots, e.g. "punch.time") the
	 * nested field; undefined when the row has neither. `optional` names the optional column being read, to
	 * tell afterwards which mapped columns no item had (see unseenOptional).
	 */
	value(row: IDataObject, column: string, optional?: keyof OptionalColumns): unknown;
	/** Mapped optional columns found in no item read so far ("column" names, for a hint about a typo). */
	unseenOptional(): string[];
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function lookUp(row: IDataObject, column: string): unknown {
	if (hasOwn(row, column)) return row[column];
	if (!column.includes('.')) return undefined;
	let value: unknown = row;
	for (const part of column.split('.')) {
		if (value === null || typeof value !== 'object' || !hasOwn(value, part)) return undefined;
		value = (value as IDataObject)[part];
	}
	return value;
}

/**
 * Reads the column names of the run (parameters of item 0; they take no expressions). `first`: the first
 * item's fields, named in the error when a column name is empty.
 */
export function readFlowColumns(ctx: IExecuteFunctions, first: IDataObject = {}): FlowColumns {
	// Employee ID Column and Check Time Column are empty by default (real exports name them in many ways:
	// "Employee No", "工号", "Punch Time", "打卡时间"): the user types the sheet's names.
	const name = (parameter: string, label: string, what: string): string => {
		const value = ctx.getNodeParameter(parameter, 0, '');
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		throw new NodeOperationError(
			ctx.getNode(),
			`${label} is empty: type the name of the input column that holds the ${what}`,
			{
				itemIndex: 0,
				description: `The first item has the columns ${listColumns(first)}. Type the one that holds the ${what} in ${label}, exactly as written (case-sensitive).`,
			},
		);
	};
	const employee = name('employeeColumn', 'Employee ID Column', 'employee');
	const checkTime = name('checkTimeColumn', 'Check Time Column', 'check time');
	const optional: OptionalColumns = {};
	const others = ctx.getNodeParameter('otherColumns', 0, {}) as IDataObject;
	for (const [parameter, key] of Object.entries(OPTIONAL_COLUMN_PARAMETERS)) {
		const column = others[parameter];
		if (typeof column === 'string' && column.trim() !== '') optional[key] = column.trim();
	}
	const seen = new Set<keyof OptionalColumns>();
	return {
		employee,
		checkTime,
		optional,
		value(row, column, key) {
			const value = lookUp(row, column);
			if (key !== undefined && value !== undefined) seen.add(key);
			return value;
		},
		unseenOptional() {
			return (Object.keys(optional) as Array<keyof OptionalColumns>)
				.filter((key) => !seen.has(key))
				.map((key) => optional[key]!);
		},
	};
}
