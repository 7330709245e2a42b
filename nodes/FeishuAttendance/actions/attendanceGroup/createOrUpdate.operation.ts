import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeNotice, employeeIdTypeProperty, optionsCollection } from '../../descriptions/common';
import { readList } from '../../helpers/input';
import {
	alreadyDoneItem,
	answerMayBeLost,
	doneItem,
	failedItem,
	invalidItem,
} from '../../helpers/outcome';
import { inputError, validateItems } from '../../helpers/output';
import { textParameter } from '../../helpers/parameters';
import { readItemEmployeeIdType } from '../../helpers/query';
import { REST_DAY_SHIFT_ID, RuleDirectory } from '../../helpers/rules';
import { isValidTimeZone } from '../../helpers/time';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	changeNotice(
		'groupWriteNotice',
		"This creates or changes attendance groups: the rules (shifts, holidays, who punches) Feishu applies to their members. A group of the same name is changed; fields left empty keep the group's current values.",
	),
	employeeIdTypeProperty(),
	{
		displayName: 'Group Name',
		name: 'groupName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Retail Stores',
		description:
			'Unique among the groups: a group of this name is updated, otherwise one is created',
	},
	{
		displayName: 'Operator ID',
		name: 'operatorId',
		type: 'string',
		default: '',
		placeholder: 'e.g. the employee ID of your attendance admin',
		description:
			'The attendance admin the change is made as (in the Employee ID Type above); Feishu requires it unless the app has API access in the attendance admin console',
	},
	{
		displayName: 'Group Fields',
		name: 'groupFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Creating a group needs Group Type, Group Leader IDs and (for a fixed group) Weekly Shifts',
		options: [
			{
				displayName: 'Group Leader IDs',
				name: 'leaderIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.leader_id }}',
				description:
					'The attendance admins in charge of the group (at least one; in the Employee ID Type above)',
			},
			{
				displayName: 'Group Type',
				name: 'groupType',
				type: 'options',
				options: [
					{ name: 'Fixed', value: 1, description: 'The same shift on each weekday' },
					{ name: 'Free', value: 3, description: 'No shifts: employees punch when they work' },
					{ name: 'Shift-Based', value: 2, description: 'Shifts scheduled per employee and day' },
				],
				default: 1,
			},
			{
				displayName: 'Holiday Calendar',
				name: 'calendarId',
				type: 'options',
				options: [
					{ name: 'Chinese Mainland', value: 1 },
					{ name: 'India', value: 4 },
					{ name: 'Japan', value: 3 },
					{ name: 'None', value: 0 },
					{ name: 'Singapore', value: 5 },
					{ name: 'United States', value: 2 },
				],
				default: 1,
				description: 'Whose public holidays are days off',
			},
			{
				displayName: 'Member IDs',
				name: 'memberIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.member_ids }}',
				description:
					'The employees the group applies to (they leave their current group); replaces the members named so far',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Asia/Shanghai',
				description: "The group's time zone (default for a new group: the workflow's)",
			},
			{
				displayName: 'Weekly Shifts',
				name: 'weeklyShifts',
				type: 'string',
				default: '',
				placeholder: 'e.g. Day Shift, Day Shift, Day Shift, Day Shift, Day Shift, Rest, Rest',
				description:
					'A fixed group\'s 7 days, Monday to Sunday: a shift name or ID each, or "Rest" for a day off',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendanceGroup'], operation: ['createOrUpdate'] } },
	properties,
);

/** The fields of POST groups' `group` (Lark's definition group.create) a read group is sent back with. */
const WRITABLE = new Set([
	'group_name',
	'time_zone',
	'bind_dept_ids',
	'except_dept_ids',
	'bind_user_ids',
	'except_user_ids',
	'group_leader_ids',
	'sub_group_leader_ids',
	'allow_out_punch',
	'out_punch_need_approval',
	'out_punch_need_post_approval',
	'out_punch_need_remark',
	'out_punch_need_photo',
	'out_punch_allowed_hide_addr',
	'out_punch_allowed_adjust_addr',
	'adjust_range',
	'allow_pc_punch',
	'allow_remedy',
	'remedy_limit',
	'remedy_limit_count',
	'remedy_date_limit',
	'remedy_date_num',
	'allow_remedy_type_lack',
	'allow_remedy_type_late',
	'allow_remedy_type_early',
	'allow_remedy_type_normal',
	'show_cumulative_time',
	'show_over_time',
	'hide_staff_punch_time',
	'hide_clock_in_rule',
	'face_punch',
	'face_punch_cfg',
	'face_live_need_action',
	'face_downgrade',
	'replace_basic_pic',
	'machines',
	'gps_range',
	'locations',
	'group_type',
	'punch_day_shift_ids',
	'free_punch_cfg',
	'calendar_id',
	'need_punch_special_days',
	'no_need_punch_special_days',
	'work_day_no_punch_as_lack',
	'effect_now',
]);

interface GroupWrite {
	employeeType: string;
	name: string;
	operatorId: string;
	/** what the item sets; week still as names or IDs */
	set: IDataObject;
	week?: string[];
}

function readGroup(ctx: IExecuteFunctions, itemIndex: number): GroupWrite {
	const employeeType = readItemEmployeeIdType(ctx, itemIndex, {}).employeeType;
	const name = textParameter(ctx, itemIndex, 'groupName', 'Group Name');
	if (name === '')
		throw inputError(ctx, itemIndex, 'Group Name is empty', 'Give the attendance group a name.');
	const operatorId = textParameter(ctx, itemIndex, 'operatorId', 'Operator ID');
	const fields = ctx.getNodeParameter('groupFields', itemIndex, {}) as IDataObject;
	const set: IDataObject = {};
	const list = (key: string, label: string) => {
		try {
			return readList(fields[key], label);
		} catch (error) {
			throw inputError(ctx, itemIndex, (error as Error).message);
		}
	};
	if (fields.groupType !== undefined) {
		if (![1, 2, 3].includes(Number(fields.groupType)))
			throw inputError(
				ctx,
				itemIndex,
				`Group Type ${String(fields.groupType)} is not Fixed (1), Shift-Based (2) or Free (3)`,
			);
		set.group_type = Number(fields.groupType);
	}
	if (fields.calendarId !== undefined) set.calendar_id = Number(fields.calendarId);
	if (fields.timeZone !== undefined && fields.timeZone !== '') {
		const zone = String(fields.timeZone).trim();
		if (!isValidTimeZone(zone))
			throw inputError(
				ctx,
				itemIndex,
				`Time Zone "${zone}" is not a time zone`,
				'Give a zone such as Asia/Shanghai.',
			);
		set.time_zone = zone;
	}
	if (fields.leaderIds !== undefined && fields.leaderIds !== '')
		set.group_leader_ids = list('leaderIds', 'Group Leader IDs');
	if (fields.memberIds !== undefined && fields.memberIds !== '')
		set.bind_user_ids = list('memberIds', 'Member IDs');
	let week: string[] | undefined;
	if (fields.weeklyShifts !== undefined && fields.weeklyShifts !== '') {
		week = (
			Array.isArray(fields.weeklyShifts)
				? fields.weeklyShifts.map(String)
				: String(fields.weeklyShifts).split(/[,，;；\n]/)
		)
			.map((d) => d.trim())
			.filter(Boolean);
		if (week.length !== 7)
			throw inputError(
				ctx,
				itemIndex,
				`Weekly Shifts has ${week.length} days, not 7`,
				'Give Monday to Sunday: a shift name or ID each, or Rest.',
			);
	}
	return { employeeType, name, operatorId, set, week };
}

/**
 * POST groups per item, by name: a group of the name is read (GET groups/:id), the item's fields laid over it, and
 * all of it sent back (Feishu overwrites the whole group: docs/ASSUMPTIONS.md#rule-writes); nothing to change is
 * `already done` and nothing is sent. No group of the name: one is created. A lost answer is read back from the
 * group list.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) =>
		readGroup(this, itemIndex),
	);
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) out.set(itemIndex, invalidItem(this, item, itemIndex));
	const directory = new RuleDirectory(client);
	for (const { itemIndex, value } of valid) {
		const fields = { group_name: value.name };
		try {
			const set = { ...value.set };
			if (value.week)
				set.punch_day_shift_ids = await shiftIdsOf(this, directory, value.week, itemIndex);
			const listed = (await new RuleDirectory(client).all('group', itemIndex)).find(
				(g) => g.group_name === value.name,
			);
			const qs = { employee_type: value.employeeType, dept_type: 'open_id' };
			const operator = value.operatorId !== '' ? { operator_id: value.operatorId } : {};
			if (listed) {
				const groupId = String(listed.group_id);
				const read = await client.request<IDataObject>({
					method: 'GET',
					path: `/groups/${groupId}`,
					qs,
					repeatable: true,
					itemIndex,
				});
				const data = (read.data ?? {}) as IDataObject;
				const current = (
					typeof data.group === 'object' && data.group !== null ? data.group : data
				) as IDataObject;
				const changed = Object.keys(set).filter(
					(key) => JSON.stringify(current[key]) !== JSON.stringify(set[key]),
				);
				if (changed.length === 0) {
					out.set(
						itemIndex,
						alreadyDoneItem('updated', { ...fields, group_id: groupId }, itemIndex),
					);
					continue;
				}
				const group: IDataObject = { group_id: groupId };
				for (const [key, v] of Object.entries(current))
					if (WRITABLE.has(key) && v !== null) group[key] = v;
				Object.assign(group, set);
				// sending the same whole group again is harmless: repeatable
				const response = await client.request<IDataObject>({
					method: 'POST',
					path: '/groups',
					qs,
					body: { group, ...operator },
					repeatable: true,
					itemIndex,
				});
				out.set(
					itemIndex,
					doneItem(
						'updated',
						{
							...fields,
							group_id: groupId,
							changed,
							group: (response.data?.group ?? {}) as IDataObject,
						},
						itemIndex,
					),
				);
				continue;
			}
			const missing = [
				set.group_type === undefined ? 'Group Type' : '',
				set.group_leader_ids === undefined ? 'Group Leader IDs' : '',
				set.group_type === 1 && set.punch_day_shift_ids === undefined ? 'Weekly Shifts' : '',
			].filter(Boolean);
			if (missing.length > 0) {
				throw inputError(
					this,
					itemIndex,
					`No attendance group is named "${value.name}", and creating it needs ${missing.join(', ')}`,
					'Add them under Group Fields, or check the Group Name.',
				);
			}
			const group: IDataObject = {
				group_name: value.name,
				time_zone: this.getTimezone() || 'Asia/Shanghai',
				calendar_id: 1,
				punch_day_shift_ids: [],
				...set,
			};
			const sent = await client
				.request<IDataObject>({
					method: 'POST',
					path: '/groups',
					qs,
					body: { group, ...operator },
					repeatable: false,
					itemIndex,
				})
				.then(
					(response) => ({ group: (response.data?.group ?? {}) as IDataObject }),
					(error: unknown) => ({ error }),
				);
			if ('group' in sent) {
				out.set(
					itemIndex,
					doneItem(
						'created',
						{ ...fields, group_id: String(sent.group.group_id), group: sent.group },
						itemIndex,
					),
				);
				continue;
			}
			// a lost answer: the group list says whether the call made it
			const found = answerMayBeLost(sent.error)
				? (await new RuleDirectory(client).all('group', itemIndex).catch(() => [])).find(
						(g) => g.group_name === value.name,
					)
				: undefined;
			out.set(
				itemIndex,
				found
					? doneItem('created', { ...fields, group_id: String(found.group_id) }, itemIndex)
					: failedItem(this, sent.error, 'failed', fields, itemIndex),
			);
		} catch (error) {
			out.set(itemIndex, failedItem(this, error, 'failed', fields, itemIndex));
		}
	}
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

/** Monday to Sunday as shift IDs: "Rest" → Feishu's rest day "0", IDs as given, names looked up once per run. */
async function shiftIdsOf(
	ctx: IExecuteFunctions,
	directory: RuleDirectory,
	week: string[],
	itemIndex: number,
): Promise<string[]> {
	return await Promise.all(
		week.map(async (day) => {
			if (/^(rest|rest day|off|0)$/i.test(day)) return REST_DAY_SHIFT_ID;
			if (/^\d+$/.test(day)) return day;
			const found = await directory.lookUp('shift', day, itemIndex);
			if ('error' in found)
				throw inputError(ctx, itemIndex, `Weekly Shifts: ${found.error}`, found.description);
			return found.id;
		}),
	);
}
