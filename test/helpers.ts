/**
 * Small helpers shared by the engine tests: employee IDs as the emulator seeds them, test days, and for the
 * Get Many tests a record of what the node hands to FeishuClient and a runner for one Get Many.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FeishuClient } from '../nodes/FeishuAttendance/transport';
import type { FeishuRequest } from '../nodes/FeishuAttendance/transport';
import type { Emulator } from './emulator';
import { runNode } from './harness';

export const DAY_MS = 86400000;

/** The emulator's employee n: emp0001, emp0002, … */
export const emp = (n: number) => `emp${String(n).padStart(4, '0')}`;

/** yyyy-MM-dd of 2025-01-06 (a Monday) + offset days */
export const day = (offset: number) =>
	new Date(Date.UTC(2025, 0, 6) + offset * DAY_MS).toISOString().slice(0, 10);

/**
 * Records (a copy of) every request the node hands to FeishuClient while the test file runs; the requests
 * are observed, not changed.
 */
export function recordClientRequests(): FeishuRequest[] {
	const sent: FeishuRequest[] = [];
	beforeAll(() => {
		const original = FeishuClient.prototype.request;
		jest.spyOn(FeishuClient.prototype, 'request').mockImplementation(async function (
			this: FeishuClient,
			req: FeishuRequest,
		) {
			sent.push(JSON.parse(JSON.stringify(req)) as FeishuRequest);
			return await original.call(this, req);
		} as typeof original);
	});
	afterAll(() => jest.restoreAllMocks());
	return sent;
}

/**
 * Runs the Get Many of `resource` (Employee IDs from each item's `emp`) and returns the engine's result,
 * the requests to `path` (e.g. '/user_tasks/query') the node handed to the client, and how many of them
 * reached the emulator.
 */
export async function runGetMany(
	emu: Emulator,
	sent: FeishuRequest[],
	target: { resource: string; path: string },
	parameters: INodeParameters,
	items: IDataObject[],
	continueOnFail = false,
	typeVersion?: number,
) {
	const counted = `POST /open-apis/attendance/v1${target.path}`;
	sent.length = 0;
	const before = emu.counters().requests[counted] ?? 0;
	const result = await runNode({
		emulatorUrl: emu.url,
		parameters: {
			resource: target.resource,
			operation: 'getMany',
			employeeIds: '={{ $json.emp }}',
			...parameters,
		},
		items,
		continueOnFail,
		typeVersion,
	});
	const queries = sent.filter((r) => r.path === target.path);
	return { ...result, queries, calls: (emu.counters().requests[counted] ?? 0) - before };
}
