/**
 * What a poll reads: the action node's own Get Many operations (punch records, punch results, approvals,
 * remedies) and Attendance Group → Get Members, run through operationContext with the parameters the poll
 * computes. No second HTTP path, pagination or batching: queryEmployees, Email / Mobile resolution, the
 * group locator and the transport are the action node's.
 */
import type { IDataObject, INode, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { execute as getApprovals } from '../actions/approval/getMany.operation';
import { execute as getGroupMembers } from '../actions/attendanceGroup/getMembers.operation';
import type { FeishuOperation } from '../actions/node.type';
import { execute as getPunchRecords } from '../actions/punchFlow/getMany.operation';
import { execute as getPunchResults } from '../actions/punchResult/getMany.operation';
import { execute as getRemedies } from '../actions/remedy/getMany.operation';
import { operationContext } from '../helpers/operationContext';
import type { FeishuRequest, FeishuResponse } from '../transport';
import { FeishuClient } from '../transport';
import type { SourceName } from './state';

/** Who a poll asks about: employees by one ID type, or the members of attendance groups. */
export type Who =
	{ kind: 'employees'; idType: string; ids: string[] } | { kind: 'groups'; groups: string[] };

/** The days and times a poll asks about (days as yyyyMMdd in `timeZone`). */
export interface PollRange {
	timeZone: string;
	fromDay: number;
	today: number;
	fromMs: number;
	toMs: number;
	/** last day of the approval query (approvals for days ahead are written now) */
	approvalsToDay: number;
}

/**
 * A FeishuClient that stops a poll before it sends more than `maxCalls` calls (the bound a user sets with
 * Max Calls per Poll). A call over the bound fails, so the poll fails and keeps its state.
 */
export class BoundedClient extends FeishuClient {
	used = 0;

	constructor(
		ctx: ConstructorParameters<typeof FeishuClient>[0],
		readonly maxCalls: number,
		private readonly node: INode,
	) {
		super(ctx);
	}

	override async request<T = IDataObject>(req: FeishuRequest): Promise<FeishuResponse<T>> {
		if (this.used >= this.maxCalls) {
			throw new NodeOperationError(
				this.node,
				`This poll needs more than ${this.maxCalls} calls to Feishu (Max Calls per Poll)`,
				{
					description:
						'Nothing was emitted and the next poll starts from the same state. Raise Max Calls per Poll, shorten the Look-Back Window, watch fewer kinds of records, or split the employees over several triggers.',
				},
			);
		}
		this.used++;
		return await super.request<T>(req);
	}
}

/** Runs one operation of the action node for the poll: its output rows (json). */
async function run(
	poll: IPollFunctions,
	client: BoundedClient,
	operation: FeishuOperation['execute'],
	items: IDataObject[],
	shared: IDataObject,
): Promise<IDataObject[]> {
	const { ctx, items: input } = operationContext(poll, items, shared);
	const output = await operation.call(ctx, input, client);
	return output.map((item) => item.json);
}

/** The employee IDs of the members of the groups (IDs or names), as employee_id. */
export async function groupMembers(
	poll: IPollFunctions,
	client: BoundedClient,
	groups: string[],
): Promise<string[]> {
	const rows = await run(
		poll,
		client,
		getGroupMembers,
		groups.map((group) => ({ group })),
		{ employeeIdType: 'employee_id', memberClockType: 0, returnAll: true, options: {} },
	);
	return [...new Set(rows.map((row) => String(row.employee_id ?? '')).filter((id) => id !== ''))];
}

/** The rows of one source over the poll's range, for the employees `ids` given as `idType`. */
export async function readSource(
	poll: IPollFunctions,
	client: BoundedClient,
	source: SourceName,
	idType: string,
	ids: string[],
	range: PollRange,
): Promise<IDataObject[]> {
	const common = { employeeIdType: idType, employeeIds: ids, returnAll: true };
	const options = { timezone: range.timeZone };
	switch (source) {
		case 'punchRecord':
			return await run(poll, client, getPunchRecords, [{}], {
				...common,
				from: range.fromMs,
				to: range.toMs,
				options,
			});
		case 'punchResult': {
			const rows = await run(poll, client, getPunchResults, [{}], {
				...common,
				from: range.fromDay,
				to: range.today,
				simplify: false,
				options: { ...options, ignoreInvalidUsers: true },
			});
			// IDs Feishu does not know or may not show are reported by Get Many as rows of their own: not events.
			return rows.filter((row) => row.status === 'ok');
		}
		case 'approval':
			// Approved and withdrawn (revoked): Feishu answers leave and overtime for these two statuses only.
			return await run(
				poll,
				client,
				getApprovals,
				[{ status: 'approved' }, { status: 'withdrawn' }],
				{ ...common, from: range.fromDay, to: range.approvalsToDay, dateType: 'period', options },
			);
		case 'remedy':
			return await run(poll, client, getRemedies, [{}], {
				...common,
				from: range.fromDay,
				to: range.today,
				status: 'all',
				options,
			});
	}
}
