import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readWindowDays } from '../../descriptions/common';
import { resolveItemEmployees } from '../../helpers/employees';
import { failItem, outputItem, validateItems } from '../../helpers/output';
import type { PreparedRemedy } from '../../helpers/remedyInput';
import { remedyByUserId, remedyItemReader, remedySummary } from '../../helpers/remedyInput';
import type { RemedyOutcome, RemedyPlan } from '../../helpers/remedyWrite';
import { planRemedies, writeRemedy } from '../../helpers/remedyWrite';
import type { FeishuClient } from '../../transport';
import { properties } from './create.description';

export const description = updateDisplayOptions({ show: { resource: ['remedy'], operation: ['create'] } }, properties);

const APPROVE_NOTE =
	'Written as pending. Approve or reject it with Approval → Update Status (Approval Type: Remedy, Approval ID: approval_id), or in the approval flow your tenant uses for remedies.';

/**
 * Remedy → Create. Feishu has no idempotency key for remedies: before anything is sent the remedies it
 * already holds for those employees and days are looked up; an item whose employee, day and punch already has
 * one is reported `duplicate` with it, and so is a second item for the same remedy in one run.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], client: FeishuClient): Promise<INodeExecutionData[]> {
	// 1. Read and check every item before anything is sent.
	const read = validateItems(this, items.length, remedyItemReader(this));
	// Employee ID Type Email / Mobile: every distinct value looked up at once; an unknown one is its item's error.
	const { valid, errors: unknown } = await resolveItemEmployees(
		this,
		client,
		read.valid,
		(p) => ({ type: p.employeeIdType, id: p.employeeId }),
		remedyByUserId,
	);
	const errors = new Map(read.errors);
	for (const [itemIndex, { error, given }] of unknown) errors.set(itemIndex, failItem(this, error, itemIndex, given));
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;

	// 2. The look-up decides what is sent; a failed look-up fails its items (or stops the node) before any write.
	const settings = { resendClosed: options.resendClosed === true, windowDays: readWindowDays(this) };
	const planned = new Map<number, INodeExecutionData>();
	const toSend: PreparedRemedy[] = [];
	for await (const [p, plan] of planRemedies(client, valid.map((v) => v.value), settings)) {
		if (plan.kind === 'send') toSend.push(p);
		else planned.set(p.itemIndex, planOutput(this, p, plan));
	}

	// 3. One call per remedy; the client's pacer bounds them.
	const written = new Map(await Promise.all(toSend.map(async (p) => [p.itemIndex, { p, outcome: await writeRemedy(client, p) }] as const)));

	// 4. Exactly one output item per input item, paired with it (call errors follow Continue On Fail, in item order).
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		const result = written.get(itemIndex);
		if (invalid) output.push({ ...invalid, json: { status: 'failed', ...invalid.json } });
		else if (planned.has(itemIndex)) output.push(planned.get(itemIndex)!);
		else if (result) output.push(toOutput(this, result.p, result.outcome));
	}
	return output;
}

/** The output of an item that is not sent: a duplicate, or the error of its look-up. */
function planOutput(ctx: IExecuteFunctions, p: PreparedRemedy, plan: Exclude<RemedyPlan, { kind: 'send' }>): INodeExecutionData {
	if (plan.kind === 'lookUpFailed') return failItem(ctx, plan.error, p.itemIndex, { status: 'failed', ...remedySummary(p) });
	if (plan.kind === 'repeat') {
		return outputItem(
			{ status: 'duplicate', ...remedySummary(p), duplicate_of_item: plan.firstItem, message: `Item ${plan.firstItem} asks for the same remedy; it was sent once.` },
			p.itemIndex,
		);
	}
	return outputItem(
		{
			status: 'duplicate',
			...remedySummary(p),
			approval_id: plan.remedy.approval_id,
			remedy_status: plan.remedy.remedy_status,
			existing_remedy_time: plan.remedy.remedy_time,
			message: `Feishu already holds a remedy for this punch (status ${String(plan.remedy.remedy_status)}); nothing was sent.`,
		},
		p.itemIndex,
	);
}

function toOutput(ctx: IExecuteFunctions, p: PreparedRemedy, outcome: RemedyOutcome): INodeExecutionData {
	if (outcome.status === 'error') return failItem(ctx, outcome.error, p.itemIndex, { status: 'failed', ...remedySummary(p) });
	if (outcome.status === 'refused') {
		const { error, errorDescription, code } = outcome;
		return outputItem({ status: 'failed', ...remedySummary(p), error, errorDescription, code }, p.itemIndex);
	}
	return outputItem({ status: 'created', ...remedySummary(p), ...outcome.remedy, employee_id: p.employeeId, note: APPROVE_NOTE }, p.itemIndex);
}
