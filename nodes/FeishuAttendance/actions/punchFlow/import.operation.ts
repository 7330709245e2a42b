import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';

import { FEISHU_MAX_BATCH, batchSizeOf } from '../../helpers/batching';
import type { FlowOutcome, ImportTally } from './flowImport';
import { FlowImporter } from './flowImport';
import type { FlowInputMode, PreparedFlow } from './flowInput';
import { FlowLookups, fieldsEvaluatedPerItem, flowItemReader, givenFields } from './flowInput';
import type { NotDoneReason } from '../../helpers/outcome';
import {
	NOT_DONE_REASONS,
	alreadyDoneItem,
	doneItem,
	failedItem,
	notDoneItem,
} from '../../helpers/outcome';
import { compact, errorMessage, withoutItemSuffix } from '../../helpers/output';
import { toIsoInZone } from '../../helpers/time';
import type { FeishuClient } from '../../transport';
import { properties } from './import.description';
import { importWideRows } from './wideRows';
import { advancedOptionsFrom } from '../../helpers/parameters';

export const description = updateDisplayOptions(
	{ show: { resource: ['punchFlow'], operation: ['import'] } },
	properties,
);

/**
 * Once the first batch is handed to the client, the event loop gets a turn at least this often while items
 * are read, so that calls go out (token exchange, pacing) and answers come in meanwhile; a turn with nothing to do
 * is cheap next to the reading time of an expensive input mode.
 */
const YIELD_EVERY_MS = 20;

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	// Run-wide settings (how the run is cut into calls); everything about a record is read per item.
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const inputMode = this.getNodeParameter('inputMode', 0, 'fields') as FlowInputMode | 'wideRows';
	if (inputMode === 'wideRows') return await importWideRows(this, items, client);
	const continueOnFail = this.continueOnFail();
	const reader = flowItemReader(this, items, inputMode);
	// Each sent flow's output fields, worked out while its call is on the way; the output item of each answered
	// record, built while other calls are (a whole-call error is left to the end: without Continue On Fail it stops
	// the node). Little is then left to do after the last answer.
	const facts = new Map<PreparedFlow, IDataObject>();
	const answered = new Map<PreparedFlow, INodeExecutionData>();
	const importer = new FlowImporter(client, {
		batchSize: batchSizeOf(advancedOptionsFrom(this).batchSize, FEISHU_MAX_BATCH),
		lookUpFirst: options.lookUpFirst === true,
		onOutcome: (flow, outcome) => {
			if (outcome.status !== 'error')
				answered.set(flow, toOutput(this, flow, facts.get(flow) ?? {}, outcome));
		},
	});

	// 1. Read and check each item; a batch goes to Feishu as soon as it is full, while later items are read.
	//    Records are idempotent: a bad item that stops the run after some batches went out loses nothing and a
	//    re-run stores nothing twice (the stop message says how many were imported).
	const invalid = new Map<number, INodeExecutionData>();
	// Employee ID Type Email / Mobile: flows wait for their user IDs, a lookup call's worth at a time.
	const lookups = new FlowLookups(this, client);
	// Reading runs at most about a second of calls ahead of what is in flight: further ahead it only holds the
	// event loop (answers wait, calls go out late) for batches that could not be sent sooner anyway. Not when
	// reading is n8n evaluating expressions for every item (Map Each Field with expressions that compute): spread
	// over the whole run, that work delayed the sends more than it does up front. Fields dragged from the input
	// are read from the items themselves, as cheap as Map Columns by Name (npm run bench:n8n; figures: README,
	// Performance).
	const readAhead =
		inputMode === 'fields' && fieldsEvaluatedPerItem(this)
			? Infinity
			: client.options.maxConcurrent + Math.ceil(client.options.requestsPerSecond);
	let lastYield = -1; // no batch sent yet: nothing to yield for
	const send = async (flow: PreparedFlow): Promise<void> => {
		facts.set(flow, outputFacts(flow));
		const batchSent = importer.add(flow);
		if (batchSent && lastYield < 0) {
			// The first call may run alone (it may fetch the token): wait for it, so that the calls after it go out
			// at once instead of one asynchronous step per yield (seconds on a 100,000-item input).
			await client.firstCallSettled();
			lastYield = 0;
		}
		if (batchSent) await importer.room(readAhead);
		if (lastYield < 0 || Date.now() - lastYield < YIELD_EVERY_MS) return;
		await sleep(0);
		lastYield = Date.now();
		// A batch refused as a whole stops the node without Continue On Fail: send no more.
		if (!continueOnFail && importer.hadCallError) throw await stopAtCallError(importer);
	};
	// Resolves the waiting flows and sends them; an unknown email / mobile is its item's error.
	const flushLookups = async (): Promise<void> => {
		for (const result of await lookups.flush()) {
			if (!('error' in result)) {
				await send(result);
				continue;
			}
			if (!continueOnFail)
				throw await stopAtItem(this, importer, result.error, result.flow.itemIndex);
			invalid.set(
				result.flow.itemIndex,
				failedOutput(
					this,
					result.error,
					result.flow.itemIndex,
					inputFacts(result.flow),
					NOT_DONE_REASONS.unknownEmployee,
				),
			);
		}
	};
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let flow: PreparedFlow;
		try {
			flow = reader.read(itemIndex);
		} catch (error) {
			if (!continueOnFail) {
				await flushLookups(); // an earlier item whose email / mobile is unknown stops the node first
				throw await stopAtItem(this, importer, error, itemIndex);
			}
			invalid.set(itemIndex, failedOutput(this, error, itemIndex));
			continue;
		}
		if (!flow.given) await send(flow);
		else if (lookups.add(flow)) await flushLookups();
	}
	await flushLookups();

	// 2. The partly filled batches, then every answer.
	const outcomes = await importer.finish();
	if (!continueOnFail && importer.hadCallError) throw await stopAtCallError(importer);
	hintUnseenColumns(this, reader.unseenColumns());

	// 3. Exactly one output item per input item, paired with it.
	const output: INodeExecutionData[] = [];
	const byItem = new Map([...facts.keys()].map((flow) => [flow.itemIndex, flow]));
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const bad = invalid.get(itemIndex);
		const flow = byItem.get(itemIndex);
		if (bad) output.push(bad);
		else if (flow)
			output.push(answered.get(flow) ?? toOutput(this, flow, facts.get(flow)!, outcomes.get(flow)));
	}
	return output;
}

/** "100 punch records … were already imported" (and what else became of the records sent). */
function tallyText(tally: ImportTally): string {
	const records = (n: number) => `${n} punch record${n === 1 ? '' : 's'}`;
	const others = [
		tally.duplicate > 0 ? `${tally.duplicate} already in Feishu` : '',
		tally.failed > 0 ? `${tally.failed} failed` : '',
	].filter((text) => text !== '');
	const were = tally.imported === 1 ? 'was' : 'were';
	return `${records(tally.imported)} of earlier items ${were} already imported${others.length ? ` (${others.join(', ')})` : ''}`;
}

const RERUN_IS_SAFE =
	'run the import again: re-running is safe, the records already imported come back as duplicate and none is stored twice';

/**
 * The error that stops the node at a bad item (Continue On Fail off). Batches that went out before it are
 * awaited; when there were any, the message says how many records were imported and that a re-run is safe.
 */
async function stopAtItem(
	ctx: IExecuteFunctions,
	importer: FlowImporter,
	error: unknown,
	itemIndex: number,
): Promise<Error> {
	const stop =
		error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), errorMessage(error), { itemIndex });
	const tally = await importer.settle();
	if (tally.calls === 0) return stop;
	const reason = withoutItemSuffix(stop.message);
	return new NodeOperationError(
		ctx.getNode(),
		`${reason}. ${tallyText(tally)}; fix this item and ${RERUN_IS_SAFE} [item ${itemIndex}]`,
		{
			itemIndex,
			description: stop.description ?? undefined,
		},
	);
}

/** The first whole-call error, once the batches in flight are answered; its description adds what was imported. */
async function stopAtCallError(importer: FlowImporter): Promise<unknown> {
	const tally = await importer.settle();
	const error = importer.firstCallError() ?? new Error('A Feishu call failed');
	if (
		(error instanceof NodeApiError || error instanceof NodeOperationError) &&
		tally.imported > 0
	) {
		const note = `${tallyText(tally).replace(' of earlier items', '')} before the node stopped; once the cause is fixed, ${RERUN_IS_SAFE}.`;
		error.description = error.description ? `${error.description} ${note}` : note;
	}
	return error;
}

/** Map Columns by Name: a mapped optional column that no item had is most likely misspelt. */
function hintUnseenColumns(ctx: IExecuteFunctions, columns: string[]): void {
	if (columns.length === 0) return;
	const names = columns.map((c) => `"${c}"`).join(', ');
	ctx.addExecutionHints?.({
		message: `No input item has the column ${names} (Other Columns), so nothing was read from it. Check the spelling; column names are case-sensitive.`,
		type: 'warning',
		location: 'outputPane',
	});
}

/** An item error as a not-done output item (Continue On Fail), or thrown (failedItem) without it. */
function failedOutput(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	facts: IDataObject = {},
	reason?: NotDoneReason,
): INodeExecutionData {
	return failedItem(ctx, error, 'failed', facts, itemIndex, reason);
}

/** What an item gave, for a failed item whose employee could not be looked up. */
function inputFacts(flow: PreparedFlow): IDataObject {
	return compact({
		...givenFields(flow),
		check_time: flow.checkTime,
		check_time_iso: toIsoInZone(flow.checkMs, flow.timezone),
		external_id: flow.externalId,
	});
}

/** What an output item says of its record besides the outcome: who, when, which key. */
function outputFacts(flow: PreparedFlow): IDataObject {
	return compact({
		user_id: flow.userId,
		...givenFields(flow),
		check_time: flow.checkTime,
		check_time_iso: toIsoInZone(flow.checkMs, flow.timezone),
		idempotency_key: flow.key,
		external_id: flow.externalId,
	});
}

function toOutput(
	ctx: IExecuteFunctions,
	flow: PreparedFlow,
	known: IDataObject,
	outcome: FlowOutcome | undefined,
): INodeExecutionData {
	const facts =
		outcome && 'duplicateOf' in outcome && outcome.duplicateOf !== undefined
			? { ...known, duplicate_of_item: outcome.duplicateOf }
			: known;
	if (!outcome) {
		// Not expected (every batch reports each of its records); still an item error, so Continue On Fail applies.
		const error = new NodeOperationError(ctx.getNode(), 'Feishu gave no answer for this record', {
			itemIndex: flow.itemIndex,
		});
		return failedOutput(ctx, error, flow.itemIndex, facts, NOT_DONE_REASONS.noReason);
	}
	if (outcome.status === 'error') return failedOutput(ctx, outcome.error, flow.itemIndex, facts);
	if (outcome.status === 'failed') {
		const { error, reason, errorDetails } = outcome;
		return notDoneItem(ctx, 'failed', facts, { error, reason, errorDetails }, flow.itemIndex);
	}
	const fields = compact({ record_id: outcome.recordId, ...facts });
	return outcome.status === 'imported'
		? doneItem('imported', fields, flow.itemIndex)
		: alreadyDoneItem('duplicate', fields, flow.itemIndex);
}
