// Minimal ESLint parser for package.json so the n8n "community" rules (written for eslintrc's JSON
// handling) can inspect it: the file becomes `({...})`, parsed by the TypeScript parser.
const tsParser = require('@typescript-eslint/parser');

module.exports = {
	meta: { name: 'package-json-parser' },
	parseForESLint(code, options) {
		return tsParser.parseForESLint(`(${code})`, { ...options, filePath: 'package.json.ts' });
	},
};
