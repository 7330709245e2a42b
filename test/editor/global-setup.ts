/**
 * Before the editor check: Chromium present (installed with apt-get as root when missing), and the
 * package built and packed as for the e2e suite — unless E2E_PACKAGE_TGZ names a tarball already
 * (then EDITOR_DIST may name its dist/ folder).
 */
import * as fs from 'fs';

import e2eGlobalSetup from '../e2e/global-setup';
import { ensureChromium } from './browser';

export default async function globalSetup(): Promise<void> {
	const chromium = ensureChromium((s) => process.stdout.write(`\n[editor] ${s}\n`));
	process.env.CHROMIUM_PATH = chromium;
	process.stdout.write(`\n[editor] browser: ${chromium}\n`);
	const preset = process.env.E2E_PACKAGE_TGZ;
	if (preset && fs.existsSync(preset)) {
		process.stdout.write(`[editor] package: ${preset} (E2E_PACKAGE_TGZ)\n`);
		return;
	}
	await e2eGlobalSetup();
}
