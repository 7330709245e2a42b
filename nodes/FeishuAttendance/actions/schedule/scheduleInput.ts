/**
 * Schedule → Create or Update: reading one item (employee, day, attendance group, day type, shift), turning
 * groups and shifts given by name into IDs (one list per run), and finding items that name the same employee
 * and day.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FeishuClient } from '../../transport';
import { perItem, timezoneFrom } from '../../helpers/parameters';
import { NOT_DONE_REASONS, failedItem } from '../../helpers/outcome';
import { errorMessage, inputError } from '../../helpers/output';
import type { Resolved, RuleRef } from '../../helpers/rules';
import {
	REST_DAY_NAME,
	REST_DAY_SHIFT_ID,
	RuleDirectory,
	readRuleRef,
	resolveRuleRefs,
} from '../../helpers/rules';
import type { ScheduleDay } from './schedule';
import { scheduleDayOf } from './schedule';
import { dayNumberToIsoDate, parseDay } from '../../helpers/time';
import { readEmployeeIdType, sentEmployeeType } from '../../helpers/employeeIdTypes';

/** Values of Day Type. */
const DAY_TYPES = ['shift', 'rest', 'clear'];

/** One item as read: the group and shift still as the item gives them (ID or name). */
interface ScheduleItem extends ScheduleDay {
	/** the item's Employee ID Type, as given (email, employee_id, employee_no, mobile) */
	employeeIdType: string;
	userId: string;
	group: RuleRef;
	shift?: RuleRef;
	dayType: string;
	/** Employee ID Type Email / Mobile: what the item gave (employee_email / employee_mobile), once resolved */
	given?: IDataObject;
}

/** One item, read and resolved: what batch_create gets for it. */
export interface ScheduleEntry extends ScheduleDay {
	itemIndex: number;
	/** the item's Employee ID Type, as given: calls are grouped by it (employee_type and operator are per call) */
	employeeIdType: string;
	userId: string;
	groupId: string;
	groupName?: string;
	shiftId: string;
	shiftName?: string;
	clear: boolean;
	given?: IDataObject;
}

/**
 * The reader of the run's items (for validateItems): item → ScheduleItem, or an input error naming the item.
 * Timezone (the zone the item's Date is a day in) and Employee ID Type are read per item when they are expressions.
 */
export function scheduleItemReader(ctx: IExecuteFunctions): (itemIndex: number) => ScheduleItem {
	const timezoneOf = perItem(ctx, 'options.timezone', (itemIndex) => timezoneFrom(ctx, itemIndex));
	const employeeIdTypeOf = perItem(ctx, 'employeeIdType', (itemIndex) => {
		try {
			return readEmployeeIdType(
				ctx.getNodeParameter('employeeIdType', itemIndex, 'employee_id'),
				{ lookup: true },
				'choices',
			).chosen;
		} catch (error) {
			throw inputError(ctx, itemIndex, errorMessage(error));
		}
	});
	return (itemIndex) => {
		const employeeIdType = employeeIdTypeOf(itemIndex);
		const timezone = timezoneOf(itemIndex);
		const rawId = ctx.getNodeParameter('employeeId', itemIndex, '');
		if (typeof rawId === 'object' && rawId !== null)
			throw inputError(ctx, itemIndex, 'Employee ID must be text, not an object or a list');
		const userId = rawId === null || rawId === undefined ? '' : String(rawId).trim();
		if (!userId) throw inputError(ctx, itemIndex, 'Employee ID is empty');
		let day: number;
		try {
			day = parseDay(ctx.getNodeParameter('date', itemIndex, ''), timezone);
		} catch (error) {
			throw inputError(ctx, itemIndex, `Date ${errorMessage(error)}`);
		}
		const dayType = String(ctx.getNodeParameter('dayType', itemIndex, 'shift')).trim();
		if (!DAY_TYPES.includes(dayType)) {
			throw inputError(
				ctx,
				itemIndex,
				`Day Type "${dayType}" is not one of ${DAY_TYPES.join(', ')}`,
				'Map "shift", "rest" or "clear".',
			);
		}
		return {
			employeeIdType,
			userId,
			...scheduleDayOf(day),
			dayType,
			group: readRuleRef(ctx, 'group', itemIndex, 'Attendance Group'),
			shift: dayType === 'shift' ? readRuleRef(ctx, 'shift', itemIndex, 'Shift') : undefined,
		};
	};
}

/**
 * Groups and shifts as IDs (names looked up once per run; an unknown name fails its item only: a failed item,
 * or the node stops without Continue On Fail), with the names of groups and shifts given by ID when their list
 * was read anyway.
 */
export async function resolveScheduleItems(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	items: Array<{ itemIndex: number; value: ScheduleItem }>,
): Promise<{
	entries: ScheduleEntry[];
	failed: Map<number, INodeExecutionData>;
	directory: RuleDirectory;
}> {
	const directory = new RuleDirectory(client);
	const groups = await resolveRuleRefs(
		ctx,
		directory,
		'group',
		'Attendance Group',
		items.map(({ itemIndex, value }) => ({ itemIndex, ref: value.group })),
	);
	const shifts = await resolveRuleRefs(
		ctx,
		directory,
		'shift',
		'Shift',
		items
			.filter(({ value }) => value.shift)
			.map(({ itemIndex, value }) => ({ itemIndex, ref: value.shift! })),
	);
	const entries: ScheduleEntry[] = [];
	const failed = new Map<number, INodeExecutionData>();
	for (const { itemIndex, value } of items) {
		const group = groups.get(itemIndex)!;
		const shift: Resolved = value.shift
			? shifts.get(itemIndex)!
			: { id: REST_DAY_SHIFT_ID, name: value.dayType === 'rest' ? REST_DAY_NAME : undefined };
		if ('error' in group || 'error' in shift) {
			const problem = 'error' in group ? group.error : (shift as { error: Error }).error;
			const unknown =
				'error' in group ? NOT_DONE_REASONS.unknownGroup : NOT_DONE_REASONS.unknownShift;
			failed.set(
				itemIndex,
				failedItem(
					ctx,
					problem,
					'failed',
					{ employee_id: value.userId, ...value.given, date: dayNumberToIsoDate(value.day) },
					itemIndex,
					unknown,
				),
			);
			continue;
		}
		entries.push({
			itemIndex,
			employeeIdType: value.employeeIdType,
			userId: value.userId,
			day: value.day,
			month: value.month,
			dayNo: value.dayNo,
			groupId: group.id,
			groupName: group.name,
			shiftId: shift.id,
			shiftName: shift.name,
			clear: value.dayType === 'clear',
			...(value.given ? { given: value.given } : {}),
		});
	}
	await addKnownNames(directory, entries);
	return { entries, failed, directory };
}

/** Names of groups and shifts given by ID, when their list was read in this run anyway (no extra call). */
async function addKnownNames(directory: RuleDirectory, entries: ScheduleEntry[]): Promise<void> {
	for (const kind of ['group', 'shift'] as const) {
		if (!directory.has(kind)) continue;
		let names: Map<string, string>;
		try {
			names = await directory.names(kind);
		} catch {
			continue;
		}
		for (const entry of entries) {
			if (kind === 'group') entry.groupName ??= names.get(entry.groupId);
			else if (entry.shiftId !== REST_DAY_SHIFT_ID) entry.shiftName ??= names.get(entry.shiftId);
		}
	}
}

/**
 * The same employee and day in several items: `unique` is sent; a later item that schedules the day the same
 * way is a `repeat` (it shares the first one's outcome), one that schedules it differently a `conflict`.
 */
export function findRepeats(entries: ScheduleEntry[]): {
	unique: ScheduleEntry[];
	repeats: Array<{ entry: ScheduleEntry; first: ScheduleEntry }>;
	conflicts: Array<{ entry: ScheduleEntry; first: ScheduleEntry }>;
} {
	const firstOf = new Map<string, ScheduleEntry>();
	const unique: ScheduleEntry[] = [];
	const repeats: Array<{ entry: ScheduleEntry; first: ScheduleEntry }> = [];
	const conflicts: Array<{ entry: ScheduleEntry; first: ScheduleEntry }> = [];
	for (const entry of entries) {
		const key = `${sentEmployeeType(entry.employeeIdType)}\u0000${entry.userId}\u0000${entry.day}`;
		const first = firstOf.get(key);
		if (!first) {
			firstOf.set(key, entry);
			unique.push(entry);
		} else if (
			first.groupId === entry.groupId &&
			first.shiftId === entry.shiftId &&
			first.clear === entry.clear
		) {
			repeats.push({ entry, first });
		} else {
			conflicts.push({ entry, first });
		}
	}
	return { unique, repeats, conflicts };
}
