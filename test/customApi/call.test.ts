/**
 * Custom API Call through n8n's engine against the emulator: any path below /open-apis/ with method, query
 * and JSON body, one item per input item with Feishu's data; the same transport as every operation (token
 * refresh on 99991663, 429, retries of reads and of writes marked idempotent only, mapped errors); never a
 * host other than the credential's, never the token endpoints.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FeishuAttendance } from '../../nodes/FeishuAttendance/FeishuAttendance.node';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { createStore, recordHttp, runNode } from '../harness';
import type { CredentialStore } from '../harness';
import { recordClientRequests } from '../helpers';
import { skipDefinitionsForThisTest } from '../emulator/definitions';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 50, today: '2025-01-10' });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.configure({ rateLimitPerSecond: 50 });
});

const sent = recordClientRequests();
const ATT = '/open-apis/attendance/v1';
const shanghai = (isoDate: string, time: string) =>
	String(Date.parse(`${isoDate}T${time}+08:00`) / 1000);

async function call(
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
	opts: { continueOnFail?: boolean; store?: CredentialStore } = {},
) {
	return await runNode({
		emulatorUrl: emu.url,
		store: opts.store,
		parameters: { resource: 'customApiCall', operation: 'call', ...parameters },
		items,
		continueOnFail: opts.continueOnFail,
	});
}

const query = (pairs: Array<[string, string]>) => ({
	parameters: pairs.map(([name, value]) => ({ name, value })),
});

test('GET per item: path and query from expressions, one item per input item with Feishu data, paired', async () => {
	const flows = emu.seedFlows([
		{ user_id: 'emp0001', check_time: shanghai('2025-01-06', '08:55:00') },
		{ user_id: 'emp0002', check_time: shanghai('2025-01-06', '09:20:00') },
	]);
	const recorder = recordHttp();
	let run;
	try {
		run = await call(
			{
				method: 'GET',
				path: '={{ "/open-apis/attendance/v1/user_flows/" + $json.record_id }}',
				queryParameters: query([['employee_type', '={{ $json.type }}']]),
			},
			[
				{ record_id: flows[1].record_id, type: 'employee_no' },
				{ record_id: flows[0].record_id, type: 'employee_id' },
			],
		);
	} finally {
		recorder.stop();
	}
	expect(run.error).toBeUndefined();
	expect(run.items.map((i) => i.json)).toEqual([
		expect.objectContaining({
			record_id: flows[1].record_id,
			user_id: 'NO0002',
			check_time: flows[1].check_time,
		}),
		expect.objectContaining({
			record_id: flows[0].record_id,
			user_id: 'emp0001',
			check_time: flows[0].check_time,
		}),
	]);
	expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	// only the emulator's host, only the paths asked for (plus the token exchange)
	const host = new URL(emu.url).host;
	expect(new Set(recorder.requests.map((r) => r.host))).toEqual(new Set([host]));
	expect(
		recorder.requests
			.filter((r) => r.method === 'GET')
			.map((r) => r.path)
			.sort(),
	).toEqual(
		[
			`${ATT}/user_flows/${flows[0].record_id}?employee_type=employee_id`,
			`${ATT}/user_flows/${flows[1].record_id}?employee_type=employee_no`,
		].sort(),
	);
});

test('POST with a JSON body and a path written without /open-apis/: Feishu data out; a name given twice is sent twice', async () => {
	// Custom API Call sends what the user wrote, undefined names included (test/emulator/definitions.ts)
	skipDefinitionsForThisTest();
	emu.seedFlows([{ user_id: 'emp0003', check_time: shanghai('2025-01-07', '08:40:00') }]);
	const recorder = recordHttp();
	let run;
	try {
		run = await call({
			method: 'POST',
			path: 'attendance/v1/user_tasks/query',
			queryParameters: query([
				['employee_type', 'employee_id'],
				['ignore_invalid_users', 'true'],
				['x_list', 'a'],
				['x_list', 'b'],
			]),
			body: JSON.stringify({
				user_ids: ['emp0003', 'nobody'],
				check_date_from: 20250107,
				check_date_to: 20250107,
			}),
		});
	} finally {
		recorder.stop();
	}
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(1);
	const data = run.items[0].json as IDataObject;
	expect(data.invalid_user_ids).toEqual(['nobody']);
	expect((data.user_task_results as IDataObject[]).map((r) => [r.user_id, r.day])).toEqual([
		['emp0003', 20250107],
	]);
	const post = recorder.requests.find(
		(r) => r.method === 'POST' && r.path.startsWith(`${ATT}/user_tasks/query`),
	)!;
	expect(post.path).toBe(
		`${ATT}/user_tasks/query?employee_type=employee_id&ignore_invalid_users=true&x_list=a&x_list=b`,
	);
});

test('an expired tenant token is refreshed once and the call resent (what the HTTP Request node cannot do)', async () => {
	const store = createStore();
	expect(
		(
			await call(
				{
					method: 'GET',
					path: `${ATT}/user_flows/none`,
					queryParameters: query([['employee_type', 'employee_id']]),
				},
				[{}],
				{ store, continueOnFail: true },
			)
		).error,
	).toBeUndefined();
	emu.expireTokens();
	emu.seedFlows([{ user_id: 'emp0004', check_time: shanghai('2025-01-08', '09:00:00') }]);
	const [flow] = emu.flows();
	const run = await call(
		{
			method: 'GET',
			path: `${ATT}/user_flows/${flow.record_id}`,
			queryParameters: query([['employee_type', 'employee_id']]),
		},
		[{}, {}, {}],
		{ store },
	);
	expect(run.error).toBeUndefined();
	expect(run.items.map((i) => i.json.record_id)).toEqual([
		flow.record_id,
		flow.record_id,
		flow.record_id,
	]);
	expect(emu.counters().tokenExchanges).toBe(2);
	expect(emu.counters().tokenRejections).toBeGreaterThanOrEqual(1);
});

test('429: waits as told by x-ogw-ratelimit-reset and every item gets its answer', async () => {
	emu.configure({ rateLimitPerSecond: 3 });
	const [flow] = emu.seedFlows([
		{ user_id: 'emp0005', check_time: shanghai('2025-01-08', '09:00:00') },
	]);
	const run = await call(
		{
			method: 'GET',
			path: `${ATT}/user_flows/${flow.record_id}`,
			queryParameters: query([['employee_type', 'employee_id']]),
			options: { advanced: { requestsPerSecond: 50 } },
		},
		Array.from({ length: 8 }, () => ({})),
	);
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(8);
	expect(emu.counters().rateLimited).toBeGreaterThan(0);
}, 30000);

describe('retries: reads and deletes always, writes only when marked idempotent', () => {
	const record = (externalId: string) => ({
		user_id: 'emp0006',
		creator_id: 'emp0006',
		location_name: 'Gate A',
		check_time: shanghai('2025-01-08', '08:50:00'),
		comment: 'custom call',
		external_id: externalId,
	});
	const write = (idempotentWrite?: boolean) => ({
		method: 'POST',
		path: `${ATT}/user_flows/batch_create`,
		queryParameters: query([['employee_type', 'employee_id']]),
		body: JSON.stringify({ flow_records: [record('ext-1')] }),
		...(idempotentWrite === undefined ? {} : { idempotentWrite }),
	});
	const writes = () => emu.counters().requests[`POST ${ATT}/user_flows/batch_create`] ?? 0;

	test('GET after a 500: retried and answered', async () => {
		const [flow] = emu.seedFlows([
			{ user_id: 'emp0007', check_time: shanghai('2025-01-08', '09:00:00') },
		]);
		emu.injectFault({ kind: 'http500', endpoint: '/user_flows/', times: 1 });
		const run = await call({
			method: 'GET',
			path: `${ATT}/user_flows/${flow.record_id}`,
			queryParameters: query([['employee_type', 'employee_id']]),
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.record_id).toBe(flow.record_id);
		expect(emu.counters().requests[`GET ${ATT}/user_flows/:id`]).toBe(2);
	});

	test('DELETE is handed to the transport as repeatable, a POST only with Idempotent Write', async () => {
		sent.length = 0;
		await call({ method: 'DELETE', path: `${ATT}/some_resource/123` }, [{}], {
			continueOnFail: true,
		});
		await call({ method: 'POST', path: `${ATT}/some_resource`, body: '{}' }, [{}], {
			continueOnFail: true,
		});
		await call(
			{ method: 'PUT', path: `${ATT}/some_resource/1`, body: '{}', idempotentWrite: true },
			[{}],
			{ continueOnFail: true },
		);
		expect(sent.map((r) => [r.method, r.repeatable])).toEqual([
			['DELETE', true],
			['POST', false],
			['PUT', true],
		]);
	});

	test('POST without Idempotent Write after a 500: not repeated, the item says why', async () => {
		emu.injectFault({ kind: 'http500', endpoint: '/user_flows/batch_create', times: 1 });
		const run = await call(write(), [{}], { continueOnFail: true });
		expect(writes()).toBe(1);
		expect(run.items[0].json.errorDescription).toMatch(
			/not repeated automatically because it is not safe to send twice/,
		);
		expect(emu.flows()).toHaveLength(0);
	});

	test('POST with Idempotent Write after a 500: retried and written once', async () => {
		emu.injectFault({ kind: 'http500', endpoint: '/user_flows/batch_create', times: 1 });
		const run = await call(write(true));
		expect(run.error).toBeUndefined();
		expect(writes()).toBe(2);
		expect(emu.flows().map((f) => f.external_id)).toEqual(['ext-1']);
		expect((run.items[0].json.flow_records as IDataObject[])[0]).toMatchObject({
			external_id: 'ext-1',
		});
	});
});

test('Feishu errors carry code, msg, log ID, hint and the path; without Continue On Fail the node stops', async () => {
	// Custom API Call sends what the user wrote, undefined names included (test/emulator/definitions.ts)
	skipDefinitionsForThisTest();
	const bad = {
		method: 'POST',
		path: `${ATT}/user_tasks/query`,
		queryParameters: query([['employee_type', 'employee_id']]),
		body: '{"user_ids": []}',
	};
	const soft = await call(bad, [{}], { continueOnFail: true });
	expect(soft.items[0].json.error).toBe('Feishu error 1220001: user_ids is required');
	expect(soft.items[0].json.errorDescription).toMatch(/Feishu rejected a parameter/);
	expect(soft.items[0].json.errorDescription).toMatch(
		/HTTP 400, log ID \w+; POST \/open-apis\/attendance\/v1\/user_tasks\/query/,
	);
	const hard = await call(bad);
	expect(hard.error?.message).toBe('Feishu error 1220001: user_ids is required');
});

describe('paths and input', () => {
	test.each([
		['https://evil.example.com/open-apis/attendance/v1/groups', /not a URL/],
		['//evil.example.com/open-apis/attendance/v1/groups', /not a URL/],
		['/open-apis/attendance/v1/../../../admin', /not a path below \/open-apis\//],
		['/open-apis/attendance/v1/%2e%2e/x', /not a path below \/open-apis\//],
		['/open-apis/auth/v3/tenant_access_token/internal', /authentication endpoints/],
		['/open-apis/%61uth/v3/tenant_access_token/internal', /authentication endpoints/],
		['/open-apis/AUTH/v3/tenant_access_token/internal', /authentication endpoints/],
		['/open-apis/attendance/v1/%E0%A4%A', /malformed percent-encoding/],
		['/open-apis/attendance/v1/groups?page_size=10', /query string/],
		['  ', /Path is empty/],
	])('%s is refused before anything is sent', async (path, message) => {
		const recorder = recordHttp();
		let run;
		try {
			run = await call({ method: 'GET', path }, [{}], { continueOnFail: true });
		} finally {
			recorder.stop();
		}
		expect(run.items).toHaveLength(1);
		expect(String(run.items[0].json.error)).toMatch(message);
		expect(String(run.items[0].json.error)).toMatch(/\[item 0\]$/);
		expect(recorder.requests).toEqual([]);
	});

	test('a bad item stops the node before any call; with Continue On Fail the other items run', async () => {
		const [flow] = emu.seedFlows([
			{ user_id: 'emp0008', check_time: shanghai('2025-01-08', '09:00:00') },
		]);
		const params = {
			method: 'POST',
			path: `${ATT}/user_flows/query`,
			queryParameters: query([['employee_type', 'employee_id']]),
			body: '={{ $json.body }}',
		};
		const body = JSON.stringify({
			user_ids: ['emp0008'],
			check_time_from: flow.check_time,
			check_time_to: flow.check_time,
		});
		const items = [{ body }, { body: '{"user_ids": [' }, { body: '[1, 2]' }];
		const hard = await call(params, items);
		expect(hard.error?.message).toMatch(/^Body \(JSON\) is not valid JSON: .* \[item 1\]$/);
		expect(emu.counters().requests[`POST ${ATT}/user_flows/query`] ?? 0).toBe(0);

		const soft = await call(params, items, { continueOnFail: true });
		expect(soft.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect((soft.items[0].json.user_flow_results as IDataObject[]).map((f) => f.record_id)).toEqual(
			[flow.record_id],
		);
		expect(soft.items[1].json.error).toMatch(/not valid JSON/);
		expect(soft.items[2].json.error).toMatch(/must be a JSON object/);
	});

	test('a path to another Open Platform API (contact) goes to the same host with the same token', async () => {
		const run = await call({
			method: 'POST',
			path: '/open-apis/contact/v3/users/batch_get_id',
			queryParameters: query([['user_id_type', 'user_id']]),
			body: JSON.stringify({ emails: ['emp0009@example.com'] }),
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.user_list).toEqual([
			expect.objectContaining({ email: 'emp0009@example.com', user_id: 'emp0009' }),
		]);
	});
});

test("one 'Custom API Call': a resource without a second list of that name under it, and no n8n shortcut beside it", () => {
	// n8n 1.123 / 2.41 (LoadNodesAndCredentials.injectCustomApiCallOptions) append { name: 'Custom API Call',
	// value: '__CUSTOM_API_CALL__' } to every Resource / Operation list whose last entry has another name.
	const { properties } = new FeishuAttendance().description;
	const resource = properties.find((p) => p.name === 'resource')!;
	const options = resource.options as Array<{ name: string; value: string }>;
	expect(options.at(-1)).toMatchObject({ name: 'Custom API Call', value: 'customApiCall' });
	expect(options.filter((o) => o.name === 'Custom API Call')).toHaveLength(1);
	// its one operation is hidden: the panel shows no Operation "Custom API Call", n8n has no list to append to
	const operations = properties.filter(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('customApiCall'),
	);
	expect(operations).toEqual([expect.objectContaining({ type: 'hidden', default: 'call' })]);
	expect(operations[0].options).toBeUndefined();
});
