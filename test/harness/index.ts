/**
 * Engine harness: runs Feishu Attendance nodes inside n8n-core's real `WorkflowExecute` (test code only).
 *
 *   const store = createStore();
 *   const { items, error } = await runNode({ emulatorUrl: emu.url, store, parameters, items: [{ emp: 'emp0001' }] });
 *
 * The workflow is `Source → node(s)`: `harness.source` (no inputs) outputs `items`, the node under test
 * gets them as input. Everything on the way — parameter and expression resolution, `getCredentials`,
 * `httpRequestWithAuthentication`, `continueOnFail`, pairedItem handling, run data — is n8n's own code;
 * only the credentials helper (./credentials-helper.ts) is ours, written to behave like n8n's.
 */
import './ts-node-json-order';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// n8n-core reads its instance folder lazily (first Container.get(InstanceSettings)); keep it out of $HOME.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'feishu-harness-'));
process.env.N8N_ENCRYPTION_KEY ??= 'feishu-attendance-harness';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';

import { randomUUID } from 'crypto';
import { subscribe, unsubscribe } from 'diagnostics_channel';
import type { ClientRequest } from 'http';
import { Container } from '@n8n/di';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	PollContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
// Not re-exported by n8n-core's index; only used to unref its clean-up timer (see releaseBackgroundTimers).
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	IRunExecutionData,
	ITaskDataConnections,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';

import { FeishuAttendanceApi } from '../../credentials/FeishuAttendanceApi.credentials';
import type { ClientOptions } from '../../nodes/FeishuAttendance/transport';
import type { CredentialStore, PreAuthRecord } from './credentials-helper';
import { HarnessCredentialsHelper, createStore } from './credentials-helper';
import type { ProbeCall, ProbeRecord } from './nodes';
import {
	FEISHU_NODE_TYPE,
	HarnessNodeTypes,
	PROBE_NODE_TYPE,
	SOURCE_NODE_TYPE,
	probeControls,
	sourceItems,
} from './nodes';

export type { CredentialStore, PreAuthRecord } from './credentials-helper';
export { HarnessCredentialsHelper, createStore } from './credentials-helper';
export type { ProbeAttempt, ProbeCall, ProbeCallResult, ProbeRecord } from './nodes';
export { FEISHU_NODE_TYPE, HarnessNodeTypes, PROBE_NODE_TYPE, SOURCE_NODE_TYPE } from './nodes';
export { findSecrets, textForms } from './secrets';

export const CREDENTIAL_TYPE = 'feishuAttendanceApi';
export const CREDENTIAL_ID = 'harness-credential';
export const DEFAULT_APP_ID = 'cli_emulator';
export const DEFAULT_APP_SECRET = 'emulator-secret';

export type HarnessCredentials = Partial<{
	platform: string;
	baseUrl: string;
	appId: string;
	appSecret: string;
	tenantAccessToken: string;
	verificationToken: string;
	encryptKey: string;
}>;

/** The credential types the harness knows (from the TypeScript sources). */
export const credentialTypes: Record<string, ICredentialType> = {
	[CREDENTIAL_TYPE]: new FeishuAttendanceApi(),
};

function defaultCredentials(emulatorUrl: string): ICredentialDataDecryptedObject {
	return {
		platform: 'custom',
		baseUrl: emulatorUrl,
		appId: DEFAULT_APP_ID,
		appSecret: DEFAULT_APP_SECRET,
	};
}

/** Fills a store with the emulator defaults; explicit `credentials` win over what the store holds. */
function prepareStore(
	emulatorUrl: string,
	store: CredentialStore | undefined,
	credentials?: HarnessCredentials,
): CredentialStore {
	const target = store ?? createStore();
	target.data = {
		...defaultCredentials(emulatorUrl),
		...target.data,
		...(credentials as ICredentialDataDecryptedObject | undefined),
	};
	return target;
}

// ---------------------------------------------------------------- additional data

function buildAdditionalData(
	helper: HarnessCredentialsHelper,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`${what} is not available in the harness`);
	};
	return {
		credentialsHelper: helper,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		userId: 'harness-user',
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('startRunnerTask'),
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * n8n-core's SSHClientsManager (created by every ExecuteContext) starts a 60 s clean-up interval that
 * keeps the process alive; a real n8n lives on anyway, a test process must be able to exit.
 */
function releaseBackgroundTimers(): void {
	if (!Container.has(SSHClientsManager)) return;
	const manager = Container.get(SSHClientsManager) as unknown as { cleanupTimer?: NodeJS.Timeout };
	manager.cleanupTimer?.unref?.();
}

// ---------------------------------------------------------------- workflows

export interface WorkflowNodeSpec {
	/** default: 'Feishu Attendance' for the Feishu node, else 'Node <n>' */
	name?: string;
	/** default: the Feishu Attendance node */
	type?: string;
	typeVersion?: number;
	parameters: INodeParameters;
	/** node setting onError: 'continueRegularOutput' */
	continueOnFail?: boolean;
	/** node setting onError (wins over continueOnFail), e.g. 'continueErrorOutput' */
	onError?: INode['onError'];
	/** attach the harness credential (default: when the node type declares credentials) */
	withCredentials?: boolean;
}

export interface RunWorkflowOptions {
	emulatorUrl: string;
	credentials?: HarnessCredentials;
	store?: CredentialStore;
	/** the nodes after the source, connected in a chain */
	nodes: WorkflowNodeSpec[];
	/** input items (json) delivered by the source node */
	items: IDataObject[];
	/** workflow settings timezone, default 'Asia/Shanghai' */
	timezone?: string;
	/** default 'manual' */
	mode?: WorkflowExecuteMode;
	/** extra node types for this run, by type name */
	nodeTypes?: Record<string, INodeType>;
}

export interface RunWorkflowResult {
	run: IRun;
	runData: IRunData;
	/** output (main 0) of every node that ran, by node name */
	outputs: Record<string, INodeExecutionData[]>;
	/** the second output (main 1: the error output with On Error "Continue (using error output)"), by node name */
	errorOutputs: Record<string, INodeExecutionData[]>;
	/** names of the nodes after the source, in order */
	nodeNames: string[];
	/**
	 * The error the run ended with: the instance a node threw when the harness saw it (so `instanceof
	 * NodeApiError` works), else the engine's serialized copy. n8n stores and shows the serialized copy
	 * (`runData[node][0].error`).
	 */
	error?: Error;
	store: CredentialStore;
	/** every preAuthentication run in this workflow run */
	preAuthRuns: PreAuthRecord[];
}

/** Wraps a node type so the harness sees the instance an execute throws (rethrown unchanged). */
function observeThrows(type: INodeType, thrown: Map<string, Error>): INodeType {
	if (!type.execute) return type;
	const execute = type.execute;
	const wrapped = Object.create(type) as INodeType;
	wrapped.execute = async function (this: IExecuteFunctions) {
		try {
			return await execute.call(this);
		} catch (error) {
			thrown.set(this.getNode().name, error as Error);
			throw error;
		}
	} as INodeType['execute'];
	return wrapped;
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	const store = prepareStore(options.emulatorUrl, options.store, options.credentials);
	const helper = new HarnessCredentialsHelper(credentialTypes, { [CREDENTIAL_ID]: store });
	const thrown = new Map<string, Error>();
	const registry = new HarnessNodeTypes();
	for (const [name, type] of Object.entries(options.nodeTypes ?? {})) registry.register(name, type);

	const runKey = randomUUID();
	sourceItems.set(runKey, options.items);
	const source: INode = {
		id: randomUUID(),
		name: 'Source',
		type: SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { runKey },
	};
	const nodes: INode[] = [source];
	const nodeNames: string[] = [];
	options.nodes.forEach((spec, index) => {
		const type = spec.type ?? FEISHU_NODE_TYPE;
		const original = registry.getByNameAndVersion(type, spec.typeVersion);
		registry.register(type, observeThrows(original, thrown));
		const name =
			spec.name ??
			(type === FEISHU_NODE_TYPE && index === 0 ? 'Feishu Attendance' : `Node ${index + 1}`);
		const withCredentials =
			spec.withCredentials ?? (original.description.credentials?.length ?? 0) > 0;
		const node: INode = {
			id: randomUUID(),
			name,
			type,
			typeVersion:
				spec.typeVersion ??
				(Array.isArray(original.description.version)
					? Math.max(...original.description.version)
					: original.description.version),
			position: [200 * (index + 1), 0],
			parameters: spec.parameters,
			...(withCredentials
				? {
						credentials: {
							[CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'Feishu Attendance account' },
						},
					}
				: {}),
			...(spec.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(spec.onError ? { onError: spec.onError } : {}),
		};
		nodes.push(node);
		nodeNames.push(name);
	});
	const connections: IWorkflowBase['connections'] = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}

	const settings = { timezone: options.timezone ?? 'Asia/Shanghai', executionOrder: 'v1' as const };
	const workflow = new Workflow({
		id: 'harness',
		name: 'Harness workflow',
		nodes,
		connections,
		active: false,
		nodeTypes: registry,
		staticData: {},
		settings,
	});
	const mode = options.mode ?? 'manual';
	const executionId = randomUUID();
	const additionalData = buildAdditionalData(helper, executionId);
	const workflowData = {
		id: 'harness',
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		nodes,
		connections,
		settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	(additionalData as unknown as { hooks: ExecutionLifecycleHooks }).hooks =
		new ExecutionLifecycleHooks(mode, executionId, workflowData);

	let run: IRun;
	try {
		run = await new WorkflowExecute(additionalData, mode).run(workflow, source);
	} finally {
		sourceItems.delete(runKey);
		releaseBackgroundTimers();
	}
	const runData = run.data.resultData.runData;
	const outputs: Record<string, INodeExecutionData[]> = {};
	const errorOutputs: Record<string, INodeExecutionData[]> = {};
	for (const [name, tasks] of Object.entries(runData)) {
		outputs[name] = tasks[tasks.length - 1]?.data?.main?.[0] ?? [];
		errorOutputs[name] = tasks[tasks.length - 1]?.data?.main?.[1] ?? [];
	}
	let error: Error | undefined;
	const engineError = run.data.resultData.error;
	if (engineError) {
		const failedNode = run.data.resultData.lastNodeExecuted;
		error = (failedNode && thrown.get(failedNode)) || (engineError as unknown as Error);
	}
	return {
		run,
		runData,
		outputs,
		errorOutputs,
		nodeNames,
		error,
		store,
		preAuthRuns: helper.preAuthRuns,
	};
}

// ---------------------------------------------------------------- one Feishu Attendance node

export interface RunNodeOptions {
	emulatorUrl: string;
	credentials?: HarnessCredentials;
	store?: CredentialStore;
	parameters: INodeParameters;
	items: IDataObject[];
	continueOnFail?: boolean;
	/** node setting onError, e.g. 'continueErrorOutput' */
	onError?: INode['onError'];
	timezone?: string;
	/** the node's version (default: the newest) */
	typeVersion?: number;
}

export interface RunNodeResult {
	items: INodeExecutionData[];
	/** the error output (main 1) with onError 'continueErrorOutput' */
	errorItems: INodeExecutionData[];
	error?: Error;
	store: CredentialStore;
	runData: IRunData;
}

/** Runs `Source → Feishu Attendance` once. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const result = await runWorkflow({
		emulatorUrl: options.emulatorUrl,
		credentials: options.credentials,
		store: options.store,
		items: options.items,
		timezone: options.timezone,
		nodes: [
			{
				parameters: options.parameters,
				continueOnFail: options.continueOnFail,
				onError: options.onError,
				typeVersion: options.typeVersion,
			},
		],
	});
	return {
		items: result.outputs[result.nodeNames[0]] ?? [],
		errorItems: result.errorOutputs[result.nodeNames[0]] ?? [],
		error: result.error,
		store: result.store,
		runData: result.runData,
	};
}

// ---------------------------------------------------------------- transport probe

export interface RunProbeOptions {
	emulatorUrl: string;
	credentials?: HarnessCredentials;
	store?: CredentialStore;
	/** calls per phase; the calls of one phase run concurrently, phases one after the other */
	phases: ProbeCall[][];
	/** runs before each phase >= 1 (e.g. `() => emu.expireTokens()`) */
	between?: (phase: number) => Promise<void> | void;
	clientOptions?: Partial<ClientOptions>;
	continueOnFail?: boolean;
	items?: IDataObject[];
}

export interface RunProbeResult extends ProbeRecord {
	items: INodeExecutionData[];
	error?: Error;
	store: CredentialStore;
	runData: IRunData;
	preAuthRuns: PreAuthRecord[];
}

/** Runs `Source → Transport Probe`: a FeishuClient inside a real n8n node execution makes the given calls. */
export async function runProbe(options: RunProbeOptions): Promise<RunProbeResult> {
	const probeId = randomUUID();
	const record: ProbeRecord = { results: [], attempts: [] };
	probeControls.set(probeId, { between: options.between, record });
	try {
		const result = await runWorkflow({
			emulatorUrl: options.emulatorUrl,
			credentials: options.credentials,
			store: options.store,
			items: options.items ?? [{}],
			nodes: [
				{
					name: 'Transport Probe',
					type: PROBE_NODE_TYPE,
					continueOnFail: options.continueOnFail,
					parameters: {
						probeId,
						phases: JSON.stringify(options.phases),
						clientOptions: JSON.stringify(options.clientOptions ?? {}),
					},
				},
			],
		});
		return {
			...record,
			items: result.outputs['Transport Probe'] ?? [],
			error: result.error,
			store: result.store,
			runData: result.runData,
			preAuthRuns: result.preAuthRuns,
		};
	} finally {
		probeControls.delete(probeId);
	}
}

/** `n` copies of a call. */
export function calls(n: number, call: ProbeCall = {}): ProbeCall[] {
	return Array.from({ length: n }, () => ({ ...call }));
}

/** A valid, repeatable user_flows/query call for the emulator's employees (last 24 hours). */
export function flowQuery(employeeIds: string[] = ['emp0001'], extra: ProbeCall = {}): ProbeCall {
	const to = Math.floor(Date.now() / 1000);
	return {
		method: 'POST',
		path: '/user_flows/query',
		qs: { employee_type: 'employee_id' },
		body: { user_ids: employeeIds, check_time_from: String(to - 86400), check_time_to: String(to) },
		repeatable: true,
		...extra,
	};
}

// ---------------------------------------------------------------- credential test (as n8n's credential tester)

export interface CredentialTestOutcome extends INodeCredentialTestResult {
	/** how the verdict was reached: 'preAuthentication' threw, the request failed, a rule matched, or OK */
	via: 'preAuthentication' | 'requestError' | 'rule' | 'ok';
	/** the response body the rules were evaluated on (success path) */
	responseBody?: IDataObject;
	preAuthRuns: PreAuthRecord[];
}

/**
 * Tests credential data the way n8n's credential tester does for a credential with a `test` request:
 * defaults applied, a temporary `n8n-nodes-base.noOp` node whose single property routes the test request,
 * run by n8n-core's RoutingNode through `httpRequestWithAuthentication` (so preAuthentication runs first
 * when the token is empty), then `responseCode` rules on failed requests and `responseSuccessBody` rules on
 * the answer. `test` can replace the credential's own test object (to try a fix).
 */
export async function testCredential(options: {
	emulatorUrl: string;
	credentials?: HarnessCredentials;
	test?: ICredentialTestRequest;
	/** the mock node's parameters (n8n's Workflow fills the `temp: ''` default either way, so preAuthentication always runs) */
	nodeParameters?: INodeParameters;
}): Promise<CredentialTestOutcome> {
	const type = credentialTypes[CREDENTIAL_TYPE];
	const test = options.test ?? type.test!;
	const store = prepareStore(options.emulatorUrl, undefined, options.credentials);
	const helper = new HarnessCredentialsHelper(credentialTypes, { [CREDENTIAL_ID]: store });
	const additionalData = buildAdditionalData(helper, randomUUID());
	const data = helper.applyDefaults(additionalData, store.data, CREDENTIAL_TYPE, 'internal');
	const credentialsDecrypted = {
		id: CREDENTIAL_ID,
		name: 'Feishu Attendance account',
		type: CREDENTIAL_TYPE,
		data,
	};

	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'n8n-nodes-base.noOp',
			group: ['organization'],
			version: 1,
			description: 'mock node of the credential test',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		} as INodeType['description'],
	};
	const registry = new HarnessNodeTypes({ 'n8n-nodes-base.noOp': nodeType });
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.nodeParameters ?? { temp: '' },
		credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'Feishu Attendance account' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: registry,
	});
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		resultData: { runData: {} },
	});
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		releaseBackgroundTimers();
		const e = error as Error & {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		const base = { preAuthRuns: helper.preAuthRuns };
		if (e.cause?.response) {
			const { status, statusText } = e.cause.response;
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return { status: 'Error', message: rule.properties.message, via: 'rule', ...base };
				}
			}
			if (status < 199 || status > 299) {
				return {
					status: 'Error',
					message: statusText || `Received HTTP status code: ${status}`,
					via: 'requestError',
					...base,
				};
			}
		} else if (e.cause?.code) {
			return { status: 'Error', message: e.cause.code, via: 'requestError', ...base };
		}
		const via = helper.preAuthRuns.some((r) => r.outcome === 'threw')
			? 'preAuthentication'
			: 'requestError';
		return { status: 'Error', message: e.message, via, ...base };
	}
	releaseBackgroundTimers();
	const responseBody = response?.[0]?.[0]?.json;
	for (const rule of test.rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			responseBody &&
			getPath(responseBody, rule.properties.key) === rule.properties.value
		) {
			return {
				status: 'Error',
				message: rule.properties.message,
				via: 'rule',
				responseBody,
				preAuthRuns: helper.preAuthRuns,
			};
		}
	}
	return {
		status: 'OK',
		message: 'Connection successful!',
		via: 'ok',
		responseBody,
		preAuthRuns: helper.preAuthRuns,
	};
}

function getPath(object: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				value && typeof value === 'object' ? (value as IDataObject)[key] : undefined,
			object,
		);
}

// ---------------------------------------------------------------- expressions with $credentials

/**
 * Resolves a value (string, or object of strings) with `$credentials`, through n8n-workflow's expression
 * engine exactly as n8n resolves a credential's `authenticate` / `test` expressions.
 */
export function resolveWithCredentials<T>(
	value: T,
	credentials: ICredentialDataDecryptedObject,
): T {
	const registry = new HarnessNodeTypes();
	const node: INode = {
		id: 'r',
		name: 'Resolver',
		type: SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: registry,
	});
	const resolve = (v: unknown): unknown => {
		if (typeof v === 'string') {
			return v.startsWith('=')
				? workflow.expression.getSimpleParameterValue(
						node,
						v,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					)
				: v;
		}
		if (Array.isArray(v)) return v.map(resolve);
		if (v && typeof v === 'object')
			return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
		return v;
	};
	return resolve(value) as T;
}

// ---------------------------------------------------------------- outgoing HTTP observation

export interface HttpRecord {
	method: string;
	host: string;
	path: string;
}

/**
 * Records every HTTP(S) request this process starts (Node's `http.client.request.start` diagnostics
 * channel), including the ones n8n makes for preAuthentication. Call `stop()` when done.
 */
export function recordHttp(): { requests: HttpRecord[]; stop: () => void } {
	const requests: HttpRecord[] = [];
	const onStart = (message: unknown) => {
		const request = (message as { request: ClientRequest }).request;
		requests.push({
			method: request.method,
			host: String(request.getHeader('host') ?? request.host),
			path: request.path,
		});
	};
	subscribe('http.client.request.start', onStart);
	return { requests, stop: () => unsubscribe('http.client.request.start', onStart) };
}

// ---------------------------------------------------------------- the poll trigger

export const POLL_TRIGGER_NODE_TYPE = 'n8n-nodes-feishu-attendance.feishuAttendancePollTrigger';

export interface PollWorkflowOptions {
	emulatorUrl: string;
	credentials?: HarnessCredentials;
	store?: CredentialStore;
	parameters: INodeParameters;
	/** workflow settings timezone, default 'Asia/Shanghai' */
	timezone?: string;
	/** the static data saved in the database before the first start (default none) */
	saved?: string;
}

export interface PollOutcome {
	/** what poll() returned (null: nothing to emit, n8n starts no execution) */
	items: INodeExecutionData[] | null;
	/** what poll() threw */
	error?: Error;
}

/**
 * An active polling workflow as n8n 1.x holds it: one Workflow object in memory whose static data the poll
 * changes, and the copy in the database (`saved`, JSON). As n8n's ActiveWorkflowManager does, the copy is
 * written on activation (after the first poll) and whenever a poll emits (`__emit` saves before it starts the
 * execution); a poll that returns null or throws writes nothing (n8n 2.x also writes after a null poll: the
 * tests do not rely on it). `restart()` is an n8n restart: the memory is rebuilt from the database.
 * Each poll runs through n8n-core's PollContext and TriggersAndPollers.runPoll.
 */
export class PollingWorkflow {
	saved: string;

	private workflow!: Workflow;

	private node!: INode;

	private readonly store: CredentialStore;

	private readonly helper: HarnessCredentialsHelper;

	constructor(private readonly options: PollWorkflowOptions) {
		this.store = prepareStore(options.emulatorUrl, options.store, options.credentials);
		this.helper = new HarnessCredentialsHelper(credentialTypes, { [CREDENTIAL_ID]: this.store });
		this.saved = options.saved ?? '{}';
		this.load();
	}

	/** The static data of the trigger node in memory (what the next poll compares with). */
	get memory(): IDataObject {
		return this.workflow.getStaticData('node', this.node) as IDataObject;
	}

	private load(): void {
		this.node = {
			id: 'poll-trigger',
			name: 'Feishu Attendance Poll Trigger',
			type: POLL_TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: this.options.parameters,
			credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'Feishu Attendance account' } },
		};
		this.workflow = new Workflow({
			id: 'harness-poll',
			name: 'Harness polling workflow',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new HarnessNodeTypes(),
			staticData: JSON.parse(this.saved) as IDataObject,
			settings: { timezone: this.options.timezone ?? 'Asia/Shanghai', executionOrder: 'v1' },
		});
	}

	private persist(): void {
		this.saved = JSON.stringify(this.workflow.staticData);
	}

	/** One poll in `mode` ('trigger' as Poll Times run it, 'manual' as Fetch Test Event does). */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<PollOutcome> {
		const additionalData = buildAdditionalData(this.helper, randomUUID());
		const context = new PollContext(this.workflow, this.node, additionalData, mode, 'activate');
		let items: INodeExecutionData[] | null;
		try {
			const response = await Container.get(TriggersAndPollers).runPoll(
				this.workflow,
				this.node,
				context,
			);
			items = response === null ? null : (response[0] ?? []);
		} catch (error) {
			return { items: null, error: error as Error };
		} finally {
			releaseBackgroundTimers();
		}
		if (items !== null && mode !== 'manual') this.persist();
		return { items };
	}

	/** Activation: the first poll, then the static data is saved whatever it returned (ActiveWorkflowManager.add). */
	async activate(): Promise<PollOutcome> {
		const outcome = await this.poll('trigger');
		if (!outcome.error) this.persist();
		return outcome;
	}

	/** An n8n restart: memory rebuilt from the saved copy, then activation (its first poll). */
	async restart(): Promise<PollOutcome> {
		this.load();
		return await this.activate();
	}
}
