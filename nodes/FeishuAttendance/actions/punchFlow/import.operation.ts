import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { FEISHU_MAX_BATCH, batchSizeOf } from '../../helpers/batching';
import type { FlowOutcome } from '../../helpers/flowImport';
import { importFlows } from '../../helpers/flowImport';
import type { FlowInputMode, PreparedFlow } from '../../helpers/flowInput';
import { flowItemReader } from '../../helpers/flowInput';
import { compact, failItem, outputItem, validateItems } from '../../helpers/output';
import { toIsoInZone } from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { properties } from './import.description';

export const description = updateDisplayOptions({ show: { resource: ['punchFlow'], operation: ['import'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// Run-wide settings (how the run is cut into calls); everything about a record is read per item.
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const inputMode = this.getNodeParameter('inputMode', 0, 'fields') as FlowInputMode;

	// 1. Read and check every item before anything is sent.
	const { valid, errors } = validateItems(this, items.length, flowItemReader(this, items, inputMode));

	// 2. Send: grouped by Employee ID Type, in batches, each record once per run.
	const flows = valid.map(({ value }) => value);
	const outcomes = await importFlows(client, flows, {
		batchSize: batchSizeOf(options.batchSize, FEISHU_MAX_BATCH),
		lookUpFirst: options.lookUpFirst === true,
	});

	// 3. Exactly one output item per input item, paired with it.
	const output: INodeExecutionData[] = [];
	const byItem = new Map(flows.map((flow) => [flow.itemIndex, flow]));
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const invalid = errors.get(itemIndex);
		const flow = byItem.get(itemIndex);
		if (invalid) output.push({ ...invalid, json: { status: 'failed', ...invalid.json } });
		else if (flow) output.push(toOutput(this, flow, outcomes.get(flow)));
	}
	return output;
}

function toOutput(ctx: IExecuteFunctions, flow: PreparedFlow, outcome: FlowOutcome | undefined): INodeExecutionData {
	const json: IDataObject = compact({
		status: outcome?.status === 'error' ? 'failed' : (outcome?.status ?? 'failed'),
		record_id: outcome && 'recordId' in outcome ? outcome.recordId : undefined,
		user_id: flow.userId,
		check_time: flow.checkTime,
		check_time_iso: toIsoInZone(flow.checkMs, flow.timezone),
		idempotency_key: flow.key,
		external_id: flow.externalId,
		duplicate_of_item: outcome && 'duplicateOf' in outcome ? outcome.duplicateOf : undefined,
	});
	if (!outcome) {
		// Not expected (every batch reports each of its records); still an item error, so Continue On Fail applies.
		const error = new NodeOperationError(ctx.getNode(), 'Feishu gave no answer for this record', { itemIndex: flow.itemIndex });
		return failItem(ctx, error, flow.itemIndex, json);
	}
	if (outcome.status === 'error') return failItem(ctx, outcome.error, flow.itemIndex, json);
	if (outcome.status === 'failed') {
		return outputItem(compact({ ...json, error: outcome.error, errorDescription: outcome.errorDescription }), flow.itemIndex);
	}
	return outputItem(json, flow.itemIndex);
}
