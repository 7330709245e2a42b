import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { employeeIdTypeProperty, optionsCollection, readWindowDays, timezoneFrom, timezoneOption, windowDaysOption } from '../../descriptions/common';
import { errorMessage, failItem, inputError, outputItem, validateItems } from '../../helpers/output';
import type { PunchChoice } from '../../helpers/remedy';
import {
	CLOSED_REMEDY_STATUS_CODES,
	REMEDY_CREATE_PATH,
	REMEDY_REFUSALS,
	findExistingRemedies,
	flattenRemedy,
	formatRemedyTime,
	punchOptions,
	remedyKey,
	resolvePunch,
} from '../../helpers/remedy';
import { addDays, dayNumberToIsoDate, parseDateTime, parseDay, toDayNumber } from '../../helpers/time';
import { readText } from '../../helpers/values';
import type { FeishuClient } from '../../transport';

const properties: INodeProperties[] = [
	employeeIdTypeProperty(),
	{
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.employee_id }}',
		description: 'The employee whose punch is corrected, in the Employee ID Type chosen above',
	},
	{
		displayName: 'Day',
		name: 'day',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'The work day being corrected (the day in the Timezone option). Accepts dates, date-times and yyyyMMdd.',
	},
	{
		displayName: 'Punch',
		name: 'punch',
		type: 'options',
		options: punchOptions,
		default: 'firstCheckIn',
		description:
			'Which punch of the day to correct: the check-in or check-out of the first, second or third segment of the shift. Use Free Schedule Punch for free-schedule attendance groups. Remedy → Get Allowed lists what can be corrected.',
	},
	{
		displayName: 'Remedied Time',
		name: 'remedyTime',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-11-20 09:00',
		description:
			'The corrected punch time. Accepts ISO 8601, yyyy-MM-dd HH:mm[:ss] and epoch seconds or milliseconds; times without an offset are read in the Timezone option. Feishu keeps minutes only.',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Forgot to punch in',
		description: 'Why the punch is corrected, as the employee or admin states it',
	},
	optionsCollection([
		{
			displayName: 'Send Again After Rejection',
			name: 'resendClosed',
			type: 'boolean',
			default: false,
			description:
				'Whether a remedy is sent again when Feishu only holds rejected, cancelled or withdrawn remedies for the same employee, day and punch. Off: any existing remedy makes the item a duplicate.',
		},
		timezoneOption,
		{
			...windowDaysOption,
			description:
				'Longest range asked in one call when looking up existing remedies. Feishu does not document its limit; lower it if Feishu answers that the time span is too long.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['remedy'], operation: ['create'] } }, properties);

interface PreparedRemedy {
	itemIndex: number;
	employeeIdType: string;
	employeeId: string;
	day: number;
	punch: PunchChoice;
	remedyTime: string;
	reason: string;
	timeZone: string;
	key: string;
}

function prepare(ctx: IExecuteFunctions, itemIndex: number): PreparedRemedy {
	const timeZone = timezoneFrom(ctx, itemIndex);
	// `label` prefixes messages that do not name the field themselves (the time parsers' "is empty").
	const read = <T>(parse: () => T, label?: string): T => {
		try {
			return parse();
		} catch (error) {
			throw inputError(ctx, itemIndex, label ? `${label} ${errorMessage(error)}` : errorMessage(error));
		}
	};
	const employeeIdType = String(ctx.getNodeParameter('employeeIdType', itemIndex));
	const employeeId = read(() => readText(ctx.getNodeParameter('employeeId', itemIndex, ''), 'Employee ID'));
	const day = read(() => parseDay(ctx.getNodeParameter('day', itemIndex, ''), timeZone), 'Day');
	const punch = read(() => resolvePunch(ctx.getNodeParameter('punch', itemIndex, 'firstCheckIn')));
	const remedyMs = read(() => parseDateTime(ctx.getNodeParameter('remedyTime', itemIndex, ''), timeZone), 'Remedied Time');
	const reason = read(() => readText(ctx.getNodeParameter('reason', itemIndex, ''), 'Reason'));
	const remedyDay = toDayNumber(remedyMs, timeZone);
	if (remedyDay !== day && remedyDay !== addDays(day, 1)) {
		throw inputError(
			ctx,
			itemIndex,
			`Remedied Time (${formatRemedyTime(remedyMs, timeZone)}) is not on Day ${dayNumberToIsoDate(day)} or the night after`,
			'The remedied time is the corrected punch of that work day. Check both values and the Timezone option.',
		);
	}
	return {
		itemIndex,
		employeeIdType,
		employeeId,
		day,
		punch,
		remedyTime: formatRemedyTime(remedyMs, timeZone),
		reason,
		timeZone,
		key: remedyKey(employeeId, day, punch.punchNo, punch.workType),
	};
}

/** What the item's remedy is about, in every output item of it. */
const summaryOf = (p: PreparedRemedy): IDataObject => ({
	employee_id: p.employeeId,
	employee_id_type: p.employeeIdType,
	remedy_date: p.day,
	date_iso: dayNumberToIsoDate(p.day),
	punch: p.punch.name,
	punch_no: p.punch.punchNo,
	work_type: p.punch.workType,
	remedy_time: p.remedyTime,
	reason: p.reason,
});

const APPROVE_NOTE =
	'Written as pending. Approve or reject it with Approval → Update Status (Approval Type: Remedy, Approval ID: approval_id), or in the approval flow your tenant uses for remedies.';

/**
 * Remedy → Create. UNCONFIRMED: see docs/ASSUMPTIONS.md#remedy-duplicates.
 * Feishu has no idempotency key for remedies (a resend may store a second pending remedy), so before
 * anything is sent the employees' remedies of those days are looked up (every status, batched: ≤ 50 employees ×
 * window × status per call); an item whose employee, day and punch already has a remedy is reported `duplicate`
 * with it, and so is a second item for the same remedy in one run. Each remaining remedy is one call, not
 * repeated automatically (a lost answer could mean it was stored: the next run's look-up finds it).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: FeishuClient): Promise<INodeExecutionData[]> {
	const { valid, errors } = validateItems(this, items.length, (itemIndex) => prepare(this, itemIndex));
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const resendClosed = options.resendClosed === true;
	const windowDays = readWindowDays(this);
	const prepared = valid.map((v) => v.value);

	// The look-up: per Employee ID Type and time zone one set of calls over the days the items name.
	// Per item: its output, or the error of its call (failItem turns it into an item or stops the node, in item order).
	const outcomes = new Map<number, INodeExecutionData>();
	const failures = new Map<number, { error: unknown; p: PreparedRemedy }>();
	const groups = new Map<string, PreparedRemedy[]>();
	for (const p of prepared) {
		const key = `${p.employeeIdType}|${p.timeZone}`;
		const group = groups.get(key);
		if (group) group.push(p);
		else groups.set(key, [p]);
	}
	const toSend: PreparedRemedy[] = [];
	const firstOfKey = new Map<string, PreparedRemedy>();
	for (const group of groups.values()) {
		const { employeeIdType, timeZone } = group[0];
		const employees = [...new Set(group.map((p) => p.employeeId))];
		const firstItem = new Map<string, number>();
		for (const p of group) if (!firstItem.has(p.employeeId)) firstItem.set(p.employeeId, p.itemIndex);
		const firstDay = group.reduce((min, p) => Math.min(min, p.day), Infinity);
		const lastDay = group.reduce((max, p) => Math.max(max, p.day), -Infinity);
		const existing = await findExistingRemedies(
			client,
			employeeIdType,
			employees,
			firstDay,
			lastDay,
			timeZone,
			windowDays,
			(id) => firstItem.get(id) ?? 0,
		);
		for (const p of group) {
			const failed = existing.failed.get(p.employeeId);
			if (failed !== undefined) {
				outcomes.set(p.itemIndex, failItem(this, failed, p.itemIndex, { status: 'failed', ...summaryOf(p) }));
				continue;
			}
			const held = (existing.found.get(p.key) ?? []).filter(
				(r) => !(resendClosed && CLOSED_REMEDY_STATUS_CODES.includes(Number(r.status))),
			);
			if (held.length > 0) {
				const remedy = flattenRemedy(held[0], employeeIdType, p.timeZone);
				outcomes.set(
					p.itemIndex,
					outputItem(
						{
							status: 'duplicate',
							...summaryOf(p),
							approval_id: remedy.approval_id,
							remedy_status: remedy.remedy_status,
							existing_remedy_time: remedy.remedy_time,
							message: `Feishu already holds a remedy for this punch (status ${String(remedy.remedy_status)}); nothing was sent.`,
						},
						p.itemIndex,
					),
				);
				continue;
			}
			const first = firstOfKey.get(`${employeeIdType}|${p.key}`);
			if (first) {
				outcomes.set(
					p.itemIndex,
					outputItem(
						{ status: 'duplicate', ...summaryOf(p), duplicate_of_item: first.itemIndex, message: `Item ${first.itemIndex} asks for the same remedy; it was sent once.` },
						p.itemIndex,
					),
				);
				continue;
			}
			firstOfKey.set(`${employeeIdType}|${p.key}`, p);
			toSend.push(p);
		}
	}

	// One call per remedy; the client's pacer bounds them.
	await Promise.all(
		toSend.map(async (p) => {
			const req = { method: 'POST' as const, path: REMEDY_CREATE_PATH, itemIndex: p.itemIndex };
			try {
				const answer = await client.request<IDataObject>({
					...req,
					qs: { employee_type: p.employeeIdType },
					body: {
						user_id: p.employeeId,
						remedy_date: p.day,
						punch_no: p.punch.punchNo,
						work_type: p.punch.workType,
						remedy_time: p.remedyTime,
						reason: p.reason,
					},
					// no idempotency key: a resend could store a second remedy
					repeatable: false,
					acceptCodes: Object.keys(REMEDY_REFUSALS).map(Number),
					itemIndex: p.itemIndex,
				});
				if (answer.code !== 0) {
					// Feishu refused this remedy for a reason of its own: an output item, the run goes on.
					const error = client.errorFor(answer, req, { note: REMEDY_REFUSALS[answer.code], message: `Feishu refused the remedy: ${answer.msg}` });
					outcomes.set(
						p.itemIndex,
						outputItem({ status: 'failed', ...summaryOf(p), error: error.message, errorDescription: error.description ?? undefined, code: answer.code }, p.itemIndex),
					);
					return;
				}
				const remedy = flattenRemedy((answer.data?.user_remedy ?? {}) as IDataObject, p.employeeIdType, p.timeZone);
				outcomes.set(
					p.itemIndex,
					outputItem({ status: 'created', ...summaryOf(p), ...remedy, employee_id: p.employeeId, note: APPROVE_NOTE }, p.itemIndex),
				);
			} catch (error) {
				failures.set(p.itemIndex, { error, p });
			}
		}),
	);

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		if (invalid) output.push({ ...invalid, json: { status: 'failed', ...invalid.json } });
		const outcome = outcomes.get(itemIndex);
		if (outcome) output.push(outcome);
		const failure = failures.get(itemIndex);
		if (failure) output.push(failItem(this, failure.error, itemIndex, { status: 'failed', ...summaryOf(failure.p) }));
	}
	return output;
}
