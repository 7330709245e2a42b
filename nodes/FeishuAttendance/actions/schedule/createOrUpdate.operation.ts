import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { FEISHU_MAX_BATCH, batchSizeOf } from '../../helpers/batching';
import { resolveEmployees, resolveItemEmployees } from '../../helpers/employees';
import {
	NOT_DONE_REASONS,
	doneItem,
	failedItem,
	invalidItem,
	notDoneItem,
} from '../../helpers/outcome';
import { compact, inputError, validateItems, withoutItemSuffix } from '../../helpers/output';
import { REST_DAY_SHIFT_ID } from '../../helpers/rules';
import type { ScheduleEntry } from './scheduleInput';
import { findRepeats, resolveScheduleItems, scheduleItemReader } from './scheduleInput';
import type { ScheduleOutcome, ScheduleSettings } from './scheduleWrite';
import { writeSchedules } from './scheduleWrite';
import { dayNumberToIsoDate } from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { properties } from './createOrUpdate.description';
import { advancedOptionsFrom, textParameter } from '../../helpers/parameters';
import { isLookupIdType, sentEmployeeType } from '../../helpers/employeeIdTypes';

export const description = updateDisplayOptions(
	{ show: { resource: ['schedule'], operation: ['createOrUpdate'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// Run-wide: who is recorded as the operator. Employee ID Type and Timezone are read per item (scheduleItemReader).
	const operatorId = textParameter(this, 0, 'operatorId', 'Operator ID');

	// 1. Read every item before anything is sent; groups and shifts by name → IDs, once per run.
	const read = validateItems(this, items.length, scheduleItemReader(this));
	const output = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of read.errors)
		output.set(itemIndex, invalidItem(this, item, itemIndex));
	// The operator is read per the Employee ID Type of the calls it goes with (one look-up per Email / Mobile type
	// the items use): a run-wide setting, so an unknown one stops the node.
	const operators = new Map<string, string>();
	for (const type of new Set(read.valid.map(({ value }) => value.employeeIdType))) {
		if (!operatorId) break;
		if (!isLookupIdType(type)) {
			operators.set(type, operatorId);
			continue;
		}
		const answer = (await resolveEmployees(this, client, type, [operatorId], () => 0)).get(
			operatorId,
		)!;
		if (answer instanceof Error) {
			throw new NodeOperationError(
				this.getNode(),
				`Operator ID: ${withoutItemSuffix(answer.message)}`,
				{
					description: (answer as NodeOperationError).description ?? undefined,
				},
			);
		}
		operators.set(type, answer);
	}
	const settingsOf = (employeeIdType: string): ScheduleSettings => ({
		employeeType: sentEmployeeType(employeeIdType),
		operatorId: operators.get(employeeIdType),
		directory,
	});
	// Employee ID Type Email / Mobile: every distinct value looked up at once; an unknown one is its item's error.
	const { valid, errors: unknown } = await resolveItemEmployees(
		this,
		client,
		read.valid,
		(item) => ({ type: item.employeeIdType, id: item.userId }),
		(item, userId, given) => ({ ...item, userId, given }),
	);
	for (const [itemIndex, { error, given }] of unknown) {
		output.set(
			itemIndex,
			failedItem(this, error, 'failed', { ...given }, itemIndex, NOT_DONE_REASONS.unknownEmployee),
		);
	}
	const { entries, failed, directory } = await resolveScheduleItems(this, client, valid);
	for (const [itemIndex, item] of failed) output.set(itemIndex, item);

	// 2. The same employee and day twice: sent once when equal, else the later item is an input error.
	const { unique, repeats, conflicts } = findRepeats(entries);
	for (const { entry, first } of conflicts) {
		const error = inputError(
			this,
			entry.itemIndex,
			`Item ${first.itemIndex} already schedules ${entry.userId} on ${dayNumberToIsoDate(entry.day)} differently`,
			'Each employee can have one schedule per day. Remove one of the two items.',
		);
		output.set(
			entry.itemIndex,
			failedItem(this, error, 'failed', fieldsOf(entry), entry.itemIndex),
		);
	}

	// 3. Batches of at most 50 entries of one Employee ID Type (employee_type and operator are per call; see
	// scheduleWrite.ts for the answers Feishu can give).
	const batchSize = batchSizeOf(advancedOptionsFrom(this).batchSize, FEISHU_MAX_BATCH);
	const byType = new Map<string, ScheduleEntry[]>();
	for (const entry of unique) {
		const list = byType.get(entry.employeeIdType);
		if (list) list.push(entry);
		else byType.set(entry.employeeIdType, [entry]);
	}
	const outcomes = new Map<ScheduleEntry, ScheduleOutcome>();
	const written = await Promise.all(
		[...byType].map(
			async ([type, list]) => await writeSchedules(client, settingsOf(type), list, batchSize),
		),
	);
	for (const part of written) for (const [entry, outcome] of part) outcomes.set(entry, outcome);

	// 4. One output item per input item.
	for (const entry of unique)
		output.set(entry.itemIndex, toOutput(this, entry, outcomes.get(entry)));
	for (const { entry, first } of repeats) {
		output.set(
			entry.itemIndex,
			toOutput(this, entry, outcomes.get(first), { duplicate_of_item: first.itemIndex }),
		);
	}
	return [...output.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

function fieldsOf(entry: ScheduleEntry): IDataObject {
	return compact({
		employee_id: entry.userId,
		...entry.given,
		employee_id_type: sentEmployeeType(entry.employeeIdType),
		date: dayNumberToIsoDate(entry.day),
		month: entry.month,
		day_no: entry.dayNo,
		group_id: entry.groupId,
		group_name: entry.groupName,
		shift_id: entry.clear ? undefined : entry.shiftId,
		shift_name: entry.clear ? undefined : entry.shiftName,
		rest_day: entry.clear ? undefined : entry.shiftId === REST_DAY_SHIFT_ID,
		cleared: entry.clear ? true : undefined,
	});
}

function toOutput(
	ctx: IExecuteFunctions,
	entry: ScheduleEntry,
	outcome: ScheduleOutcome | undefined,
	extra: IDataObject = {},
): INodeExecutionData {
	const json = { ...fieldsOf(entry), ...extra };
	if (!outcome)
		return failedItem(
			ctx,
			new Error('Feishu gave no answer for this entry'),
			'failed',
			json,
			entry.itemIndex,
			NOT_DONE_REASONS.noReason,
		);
	if (outcome.status === 'error')
		return failedItem(ctx, outcome.error, 'failed', json, entry.itemIndex);
	if (outcome.status === 'failed') {
		const { error, reason, errorDescription, errorDetails } = outcome;
		return notDoneItem(
			ctx,
			'failed',
			json,
			{ error, reason, errorDescription, errorDetails },
			entry.itemIndex,
		);
	}
	// batch_create sets the day as given (an upsert): the same schedule again is done again, not "already done"
	return doneItem('scheduled', json, entry.itemIndex);
}
