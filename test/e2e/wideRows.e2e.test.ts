/**
 * Punch Record → Import, input mode Wide Rows, in real n8n (1.123 and 2.41): example 12 (DingTalk's daily summary,
 * one row per person and day, several HH:mm time columns) run twice with `n8n execute`: one punch per filled cell,
 * reported on its row; the second run reports every cell as already imported.
 */
import {
	describeTargets,
	exampleWorkflow,
	expectSuccess,
	setupEnv,
	teardownEnv,
	type E2eEnv,
} from './fixtures';
import { nodeItems, type WorkflowExport } from './n8n';

const EXAMPLE = '12-dingtalk-daily-summary-wide-rows.json';
const IMPORT_NODE = 'Import Wide Rows';

describeTargets('Import wide rows (DingTalk daily summary)', (info) => {
	let env: E2eEnv | undefined;
	let wf: WorkflowExport;

	beforeAll(async () => {
		env = await setupEnv(info, {
			workflows: (cred) => {
				wf = exampleWorkflow(EXAMPLE, cred);
				return [wf];
			},
		});
	}, 180_000);

	afterAll(async () => {
		await teardownEnv(env);
	});

	it('one punch per filled cell, each row with its cells; the unknown employee not done; a re-run: already done', async () => {
		const first = await env!.n8n.execute(wf.id);
		expectSuccess(first);
		const rows = nodeItems(first.run, IMPORT_NODE);
		expect(
			rows.map((r) => [r.json.outcome, r.json.status, r.json.imported, r.json.not_imported]),
		).toEqual([
			['done', 'imported', 2, 0],
			['done', 'imported', 2, 0],
			['done', 'no punches', 0, 0],
			['not done', 'failed', 0, 1],
		]);
		expect(rows.map((r) => r.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect((rows[1].json.cells as Array<Record<string, unknown>>)[1]).toMatchObject({
			column: '下班1打卡时间',
			value: '次日 00:40',
			outcome: 'done',
			check_time_iso: '2026-11-21T00:40:00+08:00',
		});
		expect(rows[3].json.errorReason).toBe('unknown_employee');
		expect(env!.emulator.flows()).toHaveLength(4);

		const again = await env!.n8n.execute(wf.id);
		expectSuccess(again);
		expect(
			nodeItems(again.run, IMPORT_NODE).map((r) => [r.json.outcome, r.json.already_imported]),
		).toEqual([
			['already done', 2],
			['already done', 2],
			['done', 0],
			['not done', 0],
		]);
		expect(env!.emulator.flows()).toHaveLength(4);
	}, 240_000);
});
