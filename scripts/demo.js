#!/usr/bin/env node
/**
 * Demo of the package in a REAL n8n against the Feishu emulator.
 *
 *   npm run demo                         editor on http://127.0.0.1:5678 with the examples imported
 *   npm run demo -- --headless [ex]      run example ex (1-4, a file name part, or "all"; default 1)
 *                                        with `n8n execute`, print a summary, exit
 *   options: --target 1|2 (default 1: n8n 1.123 on this machine's Node 20; 2: n8n 2.41 on Node 24)
 *            --port 5678   --emulator-port 4010   --keep (keep the n8n user folder)
 *
 * Steps: build the package if stale → install n8n if missing (scripts/install-n8n.sh) → start the
 * emulator (ts-node test/emulator/cli.ts) → fresh N8N_USER_FOLDER with the packed package in
 * .n8n/nodes/node_modules → credential (platform custom → emulator) + examples imported →
 * `n8n start` + owner account, or `n8n execute` per example.
 * The driver is test/e2e/n8n.ts, loaded through ts-node (no TypeScript build needed).
 */
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
require(path.join(ROOT, 'node_modules', 'ts-node')).register({
	transpileOnly: true,
	project: path.join(ROOT, 'tsconfig.json'),
});
const driver = require(path.join(ROOT, 'test', 'e2e', 'n8n.ts'));

const EXAMPLES = [
	'01-import-punch-records-csv.json',
	'02-daily-punch-result-sync.json',
	'03-third-party-leave-approvals.json',
	'04-delete-imported-punch-records.json',
];
const APP_ID = process.env.FEISHU_EMULATOR_APP_ID || 'cli_emulator';
const APP_SECRET = process.env.FEISHU_EMULATOR_APP_SECRET || 'emulator-secret';

function parseArgs(argv) {
	const args = { headless: false, example: '1', target: 1, port: 5678, emulatorPort: 4010, keep: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--headless') {
			args.headless = true;
			if (argv[i + 1] && !argv[i + 1].startsWith('--')) args.example = argv[++i];
		} else if (a === '--target') args.target = Number(argv[++i]);
		else if (a === '--port') args.port = Number(argv[++i]);
		else if (a === '--emulator-port') args.emulatorPort = Number(argv[++i]);
		else if (a === '--keep') args.keep = true;
		else if (a === '--help' || a === '-h') {
			console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
			process.exit(0);
		} else throw new Error(`unknown argument ${a} (see --help)`);
	}
	if (args.target !== 1 && args.target !== 2) throw new Error('--target must be 1 or 2');
	return args;
}

function pickExamples(which) {
	if (which === 'all') return EXAMPLES;
	const n = Number(which);
	if (Number.isInteger(n) && n >= 1 && n <= EXAMPLES.length) return [EXAMPLES[n - 1]];
	const found = EXAMPLES.filter((f) => f.includes(which));
	if (found.length !== 1) throw new Error(`example "${which}": use 1-${EXAMPLES.length}, "all" or a part of ${EXAMPLES.join(', ')}`);
	return found;
}

const t0 = Date.now();
const step = (msg) => console.log(`[demo ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

function ensureN8n(target) {
	const found = driver.findTarget(target);
	if (found.info) return found.info;
	step(`n8n target ${target} missing (${found.reason}); installing (takes ~4 min once)…`);
	const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-n8n.sh'), String(target)], { stdio: 'inherit' });
	if (r.status !== 0) throw new Error('scripts/install-n8n.sh failed');
	return driver.requireTarget(target);
}

/** `ts-node test/emulator/cli.ts` as a child process; resolves with its URL once it listens. */
function startEmulator(port) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', path.join(ROOT, 'test', 'emulator', 'cli.ts')],
			{
				cwd: ROOT,
				env: { ...process.env, FEISHU_EMULATOR_PORT: String(port), FEISHU_EMULATOR_APP_ID: APP_ID, FEISHU_EMULATOR_APP_SECRET: APP_SECRET },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let out = '';
		const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${out}`)), 30000);
		const onData = (d) => {
			out += d.toString();
			const m = out.match(/listening on (http:\/\/\S+)/);
			if (m) {
				clearTimeout(timer);
				resolve({ url: m[1], child, stop: () => child.exitCode === null && child.kill('SIGTERM') });
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`emulator exited (${code}):\n${out}`));
		});
	});
}

// ---- summaries --------------------------------------------------------------------------------

function statusOf(json) {
	if (json.error) return 'failed';
	return String(json.status ?? json.result ?? 'ok');
}

function summarize(file, wf, result, counters) {
	const lines = [];
	lines.push(`── ${wf.name}`);
	lines.push(`   n8n execute: ${result.status} in ${(result.ms / 1000).toFixed(1)} s${result.errorMessage ? ` — ${result.errorMessage}` : ''}`);
	for (const node of wf.nodes) {
		if (node.type !== driver.NODE_TYPE) continue;
		const items = driver.nodeItems(result.run, node.name);
		if (!result.run?.data.resultData.runData[node.name]) {
			lines.push(`   ${node.name}: not run`);
			continue;
		}
		const p = node.parameters;
		const counts = {};
		for (const it of items) counts[statusOf(it.json)] = (counts[statusOf(it.json)] ?? 0) + 1;
		let detail = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'no items';
		if (p.resource === 'punchFlow' && p.operation === 'import') {
			detail = `records imported: ${(counts.created ?? 0) + (counts.imported ?? 0)}, duplicates: ${counts.duplicate ?? 0}, failures: ${counts.failed ?? 0} (${items.length} rows)`;
		}
		if (p.resource === 'punchFlow' && p.operation === 'getMany') detail = `${items.filter((i) => !i.json.error).length} punch records`;
		if (p.resource === 'punchFlow' && p.operation === 'delete') {
			detail = `deleted: ${items.filter((i) => i.json.deleted === true).length}, not deleted: ${items.filter((i) => i.json.deleted !== true).length}`;
		}
		if (p.resource === 'punchResult') {
			const r = {};
			for (const it of items) {
				for (const k of ['check_in_result', 'check_out_result']) {
					const v = it.json[k];
					if (!v) continue;
					const sup = it.json[`${k}_supplement`];
					const key = sup && sup !== 'None' ? `${v}/${sup}` : v;
					r[key] = (r[key] ?? 0) + 1;
				}
			}
			detail = `${items.length} results; ` + (Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ') || 'no check-in/out results');
		}
		lines.push(`   ${node.name} (${p.resource}.${p.operation}): ${detail}`);
		const failed = items.filter((i) => i.json.error).slice(0, 3);
		for (const f of failed) lines.push(`      ✗ ${f.json.error}`);
	}
	const last = result.run?.data.resultData.lastNodeExecuted;
	const lastItems = last ? driver.nodeItems(result.run, last) : [];
	if (last && lastItems.length && wf.nodes.find((n) => n.name === last)?.type === 'n8n-nodes-base.code') {
		const shown = lastItems.slice(0, 6).map((i) => JSON.stringify(i.json));
		lines.push(`   ${last}:`);
		for (const s of shown) lines.push(`      ${s.length > 240 ? `${s.slice(0, 237)}...` : s}`);
	}
	lines.push(`   emulator: ${Object.entries(counters.requests || {}).map(([k, v]) => `${k.replace('/open-apis/', '')} ×${v}`).join(', ')}; token exchanges ${counters.tokenExchanges}`);
	return lines.join('\n');
}

function portFree(port) {
	return new Promise((resolve) => {
		const srv = require('net').createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

async function getJson(url) {
	const r = await driver.httpJson('GET', url);
	return r.body;
}

// ---- main -------------------------------------------------------------------------------------

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const examples = args.headless ? pickExamples(args.example) : EXAMPLES;

	if (await driver.ensurePackageBuilt({ log: step })) step('package built');
	const tgz = await driver.packPackage();
	step(`package packed: ${path.basename(tgz)}`);

	const info = ensureN8n(args.target);
	step(`n8n ${info.version} (${path.dirname(info.node)}/node ${spawnSync(info.node, ['--version']).stdout.toString().trim()})`);

	// 4010 (the emulator's usual port) when free, else any free port
	const emulatorPort = args.emulatorPort && (await portFree(args.emulatorPort)) ? args.emulatorPort : await driver.freePort();
	if (!args.headless && !(await portFree(args.port))) throw new Error(`port ${args.port} is in use; pick another with --port`);
	const emulator = await startEmulator(emulatorPort);
	step(`Feishu emulator on ${emulator.url} (app id ${APP_ID})`);

	const cred = driver.feishuCredential({ id: 'feishuCred01', name: 'Feishu Attendance (emulator)', baseUrl: emulator.url, appId: APP_ID, appSecret: APP_SECRET });
	const workflows = examples.map((f) => driver.withCredential(driver.loadExample(f), cred));
	const n8n = await driver.N8nInstance.create(info, { keep: args.keep || !args.headless });
	let stopping = false;
	const cleanup = async (code) => {
		if (stopping) return;
		stopping = true;
		await n8n.stop().catch(() => undefined);
		emulator.stop();
		if (args.headless && !args.keep) await n8n.dispose();
		process.exit(code);
	};
	process.on('SIGINT', () => cleanup(0));
	process.on('SIGTERM', () => cleanup(0));

	try {
		await n8n.installPackage(tgz);
		await n8n.importCredentials([cred]);
		await n8n.importWorkflows(workflows);
		step(`n8n user folder ${n8n.userFolder}: package installed, credential + ${workflows.length} workflow(s) imported`);

		if (args.headless) {
			let failed = false;
			for (let i = 0; i < workflows.length; i++) {
				const wf = workflows[i];
				step(`n8n execute --id=${wf.id} (${examples[i]})`);
				const result = await n8n.execute(wf.id);
				const counters = await getJson(`${emulator.url}/__admin/counters`);
				console.log(summarize(examples[i], wf, result, counters));
				if (result.status !== 'success') failed = true;
			}
			const flows = await getJson(`${emulator.url}/__admin/flows`).catch(() => undefined);
			if (Array.isArray(flows)) step(`emulator now stores ${flows.length} punch record(s)`);
			step(`done (${failed ? 'with failures' : 'all runs succeeded'})`);
			await cleanup(failed ? 1 : 0);
			return;
		}

		step(`starting n8n on 127.0.0.1:${args.port}…`);
		await n8n.start({ port: args.port });
		const owner = driver.DEFAULT_OWNER;
		const setup = await n8n.setupOwner(owner);
		console.log(`
  n8n ${info.version} is running with n8n-nodes-feishu-attendance installed.

    URL:       ${n8n.url}/
    Login:     ${owner.email}
    Password:  ${owner.password}${setup.alreadySetUp ? ' (owner existed already)' : ''}

  Workflows: ${workflows.map((w) => `"${w.name}"`).join('\n             ')}
  Credential "${cred.name}" → emulator ${emulator.url} (admin: ${emulator.url}/__admin/counters)
  n8n log:   ${path.join(n8n.userFolder, 'n8n-start.log')}

  Ctrl+C stops n8n and the emulator.
`);
	} catch (e) {
		console.error(`demo failed: ${e.message}`);
		await cleanup(1);
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
