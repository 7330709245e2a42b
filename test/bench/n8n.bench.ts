/**
 * Import benchmark in REAL n8n (1.123.81 and 2.41.1, installed by scripts/install-n8n.sh): the packed package
 * is installed into a fresh n8n user folder, and `n8n execute` runs Manual Trigger → Read/Write Files from Disk → Extract from File (a CSV of the rows)
 * → Feishu Attendance Punch Flow → Import → Code (counts the statuses) against the emulator, which runs in this
 * process on 127.0.0.1 with its 50 calls/s limit per endpoint and a network in front of the limiter: requests
 * arrive 50–150 ms after they were sent (arrival jitter) and answers take another 25–75 ms.
 *
 *   npm run bench:n8n                                   (both n8n lines, 100,000 records per input mode, then
 *                                                        two concurrent imports of 50,000: two workflows in one
 *                                                        n8n, then two n8n instances)
 *   BENCH_TARGETS=1 BENCH_RECORDS=10000 BENCH_MODES=json BENCH_CONCURRENT=0 npm run bench:n8n
 *
 * Environment: BENCH_TARGETS (1,2), BENCH_RECORDS (100000; 0 = only the concurrent pair), BENCH_MODES (json,columns,fields,computed: Map Each Field with dragged fields / with computing expressions; another name is passed as
 * inputMode with the row's columns), BENCH_CONCURRENT (records per import of the concurrent pair, 50000; 0 = skip),
 * BENCH_CONCURRENT_TARGETS (1,2), BENCH_OPTIONS (JSON merged into the node's Options), BENCH_TIMEOUT_S (per n8n
 * run, 600), BENCH_DEADLINE_S (whole bench, 3600), BENCH_SOURCE=head (build the last commit in a temporary
 * copy instead of the working tree), BENCH_PACKAGE_TGZ (use this packed tarball), BENCH_ROWS (csv: a CSV file read by n8n's file nodes, default; code: a Code node), BENCH_REPEAT (runs of each single import, then their median), BENCH_VERBOSE (print the calls admitted in each second), BENCH_NODE_ARGS (node flags of each `n8n execute`, e.g. --cpu-prof), BENCH_N8N_ENV (JSON: extra environment of every n8n process, e.g. {"N8N_RUNNERS_ENABLED":"true"}). Loopback only; every n8n process is killed at its timeout and
 * the bench exits by itself.
 *
 * Figures: records/s from the Import node's own execution time (n8n's runData startTime/executionTime), share
 * of the ceiling (50 calls/s × 50 records = 2,500 records/s), calls answered 429, time from the node's start to
 * the first batch_create reaching the emulator's limiter, peak memory (VmHWM) of the n8n process.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { startEmulator, type Emulator } from '../emulator';
import { chain, codeNode } from '../e2e/fixtures';
import { NODE_TIMES_LOG_ENV, nodeRunsFromLog } from './nodeTimes';
import {
	CREDENTIAL_TYPE,
	ensurePackageBuilt,
	feishuCredential,
	findTarget,
	httpJson,
	N8nInstance,
	NODE_TYPE,
	packPackage,
	REPO_ROOT,
	run,
	parseTargets,
	TARGET_VERSIONS,
	type TargetId,
	type WorkflowExport,
} from '../e2e/n8n';

const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';
const CEILING = 2500;
const EMPLOYEES = 2000;
const APP = { appId: 'cli_emulator', appSecret: 'emulator-secret' };

const env = process.env;
const TARGETS = parseTargets(env.BENCH_TARGETS || '1,2');
const RECORDS = Number(env.BENCH_RECORDS || 100_000);
const MODES = (env.BENCH_MODES || 'json,columns,fields,computed').split(',').filter(Boolean);
const CONCURRENT = Number(env.BENCH_CONCURRENT ?? 50_000);
const CONCURRENT_TARGETS = parseTargets(env.BENCH_CONCURRENT_TARGETS || '1,2');
const EXTRA_OPTIONS = env.BENCH_OPTIONS
	? (JSON.parse(env.BENCH_OPTIONS) as Record<string, unknown>)
	: {};
const TIMEOUT_MS = Number(env.BENCH_TIMEOUT_S || 600) * 1000;
const DEADLINE = Date.now() + Number(env.BENCH_DEADLINE_S || 3600) * 1000;
/** node flags of every `n8n execute`, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' to see where n8n spends the time */
/** where the rows come from: csv (a CSV file through n8n's file nodes, default) or code (a Code node) */
const ROWS = env.BENCH_ROWS || 'csv';
const cleanups: Array<() => void> = [];
/** runs of each single import (BENCH_REPEAT, 1): the figures of each, then the median share */
const REPEAT = Math.max(1, Number(env.BENCH_REPEAT || 1));
const NODE_ARGS = (env.BENCH_NODE_ARGS || '').split(' ').filter(Boolean);
/** extra environment of every n8n process, JSON (e.g. '{"N8N_RUNNERS_ENABLED":"true"}': Code nodes in a task runner on n8n 1.x) */
const N8N_ENV = env.BENCH_N8N_ENV ? (JSON.parse(env.BENCH_N8N_ENV) as NodeJS.ProcessEnv) : {};
const EMULATOR = {
	rateLimitPerSecond: 50,
	arrivalDelayMs: 100,
	arrivalJitter: 0.5,
	latencyMs: 50,
	latencyJitter: 0.5,
};

const log = (s: string) => process.stdout.write(`${s}\n`);
const children = new Set<number>();

// ---------------------------------------------------------------------------------------------- workflows

/** 2026-01-05 08:00 +08:00 plus `day` days: every run imports records no earlier run stored. */
const baseSeconds = (day: number) => Date.UTC(2026, 0, 5 + day, 0, 0, 0) / 1000;

/** The row of record `i`: one punch per employee every 10 minutes (distinct employee + time), in the mode's columns. */
function row(i: number, mode: string, day: number): Record<string, string> {
	const emp = `emp${String((i % EMPLOYEES) + 1).padStart(4, '0')}`;
	const t = String(baseSeconds(day) + Math.floor(i / EMPLOYEES) * 600);
	if (mode === 'fields' || mode === 'computed') return { emp, time: t, site: 'Gate 1' };
	if (mode === 'columns') return { employee_id: emp, check_time: t, site: 'Gate 1' };
	return { user_id: emp, check_time: t, location_name: 'Gate 1', comment: 'Attendance machine' };
}

/** Code node making `n` rows (BENCH_ROWS=code). */
function rowsCodeNode(n: number, mode: string, day: number): Record<string, unknown> {
	const sample = row(0, mode, day);
	const fields = Object.keys(sample)
		.map((k) =>
			k === 'check_time' || k === 'time'
				? `${k}: String(t)`
				: k === 'emp' || k === 'user_id' || k === 'employee_id'
					? `${k}: emp`
					: `${k}: ${JSON.stringify(sample[k])}`,
		)
		.join(', ');
	return codeNode(
		'Rows',
		`const out = new Array(${n});
for (let i = 0; i < ${n}; i++) {
  const emp = 'emp' + String((i % ${EMPLOYEES}) + 1).padStart(4, '0');
  const t = ${baseSeconds(day)} + Math.floor(i / ${EMPLOYEES}) * 600;
  out[i] = { json: { ${fields} } };
}
return out;`,
	);
}

/**
 * The rows as a user brings them (BENCH_ROWS=csv, the default): a CSV file read by n8n's Read/Write Files from
 * Disk and Extract from File nodes, so the Import node receives plain items. (On n8n 1.x a Code node without task
 * runners hands on vm2 proxies: n8n's engine then spends about 4 s on 100,000 of them before the next node's
 * code runs, and every field read costs a proxy trap; BENCH_ROWS=code shows it.)
 */
function rowsNodes(
	n: number,
	mode: string,
	day: number,
	filesDir: string,
	id: string,
): Array<Record<string, unknown>> {
	if (ROWS === 'code') return [rowsCodeNode(n, mode, day)];
	const file = path.join(filesDir, `${id}.csv`);
	const header = Object.keys(row(0, mode, day));
	const lines = [header.join(',')];
	for (let i = 0; i < n; i++) lines.push(Object.values(row(i, mode, day)).join(','));
	fs.writeFileSync(file, `${lines.join('\n')}\n`);
	return [
		{
			name: 'Read CSV',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			position: [0, 0],
			parameters: { fileSelector: file, options: {} },
		},
		{
			name: 'Rows',
			type: 'n8n-nodes-base.extractFromFile',
			typeVersion: 1,
			position: [0, 0],
			parameters: { operation: 'csv', options: {} },
		},
	];
}

function importParameters(mode: string): Record<string, unknown> {
	const options = { ...EXTRA_OPTIONS };
	// Map Each Field: fields dragged from the input panel (read from the item), or expressions that compute
	// (evaluated by n8n for every item)
	const mapped: Record<string, [string, string, string]> = {
		fields: ['={{ $json.emp }}', '={{ $json.time }}', '={{ $json.site }}'],
		computed: [
			'={{ $json.emp.trim() }}',
			'={{ Number($json.time) }}',
			"={{ $json.site || 'Gate' }}",
		],
	};
	if (mapped[mode]) {
		const [employeeId, checkTime, locationName] = mapped[mode];
		return {
			resource: 'punchFlow',
			operation: 'import',
			inputMode: 'fields',
			employeeId,
			checkTime,
			locationName,
			options,
		};
	}
	if (mode === 'columns') {
		// Map Columns by Name, as for a sheet or CSV: no expression per item
		return {
			resource: 'punchFlow',
			operation: 'import',
			inputMode: 'columns',
			employeeColumn: 'employee_id',
			checkTimeColumn: 'check_time',
			otherColumns: { locationNameColumn: 'site' },
			options,
		};
	}
	return { resource: 'punchFlow', operation: 'import', inputMode: mode, options };
}

const SUMMARY_CODE = `const c = {};
for (const i of $input.all()) { const s = i.json.error ? 'failed' : String(i.json.status); c[s] = (c[s] || 0) + 1; }
return [{ json: { bench_summary: JSON.stringify(c) } }];`;

/**
 * Rows → Import → Code (counts the statuses into bench_summary). `countInN8n` false: Import is the last node (the
 * pair in one n8n counts the webhook's answer itself: on n8n 1.x a Code node runs in-process, 5.3 s over 50,000
 * items, and held the other import's last calls for that long).
 */
function benchWorkflow(
	id: string,
	n: number,
	mode: string,
	day: number,
	cred: { id: string; name: string },
	filesDir: string,
	countInN8n = true,
): WorkflowExport {
	const node = {
		id: `be000000-0000-4000-8000-${String(id.length).padStart(4, '0')}${day.toString().padStart(8, '0')}`,
		name: 'BenchImport',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: importParameters(mode),
		credentials: { [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } },
	};
	const count = countInN8n ? [codeNode('BenchSummary', SUMMARY_CODE)] : [];
	return chain(id, `Bench ${mode} ${n}`, [
		...rowsNodes(n, mode, day, filesDir, id),
		node,
		...count,
	]);
}

/** The bench workflow started by a webhook (POST /webhook/<id>) instead of by hand, answering with the last node's items. */
function webhookWorkflow(wf: WorkflowExport): WorkflowExport {
	const webhook = {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `be000000-0000-4000-8000-${wf.id.padStart(12, '0').slice(-12)}`,
		parameters: {
			httpMethod: 'POST',
			path: wf.id,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
	};
	const [trigger, ...rest] = wf.nodes as Array<{ name: string }>;
	const connections = Object.fromEntries(
		Object.entries(wf.connections as Record<string, unknown>).map(([from, to]) => [
			from === trigger.name ? webhook.name : from,
			to,
		]),
	);
	return { ...wf, active: true, nodes: [webhook, ...rest], connections };
}

async function cliOk(n8n: N8nInstance, args: string[]): Promise<void> {
	const r = await n8n.cli(args);
	if (r.code !== 0)
		throw new Error(
			`n8n ${args.join(' ')} exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`,
		);
}

/**
 * Waits until n8n has registered the POST webhooks (it answers 404 for a few seconds after start, longer on a slow
 * machine): a GET is answered "not registered for GET requests. Did you mean to make a POST request?" once the
 * POST webhook exists, without running the workflow.
 */
async function webhooksRegistered(url: string, ids: string[]): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (const id of ids) {
		for (;;) {
			const text = await fetch(`${url}/webhook/${id}`).then(
				(r) => r.text(),
				() => '',
			);
			if (/POST request/i.test(text) || Date.now() > deadline) break;
			await new Promise((r) => setTimeout(r, 250));
		}
	}
}

/** Two workflows in one n8n (`n8n start`), started together by their webhooks: one process, one app. */
async function pairInOneN8n(
	target: TargetId,
	emu: Emulator,
	day: number,
): Promise<{ n8n: N8nInstance; results: Execution[] }> {
	const ids = [0, 1].map((k) => `benchP${target}${k}`);
	const n8n = await prepare(
		target,
		emu,
		(cred, files) =>
			ids.map((id, k) =>
				webhookWorkflow(benchWorkflow(id, CONCURRENT, 'json', day + k, cred, files, false)),
			),
		NODE_TIMES_LOG_ENV,
	);
	const url = await n8n.start();
	await webhooksRegistered(url, ids);
	emu.reset();
	const started = Date.now();
	const answers = await Promise.all(
		ids.map((id) =>
			fetch(`${url}/webhook/${id}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
				signal: AbortSignal.timeout(TIMEOUT_MS),
			}).then(
				async (r) => ({
					status: r.status,
					body: (await r.json().catch(() => undefined)) as Array<{ status?: string }> | undefined,
					wallMs: Date.now() - started,
				}),
				(e: Error) => ({
					status: 0,
					body: undefined,
					wallMs: Date.now() - started,
					error: e.message,
				}),
			),
		),
	);
	const runs = nodeRunsFromLog(n8n.serverOutput(), 'BenchImport');
	if (env.BENCH_VERBOSE) {
		// every node's start and time in each workflow, in s since the import that started first
		const t0 = Math.min(...runs.map((r) => r.startTime));
		for (const name of ['Read CSV', 'Rows', 'BenchImport', 'BenchSummary']) {
			const line = nodeRunsFromLog(n8n.serverOutput(), name)
				.map(
					(r) =>
						`${r.workflowId} at ${((r.startTime - t0) / 1000).toFixed(1)} s for ${r.executionTime === undefined ? '?' : (r.executionTime / 1000).toFixed(1)} s`,
				)
				.join(', ');
			log(`    ${name}: ${line}`);
		}
	}
	const results = answers.map((a, k): Execution => {
		const t = runs.find((r) => r.workflowId === ids[k]);
		// the Import's output items, counted by status
		const summary = Array.isArray(a.body)
			? a.body.reduce<Record<string, number>>(
					(c, item) => ((c[String(item.status)] = (c[String(item.status)] ?? 0) + 1), c),
					{},
				)
			: undefined;
		return {
			ok: a.status === 200 && summary !== undefined && t?.executionTime !== undefined,
			wallMs: a.wallMs,
			startTime: t?.startTime,
			executionTime: t?.executionTime,
			summary,
			peakRssMb: n8n.serverPid ? vmHwmMb(n8n.serverPid) : undefined,
			error:
				a.status === 200
					? t
						? undefined
						: 'no node timing in the log'
					: `HTTP ${a.status} ${JSON.stringify(a.body)?.slice(0, 300)}`,
		};
	});
	return { n8n, results };
}

// ---------------------------------------------------------------------------------------------- running

interface Execution {
	ok: boolean;
	wallMs: number;
	/** the Import node's start (ms since epoch) and its execution time */
	startTime?: number;
	executionTime?: number;
	summary?: Record<string, number>;
	peakRssMb?: number;
	error?: string;
}

/** Peak resident memory so far of a process (VmHWM), in MB. */
function vmHwmMb(pid: number): number | undefined {
	try {
		const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** `n8n execute --id --rawOutput` with the instance's environment; times the Import node from the run JSON. */
function execute(n8n: N8nInstance, workflowId: string): Promise<Execution> {
	const started = Date.now();
	const timeout = Math.max(10_000, Math.min(TIMEOUT_MS, DEADLINE - Date.now()));
	return new Promise((resolve) => {
		// stdout to a file, not a pipe: n8n exits with process.exit(), which cuts a piped output of 100,000 items short
		const outFile = path.join(n8n.userFolder, `execute-${workflowId}-${Date.now()}.out`);
		const outFd = fs.openSync(outFile, 'w');
		const child = spawn(
			n8n.target.node,
			[...NODE_ARGS, n8n.target.n8n, 'execute', `--id=${workflowId}`, '--rawOutput'],
			{
				cwd: n8n.userFolder,
				env: n8n.env,
				detached: true,
				stdio: ['ignore', outFd, 'pipe'],
			},
		);
		fs.closeSync(outFd);
		const pid = child.pid!;
		children.add(pid);
		let peak = 0;
		const sampler = setInterval(() => (peak = Math.max(peak, vmHwmMb(pid) ?? 0)), 250);
		const killer = setTimeout(() => killGroup(pid), timeout);
		const err: Buffer[] = [];
		child.stderr!.on('data', (d: Buffer) => err.push(d));
		child.on('close', (code, signal) => {
			clearInterval(sampler);
			clearTimeout(killer);
			children.delete(pid);
			const stdout = fs.readFileSync(outFile, 'utf8');
			fs.rmSync(outFile, { force: true });
			const timing = nodeTiming(stdout, 'BenchImport');
			const summary = /"bench_summary": "((?:[^"\\]|\\.)*)"/.exec(stdout)?.[1];
			const result: Execution = {
				ok: code === 0 && summary !== undefined,
				wallMs: Date.now() - started,
				...timing,
				summary: summary
					? (JSON.parse(JSON.parse(`"${summary}"`)) as Record<string, number>)
					: undefined,
				peakRssMb: peak || undefined,
			};
			if (!result.ok) {
				const tail = (s: string) => s.split('\n').slice(-15).join('\n');
				result.error = signal
					? `killed (${signal}) after ${timeout / 1000} s`
					: `exit ${code}\n${tail(stdout)}\n${tail(Buffer.concat(err).toString('utf8'))}`;
			}
			resolve(result);
		});
	});
}

/** startTime and executionTime of a node's first run, cut from the printed run JSON without parsing all of it. */
function nodeTiming(stdout: string, node: string): { startTime?: number; executionTime?: number } {
	const runData = stdout.indexOf('"runData": {');
	if (runData < 0) return {};
	const at = stdout.indexOf(`"${node}": [`, runData);
	if (at < 0) return {};
	const head = stdout.slice(at, at + 4000);
	const start = /"startTime": (\d+)/.exec(head)?.[1];
	let exec = /"executionTime": (\d+)/.exec(head)?.[1];
	// executionTime may come after the node's (large) output data: look for it right after that data
	if (!exec) {
		const next = /\n {8}\],?\n|\n {6}\}/.exec(stdout.slice(at));
		const end = next ? at + next.index : at;
		exec = /"executionTime": (\d+)/.exec(stdout.slice(Math.max(at, end - 2000), end + 4000))?.[1];
	}
	return {
		startTime: start ? Number(start) : undefined,
		executionTime: exec ? Number(exec) : undefined,
	};
}

function killGroup(pid: number): void {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		/* gone */
	}
}

interface Traffic {
	first?: number;
	last?: number;
	admitted: number;
	rejected: number;
	perSecond?: number[];
}

/** Seconds (since the first call) in which fewer than 40 calls were admitted, the last second excepted: where sending stalled. */
const stalls = (t: Traffic) => {
	if (env.BENCH_VERBOSE) log(`    admitted per second: ${(t.perSecond ?? []).join(' ')}`);
	const slow = (t.perSecond ?? [])
		.slice(0, -1)
		.map((n, s) => (n < 40 ? `${s}s:${n}` : ''))
		.filter(Boolean);
	if (!slow.length) return '';
	return `, seconds below 40 calls: ${slow.slice(0, 8).join(' ')}${slow.length > 8 ? ` and ${slow.length - 8} more` : ''}`;
};

async function traffic(emu: Emulator): Promise<Traffic> {
	const res = await httpJson('GET', `${emu.url}/__admin/traffic`);
	const line = (res.body as Record<string, Traffic>)[BATCH_CREATE];
	return line ?? { admitted: 0, rejected: 0 };
}

const pct = (x: number, of: number) => `${((x / Math.max(1, of)) * 100).toFixed(2)} %`;

/** Calls admitted per second between the first and the last admitted batch_create: the pacing alone. */
const sendingRate = (t: Traffic) =>
	t.first !== undefined && t.last !== undefined && t.last > t.first
		? `${((t.admitted - 1) / ((t.last - t.first) / 1000)).toFixed(1)} calls/s`
		: '?';

function report(label: string, n: number, r: Execution, emu: Emulator, t: Traffic): void {
	const first = t.first;
	const counters = emu.counters();
	const calls = counters.requests[BATCH_CREATE] ?? 0;
	if (!r.ok || r.executionTime === undefined) {
		log(`${label}: FAILED ${r.error ?? '(no node timing in the output)'}`);
		return;
	}
	const rate = n / (r.executionTime / 1000);
	const imported = r.summary?.imported ?? 0;
	log(
		[
			`${label}: ${rate.toFixed(0)} records/s = ${((rate / CEILING) * 100).toFixed(1)} % of ${CEILING} (node ${(r.executionTime / 1000).toFixed(1)} s, n8n execute ${(r.wallMs / 1000).toFixed(1)} s)`,
			`    batch_create calls ${calls} (expected ${Math.ceil(n / 50)}), answered 429: ${counters.rateLimited} (${pct(counters.rateLimited, calls)}), time before the first call ${first !== undefined && r.startTime ? ((first - r.startTime) / 1000).toFixed(1) : '?'} s, sending ${sendingRate(t)}, peak calls in flight ${counters.peakConcurrency}${stalls(t)}`,
			`    outputs ${JSON.stringify(r.summary)}, stored ${emu.flows().length}${imported === n ? '' : ' — NOT ALL IMPORTED'}, peak memory of n8n ${r.peakRssMb?.toFixed(0) ?? '?'} MB`,
		].join('\n'),
	);
}

/** Two imports of CONCURRENT records started together: each one's figures, then both together. */
function pairReport(label: string, results: Execution[], emu: Emulator, t: Traffic): void {
	const counters = emu.counters();
	const calls = counters.requests[BATCH_CREATE] ?? 0;
	results.forEach((r, k) =>
		log(
			`${label}, import ${k + 1} of 2, ${CONCURRENT.toLocaleString('en')} records: ${r.ok && r.executionTime ? `${(CONCURRENT / (r.executionTime / 1000)).toFixed(0)} records/s (node ${(r.executionTime / 1000).toFixed(1)} s), outputs ${JSON.stringify(r.summary)}, peak memory ${r.peakRssMb?.toFixed(0)} MB` : `FAILED ${r.error}`}`,
		),
	);
	if (!results.every((r) => r.ok && r.startTime && r.executionTime)) return;
	const start = Math.min(...results.map((r) => r.startTime!));
	const end = Math.max(...results.map((r) => r.startTime! + r.executionTime!));
	const rate = (2 * CONCURRENT) / ((end - start) / 1000);
	log(
		`    together: ${rate.toFixed(0)} records/s = ${((rate / CEILING) * 100).toFixed(1)} % of ${CEILING} (first node start to last node end ${((end - start) / 1000).toFixed(1)} s), batch_create calls ${calls} (expected ${2 * Math.ceil(CONCURRENT / 50)}), answered 429: ${counters.rateLimited} (${pct(counters.rateLimited, calls)}), sending ${sendingRate(t)}, stored ${emu.flows().length}${stalls(t)}`,
	);
}

let tgz: string | undefined;

/**
 * The package tarball: from the working tree (default; built when stale), or with BENCH_SOURCE=head from the
 * last commit, built in a temporary copy (unaffected by files being edited in the working tree).
 */
async function buildPackage(): Promise<string> {
	if (env.BENCH_PACKAGE_TGZ) return env.BENCH_PACKAGE_TGZ;
	if (env.BENCH_SOURCE !== 'head') {
		await ensurePackageBuilt({ log });
		return await packPackage();
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-head-'));
	const sh = async (cmd: string) => {
		const r = await run('bash', ['-c', cmd], { cwd: dir, timeoutMs: 300_000 });
		if (r.code !== 0) throw new Error(`${cmd} failed:\n${r.stdout}\n${r.stderr}`);
		return r.stdout;
	};
	await sh(
		`git -C ${JSON.stringify(REPO_ROOT)} archive HEAD | tar -x && ln -s ${JSON.stringify(path.join(REPO_ROOT, 'node_modules'))} node_modules`,
	);
	log(
		`building the package from HEAD (${(await sh(`git -C ${JSON.stringify(REPO_ROOT)} rev-parse --short HEAD`)).trim()}) in ${dir}…`,
	);
	await sh('npm run -s build && npm pack --ignore-scripts --silent');
	const file = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
	if (!file) throw new Error('npm pack made no tarball');
	return path.join(dir, file);
}

type Cred = { id: string; name: string };

async function prepare(
	target: TargetId,
	emu: Emulator,
	workflows: (cred: Cred, filesDir: string) => WorkflowExport[],
	extraEnv: NodeJS.ProcessEnv = {},
): Promise<N8nInstance> {
	const info = findTarget(target).info!;
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `bench-files-t${target}-`));
	// n8n 2.x reads files only below N8N_RESTRICT_FILE_ACCESS_TO (default ~/.n8n-files): name the folder on both lines
	const n8n = await N8nInstance.create(info, {
		env: { N8N_RESTRICT_FILE_ACCESS_TO: scratch, ...N8N_ENV, ...extraEnv },
	});
	cleanups.push(() => fs.rmSync(scratch, { recursive: true, force: true }));
	const cred = feishuCredential({ id: 'benchCred01', baseUrl: emu.url, ...APP });
	await n8n.installPackage(tgz);
	await n8n.importCredentials([cred]);
	const wfs = workflows(cred, scratch);
	await n8n.importWorkflows(wfs.map((w) => ({ ...w, active: false })));
	// webhook workflows: imported inactive, then activated (1.x) or published (2.x) before n8n starts
	for (const w of wfs.filter((x) => x.active)) {
		await cliOk(
			n8n,
			target === 1
				? ['update:workflow', `--id=${w.id}`, '--active=true']
				: ['publish:workflow', `--id=${w.id}`],
		);
	}
	return n8n;
}

async function main(): Promise<void> {
	const missing = TARGETS.filter((t) => !findTarget(t).info);
	if (missing.length) throw new Error(missing.map((t) => findTarget(t).reason).join('\n'));
	tgz = await buildPackage();
	const emu = await startEmulator({ ...EMULATOR, employees: EMPLOYEES });
	log(
		`bench:n8n — emulator on ${emu.url}: limit ${EMULATOR.rateLimitPerSecond} calls/s per endpoint, arrival delay 50–150 ms before the limiter, answers 25–75 ms; ceiling ${CEILING} records/s; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`,
	);
	const instances: N8nInstance[] = [];
	try {
		let day = 0;
		for (const target of RECORDS > 0 ? TARGETS : []) {
			const ids = MODES.map((mode, i) => ({ mode, id: `bench${target}m${i}`, day: day++ }));
			const n8n = await prepare(target, emu, (cred, files) =>
				ids.map((w) => benchWorkflow(w.id, RECORDS, w.mode, w.day, cred, files)),
			);
			instances.push(n8n);
			for (const w of ids) {
				const label = `n8n ${TARGET_VERSIONS[target]}, ${RECORDS.toLocaleString('en')} records, input mode ${w.mode}`;
				const shares: number[] = [];
				for (let k = 0; k < REPEAT; k++) {
					if (Date.now() > DEADLINE) throw new Error('BENCH_DEADLINE_S reached');
					// the emulator forgets the records (the same rows import again) but not the token the first run fetched:
					// on Feishu it lives two hours
					emu.reset({ keepTokens: true });
					const r = await execute(n8n, w.id);
					report(
						`${label}${REPEAT > 1 ? `, run ${k + 1} of ${REPEAT}` : ''}`,
						RECORDS,
						r,
						emu,
						await traffic(emu),
					);
					if (r.ok && r.executionTime)
						shares.push((RECORDS / (r.executionTime / 1000) / CEILING) * 100);
				}
				if (REPEAT > 1 && shares.length) {
					const sorted = [...shares].sort((a, b) => a - b);
					log(
						`  ${label}: median ${sorted[Math.floor((sorted.length - 1) / 2)].toFixed(1)} % of ${CEILING} over ${shares.length} runs (${sorted.map((x) => x.toFixed(1)).join(', ')})`,
					);
				}
			}
		}
		if (CONCURRENT > 0) {
			for (const target of CONCURRENT_TARGETS) {
				if (Date.now() > DEADLINE) throw new Error('BENCH_DEADLINE_S reached');
				// two workflows in one n8n (one process: shared lanes), then two n8n instances (two teams, or two
				// queue-mode workers: two processes that share the limit by adapting); one app, one 50 calls/s limit
				const oneN8n = await pairInOneN8n(target, emu, day);
				day += 2;
				instances.push(oneN8n.n8n);
				pairReport(
					`n8n ${TARGET_VERSIONS[target]}, two workflows in one n8n`,
					oneN8n.results,
					emu,
					await traffic(emu),
				);
				await oneN8n.n8n.stop();
				const pair = await Promise.all(
					[0, 1].map(async (k) => {
						const id = `benchC${target}${k}`;
						const wfDay = day++;
						return {
							id,
							n8n: await prepare(target, emu, (cred, files) => [
								benchWorkflow(id, CONCURRENT, 'json', wfDay, cred, files),
							]),
						};
					}),
				);
				instances.push(...pair.map((p) => p.n8n));
				emu.reset();
				const results = await Promise.all(pair.map((p) => execute(p.n8n, p.id)));
				pairReport(
					`n8n ${TARGET_VERSIONS[target]}, two n8n instances`,
					results,
					emu,
					await traffic(emu),
				);
			}
		}
	} finally {
		for (const pid of children) killGroup(pid);
		await Promise.all(instances.map((i) => i.dispose().catch(() => undefined)));
		for (const c of cleanups) c();
		await emu.close();
	}
}

const hardStop = setTimeout(
	() => {
		log('bench:n8n: BENCH_DEADLINE_S passed, stopping');
		for (const pid of children) killGroup(pid);
		process.exit(2);
	},
	DEADLINE - Date.now() + 60_000,
);
hardStop.unref();

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		for (const pid of children) killGroup(pid);
		process.exit(1);
	},
);
