/**
 * Punch Flow → Import, input mode "Wide Rows": one row per employee and day with a date column and several time
 * columns (DingTalk's daily summary 上班1打卡时间 / 下班1打卡时间 …, attendance machines' exports), one punch per
 * filled time cell. Each cell is read into a PreparedFlow and goes through the same FlowImporter as every other
 * mode (batches, idempotency keys derived from employee and time, duplicates); the row's output item lists every
 * filled cell with its outcome (helpers/outcome.ts vocabulary) and is paired with the row.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FEISHU_MAX_BATCH, batchSizeOf } from '../../helpers/batching';
import { isLookupIdType, readEmployeeIdType } from '../../helpers/employeeIdTypes';
import { deriveIdempotencyKey } from '../../helpers/idempotency';
import { compact, errorMessage, inputError } from '../../helpers/output';
import type { NotDoneReason } from '../../helpers/outcome';
import {
	NOT_DONE_REASONS,
	alreadyDoneItem,
	doneItem,
	failedItem,
	notDoneFromError,
	notDoneItem,
} from '../../helpers/outcome';
import { advancedOptionsFrom, timezoneFrom } from '../../helpers/parameters';
import {
	addDays,
	dayNumberToIsoDate,
	parseDateTime,
	parseDay,
	toFeishuSeconds,
	toIsoInZone,
} from '../../helpers/time';
import { readText } from '../../helpers/values';
import type { FeishuClient } from '../../transport';
import type { FlowOutcome } from './flowImport';
import { FlowImporter } from './flowImport';
import { DEFAULT_COMMENT, DEFAULT_LOCATION } from './flowInput';
import type { PreparedFlow } from './flowInput';
import { importTimeProblem } from './punchFlow';

/** A time cell: `HH:mm` or `HH:mm:ss`, optionally after 次日 / "next day" (a punch after midnight of the row's day). */
const TIME_CELL = /^(次日|next day)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?$/i;

/** One filled time cell of a row, read into a flow, or why it cannot be imported. */
interface Cell {
	column: string;
	value: string;
	flow?: PreparedFlow;
	error?: string;
}

/** The columns the run reads (plain names, read once). */
interface WideColumns {
	employee: string;
	date: string;
	times: string[];
}

function readColumns(ctx: IExecuteFunctions): WideColumns {
	const text = (name: string, label: string) =>
		String(ctx.getNodeParameter(name, 0, '') ?? '').trim();
	const employee = text('employeeColumn', 'Employee ID Column');
	const date = text('dateColumn', 'Date Column');
	const times = text('timeColumns', 'Time Columns')
		.split(/[,，;\n]+/u)
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const missing = [
		!employee && 'Employee ID Column',
		!date && 'Date Column',
		times.length === 0 && 'Time Columns',
	].filter(Boolean);
	if (missing.length > 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} empty`,
			{
				description:
					"Type the sheet's column names, e.g. Date Column: 日期, Time Columns: 上班1打卡时间, 下班1打卡时间, 上班2打卡时间, 下班2打卡时间.",
			},
		);
	}
	return { employee, date, times };
}

const isBlank = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The instant of a time cell on `day` (yyyyMMdd) in `timeZone`; a full date-time in the cell is read as it is. */
function cellTime(value: string, day: number, timeZone: string): number {
	const match = TIME_CELL.exec(value);
	if (!match) return parseDateTime(value, timeZone);
	const [, nextDay, hours, minutes, seconds] = match;
	if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59)
		throw new Error(`is not a time of day: "${value}"`);
	const onDay = nextDay ? addDays(day, 1) : day;
	return parseDateTime(
		`${dayNumberToIsoDate(onDay)} ${hours.padStart(2, '0')}:${minutes}:${seconds ?? '00'}`,
		timeZone,
	);
}

/** Reads one row: its employee and day (a problem there is the row's error), then each filled time cell. */
function readRow(
	ctx: IExecuteFunctions,
	row: IDataObject,
	itemIndex: number,
	columns: WideColumns,
): Cell[] {
	const timeZone = timezoneFrom(ctx, itemIndex);
	const employeeType = readEmployeeIdType(
		ctx.getNodeParameter('employeeIdType', itemIndex),
		{ lookup: true },
		'choices',
	).chosen;
	if (isLookupIdType(employeeType)) {
		throw inputError(
			ctx,
			itemIndex,
			'Wide rows take Employee ID or Employee Number',
			'Choose Employee ID Type: Employee ID or Employee Number.',
		);
	}
	let userId: string;
	let day: number;
	try {
		userId = readText(row[columns.employee], `The column "${columns.employee}"`);
		day = parseDay(row[columns.date], timeZone);
	} catch (error) {
		throw inputError(ctx, itemIndex, errorMessage(error));
	}
	const cells: Cell[] = [];
	for (const column of columns.times) {
		const raw = row[column];
		if (isBlank(raw)) continue; // no punch in this cell
		const value = String(raw).trim();
		try {
			const checkMs = cellTime(value, day, timeZone);
			const problem = importTimeProblem(checkMs);
			if (problem) throw new Error(`${toIsoInZone(checkMs, timeZone)} ${problem}`);
			const checkTime = toFeishuSeconds(checkMs);
			const key = deriveIdempotencyKey('punchFlow', [employeeType, userId, checkTime]);
			const record: IDataObject = {
				user_id: userId,
				creator_id: userId,
				location_name: DEFAULT_LOCATION,
				comment: `${DEFAULT_COMMENT} (${column})`,
				check_time: checkTime,
				idempotent_id: key,
			};
			cells.push({
				column,
				value,
				flow: {
					itemIndex,
					employeeType,
					timezone: timeZone,
					userId,
					creatorId: userId,
					key,
					checkTime,
					checkMs,
					record,
				},
			});
		} catch (error) {
			cells.push({
				column,
				value,
				error: `The cell "${column}" (${value}) ${errorMessage(error).replace(/^The \w+ /, '')}`,
			});
		}
	}
	return cells;
}

/** What one cell became: the cell, its time, and the outcome in the shared vocabulary. */
function cellResult(
	cell: Cell,
	outcome: FlowOutcome | undefined,
): IDataObject & { outcome: string } {
	const base = {
		column: cell.column,
		value: cell.value,
		check_time_iso: cell.flow ? toIsoInZone(cell.flow.checkMs, cell.flow.timezone) : undefined,
	};
	if (cell.error !== undefined)
		return compact({
			...base,
			outcome: 'not done',
			status: 'failed',
			error: cell.error,
			errorReason: NOT_DONE_REASONS.invalidInput,
		}) as IDataObject & { outcome: string };
	if (!outcome)
		return compact({
			...base,
			outcome: 'not done',
			status: 'failed',
			error: 'Feishu gave no answer for this punch',
			errorReason: NOT_DONE_REASONS.noReason,
		}) as IDataObject & { outcome: string };
	switch (outcome.status) {
		case 'imported':
			return compact({
				...base,
				outcome: 'done',
				status: 'imported',
				record_id: outcome.recordId,
			}) as IDataObject & { outcome: string };
		case 'duplicate':
			return compact({
				...base,
				outcome: 'already done',
				status: 'duplicate',
				record_id: outcome.recordId,
			}) as IDataObject & { outcome: string };
		case 'failed':
			return compact({
				...base,
				outcome: 'not done',
				status: 'failed',
				error: outcome.error,
				errorReason: outcome.reason,
				errorDetails: outcome.errorDetails,
			}) as IDataObject & { outcome: string };
		default: {
			const notDone = notDoneFromError(outcome.error);
			return compact({
				...base,
				outcome: 'not done',
				status: 'failed',
				error: notDone.error,
				errorReason: notDone.reason,
				errorDetails: notDone.errorDetails,
			}) as IDataObject & { outcome: string };
		}
	}
}

/**
 * The Wide Rows import: rows read and their cells sent as they come (FlowImporter), then one output item per
 * row with `cells` (each filled cell's outcome) and counts. A row is `done` when every cell is imported or was
 * already in Feishu and at least one was imported now, `already done` when every cell was already there,
 * `not done` when a cell was not imported (its error names the cell) or the row itself cannot be read.
 */
export async function importWideRows(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const columns = readColumns(ctx);
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const continueOnFail = ctx.continueOnFail();
	const importer = new FlowImporter(client, {
		batchSize: batchSizeOf(advancedOptionsFrom(ctx).batchSize, FEISHU_MAX_BATCH),
		lookUpFirst: options.lookUpFirst === true,
	});
	const rows: Array<{
		itemIndex: number;
		userId?: string;
		date?: unknown;
		cells: Cell[];
		error?: unknown;
	}> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const row = items[itemIndex].json ?? {};
		try {
			const cells = readRow(ctx, row, itemIndex, columns);
			for (const cell of cells) if (cell.flow) importer.add(cell.flow);
			rows.push({
				itemIndex,
				userId: String(row[columns.employee]),
				date: row[columns.date],
				cells,
			});
		} catch (error) {
			if (!continueOnFail) {
				// The batches already sent are answered first (their records are idempotent: a re-run stores none twice).
				await importer.settle();
				throw error instanceof NodeOperationError
					? error
					: new NodeOperationError(ctx.getNode(), errorMessage(error), { itemIndex });
			}
			rows.push({ itemIndex, cells: [], error });
		}
	}
	const outcomes = await importer.finish();
	if (!continueOnFail && importer.hadCallError) {
		const error = importer.firstCallError();
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), errorMessage(error));
	}

	return rows.map(({ itemIndex, userId, date, cells, error }) => {
		if (error !== undefined)
			return failedItem(ctx, error, 'failed', {}, itemIndex, NOT_DONE_REASONS.invalidInput);
		const results = cells.map((cell) =>
			cellResult(cell, cell.flow ? outcomes.get(cell.flow) : undefined),
		);
		const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
		const fields: IDataObject = {
			employee_id: userId,
			date: date as IDataObject[string],
			imported: count('done'),
			already_imported: count('already done'),
			not_imported: count('not done'),
			cells: results,
		};
		const failed = results.find((r) => r.outcome === 'not done');
		if (failed) {
			const reason = failed.errorReason as NotDoneReason;
			return notDoneItem(
				ctx,
				'failed',
				fields,
				{
					error: `${count('not done')} of ${results.length} punches not imported: ${String(failed.error)}`,
					reason,
				},
				itemIndex,
			);
		}
		if (results.length > 0 && count('done') === 0)
			return alreadyDoneItem('duplicate', fields, itemIndex);
		return doneItem(results.length === 0 ? 'no punches' : 'imported', fields, itemIndex);
	});
}
