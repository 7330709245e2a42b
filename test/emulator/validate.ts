/**
 * Request validation — the single place that turns bad input into 400 / 1220001 answers.
 */
import { paramError } from './errors';
import { daysBetween, isValidDay, parseLocalDateTime } from './time';
import type { EmployeeIdType } from './types';

export type Body = Record<string, unknown>;

export const isObject = (v: unknown): v is Body =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

type RuleType =
	'string' | 'digits' | 'int' | 'number' | 'boolean' | 'datetime' | 'object' | 'array';

export interface Rule {
	type: RuleType;
	optional?: boolean;
	oneOf?: readonly (string | number)[];
}

const typeChecks: Record<RuleType, [(v: unknown) => boolean, string]> = {
	string: [(v) => typeof v === 'string', 'a string'],
	digits: [(v) => typeof v === 'string' && /^\d+$/.test(v), 'a string of digits (Unix seconds)'],
	int: [(v) => Number.isInteger(v), 'an integer'],
	number: [(v) => typeof v === 'number' && Number.isFinite(v), 'a number'],
	boolean: [(v) => typeof v === 'boolean', 'a boolean'],
	datetime: [(v) => parseLocalDateTime(v) !== undefined, "a time 'yyyy-MM-dd HH:mm:ss'"],
	object: [isObject, 'an object'],
	array: [Array.isArray, 'an array'],
};

/**
 * Checks `value` against a field table; throws 1220001 naming the first offending field
 * (e.g. `user_approval.leaves[0].reason is required`). Missing = undefined or null.
 */
export function validateFields(value: unknown, rules: Record<string, Rule>, where = ''): Body {
	if (!isObject(value)) throw paramError(`${where || 'body'} must be an object`);
	for (const [field, rule] of Object.entries(rules)) {
		const v = value[field];
		const name = where ? `${where}.${field}` : field;
		if (v === undefined || v === null) {
			if (rule.optional) continue;
			throw paramError(`${name} is required`);
		}
		const [check, description] = typeChecks[rule.type];
		if (!check(v)) throw paramError(`${name} must be ${description}`);
		if (rule.oneOf && !rule.oneOf.includes(v as string | number)) {
			throw paramError(`${name} must be one of ${rule.oneOf.join(', ')}`);
		}
	}
	return value;
}

/** `employee_type` query parameter (required on every user-keyed endpoint). */
export function employeeTypeOf(
	query: URLSearchParams,
	allowed: readonly EmployeeIdType[] = ['employee_id', 'employee_no'],
): EmployeeIdType {
	const value = query.get('employee_type');
	if (!value || !allowed.includes(value as EmployeeIdType))
		throw paramError('employee_type invalid');
	return value as EmployeeIdType;
}

/** Optional boolean query parameter ('true' / 'false'). */
export function boolQuery(query: URLSearchParams, name: string): boolean {
	const value = query.get(name);
	if (value === null || value === '') return false;
	if (value !== 'true' && value !== 'false') throw paramError(`${name} must be true or false`);
	return value === 'true';
}

/** Required, non-empty array of strings with at most `max` entries. */
export function idList(body: Body, field: string, max: number): string[] {
	const value = body[field];
	if (!Array.isArray(value) || value.length === 0) throw paramError(`${field} is required`);
	if (value.some((id) => typeof id !== 'string' || id === ''))
		throw paramError(`${field} must contain strings`);
	if (value.length > max) throw paramError(`${field} exceeds the limit of ${max}`);
	return value as string[];
}

/** Required integer date `yyyyMMdd`. */
export function dayField(body: Body, field: string): number {
	const value = body[field];
	if (!isValidDay(value)) throw paramError(`${field} must be an integer date yyyyMMdd`);
	return value;
}

/** A from/to day pair with `to - from <= maxDiff` days. */
export function dayRange(body: Body, maxDiff: number): { from: number; to: number } {
	const from = dayField(body, 'check_date_from');
	const to = dayField(body, 'check_date_to');
	if (from > to) throw paramError('check_date_from is later than check_date_to');
	if (daysBetween(from, to) > maxDiff) throw paramError('time span too long');
	return { from, to };
}
