/**
 * The node as an AI agent's tool (issue 23): n8n 1.123 and 2.x run a usableAsTool node as the node type
 * "<name>Tool" (LoadNodesAndCredentials.convertNodeToAiTool appends "Tool" to the description's name), and
 * n8n-workflow's '@tool' display condition is true exactly for such a description. Here the node runs under that
 * name through n8n's engine against the emulator; the agent gets a compact output by default, the full output
 * one option away, and a workflow (not a tool) gets the full output as before.
 */
import type { IDataObject, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { FeishuAttendance } from '../../nodes/FeishuAttendance/FeishuAttendance.node';
import { DEVICE_FIELDS } from '../../nodes/FeishuAttendance/helpers/toolOutput';
import { startEmulator, type Emulator } from '../emulator';
import { FEISHU_NODE_TYPE, runWorkflow } from '../harness';
import { emp } from '../helpers';

const TOOL_TYPE = `${FEISHU_NODE_TYPE}Tool`;

/** The node as n8n's convertNodeToAiTool presents it (name + "Tool"); outputs stay main so the harness can chain it. */
function asTool(): INodeType {
	const node = new FeishuAttendance();
	const description: INodeTypeDescription = {
		...node.description,
		name: `${node.description.name}Tool`,
		displayName: `${node.description.displayName} Tool`,
	};
	return Object.assign(Object.create(node) as INodeType, { description });
}

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerSecond: 50 });
});
afterAll(async () => await emu.close());
beforeEach(() => emu.reset());

const at0855 = String(Date.UTC(2026, 10, 20, 0, 55) / 1000);
const getMany = {
	resource: 'punchFlow',
	operation: 'getMany',
	employeeIds: emp(1),
	from: '2026-11-20',
	to: '2026-11-20',
	returnAll: true,
};

async function punches(type: string, parameters: IDataObject = {}) {
	emu.seedFlows([
		{
			user_id: emp(1),
			check_time: at0855,
			location_name: 'Gate 1',
			ssid: 'office-5G',
			bssid: 'b0:b8:67:5c:1d:72',
			is_wifi: true,
			photo_urls: ['https://example.com/p.jpg'],
		},
	]);
	const run = await runWorkflow({
		emulatorUrl: emu.url,
		items: [{}],
		nodeTypes: type === TOOL_TYPE ? { [TOOL_TYPE]: asTool() } : {},
		nodes: [{ type, name: 'Feishu Attendance', parameters: { ...getMany, ...parameters } }],
	});
	expect(run.error).toBeUndefined();
	return run.outputs['Feishu Attendance'].map((i) => i.json);
}

const deviceFieldsIn = (json: IDataObject) =>
	Object.keys(json).filter((key) => DEVICE_FIELDS.has(key));

test('as a tool, by default: the punch without Wi-Fi name, BSSID or photo links; who, when and where are kept', async () => {
	const [punch] = await punches(TOOL_TYPE);
	expect(punch).toMatchObject({
		user_id: emp(1),
		check_time: at0855,
		location_name: 'Gate 1',
		is_wifi: true,
	});
	expect(punch.check_time_iso).toBe('2026-11-20T08:55:00+08:00');
	expect(deviceFieldsIn(punch)).toEqual([]);
});

test('as a tool with Output for the Agent = Full, and in a workflow: everything, as before', async () => {
	for (const json of [
		(await punches(TOOL_TYPE, { toolOutput: 'full' }))[0],
		(await punches(FEISHU_NODE_TYPE))[0],
	]) {
		expect(json).toMatchObject({
			ssid: 'office-5G',
			bssid: 'b0:b8:67:5c:1d:72',
			photo_urls: ['https://example.com/p.jpg'],
		});
	}
});

test("the option is shown only for the tool ('@tool' display condition, as n8n-workflow evaluates it)", () => {
	const shown = (description: INodeTypeDescription) => {
		const values = NodeHelpers.getNodeParameters(
			description.properties,
			getMany,
			true,
			false,
			{ typeVersion: 1 },
			description,
		)!;
		const option = description.properties.find((p) => p.name === 'toolOutput')!;
		return {
			shown: NodeHelpers.displayParameter(values, option, { typeVersion: 1 }, description),
			value: values.toolOutput,
		};
	};
	expect(shown(asTool().description)).toEqual({ shown: true, value: 'compact' });
	expect(shown(new FeishuAttendance().description)).toEqual({ shown: false, value: undefined });
});
