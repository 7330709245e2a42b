import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { resolveItemEmployees } from '../../helpers/employees';
import {
	NOT_DONE_REASONS,
	alreadyDoneItem,
	doneItem,
	failedItem,
	invalidItem,
	notDoneItem,
} from '../../helpers/outcome';
import { errorMessage, validateItems } from '../../helpers/output';
import type { PreparedRemedy } from './remedyInput';
import { remedyByUserId, remedyItemReader, remedySummary } from './remedyInput';
import type { RemedyOutcome, RemedyPlan } from './remedyWrite';
import { planRemedies, writeRemedy } from './remedyWrite';
import type { FeishuClient } from '../../transport';
import { properties } from './create.description';
import { readWindowDays } from '../../helpers/parameters';

export const description = updateDisplayOptions(
	{ show: { resource: ['remedy'], operation: ['create'] } },
	properties,
);

const APPROVE_NOTE =
	'Written as pending. Approve or reject it with Approval → Update Status (Approval Type: Remedy, Approval ID: approval_id), or in the approval flow your tenant uses for remedies.';

/**
 * Remedy → Create. Feishu has no idempotency key for remedies: before anything is sent the remedies it
 * already holds for those employees and days are looked up; an item whose employee, day and punch already has
 * one is reported `duplicate` with it. A second item for the same remedy in one run is sent once and gets the
 * first item's outcome (`duplicate_of_item`): `duplicate` when it was written, `failed` when it was not.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
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
	for (const [itemIndex, { error, given }] of unknown) {
		errors.set(
			itemIndex,
			failedItem(this, error, 'failed', given, itemIndex, NOT_DONE_REASONS.unknownEmployee),
		);
	}
	for (const [itemIndex, item] of read.errors)
		errors.set(itemIndex, invalidItem(this, item, itemIndex));
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;

	// 2. The look-up decides what is sent; a failed look-up fails its items (or stops the node) before any write.
	const settings = {
		resendClosed: options.resendClosed === true,
		windowDays: readWindowDays(this),
	};
	const planned = new Map<number, INodeExecutionData>();
	const toSend: PreparedRemedy[] = [];
	const repeats: Array<{ p: PreparedRemedy; firstItem: number }> = [];
	for await (const [p, plan] of planRemedies(
		client,
		valid.map((v) => v.value),
		settings,
	)) {
		if (plan.kind === 'send') toSend.push(p);
		else if (plan.kind === 'repeat') repeats.push({ p, firstItem: plan.firstItem });
		else planned.set(p.itemIndex, planOutput(this, p, plan));
	}

	// 3. One call per remedy; the client's pacer bounds them.
	const written = new Map(
		await Promise.all(
			toSend.map(async (p) => [p.itemIndex, { p, outcome: await writeRemedy(client, p) }] as const),
		),
	);

	const repeatOf = new Map(repeats.map((r) => [r.p.itemIndex, r]));

	// 4. Exactly one output item per input item, paired with it (call errors follow Continue On Fail, in item order).
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		const result = written.get(itemIndex);
		if (invalid) output.push(invalid);
		else if (planned.has(itemIndex)) output.push(planned.get(itemIndex)!);
		else if (result) output.push(toOutput(this, result.p, result.outcome));
		else if (repeatOf.has(itemIndex)) {
			const { p, firstItem } = repeatOf.get(itemIndex)!;
			output.push(repeatOutput(this, p, firstItem, written.get(firstItem)?.outcome));
		}
	}
	return output;
}

/** A second item for a remedy sent by an earlier item of the run: the outcome of that item's write. */
function repeatOutput(
	ctx: IExecuteFunctions,
	p: PreparedRemedy,
	firstItem: number,
	outcome: RemedyOutcome | undefined,
): INodeExecutionData {
	const summary = { ...remedySummary(p), duplicate_of_item: firstItem };
	if (outcome?.status === 'created') {
		return alreadyDoneItem(
			'duplicate',
			{
				...summary,
				approval_id: outcome.remedy.approval_id,
				remedy_status: outcome.remedy.remedy_status,
				message: `Item ${firstItem} asks for the same remedy; it was sent once.`,
			},
			p.itemIndex,
		);
	}
	if (outcome?.status === 'error' && !ctx.continueOnFail())
		return failedItem(ctx, outcome.error, 'failed', summary, p.itemIndex);
	const reason =
		outcome?.status === 'refused'
			? outcome.error
			: outcome?.status === 'error'
				? errorMessage(outcome.error)
				: undefined;
	return notDoneItem(
		ctx,
		'failed',
		summary,
		{
			error: `Same remedy as item ${firstItem}, which was not written${reason ? `: ${reason.replace(/ \[item \d+\]$/, '')}` : ''}`,
			reason: NOT_DONE_REASONS.sameAsFailedItem,
			errorDescription: outcome?.status === 'refused' ? outcome.errorDescription : undefined,
			errorDetails:
				outcome?.status === 'refused' ? `Feishu answered code ${outcome.code}` : undefined,
		},
		p.itemIndex,
	);
}

/** The output of an item that is not sent: held by Feishu already, or the error of its look-up. */
function planOutput(
	ctx: IExecuteFunctions,
	p: PreparedRemedy,
	plan: Exclude<RemedyPlan, { kind: 'send' | 'repeat' }>,
): INodeExecutionData {
	if (plan.kind === 'lookUpFailed')
		return failedItem(ctx, plan.error, 'failed', remedySummary(p), p.itemIndex);
	return alreadyDoneItem(
		'duplicate',
		{
			...remedySummary(p),
			approval_id: plan.remedy.approval_id,
			remedy_status: plan.remedy.remedy_status,
			existing_remedy_time: plan.remedy.remedy_time,
			message: `Feishu already holds a remedy for this punch (status ${String(plan.remedy.remedy_status)}); nothing was sent.`,
		},
		p.itemIndex,
	);
}

function toOutput(
	ctx: IExecuteFunctions,
	p: PreparedRemedy,
	outcome: RemedyOutcome,
): INodeExecutionData {
	if (outcome.status === 'error')
		return failedItem(ctx, outcome.error, 'failed', remedySummary(p), p.itemIndex);
	if (outcome.status === 'refused') {
		const { error, errorDescription, code } = outcome;
		return notDoneItem(
			ctx,
			'failed',
			remedySummary(p),
			{
				error,
				reason: NOT_DONE_REASONS.refused,
				errorDescription,
				errorDetails: `Feishu answered code ${code}`,
			},
			p.itemIndex,
		);
	}
	return doneItem(
		'created',
		{
			...remedySummary(p),
			...outcome.remedy,
			employee_id: p.employeeId,
			note: APPROVE_NOTE,
			...(outcome.afterLostAnswer
				? { message: "Feishu's answer was lost; the remedy this run sent was found in Feishu." }
				: {}),
		},
		p.itemIndex,
	);
}
