/**
 * Runs an operation of the action node from a context that is not an execution of it (the poll trigger's
 * `poll()`): the same query code (queryEmployees, runPerRule, the transport) with parameters the caller
 * computes instead of parameters the user typed.
 *
 * The operations read `this` as IExecuteFunctions. The context built here answers what they use:
 * - getNodeParameter(name, itemIndex, fallback): from `items[itemIndex]` (one parameter map per virtual input
 *   item; `shared` for every item);
 * - getInputData: one empty item per parameter map;
 * - continueOnFail: false (a failed call fails the poll, which then keeps its state: see poll/state.ts);
 * - getNode, getCredentials, getTimezone, getMode, helpers.httpRequestWithAuthentication: the caller's own
 *   (bound to it, so n8n resolves the credential of the trigger node; the operations' calls go through the
 *   FeishuClient they are handed, which the poll builds on its own context);
 * - addExecutionHints: collected in `hints`.
 * Anything else an operation might call throws at once, naming what is missing: a gap shows in tests, never
 * as a silent wrong answer.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPollFunctions,
	NodeExecutionHint,
} from 'n8n-workflow';

/** What the poll trigger hands to an operation. */
export interface OperationContext {
	/** the context to call the operation with */
	ctx: IExecuteFunctions;
	/** the input items the operation is given (one per parameter map) */
	items: INodeExecutionData[];
	/** hints the operation added */
	hints: NodeExecutionHint[];
}

export function operationContext(
	source: IPollFunctions,
	items: IDataObject[],
	shared: IDataObject = {},
): OperationContext {
	const hints: NodeExecutionHint[] = [];
	const inputItems: INodeExecutionData[] = items.map((_, index) => ({
		json: {},
		pairedItem: { item: index },
	}));
	const helpers = {
		httpRequestWithAuthentication: (
			...args: Parameters<IPollFunctions['helpers']['httpRequestWithAuthentication']>
		) => source.helpers.httpRequestWithAuthentication.call(source, ...args),
	};
	const known: Partial<IExecuteFunctions> & Record<string, unknown> = {
		getNodeParameter: ((name: string, itemIndex = 0, fallback?: unknown) => {
			const own = items[itemIndex] ?? {};
			if (name in own) return own[name];
			if (name in shared) return shared[name];
			return fallback;
		}) as IExecuteFunctions['getNodeParameter'],
		getInputData: () => inputItems,
		continueOnFail: () => false,
		getNode: () => source.getNode(),
		getCredentials: (async (type: string) =>
			await source.getCredentials(type)) as IExecuteFunctions['getCredentials'],
		getTimezone: () => source.getTimezone(),
		getMode: () => source.getMode(),
		addExecutionHints: (...added: NodeExecutionHint[]) => {
			hints.push(...added);
		},
		helpers: helpers as unknown as IExecuteFunctions['helpers'],
	};
	const ctx = new Proxy(known, {
		get(target, property) {
			if (property in target) return target[property as string];
			// promises, inspection and symbols look for these: absent, not an error
			if (typeof property === 'symbol' || property === 'then' || property === 'toJSON')
				return undefined;
			throw new Error(
				`The poll trigger cannot run this operation: it needs "${String(property)}" of an execution`,
			);
		},
	}) as unknown as IExecuteFunctions;
	return { ctx, items: inputItems, hints };
}
