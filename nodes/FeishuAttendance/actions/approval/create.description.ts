/** The parameters of Approval → Create (the operation file wraps them in its display options). */
import type { INodeProperties } from 'n8n-workflow';

import {
	employeeIdProperty,
	employeeIdTypeProperty,
	optionsCollection,
	timezoneOption,
} from '../../descriptions/common';
import { MAX_TYPE_ID_LENGTH } from './approvalBody';
import {
	APPROVAL_TYPE_CHOICES,
	LOCALES,
	OVERTIME_CATEGORIES,
	OVERTIME_TYPES,
	REGION_LEVELS,
	TRANSPORTATION,
	TRIP_TYPES,
	UNITS,
} from './approvalOptions';
import { optionsOf } from '../../helpers/enums';

// The choices of the options parameters come from the tables that also map them to Feishu's values
// (approvalOptions.ts), so that a choice is added in one place.
const localeOptions = optionsOf(LOCALES);
const unitOptions = optionsOf(UNITS);
const overtimeCategoryOptions = optionsOf(OVERTIME_CATEGORIES);
const overtimeTypeOptions = optionsOf(OVERTIME_TYPES);
const regionLevelOptions = optionsOf(REGION_LEVELS);
const transportationOptions = optionsOf(TRANSPORTATION);
const tripTypeOptions = optionsOf(TRIP_TYPES);

/**
 * The type name of a leave or an out-of-office record: one field, with its language, its names in the other
 * languages and its type ID grouped under it in "<Field> Options" (stored as `typeName` and `typeNameOptions`).
 */
function typeNameProperties(
	type: 'leave' | 'out',
	text: { field: string; placeholder: string; description: string; hint: string },
): INodeProperties[] {
	const show = { displayOptions: { show: { approvalType: [type] } } };
	const other = (language: string) =>
		`Name of the same ${type === 'leave' ? 'leave' : 'out-of-office'} type in ${language}, when Feishu has one (shown to employees who use Feishu in ${language})`;
	return [
		{
			displayName: text.field,
			name: 'typeName',
			type: 'string',
			default: '',
			required: true,
			placeholder: text.placeholder,
			description: text.description,
			hint: text.hint,
			...show,
		},
		{
			displayName: `${text.field} Options`,
			name: 'typeNameOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			...show,
			options: [
				{
					displayName: 'Language',
					name: 'locale',
					type: 'options',
					options: localeOptions,
					default: 'ch',
					description: `Language of the ${text.field} name above; Feishu shows it to readers of other languages when it has no name in theirs. Not set: Chinese.`,
				},
				{
					displayName: 'Name in Chinese',
					name: 'nameCh',
					type: 'string',
					default: '',
					description: other('Chinese'),
				},
				{
					displayName: 'Name in English',
					name: 'nameEn',
					type: 'string',
					default: '',
					description: other('English'),
				},
				{
					displayName: 'Name in Japanese',
					name: 'nameJa',
					type: 'string',
					default: '',
					description: other('Japanese'),
				},
				{
					displayName: 'Type ID',
					name: 'typeId',
					type: 'string',
					default: '',
					description:
						type === 'leave'
							? `Your ID of the leave type (at most ${MAX_TYPE_ID_LENGTH} characters). Not set: none.`
							: `Your ID of the out-of-office type (at most ${MAX_TYPE_ID_LENGTH} characters). Not set: one derived from the name, the same for every record with that name.`,
				},
			],
		},
	];
}

export const properties: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'approvalType',
		type: 'options',
		options: optionsOf(APPROVAL_TYPE_CHOICES),
		default: 'leave',
		description: 'What kind of approved record to write',
	},
	employeeIdTypeProperty(true, true),
	employeeIdProperty('The employee the record is for, in the Employee ID Type chosen above'),
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-11-20 09:00:00',
		description:
			"When the record starts. ISO 8601, 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', or epoch seconds/milliseconds. Times without an offset are read in the Timezone option. From 2000-01-01 to one year after today.",
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-11-20 18:00:00',
		description: 'When the record ends (after Start); same formats as Start',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		description:
			'Why the employee is away or works overtime. Required for leave, out of office and business trips.',
	},
	...typeNameProperties('leave', {
		field: 'Leave Type',
		placeholder: 'e.g. 年假 or Annual Leave',
		hint: 'As set up in Feishu Attendance → Leave settings, in the language of Leave Type Options (Chinese unless set)',
		description:
			'Name of the leave type exactly as it is set up in Feishu Attendance → Leave settings (for example 年假 or Annual Leave). Its language, and its names in other languages, go under Leave Type Options.',
	}),
	...typeNameProperties('out', {
		field: 'Out-of-Office Type',
		placeholder: 'e.g. 外出 or Customer Visit',
		hint: 'The name employees see in Feishu, in the language of Out-of-Office Type Options (Chinese unless set)',
		description:
			'Name of the out-of-office type as employees see it in Feishu (for example 外出 or Customer Visit). Its language, its names in other languages and its Type ID go under Out-of-Office Type Options.',
	}),
	{
		displayName: 'Unit',
		name: 'unit',
		type: 'options',
		options: unitOptions,
		default: 'hour',
		description: 'Unit in which Feishu shows the length of the record',
		displayOptions: { show: { approvalType: ['leave', 'out', 'overtime'] } },
	},
	{
		displayName: 'Overtime Category',
		name: 'overtimeCategory',
		type: 'options',
		options: overtimeCategoryOptions,
		default: 'workday',
		description: 'On what kind of day the overtime was worked',
		displayOptions: { show: { approvalType: ['overtime'] } },
	},
	{
		displayName: 'Overtime Type',
		name: 'overtimeType',
		type: 'options',
		options: overtimeTypeOptions,
		default: 'recordOnly',
		description: 'How the overtime is compensated',
		displayOptions: { show: { approvalType: ['overtime'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Approval Applied At',
				name: 'approveApplyTime',
				type: 'dateTime',
				default: '',
				description: 'When the trip was applied for. Empty: the Start time.',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Approval Passed At',
				name: 'approvePassTime',
				type: 'dateTime',
				default: '',
				description: 'When the trip was approved. Empty: the Approval Applied At time (or Start).',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Date',
				name: 'date',
				type: 'dateTime',
				default: '',
				placeholder: 'e.g. 2026-11-20',
				description:
					'The attendance day the record belongs to. Empty: the day of Start in the Timezone option.',
			},
			{
				displayName: 'Departure Region ID',
				name: 'departureRegionId',
				type: 'string',
				default: '',
				description:
					'Region ID of the place of departure (region IDs need Feishu People, enterprise edition)',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Departure Region Level',
				name: 'departureRegionLevel',
				type: 'options',
				options: regionLevelOptions,
				default: 'city',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Destinations',
				name: 'destinations',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Destination',
				default: {},
				displayOptions: { show: { '/approvalType': ['trip'] } },
				options: [
					{
						displayName: 'Destination',
						name: 'destination',
						values: [
							{
								displayName: 'Region Level',
								name: 'regionLevel',
								type: 'options',
								options: regionLevelOptions,
								default: 'city',
							},
							{
								displayName: 'Region ID',
								name: 'regionId',
								type: 'string',
								default: '',
							},
						],
					},
				],
			},
			{
				displayName: 'Duration',
				name: 'duration',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					'Length of the overtime in the chosen Unit. Not set: computed from Start and End (a day counts as 24 hours). Feishu only uses it when support enabled it; otherwise it computes the length itself.',
				displayOptions: { show: { '/approvalType': ['overtime'] } },
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					"A unique ID of this record in your system (for example the leave request's ID). Feishu stores a record only once per key, so running the workflow again creates no duplicates. Empty: derived from the Employee ID Type, Employee ID, Type, Start and End.",
			},
			{
				displayName: 'Interval (Seconds)',
				name: 'interval',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Length of the leave or out-of-office in seconds. Not set: the seconds from Start to End.',
				displayOptions: { show: { '/approvalType': ['leave', 'out'] } },
			},
			{
				displayName: 'Remarks',
				name: 'remarks',
				type: 'string',
				default: '',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Transportation',
				name: 'transportation',
				type: 'multiOptions',
				options: transportationOptions,
				default: [],
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
			{
				displayName: 'Trip Type',
				name: 'tripType',
				type: 'options',
				options: tripTypeOptions,
				default: 'roundTrip',
				displayOptions: { show: { '/approvalType': ['trip'] } },
			},
		],
	},
	optionsCollection([
		{
			...timezoneOption,
			description:
				"Time zone of the employees' attendance group: Feishu reads Start and End as wall-clock times in it, so times without an offset are read in it and all times are sent in it. Empty: the workflow's timezone.",
		},
	]),
];
