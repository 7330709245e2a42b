/**
 * What an HR admin sees in the node panel (issue 16): subtitles in words, the hint against Execute Once,
 * the Timezone list, the Advanced group of Options (and saved workflows with the old option places), words.
 * Expressions (subtitle, hint condition) are evaluated by n8n-workflow's own Workflow, as the editor does.
 */
import type {
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { FeishuAttendance } from '../../nodes/FeishuAttendance/FeishuAttendance.node';
import { FeishuAttendanceTrigger } from '../../nodes/FeishuAttendanceTrigger/FeishuAttendanceTrigger.node';
import { description as deleteDescription } from '../../nodes/FeishuAttendance/actions/punchFlow/delete.operation';
import { description as importDescription } from '../../nodes/FeishuAttendance/actions/punchFlow/import.operation';
import { description as punchResultDescription } from '../../nodes/FeishuAttendance/actions/punchResult/getMany.operation';
import { description as scheduleWriteDescription } from '../../nodes/FeishuAttendance/actions/schedule/createOrUpdate.operation';
import { startEmulator, type Emulator } from '../emulator';
import { FEISHU_NODE_TYPE, HarnessNodeTypes, runNode } from '../harness';
import { emp } from '../helpers';

const FLOW_QUERY = 'POST /open-apis/attendance/v1/user_flows/query';
const BATCH_DEL = 'POST /open-apis/attendance/v1/user_flows/batch_del';
const node = new FeishuAttendance();

/** A workflow with the node as the editor builds it (parameters normalized with defaults). */
function workflowWith(parameters: INodeParameters): { workflow: Workflow; feishu: INode } {
	const feishu: INode = {
		id: '1',
		name: 'Feishu Attendance',
		type: FEISHU_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({
		nodes: [feishu],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes(),
		settings: { timezone: 'Asia/Shanghai' },
	});
	return { workflow, feishu: workflow.getNode(feishu.name) as INode };
}

const subtitleOf = (parameters: INodeParameters) => {
	const { workflow, feishu } = workflowWith(parameters);
	return workflow.expression.getSimpleParameterValue(
		feishu,
		node.description.subtitle as string,
		'internal',
		{},
	);
};

describe('canvas subtitle', () => {
	test.each([
		[{ resource: 'punchFlow', operation: 'import' }, 'Import punch records'],
		[{ resource: 'punchFlow' }, 'Import punch records'], // default operation
		[{ resource: 'punchFlow', operation: 'delete' }, 'Delete punch records'],
		[{ resource: 'punchResult', operation: 'getMany' }, 'Get many punch results'],
		[{ resource: 'approval', operation: 'create' }, 'Write leave'],
		[{ resource: 'approval', operation: 'create', approvalType: 'overtime' }, 'Write overtime'],
		[{ resource: 'approval', operation: 'create', approvalType: 'trip' }, 'Write a business trip'],
		[{ resource: 'approval', operation: 'create', approvalType: 'out' }, 'Write out of office'],
		[{ resource: 'shift', operation: 'getMany' }, 'Get many shifts'],
		[{ resource: 'customApiCall', operation: 'call' }, 'Make a custom API call'],
	])('%j → %s', (parameters, expected) => {
		expect(subtitleOf(parameters)).toBe(expected);
	});

	test('every operation of every resource has a subtitle in words, never "operation: resource"', () => {
		const selectors = node.description.properties.filter(
			(p) => p.name === 'operation' && p.type === 'options',
		);
		const pairs = selectors.flatMap((p) =>
			((p.displayOptions?.show?.resource ?? []) as string[]).flatMap((resource) =>
				(p.options as INodePropertyOptions[]).map((o) => ({
					resource,
					operation: o.value as string,
					action: o.action,
				})),
			),
		);
		expect(pairs.length).toBeGreaterThan(20);
		for (const { resource, operation, action } of pairs) {
			const subtitle = subtitleOf({ resource, operation });
			expect(subtitle).not.toContain(':');
			if (!(resource === 'approval' && operation === 'create')) expect(subtitle).toBe(action);
		}
	});

	test('an operation the node does not list falls back to "operation: resource"', () => {
		expect(subtitleOf({ resource: 'shift', operation: 'unknownOp' })).toBe('unknownOp: shift');
	});
});

describe('hint against Execute Once', () => {
	const shown = (parameters: INodeParameters, inputItems: number) => {
		const { workflow, feishu } = workflowWith(parameters);
		const [hint] = node.description.hints ?? [];
		const input: INodeExecutionData[] = Array.from({ length: inputItems }, (_, i) => ({
			json: { i },
		}));
		return {
			hint,
			display: workflow.expression.getParameterValue(
				hint.displayCondition as string,
				null,
				0,
				0,
				feishu.name,
				input,
				'manual',
				{},
			),
		};
	};

	test('shown in the output pane when a Get Many receives several items, not for one item or a custom call', () => {
		const many = shown({ resource: 'punchResult', operation: 'getMany' }, 3);
		expect(many.display).toBe(true);
		expect(many.hint.location).toBe('outputPane');
		expect(many.hint.message).toMatch(/Execute Once/);
		expect(many.hint.message).toMatch(/only the first item/);
		expect(shown({ resource: 'punchFlow', operation: 'import' }, 2).display).toBe(true);
		expect(shown({ resource: 'punchResult', operation: 'getMany' }, 1).display).toBe(false);
		expect(shown({ resource: 'customApiCall', operation: 'call' }, 3).display).toBe(false);
	});
});

const optionsOf = (properties: INodeProperties[]) =>
	properties.find((p) => p.name === 'options') as INodeProperties;
const visible = (options: INodeProperties) =>
	(options.options as INodeProperties[]).filter((o) => o.type !== 'hidden');
const advancedOf = (options: INodeProperties) => {
	const group = (options.options as INodeProperties[]).find(
		(o) => o.name === 'advanced',
	) as INodeProperties;
	expect(group.type).toBe('collection');
	return group.options as INodeProperties[];
};

describe('Options: what a user needs in view, settings few change under Advanced', () => {
	test('Punch Result Get Many: plain options sorted by name, Advanced holds pacing and Window (Days)', () => {
		const options = optionsOf(punchResultDescription);
		const names = visible(options).map((o) => o.displayName);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
		expect(names).toEqual(
			expect.arrayContaining([
				'Advanced',
				'Ignore Invalid Users',
				'Include Punch Records',
				'Timezone Name or ID',
			]),
		);
		// Simplify is a parameter of its own, after Limit (as in n8n's nodes), off unless chosen
		const simplify = punchResultDescription.find((p) => p.name === 'simplify');
		expect(simplify).toMatchObject({ displayName: 'Simplify', type: 'boolean', default: false });
		expect(punchResultDescription.map((p) => p.name).slice(-3)).toEqual([
			'limit',
			'simplify',
			'options',
		]);
		for (const hiddenAway of [
			'Requests per Second',
			'Max Concurrent Requests',
			'Max Retries',
			'Window (Days)',
		]) {
			expect(names).not.toContain(hiddenAway);
		}
		expect(advancedOf(options).map((o) => o.displayName)).toEqual([
			'Max Concurrent Requests',
			'Max Retries',
			'Requests per Second',
			'Window (Days)',
		]);
	});

	test('Delete: Batch Size (at most 10) is under Advanced', () => {
		const advanced = advancedOf(optionsOf(deleteDescription));
		expect(advanced.map((o) => o.name)).toEqual([
			'batchSize',
			'maxConcurrent',
			'maxRetries',
			'requestsPerSecond',
		]);
		expect(advanced[0].typeOptions?.maxValue).toBe(10);
	});

	test.each([
		['Import', importDescription],
		['Schedule Create or Update', scheduleWriteDescription],
	])('%s: Batch Size (at most 50) is under Advanced, and only there', (_label, description) => {
		const options = optionsOf(description);
		const advanced = advancedOf(options);
		expect(advanced.map((o) => o.name)).toEqual([
			'batchSize',
			'maxConcurrent',
			'maxRetries',
			'requestsPerSecond',
		]);
		expect(advanced[0].typeOptions?.maxValue).toBe(50);
		expect((options.options as INodeProperties[]).map((o) => o.name)).not.toContain('batchSize');
	});
});

describe('Options at work (emulator)', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerSecond: 50, maxFlowQueryDays: 30 });
	});
	afterAll(async () => {
		await emu.close();
	});
	beforeEach(() => emu.reset());

	const getMany = (options: INodeParameters): INodeParameters => ({
		resource: 'punchFlow',
		operation: 'getMany',
		employeeIds: '={{ $json.emp }}',
		from: '2026-01-01',
		to: '2026-01-30',
		returnAll: true,
		options,
	});

	test('Window (Days) under Advanced decides the windows', async () => {
		const { error } = await runNode({
			emulatorUrl: emu.url,
			parameters: getMany({ advanced: { windowDays: 10 } }),
			items: [{ emp: emp(1) }],
		});
		expect(error).toBeUndefined();
		expect(emu.counters().requests[FLOW_QUERY]).toBe(3); // 30 days in windows of 10
	});

	test('a wrong Window (Days) under Advanced is refused naming where to fix it', async () => {
		const { error } = await runNode({
			emulatorUrl: emu.url,
			parameters: getMany({ advanced: { windowDays: 0 } }),
			items: [{ emp: emp(1) }],
		});
		expect(error?.message).toBe('Window (Days) must be a whole number from 1 to 366, got 0');
		expect(emu.counters().requests[FLOW_QUERY] ?? 0).toBe(0);
	});

	test('Delete: Batch Size under Advanced decides the calls', async () => {
		const ids = emu
			.seedFlows(
				Array.from({ length: 6 }, (_, i) => ({
					user_id: emp(i + 1),
					check_time: String(Date.UTC(2026, 10, 20) / 1000 + i),
				})),
			)
			.map((flow) => flow.record_id);
		const { error } = await runNode({
			emulatorUrl: emu.url,
			parameters: {
				resource: 'punchFlow',
				operation: 'delete',
				recordIds: '={{ $json.id }}',
				options: { advanced: { batchSize: 2 } },
			},
			items: ids.map((id) => ({ id })),
		});
		expect(error).toBeUndefined();
		expect(emu.counters().requests[BATCH_DEL]).toBe(3);
		expect(emu.flows()).toHaveLength(0);
	});

	describe('Timezone', () => {
		test("a searchable list of zones, sorted, first the workflow's (the default, stored empty), loaded on demand", async () => {
			const timezone = (optionsOf(punchResultDescription).options as INodeProperties[]).find(
				(o) => o.name === 'timezone',
			);
			expect(timezone?.type).toBe('options');
			expect(timezone?.default).toBe('');
			expect(timezone?.typeOptions?.loadOptionsMethod).toBe('getTimeZones');
			const load = node.methods.loadOptions.getTimeZones;
			const values = (await load.call({} as ILoadOptionsFunctions)).map((o) => o.value as string);
			expect(values[0]).toBe('');
			expect(values.length).toBeGreaterThan(300);
			expect(values.slice(1)).toEqual([...values.slice(1)].sort());
			expect(values).toEqual(expect.arrayContaining(['Asia/Shanghai', 'Europe/Berlin', 'UTC']));
			// the list is not repeated in the description of every operation (the description of all 37 endpoints'
			// operations is about 230,000 characters; the zone list inline in each Timezone option would add over 20,000 each)
			expect(JSON.stringify(node.description)).not.toContain('Pacific/Auckland');
			expect(JSON.stringify(node.description).length).toBeLessThan(300_000);
		});

		const checkTime = Date.UTC(2026, 0, 10, 1, 30) / 1000; // 09:30 in Shanghai, 02:30 in Berlin
		test.each([
			['chosen from the list', 'Europe/Berlin', '2026-01-10T02:30:00+01:00'],
			["the workflow's (default)", '', '2026-01-10T09:30:00+08:00'],
			['a name with spaces around it', ' Asia/Tokyo ', '2026-01-10T10:30:00+09:00'],
			['an expression', '={{ "America/New_York" }}', '2026-01-09T20:30:00-05:00'],
		])('%s', async (_label, timezone, iso) => {
			emu.seedFlows([{ user_id: emp(1), check_time: String(checkTime) }]);
			const { items, error } = await runNode({
				emulatorUrl: emu.url,
				parameters: { ...getMany({ timezone }), from: '2026-01-09', to: '2026-01-11' },
				items: [{ emp: emp(1) }],
			});
			expect(error).toBeUndefined();
			expect(items).toHaveLength(1);
			expect(items[0].json.check_time_iso).toBe(iso);
		});
	});
});

test('words: the resource is "Punch Record" (value punchFlow), approvals name what they are', () => {
	const resource = node.description.properties.find((p) => p.name === 'resource');
	const options = resource?.options as INodePropertyOptions[];
	expect(options.find((o) => o.value === 'punchFlow')?.name).toBe('Punch Record');
	const names = options.map((o) => o.name).filter((name) => name !== 'Custom API Call'); // n8n lists it last
	expect(names).toEqual([...names].sort());
	const approval = node.description.properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'approval',
	);
	const actions = (approval?.options as INodePropertyOptions[])
		.map((o) => `${o.action} ${o.description}`)
		.join(' ');
	for (const word of ['leave', 'overtime', 'out of office', 'business trip'])
		expect(actions).toContain(word);
	expect(JSON.stringify(node.description.properties)).not.toMatch(/Punch Flow/);
});

/** Whether n8n shows a parameter for these values (n8n-workflow's displayParameter on the defaults, as the editor). */
function displayed(
	parameters: INodeParameters,
	name: string,
	description: INodeTypeDescription = node.description,
): INodeProperties[] {
	const values =
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			{ typeVersion: 1 },
			description,
		) ?? parameters;
	return description.properties.filter(
		(p) =>
			p.name === name && NodeHelpers.displayParameter(values, p, { typeVersion: 1 }, description),
	);
}

type Walked = { path: string; entry: INodeProperties };
function everyParameter(properties: INodeProperties[], path: string[] = []): Walked[] {
	return properties.flatMap((p) => {
		const here = [...path, p.displayName ?? p.name];
		const nested = [
			...((p.options ?? []) as INodeProperties[]),
			...(((p as unknown as { values?: INodeProperties[] }).values ?? []) as INodeProperties[]),
		];
		return [
			{ path: here.join(' → '), entry: p },
			...everyParameter(
				nested.filter((o) => typeof o === 'object' && 'name' in o),
				here,
			),
		];
	});
}

describe('what an HR admin meets in the panels (issue 23)', () => {
	const updateStatus = { resource: 'approval', operation: 'updateStatus' };

	test.each(['leave', 'out', 'overtime', 'trip'])(
		'Approval → Update Status for %s: no New Status to choose, a notice that it revokes',
		(kind) => {
			expect(displayed({ ...updateStatus, approvalKind: kind }, 'newStatus')).toHaveLength(0);
			expect(displayed({ ...updateStatus, approvalKind: kind }, 'revokeOnlyNotice')).toHaveLength(
				1,
			);
		},
	);

	test('Approval → Update Status for a remedy, or with Approval Type from an expression: Approve, Reject, Revoke', () => {
		for (const approvalKind of ['remedy', '={{ $json.type }}']) {
			const [status] = displayed({ ...updateStatus, approvalKind }, 'newStatus');
			expect((status.options as INodePropertyOptions[]).map((o) => o.name)).toEqual([
				'Approve',
				'Reject',
				'Revoke',
			]);
		}
		expect(displayed({ ...updateStatus, approvalKind: 'remedy' }, 'revokeOnlyNotice')).toHaveLength(
			0,
		);
	});

	test('Statistics → Get Columns has no Employee ID Type (no employee is named there); Get Many has one', () => {
		expect(
			displayed({ resource: 'statistics', operation: 'getColumns' }, 'employeeIdType'),
		).toHaveLength(0);
		expect(
			displayed({ resource: 'statistics', operation: 'getMany' }, 'employeeIdType'),
		).toHaveLength(1);
	});

	test('no placeholder shows an emulator ID (emp0001) or the old test texts', () => {
		const shown = everyParameter(node.description.properties)
			.filter(({ entry }) =>
				/emp\d{3}/.test(
					`${entry.placeholder ?? ''} ${entry.type === 'notice' ? entry.displayName : ''}`,
				),
			)
			.map(({ path }) => path);
		expect(shown).toEqual([]);
	});

	test.each([
		[{ resource: 'schedule', operation: 'createOrUpdate' }, 'date'],
		[{ resource: 'statistics', operation: 'getMany' }, 'from'],
		[{ resource: 'statistics', operation: 'getMany' }, 'to'],
	])(
		'%j %s is a day: a text field with a day placeholder, not a date-and-time picker',
		(parameters, name) => {
			const [field] = displayed(parameters, name);
			expect(field.type).toBe('string');
			expect(field.placeholder).toMatch(/^e\.g\. \d{4}-\d{2}-\d{2} or \{\{ \$today \}\}$/);
		},
	);

	test('Statistics → Get Columns: Month is a day field too', () => {
		const [options] = displayed({ resource: 'statistics', operation: 'getColumns' }, 'options');
		expect((options.options as INodeProperties[]).find((o) => o.name === 'month')).toMatchObject({
			type: 'string',
			placeholder: expect.stringMatching(/^e\.g\. 2026-11-01/),
		});
	});

	test('Custom API Call: the resource alone, no Operation list under it; the subtitle still says what it does', () => {
		const operations = displayed({ resource: 'customApiCall' }, 'operation');
		expect(operations.map((p) => p.type)).toEqual(['hidden']);
		expect(subtitleOf({ resource: 'customApiCall' })).toBe('Make a custom API call');
	});

	test("Import: the JSON mode in HR words; Map Columns by Name asks for the sheet's column names; a neutral location", () => {
		const [mode] = displayed({ resource: 'punchFlow', operation: 'import' }, 'inputMode');
		expect((mode.options as INodePropertyOptions[]).map((o) => o.name)).toEqual([
			'Items Are Feishu Punch Records',
			'Map Columns by Name',
			'Map Each Field',
			'Wide Rows: a Date and Several Time Columns',
		]);
		// Wide Rows asks for the employee column, the date column and the time columns, and nothing of one punch
		const wide = { resource: 'punchFlow', operation: 'import', inputMode: 'wideRows' };
		expect(
			['employeeColumn', 'dateColumn', 'timeColumns'].map((name) => displayed(wide, name).length),
		).toEqual([1, 1, 1]);
		expect(displayed(wide, 'checkTimeColumn')).toHaveLength(0);
		expect(displayed(wide, 'timeColumns')[0]).toMatchObject({
			placeholder: 'e.g. 上班1打卡时间, 下班1打卡时间, 上班2打卡时间, 下班2打卡时间',
		});
		const columns = { resource: 'punchFlow', operation: 'import', inputMode: 'columns' };
		expect(displayed(columns, 'employeeColumn')[0]).toMatchObject({
			default: '',
			placeholder: 'e.g. Employee No',
		});
		expect(displayed(columns, 'checkTimeColumn')[0]).toMatchObject({
			default: '',
			placeholder: 'e.g. Punch Time',
		});
		expect(displayed(columns, 'locationName')[0].default).toBe('Location not recorded');
	});

	test('the node list entry names every resource', () => {
		const text = node.description.description;
		for (const words of [
			/punch records/,
			/results/,
			/statistics/,
			/leave/,
			/overtime/,
			/trips/,
			/remedies/,
			/schedules/,
			/shifts/,
			/attendance groups/,
		]) {
			expect(text).toMatch(words);
		}
	});
});

describe('trigger: the canvas subtitle in words', () => {
	const trigger = new FeishuAttendanceTrigger();
	const subtitle = (events: unknown) => {
		const triggerNode: INode = {
			id: 't',
			name: 'Trigger',
			type: 'feishuAttendanceTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { events } as INodeParameters,
		};
		const workflow = new Workflow({
			nodes: [triggerNode],
			connections: {},
			active: false,
			nodeTypes: new HarnessNodeTypes({ feishuAttendanceTrigger: trigger }),
		});
		return workflow.expression.getSimpleParameterValue(
			workflow.getNode('Trigger') as INode,
			trigger.description.subtitle as string,
			'internal',
			{},
		);
	};

	test('the names of the chosen events as the Events list shows them, never the raw event codes', () => {
		expect(subtitle(['attendance.user_flow.created_v1', 'attendance.user_task.updated_v1'])).toBe(
			'Punch Recorded, Attendance Result Changed',
		);
		expect(subtitle([])).toBe('');
		expect(subtitle(['attendance.something_new_v9'])).toBe('attendance.something_new_v9');
	});
});
