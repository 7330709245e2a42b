/**
 * Feishu refuses a whole call for one unknown employee ID (1220004) or one outside the app's data permission
 * (1220005). The one mechanism that keeps such an ID from hiding the answers for the others: the batch is
 * halved until the refused IDs stand alone.
 */
import { NodeApiError } from 'n8n-workflow';

/** Feishu's code for an employee ID it does not know (or the app cannot see). */
export const EMPLOYEE_UNKNOWN = 1220004;
/** Feishu's code for an employee outside the app's data permission. */
export const NO_DATA_PERMISSION = 1220005;

/** Codes with which Feishu refuses a whole call because of some of its employee IDs. */
export const EMPLOYEE_REFUSAL_CODES = [EMPLOYEE_UNKNOWN, NO_DATA_PERMISSION];

/** Feishu's code in the error of a failed call (the client's NodeApiError), else undefined. */
export function feishuCodeOf(error: unknown): number | undefined {
	return error instanceof NodeApiError ? Number(error.errorResponse?.code) : undefined;
}

/**
 * Calls `ask` for the IDs; when Feishu refuses the call because of some of them (EMPLOYEE_REFUSAL_CODES), each
 * half is asked again, down to single IDs. Returns the error of every ID that could not be asked (the first
 * error per ID); any other failure is the error of the whole batch it hit.
 */
export async function askIsolatingRefused(
	ids: string[],
	ask: (ids: string[]) => Promise<void>,
): Promise<Map<string, unknown>> {
	const failed = new Map<string, unknown>();
	const run = async (batch: string[]): Promise<void> => {
		try {
			await ask(batch);
		} catch (error) {
			const code = feishuCodeOf(error);
			if (batch.length > 1 && code !== undefined && EMPLOYEE_REFUSAL_CODES.includes(code)) {
				const half = Math.ceil(batch.length / 2);
				await Promise.all([run(batch.slice(0, half)), run(batch.slice(half))]);
				return;
			}
			for (const id of batch) if (!failed.has(id)) failed.set(id, error);
		}
	};
	if (ids.length > 0) await run(ids);
	return failed;
}
