/**
 * Archive Report operations through n8n's engine against the emulator: the rules (page_token), the columns of a
 * rule's report, Upload (one item per employee-month row, 50 rows per call, unknown column codes refused before
 * anything is written, Replace Existing Row so a re-run leaves exactly what was sent, unknown employees per item),
 * Delete (confirmation, employees' rows only).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../emulator';
import { startEmulator } from '../emulator';
import { ARCHIVE_RULES } from '../emulator/handlers/archive';
import { runNode } from '../harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ employees: 300 });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const ATT = '/open-apis/attendance/v1';
const RULE = ARCHIVE_RULES[0].archive_rule_id;
const SMALL_RULE = ARCHIVE_RULES[2].archive_rule_id;
const rows = async () =>
	(await (await fetch(`${emu.url}/__admin/archive-reports`)).json()) as Array<{
		member: string;
		month: string;
		cells: Record<string, string>;
		start_time: string;
		end_time: string;
	}>;
const emp = (n: number) => `emp${String(n).padStart(4, '0')}`;

async function run(
	operation: string,
	parameters: IDataObject,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	const before = { ...emu.counters().requests };
	const result = await runNode({
		emulatorUrl: emu.url,
		parameters: { resource: 'archiveReport', operation, ...parameters } as never,
		items,
		continueOnFail,
	});
	const after = emu.counters().requests;
	return {
		...result,
		calls: (endpoint: string) => (after[endpoint] ?? 0) - (before[endpoint] ?? 0),
	};
}

const ruleMonth = { archiveRuleId: RULE, month: '2025-01', operatorId: 'emp0001' };
const figures = {
	figure: [
		{ code: '50102', value: '={{ $json.days }}' },
		{ code: '50104', value: '={{ $json.overtime }}' },
	],
};

describe('Archive Report', () => {
	test('Get Many: every rule over pages; Limit', async () => {
		const all = await run('getMany', { returnAll: true });
		expect(all.items.map((i) => i.json.archive_rule_id)).toEqual(
			ARCHIVE_RULES.map((r) => r.archive_rule_id),
		);
		const one = await run('getMany', { limit: 1 });
		expect(one.items).toHaveLength(1);
	});

	test('Get Fields: the columns of the rule, one item each, in the language asked', async () => {
		const result = await run('getFields', {
			...ruleMonth,
			archiveRuleId: SMALL_RULE,
			locale: 'en',
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.code, i.json.title])).toEqual([
			['50101', 'Required Days'],
			['50102', 'Actual Days'],
			['50103', 'Late Times'],
		]);
		expect(result.items[0].json).toMatchObject({ archive_rule_id: SMALL_RULE, month: '202501' });
	});

	test('Upload: 120 employees in 3 calls of at most 50 rows; a re-run leaves exactly the figures sent', async () => {
		const items = Array.from({ length: 120 }, (_, i) => ({
			emp: emp(i + 1),
			days: 20 + (i % 3),
			overtime: String(i),
		}));
		const first = await run(
			'upload',
			{ ...ruleMonth, employeeId: '={{ $json.emp }}', figures },
			items,
		);
		expect(first.error).toBeUndefined();
		expect(first.calls(`POST ${ATT}/archive_rule/upload_report`)).toBe(3);
		expect(first.calls(`POST ${ATT}/archive_rule/user_stats_fields_query`)).toBe(1);
		expect(
			first.items.every((i) => i.json.outcome === 'done' && i.json.status === 'uploaded'),
		).toBe(true);
		expect(first.items[5].pairedItem).toEqual({ item: 5 });
		const stored = await rows();
		expect(stored).toHaveLength(120);
		expect(stored.find((r) => r.member === 'emp0006')).toMatchObject({
			month: '202501',
			start_time: '20250101',
			end_time: '20250131',
			cells: { '50102': '22', '50104': '5' },
		});

		// re-run with one figure fewer: the row holds only what was sent (deleted first, whatever an upload does to a row)
		const again = await run('upload', {
			...ruleMonth,
			employeeId: 'emp0006',
			figures: { figure: [{ code: '50102', value: '21' }] },
		});
		expect(again.items[0].json.outcome).toBe('done');
		expect((await rows()).find((r) => r.member === 'emp0006')!.cells).toEqual({ '50102': '21' });
	});

	test('Upload: an unknown column code refuses its item before anything is sent; unknown employees are not done', async () => {
		const result = await run(
			'upload',
			{
				...ruleMonth,
				archiveRuleId: SMALL_RULE,
				employeeId: '={{ $json.emp }}',
				figures: { figure: [{ code: '={{ $json.code }}', value: '1' }] },
			},
			[
				{ emp: 'emp0002', code: '50104' },
				{ emp: 'emp0003', code: '50101' },
				{ emp: 'emp9999', code: '50101' },
				{ emp: 'emp0003', code: '50102' },
			],
			true,
		);
		expect(result.items.map((i) => [i.json.outcome, i.json.errorReason])).toEqual([
			['not done', 'invalid_input'],
			['done', undefined],
			['not done', 'unknown_employee'],
			['not done', 'invalid_input'],
		]);
		expect(result.items[0].json.error).toMatch(
			/Column code 50104 is not in the report .* \[item 0\]/,
		);
		expect(result.items[3].json.error).toMatch(/Same employee and month as item 1 \[item 3\]/);
		expect((await rows()).map((r) => r.member)).toEqual(['emp0003']);
	});

	test('Delete: refused until confirmed; then only the rows of the employees named', async () => {
		await run(
			'upload',
			{ ...ruleMonth, employeeId: '={{ $json.emp }}', figures },
			[1, 2, 3].map((n) => ({ emp: emp(n), days: 1, overtime: '0' })),
		);
		const unconfirmed = await run('delete', { ...ruleMonth, employeeIds: 'emp0001' });
		expect(unconfirmed.error?.message).toMatch(/Not confirmed/);
		expect(await rows()).toHaveLength(3);
		const deleted = await run('delete', {
			...ruleMonth,
			confirm: true,
			employeeIds: 'emp0001, emp0003',
		});
		expect(deleted.items[0].json).toMatchObject({
			outcome: 'done',
			status: 'deleted',
			employee_ids: ['emp0001', 'emp0003'],
		});
		expect((await rows()).map((r) => r.member)).toEqual(['emp0002']);
	});
});
