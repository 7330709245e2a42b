/**
 * The node as an AI agent's tool, proven with a client nobody here wrote: an ACTIVE workflow in a real,
 * running n8n whose MCP Server Trigger (@n8n/n8n-nodes-langchain.mcpTrigger v2, Streamable HTTP) exposes
 * two of the node's read operations as tools (Punch Result → Get Many, Punch Flow → Get Many; n8n wraps
 * the community node as `n8n-nodes-feishu-attendance.feishuAttendanceTool`, arguments via $fromAI). A
 * client built on the official MCP TypeScript SDK lists the tools and calls them with the arguments an
 * agent would send for "punch results of these employees yesterday"; the answers are exactly the
 * emulator's rows.
 *
 * n8n 1.123 needs no extra setting for community nodes as tools (N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE
 * no longer exists there: every node with usableAsTool gets its Tool variant).
 */
import * as fs from 'fs';
import * as path from 'path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { APP, describeTargets, PARAMS, setupEnv, teardownEnv, type E2eEnv } from './fixtures';
import { CREDENTIAL_TYPE, delay, httpJson, NODE_TYPE, type WorkflowExport } from './n8n';

const WORKFLOW_ID = 'e2eMcpTools01';
const MCP_PATH = 'feishu-attendance-tools';
const TODAY = '2026-11-21'; // the emulator's today (setupEnv); yesterday is Friday 2026-11-20
const YESTERDAY = '2026-11-20';
const TOOL_RESULTS = 'Punch Results';
const TOOL_FLOWS = 'Punch Records';

/** Unix seconds (string) of a Shanghai wall time */
const shanghai = (isoDate: string, time: string) =>
	String(Date.parse(`${isoDate}T${time}+08:00`) / 1000);

const fromAi = (key: string, description: string) =>
	`={{ $fromAI('${key}', '${description}', 'string') }}`;
const EMPLOYEES_ARG = fromAi(
	'employee_ids',
	'Feishu employee IDs (user IDs such as emp0001), separated by commas',
);
const FROM_ARG = fromAi('from', 'First day of the range, yyyy-MM-dd');
const TO_ARG = fromAi('to', 'Last day of the range (inclusive), yyyy-MM-dd');

function toolNode(
	name: string,
	op: 'punchResultGetMany' | 'punchFlowGetMany',
	description: string,
	index: number,
	cred: { id: string; name: string },
) {
	return {
		id: `e2e-mcp0-0000-4000-8000-00000000000${index}`,
		name,
		type: `${NODE_TYPE}Tool`,
		typeVersion: 1,
		position: [index * 220, 200],
		parameters: {
			...PARAMS[op](),
			employeeIdType: 'employee_id',
			employeeIds: EMPLOYEES_ARG,
			from: FROM_ARG,
			to: TO_ARG,
			returnAll: true,
			options: { timezone: 'Asia/Shanghai' },
			descriptionType: 'manual',
			toolDescription: description,
		},
		credentials: { [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } },
	};
}

function mcpWorkflow(cred: { id: string; name: string }): WorkflowExport {
	return {
		id: WORKFLOW_ID,
		name: 'Feishu Attendance tools over MCP',
		active: false,
		nodes: [
			{
				id: 'e2e-mcp0-0000-4000-8000-000000000001',
				name: 'MCP Server Trigger',
				type: '@n8n/n8n-nodes-langchain.mcpTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5d0f3c2b-8e4a-4f61-9b7d-2c1e0a9f8b31',
				parameters: { authentication: 'none', path: MCP_PATH },
			},
			toolNode(
				TOOL_RESULTS,
				'punchResultGetMany',
				'Attendance results of employees per day and shift (check-in and check-out result such as Normal, Late, Early, Lack, with times). Needs employee IDs and a date range.',
				2,
				cred,
			),
			toolNode(
				TOOL_FLOWS,
				'punchFlowGetMany',
				'Raw punch (clock-in / clock-out) records of employees in a date range, with time and location. Needs employee IDs and a date range.',
				3,
				cred,
			),
		],
		connections: {
			[TOOL_RESULTS]: { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] },
			[TOOL_FLOWS]: { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', timezone: 'Asia/Shanghai' },
	};
}

/** The rows of an MCP tool answer: n8n's tool wrapper returns the output items' JSON as text. */
function rowsOf(result: unknown): Array<Record<string, any>> {
	const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
	expect(content.map((c) => c.type)).toEqual(['text']);
	let value: unknown = JSON.parse(content[0].text ?? 'null');
	if (typeof value === 'string') value = JSON.parse(value);
	expect(Array.isArray(value)).toBe(true);
	return value as Array<Record<string, any>>;
}

/** What the emulator itself answers for user_tasks/query (through its own HTTP API, as Feishu would). */
async function emulatorTaskResults(
	baseUrl: string,
	userIds: string[],
	day: number,
): Promise<Array<Record<string, any>>> {
	const token = await httpJson(
		'POST',
		`${baseUrl}/open-apis/auth/v3/tenant_access_token/internal`,
		{ app_id: APP.appId, app_secret: APP.appSecret },
	);
	const res = await httpJson(
		'POST',
		`${baseUrl}/open-apis/attendance/v1/user_tasks/query?employee_type=employee_id&ignore_invalid_users=true`,
		{ user_ids: userIds, check_date_from: day, check_date_to: day },
		{ authorization: `Bearer ${token.body.tenant_access_token}` },
	);
	expect(res.body.code).toBe(0);
	return res.body.data.user_task_results;
}

describeTargets('The node as MCP tools in a running n8n', (info) => {
	let env: E2eEnv | undefined;
	let client: Client | undefined;

	beforeAll(async () => {
		env = await setupEnv(info, {
			emulator: { today: TODAY },
			workflows: (cred) => [mcpWorkflow(cred)],
		});
		const activate =
			info.target === 1
				? ['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true']
				: ['publish:workflow', `--id=${WORKFLOW_ID}`];
		const r = await env.n8n.cli(activate);
		if (r.code !== 0)
			throw new Error(`n8n ${activate.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
		await env.n8n.start();
		// active workflows are registered after the REST API answers
		const deadline = Date.now() + 60_000;
		while (!/Editor is now accessible via/.test(env.n8n.serverOutput()) && Date.now() < deadline)
			await delay(300);

		env.emulator.seedFlows([
			{ user_id: 'emp0001', check_time: shanghai(YESTERDAY, '08:55:00') },
			{ user_id: 'emp0001', check_time: shanghai(YESTERDAY, '18:05:00') },
			{ user_id: 'emp0002', check_time: shanghai(YESTERDAY, '09:20:00') },
			{ user_id: 'emp0003', check_time: shanghai(YESTERDAY, '08:30:00') },
			{ user_id: 'emp0003', check_time: shanghai(YESTERDAY, '17:10:00') },
			{ user_id: 'emp0002', check_time: shanghai(TODAY, '09:00:00') },
		]);

		let lastError: unknown;
		while (Date.now() < deadline) {
			client = new Client({ name: 'feishu-attendance-e2e', version: '1.0.0' });
			try {
				await client.connect(
					new StreamableHTTPClientTransport(new URL(`${env.n8n.url}/mcp/${MCP_PATH}`)),
				);
				lastError = undefined;
				break;
			} catch (error) {
				lastError = error;
				await client.close().catch(() => undefined);
				client = undefined;
				await delay(500);
			}
		}
		if (!client) {
			const log = path.join(env.n8n.userFolder, 'n8n-start.log');
			throw new Error(
				`MCP client could not connect: ${String(lastError)}\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-3000) : ''}`,
			);
		}
	});

	afterAll(async () => {
		await client?.close().catch(() => undefined);
		await teardownEnv(env);
	});

	it("lists the two read operations as tools with the author's descriptions and the $fromAI arguments", async () => {
		const { tools } = await client!.listTools();
		expect(tools.map((t) => t.name).sort()).toEqual(['Punch_Records', 'Punch_Results']);
		for (const tool of tools) {
			expect(tool.description).toMatch(/Needs employee IDs and a date range/);
			const schema = tool.inputSchema as {
				properties?: Record<string, { type?: string; description?: string }>;
				required?: string[];
			};
			expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['employee_ids', 'from', 'to']);
			expect([...(schema.required ?? [])].sort()).toEqual(['employee_ids', 'from', 'to']);
			expect(schema.properties!.from).toMatchObject({
				type: 'string',
				description: 'First day of the range, yyyy-MM-dd',
			});
		}
	});

	it('"punch results of emp0001, emp0002 and emp0003 yesterday": exactly the emulator\'s rows', async () => {
		const result = await client!.callTool({
			name: 'Punch_Results',
			arguments: { employee_ids: 'emp0001, emp0002, emp0003', from: YESTERDAY, to: YESTERDAY },
		});
		expect(result.isError).toBeFalsy();
		const rows = rowsOf(result);
		const expected = await emulatorTaskResults(
			env!.emulator.url,
			['emp0001', 'emp0002', 'emp0003'],
			20261120,
		);
		const key = (r: Record<string, any>) =>
			[r.employee_id ?? r.user_id, r.day, r.result_id].join('|');
		expect(rows.map(key)).toEqual(expected.map(key));
		expect(
			rows.map((r) => [
				r.employee_id,
				r.check_in_result,
				r.check_out_result,
				r.check_in_record_id ?? '',
				r.check_out_record_id ?? '',
			]),
		).toEqual(
			expected.map((e) => [
				e.user_id,
				e.records[0].check_in_result,
				e.records[0].check_out_result,
				e.records[0].check_in_record_id,
				e.records[0].check_out_record_id,
			]),
		);
		// what an agent answering "who was late yesterday?" reads
		expect(rows.filter((r) => r.check_in_result === 'Late').map((r) => r.employee_id)).toEqual([
			'emp0002',
		]);
		expect(rows.find((r) => r.employee_id === 'emp0002')).toMatchObject({
			date_iso: YESTERDAY,
			check_in_time_iso: `${YESTERDAY}T09:20:00+08:00`,
			check_out_result: 'Lack',
		});
	});

	it("punch records of one employee yesterday: exactly the emulator's records of that day", async () => {
		const result = await client!.callTool({
			name: 'Punch_Records',
			arguments: { employee_ids: 'emp0002', from: YESTERDAY, to: YESTERDAY },
		});
		expect(result.isError).toBeFalsy();
		const rows = rowsOf(result);
		const from = Number(shanghai(YESTERDAY, '00:00:00'));
		const expected = env!.emulator
			.flows()
			.filter(
				(f) =>
					f.user_id === 'emp0002' &&
					Number(f.check_time) >= from &&
					Number(f.check_time) < from + 86400,
			);
		expect(rows.map((r) => [r.record_id, r.user_id, r.check_time])).toEqual(
			expected.map((f) => [f.record_id, f.user_id, f.check_time]),
		);
		// the agent's compact output (Output for the Agent, default Compact): no device fingerprints
		expect(
			rows
				.flatMap((r) => Object.keys(r))
				.filter((k) => ['bssid', 'ssid', 'photo_urls', 'device_id'].includes(k)),
		).toEqual([]);
	});

	it("a tool call with an invalid argument comes back as the node's error, not as rows", async () => {
		const result = await client!.callTool({
			name: 'Punch_Results',
			arguments: { employee_ids: 'emp0001', from: YESTERDAY, to: 'not a day' },
		});
		const text = JSON.stringify(result);
		expect(result.isError === true || /error/i.test(text)).toBe(true);
		expect(text).toMatch(/To/);
	});
});
