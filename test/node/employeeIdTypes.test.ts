/**
 * Employee ID Type: the one table feeds the panel's options and the reader (no Feishu call: the reader is pure).
 * Through n8n's engine the same reader is covered by test/node/readInputs.test.ts and writeInputs.test.ts.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { FeishuAttendance } from '../../nodes/FeishuAttendance/FeishuAttendance.node';
import {
	employeeIdTypeName,
	employeeIdTypeOptions,
	readEmployeeIdType,
} from '../../nodes/FeishuAttendance/helpers/employeeIdTypes';

const values = (options: INodePropertyOptions[]) => options.map((option) => option.value);

test('the panel offers employee_id and employee_no everywhere, open_id and Email / Mobile only where taken', () => {
	expect(values(employeeIdTypeOptions({}))).toEqual(['employee_id', 'employee_no']);
	expect(values(employeeIdTypeOptions({ openId: true }))).toEqual([
		'employee_id',
		'employee_no',
		'open_id',
	]);
	expect(values(employeeIdTypeOptions({ lookup: true }))).toEqual([
		'email',
		'employee_id',
		'employee_no',
		'mobile',
	]);
	expect(values(employeeIdTypeOptions({ openId: true, lookup: true }))).toEqual([
		'email',
		'employee_id',
		'employee_no',
		'mobile',
		'open_id',
	]);
	// every Employee ID Type of the node is one of these lists, sorted by name as n8n's linter wants
	const node = new FeishuAttendance();
	const lists = node.description.properties
		.filter((p: INodeProperties) => p.name === 'employeeIdType')
		.map((p) => (p.options as INodePropertyOptions[]).map((o) => o.name));
	expect(lists.length).toBeGreaterThan(10);
	for (const names of lists) expect(names).toEqual([...names].sort());
});

test('the reader says what is sent to Feishu and what is looked up first', () => {
	expect(readEmployeeIdType('employee_no', {})).toEqual({
		chosen: 'employee_no',
		employeeType: 'employee_no',
	});
	expect(readEmployeeIdType(' email ', { lookup: true })).toEqual({
		chosen: 'email',
		employeeType: 'employee_id',
		lookup: 'email',
	});
	expect(readEmployeeIdType('mobile', { lookup: true })).toEqual({
		chosen: 'mobile',
		employeeType: 'employee_id',
		lookup: 'mobile',
	});
	expect(readEmployeeIdType('open_id', { openId: true })).toEqual({
		chosen: 'open_id',
		employeeType: 'open_id',
	});
});

test('a choice the operation does not take, or no text at all, is refused in the wording of the operation', () => {
	expect(() => readEmployeeIdType('open_id', { lookup: true })).toThrow(
		'Employee ID Type must be one of employee_id, employee_no, got "open_id"',
	);
	expect(() => readEmployeeIdType('email', {})).toThrow(
		'Employee ID Type must be one of employee_id, employee_no, got "email"',
	);
	expect(() => readEmployeeIdType('union_id', { lookup: true }, 'choices')).toThrow(
		'Employee ID Type "union_id" is not one of: email, employee_id, employee_no, mobile',
	);
	expect(() => readEmployeeIdType({ type: 'email' }, { lookup: true })).toThrow(
		'Employee ID Type must be text, got an object',
	);
	expect(() => readEmployeeIdType('', {})).toThrow('Employee ID Type is empty');
});

test('messages name a type as the panel does', () => {
	expect(employeeIdTypeName('employee_no')).toBe('Employee Number');
	expect(employeeIdTypeName('user_id')).toBe('user_id');
});
