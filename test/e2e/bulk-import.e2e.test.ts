/**
 * 1,000 punch records through real n8n: exactly 20 batch calls, every output item paired with its input
 * item; the same import again stores nothing and reports every row as duplicate; a wrong App Secret
 * fails the run with the credential's message and leaks neither secret nor token.
 */
import {
	APP,
	bulkImportWorkflow,
	countBy,
	describeTargets,
	expectNoLeak,
	NODES,
	pairedIndex,
	setupEnv,
	teardownEnv,
	type E2eEnv,
	expectSuccess,
} from './fixtures';
import { nodeItems } from './n8n';

const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';
const COUNT = 1000;

describeTargets('bulk import', (info) => {
	let env: E2eEnv;
	const batchCalls = () => env.emulator.counters().requests[BATCH_CREATE] ?? 0;

	beforeAll(async () => {
		env = await setupEnv(info, {
			workflows: (cred, badCred) => [
				bulkImportWorkflow('e2eBulk1000', COUNT, '2026-11-16', cred),
				bulkImportWorkflow('e2eBulkBadCred', 5, '2026-11-17', badCred),
			],
		});
	});
	afterAll(() => teardownEnv(env));

	it(`imports ${COUNT} records in exactly ${COUNT / 50} batch calls, one paired output item per input item`, async () => {
		const r = await env.n8n.execute('e2eBulk1000');
		expectSuccess(r);
		const items = nodeItems(r.run, NODES.importFlows);
		expect(items).toHaveLength(COUNT);
		items.forEach((item, i) => {
			if (pairedIndex(item) !== i)
				throw new Error(`output item ${i} is paired with ${JSON.stringify(item.pairedItem)}`);
		});
		expect(countBy(items, (i) => String(i.json.status))).toEqual({ imported: COUNT });
		expect(batchCalls()).toBe(COUNT / 50);
		expect(env.emulator.flows()).toHaveLength(COUNT);
		expect(new Set(env.emulator.flows().map((f) => f.idempotent_id)).size).toBe(COUNT);
		expect(env.emulator.counters().tokenExchanges).toBe(1);
		expect(env.emulator.counters().rateLimited).toBe(0);
		process.stdout.write(`[e2e] t${info.target} ${COUNT} records: n8n execute ${r.ms} ms\n`);
	});

	it('the same import again: no new records, all duplicate', async () => {
		const before = batchCalls();
		const r = await env.n8n.execute('e2eBulk1000');
		expectSuccess(r);
		const items = nodeItems(r.run, NODES.importFlows);
		expect(items).toHaveLength(COUNT);
		items.forEach((item, i) => expect(pairedIndex(item)).toBe(i));
		expect(countBy(items, (i) => String(i.json.status))).toEqual({ duplicate: COUNT });
		expect(env.emulator.flows()).toHaveLength(COUNT);
		expect(batchCalls() - before).toBe(COUNT / 50);
	});

	it('wrong App Secret: the run fails with the credential message; no secret or token in the output', async () => {
		const r = await env.n8n.execute('e2eBulkBadCred');
		expect(r.status).toBe('error');
		expect(r.code).not.toBe(0);
		expect(`${r.errorMessage} ${r.errorDescription ?? ''}`).toMatch(/App Secret \(code 10014\)/);
		const output = r.stdout + r.stderr;
		expectNoLeak(output, {
			'wrong App Secret': String(env.badCred.data.appSecret),
			'App Secret': APP.appSecret,
		});
		for (const token of env.emulator.tokens().issued) expectNoLeak(output, { token });
		expect(output).not.toMatch(/\bt-[0-9a-f]{32}\b/);
		expect((await env.n8n.getCredentialData(env.badCred.id)).tenantAccessToken ?? '').toBe('');
	});
});
