#!/usr/bin/env node
/**
 * Demo of the package in a REAL n8n against the Feishu emulator.
 *
 *   npm run demo                         editor on http://127.0.0.1:5678 with the examples imported
 *   npm run demo -- --headless [ex]      run example ex (a number, a file name part, or "all"; default 1)
 *                                        with `n8n execute`, print a summary, exit
 *   options: --target 1|2 (default 1: n8n 1.123 on this machine's Node 20; 2: n8n 2.41 on Node 24)
 *            --port 5678   --emulator-port 4010
 *            --host 0.0.0.0   listen on every interface, to open the editor from another machine
 *                             (default 127.0.0.1: this machine only)
 *            --keep           keep the n8n user folder (otherwise removed when the demo stops)
 * n8n runs in the Asia/Shanghai time zone (GENERIC_TIMEZONE), as a Feishu tenant in China would. The emulator
 * is seeded with punches of six employees on the last working day (Monday to Friday), the day example 02
 * asks about, so that its results and summary exist on whichever day the demo is started.
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

const EXAMPLES = fs
	.readdirSync(path.join(ROOT, 'examples'))
	.filter((f) => /^\d\d-.*\.json$/.test(f))
	.sort();
const TIMEZONE = 'Asia/Shanghai';
const APP_ID = process.env.FEISHU_EMULATOR_APP_ID || 'cli_emulator';
const APP_SECRET = process.env.FEISHU_EMULATOR_APP_SECRET || 'emulator-secret';

function parseArgs(argv) {
	const args = {
		headless: false,
		example: '1',
		target: 1,
		port: 5678,
		emulatorPort: 4010,
		keep: false,
		host: '127.0.0.1',
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--headless') {
			args.headless = true;
			if (argv[i + 1] && !argv[i + 1].startsWith('--')) args.example = argv[++i];
		} else if (a === '--target') args.target = Number(argv[++i]);
		else if (a === '--port') args.port = Number(argv[++i]);
		else if (a === '--emulator-port') args.emulatorPort = Number(argv[++i]);
		else if (a === '--keep') args.keep = true;
		else if (a === '--host') args.host = argv[++i];
		else if (a === '--help' || a === '-h') {
			console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
			process.exit(0);
		} else throw new Error(`unknown argument ${a} (see --help)`);
	}
	if (args.target !== 1 && args.target !== 2) throw new Error('--target must be 1 or 2');
	return args;
}

/** Examples the headless run can execute: those that need no other credential (an AI agent needs a chat model). */
const needsChatModel = (file) =>
	fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8').includes('@n8n/n8n-nodes-langchain.');

/** Examples `n8n execute` can run: they start with a Manual Trigger (a polling trigger runs only when activated). */
const runsOnDemand = (file) =>
	fs
		.readFileSync(path.join(ROOT, 'examples', file), 'utf8')
		.includes('n8n-nodes-base.manualTrigger');

function pickExamples(which) {
	if (which === 'all') return EXAMPLES.filter((f) => !needsChatModel(f) && runsOnDemand(f));
	const n = Number(which);
	if (Number.isInteger(n) && n >= 1 && n <= EXAMPLES.length) return [EXAMPLES[n - 1]];
	const found = EXAMPLES.filter((f) => f.includes(which));
	if (found.length !== 1)
		throw new Error(
			`example "${which}": use 1-${EXAMPLES.length}, "all" or a part of ${EXAMPLES.join(', ')}`,
		);
	return found;
}

const t0 = Date.now();
const step = (msg) =>
	console.log(`[demo ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

function ensureN8n(target) {
	const found = driver.findTarget(target);
	if (found.info) return found.info;
	step(
		`n8n target ${target} missing (${found.reason}); installing it once (about 4 to 5 minutes, progress below)…`,
	);
	const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-n8n.sh'), String(target)], {
		stdio: 'inherit',
	});
	if (r.status !== 0) throw new Error('scripts/install-n8n.sh failed');
	return driver.requireTarget(target);
}

/** `ts-node test/emulator/cli.ts` as a child process; resolves with its URL once it listens. */
function startEmulator(port) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[
				path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'),
				'--transpile-only',
				path.join(ROOT, 'test', 'emulator', 'cli.ts'),
			],
			{
				cwd: ROOT,
				env: {
					...process.env,
					FEISHU_EMULATOR_PORT: String(port),
					FEISHU_EMULATOR_APP_ID: APP_ID,
					FEISHU_EMULATOR_APP_SECRET: APP_SECRET,
				},
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

// ---- summaries (for an HR admin: what happened to the records, and why a row failed) ---------------

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** The reason of a failed row: the actionable text first. */
const reasonOf = (json) => String(json.error ?? json.message ?? '');
const who = (json) => json.employee_no ?? json.employee_id ?? json.user_id ?? json.employee ?? '';

/** One line per employee and day of punch results: on time, late, early, missing, on leave. */
function describeResults(items) {
	const perEmployee = new Map();
	for (const { json } of items) {
		if (json.status && json.status !== 'ok') continue;
		const key = `${who(json)} ${json.date_iso ?? json.day ?? ''}`;
		const list = perEmployee.get(key) ?? [];
		for (const side of ['check_in', 'check_out']) {
			const value = json[`${side}_result`];
			const supplement = json[`${side}_result_supplement`];
			if (value)
				list.push(supplement && supplement !== 'None' ? `${value} (${supplement})` : value);
		}
		perEmployee.set(key, list);
	}
	// a supplement says why a result is what it is: each named in its own words, remedies apart from leave
	const SUPPLEMENTS = [
		[/\(Leave\)/, 'on leave'],
		[/\(Travel\)/, 'on a business trip'],
		[/\(GoOut\)/, 'out of office'],
		[/\(CardReplacement\)/, 'corrected by a remedy'],
		[/\(CardReplacementApplication\)/, 'remedy pending'],
		[/\(/, 'with another supplement'],
	];
	const verdict = (list) => {
		for (const [pattern, words] of SUPPLEMENTS) if (list.some((r) => pattern.test(r))) return words;
		if (list.includes('Lack')) return 'missing punch';
		if (list.includes('Late')) return 'late';
		if (list.includes('Early')) return 'left early';
		return 'on time';
	};
	const tally = {};
	for (const list of perEmployee.values()) tally[verdict(list)] = (tally[verdict(list)] ?? 0) + 1;
	return `${plural(perEmployee.size, 'employee-day')}: ${
		Object.entries(tally)
			.map(([k, v]) => `${v} ${k}`)
			.join(', ') || 'no results'
	}`;
}

function describeNode(p, items) {
	const by = (status) =>
		items.filter((i) => String(i.json.status ?? (i.json.error ? 'failed' : '')) === status).length;
	const failed = items.filter((i) => i.json.error);
	if (p.resource === 'punchFlow' && p.operation === 'import') {
		return `${plural(by('imported') + by('created'), 'punch record')} imported, ${by('duplicate')} already in Feishu, ${failed.length} failed`;
	}
	if (p.resource === 'punchFlow' && p.operation === 'getMany')
		return `${plural(items.length - failed.length, 'punch record')} found`;
	if (p.resource === 'punchFlow' && p.operation === 'delete') {
		return `${plural(items.filter((i) => i.json.deleted === true).length, 'punch record')} deleted, ${items.filter((i) => i.json.deleted !== true).length} not deleted`;
	}
	if (p.resource === 'punchResult') return describeResults(items);
	if (p.resource === 'statistics' && p.operation === 'getMany') return describeStatistics(items);
	const counts = {};
	for (const { json } of items) {
		const status = json.error ? 'failed' : String(json.status ?? 'returned');
		counts[status] = (counts[status] ?? 0) + 1;
	}
	return (
		Object.entries(counts)
			.map(([k, v]) => `${v} ${k}`)
			.join(', ') || 'nothing returned'
	);
}

/** Statistics: each employee's figures (simplified rows: column code → number, units) and who Feishu refused. */
function describeStatistics(items) {
	const ok = items.filter((i) => i.json.status === 'ok');
	const invalid = items.filter((i) => i.json.status === 'invalid').map((i) => i.json.employee_id);
	const lines = [
		`${plural(ok.length, 'employee')} with figures${invalid.length ? `, invalid: ${invalid.join(', ')}` : ''}`,
	];
	for (const { json } of ok.slice(0, 6)) {
		const units = json.units ?? {};
		const figures = Object.entries(json)
			.filter(([key, value]) => /^\d+$/.test(key) && typeof value === 'number')
			.map(([code, value]) => `${code} ${value}${units[code] ? ` ${units[code]}` : ''}`);
		lines.push(
			`      ${who(json)} ${json.employee_name ?? ''}: ${figures.join(' · ') || 'no figures'}`,
		);
	}
	if (ok.length > 6) lines.push(`      … and ${ok.length - 6} more`);
	return lines.join('\n');
}

/** A summary item of a Code node, as "key: value" lines (no JSON). */
function describeSummary(json) {
	const lines = [];
	for (const [key, value] of Object.entries(json)) {
		if (value === undefined || value === null || (Array.isArray(value) && value.length === 0))
			continue;
		if (Array.isArray(value) && typeof value[0] === 'object') {
			lines.push(`${key}:`);
			for (const entry of value.slice(0, 5))
				lines.push(
					`  - ${Object.values(entry)
						.filter((v) => v !== undefined && v !== null)
						.join(' · ')}`,
				);
			if (value.length > 5) lines.push(`  … and ${value.length - 5} more`);
		} else if (Array.isArray(value)) {
			lines.push(`${key}: ${value.join(', ')}`);
		} else if (typeof value === 'object') {
			lines.push(
				`${key}: ${Object.entries(value)
					.map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`)
					.join(', ')}`,
			);
		} else {
			lines.push(`${key}: ${value}`);
		}
	}
	return lines;
}

function summarize(wf, result) {
	const lines = [`── ${wf.name.replace(/^Feishu Attendance: /, '')}`];
	if (result.status !== 'success')
		lines.push(`   The workflow stopped: ${result.errorMessage ?? result.status}`);
	for (const node of wf.nodes) {
		if (node.type !== driver.NODE_TYPE) continue;
		if (!result.run?.data.resultData.runData[node.name]) {
			lines.push(`   ${node.name}: did not run`);
			continue;
		}
		const items = driver.nodeItems(result.run, node.name);
		lines.push(`   ${node.name}: ${describeNode(node.parameters, items)}`);
		for (const { json } of items.filter((i) => i.json.error).slice(0, 3)) {
			lines.push(`      ✗ ${who(json) ? `${who(json)}: ` : ''}${reasonOf(json)}`);
		}
	}
	const last = result.run?.data.resultData.lastNodeExecuted;
	const lastNode = wf.nodes.find((n) => n.name === last);
	if (lastNode && lastNode.type === 'n8n-nodes-base.code') {
		const lastItems = driver.nodeItems(result.run, last);
		lines.push(`   ${last}:`);
		for (const item of lastItems.slice(0, 6)) {
			const described = describeSummary(item.json);
			// several rows (a table): one line each; one summary item: one line per field
			if (lastItems.length > 1) lines.push(`      ${described.join(' · ')}`);
			else for (const line of described) lines.push(`      ${line}`);
		}
		if (lastItems.length > 6) lines.push(`      … and ${lastItems.length - 6} more rows`);
	}
	return lines.join('\n');
}

/**
 * The last working day before today in Asia/Shanghai (Monday to Friday: the emulator's attendance groups have no
 * shift on Saturday and Sunday, so a weekend day has no punch results). Example 02 asks for the same day.
 */
function lastWorkingDay() {
	const dayOf = (ms) =>
		new Intl.DateTimeFormat('en-CA', {
			timeZone: TIMEZONE,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).format(new Date(ms));
	let ms = Date.parse(`${dayOf(Date.now())}T12:00:00+08:00`) - 86400000;
	while ([0, 6].includes(new Date(ms).getUTCDay())) ms -= 86400000;
	return dayOf(ms);
}

/** Punches of the last working day (Asia/Shanghai) for NO0001..NO0006: on time, late, early, one forgotten punch, one absent. */
function demoPunches() {
	const ymd = lastWorkingDay();
	const at = (hhmm) => String(Date.parse(`${ymd}T${hhmm}:00+08:00`) / 1000);
	const punches = [
		['NO0001', '08:52', '18:04'],
		['NO0002', '09:17', '18:01'], // late
		['NO0003', '08:40', '17:20'], // left early
		['NO0004', '08:58', null], // forgot to punch out
		['NO0005', '08:49', '18:30'],
		// NO0006: no punch at all
	];
	const records = [];
	for (const [employee, start, end] of punches) {
		records.push({ user_id: employee, check_time: at(start), location_name: 'Gate A (K40)' });
		if (end)
			records.push({ user_id: employee, check_time: at(end), location_name: 'Gate A (K40)' });
	}
	return { records, employeeType: 'employee_no' };
}

function portFree(port) {
	return new Promise((resolve) => {
		const srv = require('net').createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

// ---- main -------------------------------------------------------------------------------------

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const examples = args.headless ? pickExamples(args.example) : EXAMPLES;

	if (await driver.ensurePackageBuilt({ log: step })) step('package built');
	const tgz = await driver.packPackage();
	step(`package packed: ${path.basename(tgz)}`);

	const info = ensureN8n(args.target);
	step(
		`n8n ${info.version} (${path.dirname(info.node)}/node ${spawnSync(info.node, ['--version']).stdout.toString().trim()})`,
	);

	// 4010 (the emulator's usual port) when free, else any free port
	const emulatorPort =
		args.emulatorPort && (await portFree(args.emulatorPort))
			? args.emulatorPort
			: await driver.freePort();
	if (!args.headless && !(await portFree(args.port)))
		throw new Error(`port ${args.port} is in use; pick another with --port`);
	const emulator = await startEmulator(emulatorPort);
	step(`Feishu emulator on ${emulator.url} (app id ${APP_ID})`);
	const seeded = await driver.httpJson('POST', `${emulator.url}/__admin/seed-flows`, demoPunches());
	if (seeded.status !== 200) throw new Error(`seeding the emulator failed: HTTP ${seeded.status}`);
	step(
		`emulator seeded with the punches of six employees on ${lastWorkingDay()}, the last working day (${TIMEZONE})`,
	);

	const cred = driver.feishuCredential({
		id: 'feishuCred01',
		name: 'Feishu Attendance (emulator)',
		baseUrl: emulator.url,
		appId: APP_ID,
		appSecret: APP_SECRET,
	});
	const workflows = examples.map((f) => driver.withCredential(driver.loadExample(f), cred));
	const n8n = await driver.N8nInstance.create(info, {
		keep: args.keep,
		env: { GENERIC_TIMEZONE: TIMEZONE, N8N_LISTEN_ADDRESS: args.host },
	});
	let stopping = false;
	const cleanup = async (code) => {
		if (stopping) return;
		stopping = true;
		await n8n.stop().catch(() => undefined);
		emulator.stop();
		await n8n.dispose().catch(() => undefined);
		if (!args.keep) step(`removed the demo's n8n user folder ${n8n.userFolder}`);
		process.exit(code);
	};
	process.on('SIGINT', () => cleanup(0));
	process.on('SIGTERM', () => cleanup(0));

	try {
		await n8n.installPackage(tgz);
		// the packed package is installed: the temporary folder packPackage made for it goes (not a preset tarball)
		if (
			tgz !== process.env.E2E_PACKAGE_TGZ &&
			path.basename(path.dirname(tgz)).startsWith('feishu-pack-')
		) {
			fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
		}
		await n8n.importCredentials([cred]);
		await n8n.importWorkflows(workflows);
		step(
			`n8n user folder ${n8n.userFolder}: package installed, credential + ${workflows.length} workflow(s) imported`,
		);

		if (args.headless) {
			let failed = false;
			for (let i = 0; i < workflows.length; i++) {
				const wf = workflows[i];
				step(`n8n execute --id=${wf.id} (${examples[i]})`);
				const result = await n8n.execute(wf.id);
				console.log(summarize(wf, result));
				if (result.status !== 'success') failed = true;
			}
			step(
				`done (${failed ? 'some workflows stopped with an error' : 'every workflow ran to the end'})`,
			);
			await cleanup(failed ? 1 : 0);
			return;
		}

		step(`starting n8n on ${args.host}:${args.port}…`);
		await n8n.start({ port: args.port });
		const owner = driver.DEFAULT_OWNER;
		const setup = await n8n.setupOwner(owner);
		console.log(`
  n8n ${info.version} is running with n8n-nodes-feishu-attendance installed.

    URL:       ${n8n.url}/${args.host === '127.0.0.1' ? '   (this machine only; --host 0.0.0.0 to open it from another machine)' : `   (listening on ${args.host}: use this machine's address)`}
    Login:     ${owner.email}
    Password:  ${owner.password}${setup.alreadySetUp ? ' (owner existed already)' : ''}

  Workflows: ${workflows.map((w) => `"${w.name}"`).join('\n             ')}
  Credential "${cred.name}" → emulator ${emulator.url} (admin: ${emulator.url}/__admin/counters)
  n8n log:   ${path.join(n8n.userFolder, 'n8n-start.log')}

  Time zone: ${TIMEZONE}. Ctrl+C stops n8n and the emulator${args.keep ? '' : " and removes the demo's n8n user folder (--keep keeps it)"}.
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
