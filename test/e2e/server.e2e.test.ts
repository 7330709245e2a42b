/**
 * The demo path: `n8n start` with the package installed, owner set up over the REST API, the node and
 * credential types listed by the editor, the imported examples visible to the owner, and the
 * credential's "Test" button (POST /rest/credentials/test) against the emulator.
 */
import {
	describeTargets,
	EXAMPLES,
	exampleWorkflow,
	setupEnv,
	teardownEnv,
	type E2eEnv,
	APP,
} from './fixtures';
import { DEFAULT_OWNER, httpJson, NODE_TYPE, TRIGGER_NODE_TYPE, CREDENTIAL_TYPE } from './n8n';

describeTargets('n8n start (demo path)', (info) => {
	let env: E2eEnv;
	let cookie: string;

	beforeAll(async () => {
		env = await setupEnv(info, {
			workflows: (cred) => Object.values(EXAMPLES).map((file) => exampleWorkflow(file, cred)),
		});
		await env.n8n.start();
	});
	afterAll(() => teardownEnv(env));

	it('sets up the owner on first start, then logs in', async () => {
		const setup = await env.n8n.setupOwner();
		expect(setup.alreadySetUp).toBe(false);
		expect((await env.n8n.setupOwner()).alreadySetUp).toBe(true);
		cookie = await env.n8n.login(DEFAULT_OWNER);
		expect(cookie).toMatch(/n8n-auth=/);
	});

	it('lists the node, trigger and credential types of the package', async () => {
		const nodes = await httpJson('GET', `${env.n8n.url}/types/nodes.json`, undefined, { cookie });
		const names = (nodes.body as Array<{ name: string }>).map((n) => n.name);
		expect(names).toEqual(expect.arrayContaining([NODE_TYPE, TRIGGER_NODE_TYPE]));
		const creds = await httpJson('GET', `${env.n8n.url}/types/credentials.json`, undefined, {
			cookie,
		});
		expect((creds.body as Array<{ name: string }>).map((c) => c.name)).toContain(CREDENTIAL_TYPE);
	});

	it('shows the imported examples and the credential to the owner', async () => {
		const wfs = await httpJson('GET', `${env.n8n.url}/rest/workflows`, undefined, { cookie });
		expect(wfs.status).toBe(200);
		expect(wfs.body.data).toHaveLength(Object.keys(EXAMPLES).length);
		const creds = await httpJson('GET', `${env.n8n.url}/rest/credentials`, undefined, { cookie });
		expect(creds.body.data.map((c: { type: string }) => c.type)).toContain(CREDENTIAL_TYPE);
	});

	it('credential test button: OK with the right secret, the 10014 message with a wrong one', async () => {
		const test = (appSecret: string) =>
			httpJson(
				'POST',
				`${env.n8n.url}/rest/credentials/test`,
				{ credentials: { ...env.cred, data: { ...env.cred.data, appSecret } } },
				{ cookie },
			);
		const ok = await test(APP.appSecret);
		expect(ok.body.data).toMatchObject({ status: 'OK' });
		const bad = await test('wrong-secret');
		expect(bad.body.data.status).toBe('Error');
		expect(bad.body.data.message).toMatch(/App Secret \(code 10014\)/);
		expect(JSON.stringify(bad.body)).not.toContain('wrong-secret');
	});
});
