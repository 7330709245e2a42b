/** The parameters of Punch Flow → Import (the operation file wraps them in its display options). */
import type { INodeProperties } from 'n8n-workflow';

import {
	batchSizeOption,
	employeeIdProperty,
	employeeIdTypeProperty,
	optionsCollection,
	timezoneOption,
} from '../../descriptions/common';
import { FEISHU_MAX_BATCH } from '../../helpers/batching';
import { DEFAULT_COMMENT, DEFAULT_LOCATION } from './flowInput';

export const properties: INodeProperties[] = [
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Items Are Feishu Punch Records',
				value: 'json',
				description:
					"Each item already is a punch record in Feishu's format (user_id, check_time, …), e.g. the output of Punch Record → Get Many from another company account. Read-only fields such as record_id are dropped.",
			},
			{
				name: 'Map Columns by Name',
				value: 'columns',
				description:
					'Name the input columns that hold employee, check time and the rest (e.g. from a sheet or CSV); values are read straight from each item, the fastest way to import many rows',
			},
			{
				name: 'Map Each Field',
				value: 'fields',
				description:
					'Set employee, check time, location and comment per item: drag fields from the input, or write expressions',
			},
			{
				name: 'Wide Rows: a Date and Several Time Columns',
				value: 'wideRows',
				description:
					"One row per employee and day with several time columns, as DingTalk's daily summary (上班1打卡时间, 下班1打卡时间, …) and attendance machines export them: one punch per filled time cell, empty cells skipped; each row's output lists its cells",
			},
		],
		default: 'fields',
	},
	{
		displayName:
			'Each item must be a Feishu punch record, e.g. <code>{"user_id": "4d7a3c6g", "check_time": "1795136400", "location_name": "Gate 1", "comment": "Attendance machine"}</code>. Required: <code>user_id</code> (per the Employee ID Type) and <code>check_time</code> (epoch seconds, or any date-time Check Time accepts). Also read when present: <code>location_name</code> (default "Location not recorded") and <code>comment</code> (default "Imported by n8n"), <code>creator_id</code>, <code>external_id</code>, <code>idempotent_id</code>, <code>is_field</code>, <code>is_wifi</code>, <code>ssid</code>, <code>bssid</code>, <code>latitude</code>, <code>longitude</code>, <code>photo_urls</code>. Other fields (such as <code>record_id</code>) are ignored.',
		name: 'jsonNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { inputMode: ['json'] } },
	},
	employeeIdTypeProperty(false, true),
	{
		displayName: 'Employee ID Column',
		name: 'employeeColumn',
		type: 'string',
		// not required: a workflow saved when the default was employee_id / check_time has no value here, and
		// n8n would refuse to run it; an empty name is reported by the node with the columns the item has
		noDataExpression: true,
		default: '',
		placeholder: 'e.g. Employee No',
		description:
			'Name of the input column (field) that holds the employee, read per the Employee ID Type, exactly as in the sheet\'s header row. Plain text, case-sensitive; a name with dots such as "punch.user" reads a nested field.',
		displayOptions: { show: { inputMode: ['columns', 'wideRows'] } },
	},
	{
		displayName: 'Date Column',
		name: 'dateColumn',
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: 'e.g. 日期',
		description:
			"Name of the input column that holds the day of the row (2026-11-20, 2026/11/20 or 20261120), exactly as in the sheet's header row",
		displayOptions: { show: { inputMode: ['wideRows'] } },
	},
	{
		displayName: 'Time Columns',
		name: 'timeColumns',
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: 'e.g. 上班1打卡时间, 下班1打卡时间, 上班2打卡时间, 下班2打卡时间',
		description:
			"Names of the columns that hold punch times, separated by commas. A cell holds a time of the row's day (08:58 or 08:58:30; 次日 01:30 or next day 01:30 for after midnight) or a full date-time; an empty cell is skipped. Times are read in the Timezone option.",
		displayOptions: { show: { inputMode: ['wideRows'] } },
	},
	{
		displayName: 'Check Time Column',
		name: 'checkTimeColumn',
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: 'e.g. Punch Time',
		description:
			"Name of the input column that holds when the employee punched, exactly as in the sheet's header row: ISO 8601, 'yyyy-MM-dd HH:mm:ss', epoch seconds or milliseconds. Times without an offset are read in the Timezone option.",
		displayOptions: { show: { inputMode: ['columns'] } },
	},
	{
		displayName: 'Other Columns',
		name: 'otherColumns',
		type: 'collection',
		placeholder: 'Add Column',
		default: {},
		description:
			'Input columns for the other parts of a punch record. A row where such a column is missing or empty gets the default (Location Name and Comment below; the employee as creator).',
		displayOptions: { show: { inputMode: ['columns'] } },
		options: [
			columnOption(
				'commentColumn',
				'Comment Column',
				'comment',
				'Remark shown with the punch record',
			),
			columnOption(
				'creatorIdColumn',
				'Creator ID Column',
				'creator_id',
				'Who created the record, read per the Employee ID Type',
			),
			columnOption(
				'externalIdColumn',
				'External ID Column',
				'external_id',
				'Your own ID of the punch, returned by Get Many for reconciliation',
			),
			columnOption(
				'idempotencyKeyColumn',
				'Idempotency Key Column',
				'idempotent_id',
				'Unique key that stops Feishu from storing the same punch twice (empty: derived from employee and check time)',
			),
			columnOption(
				'isFieldColumn',
				'Is Field Punch Column',
				'is_field',
				'Whether the punch was made outside the office: true/false, yes/no or 1/0',
			),
			columnOption(
				'isWifiColumn',
				'Is Wi-Fi Punch Column',
				'is_wifi',
				'Whether the punch was made over Wi-Fi: true/false, yes/no or 1/0',
			),
			columnOption(
				'locationNameColumn',
				'Location Name Column',
				'location_name',
				'Where the punch happened (e.g. the attendance machine)',
			),
			columnOption(
				'photoUrlsColumn',
				'Photo URLs Column',
				'photo_urls',
				'Photo links, separated by commas, or a list',
			),
			columnOption(
				'bssidColumn',
				'Wi-Fi BSSID Column',
				'bssid',
				'MAC address of the Wi-Fi access point',
			),
			columnOption('ssidColumn', 'Wi-Fi SSID Column', 'ssid', 'Name of the Wi-Fi network'),
		],
	},
	employeeIdProperty('The employee who punched, read per the Employee ID Type', {
		show: { inputMode: ['fields'] },
	}),
	{
		displayName: 'Check Time',
		name: 'checkTime',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2026-11-20 08:55:00',
		description:
			"When the employee punched: ISO 8601 (with or without offset), 'yyyy-MM-dd HH:mm:ss', epoch seconds or milliseconds, or a date-time from an expression. Times without an offset are read in the Timezone option. Feishu accepts punches from 2022-01-01 on.",
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Location Name',
		name: 'locationName',
		type: 'string',
		default: DEFAULT_LOCATION,
		description:
			'Where the punch happened, as shown in the Feishu punch records (e.g. the attendance machine). Feishu requires this field. With Map Columns by Name: for rows without a Location Name Column value.',
		displayOptions: { show: { inputMode: ['columns', 'fields'] } },
	},
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		default: DEFAULT_COMMENT,
		description:
			'Remark shown with the punch record. Feishu requires this field; whether it accepts an empty text is not documented, hence the default. With Map Columns by Name: for rows without a Comment Column value.',
		displayOptions: { show: { inputMode: ['columns', 'fields'] } },
	},
	{
		displayName: 'Creator ID',
		name: 'creatorId',
		type: 'string',
		default: '',
		description: 'Who created the record, read per the Employee ID Type. Empty: the employee.',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { inputMode: ['fields'] } },
		options: [
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description:
					'Your own ID of the punch (e.g. the attendance machine record), returned by Get Many for reconciliation',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Unique key that stops Feishu from storing the same punch twice. Empty: derived from the Employee ID Type, Employee ID and Check Time, so re-running the same import never creates a second punch.',
			},
			{
				displayName: 'Is Field Punch',
				name: 'isField',
				type: 'boolean',
				default: false,
				description: 'Whether the punch was made outside the office (field work)',
			},
			{
				displayName: 'Is Wi-Fi Punch',
				name: 'isWifi',
				type: 'boolean',
				default: false,
				description: 'Whether the punch was made over Wi-Fi',
			},
			{
				displayName: 'Photo URLs',
				name: 'photoUrls',
				type: 'string',
				default: '',
				description:
					'Photo links, separated by commas or line breaks, or an array from an expression. Feishu documents this field as not supported yet.',
			},
			{
				displayName: 'Wi-Fi BSSID',
				name: 'bssid',
				type: 'string',
				default: '',
				placeholder: 'e.g. b0:b8:67:5c:1d:72',
				description: 'MAC address of the Wi-Fi access point',
			},
			{
				displayName: 'Wi-Fi SSID',
				name: 'ssid',
				type: 'string',
				default: '',
				description: 'Name of the Wi-Fi network',
			},
		],
	},
	optionsCollection([
		batchSizeOption(
			FEISHU_MAX_BATCH,
			'Records per Feishu call (Feishu accepts at most 50)',
			FEISHU_MAX_BATCH,
		),
		{
			displayName: 'Look Up Existing Records First',
			name: 'lookUpFirst',
			type: 'boolean',
			default: false,
			description:
				'Whether to query Feishu for the records of each batch before importing it, and report the ones already stored as duplicate without sending them. Costs one extra call per batch. Duplicates are prevented either way (every record carries an idempotency key); this only makes the status exact if Feishu answers a repeated record by returning the stored one.',
		},
		timezoneOption,
	]),
];

/** One entry of Other Columns: the name of the input column holding a part of the punch record. */
function columnOption(
	name: string,
	displayName: string,
	feishuField: string,
	what: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		noDataExpression: true,
		default: feishuField,
		description: `Name of the input column: ${what}`,
	};
}
