/**
 * The Feishu Attendance Poll Trigger in a REAL, running n8n (1.123 and 2.41): an active workflow
 * (Poll Trigger every minute → HTTP Request to a local sink) against the emulator.
 *
 * `n8n execute` cannot run a poll trigger (it starts a workflow from its Manual Trigger), so the workflow is
 * activated and n8n started: activation runs the first poll at once (n8n-core ActiveWorkflows.activatePolling
 * `executeTrigger(true)`), then Poll Times runs it every minute. An n8n restart is a stop and a start, whose
 * activation polls again with the static data n8n saved. Checked: the first poll emits nothing (baseline), a
 * punch that arrives while n8n runs is emitted once by a scheduled poll, a punch that arrives while n8n is down
 * is emitted once by the poll of the next start, and a further restart emits nothing again.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import { describeTargets, setupEnv, teardownEnv, type E2eEnv } from './fixtures';
import {
	CREDENTIAL_TYPE,
	PACKAGE_NAME,
	delay,
	type CredentialImport,
	type WorkflowExport,
} from './n8n';

const WORKFLOW_ID = 'e2ePollTrig01';
const TRIGGER_NAME = 'Feishu Attendance Poll Trigger';
const FLOW_QUERY = 'POST /open-apis/attendance/v1/user_flows/query';

interface Sink {
	url: string;
	received: Array<Record<string, any>>;
	close: () => Promise<void>;
}

async function startSink(): Promise<Sink> {
	const received: Array<Record<string, any>> = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/sink`,
		received,
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}

function pollWorkflow(sinkUrl: string, cred: CredentialImport): WorkflowExport {
	return {
		id: WORKFLOW_ID,
		name: 'Feishu attendance poll → sink',
		active: false,
		nodes: [
			{
				id: 'e2e-poll-0000-4000-8000-000000000001',
				name: TRIGGER_NAME,
				type: `${PACKAGE_NAME}.feishuAttendancePollTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					watch: ['punchRecord'],
					employeesFrom: 'employees',
					employeeIdType: 'employee_id',
					employeeIds: 'emp0001, emp0002',
					lookBackDays: 2,
					options: {},
				},
				credentials: { [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } },
			},
			{
				id: 'e2e-poll-0000-4000-8000-000000000002',
				name: 'Send to sink',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: sinkUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json) }}',
					options: {},
				},
			},
		],
		connections: { [TRIGGER_NAME]: { main: [[{ node: 'Send to sink', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1', timezone: 'Asia/Shanghai' },
	};
}

/** Now, as Feishu seconds, minus `minutes` (punches in the recent past, inside the look-back window). */
const secondsAgo = (minutes: number) => String(Math.floor(Date.now() / 1000) - minutes * 60);

describeTargets('Feishu Attendance Poll Trigger in a running n8n', (info) => {
	let env: E2eEnv | undefined;
	let sink: Sink;

	const flowQueries = () => env!.emulator.counters().requests[FLOW_QUERY] ?? 0;
	/** Starts n8n and waits until the activation's poll has asked Feishu (and a little longer for its execution). */
	async function startAndWaitForPoll(): Promise<void> {
		const before = flowQueries();
		await env!.n8n.start();
		// n8n 1.x polls at activation; should a version poll only on its schedule, the next minute comes within 90 s
		const deadline = Date.now() + 90_000;
		while (flowQueries() === before && Date.now() < deadline) await delay(200);
		expect(flowQueries()).toBeGreaterThan(before);
		await delay(3000);
	}
	async function waitForSink(count: number, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (sink.received.length < count && Date.now() < deadline) await delay(250);
	}
	const recordIds = () =>
		sink.received.map((item) => `${String(item.event)} ${String(item.record_id)}`);

	beforeAll(async () => {
		sink = await startSink();
		// the poll reads the days before "now": the emulator's today is the real one
		env = await setupEnv(info, {
			emulator: { today: undefined, employees: 10 },
			workflows: (cred) => [pollWorkflow(sink.url, cred)],
		});
		const activate =
			info.target === 1
				? ['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true']
				: ['publish:workflow', `--id=${WORKFLOW_ID}`];
		const r = await env.n8n.cli(activate);
		if (r.code !== 0)
			throw new Error(`n8n ${activate.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
	}, 180_000);

	afterAll(async () => {
		await teardownEnv(env);
		await sink?.close();
	});

	it('exactly once across scheduled polls and restarts', async () => {
		const [a] = env!.emulator.seedFlows([{ user_id: 'emp0001', check_time: secondsAgo(30) }]);

		// activation: the first poll records the baseline and starts no execution
		await startAndWaitForPoll();
		expect(sink.received).toHaveLength(0);

		// a punch arrives (late: its time is before the last poll): a scheduled poll emits it once
		const [b] = env!.emulator.seedFlows([{ user_id: 'emp0002', check_time: secondsAgo(45) }]);
		await waitForSink(1, 150_000);
		expect(recordIds()).toEqual([`punch_record.new ${b.record_id}`]);
		expect(sink.received[0]).toMatchObject({
			user_id: 'emp0002',
			check_time: b.check_time,
			poll: { max_calls: 100 },
		});

		// n8n stops; a punch arrives meanwhile; the next start's poll emits it once, and nothing else
		await env!.n8n.stop();
		const [c] = env!.emulator.seedFlows([{ user_id: 'emp0001', check_time: secondsAgo(5) }]);
		await startAndWaitForPoll();
		await waitForSink(2, 90_000);
		await delay(2000);
		expect(recordIds()).toEqual([
			`punch_record.new ${b.record_id}`,
			`punch_record.new ${c.record_id}`,
		]);

		// another restart: the saved state holds a, b and c; nothing is emitted again
		await env!.n8n.stop();
		await startAndWaitForPoll();
		await delay(2000);
		expect(recordIds()).toHaveLength(2);
		expect(recordIds().join(' ')).not.toContain(String(a.record_id));
	}, 600_000);
});
