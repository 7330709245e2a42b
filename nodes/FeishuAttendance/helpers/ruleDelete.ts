/**
 * Deleting attendance groups or shifts (Attendance Group → Delete, Shift → Delete): one DELETE per distinct ID;
 * what happened is read back from the list Feishu holds, never from the wording of its answer. A refused or
 * lost call whose ID is no longer listed is `already done` (refused: it was gone before) or `done` (the lost call
 * did it); one still listed is `not done` with Feishu's answer.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FeishuClient } from '../transport';
import { alreadyDoneItem, answerMayBeLost, doneItem, failedItem, invalidItem } from './outcome';
import { RuleDirectory, readRuleTargets } from './rules';

export async function deleteRules(
	ctx: IExecuteFunctions,
	client: FeishuClient,
	count: number,
	kind: 'group' | 'shift',
	request: (id: string, itemIndex: number) => Promise<unknown>,
): Promise<INodeExecutionData[]> {
	const idKey = kind === 'group' ? 'group_id' : 'shift_id';
	const { valid, errors } = await readRuleTargets(ctx, count, new RuleDirectory(client), kind);
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) out.set(itemIndex, invalidItem(ctx, item, itemIndex));
	const byId = new Map<string, number[]>();
	for (const { itemIndex, id } of valid) byId.set(id, [...(byId.get(id) ?? []), itemIndex]);
	// a fresh list after the deletes, read once, for every call that failed
	let after: Promise<Set<string>> | undefined;
	const listed = async (itemIndex: number) =>
		await (after ??= new RuleDirectory(client)
			.all(kind, itemIndex)
			.then((entries) => new Set(entries.map((e) => String(e[idKey])))));
	await Promise.all(
		[...byId.entries()].map(async ([id, items]) => {
			const [first, ...repeated] = items;
			const fields = { [idKey]: id };
			let outcome: 'done' | 'already done';
			try {
				await request(id, first);
				outcome = 'done';
			} catch (error) {
				let gone = false;
				try {
					gone = !(await listed(first)).has(id);
				} catch {
					// the list could not be read: report the delete's own failure
				}
				if (!gone) {
					for (const itemIndex of items)
						out.set(itemIndex, failedItem(ctx, error, 'failed', fields, itemIndex));
					return;
				}
				outcome = answerMayBeLost(error) ? 'done' : 'already done';
			}
			out.set(
				first,
				outcome === 'done'
					? doneItem('deleted', fields, first)
					: alreadyDoneItem('deleted', fields, first),
			);
			for (const itemIndex of repeated)
				out.set(itemIndex, alreadyDoneItem('deleted', fields, itemIndex));
		}),
	);
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}
