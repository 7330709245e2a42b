/**
 * The tenant's employee directory.
 *
 * Generated employees: employee_id `emp0001`..`empNNNN`, employee_no `NO0001`.., open_id `ou_0001`..
 * (zero padded to at least 4 digits). Unauthorized employees (e.g. `emp_unauth_1`) exist but are outside
 * the app's data permission; their other ids follow the same rule: `NO_unauth_1`, `ou_unauth_1`.
 * Ids are resolved by parsing, so no maps are built even for very large directories.
 */
import { permissionError, userError } from './errors';
import type { EmployeeIdType } from './types';

export interface Employee {
	employee_id: string;
	employee_no: string;
	open_id: string;
	name: string;
	authorized: boolean;
}

export interface UserLookup {
	/** ids that resolved to an authorized employee, with the id as sent */
	valid: Array<{ id: string; employee: Employee }>;
	/** ids that exist nowhere */
	invalid: string[];
	/** ids of employees outside the data permission */
	unauthorized: string[];
}

export class Directory {
	private readonly width: number;

	constructor(
		private readonly count: number,
		private readonly unauthorizedIds: readonly string[],
	) {
		this.width = Math.max(4, String(count).length);
	}

	private build(employeeId: string, authorized: boolean): Employee {
		const suffix = employeeId.startsWith('emp') ? employeeId.slice(3) : employeeId;
		const bare = suffix.replace(/^_/, '');
		return {
			employee_id: employeeId,
			employee_no: `NO${suffix}`,
			open_id: `ou_${bare}`,
			name: `Employee ${bare}`,
			authorized,
		};
	}

	/** Finds an employee (authorized or not) by an id of the given type. */
	find(id: unknown, type: EmployeeIdType): Employee | undefined {
		if (typeof id !== 'string') return undefined;
		// checked first so that a generated id can also be configured as unauthorized
		for (const unauth of this.unauthorizedIds) {
			const employee = this.build(unauth, false);
			if (employee[type] === id) return employee;
		}
		const prefix = { employee_id: 'emp', employee_no: 'NO', open_id: 'ou_' }[type];
		const suffix = id.startsWith(prefix) ? id.slice(prefix.length) : '';
		const n = /^\d+$/.test(suffix) ? Number(suffix) : 0;
		const canonical = suffix === String(n).padStart(this.width, '0');
		return n >= 1 && n <= this.count && canonical ? this.build(`emp${suffix}`, true) : undefined;
	}

	/** Resolves an employee_id (internal key) — used when answering stored data. */
	byEmployeeId(employeeId: string): Employee | undefined {
		return this.find(employeeId, 'employee_id');
	}

	/** Converts an internal employee_id to the id type the caller asked for. */
	idAs(employeeId: string, type: EmployeeIdType): string {
		const employee = this.byEmployeeId(employeeId);
		return employee ? employee[type] : employeeId;
	}

	lookup(ids: string[], type: EmployeeIdType): UserLookup {
		const result: UserLookup = { valid: [], invalid: [], unauthorized: [] };
		for (const id of ids) {
			const employee = this.find(id, type);
			if (!employee) result.invalid.push(id);
			else if (!employee.authorized) result.unauthorized.push(id);
			else result.valid.push({ id, employee });
		}
		return result;
	}
}

/** Resolves (deduplicated) ids; any unknown id -> 400/1220004, else any unauthorized id -> 400/1220005. */
export function requireUsers(
	directory: Directory,
	ids: string[],
	type: EmployeeIdType,
): UserLookup['valid'] {
	const lookup = directory.lookup([...new Set(ids)], type);
	if (lookup.invalid.length) throw userError(lookup.invalid);
	if (lookup.unauthorized.length) throw permissionError(lookup.unauthorized);
	return lookup.valid;
}
