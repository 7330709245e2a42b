import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, pacingOptions, timezoneFrom, timezoneOption } from '../../descriptions/common';
import { FEISHU_MAX_BATCH, KeyIndex, forEachBatch } from '../../helpers/batching';
import { errorMessage, failItem, outputItem, validateItems } from '../../helpers/output';
import {
	DEFAULT_FLOW_QUERY_WINDOW_DAYS,
	feishuApiError,
	isDateOnly,
	queryFlows,
	toStringList,
	withIsoTime,
} from '../../helpers/punchFlow';
import { parseDateTime } from '../../helpers/time';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	employeeIdTypeProperty(),
	{
		displayName: 'Employee IDs',
		name: 'employeeIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.employee_id }} or emp001, emp002',
		description:
			'Employees whose punch records to get: one ID per input item, or several separated by commas (or an array from an expression). Each distinct employee is queried once, however many items name them.',
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'Start of the time range (inclusive). Times without an offset are read in the Timezone option. Items with the same range are queried together.',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'End of the time range (inclusive). A date without a time means the end of that day. Longer ranges are split into several queries automatically.',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Terminated Users',
				name: 'includeTerminated',
				type: 'boolean',
				default: false,
				description:
					'Whether to also return the records of departed employees whose ID was reused by a new hire. Off: only the current (or most recently departed) holder of each ID.',
			},
			{
				displayName: 'Max Days per Query',
				name: 'windowDays',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 366 },
				default: DEFAULT_FLOW_QUERY_WINDOW_DAYS,
				description:
					'Longer ranges are split into queries of at most this many days. Feishu does not document its maximum; 30 is a safe value.',
			},
			timezoneOption,
			...pacingOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['punchFlow'], operation: ['getMany'] } }, properties);

interface Request {
	employeeIds: string[];
	fromMs: number;
	toMs: number;
}

/** The items that share one time range; each distinct employee of the group is queried once. */
interface RangeGroup {
	fromMs: number;
	toMs: number;
	employees: KeyIndex;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const timezone = timezoneFrom(this);
	const employeeType = this.getNodeParameter('employeeIdType', 0) as string;
	const returnAll = this.getNodeParameter('returnAll', 0, false) as boolean;
	const limit = returnAll ? Infinity : Math.max(1, Number(this.getNodeParameter('limit', 0, 50)));
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const includeTerminated = options.includeTerminated === true;
	const windowDays = Number(options.windowDays) > 0 ? Number(options.windowDays) : DEFAULT_FLOW_QUERY_WINDOW_DAYS;

	const { valid, errors } = validateItems<Request>(this, items.length, (itemIndex) => {
		const employeeIds = toStringList(this.getNodeParameter('employeeIds', itemIndex, ''));
		if (employeeIds.length === 0) throw inputError(this, itemIndex, 'Employee IDs is empty');
		const fromMs = readTime(this, itemIndex, 'From', this.getNodeParameter('from', itemIndex, ''), timezone, false);
		const toMs = readTime(this, itemIndex, 'To', this.getNodeParameter('to', itemIndex, ''), timezone, true);
		if (toMs < fromMs) throw inputError(this, itemIndex, 'To is earlier than From');
		return { employeeIds, fromMs, toMs };
	});

	// Items are grouped by time range (usually all items share one); within a group every distinct
	// employee is asked once, in calls of at most 50 users, and every range is split into windows.
	const groups = new Map<string, RangeGroup>();
	for (const { itemIndex, value } of valid) {
		const id = `${value.fromMs}|${value.toMs}`;
		let group = groups.get(id);
		if (!group) {
			group = { fromMs: value.fromMs, toMs: value.toMs, employees: new KeyIndex() };
			groups.set(id, group);
		}
		for (const employeeId of value.employeeIds) group.employees.add(employeeId, itemIndex);
	}

	const records: INodeExecutionData[] = [];
	const failures = new Map<number, INodeExecutionData>(errors);
	const failItems = (error: unknown, itemIndexes: number[]) => {
		for (const itemIndex of itemIndexes) {
			if (!failures.has(itemIndex)) failures.set(itemIndex, failItem(this, error, itemIndex));
		}
	};

	for (const group of groups.values()) {
		const order = new Map(group.employees.keys.map((key, i) => [key, i]));
		const batches = await forEachBatch(group.employees.keys, FEISHU_MAX_BATCH, async (userIds) => {
			const asking = [...new Set(userIds.flatMap((id) => group.employees.itemsOf(id)))].sort((a, b) => a - b);
			try {
				return { userIds, asking, result: await queryFlows(client, {
					employeeType,
					userIds,
					fromMs: group.fromMs,
					toMs: group.toMs,
					windowDays,
					includeTerminated,
					itemIndex: asking[0],
				}) };
			} catch (error) {
				// Reported below with the others (failItem: an error item, or the node stops without Continue On Fail).
				return { userIds, asking, error };
			}
		});

		const found: Array<{ record: IDataObject; pairedWith: number[] }> = [];
		for (const batch of batches) {
			if (!batch.result) {
				failItems(batch.error, batch.asking);
				continue;
			}
			for (const [userId, answer] of batch.result.rejectedUsers) {
				const asking = group.employees.itemsOf(userId);
				failItems(feishuApiError(this, answer, 'POST /user_flows/query', asking[0], userId), asking);
			}
			for (const record of batch.result.records) {
				const owners = group.employees.itemsOf(String(record.user_id));
				found.push({ record, pairedWith: owners.length > 0 ? owners : batch.asking });
			}
		}
		// Per employee (in the order the items named them), then by check time.
		found.sort(
			(a, b) =>
				(order.get(String(a.record.user_id)) ?? Infinity) - (order.get(String(b.record.user_id)) ?? Infinity) ||
				Number(a.record.check_time) - Number(b.record.check_time),
		);
		for (const { record, pairedWith } of found) records.push(outputItem(withIsoTime(record, timezone), pairedWith));
	}

	const failed = [...failures.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
	return [...records.slice(0, limit), ...failed];
}

function inputError(ctx: IExecuteFunctions, itemIndex: number, message: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, { itemIndex });
}

function readTime(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	timezone: string,
	endOfDay: boolean,
): number {
	try {
		const ms = parseDateTime(value, timezone);
		// 'To: 2026-03-31' means the whole of that day.
		return endOfDay && isDateOnly(value) ? parseDateTime(`${dayText(value)} 23:59:59`, timezone) : ms;
	} catch (error) {
		throw inputError(ctx, itemIndex, `${field} ${errorMessage(error)}`);
	}
}

function dayText(value: unknown): string {
	const text = String(value).trim();
	return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : text;
}
