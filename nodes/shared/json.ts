/** Small helpers for output JSON and error texts, used by both nodes. */
import type { IDataObject } from 'n8n-workflow';

/** Drops the keys whose value is undefined (output items show only the fields that apply). */
export function compact<T extends IDataObject>(json: T): T {
	for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
	return json;
}

/** The message of an error, or the value as text. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
