/**
 * The editor check in a real browser (npm run test:editor): real n8n, Debian's Chromium driven by
 * puppeteer-core. Separate from `npm test` (which ignores *.e2e.test.ts) and from `npm run test:e2e`
 * (whose roots are test/e2e).
 * E2E_TARGETS picks the n8n targets (test/editor/run.sh defaults to 1,2); E2E_STRICT=1 fails
 * instead of skipping when that n8n is not installed. Screenshots: test/e2e/artifacts/editor/.
 */
const path = require('path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/editor'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }],
	},
	globalSetup: '<rootDir>/test/editor/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	testTimeout: 180000,
	maxWorkers: 1,
	verbose: true,
};
