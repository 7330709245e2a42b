/**
 * The world the editor check runs in: the Feishu emulator seeded with a day of punches, and a real n8n
 * (package installed, one credential, one workflow) started as a server with its owner set up.
 */
import { startEmulator, type Emulator } from '../emulator';
import * as fs from 'fs';
import * as path from 'path';

import { APP, chain, exampleWorkflow, feishuNode, itemsNode } from '../e2e/fixtures';
import { loadDescription } from './spec';
import {
	DEFAULT_OWNER,
	feishuCredential,
	httpJson,
	NODE_TYPE,
	REPO_ROOT,
	TRIGGER_NODE_TYPE,
	prepareInstance,
	CREDENTIAL_TYPE,
	type CredentialImport,
	type N8nInstance,
	type TargetInfo,
	type WorkflowExport,
} from '../e2e/n8n';

export const TODAY = '2026-11-21';
export const DAY = '2026-11-20';
export const TIMEZONE = 'Asia/Shanghai';
export const WORKFLOW_ID = 'editorCheck01';
/** the node whose resource and operation the check switches through */
export const PANEL_NODE = 'Feishu Attendance';
/** a Punch Result → Get Many node configured like example 02, executed from its panel */
export const RUN_NODE = 'Get Punch Results';
export const EMPLOYEES = ['NO0001', 'NO0002', 'NO0003'];
/** the package's trigger node, its panel checked as well */
export const TRIGGER_NODE = 'Feishu Attendance Trigger';

/** Every example workflow (examples/*.json), imported with the credential: the editor must open each. */
export const EXAMPLE_FILES = fs
	.readdirSync(path.join(REPO_ROOT, 'examples'))
	.filter((f) => f.endsWith('.json'))
	.sort();
export const exampleId = (file: string) => `editorEx${file.slice(0, 2)}`;

/** The panel node is at the node's newest version, as a node a user adds today. */
const PANEL_NODE_VERSION = (() => {
	const v = loadDescription().version;
	return Array.isArray(v) ? Math.max(...v) : v;
})();

export interface EditorEnv {
	emulator: Emulator;
	n8n: N8nInstance;
	cred: CredentialImport;
	url: string;
}

/** Punches on DAY for the first two employees (the third has none: a Lack result). */
function punches() {
	const at = (hhmm: string) => String(Date.parse(`${DAY}T${hhmm}:00+08:00`) / 1000);
	const records = [
		{ user_id: 'NO0001', check_time: at('08:52'), location_name: 'Gate A' },
		{ user_id: 'NO0001', check_time: at('18:04'), location_name: 'Gate A' },
		{ user_id: 'NO0002', check_time: at('09:17'), location_name: 'Gate B' },
		{ user_id: 'NO0002', check_time: at('18:01'), location_name: 'Gate B' },
	];
	return { records, employeeType: 'employee_no' };
}

export function editorWorkflow(cred: { id: string; name: string }): WorkflowExport {
	const employees = itemsNode(
		'Employees',
		EMPLOYEES.map((employee_no) => ({ employee_no, date: DAY })),
	);
	const wf = chain(WORKFLOW_ID, 'Editor check', [
		employees,
		feishuNode(RUN_NODE, 'punchResultGetMany', cred),
	]);
	wf.nodes.push({
		id: 'e2e00000-0000-4000-8000-0000000e0001',
		name: PANEL_NODE,
		type: NODE_TYPE,
		typeVersion: PANEL_NODE_VERSION,
		position: [440, 220],
		parameters: {},
		credentials: { [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } },
	});
	wf.nodes.push({
		id: 'e2e00000-0000-4000-8000-0000000e0002',
		name: TRIGGER_NODE,
		type: TRIGGER_NODE_TYPE,
		typeVersion: 1,
		position: [0, 220],
		// one event chosen: the canvas subtitle names it in words ("Punch Recorded"), not its code
		parameters: { events: ['attendance.user_flow.created_v1'] },
		webhookId: 'e2e00000-0000-4000-8000-0000000e0003',
	});
	return wf;
}

export async function startEditorEnv(
	info: TargetInfo,
	log?: (line: string) => void,
): Promise<EditorEnv> {
	const emulator = await startEmulator({ today: TODAY });
	try {
		const seeded = await httpJson('POST', `${emulator.url}/__admin/seed-flows`, punches());
		if (seeded.status !== 200)
			throw new Error(`seeding the emulator failed: HTTP ${seeded.status}`);
		const cred = feishuCredential({ id: 'feishuCred01', baseUrl: emulator.url, ...APP });
		const n8n = await prepareInstance(info, {
			credentials: [cred],
			workflows: [
				editorWorkflow(cred),
				...EXAMPLE_FILES.map((f) => exampleWorkflow(f, cred, exampleId(f))),
			],
			env: { GENERIC_TIMEZONE: TIMEZONE },
			log,
		});
		try {
			const url = await n8n.start();
			await n8n.setupOwner(DEFAULT_OWNER);
			return { emulator, n8n, cred, url };
		} catch (e) {
			await n8n.dispose();
			throw e;
		}
	} catch (e) {
		await emulator.close();
		throw e;
	}
}

export async function stopEditorEnv(env: EditorEnv | undefined): Promise<void> {
	if (!env) return;
	await env.n8n.dispose();
	await env.emulator.close();
}
