/**
 * End-to-end suite against REAL n8n (npm run test:e2e). Needs `npm run n8n:install -- all` once.
 * E2E_TARGETS=1,2 (default both) selects n8n 1.123.x (Node 20) and/or 2.41.x (Node 24).
 * E2E_STRICT=1 (CI) turns a missing n8n install into a failure instead of a loud skip.
 * E2E_KEEP=1 keeps the temporary n8n user folders for inspection.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	/** every request real n8n sends the emulator is checked against Lark's definitions (test/emulator/definitions.ts) */
	setupFilesAfterEnv: ['<rootDir>/test/emulator/jest-setup.ts'],
	testTimeout: 600000,
	maxWorkers: 1,
	verbose: true,
};
