/**
 * What the credential writes into n8n's state must not break n8n's own screens (issue: the first run broke
 * n8n 1.x's editor). n8n 1.123 redacts every password field for the editor with `value.startsWith('={{')`
 * (credentials.service.js `redactValues`), so a number stored under a password field makes
 * `GET /rest/credentials?includeData=true` (what the editor loads on every page) answer HTTP 500 for the
 * whole instance. Proven here through n8n's REST API as the editor calls it, in real n8n 1.x and 2.x:
 * - after a run that stored a fresh token, every stored field is text and the editor's calls answer 200;
 * - a credential saved by an earlier version (expiry stored as a number) is healed by its next run.
 * The editor suite (test/editor) opens the workflow, the panel and the Credentials page in a browser after a
 * run as well.
 */
import {
	chain,
	describeTargets,
	expectSuccess,
	feishuNode,
	setupEnv,
	teardownEnv,
	type E2eEnv,
} from './fixtures';
import { CREDENTIAL_TYPE, DEFAULT_OWNER, httpJson, nodeItems, type CredentialImport } from './n8n';

const LEGACY_ID = 'feishuLegacy01';

/** The editor's calls: the credential list with data (every page load), and one credential opened. */
async function editorCalls(env: E2eEnv, ids: string[]) {
	const url = await env.n8n.start();
	try {
		await env.n8n.setupOwner(DEFAULT_OWNER);
		const cookie = await env.n8n.login(DEFAULT_OWNER);
		const list = await httpJson(
			'GET',
			`${url}/rest/credentials?includeScopes=true&includeData=true`,
			undefined,
			{ cookie },
		);
		const opened: Record<string, number> = {};
		for (const id of ids) {
			opened[id] = (
				await httpJson('GET', `${url}/rest/credentials/${id}?includeData=true`, undefined, {
					cookie,
				})
			).status;
		}
		const names = Array.isArray(list.body?.data)
			? list.body.data.map((c: { id: string }) => c.id)
			: [];
		return {
			listStatus: list.status,
			listError: list.status === 200 ? undefined : JSON.stringify(list.body),
			names,
			opened,
		};
	} finally {
		await env.n8n.stop();
	}
}

/** Every stored value of the credential has the type its declaration implies: text (password, string, hidden). */
function nonText(data: Record<string, unknown>): string[] {
	return Object.entries(data)
		.filter(([, v]) => typeof v !== 'string')
		.map(([k, v]) => `${k}: ${typeof v}`);
}

describeTargets('credential state in n8n (editor data)', (info) => {
	let env: E2eEnv;
	let legacy: CredentialImport;

	beforeAll(async () => {
		env = await setupEnv(info, {
			workflows: (cred) => {
				legacy = {
					...cred,
					id: LEGACY_ID,
					name: 'Feishu Attendance (saved by an earlier version)',
				};
				const getResults = (c: { id: string; name: string }) =>
					feishuNode('Feishu Attendance', 'punchResultGetMany', c, {
						employeeIds: 'NO0001',
						from: '2026-11-20',
						to: '2026-11-20',
					});
				return [
					chain('e2eStateRun', 'stores a token', [getResults(cred)]),
					chain('e2eStateLegacy', 'legacy credential', [getResults(legacy)]),
				];
			},
		});
	}, 300_000);
	afterAll(() => teardownEnv(env));

	it('after a run that stored a token: every field is text, the editor loads the credential list and opens the credential', async () => {
		const r = await env.n8n.execute('e2eStateRun');
		expectSuccess(r);
		expect(nodeItems(r.run, 'Feishu Attendance')).toHaveLength(1);
		const stored = await env.n8n.getCredentialData(env.cred.id);
		expect(stored.tenantAccessToken).toBe(env.emulator.tokens().issued[0]);
		expect(Number(stored.tenantAccessTokenExpiresAt)).toBeGreaterThan(Date.now() + 7000_000);
		expect(nonText(stored)).toEqual([]);

		const calls = await editorCalls(env, [env.cred.id]);
		expect(calls).toMatchObject({ listStatus: 200, opened: { [env.cred.id]: 200 } });
		expect(calls.names).toContain(env.cred.id);
	});

	it('a credential saved by an earlier version (expiry stored as a number) is healed by its next run', async () => {
		// what versions before the fix stored: a valid token and its expiry as a number under a password field
		const token = env.emulator.tokens().issued.at(-1)!;
		await env.n8n.importCredentials([
			{
				...legacy,
				type: CREDENTIAL_TYPE,
				data: {
					...legacy.data,
					tenantAccessToken: token,
					tenantAccessTokenExpiresAt: Date.now() + 7000_000,
				},
			},
		]);
		const before = await editorCalls(env, []);
		if (info.target === 1) {
			// the break this test guards against, as n8n 1.123 shows it: the whole credential list fails
			expect(before.listStatus).toBe(500);
			expect(before.listError).toMatch(/startsWith is not a function/);
		} else {
			expect(before.listStatus).toBe(200);
		}

		const exchanges = env.emulator.counters().tokenExchanges;
		const r = await env.n8n.execute('e2eStateLegacy');
		expectSuccess(r);
		expect(env.emulator.counters().tokenRejections).toBe(0);
		// the number is seen as "rewrite me": one exchange, and the credential is stored again as text
		expect(env.emulator.counters().tokenExchanges).toBe(exchanges + 1);
		const healed = await env.n8n.getCredentialData(LEGACY_ID);
		expect(nonText(healed)).toEqual([]);

		const after = await editorCalls(env, [LEGACY_ID, env.cred.id]);
		expect(after).toMatchObject({
			listStatus: 200,
			opened: { [LEGACY_ID]: 200, [env.cred.id]: 200 },
		});
		expect(after.names).toEqual(expect.arrayContaining([LEGACY_ID, env.cred.id]));
	});
});
