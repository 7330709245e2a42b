/**
 * The Feishu Attendance Trigger in a REAL, running n8n: an active workflow
 * (Trigger → HTTP Request to a local sink) receives events from test/emulator/events.ts over HTTP
 * at its Production URL. Checks URL verification, decryption + signature, refusals, deduplication
 * across deliveries (static data persisted by n8n) and the item the execution produced.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import {
	APPROVAL_SAMPLES,
	buildFlowCreatedEvent,
	buildTaskUpdatedEvent,
	buildV1Event,
	deliverChallenge,
	deliverEvent,
} from '../emulator/events';
import { describeTargets } from './fixtures';
import {
	CREDENTIAL_TYPE,
	delay,
	prepareInstance,
	TRIGGER_NODE_TYPE,
	type CredentialImport,
	type N8nInstance,
	type WorkflowExport,
} from './n8n';

const ENCRYPT_KEY = 'e2eEncryptKey-7Qz';
const VERIFICATION_TOKEN = 'e2eVerificationToken-3Lp';
const WEBHOOK_ID = '0b9f7c1e-5d2a-4c8e-9f31-7a6b5c4d3e21';
const WORKFLOW_ID = 'e2eTrigger01';
const TRIGGER_NAME = 'Feishu Attendance Trigger';

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
			try {
				received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
			} catch {
				received.push({ unparsable: Buffer.concat(chunks).toString('utf8') });
			}
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/sink`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function triggerCredential(): CredentialImport {
	return {
		id: 'feishuEvtCred01',
		name: 'Feishu Attendance (events)',
		type: CREDENTIAL_TYPE,
		data: {
			platform: 'feishu',
			appId: 'cli_e2e_events',
			appSecret: 'unused-by-the-trigger',
			tenantAccessToken: '',
			verificationToken: VERIFICATION_TOKEN,
			encryptKey: ENCRYPT_KEY,
		},
	};
}

function triggerWorkflow(sinkUrl: string, cred: CredentialImport): WorkflowExport {
	return {
		id: WORKFLOW_ID,
		name: 'Feishu attendance events → sink',
		active: false,
		nodes: [
			{
				id: 'e2e-trig-0000-4000-8000-000000000001',
				name: TRIGGER_NAME,
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: {
					events: ['*', 'leave_approval'],
					employeeIds: '',
					taskStatuses: ['Late', 'Lack'],
					options: {},
				},
				credentials: { [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } },
			},
			{
				id: 'e2e-trig-0000-4000-8000-000000000002',
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
		connections: {
			[TRIGGER_NAME]: { main: [[{ node: 'Send to sink', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', timezone: 'Asia/Shanghai' },
	};
}

/** Waits until the sink holds `count` items (or the time is up) and returns them. */
async function waitForSink(
	sink: Sink,
	count: number,
	timeoutMs = 20_000,
): Promise<Array<Record<string, any>>> {
	const deadline = Date.now() + timeoutMs;
	while (sink.received.length < count && Date.now() < deadline) await delay(100);
	return sink.received;
}

describeTargets('Feishu Attendance Trigger in a running n8n', (info) => {
	let n8n: N8nInstance | undefined;
	let sink: Sink;
	let url: string;

	beforeAll(async () => {
		sink = await startSink();
		const cred = triggerCredential();
		n8n = await prepareInstance(info, {
			credentials: [cred],
			workflows: [triggerWorkflow(sink.url, cred)],
		});
		// imported workflows are inactive: activate (1.x) / publish (2.x) before starting n8n
		const activate =
			info.target === 1
				? ['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true']
				: ['publish:workflow', `--id=${WORKFLOW_ID}`];
		const r = await n8n.cli(activate);
		if (r.code !== 0)
			throw new Error(`n8n ${activate.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
		await n8n.start();
		url = `${n8n.url}/webhook/${WEBHOOK_ID}/webhook`;
		// the production webhook is registered while n8n activates workflows at start-up
		const deadline = Date.now() + 30_000;
		for (;;) {
			const probe = await deliverChallenge(url, {
				encryptKey: ENCRYPT_KEY,
				verificationToken: VERIFICATION_TOKEN,
			});
			if (probe.status !== 404 || Date.now() > deadline) break;
			await delay(300);
		}
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sink?.close();
	});

	it('answers the encrypted URL verification with the challenge and starts nothing', async () => {
		const r = await deliverChallenge(url, {
			challenge: 'e2e-challenge-1',
			encryptKey: ENCRYPT_KEY,
			verificationToken: VERIFICATION_TOKEN,
		});
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ challenge: 'e2e-challenge-1' });
		await delay(500);
		expect(sink.received).toHaveLength(0);
	});

	it('an encrypted, signed punch event starts one execution whose item holds the flattened event', async () => {
		const env = buildFlowCreatedEvent(
			{
				employee_id: 'emp_e2e_1',
				employee_no: 'E2E001',
				check_time: '1795132800',
				location_name: 'HQ Gate 1',
				record_id: 'rec_e2e_1',
			},
			{ eventId: 'e2e-flow-1', createTime: 1795132801000 },
		);
		const r = await deliverEvent(url, env, {
			encryptKey: ENCRYPT_KEY,
			verificationToken: VERIFICATION_TOKEN,
		});
		expect(r.status).toBe(200);
		const [item] = await waitForSink(sink, 1);
		expect(item).toMatchObject({
			event_type: 'attendance.user_flow.created_v1',
			event_id: 'e2e-flow-1',
			create_time: '1795132801000',
			create_time_iso: '2026-11-20T08:00:01+08:00',
			employee_id: 'emp_e2e_1',
			employee_no: 'E2E001',
			check_time: '1795132800',
			check_time_iso: '2026-11-20T08:00:00+08:00',
			location_name: 'HQ Gate 1',
			record_id: 'rec_e2e_1',
			raw: { header: { event_id: 'e2e-flow-1', token: '[redacted]' } },
		});
		expect(JSON.stringify(item)).not.toContain(VERIFICATION_TOKEN);
	});

	it('a retried delivery of the same event is acknowledged (200) but starts nothing', async () => {
		const env = buildFlowCreatedEvent({ employee_id: 'emp_e2e_1' }, { eventId: 'e2e-flow-1' });
		const r = await deliverEvent(url, env, {
			encryptKey: ENCRYPT_KEY,
			verificationToken: VERIFICATION_TOKEN,
		});
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ message: 'Duplicate delivery; already processed' });
		await delay(1500);
		expect(sink.received).toHaveLength(1);
	});

	it('refuses a bad signature (401), a stale timestamp (401) and a wrong token (403)', async () => {
		const bad = await deliverEvent(url, buildFlowCreatedEvent(), {
			encryptKey: ENCRYPT_KEY,
			verificationToken: VERIFICATION_TOKEN,
			badSignature: true,
		});
		expect(bad.status).toBe(401);
		const stale = await deliverEvent(url, buildFlowCreatedEvent(), {
			encryptKey: ENCRYPT_KEY,
			verificationToken: VERIFICATION_TOKEN,
			timestamp: Math.floor(Date.now() / 1000) - 900,
		});
		expect(stale.status).toBe(401);
		const token = await deliverEvent(url, buildFlowCreatedEvent(), {
			encryptKey: ENCRYPT_KEY,
			verificationToken: 'wrong',
		});
		expect(token.status).toBe(403);
		await delay(1500);
		expect(sink.received).toHaveLength(1);
	});

	it('task updates pass the status filter only when a result moves to Late/Lack', async () => {
		const moved = (before: string, current: string, eventId: string) =>
			buildTaskUpdatedEvent(
				{
					employee_id: 'emp_e2e_2',
					date: 20261118,
					status_changes: [
						{
							index: 0,
							before_status: before,
							current_status: current,
							before_supplement: 'None',
							current_supplement: 'None',
							work_type: 'on',
						},
					],
				},
				{ eventId },
			);
		const opts = { encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN };
		expect((await deliverEvent(url, moved('Lack', 'Normal', 'e2e-task-1'), opts)).status).toBe(200);
		expect((await deliverEvent(url, moved('Normal', 'Late', 'e2e-task-2'), opts)).status).toBe(200);
		const items = await waitForSink(sink, 2);
		await delay(1000);
		expect(items).toHaveLength(2);
		expect(items[1]).toMatchObject({
			event_type: 'attendance.user_task.updated_v1',
			event_id: 'e2e-task-2',
			date: 20261118,
			date_iso: '2026-11-18',
			changed_statuses: ['Late'],
			status_changes: [{ before_status: 'Normal', current_status: 'Late', status_changed: true }],
		});
	});

	it('an approved leave (sent twice by Feishu, as leave_approval and leave_approvalV2) starts one execution; its revocation another', async () => {
		const opts = { encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN };
		const before = sink.received.length;
		expect(
			(
				await deliverEvent(
					url,
					buildV1Event('leave_approval', APPROVAL_SAMPLES.leave_approval('E2E-LEAVE-1')),
					opts,
				)
			).status,
		).toBe(200);
		const again = await deliverEvent(
			url,
			buildV1Event('leave_approvalV2', APPROVAL_SAMPLES.leave_approvalV2('E2E-LEAVE-1')),
			opts,
		);
		expect(again.json).toEqual({ message: 'Duplicate delivery; already processed' });
		expect(
			(
				await deliverEvent(
					url,
					buildV1Event(
						'leave_approval_revert',
						APPROVAL_SAMPLES.leave_approval_revert('E2E-LEAVE-1'),
					),
					opts,
				)
			).status,
		).toBe(200);
		const items = await waitForSink(sink, before + 2);
		await delay(1500);
		expect(items.slice(before)).toEqual([
			expect.objectContaining({
				approval_type: 'leave',
				status: 'approved',
				employee_id: 'emp0001',
				instance_code: 'E2E-LEAVE-1',
				from_iso: '2026-11-23T09:00:00+08:00',
				to_iso: '2026-11-23T18:00:00+08:00',
				type_name: 'Annual Leave',
			}),
			expect.objectContaining({
				approval_type: 'leave',
				status: 'revoked',
				instance_code: 'E2E-LEAVE-1',
			}),
		]);
		expect(JSON.stringify(items)).not.toContain(VERIFICATION_TOKEN);
	});
});
