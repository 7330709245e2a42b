/**
 * Employee ID Type: the one table of its choices, feeding both the panel's option list
 * (descriptions/common.ts employeeIdTypeProperty) and the one reader of an item's choice (readEmployeeIdType),
 * which says what is sent to Feishu (employee_type) and what must be looked up first (Email / Mobile, resolved
 * to user IDs by helpers/employees.ts before any attendance call).
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { describeValue, readText } from './values';

/** Employee ID Types that are looked up in the contact directory before the attendance call. */
export type LookupIdType = 'email' | 'mobile';

export function isLookupIdType(type: unknown): type is LookupIdType {
	return type === 'email' || type === 'mobile';
}

/** Which choices an operation takes beyond employee_id and employee_no. */
export interface IdTypesTaken {
	/** open_id: only the endpoints that take it */
	openId?: boolean;
	/** Email and Mobile: looked up first, then sent as employee_id */
	lookup?: boolean;
}

interface IdTypeChoice {
	value: string;
	name: string;
	description: string;
	/** only where the endpoint takes it (IdTypesTaken) */
	needs?: keyof IdTypesTaken;
}

/** The choices, in the panel's order. */
const CHOICES: IdTypeChoice[] = [
	{
		value: 'email',
		name: 'Email',
		description:
			"The employee's email address in the Feishu contact directory (looked up once per run; needs the contact scopes named in the README)",
		needs: 'lookup',
	},
	{
		value: 'employee_id',
		name: 'Employee ID',
		description: 'The user ID shown in the Feishu admin console (contact user_id)',
	},
	{ value: 'employee_no', name: 'Employee Number', description: 'The staff number (工号)' },
	{
		value: 'mobile',
		name: 'Mobile',
		description:
			"The employee's mobile number in the Feishu contact directory, with +country code outside mainland China, e.g. +85261234567 (looked up once per run)",
		needs: 'lookup',
	},
	{
		value: 'open_id',
		name: 'Open ID',
		description: "The user's open_id for this app",
		needs: 'openId',
	},
];

const taken = (types: IdTypesTaken) =>
	CHOICES.filter((choice) => choice.needs === undefined || types[choice.needs] === true);

/** The panel's options of Employee ID Type for an operation that takes `types`. */
export function employeeIdTypeOptions(types: IdTypesTaken): INodePropertyOptions[] {
	return taken(types).map(({ name, value, description }) => ({ name, value, description }));
}

/** An item's Employee ID Type, read by readEmployeeIdType. */
export interface EmployeeIdType {
	/** the choice as given (email, mobile, employee_id, …) */
	chosen: string;
	/** what is sent to Feishu as employee_type (employee_id for Email / Mobile, once looked up) */
	employeeType: string;
	/** Email / Mobile: the values must be looked up first */
	lookup?: LookupIdType;
}

/** The employee_type sent to Feishu for a choice (Email / Mobile: the looked-up user ID, employee_id). */
export function sentEmployeeType(chosen: string): string {
	return isLookupIdType(chosen) ? 'employee_id' : chosen;
}

/**
 * The Employee ID Type `raw` (an item's parameter value) for an operation that takes `types`; throws an Error
 * (the caller names the item) for anything else. `listing` words the error as Get Many always has ('sent':
 * "must be one of" the types sent to Feishu) or as the writes have ('choices': "is not one of" every choice).
 */
export function readEmployeeIdType(
	raw: unknown,
	types: IdTypesTaken,
	listing: 'sent' | 'choices' = 'sent',
): EmployeeIdType {
	const chosen = readText(raw, 'Employee ID Type');
	const choices = taken(types).map((choice) => choice.value);
	if (!choices.includes(chosen)) {
		if (listing === 'choices')
			throw new Error(`Employee ID Type "${chosen}" is not one of: ${choices.join(', ')}`);
		const sent = choices.filter((choice) => !isLookupIdType(choice));
		throw new Error(
			`Employee ID Type must be one of ${sent.join(', ')}, got ${describeValue(chosen)}`,
		);
	}
	return {
		chosen,
		employeeType: sentEmployeeType(chosen),
		...(isLookupIdType(chosen) ? { lookup: chosen } : {}),
	};
}

/** The name of a choice as the panel shows it (Employee Number for employee_no), or the value itself. */
export function employeeIdTypeName(value: string): string {
	return CHOICES.find((choice) => choice.value === value)?.name ?? value;
}
