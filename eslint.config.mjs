// Lint = the rule sets n8n's verification scanner (@n8n/scan-community-package) applies to a community package,
// with the same rules switched off as the scanner and `n8n-node lint`:
// - eslint-plugin-n8n-nodes-base: "community" (package.json), "credentials" and "nodes" rule sets
// - @n8n/eslint-plugin-community-nodes "recommended", plus no-console.
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import jsonParser from './scripts/eslint-json-parser.cjs';

const base = { 'n8n-nodes-base': n8nNodesBase };
const rulesOf = (name) => n8nNodesBase.configs[name].rules;

export default [
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'test/**',
			'scripts/**',
			'examples/**',
			'gulpfile.js',
			'jest*.config.js',
		],
	},
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
	},
	{ files: ['**/*.ts', 'package.json'], ...communityNodes.configs.recommended },
	{ files: ['**/*.ts'], rules: { 'no-console': 'error' } },
	{
		files: ['package.json'],
		languageOptions: { parser: jsonParser },
		plugins: base,
		rules: rulesOf('community'),
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: base,
		rules: {
			...rulesOf('credentials'),
			// "Only applicable to nodes in the main repository": community docs live at a URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// @n8n/community-nodes/credential-password-field is the more accurate rule.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			// The Encrypt Key is a secret (whoever has it can decrypt and forge the app's events); the rule guesses
			// from the field's name only.
			'@n8n/community-nodes/credential-unnecessary-password': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: base,
		rules: {
			...rulesOf('nodes'),
			// Superseded by @n8n/community-nodes/node-connection-type-literal (NodeConnectionTypes.Main).
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// Feishu's API has real maximums (50 per call), so maxValue is valid.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
];
