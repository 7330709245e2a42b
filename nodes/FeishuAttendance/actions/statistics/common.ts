import type { INodeProperties } from 'n8n-workflow';

/** Daily or Monthly statistics (Feishu's stats_type). */
export const statsTypeProperty: INodeProperties = {
	displayName: 'Statistics Type',
	name: 'statsType',
	type: 'options',
	options: [
		{ name: 'Daily', value: 'daily', description: 'One row per employee per day' },
		{
			name: 'Monthly',
			value: 'month',
			description: 'One row per employee per calendar month of the period',
		},
	],
	default: 'month',
	description: 'Which statistics report to read',
};

/** The operator: the admin whose report settings decide the columns (Feishu's body field user_id). */
export const operatorProperty: INodeProperties = {
	displayName: 'Operator ID',
	name: 'operatorId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 4d7a3c6g (the employee ID of your attendance admin)',
	description:
		"ID of an attendance admin (in the Employee ID Type above). Feishu requires it: this admin's report settings (Attendance admin console → Statistics → report settings) decide which columns Feishu returns.",
};

/** Language of column titles and of the units inside values. */
export const localeProperty: INodeProperties = {
	displayName: 'Language',
	name: 'locale',
	type: 'options',
	options: [
		{ name: 'Chinese', value: 'zh' },
		{ name: 'English', value: 'en' },
		{ name: 'Japanese', value: 'ja' },
	],
	default: 'en',
	description:
		'Language of the column titles and of the units in the values (e.g. "5 days", "5天", "5日")',
};
