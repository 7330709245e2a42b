/**
 * Deviations from Lark's zod definitions (./definitions.ts) that Lark's own docs or SDK define: requests may carry
 * them without failing the definitions check. Each entry names its source and is listed in
 * docs/ASSUMPTIONS.md#definitions-allowlist. `problem` is the exact line the check reports.
 *
 * Keep this list short: a deviation without a published source is a finding to fix, not to list.
 */
export interface AllowedDeviation {
	/** the definition's name, e.g. attendance.v1.group.search */
	schema: string;
	/** the problem line exactly as definitions.ts reports it */
	problem: string;
	/** where Lark defines it */
	source: string;
}

export const DEFINITION_ALLOWLIST: readonly AllowedDeviation[] = [
	{
		schema: 'attendance.v1.group.search',
		problem: 'exactly_matched: not defined',
		source:
			"Lark's doc group/search (open.larksuite.com, 2022: exactly_matched, boolean, optional, true = exact match) and " +
			'@larksuiteoapi/node-sdk attendance.v1.group.search data { group_name: string; exactly_matched?: boolean }',
	},
];
