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

export const DEFAULT_EMPLOYEE_COLUMN = 'employee_id';
export const DEFAULT_CHECK_TIME_COLUMN = 'check_time';

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

/** Reads the column names of the run (parameters of item 0; they take no expressions). */
export function readFlowColumns(ctx: IExecuteFunctions): FlowColumns {
	const name = (parameter: string, label: string, fallback: string): string => {
		const value = ctx.getNodeParameter(parameter, 0, fallback);
		if (typeof value !== 'string' || value.trim() === '') {
			throw new NodeOperationError(ctx.getNode(), `${label} is empty: name the input column that holds it (e.g. "${fallback}")`, {
				itemIndex: 0,
			});
		}
		return value.trim();
	};
	const employee = name('employeeColumn', 'Employee ID Column', DEFAULT_EMPLOYEE_COLUMN);
	const checkTime = name('checkTimeColumn', 'Check Time Column', DEFAULT_CHECK_TIME_COLUMN);
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
			return (Object.keys(optional) as Array<keyof OptionalColumns>).filter((key) => !seen.has(key)).map((key) => optional[key]!);
		},
	};
}
