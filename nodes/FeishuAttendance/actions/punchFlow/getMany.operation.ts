import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeQueryProperties, readWindowDays, timezoneFrom, timezoneOption, windowDaysOption } from '../../descriptions/common';
import { errorMessage, inputError } from '../../helpers/output';
import { meansWholeDay, queryFlowWindow, withIsoTime } from '../../helpers/punchFlow';
import type { FlowQueryResult } from '../../helpers/punchFlow';
import { collectRows, employeeQueryOutput, failuresOf, groupItems, readEmployeeIds, readLimit, runEmployeeQueries } from '../../helpers/query';
import { DAY_MS, dayNumberToIsoDate, parseDateTime, splitTimeRange, toDayNumber } from '../../helpers/time';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = employeeQueryProperties({
	employeeIds:
		'Employees whose punch records to get: one ID per input item, or several separated by commas (or an array from an expression). Each distinct employee is queried once, however many items name them.',
	employeeIdsPlaceholder: 'e.g. {{ $json.employee_id }} or emp001, emp002',
	from: 'Start of the time range (inclusive). Times without an offset are read in the Timezone option. Items with the same range are queried together.',
	to: "End of the time range (inclusive). A date without a time (2026-03-31, 20260331) or a date at exactly midnight without an offset (2026-03-31T00:00:00, as the date picker sets it) means the end of that day (23:59:59); give an offset (2026-03-31T00:00:00+08:00) for midnight itself. Longer ranges are split into several queries automatically.",
	options: [
		{
			displayName: 'Include Terminated Users',
			name: 'includeTerminated',
			type: 'boolean',
			default: false,
			description:
				'Whether to also return the records of departed employees whose ID was reused by a new hire. Off: only the current (or most recently departed) holder of each ID.',
		},
		timezoneOption,
		windowDaysOption,
	],
});

export const description = updateDisplayOptions({ show: { resource: ['punchFlow'], operation: ['getMany'] } }, properties);

/** Query parameters shared by the items of one group. */
interface FlowRange {
	employeeType: string;
	fromMs: number;
	toMs: number;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	const timezone = timezoneFrom(this);
	const limit = readLimit(this);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const includeTerminated = options.includeTerminated === true;
	const windowMs = readWindowDays(this) * DAY_MS;

	// Items with the same range (usually all of them) form one group; each distinct employee of a group is
	// asked once, in calls of at most 50 users, one call per window of the range (helpers/query.ts).
	const { groups, errors } = groupItems<FlowRange>(this, items.length, (itemIndex) => {
		const employeeType = String(this.getNodeParameter('employeeIdType', itemIndex));
		const employeeIds = readEmployeeIds(this, itemIndex, (message) => inputError(this, itemIndex, message));
		const fromMs = readTime(this, itemIndex, 'From', this.getNodeParameter('from', itemIndex, ''), timezone, false);
		const toMs = readTime(this, itemIndex, 'To', this.getNodeParameter('to', itemIndex, ''), timezone, true);
		if (toMs < fromMs) throw inputError(this, itemIndex, 'To is earlier than From');
		return { employeeIds, key: [employeeType, fromMs, toMs].join('|'), params: { employeeType, fromMs, toMs } };
	});

	const outcomes = await runEmployeeQueries<FlowRange, { from: number; to: number }, FlowQueryResult>(
		groups,
		// once per group
		(range) => splitTimeRange(range.fromMs, range.toMs, windowMs),
		async ({ group, employeeIds, window, itemIndex }) =>
			await queryFlowWindow(client, {
				employeeType: group.params.employeeType,
				userIds: employeeIds,
				fromMs: window.from,
				toMs: window.to,
				includeTerminated,
				itemIndex,
			}),
	);

	// Failed calls, and employees Feishu refused (unknown / no data permission): error items for the items
	// that asked for them.
	const { itemErrors, failedEmployees } = failuresOf(outcomes);
	for (const outcome of outcomes) {
		for (const [employeeId, answer] of outcome.result?.rejectedUsers ?? []) {
			const asking = outcome.group.employees.itemsOf(employeeId);
			const error = client.errorFor(answer, { method: 'POST', path: '/user_flows/query', itemIndex: asking[0] }, { subject: `employee ${employeeId}` });
			for (const itemIndex of asking) if (!itemErrors.has(itemIndex)) itemErrors.set(itemIndex, error);
		}
	}

	// Windows come in chronological order; within a window, sort by check time.
	const rows = collectRows(groups, outcomes, failedEmployees, ({ result }, add) => {
		const records = [...result.records].sort((a, b) => Number(a.check_time) - Number(b.check_time));
		for (const record of records) add(String(record.user_id ?? ''), withIsoTime(record, timezone));
	});
	return employeeQueryOutput(this, rows.slice(0, limit), errors, itemErrors);
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
		if (!endOfDay || !meansWholeDay(value)) return ms;
		// 'To: 2026-03-31' (or the date picker's '2026-03-31T00:00:00') means the whole of that day.
		return parseDateTime(`${dayNumberToIsoDate(toDayNumber(ms, timezone))} 23:59:59`, timezone);
	} catch (error) {
		throw inputError(ctx, itemIndex, `${field} ${errorMessage(error)}`);
	}
}
