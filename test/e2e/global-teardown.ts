/** Removes the tarball folder packed by global-setup.ts. */
import * as fs from 'fs';
import * as path from 'path';

export default async function globalTeardown(): Promise<void> {
	const tgz = process.env.E2E_PACKAGE_TGZ;
	if (tgz && path.basename(path.dirname(tgz)).startsWith('feishu-pack-')) {
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	}
}
