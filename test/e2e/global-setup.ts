/**
 * Runs once before the e2e suite: builds the package (if stale) and packs it, so each test file only
 * unpacks the tarball. Also prints which n8n targets will run, loudly naming the missing ones.
 */
import { ensurePackageBuilt, findTarget, packPackage, parseTargets, TARGET_VERSIONS } from './n8n';

export default async function globalSetup(): Promise<void> {
	const t0 = Date.now();
	const built = await ensurePackageBuilt({ log: (s) => process.stdout.write(`\n[e2e] ${s}\n`) });
	const tgz = await packPackage();
	process.env.E2E_PACKAGE_TGZ = tgz;
	process.stdout.write(
		`\n[e2e] package ${built ? 'built and ' : ''}packed in ${Date.now() - t0} ms: ${tgz}\n`,
	);
	for (const target of parseTargets()) {
		const { info, reason } = findTarget(target);
		if (info) {
			process.stdout.write(`[e2e] target ${target}: n8n ${info.version} on ${info.node}\n`);
		} else {
			const banner = '!'.repeat(100);
			process.stdout.write(
				`\n${banner}\n[e2e] TARGET ${target} (n8n ${TARGET_VERSIONS[target]}) WILL ${process.env.E2E_STRICT === '1' ? 'FAIL' : 'BE SKIPPED'}: ${reason}\n${banner}\n\n`,
			);
		}
	}
}
