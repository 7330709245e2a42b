/**
 * Node types the engine harness registers (test code only, never published):
 * - the package's Feishu Attendance node (from its TypeScript source),
 * - `harness.source`: a tiny node without inputs that outputs the items a run asked for,
 * - `harness.transportProbe`: a test-only node whose execute builds a FeishuClient and makes the calls
 *   described by its parameters, so transport behaviour runs through n8n's real request path.
 */
import { AsyncLocalStorage } from 'async_hooks';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers } from 'n8n-workflow';

import { FeishuAttendance } from '../../nodes/FeishuAttendance/FeishuAttendance.node';
import { FeishuAttendancePollTrigger } from '../../nodes/FeishuAttendance/FeishuAttendancePollTrigger.node';
import type {
	ClientOptions,
	FeishuRequest,
	FeishuResponse,
} from '../../nodes/FeishuAttendance/transport';
import { DEFAULT_CLIENT_OPTIONS, FeishuClient } from '../../nodes/FeishuAttendance/transport';

export const FEISHU_NODE_TYPE = 'n8n-nodes-feishu-attendance.feishuAttendance';
export const SOURCE_NODE_TYPE = 'harness.source';
export const PROBE_NODE_TYPE = 'harness.transportProbe';

// ---------------------------------------------------------------- source node

/** Items per run, looked up by the source node's `runKey` parameter (keeps '=' strings in items literal). */
export const sourceItems = new Map<string, IDataObject[]>();

export class HarnessSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Source',
		name: SOURCE_NODE_TYPE,
		group: ['input'],
		version: 1,
		description: 'Outputs the input items of a harness run',
		defaults: { name: 'Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Run Key', name: 'runKey', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const key = this.getNodeParameter('runKey', 0) as string;
		const items = sourceItems.get(key) ?? [];
		return [items.map((json) => ({ json: JSON.parse(JSON.stringify(json)) as IDataObject }))];
	}
}

// ---------------------------------------------------------------- transport probe

export interface ProbeCall {
	method?: 'GET' | 'POST';
	/** below /open-apis/attendance/v1, default '/user_flows/query' */
	path?: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** default true */
	repeatable?: boolean;
	acceptCodes?: number[];
	itemIndex?: number;
}

/** One HTTP attempt the FeishuClient made through `httpRequestWithAuthentication` for a probe call. */
export interface ProbeAttempt {
	call: number;
	url: string;
	/** whether the client asked n8n to refresh the token (credentialsDecrypted with the token blanked) */
	forcedRefresh: boolean;
	sentAt: number;
	doneAt: number;
	statusCode?: number;
	code?: number;
	logId?: string;
	/** x-ogw-ratelimit-reset of the answer, if any */
	resetSeconds?: number;
	/** message of the error n8n threw (lost connection, failed token exchange) */
	failed?: string;
}

export interface ProbeCallResult {
	call: number;
	phase: number;
	ok: boolean;
	response?: FeishuResponse<unknown>;
	error?: Error;
	startedAt: number;
	endedAt: number;
}

export interface ProbeRecord {
	results: ProbeCallResult[];
	attempts: ProbeAttempt[];
	statistics?: FeishuClient['statistics'];
	clientOptions?: ClientOptions;
}

export interface ProbeControl {
	/** runs before phase `phase` (>= 1) starts, after the previous phase settled */
	between?: (phase: number) => Promise<void> | void;
	record: ProbeRecord;
}

export const probeControls = new Map<string, ProbeControl>();

const callContext = new AsyncLocalStorage<number>();

function parseJson<T>(value: unknown, fallback: T): T {
	if (value === undefined || value === null || value === '') return fallback;
	return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export class TransportProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Transport Probe (test only)',
		name: PROBE_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Makes FeishuClient calls described by its parameters',
		defaults: { name: 'Transport Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'feishuAttendanceApi', required: true }],
		properties: [
			{ displayName: 'Probe ID', name: 'probeId', type: 'string', default: '' },
			{ displayName: 'Phases', name: 'phases', type: 'json', default: '[]' },
			{ displayName: 'Client Options', name: 'clientOptions', type: 'json', default: '{}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const probeId = this.getNodeParameter('probeId', 0) as string;
		const phases = parseJson<ProbeCall[][]>(this.getNodeParameter('phases', 0), []);
		const options: ClientOptions = {
			...DEFAULT_CLIENT_OPTIONS,
			...parseJson<Partial<ClientOptions>>(this.getNodeParameter('clientOptions', 0), {}),
		};
		const control = probeControls.get(probeId) ?? { record: { results: [], attempts: [] } };
		const { record } = control;
		record.clientOptions = options;

		// Same context, with httpRequestWithAuthentication observed (n8n's own function does the work).
		const ctx = this;
		const realHelpers = this.helpers;
		const observedHelpers = Object.create(realHelpers) as IExecuteFunctions['helpers'];
		observedHelpers.httpRequestWithAuthentication = async function (
			this: IExecuteFunctions,
			type: string,
			requestOptions: IHttpRequestOptions,
			additional?: Parameters<IExecuteFunctions['helpers']['httpRequestWithAuthentication']>[2],
		) {
			const attempt: ProbeAttempt = {
				call: callContext.getStore() ?? -1,
				url: requestOptions.url,
				forcedRefresh: additional?.credentialsDecrypted !== undefined,
				sentAt: Date.now(),
				doneAt: 0,
			};
			record.attempts.push(attempt);
			try {
				const response = (await realHelpers.httpRequestWithAuthentication.call(
					ctx,
					type,
					requestOptions,
					additional,
				)) as {
					statusCode: number;
					headers: Record<string, string>;
					body: IDataObject;
				};
				attempt.statusCode = response.statusCode;
				attempt.code = typeof response.body?.code === 'number' ? response.body.code : undefined;
				attempt.logId = response.headers?.['x-tt-logid'];
				const reset = response.headers?.['x-ogw-ratelimit-reset'];
				if (reset !== undefined) attempt.resetSeconds = Number(reset);
				return response;
			} catch (error) {
				attempt.failed = (error as Error).message;
				throw error;
			} finally {
				attempt.doneAt = Date.now();
			}
		} as IExecuteFunctions['helpers']['httpRequestWithAuthentication'];
		const observed = Object.create(ctx, {
			helpers: { value: observedHelpers },
		}) as IExecuteFunctions;

		const client = new FeishuClient(observed, options);
		const out: INodeExecutionData[] = [];
		let firstError: Error | undefined;
		let callNo = 0;
		for (let phase = 0; phase < phases.length; phase++) {
			if (phase > 0) await control.between?.(phase);
			const calls = phases[phase].map((call) => ({ call, no: callNo++ }));
			const settled = await Promise.all(
				calls.map(({ call, no }) =>
					callContext.run(no, async (): Promise<ProbeCallResult> => {
						const startedAt = Date.now();
						const request: FeishuRequest = {
							method: call.method ?? 'POST',
							path: call.path ?? '/user_flows/query',
							body: call.body,
							qs: call.qs,
							repeatable: call.repeatable ?? true,
							acceptCodes: call.acceptCodes,
							itemIndex: call.itemIndex,
						};
						try {
							const response = await client.request(request);
							return { call: no, phase, ok: true, response, startedAt, endedAt: Date.now() };
						} catch (error) {
							return {
								call: no,
								phase,
								ok: false,
								error: error as Error,
								startedAt,
								endedAt: Date.now(),
							};
						}
					}),
				),
			);
			for (const result of settled) {
				record.results.push(result);
				if (result.ok) {
					const r = result.response!;
					out.push({
						json: {
							call: result.call,
							phase,
							code: r.code,
							msg: r.msg,
							httpStatus: r.httpStatus,
							logId: r.logId ?? null,
						},
						pairedItem: { item: 0 },
					});
				} else if (this.continueOnFail()) {
					const e = result.error as Error & { description?: string };
					out.push({
						json: {
							call: result.call,
							phase,
							error: e.message,
							description: e.description ?? null,
						},
						pairedItem: { item: 0 },
					});
				} else {
					firstError ??= result.error;
				}
			}
		}
		record.statistics = client.statistics;
		if (firstError) throw firstError;
		return [out];
	}
}

// ---------------------------------------------------------------- registry

export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	constructor(extra: Record<string, INodeType> = {}) {
		this.types.set(FEISHU_NODE_TYPE, new FeishuAttendance());
		this.types.set(
			'n8n-nodes-feishu-attendance.feishuAttendancePollTrigger',
			new FeishuAttendancePollTrigger(),
		);
		this.types.set(SOURCE_NODE_TYPE, new HarnessSource());
		this.types.set(PROBE_NODE_TYPE, new TransportProbe());
		for (const [name, type] of Object.entries(extra)) this.types.set(name, type);
	}

	register(name: string, type: INodeType | IVersionedNodeType): void {
		this.types.set(name, type);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unrecognized node type: ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
