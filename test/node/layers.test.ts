/**
 * The floors of the node's code (docs/ARCHITECTURE.md): every import points at the same floor or one below.
 *   0  nodes/shared/, credentials/        what both nodes and the credential share
 *   1  FeishuAttendance/transport/        the one way to Feishu
 *   2  FeishuAttendance/helpers/          what two or more resources use
 *   3  FeishuAttendance/actions/, descriptions/, methods/   the resources, what the panel shows
 *      FeishuAttendance/poll/          the poll trigger's reading of several resources (like actions/router.ts)
 *   4  FeishuAttendance.node.ts           the node
 * The trigger node has its own helpers/ (floor 2) and node file (floor 4) and uses only nodes/shared/ below.
 * A resource's folder (actions/<resource>/) imports no other resource's folder.
 */
import { readFileSync, readdirSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';

const ROOT = resolve(__dirname, '..', '..');
const PACKAGES = new Set(['n8n-workflow', 'luxon', 'crypto']);

function tsFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return tsFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

function floorOf(file: string): number {
	const path = relative(ROOT, file).split(sep).join('/');
	if (path.startsWith('nodes/shared/') || path.startsWith('credentials/')) return 0;
	if (/^nodes\/[^/]+\/transport\//.test(path)) return 1;
	if (/^nodes\/[^/]+\/helpers\//.test(path)) return 2;
	if (/^nodes\/[^/]+\/(actions|descriptions|methods|poll)\//.test(path)) return 3;
	if (/^nodes\/[^/]+\/[^/]+\.node\.ts$/.test(path)) return 4;
	throw new Error(
		`${path} is on no floor: add it to test/node/layers.test.ts and docs/ARCHITECTURE.md`,
	);
}

/** The resource folder of a file under actions/, or undefined (router.ts, node.type.ts, other floors). */
function resourceOf(file: string): string | undefined {
	return /^nodes\/[^/]+\/actions\/([^/]+)\//.exec(relative(ROOT, file).split(sep).join('/'))?.[1];
}

function importsOf(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	const specs = [
		...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms),
		...source.matchAll(/^\s*import\s+'([^']+)'/gm),
	];
	return specs.map((match) => match[1]);
}

function resolveImport(from: string, spec: string): string {
	const target = resolve(dirname(from), spec);
	for (const candidate of [`${target}.ts`, join(target, 'index.ts')]) {
		try {
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// try the next candidate
		}
	}
	throw new Error(`${relative(ROOT, from)} imports ${spec}, which is no file`);
}

const files = [...tsFiles(join(ROOT, 'nodes')), ...tsFiles(join(ROOT, 'credentials'))];
const edges = files.flatMap((file) => importsOf(file).map((spec) => ({ file, spec })));

describe('the floors of the code', () => {
	it('reads the imports of every file of both nodes and the credential', () => {
		expect(files.length).toBeGreaterThan(50);
		expect(edges.filter((edge) => edge.spec.startsWith('.')).length).toBeGreaterThan(200);
	});

	it('imports only n8n-workflow, luxon, crypto and relative paths', () => {
		const foreign = edges.filter((edge) => !edge.spec.startsWith('.') && !PACKAGES.has(edge.spec));
		expect(foreign.map((edge) => `${relative(ROOT, edge.file)} → ${edge.spec}`)).toEqual([]);
	});

	it('imports nothing from a higher floor', () => {
		const upward = edges
			.filter((edge) => edge.spec.startsWith('.'))
			.map((edge) => ({ ...edge, target: resolveImport(edge.file, edge.spec) }))
			.filter((edge) => floorOf(edge.target) > floorOf(edge.file))
			.map((edge) => `${relative(ROOT, edge.file)} → ${relative(ROOT, edge.target)}`);
		expect(upward).toEqual([]);
	});

	it("imports no other resource's folder from a resource's folder", () => {
		const across = edges
			.filter((edge) => edge.spec.startsWith('.') && resourceOf(edge.file) !== undefined)
			.map((edge) => ({ ...edge, target: resolveImport(edge.file, edge.spec) }))
			.filter(
				(edge) =>
					resourceOf(edge.target) !== undefined &&
					resourceOf(edge.target) !== resourceOf(edge.file),
			)
			.map((edge) => `${relative(ROOT, edge.file)} → ${relative(ROOT, edge.target)}`);
		expect(across).toEqual([]);
	});
});
