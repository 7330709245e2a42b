import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, pacingOptions, timezoneFrom, timezoneOption } from '../../descriptions/common';
import {
	APPROVAL_STATUSES,
	DATE_TYPES,
	approvalQueryWindows,
	enumName,
	flattenApprovalEntry,
	resolveEnum,
} from '../../helpers/approval';
import { errorMessage, failItem, outputItem, validateItems } from '../../helpers/output';
import { EmployeeQueryGroups, EmployeeRows, employeeIdsOf, failuresOf, runEmployeeQueries } from '../../helpers/query';
import { addDays, dayNumberToIsoDate, parseDay, toDayNumber } from '../../helpers/time';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	employeeIdTypeProperty(true),
	{
		displayName: 'Employee IDs',
		name: 'employeeIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_id }}',
		description:
			'Employees whose approvals to get: one ID per item, or several separated by commas. Every employee is asked once, however many items name them; each result is paired with the items that asked for it.',
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'First day of the range (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd.',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'Last day of the range, inclusive. Long ranges are asked in windows of 30 days. Feishu does not answer queries that start after tomorrow.',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Approved', value: 'approved' },
			{ name: 'Cancelled', value: 'cancelled' },
			{ name: 'Pending', value: 'pending' },
			{ name: 'Rejected', value: 'rejected' },
			{ name: 'Withdrawn', value: 'withdrawn' },
		],
		default: 'approved',
		description:
			'Which approvals to get. Feishu answers leave and overtime only for Approved and Withdrawn; out of office and business trips for every status.',
	},
	{
		displayName: 'Date Type',
		name: 'dateType',
		type: 'options',
		options: [
			{
				name: 'Period',
				value: 'period',
				description: 'Approvals whose date (the day they apply to) is in the range',
			},
			{ name: 'Created', value: 'created', description: 'Approvals created in the range' },
			{
				name: 'Updated',
				value: 'updated',
				description: 'Approvals updated in the range (not yet available on every tenant)',
			},
		],
		default: 'period',
		description: 'Which date of an approval From and To refer to',
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
		options: [timezoneOption, ...pacingOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['approval'], operation: ['getMany'] } }, properties);

interface ApprovalQuery {
	employeeIdType: string;
	from: number;
	to: number;
	status: number;
	dateType: string;
	windows: Array<{ from: number; to: number }>;
}

/** Reads From / To of one item as yyyyMMdd days. */
function readDay(ctx: IExecuteFunctions, name: string, label: string, timeZone: string, itemIndex: number): number {
	try {
		return parseDay(ctx.getNodeParameter(name, itemIndex, ''), timeZone);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${label} ${errorMessage(error)}`, { itemIndex });
	}
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const timeZone = timezoneFrom(this);
	// Feishu refuses check_date_from later than "today + 1"; its today may be Beijing's, so take the earlier.
	const now = Date.now();
	const latestFrom = addDays(Math.min(toDayNumber(now, timeZone), toDayNumber(now, 'Asia/Shanghai')), 1);
	const returnAll = this.getNodeParameter('returnAll', 0, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', 0, 50) as number);

	const groups = new EmployeeQueryGroups<ApprovalQuery>();
	const { errors } = validateItems(this, items.length, (itemIndex) => {
		const node = this.getNode();
		const employeeIdType = String(this.getNodeParameter('employeeIdType', itemIndex));
		let employeeIds: string[];
		try {
			employeeIds = employeeIdsOf(this.getNodeParameter('employeeIds', itemIndex, ''));
		} catch (error) {
			throw new NodeOperationError(node, errorMessage(error), { itemIndex });
		}
		if (employeeIds.length === 0) {
			throw new NodeOperationError(node, 'Employee IDs is empty', {
				itemIndex,
				description: 'Map the employee ID of each item, e.g. {{ $json.employee_id }}.',
			});
		}
		const from = readDay(this, 'from', 'From', timeZone, itemIndex);
		const to = readDay(this, 'to', 'To', timeZone, itemIndex);
		if (to < from) {
			throw new NodeOperationError(
				node,
				`To (${dayNumberToIsoDate(to)}) is before From (${dayNumberToIsoDate(from)})`,
				{ itemIndex },
			);
		}
		let status: number;
		let dateType: string;
		let windows: ApprovalQuery['windows'];
		try {
			status = resolveEnum(APPROVAL_STATUSES, this.getNodeParameter('status', itemIndex, 'approved'), 'Status');
			dateType = resolveEnum(DATE_TYPES, this.getNodeParameter('dateType', itemIndex, 'period'), 'Date Type');
			windows = approvalQueryWindows(from, to, latestFrom, dateType);
		} catch (error) {
			throw new NodeOperationError(node, errorMessage(error), { itemIndex });
		}
		const key = [employeeIdType, from, to, status, dateType].join('|');
		groups.add(key, { employeeIdType, from, to, status, dateType, windows }, employeeIds, itemIndex);
	});

	const outcomes = await runEmployeeQueries(
		groups.list,
		(query) => query.windows,
		async ({ group, employeeIds, window, itemIndex }) =>
			await client.request<IDataObject>({
				method: 'POST',
				path: '/user_approvals/query',
				qs: { employee_type: group.params.employeeIdType },
				body: {
					user_ids: employeeIds,
					check_date_from: window.from,
					check_date_to: window.to,
					check_date_type: group.params.dateType,
					status: group.params.status,
				},
				repeatable: true,
				itemIndex,
			}),
	);
	const { itemErrors, failedEmployees } = failuresOf(outcomes);
	const failures = [...itemErrors.entries()].sort(([a], [b]) => a - b);
	// Without Continue On Fail the first failed item stops the node (failItem throws).
	const errorItems = failures.map(([itemIndex, error]) => failItem(this, error, itemIndex));

	const output: INodeExecutionData[] = [];
	for (const group of groups.list) {
		const query = group.params;
		const rows = new EmployeeRows<IDataObject>(group.employees);
		const seen = new Set<string>();
		const failed = failedEmployees.get(group.index);
		for (const outcome of outcomes) {
			if (outcome.group !== group || !outcome.result) continue;
			const entries = (outcome.result.data?.user_approvals ?? []) as IDataObject[];
			for (const entry of entries) {
				const employeeId = String(entry.user_id ?? '');
				if (failed?.has(employeeId)) continue;
				// A window clamped to "tomorrow" may reach before From: keep only the asked period.
				const day = Number(entry.date);
				if (query.dateType === 'PeriodTime' && Number.isInteger(day) && (day < query.from || day > query.to)) continue;
				const extra = {
					employee_id_type: query.employeeIdType,
					approval_status: enumName(APPROVAL_STATUSES, query.status),
				};
				for (const { type, record } of flattenApprovalEntry(entry, timeZone, extra)) {
					const id = `${employeeId}|${type}|${String(record.approval_id ?? JSON.stringify(record))}`;
					if (seen.has(id)) continue;
					seen.add(id);
					rows.add(employeeId, record, outcome.employeeIds);
				}
			}
		}
		for (const { row, items: paired } of rows.ordered()) {
			if (output.length >= limit) break;
			output.push(outputItem(row, paired));
		}
	}
	const validationErrors = [...errors.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
	return [...output, ...validationErrors, ...errorItems];
}
