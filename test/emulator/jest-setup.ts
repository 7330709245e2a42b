/**
 * Makes every test a definitions check (jest.config.js setupFilesAfterEach): a request the emulator refused because
 * Lark's definitions do not allow it (./definitions.ts) fails the test that sent it, whatever the test asserts.
 * Tests that send such requests on purpose take them with takeViolations() before the test ends, or call
 * skipDefinitionsForThisTest() (tests of Feishu's own answer to bad input, and of Custom API Call).
 * With DEFINITIONS_REPORT=<file>, each violation is also appended there as a JSON line, and after each test file
 * the number of requests checked per definition ({"checked": {...}}).
 */
import { appendFileSync } from 'fs';
import {
	checkedCounts,
	restoreDefinitionsCheck,
	takeViolations,
	violationMessage,
} from './definitions';

afterEach(() => {
	restoreDefinitionsCheck();
	const violations = takeViolations();
	if (violations.length === 0) return;
	const report = process.env.DEFINITIONS_REPORT;
	if (report) {
		const test = expect.getState().currentTestName;
		for (const v of violations)
			appendFileSync(
				report,
				`${JSON.stringify({ test: `${expect.getState().testPath}: ${test}`, ...v })}\n`,
			);
	}
	throw new Error(
		`${violations.length} request(s) not allowed by Feishu's definitions:\n` +
			violations.map((v) => `  ${v.endpoint}: ${violationMessage(v)}`).join('\n'),
	);
});

afterAll(() => {
	const report = process.env.DEFINITIONS_REPORT;
	if (report)
		appendFileSync(
			report,
			`${JSON.stringify({ file: expect.getState().testPath, checked: checkedCounts() })}\n`,
		);
});
