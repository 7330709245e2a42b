/**
 * Queue mode end to end (npm run test:queue): PostgreSQL and Redis (Debian packages, started here as plain
 * processes), an n8n main instance and two workers with the packed package installed in each, and the emulator
 * in this process (50 calls/s per endpoint, 50–150 ms arrival jitter, tenant tokens that expire every 10 s).
 * Two 20,000-record imports are started at once through a webhook (queue mode sends only active workflows'
 * executions to the workers) and must: store every record exactly once, report every item, share the
 * refreshed token through the credential, and the figures (aggregate records/s, 429s, token exchanges) are
 * printed. Exits 0 when all checks pass, 1 otherwise; everything it started is stopped, on failure too.
 *
 *   npm run test:queue                        (n8n 1.123.81)
 *   QUEUE_TARGETS=1,2 QUEUE_RECORDS=20000 npm run test:queue
 *   QUEUE_RECORDS=50000 QUEUE_TOKEN_TTL_S=7200 npm run test:queue   (steady state: the token lives as long as on Feishu)
 *
 * Needs: n8n installed (npm run n8n:install), `redis-server` and PostgreSQL 15 (`apt-get install -y
 * --no-install-recommends redis-server postgresql`), root (PostgreSQL runs as the `postgres` user via runuser).
 * Loopback only; bounded by QUEUE_DEADLINE_S (default 900). Queue mode: https://docs.n8n.io/hosting/scaling/queue-mode/
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';

import { startEmulator, type Emulator } from '../emulator';
import { chain, codeNode } from '../e2e/fixtures';
import {
	CREDENTIAL_TYPE,
	delay,
	ensurePackageBuilt,
	feishuCredential,
	findTarget,
	freePort,
	httpJson,
	N8nInstance,
	NODE_TYPE,
	packPackage,
	parseTargets,
	TARGET_VERSIONS,
	type TargetId,
	type WorkflowExport,
} from '../e2e/n8n';
import { NODE_TIMES_LOG_ENV, nodeRunsFromLog, spanOf } from './nodeTimes';

const env = process.env;
const TARGETS = parseTargets(env.QUEUE_TARGETS || '1');
const RECORDS = Number(env.QUEUE_RECORDS || 20_000);
const DEADLINE = Date.now() + Number(env.QUEUE_DEADLINE_S || 900) * 1000;
/** token lifetime in the emulator: short, so that it expires mid-run (QUEUE_TOKEN_TTL_S, e.g. 7200 for Feishu's own, skips that check) */
const TOKEN_TTL_SECONDS = Number(env.QUEUE_TOKEN_TTL_S || 10);
const EMPLOYEES = 2000;
const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';
const PG_BIN = '/usr/lib/postgresql/15/bin';
const WEBHOOK_PATH = 'feishu-queue-import';

const log = (s: string) =>
	process.stdout.write(`[queue ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const cleanups: Array<() => Promise<void> | void> = [];
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
	log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
	if (!ok) failures.push(what);
};

// ---------------------------------------------------------------------------------------------- services

function background(
	cmd: string,
	args: string[],
	opts: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): ChildProcess {
	const out = fs.openSync(opts.logFile, 'a');
	const child = spawn(cmd, args, {
		cwd: opts.cwd,
		env: opts.env ?? process.env,
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	return child;
}

async function stopChild(child: ChildProcess, timeoutMs = 35_000): Promise<void> {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		return;
	}
	const timer = setTimeout(() => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			/* gone */
		}
	}, timeoutMs);
	await done;
	clearTimeout(timer);
}

async function startRedis(dir: string): Promise<number> {
	const port = await freePort();
	const child = background(
		'redis-server',
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{ logFile: path.join(dir, 'redis.log') },
	);
	cleanups.push(() => stopChild(child, 5000));
	for (let i = 0; i < 50; i++) {
		const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], {
			encoding: 'utf8',
			timeout: 5000,
		});
		if (r.stdout?.includes('PONG')) return port;
		await delay(100);
	}
	throw new Error(
		`redis-server did not answer on ${port}: ${fs.readFileSync(path.join(dir, 'redis.log'), 'utf8').slice(-500)}`,
	);
}

async function startPostgres(dir: string): Promise<number> {
	const port = await freePort();
	const data = path.join(dir, 'pgdata');
	fs.mkdirSync(data, { recursive: true });
	const ok = async (args: string[]) => sh('runuser', ['-u', 'postgres', '--', ...args]);
	sh('chown', ['-R', 'postgres:postgres', dir]);
	sh('chmod', ['755', dir, path.dirname(dir)]);
	await ok([`${PG_BIN}/initdb`, '-D', data, '-U', 'postgres', '-A', 'trust', '--no-locale']);
	await ok([
		`${PG_BIN}/pg_ctl`,
		'-D',
		data,
		'-l',
		path.join(dir, 'pg.log'),
		'-w',
		'-o',
		`-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`,
		'start',
	]);
	cleanups.push(async () => {
		spawnSync(
			'runuser',
			['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', data, '-m', 'fast', 'stop'],
			{ timeout: 30_000 },
		);
	});
	sh('psql', [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'postgres',
		'-c',
		"CREATE USER n8n WITH PASSWORD 'n8n'",
		'-c',
		'CREATE DATABASE n8n OWNER n8n',
	]);
	return port;
}

/** A short command; throws with its output when it fails. */
function sh(cmd: string, args: string[]): string {
	const r = spawnSync(cmd, args, {
		encoding: 'utf8',
		timeout: 60_000,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (r.status !== 0)
		throw new Error(
			`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}):\n${r.stdout}\n${r.stderr}`,
		);
	return r.stdout;
}

// ---------------------------------------------------------------------------------------------- n8n

function queueWorkflow(cred: { id: string; name: string }): WorkflowExport {
	const webhook = {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path: WEBHOOK_PATH,
			responseMode: 'lastNode',
			responseData: 'firstEntryJson',
			options: {},
		},
	};
	const rows = codeNode(
		'Rows',
		`const { count, day } = $input.first().json.body;
const base = Date.UTC(2026, 1, 2 + day, 0, 0, 0) / 1000;
const out = new Array(count);
for (let i = 0; i < count; i++) {
  out[i] = { json: { user_id: 'emp' + String((i % ${EMPLOYEES}) + 1).padStart(4, '0'), check_time: String(base + Math.floor(i / ${EMPLOYEES}) * 600), location_name: 'Gate 1', comment: 'Queue mode' } };
}
return out;`,
	);
	const importNode = {
		id: randomUUID(),
		name: 'Import',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'punchFlow', operation: 'import', inputMode: 'json', options: {} },
		credentials: { [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } },
	};
	const summary = codeNode(
		'Summary',
		`const c = {}; let paired = 0;
const items = $input.all();
items.forEach((i, k) => { const s = i.json.error ? 'failed' : String(i.json.status); c[s] = (c[s] || 0) + 1; if (i.pairedItem && i.pairedItem.item === k) paired++; });
return [{ json: { outputs: items.length, paired, statuses: c, execution: $execution.id } }];`,
	);
	const wf = chain('queueImport01', 'Queue import', [rows, importNode, summary]);
	// the webhook replaces the manual trigger
	wf.nodes[0] = webhook;
	wf.connections = {
		Webhook: wf.connections.Start,
		...Object.fromEntries(Object.entries(wf.connections).filter(([k]) => k !== 'Start')),
	};
	wf.active = true;
	return wf;
}

interface Proc {
	name: string;
	child: ChildProcess;
	logFile: string;
}

async function waitHttp(
	url: string,
	until: () => boolean = () => true,
	timeoutMs = 120_000,
): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		const r = await httpJson('GET', url).catch(() => undefined);
		if (r?.status === 200 && until()) return;
		await delay(300);
	}
	throw new Error(`${url} not ready within ${timeoutMs / 1000} s`);
}

/** n8n (main or worker) as a background process; in a container each gets its own hostname (host ID). */
function startN8n(
	n8n: N8nInstance,
	name: string,
	args: string[],
	extraEnv: NodeJS.ProcessEnv,
): Proc {
	const logFile = path.join(n8n.userFolder, `${name}.log`);
	const command = [n8n.target.node, n8n.target.n8n, ...args].map((a) => `'${a}'`).join(' ');
	const child = fs.existsSync('/.dockerenv')
		? background('unshare', ['--uts', 'sh', '-c', `hostname ${name} && exec ${command}`], {
				cwd: n8n.userFolder,
				env: { ...n8n.env, ...extraEnv },
				logFile,
			})
		: background(n8n.target.node, [n8n.target.n8n, ...args], {
				cwd: n8n.userFolder,
				env: { ...n8n.env, ...extraEnv },
				logFile,
			});
	return { name, child, logFile };
}

async function runTarget(target: TargetId, tgz: string): Promise<void> {
	const info = findTarget(target).info!;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `queue-t${target}-`));
	cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	const t0 = Date.now();
	const emu: Emulator = await startEmulator({
		rateLimitPerSecond: 50,
		arrivalDelayMs: 100,
		arrivalJitter: 0.5,
		latencyMs: 50,
		latencyJitter: 0.5,
		tokenTtlSeconds: TOKEN_TTL_SECONDS,
		employees: EMPLOYEES,
	});
	cleanups.push(() => emu.close());
	const redisPort = await startRedis(dir);
	const pgPort = await startPostgres(path.join(dir, 'pg'));
	log(
		`n8n ${info.version}: Redis on ${redisPort}, PostgreSQL on ${pgPort}, emulator ${emu.url} (${Date.now() - t0} ms)`,
	);

	const shared: NodeJS.ProcessEnv = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(pgPort),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: 'n8n',
		N8N_ENCRYPTION_KEY: 'feishu-queue-encryption-key',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		// debug JSON lines: the Import nodes' start and end times (nodeTimes.ts)
		...NODE_TIMES_LOG_ENV,
	};
	const instances = await Promise.all(
		['main', 'worker1', 'worker2'].map(() => N8nInstance.create(info, { env: shared })),
	);
	cleanups.push(() =>
		Promise.all(instances.map((i) => i.dispose().catch(() => undefined))).then(() => undefined),
	);
	for (const i of instances) await i.installPackage(tgz);
	const [main, ...workers] = instances;
	const cred = feishuCredential({
		id: 'queueCred01',
		baseUrl: emu.url,
		appId: 'cli_emulator',
		appSecret: 'emulator-secret',
	});
	await main.importCredentials([cred]);
	const wf = queueWorkflow(cred);
	const wfFile = path.join(dir, 'wf.json');
	fs.writeFileSync(wfFile, JSON.stringify(wf));
	if (target === 1) {
		await cliOk(main, ['import:workflow', `--input=${wfFile}`, '--activeState=fromJson']);
	} else {
		await cliOk(main, ['import:workflow', `--input=${wfFile}`]);
		await cliOk(main, ['publish:workflow', `--id=${wf.id}`]);
	}
	log(`imports done (${Date.now() - t0} ms)`);

	const port = await freePort();
	const procs: Proc[] = [
		startN8n(main, 'main', ['start'], {
			N8N_PORT: String(port),
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		}),
	];
	const healthPorts = await Promise.all(workers.map(() => freePort()));
	workers.forEach((w, k) =>
		procs.push(
			startN8n(w, `worker${k + 1}`, ['worker', '--concurrency=10'], {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPorts[k]),
			}),
		),
	);
	// stop main first, then the workers (they finish running jobs)
	cleanups.push(async () => {
		await stopChild(procs[0].child);
		await Promise.all(procs.slice(1).map((p) => stopChild(p.child)));
	});
	const mainLog = () => fs.readFileSync(procs[0].logFile, 'utf8');
	await waitHttp(`http://127.0.0.1:${port}/healthz/readiness`, () =>
		/Editor is now accessible via/.test(mainLog()),
	);
	await Promise.all(healthPorts.map((p) => waitHttp(`http://127.0.0.1:${p}/healthz/readiness`)));
	await delay(target === 2 ? 3000 : 500); // 2.x: the webhook answers 404 for a few seconds after activation
	log(`main + 2 workers ready (${Date.now() - t0} ms since the start)`);

	emu.reset();
	const started = Date.now();
	const answers = await Promise.all(
		[0, 1].map((day) =>
			httpJsonLong('POST', `http://127.0.0.1:${port}/webhook/${WEBHOOK_PATH}`, {
				count: RECORDS,
				day,
			}),
		),
	);
	const seconds = (Date.now() - started) / 1000;
	const counters = emu.counters();
	const flows = emu.flows();
	const calls = counters.requests[BATCH_CREATE] ?? 0;
	log(
		`two imports of ${RECORDS.toLocaleString('en')}: ${seconds.toFixed(1)} s from the two webhook calls to both answers, together ${((2 * RECORDS) / seconds).toFixed(0)} records/s = ${(((2 * RECORDS) / seconds / 2500) * 100).toFixed(1)} % of 2,500; batch_create calls ${calls} (expected ${2 * Math.ceil(RECORDS / 50)}), answered 429: ${counters.rateLimited} (${((counters.rateLimited / Math.max(1, calls)) * 100).toFixed(2)} %), token exchanges ${counters.tokenExchanges}, calls rejected for an expired token ${counters.tokenRejections}`,
	);

	const line = emu.traffic()[BATCH_CREATE];
	if (line)
		log(
			`    batch_create per second, admitted/answered 429: ${line.perSecond.map((n, k) => `${n}/${line.rejectedPerSecond[k] ?? 0}`).join(' ')}`,
		);

	const runs = nodeRunsFromLog(
		procs.map((p) => fs.readFileSync(p.logFile, 'utf8')).join('\n'),
		'Import',
	);
	const span = spanOf(runs);
	if (span) {
		const nodeSeconds = (span.end - span.start) / 1000;
		const times = runs
			.map(
				(r) =>
					`${((r.startTime - span.start) / 1000).toFixed(2)}–${((r.startTime + r.executionTime! - span.start) / 1000).toFixed(1)} s`,
			)
			.join(' and ');
		log(
			`    Import nodes (n8n's log, first start to last end): ${nodeSeconds.toFixed(1)} s (${times}), together ${((2 * RECORDS) / nodeSeconds).toFixed(0)} records/s = ${(((2 * RECORDS) / nodeSeconds / 2500) * 100).toFixed(1)} % of 2,500`,
		);
	}

	for (const [k, a] of answers.entries()) {
		const body = a.body as {
			outputs?: number;
			paired?: number;
			statuses?: Record<string, number>;
			execution?: string;
		};
		check(
			a.status === 200 && body.outputs === RECORDS && body.paired === RECORDS,
			`import ${k + 1}: HTTP ${a.status}, ${body.outputs} output items, ${body.paired} paired with their input item, statuses ${JSON.stringify(body.statuses)}`,
		);
		check(body.statuses?.imported === RECORDS, `import ${k + 1}: every record reported imported`);
	}
	check(flows.length === 2 * RECORDS, `stored ${flows.length} records (expected ${2 * RECORDS})`);
	check(
		new Set(flows.map((f) => `${f.user_id}|${f.check_time}`)).size === flows.length,
		'every record stored exactly once (no duplicate employee + time)',
	);
	if (TOKEN_TTL_SECONDS < 60)
		check(
			seconds > TOKEN_TTL_SECONDS && counters.tokenExchanges >= 2,
			`the token expired mid-run and was refreshed (${counters.tokenExchanges} exchanges in ${seconds.toFixed(0)} s, lifetime ${TOKEN_TTL_SECONDS} s)`,
		);
	if (TOKEN_TTL_SECONDS < 60)
		check(
			counters.tokenRejections === 0,
			`the token was renewed before it expired: ${counters.tokenRejections} calls refused for an expired token`,
		);
	// shared, not per call: at most a few exchanges per token lifetime for both workers together
	const lifetimes = Math.ceil(seconds / TOKEN_TTL_SECONDS) + 1;
	check(
		counters.tokenExchanges <= 3 * lifetimes,
		`token refreshes shared through the credential: ${counters.tokenExchanges} exchanges for ${lifetimes} token lifetimes and ${calls} calls`,
	);
	const stored = (await main.getCredentialData(cred.id)).tenantAccessToken;
	const issued = emu.tokens().issued;
	check(
		issued.includes(stored) && issued.indexOf(stored) >= issued.length - 2,
		'the credential holds one of the last tokens issued (the refreshed token was written back)',
	);
	const ran = procs
		.slice(1)
		.map(
			(p) => (fs.readFileSync(p.logFile, 'utf8').match(/Worker started execution/g) ?? []).length,
		);
	check(
		ran.reduce((a, b) => a + b, 0) >= 2,
		`executions ran on the workers (worker1 ${ran[0]}, worker2 ${ran[1]})`,
	);
	log(`n8n ${info.version} queue mode: whole run ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

async function cliOk(n8n: N8nInstance, args: string[]): Promise<void> {
	const r = await n8n.cli(args);
	if (r.code !== 0)
		throw new Error(
			`n8n ${args.join(' ')} exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`,
		);
}

/** POST that may take minutes (the webhook answers when the worker finished). */
function httpJsonLong(
	method: string,
	url: string,
	body: unknown,
): Promise<{ status: number; body: unknown }> {
	const remaining = Math.max(10_000, DEADLINE - Date.now());
	return fetch(url, {
		method,
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(remaining),
	}).then(async (r) => ({ status: r.status, body: await r.json().catch(() => undefined) }));
}

async function main(): Promise<void> {
	const missing = TARGETS.filter((t) => !findTarget(t).info);
	if (missing.length) throw new Error(missing.map((t) => findTarget(t).reason).join('\n'));
	const t0 = Date.now();
	let tgz = env.QUEUE_PACKAGE_TGZ;
	if (!tgz) {
		await ensurePackageBuilt({ log });
		tgz = await packPackage();
	}
	for (const target of TARGETS) {
		try {
			await runTarget(target, tgz);
		} catch (error) {
			failures.push(`n8n ${TARGET_VERSIONS[target]}: ${(error as Error).message}`);
			log(`FAIL n8n ${TARGET_VERSIONS[target]}: ${(error as Error).stack}`);
		} finally {
			const stopAt = Date.now();
			while (cleanups.length)
				await Promise.resolve(cleanups.pop()!()).catch((e: Error) => log(`clean-up: ${e.message}`));
			log(`stopped everything in ${((Date.now() - stopAt) / 1000).toFixed(1)} s`);
		}
	}
	log(
		`test:queue took ${((Date.now() - t0) / 1000).toFixed(0)} s: ${failures.length ? `${failures.length} FAILED` : 'all checks passed'}`,
	);
	if (failures.length) throw new Error(failures.join('\n'));
}

const hardStop = setTimeout(() => {
	log('QUEUE_DEADLINE_S passed: stopping');
	void Promise.all(cleanups.map((c) => Promise.resolve(c()).catch(() => undefined))).finally(() =>
		process.exit(2),
	);
}, DEADLINE - Date.now());
hardStop.unref();

main().then(
	() => process.exit(0),
	(error) => {
		console.error((error as Error).message);
		process.exit(1);
	},
);
