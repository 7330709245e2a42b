/**
 * One poll of the Feishu Attendance Trigger (polling): read the look-back window, compare with what the last
 * successful poll read (state.ts), emit what is new or changed, then remember what was read.
 *
 * - First poll (no state, or a kind of record watched for the first time): by default nothing is emitted and
 *   what is there is remembered (as n8n's Google Sheets Trigger does); "On First Poll: Emit the Look-Back
 *   Window" emits it all once.
 * - Manual "Fetch Test Event" (mode 'manual'): reads the window as a poll does and returns what a poll would
 *   emit now, or, if that is nothing, the latest records of each kind (at most TEST_EVENTS_PER_SOURCE); it never
 *   touches the static data.
 * - Calls per poll are bounded (Max Calls per Poll, BoundedClient); each item reports the calls the poll made.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { timezoneFrom } from '../helpers/parameters';
import { operationContext } from '../helpers/operationContext';
import { readList } from '../helpers/input';
import { errorMessage } from '../helpers/output';
import {
	addDays,
	parseDateTime,
	toDayNumber,
	dayNumberToIsoDate,
	toIsoInZone,
} from '../helpers/time';
import type { PollRange, Who } from './sources';
import { BoundedClient, groupMembers, readSource } from './sources';
import type { Change, ReadRow, SourceName } from './state';
import {
	EVENT_PREFIX,
	MAX_REMEMBERED,
	changesOf,
	commitState,
	nextState,
	readRow,
	readState,
} from './state';

export const SOURCES: SourceName[] = ['punchRecord', 'punchResult', 'approval', 'remedy'];

/** How many records of each kind Fetch Test Event shows when nothing is new. */
export const TEST_EVENTS_PER_SOURCE = 5;

export const DEFAULT_LOOK_BACK_DAYS = 3;
export const MAX_LOOK_BACK_DAYS = 31;
export const DEFAULT_MAX_CALLS = 100;
export const DEFAULT_APPROVAL_DAYS_AHEAD = 30;

interface PollSettings {
	sources: SourceName[];
	who: Who;
	lookBackDays: number;
	emitFirst: boolean;
	maxCalls: number;
	approvalDaysAhead: number;
	timeZone: string;
}

function readSettings(poll: IPollFunctions): PollSettings {
	const node = poll.getNode();
	const fail = (message: string, description?: string) =>
		new NodeOperationError(node, message, { description });
	const watched = poll.getNodeParameter('watch', []) as unknown;
	const sources = SOURCES.filter((source) => Array.isArray(watched) && watched.includes(source));
	if (sources.length === 0)
		throw fail('Watch is empty', 'Choose at least one kind of record to watch.');

	let who: Who;
	try {
		if (poll.getNodeParameter('employeesFrom', 'employees') === 'groups') {
			const groups = readGroups(poll.getNodeParameter('groups', ''));
			if (groups.length === 0) throw new Error('Attendance Groups is empty');
			who = { kind: 'groups', groups };
		} else {
			const ids = readList(poll.getNodeParameter('employeeIds', ''), 'Employee IDs');
			if (ids.length === 0) throw new Error('Employee IDs is empty');
			who = {
				kind: 'employees',
				idType: String(poll.getNodeParameter('employeeIdType', 'employee_id')),
				ids,
			};
		}
	} catch (error) {
		throw fail(
			errorMessage(error),
			'Give the employees (one or more, separated by commas) or the attendance groups to watch.',
		);
	}

	const whole = (name: string, fallback: number, min: number, max: number, label: string) => {
		const value = Number(poll.getNodeParameter(name, fallback));
		if (!Number.isInteger(value) || value < min || value > max)
			throw fail(`${label} must be a whole number from ${min} to ${max}, got ${String(value)}`);
		return value;
	};
	const options = poll.getNodeParameter('options', {}) as IDataObject;
	const aheadRaw = options.approvalDaysAhead ?? DEFAULT_APPROVAL_DAYS_AHEAD;
	const approvalDaysAhead = Number(aheadRaw);
	if (!Number.isInteger(approvalDaysAhead) || approvalDaysAhead < 0 || approvalDaysAhead > 366) {
		throw fail(
			`Approvals: Days Ahead must be a whole number from 0 to 366, got ${String(aheadRaw)}`,
		);
	}
	// The Timezone option as the operations read it (the workflow's zone when not set).
	const timeZone = timezoneFrom(operationContext(poll, [{}], { options }).ctx, 0);
	return {
		sources,
		who,
		lookBackDays: whole(
			'lookBackDays',
			DEFAULT_LOOK_BACK_DAYS,
			1,
			MAX_LOOK_BACK_DAYS,
			'Look-Back Window (Days)',
		),
		emitFirst: poll.getNodeParameter('firstPoll', 'baseline') === 'emit',
		maxCalls: whole('maxCallsPerPoll', DEFAULT_MAX_CALLS, 1, 100_000, 'Max Calls per Poll'),
		approvalDaysAhead,
		timeZone,
	};
}

/**
 * The Attendance Groups parameter: IDs or names separated by commas, semicolons or line breaks (names may
 * hold spaces), or an array from an expression.
 */
function readGroups(value: unknown): string[] {
	if (typeof value !== 'string') return readList(value, 'Attendance Groups');
	return value
		.split(/[,;\n，；、]+/u)
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

/** The days and times of the window: from the start of the day `lookBackDays - 1` days ago to now. */
export function pollRange(
	now: number,
	lookBackDays: number,
	approvalDaysAhead: number,
	timeZone: string,
): PollRange {
	const today = toDayNumber(now, timeZone);
	const fromDay = addDays(today, -(lookBackDays - 1));
	return {
		timeZone,
		fromDay,
		today,
		fromMs: parseDateTime(`${dayNumberToIsoDate(fromDay)} 00:00:00`, timeZone),
		toMs: now,
		approvalsToDay: addDays(today, approvalDaysAhead),
	};
}

/** The latest rows of each source (for Fetch Test Event when nothing is new), newest first by their time. */
function latestOf(rows: ReadRow[]): ReadRow[] {
	const timeOf = (row: IDataObject) =>
		String(
			row.check_time_iso ??
				row.check_time ??
				row.date ??
				row.day ??
				row.start_time ??
				row.remedy_time ??
				row.remedy_date ??
				'',
		);
	const out: ReadRow[] = [];
	for (const source of SOURCES) {
		const ofSource = rows.filter((r) => r.source === source);
		// most recent first: punch records by check time, the others by their day
		ofSource.sort((a, b) =>
			timeOf(a.row) < timeOf(b.row) ? 1 : timeOf(a.row) > timeOf(b.row) ? -1 : 0,
		);
		out.push(...ofSource.slice(0, TEST_EVENTS_PER_SOURCE));
	}
	return out;
}

/** The poll: items to emit, or null when there is nothing (n8n then starts no execution). */
export async function runPoll(poll: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(poll);
	const manual = poll.getMode() === 'manual';
	const staticData = poll.getWorkflowStaticData('node');
	const state = readState(staticData);
	const now = Date.now();
	const range = pollRange(
		now,
		settings.lookBackDays,
		settings.approvalDaysAhead,
		settings.timeZone,
	);

	// The poll's own context: n8n resolves the trigger's credential and refreshes its token as for an execution.
	const client = new BoundedClient(poll, settings.maxCalls, poll.getNode());

	let idType: string;
	let ids: string[];
	if (settings.who.kind === 'groups') {
		idType = 'employee_id';
		ids = await groupMembers(poll, client, settings.who.groups);
	} else {
		idType = settings.who.idType;
		ids = settings.who.ids;
	}

	const rows: ReadRow[] = [];
	if (ids.length > 0) {
		// Every kind at once: they share the client (one pacer, one call count). All are waited for, so that no call
		// of this poll is still on its way when it fails; the first failure then fails the poll.
		const read = await Promise.allSettled(
			settings.sources.map(async (source) =>
				(await readSource(poll, client, source, idType, ids, range)).map((row) =>
					readRow(source, row),
				),
			),
		);
		for (const outcome of read) {
			if (outcome.status === 'rejected') throw outcome.reason;
			rows.push(...outcome.value);
		}
	}
	if (rows.length > MAX_REMEMBERED) {
		throw new NodeOperationError(
			poll.getNode(),
			`The look-back window holds ${rows.length} records, more than the ${MAX_REMEMBERED} this trigger remembers`,
			{
				description: 'Shorten the Look-Back Window or split the employees over several triggers.',
			},
		);
	}

	let changes: Change[];
	if (manual) {
		// Fetch Test Event: what a poll would emit now, else the latest records; the state stays as it is.
		changes = state ? changesOf(rows, state, false) : [];
		if (changes.length === 0)
			changes = latestOf(rows).map((r) => ({ ...r, change: 'new' as const }));
	} else {
		changes = changesOf(rows, state, settings.emitFirst);
		commitState(staticData, nextState(rows, settings.sources, now));
	}
	if (changes.length === 0) return null;

	const summary = {
		calls: client.used,
		max_calls: settings.maxCalls,
		employees: ids.length,
		from: toIsoInZone(range.fromMs, settings.timeZone),
		to: toIsoInZone(range.toMs, settings.timeZone),
	};
	return [
		changes.map(({ source, change, row, key }) => ({
			json: { event: `${EVENT_PREFIX[source]}.${change}`, ...row, record_key: key, poll: summary },
		})),
	];
}
