/**
 * The tenant token expires while a run is going on: the run renews it before it expires (one call fetches the new
 * token while the others keep using the current one), and when Feishu refuses a token anyway (HTTP 400 + 99991663,
 * on which n8n itself never refreshes) it is refreshed once for every call in flight. The run succeeds and the
 * token n8n stores in its credential afterwards is the newest one.
 */
import {
	bulkImportWorkflow,
	countBy,
	describeTargets,
	NODES,
	setupEnv,
	teardownEnv,
	type E2eEnv,
	expectSuccess,
} from './fixtures';
import { delay, nodeItems } from './n8n';

const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';
const COUNT = 1000;

describeTargets('token expiry', (info) => {
	describe('natural expiry (TTL 2 s; 20 batch calls, 2 at a time, 300 ms each: the run outlives its first token)', () => {
		let env: E2eEnv;
		const ttlSeconds = 2;
		beforeAll(async () => {
			env = await setupEnv(info, {
				emulator: { tokenTtlSeconds: ttlSeconds, latencyMs: 300 },
				workflows: (cred) => [
					bulkImportWorkflow('e2eTtl', COUNT, '2026-11-18', cred, {
						nodeOptions: { advanced: { maxConcurrent: 2 } },
					}),
				],
			});
		});
		afterAll(() => teardownEnv(env));

		it('the run outlives its token: renewed before it expired, no call refused for it, the newest token is stored', async () => {
			const r = await env.n8n.execute('e2eTtl');
			expectSuccess(r);
			const items = nodeItems(r.run, NODES.importFlows);
			expect(countBy(items, (i) => String(i.json.status))).toEqual({ imported: COUNT });
			expect(env.emulator.flows()).toHaveLength(COUNT);

			const { issued } = env.emulator.tokens();
			const counters = env.emulator.counters();
			// ~3 s of calls > 2 s TTL: the first token would have expired while the run was busy; it was renewed
			// before, so no call was refused for it and each of the 20 batches went once
			expect(issued.length).toBeGreaterThanOrEqual(2);
			expect(counters.tokenRejections).toBe(0);
			expect(counters.requests[BATCH_CREATE]).toBe(COUNT / 50);
			// every exchange produced a new token: nobody refreshed a token that was still fresh
			// (the emulator hands out the same token while >= ttl/4 of it is left)
			expect(counters.tokenExchanges).toBe(issued.length);
			// at most one refresh per elapsed TTL
			expect(issued.length - 1).toBeLessThanOrEqual(Math.ceil(r.ms / (ttlSeconds * 1000)));
			const stored = await env.n8n.getCredentialData(env.cred.id);
			expect(stored.tenantAccessToken).toBe(issued[issued.length - 1]);
			process.stdout.write(
				`[e2e] t${info.target} TTL run: ${r.ms} ms, ${issued.length} tokens, ${counters.tokenRejections} rejections\n`,
			);
		});
	});

	describe('forced expiry (the emulator invalidates every token at a known point)', () => {
		let env: E2eEnv;
		beforeAll(async () => {
			env = await setupEnv(info, {
				emulator: { latencyMs: 150 },
				workflows: (cred) => [
					bulkImportWorkflow('e2eExpire', COUNT, '2026-11-19', cred),
					bulkImportWorkflow('e2eExpire2', 100, '2026-11-13', cred),
				],
			});
		});
		afterAll(() => teardownEnv(env));

		it('mid-run with up to 20 calls in flight: exactly one refresh, the run succeeds, the new token is stored', async () => {
			const running = env.n8n.execute('e2eExpire');
			let done = false;
			void running.finally(() => (done = true));
			let expiredAt: number | undefined;
			while (!done && expiredAt === undefined) {
				const calls = env.emulator.counters().requests[BATCH_CREATE] ?? 0;
				if (calls >= 5) {
					env.emulator.expireTokens();
					expiredAt = calls;
				}
				await delay(5);
			}
			const r = await running;
			expect(expiredAt).toBeDefined();
			expectSuccess(r);
			expect(countBy(nodeItems(r.run, NODES.importFlows), (i) => String(i.json.status))).toEqual({
				imported: COUNT,
			});
			expect(env.emulator.flows()).toHaveLength(COUNT);
			const { issued } = env.emulator.tokens();
			const counters = env.emulator.counters();
			expect(issued).toHaveLength(2); // first token + one refresh
			expect(counters.tokenExchanges).toBe(2);
			expect(counters.tokenRejections).toBeGreaterThanOrEqual(1);
			expect(counters.requests[BATCH_CREATE] - counters.tokenRejections).toBe(COUNT / 50);
			expect((await env.n8n.getCredentialData(env.cred.id)).tenantAccessToken).toBe(issued[1]);
		});

		it('stored token expired between runs: the next run refreshes once and stores the new token', async () => {
			env.emulator.expireTokens();
			const before = env.emulator.counters();
			const r = await env.n8n.execute('e2eExpire2');
			expectSuccess(r);
			const after = env.emulator.counters();
			expect(after.tokenExchanges - before.tokenExchanges).toBe(1);
			// Feishu refused the token before the time the credential stored for it: the calls sent before the
			// refresh (2 batches here) are refused once each and resent
			expect(after.tokenRejections - before.tokenRejections).toBeGreaterThanOrEqual(1);
			expect(after.tokenRejections - before.tokenRejections).toBeLessThanOrEqual(2);
			const { issued } = env.emulator.tokens();
			expect(issued).toHaveLength(3);
			expect((await env.n8n.getCredentialData(env.cred.id)).tenantAccessToken).toBe(issued[2]);
		});

		it('a token the credential knows has expired is replaced with the first call: no call is refused', async () => {
			const stored = await env.n8n.getCredentialData(env.cred.id);
			// n8n stored the expiry preAuthentication returned with the token (Feishu's `expire`: 7,200 s here)
			expect(Number(stored.tenantAccessTokenExpiresAt)).toBeGreaterThan(Date.now() + 7000_000);
			// two hours later: Feishu no longer accepts the token, and the credential's expiry has passed
			env.emulator.expireTokens();
			await env.n8n.importCredentials([
				{ ...env.cred, data: { ...stored, tenantAccessTokenExpiresAt: Date.now() - 1000 } },
			]);
			const before = env.emulator.counters();
			const r = await env.n8n.execute('e2eExpire2');
			expectSuccess(r);
			const after = env.emulator.counters();
			expect(after.tokenExchanges - before.tokenExchanges).toBe(1);
			expect(after.tokenRejections - before.tokenRejections).toBe(0);
			expect(after.requests[BATCH_CREATE] - before.requests[BATCH_CREATE]).toBe(2); // 100 records, 2 batches
			const { issued } = env.emulator.tokens();
			const now = await env.n8n.getCredentialData(env.cred.id);
			expect(now.tenantAccessToken).toBe(issued[issued.length - 1]);
			expect(Number(now.tenantAccessTokenExpiresAt)).toBeGreaterThan(Date.now() + 7000_000);
		});
	});
});
