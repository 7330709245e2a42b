/**
 * Punch Flow → Import in Map Columns by Name mode, through n8n-core's engine against the emulator: the user
 * names the input columns (plain text), the node reads item fields directly; no expression per item.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../emulator';
import { runNode } from '../harness';

const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({
		rateLimitPerSecond: 50,
		duplicateMode: 'reject-record',
		latencyMs: 0,
	});
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const calls = (endpoint: string) => emu.counters().requests[endpoint] ?? 0;
const pairedIndex = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const byUser = () => Object.fromEntries(emu.flows().map((f) => [f.user_id, f]));

/** 2026-11-20 08:55:00 +08:00 in seconds */
const AT_0855 = String(Date.UTC(2026, 10, 20, 0, 55) / 1000);

const columns = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'punchFlow',
	operation: 'import',
	inputMode: 'columns',
	...extra,
});

/** Rows whose columns are named as Feishu's fields (employee_id, check_time), named so in the parameters. */
const fieldColumns = (extra: INodeParameters = {}): INodeParameters =>
	columns({ employeeColumn: 'employee_id', checkTimeColumn: 'check_time', ...extra });

/** Rows as a sheet or CSV export gives them: every column present, empty cells as ''. */
const sheetRow = (n: number, extra: IDataObject = {}): IDataObject => ({
	'Employee No': `NO${String(n).padStart(4, '0')}`,
	'Punch Time': `2026-11-20 08:${String(55 + (n % 5)).padStart(2, '0')}:00`,
	Site: `Gate ${n}`,
	Note: '',
	'Machine Record': `m-${n}`,
	Wifi: 'TRUE',
	SSID: 'office',
	...extra,
});

const sheetColumns = columns({
	employeeIdType: 'employee_no',
	employeeColumn: 'Employee No',
	checkTimeColumn: 'Punch Time',
	comment: 'Attendance machine',
	otherColumns: {
		commentColumn: 'Note',
		externalIdColumn: 'Machine Record',
		isWifiColumn: 'Wifi',
		locationNameColumn: 'Site',
		ssidColumn: 'SSID',
	},
});

describe('Map Columns by Name', () => {
	test('columns named employee_id and check_time; location and comment from their parameters', async () => {
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: fieldColumns(),
			items: [
				{ employee_id: 'emp0001', check_time: '2026-11-20 08:55:00', other: 'ignored' },
				{ employee_id: 'emp0002', check_time: Number(AT_0855) },
			],
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.status)).toEqual(['imported', 'imported']);
		expect(items[0].json).toMatchObject({
			user_id: 'emp0001',
			check_time: AT_0855,
			check_time_iso: '2026-11-20T08:55:00+08:00',
		});
		expect(byUser().emp0001).toMatchObject({
			check_time: AT_0855,
			location_name: 'Location not recorded',
			comment: 'Imported by n8n',
		});
		expect(byUser().emp0002).toMatchObject({ check_time: AT_0855, creator_id: 'emp0002' });
	});

	test('reads the named columns of a sheet: employee number, time, site, machine ID, Wi-Fi; empty cells get the defaults', async () => {
		const rows = [
			sheetRow(1),
			sheetRow(2, { Note: 'late bus', Wifi: 'no' }),
			sheetRow(3, { Site: '', Wifi: '' }),
		];
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: sheetColumns,
			items: rows,
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.status)).toEqual(['imported', 'imported', 'imported']);
		expect(items.map((i) => i.json.external_id)).toEqual(['m-1', 'm-2', 'm-3']);
		expect(calls(BATCH_CREATE)).toBe(1);
		const stored = byUser();
		// employee_no NO0001 is stored under the employee's employee_id by the emulator
		expect(Object.keys(stored).sort()).toEqual(['emp0001', 'emp0002', 'emp0003']);
		expect(stored.emp0001).toMatchObject({
			location_name: 'Gate 1',
			comment: 'Attendance machine',
			external_id: 'm-1',
			is_wifi: true,
			ssid: 'office',
		});
		expect(stored.emp0002).toMatchObject({
			location_name: 'Gate 2',
			comment: 'late bus',
			is_wifi: false,
		});
		expect(stored.emp0003).toMatchObject({
			location_name: 'Location not recorded',
			comment: 'Attendance machine',
		});
	});

	test('a real sheet on the first run: empty column names say which columns the item has; a near miss says what to type', async () => {
		const sheet = { 'Employee No': 'NO0001', 'Punch Time': '2026-11-20 08:55:00', Site: 'Gate 1' };
		const empty = await runNode({
			emulatorUrl: emu.url,
			parameters: columns({ employeeIdType: 'employee_no' }),
			items: [sheet],
		});
		expect(empty.error?.message).toBe(
			'Employee ID Column is empty: type the name of the input column that holds the employee',
		);
		expect((empty.error as NodeOperationError).description).toBe(
			'The first item has the columns "Employee No", "Punch Time", "Site". Type the one that holds the employee in Employee ID Column, exactly as written (case-sensitive).',
		);
		const near = await runNode({
			emulatorUrl: emu.url,
			parameters: columns({
				employeeIdType: 'employee_no',
				employeeColumn: 'employee no',
				checkTimeColumn: 'Punch Time',
			}),
			items: [sheet],
			continueOnFail: true,
		});
		expect(near.items[0].json).toMatchObject({
			error: 'The item has no column "employee no" (Employee ID Column) [item 0]',
			errorDescription:
				'This item has the columns "Employee No", "Punch Time", "Site". Type "Employee No" in Employee ID Column (names are case-sensitive).',
		});
		const typed = await runNode({
			emulatorUrl: emu.url,
			parameters: columns({
				employeeIdType: 'employee_no',
				employeeColumn: 'Employee No',
				checkTimeColumn: 'Punch Time',
			}),
			items: [sheet],
		});
		expect(typed.items[0].json).toMatchObject({ status: 'imported' });
		expect(emu.flows()[0]).toMatchObject({ location_name: 'Location not recorded' });
	});

	test('a column name is plain text read from the item, not an expression evaluated per item', async () => {
		const { items } = await runNode({
			emulatorUrl: emu.url,
			parameters: columns({ employeeColumn: '{{ $json.who }}', checkTimeColumn: 'punch.at' }),
			items: [
				{ '{{ $json.who }}': 'emp0001', who: 'emp0002', punch: { at: '2026-11-20 08:55:00' } },
			],
		});
		// the column literally named so, and a dotted name reads a nested field
		expect(items[0].json).toMatchObject({
			status: 'imported',
			user_id: 'emp0001',
			check_time: AT_0855,
		});
	});

	test('an item without the Employee ID or Check Time column fails alone, naming the column and the item', async () => {
		const rows = [sheetRow(1), sheetRow(2), sheetRow(3), sheetRow(4)];
		delete rows[1]['Punch Time'];
		delete rows[2]['Employee No'];
		const { items, error } = await runNode({
			emulatorUrl: emu.url,
			parameters: sheetColumns,
			items: rows,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map(pairedIndex)).toEqual([0, 1, 2, 3]);
		expect(items.map((i) => i.json.status)).toEqual(['imported', 'failed', 'failed', 'imported']);
		expect(items[1].json).toEqual({
			outcome: 'not done',
			status: 'failed',
			error: 'The item has no column "Punch Time" (Check Time Column) [item 1]',
			errorReason: 'invalid_input',
			errorDescription:
				'This item has the columns "Employee No", "Site", "Note", "Machine Record", "Wifi", "SSID". Type in Check Time Column the name of the one that holds the check time, exactly as written (case-sensitive).',
		});
		expect(items[2].json.error).toBe(
			'The item has no column "Employee No" (Employee ID Column) [item 2]',
		);
		expect(emu.flows()).toHaveLength(2);

		emu.reset();
		const strict = await runNode({ emulatorUrl: emu.url, parameters: sheetColumns, items: rows });
		expect(strict.error).toBeInstanceOf(NodeOperationError);
		expect(strict.error!.message).toBe(
			'The item has no column "Punch Time" (Check Time Column) [item 1]',
		);
		expect(calls(BATCH_CREATE)).toBe(0);
	});

	test.each<[string, IDataObject, RegExp]>([
		[
			'an object as employee',
			{ 'Employee No': { id: 1 } },
			/^The column "Employee No" must be text, got an object \[item 1\]$/,
		],
		[
			'a blank employee cell',
			{ 'Employee No': '  ' },
			/^The column "Employee No" is empty, got only spaces \[item 1\]$/,
		],
		[
			'an unreadable time',
			{ 'Punch Time': 'next tuesday' },
			/^The column "Punch Time" "next tuesday" is not a date-time/,
		],
		[
			'a time before 2022',
			{ 'Punch Time': '2021-06-01 08:00:00' },
			/^The column "Punch Time" .* is before 2022-01-01/,
		],
		[
			'a Wi-Fi cell that is not yes/no',
			{ Wifi: 'maybe' },
			/^The column "Wifi" must be true or false, got "maybe" \[item 1\]$/,
		],
		[
			'a list as machine ID',
			{ 'Machine Record': ['a', 'b'] },
			/^The column "Machine Record" must be text, got a list of 2 \[item 1\]$/,
		],
	])('%s fails that item, naming the column', async (_name, bad, message) => {
		const rows = [sheetRow(1), sheetRow(2, bad), sheetRow(3)];
		const { items } = await runNode({
			emulatorUrl: emu.url,
			parameters: sheetColumns,
			items: rows,
			continueOnFail: true,
		});
		expect(items.map((i) => i.json.status)).toEqual(['imported', 'failed', 'imported']);
		expect(String(items[1].json.error)).toMatch(message);
	});

	test('a numeric employee number from a sheet is read as text', async () => {
		const { items } = await runNode({
			emulatorUrl: emu.url,
			parameters: fieldColumns(),
			items: [{ employee_id: 12345, check_time: '2026-11-20 08:55:00' }],
		});
		expect(items[0].json).toMatchObject({
			status: 'failed',
			user_id: '12345',
			error:
				"Feishu does not know the employee 12345, or the app's data permission does not cover them [item 0]",
		});
	});

	test('a mapped optional column that no item has gives a warning hint (probably misspelt)', async () => {
		const run = await runNode({
			emulatorUrl: emu.url,
			parameters: fieldColumns({
				otherColumns: { externalIdColumn: 'machine_id', locationNameColumn: 'site' },
			}),
			items: [
				{
					employee_id: 'emp0001',
					check_time: '2026-11-20 08:55:00',
					site: 'Gate 1',
					machineId: 'm-1',
				},
				{ employee_id: 'emp0002', check_time: '2026-11-20 08:55:00', machineId: 'm-2' },
			],
		});
		expect(run.items.map((i) => i.json.status)).toEqual(['imported', 'imported']);
		const hints = run.runData['Feishu Attendance'][0].hints ?? [];
		expect(hints.map((h) => h.message)).toEqual([
			expect.stringMatching(/^No input item has the column "machine_id" \(Other Columns\)/),
		]);
	});

	test('Import is idempotent in this mode too: a re-run reports duplicates and stores nothing twice', async () => {
		const rows = Array.from({ length: 120 }, (_, i) => ({
			employee_id: `emp${String((i % 100) + 1).padStart(4, '0')}`,
			check_time: String(Number(AT_0855) + i * 60),
		}));
		const first = await runNode({ emulatorUrl: emu.url, parameters: fieldColumns(), items: rows });
		expect(first.items.every((i) => i.json.status === 'imported')).toBe(true);
		const again = await runNode({ emulatorUrl: emu.url, parameters: fieldColumns(), items: rows });
		expect(again.items.every((i) => i.json.status === 'duplicate')).toBe(true);
		expect(emu.flows()).toHaveLength(120);
	});
});
