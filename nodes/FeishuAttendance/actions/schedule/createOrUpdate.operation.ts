import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { advancedOptionsFrom, timezoneFrom } from '../../descriptions/common';
import { FEISHU_MAX_BATCH, batchSizeOf } from '../../helpers/batching';
import { isLookupIdType, resolveEmployees, resolveItemEmployees } from '../../helpers/employees';
import { compact, failItem, inputError, outputItem, validateItems } from '../../helpers/output';
import { REST_DAY_SHIFT_ID } from '../../helpers/rules';
import type { ScheduleEntry } from '../../helpers/scheduleInput';
import { findRepeats, resolveScheduleItems, scheduleItemReader } from '../../helpers/scheduleInput';
import type { ScheduleOutcome, ScheduleSettings } from '../../helpers/scheduleWrite';
import { writeSchedules } from '../../helpers/scheduleWrite';
import { dayNumberToIsoDate } from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { properties } from './createOrUpdate.description';

export const description = updateDisplayOptions({ show: { resource: ['schedule'], operation: ['createOrUpdate'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// Run-wide settings (how the run is cut into calls, who is recorded as the operator).
	const timezone = timezoneFrom(this);
	const operatorId = String(this.getNodeParameter('operatorId', 0, '') ?? '').trim();
	const employeeType = this.getNodeParameter('employeeIdType', 0) as string;
	const settings: ScheduleSettings = {
		// Email / Mobile: employees (and the operator) are resolved to user IDs and sent as employee_id
		employeeType: isLookupIdType(employeeType) ? 'employee_id' : employeeType,
		operatorId: operatorId || undefined,
	};

	// 1. Read every item before anything is sent; groups and shifts by name → IDs, once per run.
	const read = validateItems(this, items.length, scheduleItemReader(this, timezone));
	const output = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of read.errors) output.set(itemIndex, { ...item, json: { status: 'failed', ...item.json } });
	if (operatorId && isLookupIdType(employeeType)) {
		// the operator is read per the Employee ID Type too: a run-wide setting, so an unknown one stops the node
		const answer = (await resolveEmployees(this, client, employeeType, [operatorId], () => 0)).get(operatorId)!;
		if (answer instanceof Error) {
			throw new NodeOperationError(this.getNode(), `Operator ID: ${answer.message.replace(/ \[item \d+\]$/, '')}`, {
				description: (answer as NodeOperationError).description ?? undefined,
			});
		}
		settings.operatorId = answer;
	}
	// Employee ID Type Email / Mobile: every distinct value looked up at once; an unknown one is its item's error.
	const { valid, errors: unknown } = await resolveItemEmployees(
		this,
		client,
		read.valid,
		(item) => ({ type: employeeType, id: item.userId }),
		(item, userId, given) => ({ ...item, userId, given }),
	);
	for (const [itemIndex, { error, given }] of unknown) output.set(itemIndex, failItem(this, error, itemIndex, { status: 'failed', ...given }));
	const { entries, failed } = await resolveScheduleItems(this, client, valid);
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
		output.set(entry.itemIndex, failItem(this, error, entry.itemIndex, { status: 'failed', ...fieldsOf(entry, settings) }));
	}

	// 3. Batches of at most 50 entries (see helpers/scheduleWrite for the answers Feishu can give).
	const outcomes = await writeSchedules(client, settings, unique, batchSizeOf(advancedOptionsFrom(this).batchSize, FEISHU_MAX_BATCH));

	// 4. One output item per input item.
	for (const entry of unique) output.set(entry.itemIndex, toOutput(this, entry, outcomes.get(entry), settings));
	for (const { entry, first } of repeats) {
		const item = toOutput(this, entry, outcomes.get(first), settings);
		item.json.duplicate_of_item = first.itemIndex;
		output.set(entry.itemIndex, item);
	}
	return [...output.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

function fieldsOf(entry: ScheduleEntry, settings: ScheduleSettings): IDataObject {
	return compact({
		employee_id: entry.userId,
		...entry.given,
		employee_id_type: settings.employeeType,
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

function toOutput(ctx: IExecuteFunctions, entry: ScheduleEntry, outcome: ScheduleOutcome | undefined, settings: ScheduleSettings): INodeExecutionData {
	const json = fieldsOf(entry, settings);
	if (!outcome) return failItem(ctx, new Error('Feishu gave no answer for this entry'), entry.itemIndex, { status: 'failed', ...json });
	if (outcome.status === 'error') return failItem(ctx, outcome.error, entry.itemIndex, { status: 'failed', ...json });
	if (outcome.status === 'failed') {
		return outputItem(
			compact({ status: 'failed', ...json, error: outcome.error, errorDescription: outcome.errorDescription }),
			entry.itemIndex,
		);
	}
	return outputItem({ status: 'scheduled', ...json }, entry.itemIndex);
}
