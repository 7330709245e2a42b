/**
 * Shared pieces of the real-n8n e2e suite: target parameterisation, workflows built from the
 * examples (the examples are the single source of the node parameters), and output checks.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import {
	CREDENTIAL_TYPE,
	feishuCredential,
	findTarget,
	loadExample,
	NODE_TYPE,
	parseTargets,
	prepareInstance,
	TARGET_VERSIONS,
	withCredential,
	type CredentialImport,
	type ExecuteResult,
	type N8nInstance,
	type RunItem,
	type TargetInfo,
	type WorkflowExport,
} from './n8n';

export const APP = { appId: 'cli_emulator', appSecret: 'emulator-secret' };

export const EXAMPLES = {
	importCsv: '01-import-punch-records-csv.json',
	dailySync: '02-daily-punch-result-sync.json',
	leave: '03-third-party-leave-approvals.json',
	cleanup: '04-delete-imported-punch-records.json',
} as const;

/** Node names inside the examples (see scripts/examples/generate.js). */
export const NODES = {
	importFlows: 'Import Punch Records',
	importSummary: 'Import summary',
	getResults: 'Get Punch Results',
	dailySummary: 'Daily summary',
	resultsBefore: 'Punch Results before',
	writeLeave: 'Write Leave',
	resultsAfter: 'Punch Results after',
	leaveCompare: 'Lack → Leave',
	getFlows: 'Get Punch Records',
	deleteFlows: 'Delete Punch Records',
	deleteSummary: 'Delete summary',
} as const;

/**
 * describe() once per target in E2E_TARGETS. A target whose n8n is not installed is skipped with a loud
 * message, or fails when E2E_STRICT=1 (CI installs both).
 */
export function describeTargets(title: string, body: (info: TargetInfo) => void): void {
	for (const target of parseTargets()) {
		const { info, reason } = findTarget(target);
		const label = `${title} [n8n ${TARGET_VERSIONS[target]}]`;
		if (info) {
			describe(label, () => body(info));
		} else if (process.env.E2E_STRICT === '1') {
			describe(label, () => {
				it('has its n8n installed', () => {
					throw new Error(reason);
				});
			});
		} else {
			// eslint-disable-next-line no-console
			console.warn(`\n${'!'.repeat(90)}\nSKIPPING "${label}": ${reason}\n${'!'.repeat(90)}\n`);
			describe.skip(label, () => it('needs n8n installed', () => undefined));
		}
	}
}

// ---------------------------------------------------------------------------------------------
// workflow builders

let nodeSeq = 0;
const nodeId = () => `e2e00000-0000-4000-8000-${String(++nodeSeq).padStart(12, '0')}`;

export function exampleWorkflow(
	file: string,
	credential: { id: string; name: string },
	id?: string,
): WorkflowExport {
	const wf = withCredential(loadExample(file), credential);
	if (id) wf.id = id;
	return wf;
}

/** A copy of a node of an example, pointed at `credential`. */
export function exampleNode(
	file: string,
	nodeName: string,
	credential?: { id: string; name: string },
): Record<string, any> {
	const node = loadExample(file).nodes.find((n) => n.name === nodeName);
	if (!node) throw new Error(`example ${file} has no node "${nodeName}"`);
	const copy = JSON.parse(JSON.stringify(node));
	copy.id = nodeId();
	if (credential)
		copy.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
	return copy;
}

/**
 * Node parameters per operation, from the examples generator (scripts/examples/generate.js PARAMS), so
 * that the examples and the e2e workflows cannot drift apart.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PARAMS: Record<string, () => Record<string, any>> =
	require('../../scripts/examples/generate.js').PARAMS;

/** A Feishu Attendance node with the parameters of PARAMS[op] (plus overrides). */
export function feishuNode(
	name: string,
	op: string,
	credential: { id: string; name: string },
	overrides: Record<string, unknown> = {},
): Record<string, any> {
	const base = PARAMS[op];
	if (!base) throw new Error(`no PARAMS.${op} in scripts/examples/generate.js`);
	return {
		id: nodeId(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { ...base(), ...overrides },
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

/** Code node returning fixed items. */
export function itemsNode(
	name: string,
	items: Array<Record<string, unknown>>,
): Record<string, any> {
	return codeNode(name, `return ${JSON.stringify(items.map((json) => ({ json })))};`);
}

export function manualTrigger(name = 'Start'): Record<string, any> {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

export function codeNode(name: string, jsCode: string): Record<string, any> {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [0, 0],
		parameters: { jsCode },
	};
}

/** Manual Trigger → nodes[0] → nodes[1] → … */
export function chain(id: string, name: string, nodes: Array<Record<string, any>>): WorkflowExport {
	const all = [manualTrigger(), ...nodes];
	all.forEach((n, i) => (n.position = [i * 220, 0]));
	const connections: Record<string, any> = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id,
		name,
		active: false,
		nodes: all,
		connections,
		settings: { executionOrder: 'v1', timezone: 'Asia/Shanghai' },
	};
}

/**
 * Code node producing `count` attendance-machine rows (same columns as example 1):
 * employees NO0001..NO0500, check-in rows first, then check-out rows, on `day` (yyyy-MM-dd).
 */
export function machineRowsNode(
	count: number,
	day: string,
	name = 'Machine rows',
): Record<string, any> {
	return codeNode(
		name,
		`const out = [];
for (let i = 0; i < ${count}; i++) {
  const emp = 'NO' + String((i % 500) + 1).padStart(4, '0');
  const round = Math.floor(i / 500);
  const sec = String(i % 60).padStart(2, '0');
  const time = ['08:4', '18:0', '12:0', '13:0', '20:0'][round % 5] + (i % 10) + ':' + sec; // unique up to 2,500 rows
  out.push({ json: { record_no: 'BULK-${day}-' + i, employee_no: emp, name: 'Employee ' + emp.slice(2),
                     punch_time: '${day} ' + time, device: 'Gate ' + (i % 2 ? 'A' : 'B') } });
}
return out;`,
	);
}

/** Manual → N machine rows → the example's import node (Continue On Fail off unless asked). */
export function bulkImportWorkflow(
	id: string,
	count: number,
	day: string,
	credential: { id: string; name: string },
	opts: { continueOnFail?: boolean; nodeOptions?: Record<string, unknown> } = {},
): WorkflowExport {
	const node = exampleNode(EXAMPLES.importCsv, NODES.importFlows, credential);
	if (!opts.continueOnFail) delete node.onError;
	node.parameters.options = { ...(node.parameters.options ?? {}), ...(opts.nodeOptions ?? {}) };
	return chain(id, `Bulk import ${count}`, [machineRowsNode(count, day), node]);
}

// ---------------------------------------------------------------------------------------------
// checks

/** What happened to one import row. To be aligned with the import operation's output fields. */
export function importStatus(json: Record<string, any>): string {
	if (json.error) return 'failed';
	return String(json.status ?? json.result ?? 'unknown');
}

export function countBy<T>(list: T[], key: (t: T) => string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const t of list) out[key(t)] = (out[key(t)] ?? 0) + 1;
	return out;
}

/** Index of the input item an output item is paired with (single pairing). */
export function pairedIndex(item: RunItem): number | undefined {
	const p = item.pairedItem;
	if (p === undefined) return undefined;
	if (typeof p === 'number') return p;
	if (Array.isArray(p)) return p.length === 1 ? p[0].item : undefined;
	return p.item;
}

/** The run succeeded; on failure the assertion shows n8n's error message. */
export function expectSuccess(r: ExecuteResult): void {
	expect({ status: r.status, error: r.errorMessage, description: r.errorDescription }).toEqual({
		status: 'success',
		error: undefined,
		description: undefined,
	});
}

/** Throws if any of `secrets` occurs in `text` (names which one, without printing it). */
export function expectNoLeak(text: string, secrets: Record<string, string | undefined>): void {
	for (const [what, value] of Object.entries(secrets)) {
		if (value && text.includes(value)) throw new Error(`n8n output contains the ${what}`);
	}
}

// ---------------------------------------------------------------------------------------------
// environment: emulator + prepared n8n

export interface E2eEnv {
	emulator: Emulator;
	n8n: N8nInstance;
	cred: CredentialImport;
	badCred: CredentialImport;
}

/**
 * Starts an emulator and prepares a fresh n8n (package installed) with two credentials pointing at it
 * (the good one and one with a wrong App Secret) and the given workflows.
 */
export async function setupEnv(
	info: TargetInfo,
	opts: {
		emulator?: EmulatorOptions;
		workflows?: (cred: CredentialImport, badCred: CredentialImport) => WorkflowExport[];
	} = {},
): Promise<E2eEnv> {
	const emulator = await startEmulator({ today: '2026-11-21', ...opts.emulator });
	try {
		const cred = feishuCredential({ id: 'feishuCred01', baseUrl: emulator.url, ...APP });
		const badCred = feishuCredential({
			id: 'feishuBadCred01',
			name: 'Feishu Attendance (wrong secret)',
			baseUrl: emulator.url,
			appId: APP.appId,
			appSecret: 'wrong-secret-5d1c9f',
		});
		const n8n = await prepareInstance(info, {
			credentials: [cred, badCred],
			workflows: opts.workflows?.(cred, badCred) ?? [],
			log: process.env.E2E_VERBOSE === '1' ? (l) => process.stdout.write(`${l}\n`) : undefined,
		});
		return { emulator, n8n, cred, badCred };
	} catch (e) {
		await emulator.close();
		throw e;
	}
}

export async function teardownEnv(env: E2eEnv | undefined): Promise<void> {
	if (!env) return;
	if (process.env.E2E_TIMINGS === '1' || process.env.E2E_VERBOSE === '1') {
		process.stdout.write(
			`[e2e] t${env.n8n.target.target} timings ${JSON.stringify(env.n8n.timings)}\n`,
		);
	}
	await env.n8n.dispose();
	await env.emulator.close();
}
