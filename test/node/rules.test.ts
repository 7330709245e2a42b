/**
 * Rules of the lint plugin on n8n's development branch (@n8n/eslint-plugin-community-nodes, 71 rules; the newest
 * published 0.32.0 has 44) that this package meets before they are published. Upstream checks the literal
 * description in a *.node.ts file; these checks run over the built descriptions (every resource's parameters,
 * at every depth) and the node source, so what is spread in from actions/ is covered too. Each test names the
 * upstream rule it mirrors.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

import { FeishuAttendance } from '../../nodes/FeishuAttendance/FeishuAttendance.node';
import { FeishuAttendanceTrigger } from '../../nodes/FeishuAttendanceTrigger/FeishuAttendanceTrigger.node';
import { startEmulator, type Emulator } from '../emulator';
import { runNode } from '../harness';

const NODES: Array<[string, INodeTypeDescription, string]> = [
	[
		'Feishu Attendance',
		new FeishuAttendance().description,
		'nodes/FeishuAttendance/FeishuAttendance.node.ts',
	],
	[
		'Feishu Attendance Trigger',
		new FeishuAttendanceTrigger().description,
		'nodes/FeishuAttendanceTrigger/FeishuAttendanceTrigger.node.ts',
	],
];

type Entry = INodeProperties | INodePropertyOptions | INodePropertyCollection;

/** Every parameter, option and collection entry of a description, with the path of display names to it. */
function walk(properties: Entry[], path: string[] = []): Array<{ entry: Entry; path: string }> {
	const out: Array<{ entry: Entry; path: string }> = [];
	for (const entry of properties) {
		const name = 'displayName' in entry ? entry.displayName : entry.name;
		const here = [...path, name];
		out.push({ entry, path: here.join(' → ') });
		const nested = [
			...(('options' in entry && Array.isArray(entry.options) ? entry.options : []) as Entry[]),
			...(('values' in entry && Array.isArray(entry.values) ? entry.values : []) as Entry[]),
		];
		out.push(...walk(nested, here));
	}
	return out;
}

/** The body of a class method in TypeScript source, by brace matching from its signature. */
function methodBody(source: string, signature: RegExp): string {
	const match = signature.exec(source);
	if (!match) return '';
	const open = source.indexOf('{', source.indexOf(')', match.index));
	let depth = 0;
	for (let i = open; i < source.length; i++) {
		if (source[i] === '{') depth++;
		if (source[i] === '}' && --depth === 0) return source.slice(open, i + 1);
	}
	return '';
}

const withoutComments = (source: string) =>
	source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe.each(NODES)('%s', (_name, description, file) => {
	const entries = walk(description.properties);
	const source = withoutComments(readFileSync(join(__dirname, '..', '..', file), 'utf8'));

	test('hint-max-length: every hint is at most 120 characters (longer text belongs in the description)', () => {
		const long = entries
			.filter(
				({ entry }) => 'hint' in entry && typeof entry.hint === 'string' && entry.hint.length > 120,
			)
			.map(({ path, entry }) => `${path} (${(entry as INodeProperties).hint!.length})`);
		expect(long).toEqual([]);
	});

	test('options-sorted-alphabetically: the choices of every options parameter are sorted by name', () => {
		const unsorted: string[] = [];
		for (const { entry, path } of entries) {
			if (!('type' in entry) || entry.type !== 'options' || !Array.isArray(entry.options)) continue;
			let names = (entry.options as INodePropertyOptions[]).map((o) => o.name);
			// n8n lists "Custom API Call" last in Resource lists (see actions/customApi/index.ts)
			if (names.at(-1) === 'Custom API Call') names = names.slice(0, -1);
			const sorted = [...names].sort((a, b) =>
				a.localeCompare(b, undefined, { sensitivity: 'base' }),
			);
			if (names.join('|') !== sorted.join('|')) unsorted.push(`${path}: ${names.join(', ')}`);
		}
		expect(unsorted).toEqual([]);
	});

	test('open-ended-node-fields: a JSON field is required, never an optional place to hide settings', () => {
		const open = entries
			.filter(
				({ entry }) =>
					'type' in entry && entry.type === 'json' && (entry as INodeProperties).required !== true,
			)
			.map(({ path }) => path);
		expect(open).toEqual([]);
	});

	test('require-continue-on-fail: execute() itself calls this.continueOnFail()', () => {
		const body = methodBody(source, /async\s+execute\s*\(/);
		if (!/async\s+execute\s*\(/.test(source)) return expect(body).toBe(''); // a trigger has no execute()
		expect(body).toMatch(/this\.continueOnFail\(\)/);
	});

	test('prefer-declarative-style: execute() sends no request itself (the transport batches and paces them)', () => {
		expect(source).not.toMatch(/helpers\.(httpRequest|httpRequestWithAuthentication|request)\b/);
	});
});

test('prefer-declarative-style: why the node is programmatic is written where the rule points (execute) and in the docs', () => {
	const node = readFileSync(
		join(__dirname, '../../nodes/FeishuAttendance/FeishuAttendance.node.ts'),
		'utf8',
	);
	expect(node).toMatch(/Programmatic, not declarative \(n8n's prefer-declarative-style\)/);
	expect(readFileSync(join(__dirname, '../../docs/ARCHITECTURE.md'), 'utf8')).toMatch(
		/prefer-declarative-style/,
	);
});

describe('require-continue-on-fail: a failure of the whole run, as n8n runs the node', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(async () => await emu.close());

	const run = (continueOnFail: boolean) =>
		runNode({
			emulatorUrl: emu.url,
			// an operation this version does not have (e.g. a workflow from a newer version): the router refuses the run
			parameters: { resource: 'shift', operation: 'archive' },
			items: [{ a: 1 }, { a: 2 }],
			continueOnFail,
		});

	test('with Continue On Fail every item gets the error, paired with it; without it the run stops', async () => {
		const on = await run(true);
		expect(on.error).toBeUndefined();
		expect(on.items.map((i) => [i.json.error, i.pairedItem])).toEqual([
			['The operation "archive" is not supported for "shift"', { item: 0 }],
			['The operation "archive" is not supported for "shift"', { item: 1 }],
		]);
		const off = await run(false);
		expect(off.error?.message).toBe('The operation "archive" is not supported for "shift"');
	});
});
