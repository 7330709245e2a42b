#!/usr/bin/env node
/**
 * Writes the example workflows in examples/*.json (n8n workflow exports).
 *
 *   node scripts/examples/generate.js
 *
 * The examples are the single source of the Feishu node parameters used by the demo and by the
 * e2e suite (test/e2e/*.e2e.test.ts picks nodes out of them by name), so when an operation's
 * parameters change, change them here (section PARAMS) and regenerate.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const OUT = path.resolve(__dirname, '..', '..', 'examples');
const NODE_TYPE = 'n8n-nodes-feishu-attendance.feishuAttendance';
const CREDENTIAL = { feishuAttendanceApi: { id: 'feishuCred01', name: 'Feishu Attendance (emulator)' } };
const TIMEZONE = 'Asia/Shanghai';

// ------------------------------------------------------------------------------------------------
// PARAMS — Feishu Attendance node parameters per operation
// (aligned with nodes/FeishuAttendance/actions/**/*.operation.ts as of 2026-11-21)
const PARAMS = {
	// the node as an AI agent's tool (example 09): the author fixes operation and team, the agent gives the days
	punchResultGetManyAsTool: () => ({
		resource: 'punchResult',
		operation: 'getMany',
		employeeIdType: 'employee_no',
		employeeIds: 'NO0001, NO0002, NO0003, NO0004, NO0005, NO0006',
		from: "={{ $fromAI('from', 'First day to look at, as yyyy-MM-dd', 'string') }}",
		to: "={{ $fromAI('to', 'Last day to look at (inclusive), as yyyy-MM-dd', 'string') }}",
		returnAll: true,
		options: { timezone: TIMEZONE },
		descriptionType: 'manual',
		toolDescription:
			'Attendance results of the team (employees NO0001 to NO0006) per day and shift: check_in_result / check_out_result (Normal, Late, Early, Lack; a supplement such as Leave explains a Lack), check-in and check-out times (check_in_time_iso, check_out_time_iso) and employee_name. Needs the first and last day (yyyy-MM-dd). Read-only.',
	}),
	punchFlowImport: () => ({
		resource: 'punchFlow',
		operation: 'import',
		inputMode: 'fields',
		employeeIdType: 'employee_no',
		employeeId: '={{ $json.employee_no }}',
		checkTime: '={{ $json.punch_time }}',
		locationName: '={{ $json.device }}',
		comment: '=Attendance machine {{ $json.device }}',
		additionalFields: { externalId: '={{ $json.record_no }}' },
		options: { timezone: TIMEZONE },
	}),
	// Wide Rows (example 12): DingTalk's daily summary, one row per person and day, several time columns
	punchFlowImportWide: () => ({
		resource: 'punchFlow',
		operation: 'import',
		inputMode: 'wideRows',
		employeeIdType: 'employee_no',
		employeeColumn: '工号',
		dateColumn: '日期',
		timeColumns: '上班1打卡时间, 下班1打卡时间, 上班2打卡时间, 下班2打卡时间',
		options: { timezone: TIMEZONE },
	}),
	punchFlowGetMany: () => ({
		resource: 'punchFlow',
		operation: 'getMany',
		employeeIdType: 'employee_no',
		employeeIds: '={{ $json.employee_no }}',
		from: '={{ $json.from }}',
		to: '={{ $json.to }}',
		returnAll: true,
		options: { timezone: TIMEZONE },
	}),
	punchFlowGet: () => ({
		resource: 'punchFlow',
		operation: 'get',
		employeeIdType: 'employee_no',
		recordId: '={{ $json.record_id }}',
		options: { timezone: TIMEZONE },
	}),
	punchFlowDelete: () => ({
		resource: 'punchFlow',
		operation: 'delete',
		recordIds: '={{ $json.record_id }}',
		options: {},
	}),
	punchResultGetMany: () => ({
		resource: 'punchResult',
		operation: 'getMany',
		employeeIdType: 'employee_no',
		employeeIds: '={{ $json.employee_no }}',
		from: '={{ $json.date }}',
		to: '={{ $json.date }}',
		returnAll: true,
		options: { timezone: TIMEZONE },
	}),
	approvalCreate: () => ({
		resource: 'approval',
		operation: 'create',
		approvalType: 'leave',
		employeeIdType: 'employee_no',
		employeeId: '={{ $json.employee_no }}',
		start: '={{ $json.start }}',
		end: '={{ $json.end }}',
		reason: '={{ $json.reason }}',
		typeName: '={{ $json.leave_type }}',
		typeNameOptions: { locale: 'en' },
		unit: 'hour',
		additionalFields: { idempotencyKey: '={{ $json.approval_no }}' },
		options: { timezone: TIMEZONE },
	}),
	statisticsGetMany: () => ({
		resource: 'statistics',
		operation: 'getMany',
		employeeIdType: 'employee_no',
		employeeIds: '={{ $json.employee_no }}',
		from: '={{ $json.from }}',
		to: '={{ $json.to }}',
		statsType: 'month',
		operatorId: 'NO0001',
		locale: 'en',
		returnAll: true,
		// one number per figure, keyed by Feishu's column code: the mapping holds whatever the report's language
		simplify: true,
		options: { timezone: TIMEZONE },
	}),
	approvalGetMany: () => ({
		resource: 'approval',
		operation: 'getMany',
		employeeIdType: 'employee_no',
		employeeIds: '={{ $json.employee_no }}',
		from: '={{ $json.date }}',
		to: '={{ $json.date }}',
		status: 'approved',
		dateType: 'period',
		returnAll: true,
		options: { timezone: TIMEZONE },
	}),
	approvalUpdateStatus: () => ({
		resource: 'approval',
		operation: 'updateStatus',
		approvalKind: '={{ $json.type }}',
		approvalId: '={{ $json.approval_id }}',
		newStatus: 'revoke',
		// who and which day: lets the node read the approval back and report what Feishu holds (e.g. already revoked)
		employeeId: '={{ $json.employee_id }}',
		employeeIdType: '={{ $json.employee_id_type }}',
		approvalDay: '={{ $json.date }}',
		options: { comment: '={{ $json.cancel_reason }}' },
	}),
	remedyCreate: () => ({
		resource: 'remedy',
		operation: 'create',
		employeeIdType: 'employee_no',
		employeeId: '={{ $json.employee_no }}',
		day: '={{ $json.date }}',
		punch: '={{ $json.punch }}',
		remedyTime: '={{ $json.time }}',
		reason: '={{ $json.reason }}',
		options: { timezone: TIMEZONE },
	}),
	remedyApprove: () => ({
		resource: 'approval',
		operation: 'updateStatus',
		approvalKind: 'remedy',
		approvalId: '={{ $json.approval_id }}',
		newStatus: 'approve',
		employeeId: '={{ $json.employee_id }}',
		employeeIdType: '={{ $json.employee_id_type }}',
		approvalDay: '={{ $json.remedy_date }}',
		options: { comment: 'Approved by HR' },
	}),
	scheduleCreateOrUpdate: () => ({
		resource: 'schedule',
		operation: 'createOrUpdate',
		employeeIdType: 'employee_no',
		employeeId: '={{ $json.employee_no }}',
		date: '={{ $json.date }}',
		group: { __rl: true, mode: 'name', value: '={{ $json.group }}' },
		dayType: '={{ $json.day_type }}',
		shift: { __rl: true, mode: 'name', value: '={{ $json.shift }}' },
		operatorId: 'NO0001',
		options: { timezone: TIMEZONE },
	}),
	scheduleGetMany: () => ({
		resource: 'schedule',
		operation: 'getMany',
		employeeIdType: 'employee_no',
		employeeIds: '={{ $json.employee_no }}',
		from: '={{ $json.from }}',
		to: '={{ $json.to }}',
		returnAll: true,
		options: { timezone: TIMEZONE },
	}),
};

// ------------------------------------------------------------------------------------------------
// builders

let counter = 0;
function uid() {
	counter += 1;
	return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}
const manualTrigger = (name, position) => ({
	id: uid(), name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position, parameters: {},
});
const scheduleTrigger = (name, position, hour) => ({
	id: uid(), name, type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position,
	parameters: { rule: { interval: [{ triggerAtHour: hour }] } },
});
const code = (name, position, jsCode) => ({
	id: uid(), name, type: 'n8n-nodes-base.code', typeVersion: 2, position, parameters: { jsCode: jsCode.trim() + '\n' },
});
const feishu = (name, position, parameters, extra = {}) => ({
	id: uid(), name, type: NODE_TYPE, typeVersion: 1.1, position, parameters, credentials: CREDENTIAL, ...extra,
});
/** connections from a list of [from, to] pairs (main output 0 → main input 0) */
function connect(pairs) {
	const c = {};
	for (const [from, to] of pairs) {
		c[from] = c[from] || { main: [[]] };
		c[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return c;
}
function workflow(id, name, description, nodes, pairs) {
	return {
		id, name, active: false, nodes, connections: connect(pairs),
		settings: { executionOrder: 'v1', timezone: TIMEZONE },
		pinData: {},
		meta: { templateCredsSetupCompleted: false, description },
		tags: [],
	};
}
const sticky = (name, position, content, width = 420, height = 260, id = uid()) => ({
	id, name, type: 'n8n-nodes-base.stickyNote', typeVersion: 1, position,
	parameters: { content, width, height },
});
/** IDs of notes added later (examples 02-04), apart from uid()'s sequence so that no other node's ID moves. */
const noteId = (n) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;

// ------------------------------------------------------------------------------------------------
// 1. import punch records from an attendance machine CSV export

const MACHINE_CSV = `record_no,employee_no,name,punch_time,device
K40-000101,NO0001,Employee 0001,2026-11-20 08:55:03,Gate A (K40)
K40-000102,NO0002,Employee 0002,2026-11-20 09:12:40,Gate A (K40)
K40-000103,NO0003,Employee 0003,2026-11-20 08:47:19,Gate B (K40)
K40-000104,NO0004,Employee 0004,2026-11-20 08:59:59,Gate A (K40)
K40-000105,NO0005,Employee 0005,2026-11-20 08:30:00,Gate B (K40)
K40-000106,NO0001,Employee 0001,2026-11-20 18:02:11,Gate A (K40)
K40-000107,NO0002,Employee 0002,2026-11-20 18:00:30,Gate A (K40)
K40-000108,NO0004,Employee 0004,2026-11-20 17:45:02,Gate B (K40)
K40-000109,NO0005,Employee 0005,2026-11-20 18:30:00,Gate B (K40)
K40-000110,NO9999,Unknown Badge,2026-11-20 08:58:00,Gate A (K40)`;

const CSV_SOURCE = `
// Stands in for the file an attendance machine exports (read it with "Read/Write Files from Disk",
// an FTP/SFTP node or an e-mail attachment in a real workflow).
const csv = ${JSON.stringify(MACHINE_CSV + '\n')};
return [{ json: { fileName: 'K40-2026-11-20.csv', csv } }];
`;

const CSV_PARSE = `
// Attendance machines export one punch per line: record_no, employee_no, name, punch_time, device.
const out = [];
for (const item of $input.all()) {
  const lines = String(item.json.csv).split(/\\r?\\n/).filter((l) => l.trim() !== '');
  const header = lines.shift().split(',').map((h) => h.trim());
  for (const line of lines) {
    const cells = line.split(',').map((c) => c.trim());
    const row = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    out.push({ json: row });
  }
}
return out;
`;

const IMPORT_SUMMARY = `
// One output item per input row: count what happened to each punch record.
const counts = {};
const failures = [];
for (const item of $input.all()) {
  const status = String(item.json.status ?? (item.json.error ? 'failed' : 'unknown')); // imported | duplicate | failed
  counts[status] = (counts[status] ?? 0) + 1;
  if (item.json.error) failures.push({ row: item.pairedItem?.item, employee: item.json.user_id, error: item.json.error });
}
return [{ json: { total: $input.all().length, ...counts, failures } }];
`;

const ex1 = workflow(
	'fsExImportCsv',
	'Feishu Attendance: import punch records from an attendance machine CSV',
	'Reads the CSV export of an attendance machine and imports every punch into Feishu Attendance. Running it twice imports nothing new: each row gets a stable idempotency key, so the second run reports every row as duplicate.',
	[
		manualTrigger('Run import', [0, 0]),
		code('Attendance machine export', [220, 0], CSV_SOURCE),
		code('Parse CSV', [440, 0], CSV_PARSE),
		feishu('Import Punch Records', [660, 0], PARAMS.punchFlowImport(), { onError: 'continueRegularOutput' }),
		code('Import summary', [880, 0], IMPORT_SUMMARY),
		sticky('Note', [0, -420], [
			'## Attendance machine → Feishu',
			'Imports the punches of an attendance machine\'s CSV export (one row per punch: record number, employee number, time, device) into Feishu Attendance.',
			'',
			'**To use it with your machine**: replace **Attendance machine export** with the node that fetches the file (Read/Write Files from Disk, FTP, an e-mail attachment) and, if your columns differ, **Parse CSV** with n8n\'s Extract from File. In **Import Punch Records** set *Employee ID Type* to what the file holds (here the staff number) and map *Employee ID* and *Check Time* to its columns; times without an offset are read in the *Timezone* option.',
			'',
			'**What you see**: rows with an unknown badge (NO9999) fail on their own with the reason; the others are imported. Run it again: every row comes back as `duplicate`, nothing is stored twice (each row has a stable idempotency key). **Import summary** counts both.',
		].join('\n'), 560, 400),
	],
	[
		['Run import', 'Attendance machine export'],
		['Attendance machine export', 'Parse CSV'],
		['Parse CSV', 'Import Punch Records'],
		['Import Punch Records', 'Import summary'],
	],
);

// ------------------------------------------------------------------------------------------------
// 2. scheduled daily sync: the last working day's punch results for all employees + summary

const EMPLOYEES_LAST_WORKING_DAY = `
// The employee list would come from the HR system. The day is the last working day before today (Monday to
// Friday, in the workflow's time zone): on a Monday that is Friday, so there are results to sum up every day.
const employees = ['NO0001', 'NO0002', 'NO0003', 'NO0004', 'NO0005', 'NO0006'];
let day = $today.minus({ days: 1 });
while (day.weekday > 5) day = day.minus({ days: 1 });
const date = day.toFormat('yyyy-MM-dd');
return employees.map((employee_no) => ({ json: { employee_no, date } }));
`;

const DAILY_SUMMARY = `
// Aggregate the punch results: how many check-ins/outs were Late, Lack, Early, Normal, on Leave...
const results = $input.all().map((i) => i.json).filter((r) => r.status === 'ok');
const count = {};
const late = new Set();
const lack = new Set();
for (const r of results) {
  for (const [kind, value, supplement] of [
    ['in', r.check_in_result, r.check_in_result_supplement],
    ['out', r.check_out_result, r.check_out_result_supplement],
  ]) {
    if (!value) continue;
    const key = supplement && supplement !== 'None' ? value + '/' + supplement : value;
    count[key] = (count[key] ?? 0) + 1;
    if (value === 'Late') late.add(r.employee_id);
    if (value === 'Lack' && (!supplement || supplement === 'None')) lack.add(r.employee_id);
  }
}
const day = $('Employees and last working day').first().json.date;
return [{ json: {
  day,
  results: results.length,
  late: late.size,
  lack: lack.size,
  lateEmployees: [...late],
  lackEmployees: [...lack],
  byResult: count,
  text: \`Attendance \${day}: \${results.length} shift results, \${late.size} late, \${lack.size} with a missing punch\`,
} }];
`;

const ex2 = workflow(
	'fsExDailySync',
	'Feishu Attendance: daily sync of the last working day\'s punch results',
	'Every morning at 06:00 queries the punch results of the last working day (Friday on a Monday) for all employees and writes a short summary (Late / Lack counts). Send the summary on with a Feishu, e-mail or Slack node.',
	[
		scheduleTrigger('Every day at 06:00', [0, 0], 6),
		manualTrigger('Run now', [0, 200]),
		code('Employees and last working day', [240, 100], EMPLOYEES_LAST_WORKING_DAY),
		feishu('Get Punch Results', [480, 100], PARAMS.punchResultGetMany()),
		code('Daily summary', [720, 100], DAILY_SUMMARY),
		sticky('Note', [0, -320], [
			'## Daily attendance summary',
			'Every morning at 06:00 (or **Run now**): the punch results of the last working day (Friday on a Monday) and who was late or missed a punch.',
			'',
			'Replace the employee list in **Employees and last working day** with your HR system (or an attendance group\'s members: Attendance Group → Get Members). Send **Daily summary** on with a Feishu, e-mail or Slack node. A missing punch explained by leave or a business trip is not counted as missing.',
		].join('\n'), 560, 280, noteId(2)),
	],
	[
		['Every day at 06:00', 'Employees and last working day'],
		['Run now', 'Employees and last working day'],
		['Employees and last working day', 'Get Punch Results'],
		['Get Punch Results', 'Daily summary'],
	],
);

// ------------------------------------------------------------------------------------------------
// 3. approved leave from a third-party approval system → results change from Lack to Leave

const APPROVED_LEAVE = `
// Approved leave as a third-party approval system (e.g. an OA or HR tool) lists it.
return [
  { json: { approval_no: 'OA-2026-1120-01', employee_no: 'NO0006', date: '2026-11-20',
            start: '2026-11-20 09:00:00', end: '2026-11-20 18:00:00',
            leave_type: 'Annual leave', reason: 'Family matters' } },
  { json: { approval_no: 'OA-2026-1120-02', employee_no: 'NO0003', date: '2026-11-20',
            start: '2026-11-20 14:00:00', end: '2026-11-20 18:00:00',
            leave_type: 'Sick leave', reason: 'Doctor appointment' } },
];
`;

const LEAVE_COMPARE = `
// Compare the punch results read before and after writing the leave.
// One row per employee and day: the check-in and check-out results (with the supplement that explains them).
const key = (r) => r.employee_id + ' ' + r.date_iso + ' ' + (r.shift_id ?? '');
const show = (r) => ({ in: r.check_in_result + (r.check_in_result_supplement && r.check_in_result_supplement !== 'None' ? '/' + r.check_in_result_supplement : ''),
                       out: r.check_out_result + (r.check_out_result_supplement && r.check_out_result_supplement !== 'None' ? '/' + r.check_out_result_supplement : '') });
const before = new Map($('Punch Results before').all().map((i) => [key(i.json), show(i.json)]));
return $input.all().map((i) => ({ json: { employee: i.json.employee_id, day: i.json.date_iso, before: before.get(key(i.json)), after: show(i.json) } }));
`;

const ex3 = workflow(
	'fsExLeave',
	'Feishu Attendance: write approved leave from a third-party approval system',
	'Writes approved leave into Feishu Attendance, then reads the punch results again: the missing punches (Lack) of those days now carry the Leave supplement.',
	[
		manualTrigger('Run', [0, 100]),
		code('Approved leave (third-party)', [220, 100], APPROVED_LEAVE),
		feishu('Punch Results before', [460, 0], PARAMS.punchResultGetMany()),
		feishu('Write Leave', [460, 220], PARAMS.approvalCreate()),
		feishu('Punch Results after', [700, 220], {
			...PARAMS.punchResultGetMany(),
			employeeIds: "={{ $('Approved leave (third-party)').item.json.employee_no }}",
			from: "={{ $('Approved leave (third-party)').item.json.date }}",
			to: "={{ $('Approved leave (third-party)').item.json.date }}",
		}),
		code('Lack → Leave', [940, 220], LEAVE_COMPARE),
		sticky('Note', [0, -320], [
			'## Approved leave from another approval system → Feishu',
			'Writes leave approved in an OA or HR tool into Feishu Attendance (Approval → Create), then reads the punch results again: a missing punch (`Lack`) on those hours now reads `Lack/Leave`.',
			'',
			'Replace **Approved leave (third-party)** with your system. *Leave Type* must match a leave type set up in Feishu (Attendance → Leave settings). The OA number is the idempotency key: running it again writes nothing twice. Example 07 revokes such leave when it is cancelled.',
		].join('\n'), 560, 280, noteId(3)),
	],
	[
		['Run', 'Approved leave (third-party)'],
		['Approved leave (third-party)', 'Punch Results before'],
		['Approved leave (third-party)', 'Write Leave'],
		['Write Leave', 'Punch Results after'],
		['Punch Results after', 'Lack → Leave'],
	],
);

// ------------------------------------------------------------------------------------------------
// 4. query punch records and delete the imported ones

const RANGE = `
// Whose punch records, and which time range (workflow time zone).
const employees = ['NO0001', 'NO0002', 'NO0003', 'NO0004', 'NO0005', 'NO9999'].filter((e) => e !== 'NO9999');
return employees.map((employee_no) => ({ json: { employee_no, from: '2026-11-20 00:00:00', to: '2026-11-20 23:59:59' } }));
`;

const ONLY_IMPORTED = `
// Keep the records that the CSV import created (only records imported through the API can be deleted).
return $input.all().filter((i) => !i.json.error && String(i.json.comment ?? '').startsWith('Attendance machine'));
`;

const DELETE_SUMMARY = `
const all = $input.all().map((i) => i.json);
return [{ json: { deleted: all.filter((r) => r.deleted === true).length, notDeleted: all.filter((r) => r.deleted !== true).length, errors: all.filter((r) => r.error).map((r) => r.record_id + ': ' + r.error) } }];
`;

const ex4 = workflow(
	'fsExCleanup',
	'Feishu Attendance: query punch records and delete the imported ones',
	'Queries the punch records of some employees in a time range, keeps the ones the attendance-machine import created and deletes them (for example to undo a wrong import).',
	[
		manualTrigger('Run', [0, 0]),
		code('Employees and range', [220, 0], RANGE),
		feishu('Get Punch Records', [440, 0], PARAMS.punchFlowGetMany()),
		code('Only imported records', [660, 0], ONLY_IMPORTED),
		feishu('Delete Punch Records', [880, 0], PARAMS.punchFlowDelete()),
		code('Delete summary', [1100, 0], DELETE_SUMMARY),
		sticky('Note', [0, -320], [
			'## Undo an import',
			'Finds the punch records of some employees on a day (Punch Record → Get Many), keeps those the attendance-machine import of example 01 created (their comment starts with "Attendance machine") and deletes them (Punch Record → Delete).',
			'',
			'Feishu deletes only records imported through the API, never the punches employees made themselves. Check **Only imported records** before you run it on real data.',
		].join('\n'), 560, 280, noteId(4)),
	],
	[
		['Run', 'Employees and range'],
		['Employees and range', 'Get Punch Records'],
		['Get Punch Records', 'Only imported records'],
		['Only imported records', 'Delete Punch Records'],
		['Delete Punch Records', 'Delete summary'],
	],
);

// ------------------------------------------------------------------------------------------------
// 5. monthly payroll export: last month's statistics per employee → an .xlsx file

function payrollExample() {
	const employeesLastMonth = `
// The employee list would come from the HR or payroll system; "last month" in the workflow's time zone.
const employees = ['NO0001', 'NO0002', 'NO0003', 'NO0004', 'NO0005', 'NO9999'];
const first = $today.minus({ months: 1 }).startOf('month');
const from = first.toFormat('yyyy-MM-dd');
const to = first.endOf('month').toFormat('yyyy-MM-dd');
return employees.map((employee_no) => ({ json: { employee_no, from, to } }));
`;
	const payrollRows = `
// One spreadsheet row per employee: the figures payroll needs, as numbers. Simplify gives one number per
// figure keyed by Feishu's column code, the same whatever the report's language (Statistics → Get Columns
// lists the codes and titles). IDs Feishu refused are listed, not dropped.
const FIGURES = {
  'Required days': '52101',
  'Days worked': '52102',
  'Late (times)': '52201',
  'Late (minutes)': '52202',
  'Early leave (times)': '52203',
  'Missing punches': '52207',
  'Leave (hours)': '52301',
  'Overtime (hours)': '52107',
};
const n = (r, code) => (typeof r[code] === 'number' ? r[code] : null);
return $input.all().map(({ json: r }) => ({ json: r.status === 'ok' ? {
  'Employee No.': r.employee_id,
  Name: r.employee_name,
  From: r.period_from,
  To: r.period_to,
  ...Object.fromEntries(Object.entries(FIGURES).map(([column, code]) => [column, n(r, code)])),
  Note: '',
} : { 'Employee No.': r.employee_id, Note: r.message ?? r.error } }));
`;
	return workflow(
		'fsExPayroll',
		'Feishu Attendance: monthly payroll export of attendance statistics',
		"On the 1st of every month reads last month's attendance statistics (days worked, late minutes, missing punches, leave and overtime hours) for a list of employees and writes them to an .xlsx file for payroll. Operator ID is the attendance admin whose report settings decide which columns Feishu returns.",
		[
			{ ...scheduleTrigger('1st of every month at 07:00', [0, 0], 7), parameters: { rule: { interval: [{ field: 'months', triggerAtDayOfMonth: 1, triggerAtHour: 7 }] } } },
			manualTrigger('Run now', [0, 200]),
			code('Employees and last month', [240, 100], employeesLastMonth),
			feishu('Get Monthly Statistics', [480, 100], PARAMS.statisticsGetMany()),
			code('Payroll rows', [720, 100], payrollRows),
			{
				id: uid(), name: 'Payroll spreadsheet', type: 'n8n-nodes-base.convertToFile', typeVersion: 1.1, position: [960, 100],
				parameters: {
					operation: 'xlsx',
					binaryPropertyName: 'data',
					options: { fileName: "=attendance-{{ $('Employees and last month').first().json.from.slice(0, 7) }}.xlsx", sheetName: 'Attendance' },
				},
			},
			{
				id: uid(), name: 'Write payroll file', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [1200, 100], disabled: true,
				parameters: {
					operation: 'write',
					fileName: "=/tmp/attendance-{{ $('Employees and last month').first().json.from.slice(0, 7) }}.xlsx",
					dataPropertyName: 'data',
					options: {},
				},
			},
			sticky('Note', [0, -300], "## Monthly payroll export\nSet **Operator ID** to your attendance admin: their report settings (Attendance admin console → Statistics) decide the columns. NO9999 is unknown and shows up as a row with a note instead of being dropped.\n\n**Write payroll file** is off: download the .xlsx from **Payroll spreadsheet**, or switch it on with a folder n8n may write to (n8n 2.x: only ~/.n8n-files unless N8N_RESTRICT_FILE_ACCESS_TO says otherwise), or send the file on with an e-mail / Drive node."),
		],
		[
			['1st of every month at 07:00', 'Employees and last month'],
			['Run now', 'Employees and last month'],
			['Employees and last month', 'Get Monthly Statistics'],
			['Get Monthly Statistics', 'Payroll rows'],
			['Payroll rows', 'Payroll spreadsheet'],
			['Payroll spreadsheet', 'Write payroll file'],
		],
	);
}
const ex5 = payrollExample();

// ------------------------------------------------------------------------------------------------
// 6. weekly roster: a spreadsheet with one row per employee and a shift per weekday → schedules, read back

function weeklyRosterExample() {
	const rosterSheet = `
// Stands in for the roster spreadsheet (Google Sheets, Excel, a workforce-planning export): one row per
// employee, the attendance group, and the shift name per weekday ("Rest" = day off).
const rows = [
  { employee_no: 'NO0001', group: 'Retail Stores', mon: 'Early Shift', tue: 'Early Shift', wed: 'Late Shift', thu: 'Late Shift', fri: 'Day Shift', sat: 'Rest', sun: 'Rest' },
  { employee_no: 'NO0002', group: 'Retail Stores', mon: 'Late Shift', tue: 'Late Shift', wed: 'Rest', thu: 'Early Shift', fri: 'Early Shift', sat: 'Day Shift', sun: 'Rest' },
  { employee_no: 'NO0003', group: 'Retail Stores', mon: 'Rest', tue: 'Day Shift', wed: 'Day Shift', thu: 'Day Shift', fri: 'Late Shift', sat: 'Late Shift', sun: 'Rest' },
  { employee_no: 'NO0040', group: 'Warehouse', mon: 'Night Shift', tue: 'Night Shift', wed: 'Night Shift', thu: 'Rest', fri: 'Rest', sat: 'Night Shift', sun: 'Night Shift' },
];
return rows.map((json) => ({ json }));
`;
	const perDay = `
// One item per employee and day of next week (Monday to Sunday in the workflow's time zone).
const monday = $today.plus({ weeks: 1 }).startOf('week');
const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const out = [];
for (const { json: row } of $input.all()) {
  days.forEach((key, i) => {
    const shift = String(row[key] ?? '').trim();
    const rest = shift === '' || shift.toLowerCase() === 'rest';
    out.push({ json: {
      employee_no: row.employee_no,
      date: monday.plus({ days: i }).toFormat('yyyy-MM-dd'),
      group: row.group,
      day_type: rest ? 'rest' : 'shift',
      shift: rest ? '' : shift,
    } });
  });
}
return out;
`;
	const week = `
// The employees of the roster and next week's range, to read the schedules back.
const monday = $today.plus({ weeks: 1 }).startOf('week');
const employees = [...new Set($('Roster sheet').all().map((i) => i.json.employee_no))];
return employees.map((employee_no) => ({ json: {
  employee_no, from: monday.toFormat('yyyy-MM-dd'), to: monday.plus({ days: 6 }).toFormat('yyyy-MM-dd'),
} }));
`;
	const check = `
// Compares what was written with what Feishu now holds, per employee and day.
const written = $('Write Schedules').all().map((i) => i.json);
const held = new Map($input.all().map((i) => [i.json.employee_id + ' ' + i.json.date, i.json.shift_name]));
return written.map((w) => ({ json: {
  employee_no: w.employee_id,
  date: w.date,
  planned: w.shift_name,
  status: w.status,
  in_feishu: held.get(w.employee_id + ' ' + w.date) ?? null,
  ok: w.status === 'scheduled' && held.get(w.employee_id + ' ' + w.date) === w.shift_name,
  error: w.error,
} }));
`;
	return workflow(
		'fsExRoster',
		'Feishu Attendance: weekly roster from a spreadsheet',
		"Every Friday writes next week's roster (one row per employee, a shift name or Rest per weekday) as Feishu schedules, then reads the week back and compares. Groups and shifts are given by name and looked up once per run; writing the same roster again changes nothing.",
		[
			{ ...scheduleTrigger('Every Friday at 15:00', [0, 0], 15), parameters: { rule: { interval: [{ field: 'weeks', triggerAtDay: [5], triggerAtHour: 15 }] } } },
			manualTrigger('Run now', [0, 200]),
			code('Roster sheet', [240, 100], rosterSheet),
			code('One item per employee and day', [480, 100], perDay),
			feishu('Write Schedules', [720, 100], PARAMS.scheduleCreateOrUpdate(), { onError: 'continueRegularOutput' }),
			code('Employees and week', [960, 100], week),
			feishu('Read Schedules', [1200, 100], PARAMS.scheduleGetMany()),
			code('Roster check', [1440, 100], check),
			sticky('Note', [0, -300], "## Weekly roster\nReplace **Roster sheet** with your spreadsheet node (Google Sheets, Excel, …). Each employee must be in the attendance group named on their row, and that group must use shifts. Fill in **Operator ID** with an attendance admin unless \"API access\" is set up in the attendance admin console. Needs the scopes attendance:rule (write) and attendance:rule:readonly + attendance:task:readonly (read)."),
		],
		[
			['Every Friday at 15:00', 'Roster sheet'],
			['Run now', 'Roster sheet'],
			['Roster sheet', 'One item per employee and day'],
			['One item per employee and day', 'Write Schedules'],
			['Write Schedules', 'Employees and week'],
			['Employees and week', 'Read Schedules'],
			['Read Schedules', 'Roster check'],
		],
	);
}
const ex6 = weeklyRosterExample();

// ------------------------------------------------------------------------------------------------
// 9. an AI agent that answers "who was late yesterday?" with the node as its tool (not run in tests:
//    it needs a chat model; test/e2e/mcp.e2e.test.ts proves the same tool wiring over MCP)

function aiAgentExample() {
	const AGENT = 'AI Agent';
	const nodes = [
		{
			id: uid(), name: 'When chat message received', type: '@n8n/n8n-nodes-langchain.chatTrigger', typeVersion: 1.1,
			position: [0, 0], webhookId: '9c3f1e2a-4b5d-4e6f-8a7b-0c1d2e3f4a59', parameters: { options: {} },
		},
		{
			id: uid(), name: AGENT, type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 2.2, position: [260, 0],
			parameters: {
				promptType: 'auto',
				options: {
					systemMessage:
						"=You answer questions about the team's attendance. Today is {{ $now.setZone('Asia/Shanghai').toFormat('yyyy-MM-dd (cccc)') }} in Asia/Shanghai. " +
						'Use the Punch Results tool with the days the question is about (yesterday = the day before today). ' +
						'Someone was late when check_in_result is Late; report name, employee number and check-in time. ' +
						'A Lack with a supplement such as Leave or Travel is not an absence. Answer briefly.',
				},
			},
		},
		{
			id: uid(), name: 'OpenAI Chat Model', type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', typeVersion: 1.2, position: [120, 240],
			parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, options: {} },
		},
		{
			id: uid(), name: 'Memory', type: '@n8n/n8n-nodes-langchain.memoryBufferWindow', typeVersion: 1.3, position: [300, 240],
			parameters: {},
		},
		{
			id: uid(), name: 'Punch Results', type: `${NODE_TYPE}Tool`, typeVersion: 1, position: [480, 240],
			parameters: PARAMS.punchResultGetManyAsTool(), credentials: CREDENTIAL,
		},
		sticky('About this workflow', [-40, -300], [
			'## Who was late yesterday? (AI agent with Feishu Attendance as its tool)',
			'Open the chat and ask e.g. *Who was late yesterday?* or *Did anyone miss a check-out this week?*',
			'',
			'- **OpenAI Chat Model**: pick your model credential (any chat model node works).',
			'- **Punch Results**: the Feishu Attendance node as a tool. The workflow author fixes the operation (a read: Punch Result → Get Many) and the team; the agent only fills in the days (`$fromAI`).',
			'- An agent can only run the operation the author placed here. Do not add write operations (Import, Delete, Approval Create, Custom API Call with POST) as tools unless the agent may really change attendance data.',
		].join('\n'), 560, 300),
	];
	const wf = workflow('ex09AiAgentLate', '09 AI agent: who was late yesterday?', 'Chat with an AI agent that reads Feishu punch results through the node used as a tool.', nodes, [
		['When chat message received', AGENT],
	]);
	wf.connections['OpenAI Chat Model'] = { ai_languageModel: [[{ node: AGENT, type: 'ai_languageModel', index: 0 }]] };
	wf.connections.Memory = { ai_memory: [[{ node: AGENT, type: 'ai_memory', index: 0 }]] };
	wf.connections['Punch Results'] = { ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]] };
	return wf;
}
const ex9 = aiAgentExample();

// ------------------------------------------------------------------------------------------------
// 7. approvals cancelled in a third-party system → revoked in Feishu

function revokeCancelledExample() {
	const cancelled = `
// Approvals that were cancelled in the third-party approval system (e.g. the OA tool of example 03)
// after they had been written into Feishu: the OA number is the idempotency key they were written with.
return [
  { json: { approval_no: 'OA-2026-1120-02', employee_no: 'NO0003', date: '2026-11-20', cancel_reason: 'Appointment cancelled' } },
];
`;
	const match = `
// Keep the Feishu approvals whose idempotency key is a cancelled OA number (approval_id and type go on
// to Update Status); note the OA numbers not found in Feishu.
const cancelled = new Map($('Cancelled in OA').all().map((i) => [i.json.approval_no, i.json]));
const found = $input.all().filter((i) => cancelled.has(i.json.idempotency_key));
const out = found.map((i) => ({ json: { ...i.json, cancel_reason: cancelled.get(i.json.idempotency_key).cancel_reason } }));
// Nothing matches when the approvals were revoked by an earlier run (or never written: run example 03 first).
return out;
`;
	const summary = `
// outcome: done (revoked now), already done (Feishu held it revoked before), not done (error says why).
return $input.all().map((i) => ({ json: { approval_id: i.json.approval_id, type: i.json.approval_type, outcome: i.json.outcome, status: i.json.status, error: i.json.error } }));
`;
	return workflow(
		'fsExRevoke',
		'Feishu Attendance: revoke approvals cancelled in a third-party system',
		'Approvals written into Feishu Attendance (example 03) are cancelled in the third-party approval system: this workflow finds them in Feishu by their OA number (the idempotency key) and revokes them (Approval → Update Status). The punch results lose the Leave supplement. Running it again finds nothing left to revoke (Update Status itself reports "already revoked" for an approval revoked before).',
		[
			manualTrigger('Run', [0, 0]),
			code('Cancelled in OA', [220, 0], cancelled),
			feishu('Approvals in Feishu', [440, 0], PARAMS.approvalGetMany()),
			code('Match cancelled', [660, 0], match),
			feishu('Revoke in Feishu', [880, 0], PARAMS.approvalUpdateStatus(), { onError: 'continueRegularOutput' }),
			code('Revoke summary', [1100, 0], summary),
			sticky('Note', [0, -300], '## Cancelled in OA → revoked in Feishu\nFeishu stores written approvals as approved; the only way back is to revoke them. Run example 03 first (it writes OA-2026-1120-02). Approve / Reject apply to remedies only.'),
		],
		[
			['Run', 'Cancelled in OA'],
			['Cancelled in OA', 'Approvals in Feishu'],
			['Approvals in Feishu', 'Match cancelled'],
			['Match cancelled', 'Revoke in Feishu'],
			['Revoke in Feishu', 'Revoke summary'],
		],
	);
}
const ex7 = revokeCancelledExample();

// ------------------------------------------------------------------------------------------------
// 8. remedy requests from a form or a sheet → pending remedies → approved → the punch results change

function remedyRequestsExample() {
	const requests = `
// Remedy requests as a form or a sheet collects them: who, which day, which punch, the real time, why.
// Punch: First Shift Check-In / First Shift Check-Out (Second…, Third… for split shifts).
// The day here is the last working day (attendance groups allow remedies for recent days only).
let day = $today.minus({ days: 1 });
while (day.weekday > 5) day = day.minus({ days: 1 });
const date = day.toFormat('yyyy-MM-dd');
return [
  { json: { employee_no: 'NO0003', date, punch: 'First Shift Check-Out', time: date + ' 18:05', reason: 'Forgot to punch out' } },
  { json: { employee_no: 'NO0002', date, punch: 'First Shift Check-In', time: date + ' 08:58', reason: 'Badge reader at Gate A was down' } },
];
`;
	const toApprove = `
// Stand-in for your approval step (a manager's OK in a form, a Feishu approval, …): here every new request is
// approved. On a re-run the requests come back as "duplicate" and only still-pending ones are approved.
return $input.all().filter((i) => i.json.status === 'created' || (i.json.status === 'duplicate' && i.json.remedy_status === 'Pending'));
`;
	const again = `
// The employees and days of the requests, to read their punch results again.
return $('Remedy requests').all().map((i) => ({ json: { employee_no: i.json.employee_no, date: i.json.date } }));
`;
	const compare = `
// The punch results before and after the remedies, per employee and day.
const key = (r) => r.employee_id + ' ' + r.date_iso;
const show = (r) => ({ in: r.check_in_result + '/' + r.check_in_result_supplement, out: r.check_out_result + '/' + r.check_out_result_supplement });
const before = new Map($('Punch Results before').all().map((i) => [key(i.json), show(i.json)]));
return $input.all().map((i) => ({ json: { employee: key(i.json), before: before.get(key(i.json)), after: show(i.json) } }));
`;
	return workflow(
		'fsExRemedy',
		'Feishu Attendance: remedy requests from a form or sheet',
		'Writes remedy requests (a forgotten or wrong punch) as pending remedies (Remedy → Create), approves them (Approval → Update Status, type Remedy) and reads the punch results again: the missing or late punches become Normal with the CardReplacement supplement. A second run writes nothing: Feishu has no idempotency key for remedies, so the node looks them up first and reports "duplicate".',
		[
			manualTrigger('Run', [0, 100]),
			code('Remedy requests', [220, 100], requests),
			feishu('Punch Results before', [460, 0], PARAMS.punchResultGetMany()),
			feishu('Create Remedies', [460, 220], PARAMS.remedyCreate(), { onError: 'continueRegularOutput' }),
			code('Approved by HR', [700, 220], toApprove),
			feishu('Approve Remedies', [940, 220], PARAMS.remedyApprove(), { onError: 'continueRegularOutput' }),
			code('Requested days', [1180, 220], again),
			feishu('Punch Results after', [1420, 220], PARAMS.punchResultGetMany()),
			code('Before / after', [1660, 220], compare),
			sticky('Note', [0, -300], '## Remedy requests\nReplace **Remedy requests** with your form or sheet. Feishu allows remedies only for recent days and a quota per month (set in the attendance group); refused requests come out with Feishu\'s reason. Remedy → Get Allowed lists what can still be corrected.'),
		],
		[
			['Run', 'Remedy requests'],
			['Remedy requests', 'Punch Results before'],
			['Remedy requests', 'Create Remedies'],
			['Create Remedies', 'Approved by HR'],
			['Approved by HR', 'Approve Remedies'],
			['Approve Remedies', 'Requested days'],
			['Requested days', 'Punch Results after'],
			['Punch Results after', 'Before / after'],
		],
	);
}
const ex8 = remedyRequestsExample();

// ------------------------------------------------------------------------------------------------
// 10. incremental sync: the poll trigger every 15 minutes → one row per change, keyed for an upsert

function pollSyncExample() {
	const rows = `
// One row per change, ready for an upsert into your table (Postgres, MySQL, Google Sheets, Airtable, …):
// record_key identifies the record across polls; event says what happened (punch_record.new,
// punch_result.changed, approval.changed, remedy.new, …). Replace this node with your database node
// (operation Insert or Update, matching column record_key).
return $input.all().map((i) => {
  const e = i.json;
  return { json: {
    record_key: e.record_key,
    event: e.event,
    employee: e.employee_id ?? e.user_id,
    day: e.date_iso ?? e.check_time_iso ?? e.remedy_time_iso ?? null,
    what: e.type ?? e.shift_type ?? e.punch ?? 'punch',
    status: e.approval_status ?? e.remedy_status ?? (e.check_in_result ? e.check_in_result + ' / ' + e.check_out_result : null),
    polled_calls: e.poll?.calls,
  } };
});
`;
	return workflow(
		'fsExPollSync',
		'Feishu Attendance: sync what changed every 15 minutes',
		'Feishu Attendance Poll Trigger every 15 minutes: new punch records and new or changed punch results, approvals and remedies of a list of employees, each emitted once, as rows keyed by record_key for an upsert. Activate the workflow; no public URL is needed.',
		[
			{
				id: uid(), name: 'Every 15 minutes', type: 'n8n-nodes-feishu-attendance.feishuAttendancePollTrigger', typeVersion: 1, position: [0, 100],
				parameters: {
					pollTimes: { item: [{ mode: 'custom', cronExpression: '0 */15 * * * *' }] },
					watch: ['punchRecord', 'punchResult', 'approval', 'remedy'],
					employeesFrom: 'employees',
					employeeIdType: 'employee_no',
					employeeIds: 'NO0001, NO0002, NO0003, NO0004, NO0005, NO0006',
					lookBackDays: 3,
					firstPoll: 'baseline',
					maxCallsPerPoll: 100,
					options: {},
				},
				credentials: CREDENTIAL,
			},
			code('Rows for your table', [260, 100], rows),
			sticky('Note', [0, -300], "## Sync what changed, every 15 minutes\nActivate the workflow. The first poll remembers what is there and emits nothing; after that every new punch and every new or changed result, approval (also a revoked one) and remedy of the last **3 days** comes out **once**, also after an n8n restart. A failed poll emits nothing and the next one catches up. *Fetch Test Event* shows the latest records without changing what the trigger remembers. Replace **Rows for your table** with your database node (Insert or Update on `record_key`).", 460, 300),
		],
		[['Every 15 minutes', 'Rows for your table']],
	);
}
const ex10 = pollSyncExample();

// ------------------------------------------------------------------------------------------------
// 11. Feishu Approval → HR / payroll: the webhook trigger's approval events, one row per approval

function approvalEventsExample() {
	const rows = `
// One row per approval for the HR or payroll system: who, what, from/to, approved or revoked, the instance code
// (the key to update the same row when the approval is revoked later). Replace this node with your database node.
return $input.all().map((i) => {
  const a = i.json;
  return { json: {
    instance_code: a.instance_code,
    employee_id: a.employee_id,
    what: a.approval_type + (a.type_name ? ' (' + a.type_name + ')' : ''),
    from: a.from_iso,
    to: a.to_iso,
    status: a.status,
    reason: a.reason ?? null,
  } };
});
`;
	return workflow(
		'fsExApprovalEvents',
		'Feishu Attendance: approvals from Feishu Approval to HR',
		'Feishu Attendance Trigger with the approval events: leave, overtime and out of office approved or revoked, shift swaps, remedies and business trips approved in Feishu Approval become one row each for the HR or payroll system. Activate the workflow and paste its Production URL into the Feishu developer console.',
		[
			{
				id: uid(), name: 'Approvals in Feishu', type: 'n8n-nodes-feishu-attendance.feishuAttendanceTrigger', typeVersion: 1, position: [0, 100],
				webhookId: '7c2d4e6f-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
				parameters: {
					events: ['leave_approval', 'out_approval', 'remedy_approval', 'shift_approval', 'trip_approval', 'work_approval'],
					employeeIds: '',
					options: {},
				},
				credentials: CREDENTIAL,
			},
			code('Rows for HR', [260, 100], rows),
			sticky('Note', [0, -320], "## Approvals from Feishu Approval → HR\n1. In the Feishu developer console: scope **approval:approval:readonly**, the events *leave_approval*, *work_approval*, *out_approval*, *shift_approval*, *approval.instance.remedy_group_update_v4*, *approval.instance.trip_group_update_v4*, and this trigger's **Production URL** as request URL.\n2. Subscribe each approval definition once: `POST /open-apis/approval/v4/approvals/<approval_code>/subscribe` (Feishu Attendance → Custom API Call).\n3. Activate. A revoked leave comes as a second item with `status: revoked` and the same `instance_code`.", 480, 320),
		],
		[['Approvals in Feishu', 'Rows for HR']],
	);
}
const ex11 = approvalEventsExample();

// ------------------------------------------------------------------------------------------------
// 12. DingTalk's daily summary (每日汇总) → Feishu: wide rows, one punch per filled time cell

function dingTalkSummaryExample() {
	const rows = `
// DingTalk's daily summary (每日汇总) as its CSV export gives it: one row per person and day, punch times as HH:mm in
// several columns, empty where there was no punch. Replace this node with Read/Write Files + Extract from File.
return [
  { json: { 姓名: 'Li Lei', 工号: 'NO0001', 日期: '2026-11-20', 上班1打卡时间: '08:56', 下班1打卡时间: '18:03', 上班2打卡时间: '', 下班2打卡时间: '' } },
  { json: { 姓名: 'Han Meimei', 工号: 'NO0002', 日期: '2026-11-20', 上班1打卡时间: '09:12', 下班1打卡时间: '次日 00:40', 上班2打卡时间: '', 下班2打卡时间: '' } },
  { json: { 姓名: 'Wang Fang', 工号: 'NO0003', 日期: '2026-11-20', 上班1打卡时间: '', 下班1打卡时间: '', 上班2打卡时间: '', 下班2打卡时间: '' } },
  { json: { 姓名: 'Unknown', 工号: 'NO9999', 日期: '2026-11-20', 上班1打卡时间: '08:30', 下班1打卡时间: '', 上班2打卡时间: '', 下班2打卡时间: '' } },
];
`;
	return workflow(
		'fsExDingTalkWide',
		'Feishu Attendance: DingTalk daily summary (wide rows) → Feishu punch records',
		"Imports DingTalk's daily summary (one row per person and day, several HH:mm time columns) with Punch Record → Import in the Wide Rows input mode: one punch per filled cell, empty cells skipped, each row's item lists its cells with their outcome. A second run reports every cell as already imported.",
		[
			manualTrigger('Run', [0, 100]),
			code('Daily summary rows', [220, 100], rows),
			feishu('Import Wide Rows', [460, 100], PARAMS.punchFlowImportWide(), { onError: 'continueRegularOutput' }),
			sticky('Note', [0, -300], "## DingTalk daily summary → Feishu\nName the date column and the time columns as in your export (上班1打卡时间, 下班1打卡时间, …). Each filled cell becomes one punch; `次日 00:40` is after midnight. Each row comes out with `cells` (which cell, done / already done / not done and why). NO9999 is unknown: its row is not done with the reason; the others are imported. Run it again: every cell is already imported."),
		],
		[
			['Run', 'Daily summary rows'],
			['Daily summary rows', 'Import Wide Rows'],
		],
	);
}
const ex12 = dingTalkSummaryExample();

const files = {
	'01-import-punch-records-csv.json': ex1,
	'02-daily-punch-result-sync.json': ex2,
	'03-third-party-leave-approvals.json': ex3,
	'04-delete-imported-punch-records.json': ex4,
	'05-monthly-payroll-statistics.json': ex5,
	'06-weekly-roster.json': ex6,
	'07-revoke-cancelled-approvals.json': ex7,
	'08-remedy-requests.json': ex8,
	'09-ai-agent-who-was-late.json': ex9,
	'10-poll-sync-every-15-minutes.json': ex10,
	'11-approval-events-to-hr.json': ex11,
	'12-dingtalk-daily-summary-wide-rows.json': ex12,
};

if (require.main === module) {
	fs.mkdirSync(OUT, { recursive: true });
	for (const [file, wf] of Object.entries(files)) {
		fs.writeFileSync(path.join(OUT, file), JSON.stringify(wf, null, 2) + '\n');
		console.log(`wrote examples/${file}`);
	}
}

module.exports = { files, PARAMS, MACHINE_CSV };
