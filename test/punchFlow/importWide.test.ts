/**
 * Punch Flow → Import, input mode Wide Rows (a date column and several time columns, as DingTalk's daily summary
 * exports them), through n8n-core's engine against the emulator: one punch per filled time cell, each reported
 * on its row.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../emulator';
import { runNode } from '../harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({
		rateLimitPerSecond: 50,
		duplicateMode: 'reject-record',
		latencyMs: 0,
		employees: 20,
	});
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const sh = (iso: string) => String(Date.parse(`${iso}+08:00`) / 1000);

const wide = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'punchFlow',
	operation: 'import',
	inputMode: 'wideRows',
	employeeIdType: 'employee_id',
	employeeColumn: '工号',
	dateColumn: '日期',
	timeColumns: '上班1打卡时间, 下班1打卡时间, 上班2打卡时间, 下班2打卡时间',
	options: { timezone: 'Asia/Shanghai' },
	...extra,
});

/** A DingTalk daily summary: one row per person and day, times as HH:mm, empty cells for no punch. */
const summary: IDataObject[] = [
	{
		姓名: 'A',
		工号: 'emp0001',
		日期: '2026-11-20',
		上班1打卡时间: '08:58',
		下班1打卡时间: '18:05',
		上班2打卡时间: '',
		下班2打卡时间: '',
	},
	{
		姓名: 'B',
		工号: 'emp0002',
		日期: '2026/11/20',
		上班1打卡时间: '09:10',
		下班1打卡时间: '次日 01:30',
		上班2打卡时间: '',
		下班2打卡时间: '',
	},
	{
		姓名: 'C',
		工号: 'emp0003',
		日期: '20261120',
		上班1打卡时间: '',
		下班1打卡时间: '',
		上班2打卡时间: '',
		下班2打卡时间: '',
	},
];

const cellsOf = (item: INodeExecutionData) =>
	(item.json.cells as IDataObject[]).map((c) => [c.column, c.outcome, c.status, c.check_time_iso]);

test('one punch per filled time cell, each reported on its row; empty cells skipped; a re-run reports duplicates', async () => {
	const first = await runNode({ emulatorUrl: emu.url, parameters: wide(), items: summary });
	expect(first.error).toBeUndefined();
	expect(
		first.items.map((i) => [i.pairedItem, i.json.outcome, i.json.status, i.json.imported]),
	).toEqual([
		[{ item: 0 }, 'done', 'imported', 2],
		[{ item: 1 }, 'done', 'imported', 2],
		[{ item: 2 }, 'done', 'no punches', 0],
	]);
	expect(cellsOf(first.items[0])).toEqual([
		['上班1打卡时间', 'done', 'imported', '2026-11-20T08:58:00+08:00'],
		['下班1打卡时间', 'done', 'imported', '2026-11-20T18:05:00+08:00'],
	]);
	// 次日 01:30: after midnight, on the next day
	expect(cellsOf(first.items[1])[1]).toEqual([
		'下班1打卡时间',
		'done',
		'imported',
		'2026-11-21T01:30:00+08:00',
	]);
	const stored = emu
		.flows()
		.map((f) => [f.user_id, f.check_time])
		.sort();
	expect(stored).toEqual(
		[
			['emp0001', sh('2026-11-20T08:58:00')],
			['emp0001', sh('2026-11-20T18:05:00')],
			['emp0002', sh('2026-11-20T09:10:00')],
			['emp0002', sh('2026-11-21T01:30:00')],
		].sort(),
	);
	expect((first.items[0].json.cells as IDataObject[])[0].record_id).toEqual(expect.any(String));

	const again = await runNode({ emulatorUrl: emu.url, parameters: wide(), items: summary });
	expect(again.items.map((i) => [i.json.outcome, i.json.status, i.json.already_imported])).toEqual([
		['already done', 'duplicate', 2],
		['already done', 'duplicate', 2],
		['done', 'no punches', 0],
	]);
	expect(emu.flows()).toHaveLength(4);
});

test("a cell that is not a time and an unknown employee: not done, naming the cell; the row's other cells are imported", async () => {
	const rows: IDataObject[] = [
		{ 工号: 'emp0004', 日期: '2026-11-20', 上班1打卡时间: '08:5x', 下班1打卡时间: '18:00' },
		{ 工号: 'nobody', 日期: '2026-11-20', 上班1打卡时间: '09:00' },
	];
	const { items, error } = await runNode({
		emulatorUrl: emu.url,
		parameters: wide(),
		items: rows,
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(items[0].json).toMatchObject({
		outcome: 'not done',
		status: 'failed',
		imported: 1,
		not_imported: 1,
		errorReason: 'invalid_input',
	});
	expect(String(items[0].json.error)).toMatch(
		/^1 of 2 punches not imported: The cell "上班1打卡时间" \(08:5x\)/,
	);
	expect(String(items[0].json.error)).toMatch(/\[item 0\]$/);
	expect(cellsOf(items[0])[1]).toEqual([
		'下班1打卡时间',
		'done',
		'imported',
		'2026-11-20T18:00:00+08:00',
	]);
	expect(items[1].json).toMatchObject({
		outcome: 'not done',
		not_imported: 1,
		errorReason: 'unknown_employee',
	});
	expect(emu.flows().map((f) => f.user_id)).toEqual(['emp0004']);
});

test("a row without a readable day is the row's error (Continue On Fail), or stops the node naming the item", async () => {
	const rows: IDataObject[] = [
		{ 工号: 'emp0005', 日期: '', 上班1打卡时间: '09:00' },
		{ 工号: 'emp0006', 日期: '2026-11-20', 上班1打卡时间: '09:00' },
	];
	const kept = await runNode({
		emulatorUrl: emu.url,
		parameters: wide(),
		items: rows,
		continueOnFail: true,
	});
	expect(kept.items.map((i) => [i.json.outcome, i.pairedItem])).toEqual([
		['not done', { item: 0 }],
		['done', { item: 1 }],
	]);
	expect(String(kept.items[0].json.error)).toMatch(/\[item 0\]$/);
	const stopped = await runNode({ emulatorUrl: emu.url, parameters: wide(), items: rows });
	expect(stopped.error?.message).toMatch(/\[item 0\]$/);
});

test('Date Column and Time Columns must be named', async () => {
	const { error } = await runNode({
		emulatorUrl: emu.url,
		parameters: wide({ dateColumn: '', timeColumns: '' }),
		items: summary,
	});
	expect(error?.message).toBe('Date Column, Time Columns are empty');
	expect(emu.flows()).toHaveLength(0);
});
