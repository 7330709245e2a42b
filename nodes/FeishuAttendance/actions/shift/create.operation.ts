import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeNotice, optionsCollection, workSectionsProperty } from '../../descriptions/common';
import {
	alreadyDoneItem,
	answerMayBeLost,
	doneItem,
	failedItem,
	invalidItem,
} from '../../helpers/outcome';
import { inputError, validateItems } from '../../helpers/output';
import { readShiftTime, readWorkSections, textParameter } from '../../helpers/parameters';
import { RuleDirectory } from '../../helpers/rules';
import type { FeishuClient } from '../../transport';

/** The minute rules of each work section (the options above): option name, Feishu field, label, default, Feishu's maximum. */
const MINUTE_RULES = [
	{
		name: 'lateAfter',
		field: 'late_minutes_as_late',
		label: 'Late After (Minutes)',
		value: 0,
		description: 'Minutes after the start time from which a clock-in counts as late',
	},
	{
		name: 'lateAsMissing',
		field: 'late_minutes_as_lack',
		label: 'Late Counts as Missed After (Minutes)',
		value: 120,
		description: 'Minutes after the start time from which a clock-in counts as a missed punch',
	},
	{
		name: 'earliestClockIn',
		field: 'on_advance_minutes',
		label: 'Earliest Clock-In (Minutes Before Start)',
		value: 120,
		max: 720,
		description: 'How early before the start time employees can clock in (at most 720)',
	},
	{
		name: 'earlyBefore',
		field: 'early_minutes_as_early',
		label: 'Early Leave Before (Minutes)',
		value: 0,
		description: 'Minutes before the end time from which a clock-out counts as leaving early',
	},
	{
		name: 'earlyAsMissing',
		field: 'early_minutes_as_lack',
		label: 'Early Leave Counts as Missed Before (Minutes)',
		value: 120,
		description: 'Minutes before the end time from which a clock-out counts as a missed punch',
	},
	{
		name: 'latestClockOut',
		field: 'off_delay_minutes',
		label: 'Latest Clock-Out (Minutes After End)',
		value: 240,
		max: 960,
		description: 'How late after the end time employees can clock out (at most 960)',
	},
] as const;

const properties: INodeProperties[] = [
	changeNotice(
		'shiftCreateNotice',
		'This creates shifts: a rule of the tenant that attendance groups and schedules then use.',
	),
	{
		displayName: 'Shift Name',
		name: 'shiftName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Early Shift',
		description:
			'Unique among the shifts. A shift of this name that exists already is left as it is (the item says so).',
	},
	workSectionsProperty(
		'From 1 to 3 work sections of the day, in order; times H:mm, the next day as 24:00 and later (e.g. 26:00 is 2 am)',
	),
	optionsCollection([
		{
			displayName: 'Break End',
			name: 'breakEnd',
			type: 'string',
			default: '',
			placeholder: 'e.g. 13:00',
			description: 'End of the unpaid break (with Break Start)',
		},
		{
			displayName: 'Break Start',
			name: 'breakStart',
			type: 'string',
			default: '',
			placeholder: 'e.g. 12:00',
			description: 'Start of the unpaid break (with Break End)',
		},
		{
			displayName: 'Late After (Minutes)',
			name: 'lateAfter',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Minutes after the start time from which a clock-in counts as late',
		},
		{
			displayName: 'Late Counts as Missed After (Minutes)',
			name: 'lateAsMissing',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 120,
			description: 'Minutes after the start time from which a clock-in counts as a missed punch',
		},
		{
			displayName: 'Earliest Clock-In (Minutes Before Start)',
			name: 'earliestClockIn',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 720 },
			default: 120,
			description: 'How early before the start time employees can clock in (at most 720)',
		},
		{
			displayName: 'Early Leave Before (Minutes)',
			name: 'earlyBefore',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Minutes before the end time from which a clock-out counts as leaving early',
		},
		{
			displayName: 'Early Leave Counts as Missed Before (Minutes)',
			name: 'earlyAsMissing',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 120,
			description: 'Minutes before the end time from which a clock-out counts as a missed punch',
		},
		{
			displayName: 'Latest Clock-Out (Minutes After End)',
			name: 'latestClockOut',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 960 },
			default: 240,
			description: 'How late after the end time employees can clock out (at most 960)',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['shift'], operation: ['create'] } },
	properties,
);

interface NewShift {
	name: string;
	body: IDataObject;
}

function readShift(ctx: IExecuteFunctions, itemIndex: number): NewShift {
	const name = textParameter(ctx, itemIndex, 'shiftName', 'Shift Name');
	if (name === '')
		throw inputError(ctx, itemIndex, 'Shift Name is empty', 'Give the new shift a name.');
	const sections = readWorkSections(ctx, itemIndex, 'shift', {
		dropLeadingZero: true,
		countHint: 'Add or remove work sections under Work Sections.',
	});
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const minutes: IDataObject = {};
	for (const rule of MINUTE_RULES) {
		const value = options[rule.name] ?? rule.value;
		if (
			typeof value !== 'number' ||
			!Number.isInteger(value) ||
			value < 0 ||
			('max' in rule && value > rule.max)
		) {
			throw inputError(
				ctx,
				itemIndex,
				`${rule.label} must be a whole number from 0${'max' in rule ? ` to ${rule.max}` : ''}, got ${String(value)}`,
			);
		}
		minutes[rule.field] = value;
	}
	const rules = sections.map((section) => ({ ...section, ...minutes }));
	const breakGiven = [options.breakStart, options.breakEnd].filter(
		(v) => v !== undefined && v !== '',
	);
	if (breakGiven.length === 1)
		throw inputError(ctx, itemIndex, 'Give both Break Start and Break End, or neither');
	return {
		name,
		body: {
			shift_name: name,
			punch_times: rules.length,
			punch_time_rule: rules,
			...(breakGiven.length === 2
				? {
						rest_time_rule: [
							{
								rest_begin_time: readShiftTime(
									ctx,
									itemIndex,
									options.breakStart,
									'Break Start',
									true,
								),
								rest_end_time: readShiftTime(ctx, itemIndex, options.breakEnd, 'Break End', true),
							},
						],
					}
				: {}),
		},
	};
}

/**
 * POST shifts per item. Shift names are unique: a shift of the name that exists (a re-run) is `already done` and
 * left unchanged; a call whose answer was lost is read back from the shift list (the name listed: done).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) =>
		readShift(this, itemIndex),
	);
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) out.set(itemIndex, invalidItem(this, item, itemIndex));
	const directory = new RuleDirectory(client);
	const made = new Map<string, string>();
	for (const { itemIndex, value } of valid) {
		const fields = { shift_name: value.name };
		try {
			const existing = made.get(value.name) ?? (await findShift(directory, value.name, itemIndex));
			if (existing !== undefined) {
				out.set(
					itemIndex,
					alreadyDoneItem('created', { ...fields, shift_id: existing }, itemIndex),
				);
				continue;
			}
			const sent = await client
				.request<IDataObject>({
					method: 'POST',
					path: '/shifts',
					body: value.body,
					repeatable: false,
					itemIndex,
				})
				.then(
					(response) => ({ shift: (response.data?.shift ?? {}) as IDataObject }),
					(error: unknown) => ({ error }),
				);
			if ('shift' in sent) {
				made.set(value.name, String(sent.shift.shift_id));
				out.set(
					itemIndex,
					doneItem(
						'created',
						{ ...fields, shift_id: String(sent.shift.shift_id), shift: sent.shift },
						itemIndex,
					),
				);
				continue;
			}
			// a lost answer: the shift list says whether the call made it
			const found = answerMayBeLost(sent.error)
				? await findShift(new RuleDirectory(client), value.name, itemIndex).catch(() => undefined)
				: undefined;
			if (found === undefined) {
				out.set(itemIndex, failedItem(this, sent.error, 'failed', fields, itemIndex));
				continue;
			}
			made.set(value.name, found);
			out.set(itemIndex, doneItem('created', { ...fields, shift_id: found }, itemIndex));
		} catch (error) {
			out.set(itemIndex, failedItem(this, error, 'failed', fields, itemIndex));
		}
	}
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

/** The ID of the shift named exactly `name`, if one is listed. */
async function findShift(
	directory: RuleDirectory,
	name: string,
	itemIndex: number,
): Promise<string | undefined> {
	const entry = (await directory.all('shift', itemIndex)).find(
		(shift) => shift.shift_name === name,
	);
	return entry ? String(entry.shift_id) : undefined;
}
