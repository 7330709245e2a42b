import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	changeNotice,
	employeeIdProperty,
	employeeIdTypeProperty,
	optionsCollection,
	timezoneOption,
	workSectionsProperty,
} from '../../descriptions/common';
import { FEISHU_MAX_BATCH, forEachBatch } from '../../helpers/batching';
import {
	NOT_DONE_REASONS,
	doneItem,
	failedItem,
	invalidItem,
	notDoneItem,
} from '../../helpers/outcome';
import { errorMessage, inputError, validateItems } from '../../helpers/output';
import { readWorkSections, textParameter, timezoneFrom } from '../../helpers/parameters';
import { readItemEmployeeIdType } from '../../helpers/query';
import { RuleDirectory, readRuleRef, resolveRuleRefs, ruleLocator } from '../../helpers/rules';
import type { RuleRef } from '../../helpers/rules';
import { parseDay } from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { namesDay, readUnapplied, scheduleDayOf } from './schedule';

const properties: INodeProperties[] = [
	changeNotice(
		'tempShiftNotice',
		"A temporary shift is made for one employee and day and becomes that day's schedule. Each run makes new temporary shifts: running again replaces the day's schedule with another one of the same times. A paid feature of Feishu Attendance.",
	),
	employeeIdTypeProperty(),
	employeeIdProperty('The employee who works the temporary shift'),
	ruleLocator('group', {
		displayName: 'Attendance Group',
		name: 'group',
		description: "The employee's attendance group on that day",
	}),
	{
		displayName: 'Date',
		name: 'date',
		type: 'string',
		placeholder: 'e.g. 2025-03-03 or {{ $today }}',
		default: '',
		required: true,
		description: 'The day of the temporary shift',
	},
	{
		displayName: 'Shift Name',
		name: 'shiftName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Stocktaking',
		description: 'The name the temporary shift is shown with',
	},
	workSectionsProperty(
		'From 1 to 3 work sections, in order; times H:mm, the next day as 24:00 and later',
	),
	{
		displayName: 'Operator ID',
		name: 'operatorId',
		type: 'string',
		default: '',
		placeholder: 'e.g. the employee ID of your attendance admin',
		description:
			'The attendance admin the change is made as (in the Employee ID Type above); Feishu requires it unless the app has API access in the attendance admin console',
	},
	optionsCollection([timezoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['schedule'], operation: ['createTemporaryShifts'] } },
	properties,
);

interface TempShift {
	employeeType: string;
	operatorId: string;
	userId: string;
	group: RuleRef;
	date: number;
	shiftName: string;
	sections: Array<{ on_time: string; off_time: string }>;
}

function readTempShift(ctx: IExecuteFunctions, itemIndex: number): TempShift {
	const employeeType = readItemEmployeeIdType(ctx, itemIndex, {}).employeeType;
	const userId = textParameter(ctx, itemIndex, 'employeeId', 'Employee ID');
	if (userId === '')
		throw inputError(
			ctx,
			itemIndex,
			'Employee ID is empty',
			'Give the employee who works the temporary shift.',
		);
	const group = readRuleRef(ctx, 'group', itemIndex, 'Attendance Group');
	let date: number;
	try {
		date = parseDay(ctx.getNodeParameter('date', itemIndex, ''), timezoneFrom(ctx, itemIndex));
	} catch (error) {
		throw inputError(
			ctx,
			itemIndex,
			`Date: ${errorMessage(error)}`,
			'Give a day such as 2025-01-31.',
		);
	}
	const shiftName = textParameter(ctx, itemIndex, 'shiftName', 'Shift Name');
	if (shiftName === '')
		throw inputError(ctx, itemIndex, 'Shift Name is empty', 'Give the temporary shift a name.');
	const sections = readWorkSections(ctx, itemIndex, 'temporary shift');
	return {
		employeeType,
		operatorId: textParameter(ctx, itemIndex, 'operatorId', 'Operator ID'),
		userId,
		group,
		date,
		shiftName,
		sections,
	};
}

/**
 * user_daily_shifts/batch_create_temp, 50 entries per call. Every call makes new temporary shifts (new shift IDs):
 * there is no key to recognise one made before, so a re-run makes another that replaces the day's schedule; the
 * call is not resent after a lost answer (it would make a second one). Entries Feishu lists in msg as not applied
 * are `not done` (docs/ASSUMPTIONS.md#schedule-partial-failures); a msg that cannot be read is reported as is.
 * UNCONFIRMED: see docs/ASSUMPTIONS.md#rule-writes (the paid feature, what becomes of an earlier temporary shift).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) =>
		readTempShift(this, itemIndex),
	);
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) out.set(itemIndex, invalidItem(this, item, itemIndex));
	const groups = await resolveRuleRefs(
		this,
		new RuleDirectory(client),
		'group',
		'Attendance Group',
		valid.map(({ itemIndex, value }) => ({ itemIndex, ref: value.group })),
	);
	const calls = new Map<string, Array<{ itemIndex: number; value: TempShift; groupId: string }>>();
	for (const { itemIndex, value } of valid) {
		const group = groups.get(itemIndex)!;
		if ('error' in group) {
			out.set(
				itemIndex,
				failedItem(
					this,
					group.error,
					'failed',
					{ employee_id: value.userId },
					itemIndex,
					NOT_DONE_REASONS.unknownGroup,
				),
			);
			continue;
		}
		const key = JSON.stringify([value.employeeType, value.operatorId]);
		calls.set(key, [...(calls.get(key) ?? []), { itemIndex, value, groupId: group.id }]);
	}
	await Promise.all(
		[...calls.values()].map(
			async (entries) =>
				await forEachBatch(entries, FEISHU_MAX_BATCH, async (batch) => {
					const { employeeType, operatorId } = batch[0].value;
					const fields = (e: (typeof batch)[number]) => ({
						employee_id: e.value.userId,
						group_id: e.groupId,
						date: e.value.date,
						shift_name: e.value.shiftName,
					});
					try {
						const response = await client.request<IDataObject>({
							method: 'POST',
							path: '/user_daily_shifts/batch_create_temp',
							qs: { employee_type: employeeType },
							body: {
								user_tmp_daily_shifts: batch.map((e) => ({
									group_id: e.groupId,
									user_id: e.value.userId,
									date: e.value.date,
									shift_name: e.value.shiftName,
									punch_time_simple_rules: e.value.sections,
								})),
								...(operatorId !== '' ? { operator_id: operatorId } : {}),
							},
							repeatable: false,
							itemIndex: batch[0].itemIndex,
						});
						const reading = readUnapplied(response.msg);
						for (const e of batch) {
							const listed =
								reading.kind === 'listed' &&
								(reading.users.get(e.value.userId) ?? []).some((d) =>
									namesDay(d, scheduleDayOf(e.value.date)),
								);
							if (reading.kind === 'unreadable') {
								out.set(
									e.itemIndex,
									notDoneItem(
										this,
										'failed',
										fields(e),
										{
											error: `Feishu answered "${reading.msg}", which does not say whether this temporary shift was applied`,
											reason: NOT_DONE_REASONS.noReason,
											errorDescription:
												'Check the day with Schedule → Get Many before running the item again (a re-run makes another temporary shift).',
										},
										e.itemIndex,
									),
								);
							} else if (listed) {
								out.set(
									e.itemIndex,
									notDoneItem(
										this,
										'failed',
										fields(e),
										{
											error: `Feishu did not apply the temporary shift of ${e.value.userId} on ${e.value.date}`,
											reason: NOT_DONE_REASONS.notInGroup,
											errorDescription:
												'The employee must be in that attendance group on that day (Attendance Group → Get Members).',
										},
										e.itemIndex,
									),
								);
							} else {
								out.set(e.itemIndex, doneItem('scheduled', fields(e), e.itemIndex));
							}
						}
					} catch (error) {
						for (const e of batch)
							out.set(e.itemIndex, failedItem(this, error, 'failed', fields(e), e.itemIndex));
					}
				}),
		),
	);
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}
