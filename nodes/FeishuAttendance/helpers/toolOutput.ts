/**
 * The node as an AI agent's tool (n8n names the tool variant of a node type "<name>Tool"): the output the agent
 * reads. Compact by default: the fields an agent reasons with (who, when, status, type, times, counts), without
 * the fields that identify a device or a place rather than answer a question: Wi-Fi names and access-point MAC
 * addresses, photo links, device IDs, coordinates and Feishu's device-risk markers. Full: what the operation
 * outputs in a workflow.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

/** Device fingerprints and places, at any depth of an item (punch records, and records inside punch results). */
export const DEVICE_FIELDS = new Set([
	'bssid',
	'device_id',
	'latitude',
	'longitude',
	'photo_urls',
	'risk_result',
	'ssid',
]);

export const toolOutputProperty: INodeProperties = {
	displayName: 'Output for the Agent',
	name: 'toolOutput',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Compact',
			value: 'compact',
			description:
				'The fields an agent reasons with; no Wi-Fi names or BSSIDs, photo links, device IDs, coordinates or device-risk markers',
		},
		{
			name: 'Full',
			value: 'full',
			description: 'Everything the operation outputs, as in a workflow',
		},
	],
	default: 'compact',
	description:
		'What the AI agent receives from this tool. Compact keeps its answers short and leaves device data out.',
	// shown only when the node is an agent's tool (n8n 1.123 and 2.x: the node type's name ends in "Tool")
	displayOptions: { show: { '@tool': [true] } },
};

/** Whether the node runs as an agent's tool (n8n's tool variant of the node type). */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

function withoutDeviceFields(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutDeviceFields);
	if (value === null || typeof value !== 'object' || value instanceof Date) return value;
	const out: IDataObject = {};
	for (const [key, field] of Object.entries(value as IDataObject)) {
		if (!DEVICE_FIELDS.has(key))
			out[key] = withoutDeviceFields(field) as IDataObject[keyof IDataObject];
	}
	return out;
}

/** The output as the agent should get it: compact unless the tool's Output for the Agent is Full; unchanged in a workflow. */
export function forAgent(
	ctx: IExecuteFunctions,
	output: INodeExecutionData[][],
): INodeExecutionData[][] {
	if (!runsAsTool(ctx)) return output;
	if (ctx.getNodeParameter('toolOutput', 0, 'compact') === 'full') return output;
	return output.map((items) =>
		items.map((item) => ({ ...item, json: withoutDeviceFields(item.json) as IDataObject })),
	);
}
