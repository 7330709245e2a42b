/** Unit, transport and engine tests: they run the node's code against the emulator over real HTTP on loopback. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }],
	},
	testTimeout: 60000,
	/** every request the emulator receives is checked against Lark's definitions (test/emulator/definitions.ts) */
	setupFilesAfterEnv: ['<rootDir>/test/emulator/jest-setup.ts'],
};
