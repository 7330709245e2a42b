#!/usr/bin/env node
// n8n's verification scanner (@n8n/scan-community-package's analyzePackage) on what would be published:
// the packed tarball (compiled JS + package.json) and the source it is built from (nodes/, credentials/,
// package.json), the two legs n8n checks. Exit 1 on any violation. Run after `npm run build`.
//   npm run scan
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'feishu-scan-'));
let failed = false;
try {
	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
	execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
	for (const [leg, dir, patterns] of [
		[`packed tarball ${tarball}`, join(work, 'package'), undefined],
		['source (nodes/, credentials/, package.json)', root, SOURCE_FILE_PATTERNS],
	]) {
		const result = await analyzePackage(dir, patterns);
		if (result.passed) {
			console.log(`scan: ${leg}: passed${result.message ? ` (${result.message})` : ''}`);
		} else {
			failed = true;
			console.log(`scan: ${leg}: FAILED: ${result.message}\n${result.details ?? ''}`);
		}
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
