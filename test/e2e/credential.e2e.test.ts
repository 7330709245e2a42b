/**
 * The credential in real n8n, independent of the node's operations: n8n's HTTP Request node with
 * "Predefined Credential Type" = feishuAttendanceApi drives preAuthentication, the generic Bearer
 * header and the storage of the token in n8n's credential table. Also proves the package loads as a
 * community package (the Feishu node type is known to n8n).
 */
import {
	chain,
	describeTargets,
	feishuNode,
	expectNoLeak,
	setupEnv,
	teardownEnv,
	type E2eEnv,
	APP,
	expectSuccess,
} from './fixtures';
import { CREDENTIAL_TYPE, nodeItems, type CredentialImport } from './n8n';

function httpQueryNode(baseUrl: string, cred: CredentialImport): Record<string, any> {
	return {
		id: 'e2e-http-0001',
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [0, 0],
		parameters: {
			method: 'POST',
			url: `${baseUrl}/open-apis/attendance/v1/user_flows/query`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: CREDENTIAL_TYPE,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'employee_type', value: 'employee_id' }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: JSON.stringify({
				user_ids: ['emp0001'],
				check_time_from: '1795132800',
				check_time_to: '1795219199',
			}),
			options: {},
		},
		credentials: { [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } },
	};
}

describeTargets('credential feishuAttendanceApi', (info) => {
	let env: E2eEnv;

	beforeAll(async () => {
		env = await setupEnv(info, {
			workflows: (cred, badCred) => {
				// the emulator URL is only known once it runs; setupEnv passes credentials that carry it
				const baseUrl = String(cred.data.baseUrl);
				return [
					chain('e2eCredHttp', 'credential via HTTP Request', [httpQueryNode(baseUrl, cred)]),
					chain('e2eCredBad', 'wrong secret via HTTP Request', [httpQueryNode(baseUrl, badCred)]),
					chain('e2eNodeType', 'node type is known', [
						feishuNode('Feishu Attendance', 'punchResultGetMany', cred, {
							employeeIds: 'NO0001',
							from: '2026-11-20',
							to: '2026-11-20',
						}),
					]),
				];
			},
		});
	});
	afterAll(() => teardownEnv(env));

	it('exchanges App ID/Secret once, sends the Bearer token and stores it in n8n', async () => {
		const r = await env.n8n.execute('e2eCredHttp');
		expectSuccess(r);
		expect(r.code).toBe(0);
		const [item] = nodeItems(r.run, 'HTTP Request');
		expect(item.json.code).toBe(0);
		expect(env.emulator.counters().tokenExchanges).toBe(1);
		const stored = await env.n8n.getCredentialData(env.cred.id);
		expect(stored.tenantAccessToken).toBe(env.emulator.tokens().issued[0]);
		expect(stored.appSecret).toBe(APP.appSecret);
	});

	it('reuses the stored token in the next execution (no new exchange)', async () => {
		const r = await env.n8n.execute('e2eCredHttp');
		expectSuccess(r);
		expect(env.emulator.counters().tokenExchanges).toBe(1);
		expect(env.emulator.counters().tokenRejections).toBe(0);
	});

	it('wrong App Secret: the run fails with the credential message and leaks neither secret nor token', async () => {
		const r = await env.n8n.execute('e2eCredBad');
		expect(r.status).toBe('error');
		expect(r.code).not.toBe(0);
		expect(`${r.errorMessage} ${r.errorDescription ?? ''}`).toMatch(/App Secret \(code 10014\)/);
		const output = r.stdout + r.stderr;
		expectNoLeak(output, {
			'App Secret': String(env.badCred.data.appSecret),
			'good App Secret': APP.appSecret,
		});
		for (const token of env.emulator.tokens().issued) expectNoLeak(output, { token });
		const stored = await env.n8n.getCredentialData(env.badCred.id);
		expect(stored.tenantAccessToken ?? '').toBe('');
	});

	it('the Feishu node (community package type) runs with the stored token', async () => {
		const r = await env.n8n.execute('e2eNodeType');
		expect(r.stdout + r.stderr).not.toMatch(/Unrecognized node type|Failed to load package/);
		expectSuccess(r);
		expect(nodeItems(r.run, 'Feishu Attendance')[0].json).toMatchObject({
			status: 'ok',
			employee_id: 'NO0001',
			date_iso: '2026-11-20',
		});
		expect(env.emulator.counters().tokenExchanges).toBe(1);
	});
});
