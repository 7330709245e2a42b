/**
 * Driver for a REAL n8n (installed by scripts/install-n8n.sh) used by the e2e suite and the demo.
 *
 *   const t = requireTarget(1);                        // reads <cache>/n8n-<version>/target.json
 *   const n8n = await N8nInstance.create(t);           // fresh N8N_USER_FOLDER in os.tmpdir()
 *   await n8n.installPackage();                        // npm pack of the repo -> .n8n/nodes/node_modules/<name>
 *   await n8n.importCredentials([feishuCredential({ id: 'feishuCred01', baseUrl, appId, appSecret })]);
 *   await n8n.importWorkflows([wf]);
 *   const r = await n8n.execute(wf.id);                // n8n execute --id --rawOutput, run JSON parsed
 *   nodeItems(r.run, 'Feishu Attendance');
 *   (await n8n.getCredentialData('feishuCred01')).tenantAccessToken;   // export:credentials --decrypted
 *   await n8n.start(); await n8n.setupOwner(); ... await n8n.stop();
 *   await n8n.dispose();
 *
 * Everything runs as child processes with the target's own Node binary; nothing here imports n8n.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-feishu-attendance';
export const NODE_TYPE = `${PACKAGE_NAME}.feishuAttendance`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.feishuAttendanceTrigger`;
export const CREDENTIAL_TYPE = 'feishuAttendanceApi';

export type TargetId = 1 | 2;

export interface TargetInfo {
	target: TargetId;
	version: string;
	/** absolute path of the Node binary that runs this n8n */
	node: string;
	/** absolute path of node_modules/n8n/bin/n8n */
	n8n: string;
	nodedir?: string;
	installSeconds?: number;
	/** folder holding target.json */
	dir: string;
}

export const TARGET_VERSIONS: Record<TargetId, string> = {
	1: process.env.N8N1_VERSION || '1.123.81',
	2: process.env.N8N2_VERSION || '2.41.1',
};

export function cacheDir(): string {
	return process.env.N8N_CACHE_DIR || path.join(os.homedir(), '.cache', PACKAGE_NAME);
}

/** Targets from E2E_TARGETS (default "1,2"). */
export function parseTargets(value = process.env.E2E_TARGETS): TargetId[] {
	const list = (value || '1,2')
		.split(/[\s,]+/)
		.filter(Boolean)
		.map((v) => Number(v));
	for (const t of list) if (t !== 1 && t !== 2) throw new Error(`E2E_TARGETS: unknown target ${t}`);
	return [...new Set(list)] as TargetId[];
}

/** target.json of an installed target, or undefined (with the reason) when it is missing or broken. */
export function findTarget(target: TargetId): { info?: TargetInfo; reason?: string } {
	const dir = path.join(cacheDir(), `n8n-${TARGET_VERSIONS[target]}`);
	const file = path.join(dir, 'target.json');
	if (!fs.existsSync(file)) {
		return {
			reason: `n8n target ${target} (${TARGET_VERSIONS[target]}) is not installed: ${file} missing — run \`npm run n8n:install -- ${target}\``,
		};
	}
	const info = { ...(JSON.parse(fs.readFileSync(file, 'utf8')) as TargetInfo), dir };
	for (const f of [info.node, info.n8n]) {
		if (!fs.existsSync(f))
			return {
				reason: `n8n target ${target}: ${f} is missing — reinstall with FORCE=1 npm run n8n:install -- ${target}`,
			};
	}
	return { info };
}

export function requireTarget(target: TargetId): TargetInfo {
	const { info, reason } = findTarget(target);
	if (!info) throw new Error(reason);
	return info;
}

// ---------------------------------------------------------------------------------------------
// process helpers

export interface ProcResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export function run(
	cmd: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<ProcResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: ['pipe', 'pipe', 'pipe'],
			detached: true, // own process group: a timeout kills n8n and its task runner together
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout!.on('data', (d: Buffer) => out.push(d));
		child.stderr!.on('data', (d: Buffer) => err.push(d));
		let timer: NodeJS.Timeout | undefined;
		if (opts.timeoutMs) {
			timer = setTimeout(() => killGroup(child, 'SIGKILL'), opts.timeoutMs);
		}
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			resolve({
				code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - started,
			});
		});
		child.stdin!.end(opts.input ?? '');
	});
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------------------------------------
// package build + pack (cached per process)

const SOURCE_DIRS = [
	'credentials',
	'nodes',
	'index.ts',
	'package.json',
	'tsconfig.json',
	'tsconfig.build.json',
	'gulpfile.js',
];

function newestMtime(p: string): number {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = st.mtimeMs;
	for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
	return max;
}

/** `npm run build` when dist/ is missing or older than the sources. Returns true if it built. */
export async function ensurePackageBuilt(
	opts: { force?: boolean; log?: (s: string) => void } = {},
): Promise<boolean> {
	const dist = path.join(REPO_ROOT, 'dist');
	const src = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(REPO_ROOT, d))));
	if (!opts.force && fs.existsSync(dist) && newestMtime(dist) >= src) return false;
	opts.log?.('building the package (npm run build)…');
	const r = await run('npm', ['run', 'build'], { cwd: REPO_ROOT, timeoutMs: 300_000 });
	if (r.code !== 0) throw new Error(`npm run build failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
	return true;
}

let packed: { tgz: string; key: number } | undefined;

/** `npm pack` of the repository (honours package.json "files"). Returns the .tgz path. */
export async function packPackage(): Promise<string> {
	// packed once by the e2e globalSetup for the whole jest run
	const preset = process.env.E2E_PACKAGE_TGZ;
	if (preset && fs.existsSync(preset)) return preset;
	const key =
		newestMtime(path.join(REPO_ROOT, 'dist')) + newestMtime(path.join(REPO_ROOT, 'package.json'));
	if (packed && packed.key === key && fs.existsSync(packed.tgz)) return packed.tgz;
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'feishu-pack-'));
	// --ignore-scripts: the build is explicit (ensurePackageBuilt); pack must not rebuild.
	const r = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {
		cwd: REPO_ROOT,
		timeoutMs: 120_000,
	});
	if (r.code !== 0) throw new Error(`npm pack failed (${r.code}):\n${r.stderr}`);
	const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string }>;
	const tgz = path.join(dest, json[0].filename.replace(/^@/, '').replace(/\//, '-'));
	if (!fs.existsSync(tgz)) throw new Error(`npm pack: ${tgz} not found`);
	packed = { tgz, key };
	return tgz;
}

// ---------------------------------------------------------------------------------------------
// run data

export interface RunItem {
	json: Record<string, any>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
	binary?: Record<string, unknown>;
}

/** The IRun object n8n prints (only the parts we read). */
export interface N8nRun {
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					data?: { main: Array<RunItem[] | null> };
					error?: { message: string; description?: string; [k: string]: unknown };
					executionStatus?: string;
					executionTime?: number;
				}>
			>;
			lastNodeExecuted?: string;
			error?: {
				message: string;
				description?: string;
				node?: { name: string };
				[k: string]: unknown;
			};
		};
	};
	status?: string;
	finished?: boolean;
	mode?: string;
	startedAt?: string;
	stoppedAt?: string;
}

export interface ExecuteResult extends ProcResult {
	/** parsed run JSON, undefined when n8n printed none (e.g. unknown workflow) */
	run?: N8nRun;
	/** 'success' | 'error' | ... (run.status, or derived) */
	status: string;
	/** resultData.error.message when the workflow failed */
	errorMessage?: string;
	errorDescription?: string;
}

/**
 * Cut the pretty-printed run JSON out of n8n's stdout. It is logged as one message, so the block
 * starts with a line "{" and ends with a line "}"; other log lines may come before and after it.
 */
export function parseRunOutput(stdout: string): N8nRun | undefined {
	const lines = stdout.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				const obj = JSON.parse(lines.slice(i, j + 1).join('\n'));
				if (obj && obj.data && obj.data.resultData) return obj as N8nRun;
				break; // a JSON object that is not a run: look for the next "{"
			} catch {
				/* "}" inside a nested multi-line string? keep extending */
			}
		}
	}
	return undefined;
}

/** Output items of a node (last run, output index `output`). */
export function nodeItems(run: N8nRun | undefined, nodeName: string, output = 0): RunItem[] {
	const runs = run?.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) return [];
	return runs[runs.length - 1].data?.main?.[output] ?? [];
}

// ---------------------------------------------------------------------------------------------
// credential + workflow helpers

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export function feishuCredential(opts: {
	id?: string;
	name?: string;
	baseUrl: string;
	appId: string;
	appSecret: string;
}): CredentialImport {
	return {
		id: opts.id ?? 'feishuCred01',
		name: opts.name ?? 'Feishu Attendance (emulator)',
		type: CREDENTIAL_TYPE,
		data: {
			platform: 'custom',
			baseUrl: opts.baseUrl,
			appId: opts.appId,
			appSecret: opts.appSecret,
			tenantAccessToken: '',
		},
	};
}

export interface WorkflowExport {
	id: string;
	name: string;
	nodes: Array<Record<string, any>>;
	connections: Record<string, any>;
	settings?: Record<string, any>;
	active?: boolean;
	pinData?: Record<string, any>;
	[k: string]: unknown;
}

/** Point every node credential reference of type feishuAttendanceApi at `cred`. */
export function withCredential(
	wf: WorkflowExport,
	cred: { id: string; name: string },
): WorkflowExport {
	const copy: WorkflowExport = JSON.parse(JSON.stringify(wf));
	for (const node of copy.nodes) {
		if (node.credentials?.[CREDENTIAL_TYPE])
			node.credentials[CREDENTIAL_TYPE] = { id: cred.id, name: cred.name };
	}
	return copy;
}

export function loadExample(file: string): WorkflowExport {
	const p = path.isAbsolute(file) ? file : path.join(REPO_ROOT, 'examples', file);
	return JSON.parse(fs.readFileSync(p, 'utf8')) as WorkflowExport;
}

// ---------------------------------------------------------------------------------------------
// the instance

export interface InstanceOptions {
	/** use this folder instead of a fresh temp dir */
	userFolder?: string;
	encryptionKey?: string;
	/** extra environment for every n8n command */
	env?: NodeJS.ProcessEnv;
	/** keep the user folder on dispose() (also E2E_KEEP=1) */
	keep?: boolean;
	log?: (line: string) => void;
}

export interface Timing {
	step: string;
	ms: number;
}

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@example.com',
	password: 'Feishu-Demo-2026',
	firstName: 'Demo',
	lastName: 'Owner',
};

export class N8nInstance {
	readonly timings: Timing[] = [];
	private server?: ChildProcess;
	private serverLog: string[] = [];
	port?: number;

	private constructor(
		readonly target: TargetInfo,
		readonly userFolder: string,
		readonly env: NodeJS.ProcessEnv,
		private readonly opts: InstanceOptions,
	) {}

	static async create(
		target: TargetInfo | TargetId,
		opts: InstanceOptions = {},
	): Promise<N8nInstance> {
		const info = typeof target === 'number' ? requireTarget(target) : target;
		const userFolder =
			opts.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-t${info.target}-`));
		fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
		const brokerPort = await freePort();
		const nodeBin = path.dirname(info.node);
		const env: NodeJS.ProcessEnv = {
			// minimal inherited environment: no stray N8N_* / DB_* from the caller
			PATH: `${nodeBin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
			HOME: userFolder,
			TMPDIR: process.env.TMPDIR,
			LANG: process.env.LANG ?? 'C.UTF-8',
			TZ: process.env.TZ,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: opts.encryptionKey ?? 'feishu-e2e-encryption-key',
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LOG_LEVEL: 'info',
			N8N_SECURE_COOKIE: 'false',
			NODE_ENV: 'production',
			// isolated-vm is not compiled on Node 20 (installed with --ignore-scripts)
			...(info.target === 1 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
			...opts.env,
		};
		for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
		return new N8nInstance(info, userFolder, env, opts);
	}

	get nodesDir(): string {
		return path.join(this.userFolder, '.n8n', 'nodes');
	}

	private note(step: string, ms: number) {
		this.timings.push({ step, ms });
		this.opts.log?.(`[n8n t${this.target.target}] ${step}: ${ms} ms`);
	}

	/** Run one n8n CLI command with this instance's environment. */
	async cli(
		args: string[],
		opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
	): Promise<ProcResult> {
		const r = await run(this.target.node, [this.target.n8n, ...args], {
			cwd: this.userFolder,
			env: { ...this.env, ...opts.env },
			timeoutMs: opts.timeoutMs ?? 300_000,
		});
		this.note(`n8n ${args[0]}`, r.ms);
		return r;
	}

	private async cliOk(
		args: string[],
		opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number },
	): Promise<ProcResult> {
		const r = await this.cli(args, opts);
		if (r.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited ${r.code ?? r.signal}\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`,
			);
		}
		return r;
	}

	/**
	 * Install the packed package the way n8n's community installer does (CommunityPackagesService
	 * .downloadPackage in 1.123 and 2.41): `npm pack` tarball extracted with --strip-components=1 into
	 * <user>/.n8n/nodes/node_modules/<name>/ (so only package.json "files" arrive), devDependencies /
	 * peerDependencies / optionalDependencies removed from its package.json, `npm install` inside it
	 * (skipped here when it has no dependencies — ours has none), and the dependency recorded in
	 * <user>/.n8n/nodes/package.json. Not done: the installed_packages DB row (the package loads
	 * without it, but Settings → Community nodes does not list it).
	 */
	async installPackage(tgz?: string): Promise<string> {
		const t0 = Date.now();
		const file = tgz ?? (await packPackage());
		const dest = path.join(this.nodesDir, 'node_modules', PACKAGE_NAME);
		fs.rmSync(dest, { recursive: true, force: true });
		fs.mkdirSync(dest, { recursive: true });
		const r = await run('tar', ['-xzf', file, '-C', dest, '--strip-components=1']);
		if (r.code !== 0) throw new Error(`tar failed: ${r.stderr}`);
		const ownJson = path.join(dest, 'package.json');
		// eslint-disable-next-line @typescript-eslint/no-unused-vars
		const { devDependencies, peerDependencies, optionalDependencies, ...own } = JSON.parse(
			fs.readFileSync(ownJson, 'utf8'),
		);
		fs.writeFileSync(ownJson, JSON.stringify(own, null, 2));
		if (own.dependencies && Object.keys(own.dependencies).length > 0) {
			const ni = await run(
				'npm',
				[
					'install',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--ignore-scripts=true',
					'--omit=dev',
					'--package-lock=false',
				],
				{ cwd: dest, env: { ...process.env, PATH: this.env.PATH }, timeoutMs: 300_000 },
			);
			if (ni.code !== 0) throw new Error(`npm install in ${dest} failed:\n${ni.stderr}`);
		}
		const pkgJson = path.join(this.nodesDir, 'package.json');
		const pkg = fs.existsSync(pkgJson)
			? JSON.parse(fs.readFileSync(pkgJson, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		pkg.dependencies = { ...pkg.dependencies, [PACKAGE_NAME]: own.version };
		fs.writeFileSync(pkgJson, JSON.stringify(pkg, null, 2));
		this.note('install package', Date.now() - t0);
		return dest;
	}

	private tmpFile(name: string, content: unknown): string {
		const dir = fs.mkdtempSync(path.join(this.userFolder, 'import-'));
		const f = path.join(dir, name);
		fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
		return f;
	}

	/** `n8n import:credentials`; plain-object data is encrypted by n8n on import. */
	async importCredentials(creds: CredentialImport[]): Promise<void> {
		const f = this.tmpFile('credentials.json', creds);
		try {
			await this.cliOk(['import:credentials', `--input=${f}`]);
		} finally {
			fs.rmSync(path.dirname(f), { recursive: true, force: true });
		}
	}

	/** `n8n import:workflow --separate` (one file per workflow, one CLI start for all). */
	async importWorkflows(workflows: WorkflowExport[]): Promise<void> {
		const dir = fs.mkdtempSync(path.join(this.userFolder, 'import-wf-'));
		try {
			for (const wf of workflows) {
				if (!wf.id || wf.id.length > 16)
					throw new Error(`workflow "${wf.name}": id must be 1..16 characters`);
				fs.writeFileSync(
					path.join(dir, `${wf.id}.json`),
					JSON.stringify({ active: false, settings: {}, ...wf }, null, 2),
				);
			}
			await this.cliOk(['import:workflow', '--separate', `--input=${dir}`]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}

	/** `n8n execute --id=<id> --rawOutput`; never throws on a failed workflow (see status). */
	async execute(
		workflowId: string,
		opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
	): Promise<ExecuteResult> {
		const r = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], opts);
		const parsed = parseRunOutput(r.stdout);
		const error = parsed?.data.resultData.error;
		const status =
			parsed?.status ??
			(parsed ? (error ? 'error' : 'success') : r.code === 0 ? 'unknown' : 'error');
		// errors before the run starts (e.g. "The workflow has issues…") print no run JSON, only
		// "Execution error:\n====…\n<message>"
		const early = parsed ? undefined : /Execution error:\r?\n=+\r?\n(.+)/.exec(r.stdout)?.[1];
		return {
			...r,
			run: parsed,
			status,
			errorMessage: error?.message ?? early,
			errorDescription: error?.description,
		};
	}

	/** `n8n export:credentials --decrypted` (all, or one id). */
	async exportCredentials(id?: string): Promise<CredentialImport[]> {
		const dir = fs.mkdtempSync(path.join(this.userFolder, 'export-'));
		const out = path.join(dir, 'credentials.json');
		try {
			await this.cliOk([
				'export:credentials',
				id ? `--id=${id}` : '--all',
				'--decrypted',
				`--output=${out}`,
			]);
			const data = JSON.parse(fs.readFileSync(out, 'utf8'));
			return Array.isArray(data) ? data : [data];
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}

	/** Decrypted data of one stored credential (e.g. the tenantAccessToken n8n saved after a run). */
	async getCredentialData(id: string): Promise<Record<string, any>> {
		const [c] = await this.exportCredentials(id);
		if (!c) throw new Error(`credential ${id} not found`);
		return c.data;
	}

	// ---- server mode ------------------------------------------------------------------------

	/** The pid of `n8n start`, while it runs. */
	get serverPid(): number | undefined {
		return this.server?.pid;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port ?? 5678}`;
	}

	/** `n8n start` on 127.0.0.1:<port>; resolves when the REST API answers (GET /rest/settings). */
	async start(
		opts: { port?: number; timeoutMs?: number; stdio?: 'pipe' | 'inherit' } = {},
	): Promise<string> {
		if (this.server) throw new Error('already started');
		const t0 = Date.now();
		this.port = opts.port ?? (await freePort());
		const env = {
			...this.env,
			N8N_PORT: String(this.port),
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${this.port}/`,
		};
		const child = spawn(this.target.node, [this.target.n8n, 'start'], {
			cwd: this.userFolder,
			env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.server = child;
		const logFile = path.join(this.userFolder, 'n8n-start.log');
		const sink = fs.createWriteStream(logFile);
		const onData = (d: Buffer) => {
			sink.write(d);
			this.serverLog.push(d.toString('utf8'));
			if (opts.stdio === 'inherit') process.stdout.write(d);
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		let exited: string | undefined;
		child.on('exit', (code, signal) => {
			exited = `n8n start exited (${code ?? signal})`;
			sink.end();
		});
		const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
		while (Date.now() < deadline) {
			if (exited) throw new Error(`${exited}\n${tail(this.serverLog.join(''))}`);
			// /healthz answers while migrations still run; the REST API is ready when /rest/settings
			// returns its JSON (checked on 1.123 and 2.41)
			const res = await httpJson('GET', `${this.url}/rest/settings`).catch(() => undefined);
			if (res && res.status === 200 && res.body && typeof res.body === 'object' && res.body.data) {
				this.note('n8n start (until /rest/settings)', Date.now() - t0);
				return this.url;
			}
			await delay(300);
		}
		await this.stop();
		throw new Error(
			`n8n start did not answer /rest/settings within ${opts.timeoutMs ?? 120_000} ms\n${tail(this.serverLog.join(''))}`,
		);
	}

	serverOutput(): string {
		return this.serverLog.join('');
	}

	/**
	 * First-start owner setup through the REST API: POST /rest/owner/setup (same route on 1.123 and 2.x;
	 * allowed without a session only while no owner exists). Returns the session cookie.
	 */
	async setupOwner(
		owner: OwnerAccount = DEFAULT_OWNER,
	): Promise<{ cookie?: string; alreadySetUp: boolean }> {
		const t0 = Date.now();
		const settings = await httpJson('GET', `${this.url}/rest/settings`);
		const um = settings.body?.data?.userManagement;
		if (um && um.showSetupOnFirstLoad === false) {
			this.note('owner setup (already done)', Date.now() - t0);
			return { alreadySetUp: true };
		}
		const res = await httpJson('POST', `${this.url}/rest/owner/setup`, owner);
		if (res.status !== 200)
			throw new Error(`owner setup failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
		this.note('owner setup', Date.now() - t0);
		const cookie = [res.headers['set-cookie'] ?? []]
			.flat()
			.map((c) => c.split(';')[0])
			.join('; ');
		return { cookie, alreadySetUp: false };
	}

	/** Log in: POST /rest/login {emailOrLdapLoginId, password} (1.123 and 2.41; `email` added for older 1.x). Returns the cookie. */
	async login(owner: OwnerAccount = DEFAULT_OWNER): Promise<string> {
		const res = await httpJson('POST', `${this.url}/rest/login`, {
			emailOrLdapLoginId: owner.email,
			email: owner.email,
			password: owner.password,
		});
		if (res.status !== 200)
			throw new Error(`login failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
		return [res.headers['set-cookie'] ?? []]
			.flat()
			.map((c) => c.split(';')[0])
			.join('; ');
	}

	async stop(timeoutMs = 20_000): Promise<void> {
		const child = this.server;
		if (!child) return;
		this.server = undefined;
		if (child.exitCode !== null || child.signalCode !== null) return;
		const t0 = Date.now();
		const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		killGroup(child, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
		await done;
		clearTimeout(timer);
		this.note('n8n stop', Date.now() - t0);
	}

	/** Stop the server and remove the user folder (unless keep / E2E_KEEP=1). */
	async dispose(): Promise<void> {
		await this.stop();
		if (this.opts.keep || process.env.E2E_KEEP === '1' || this.opts.userFolder) return;
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** Convenience: fresh instance with the package, credentials and workflows imported. */
export async function prepareInstance(
	target: TargetInfo | TargetId,
	setup: { credentials?: CredentialImport[]; workflows?: WorkflowExport[] } & InstanceOptions = {},
): Promise<N8nInstance> {
	const n8n = await N8nInstance.create(target, setup);
	try {
		await n8n.installPackage();
		if (setup.credentials?.length) await n8n.importCredentials(setup.credentials);
		if (setup.workflows?.length) await n8n.importWorkflows(setup.workflows);
		return n8n;
	} catch (e) {
		await n8n.dispose();
		throw e;
	}
}

// ---------------------------------------------------------------------------------------------
// small utils

export function delay(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

function tail(s: string, n = 60): string {
	return s.split('\n').slice(-n).join('\n');
}

export function httpJson(
	method: string,
	url: string,
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }> {
	return new Promise((resolve, reject) => {
		const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
		const req = http.request(
			url,
			{
				method,
				headers: {
					accept: 'application/json',
					...(data
						? { 'content-type': 'application/json', 'content-length': String(data.length) }
						: {}),
					...headers,
				},
				timeout: 10_000,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: unknown = text;
					try {
						parsed = JSON.parse(text);
					} catch {
						/* not JSON */
					}
					resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${url}`)));
		req.on('error', reject);
		if (data) req.write(data);
		req.end();
	});
}
