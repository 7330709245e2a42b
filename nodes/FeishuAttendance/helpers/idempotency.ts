import { createHash } from 'crypto';

/**
 * A deterministic idempotency key from the fields that identify a record, so that running the same sync
 * twice (or resending after a lost response) never creates a second record in Feishu.
 * 32 characters: 'n8n' + 29 hex digits of SHA-256 over the parts.
 */
export function deriveIdempotencyKey(
	kind: string,
	parts: Array<string | number | undefined>,
): string {
	const hash = createHash('sha256')
		.update([kind, ...parts.map((p) => (p === undefined ? '' : String(p)))].join('\u001f'))
		.digest('hex');
	return `n8n${hash.slice(0, 29)}`;
}
