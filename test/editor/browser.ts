/**
 * Debian's Chromium driven by puppeteer-core (no browser download). ensureChromium() installs the
 * `chromium` package with apt-get when it is missing and we are root (CI on a fresh machine).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function found(): string | undefined {
	const env = process.env.CHROMIUM_PATH;
	if (env) return fs.existsSync(env) ? env : undefined;
	return CANDIDATES.find((p) => fs.existsSync(p));
}

/** Path of a Chromium binary; installs Debian's `chromium` (as root, non-interactively) when there is none. */
export function ensureChromium(log: (s: string) => void = () => undefined): string {
	const have = found();
	if (have) return have;
	if (process.env.CHROMIUM_PATH)
		throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
		throw new Error(
			'Chromium is not installed and this is not root: run `sudo apt-get install -y chromium`',
		);
	}
	log('installing Debian chromium (apt-get install -y chromium)…');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const opts = { env, stdio: 'inherit' as const, timeout: 600_000 };
	execFileSync('apt-get', ['update', '-qq'], opts);
	execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], opts);
	const now = found();
	if (!now) throw new Error('apt-get installed chromium but no binary was found');
	return now;
}

export interface LaunchedBrowser {
	browser: Browser;
	close(): Promise<void>;
}

/** Headless Chromium with the flags that work on this closed network and a new empty profile. */
export async function launchBrowser(executablePath: string): Promise<LaunchedBrowser> {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'editor-chromium-'));
	const browser = await puppeteer.launch({
		executablePath,
		headless: true,
		userDataDir: profile,
		defaultViewport: { width: 1600, height: 1400 },
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
			'--window-size=1600,1400',
		],
	});
	return {
		browser,
		close: async () => {
			await browser.close().catch(() => undefined);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}
