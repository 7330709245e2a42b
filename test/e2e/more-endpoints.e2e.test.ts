/**
 * The 14 endpoints reached last (issue 25) end to end in real n8n: one workflow per resource, each run once
 * (Leave Balance, Archive Report, Face Photo, Attendance Group writes, Shift writes, Schedule → Create Temporary
 * Shifts, Statistics → Update Report Settings). Nodes after the first of a workflow run once (n8n's Execute Once)
 * on what the node before answered. Every request is checked against Lark's definitions by the emulator (a request
 * outside them fails the run: test/emulator/jest-setup.ts).
 */
import { ARCHIVE_RULES } from '../emulator/handlers/archive';
import { ANNUAL_LEAVE_ID } from '../emulator/handlers/leave';
import { RETAIL_GROUP_ID } from '../emulator/handlers/rules';
import {
	chain,
	codeNode,
	describeTargets,
	expectSuccess,
	feishuNode,
	itemsNode,
	setupEnv,
	teardownEnv,
	type E2eEnv,
} from './fixtures';
import { httpJson, nodeItems, type ExecuteResult, type WorkflowExport } from './n8n';

const RULE = ARCHIVE_RULES[0].archive_rule_id;
/** a 1×1 PNG */
const PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** A Feishu Attendance node with exactly these parameters; `once`: n8n's Execute Once. */
function op(
	name: string,
	cred: { id: string; name: string },
	parameters: Record<string, unknown>,
	once = false,
): Record<string, any> {
	const node = feishuNode(name, 'punchResultGetMany', cred);
	node.parameters = parameters;
	if (once) node.executeOnce = true;
	return node;
}

const json = (r: ExecuteResult, node: string) => nodeItems(r.run, node).map((i) => i.json);

describeTargets('more endpoints', (info) => {
	let env: E2eEnv;
	const wfs: Record<string, WorkflowExport> = {};
	const admin = async (what: string) =>
		(await httpJson('GET', `${env.emulator.url}/__admin/${what}`)).body as Array<
			Record<string, any>
		>;

	beforeAll(async () => {
		env = await setupEnv(info, {
			workflows: (cred) => {
				wfs.leave = chain('e2eLeaveBalance', 'leave balance', [
					itemsNode('Employee', [{ employee_id: 'emp0003' }]),
					op('Expiring', cred, {
						resource: 'leaveBalance',
						operation: 'getExpiringGrants',
						leaveTypeId: ANNUAL_LEAVE_ID,
						userIdType: 'user_id',
						employeeId: '={{ $json.employee_id }}',
						expiringFrom: '2024-06-01',
						expiringTo: '2024-07-01',
					}),
					op(
						'Correct grant',
						cred,
						{
							resource: 'leaveBalance',
							operation: 'updateGrant',
							confirm: true,
							leaveTypeId: ANNUAL_LEAVE_ID,
							userIdType: 'user_id',
							employeeId: "={{ $('Employee').first().json.employee_id }}",
							grantId: '={{ $json.id }}',
							reason: 'Corrected by the HR system',
							updateFields: { quantity: 3 },
						},
						true,
					),
				]);
				wfs.archive = chain('e2eArchiveReport', 'archive report', [
					itemsNode(
						'Payroll rows',
						[1, 2, 3].map((n) => ({ employee_id: `emp000${n}`, days: 20 + n })),
					),
					op('Upload', cred, {
						resource: 'archiveReport',
						operation: 'upload',
						archiveRuleId: RULE,
						month: '2026-10',
						operatorId: 'emp0001',
						employeeId: '={{ $json.employee_id }}',
						figures: { figure: [{ code: '50102', value: '={{ $json.days }}' }] },
					}),
					op(
						'Delete one',
						cred,
						{
							resource: 'archiveReport',
							operation: 'delete',
							confirm: true,
							archiveRuleId: RULE,
							month: '2026-10',
							operatorId: 'emp0001',
							employeeIds: 'emp0002',
						},
						true,
					),
					op(
						'Fields',
						cred,
						{
							resource: 'archiveReport',
							operation: 'getFields',
							archiveRuleId: RULE,
							month: '2026-10',
							operatorId: 'emp0001',
							locale: 'en',
						},
						true,
					),
					op(
						'Rules',
						cred,
						{ resource: 'archiveReport', operation: 'getMany', returnAll: true },
						true,
					),
				]);
				wfs.face = chain('e2eFacePhoto', 'face photo', [
					codeNode(
						'Photo',
						`return [{ json: { employee_id: 'emp0004' }, binary: { data: { data: '${PNG_BASE64}', mimeType: 'image/png', fileName: 'face.png' } } }];`,
					),
					op('Set photo', cred, {
						resource: 'facePhoto',
						operation: 'update',
						employeeId: '={{ $json.employee_id }}',
						binaryPropertyName: 'data',
					}),
					op(
						'Read photos',
						cred,
						{
							resource: 'facePhoto',
							operation: 'get',
							employeeIds: 'emp0004, emp0005',
							options: { downloadPhotos: true },
						},
						true,
					),
				]);
				const group = {
					groupName: 'E2E Crew',
					operatorId: 'emp0001',
					groupFields: { groupType: 3, leaderIds: 'emp0001', memberIds: 'emp1999' },
				};
				wfs.group = chain('e2eGroupWrites', 'attendance group writes', [
					itemsNode('Group', [{}]),
					op('Create group', cred, {
						resource: 'attendanceGroup',
						operation: 'createOrUpdate',
						...group,
					}),
					op(
						'Create again',
						cred,
						{ resource: 'attendanceGroup', operation: 'createOrUpdate', ...group },
						true,
					),
					op(
						'Delete group',
						cred,
						{
							resource: 'attendanceGroup',
							operation: 'delete',
							confirm: true,
							group: { __rl: true, mode: 'name', value: 'E2E Crew' },
						},
						true,
					),
				]);
				wfs.shift = chain('e2eShiftWrites', 'shift writes', [
					itemsNode('Shift', [{}]),
					op('Create shift', cred, {
						resource: 'shift',
						operation: 'create',
						shiftName: 'E2E Shift',
						sections: { section: [{ onTime: '08:00', offTime: '17:00' }] },
					}),
					op(
						'Delete shift',
						cred,
						{
							resource: 'shift',
							operation: 'delete',
							confirm: true,
							shift: '={{ $json.shift_id }}',
						},
						true,
					),
				]);
				wfs.temp = chain('e2eTempShifts', 'temporary shifts', [
					itemsNode('Who', [{ employee_id: 'emp0001' }, { employee_id: 'emp0002' }]),
					op('Temporary shifts', cred, {
						resource: 'schedule',
						operation: 'createTemporaryShifts',
						employeeId: '={{ $json.employee_id }}',
						group: { __rl: true, mode: 'id', value: RETAIL_GROUP_ID },
						date: '2026-11-23',
						shiftName: 'Stocktaking',
						sections: { section: [{ onTime: '06:00', offTime: '14:00' }] },
						operatorId: 'emp0001',
					}),
				]);
				wfs.settings = chain('e2eReportCols', 'report settings', [
					itemsNode('Admin', [{}]),
					op('Hide columns', cred, {
						resource: 'statistics',
						operation: 'updateReportSettings',
						operatorId: 'emp0001',
						statsType: 'month',
						switchOff: '52202, 52203',
					}),
					op(
						'Hide again',
						cred,
						{
							resource: 'statistics',
							operation: 'updateReportSettings',
							operatorId: 'emp0001',
							statsType: 'month',
							switchOff: '52202',
						},
						true,
					),
				]);
				return Object.values(wfs);
			},
		});
	});

	afterAll(async () => {
		await teardownEnv(env);
	});

	test('Leave Balance: the grants expiring in the window, then one corrected', async () => {
		const r = await env.n8n.execute(wfs.leave.id);
		expectSuccess(r);
		expect(json(r, 'Expiring').map((g) => g.id)).toEqual(['7300000000000000032']);
		expect(json(r, 'Correct grant')).toEqual([
			expect.objectContaining({
				outcome: 'done',
				status: 'updated',
				grant_id: '7300000000000000032',
			}),
		]);
		expect(
			(await admin('leave-records')).find((g) => g.id === '7300000000000000032'),
		).toMatchObject({ granting_quantity: '3' });
	});

	test('Archive Report: rows uploaded, one deleted, the columns and the rules read', async () => {
		const r = await env.n8n.execute(wfs.archive.id);
		expectSuccess(r);
		expect(json(r, 'Upload').map((i) => i.outcome)).toEqual(['done', 'done', 'done']);
		expect(json(r, 'Delete one')).toEqual([
			expect.objectContaining({ outcome: 'done', status: 'deleted' }),
		]);
		expect((await admin('archive-reports')).map((row) => row.member).sort()).toEqual([
			'emp0001',
			'emp0003',
		]);
		expect(json(r, 'Fields').map((f) => f.code)).toContain('50102');
		expect(json(r, 'Rules')).toHaveLength(ARCHIVE_RULES.length);
	});

	test('Face Photo: the binary photo uploaded (multipart) and set; read back', async () => {
		const r = await env.n8n.execute(wfs.face.id);
		expectSuccess(r);
		const [set] = json(r, 'Set photo');
		expect(set).toMatchObject({ outcome: 'done', status: 'updated', employee_id: 'emp0004' });
		expect(json(r, 'Read photos')).toEqual([
			expect.objectContaining({ employee_id: 'emp0004', has_photo: true, face_key: set.face_key }),
			expect.objectContaining({ employee_id: 'emp0005', has_photo: false }),
		]);
		expect(nodeItems(r.run, 'Read photos')[0].binary?.photo).toMatchObject({
			mimeType: 'image/png',
			fileName: 'emp0004.png',
		});
	});

	test('Attendance Group: created, the same again is already done, deleted', async () => {
		const r = await env.n8n.execute(wfs.group.id);
		expectSuccess(r);
		expect(json(r, 'Create group')).toEqual([
			expect.objectContaining({ outcome: 'done', status: 'created' }),
		]);
		expect(json(r, 'Create again')).toEqual([expect.objectContaining({ outcome: 'already done' })]);
		expect(json(r, 'Delete group')).toEqual([
			expect.objectContaining({ outcome: 'done', status: 'deleted' }),
		]);
	});

	test('Shift: created, then deleted by its ID', async () => {
		const r = await env.n8n.execute(wfs.shift.id);
		expectSuccess(r);
		const [created] = json(r, 'Create shift');
		expect(created).toMatchObject({ outcome: 'done', status: 'created', shift_name: 'E2E Shift' });
		expect(json(r, 'Delete shift')).toEqual([
			expect.objectContaining({ outcome: 'done', shift_id: created.shift_id }),
		]);
	});

	test('Schedule: temporary shifts for two employees in one call', async () => {
		const before =
			env.emulator.counters().requests[
				'POST /open-apis/attendance/v1/user_daily_shifts/batch_create_temp'
			] ?? 0;
		const r = await env.n8n.execute(wfs.temp.id);
		expectSuccess(r);
		expect(json(r, 'Temporary shifts').map((i) => [i.outcome, i.status])).toEqual([
			['done', 'scheduled'],
			['done', 'scheduled'],
		]);
		expect(
			(env.emulator.counters().requests[
				'POST /open-apis/attendance/v1/user_daily_shifts/batch_create_temp'
			] ?? 0) - before,
		).toBe(1);
	});

	test('Statistics: report columns switched off; the same again is already done', async () => {
		const r = await env.n8n.execute(wfs.settings.id);
		expectSuccess(r);
		expect(json(r, 'Hide columns')).toEqual([
			expect.objectContaining({ outcome: 'done', changed: ['52202', '52203'] }),
		]);
		expect(json(r, 'Hide again')).toEqual([expect.objectContaining({ outcome: 'already done' })]);
	});
});
