/** The parameters of Punch Flow → Import (the operation file wraps them in its display options). */
import type { INodeProperties } from 'n8n-workflow';

import { batchSizeOption, employeeIdTypeProperty, optionsCollection, timezoneOption } from '../../descriptions/common';
import { FEISHU_MAX_BATCH } from '../../helpers/batching';
import { DEFAULT_COMMENT, DEFAULT_LOCATION } from '../../helpers/flowInput';

export const properties: INodeProperties[] = [
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Map Each Field',
				value: 'fields',
				description: 'Set employee, check time, location and comment per item, with expressions',
			},
			{
				name: 'Use Item JSON as Flow Record',
				value: 'json',
				description:
					"Each item's JSON is a ready Feishu flow_record (user_id, check_time, …), e.g. the output of Get Many from another tenant. Read-only fields such as record_id are dropped.",
			},
		],
		default: 'fields',
	},
	employeeIdTypeProperty(),
	{
		displayName: 'Employee ID',
		name: 'employeeId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.employee_id }}',
		description: 'The employee who punched, read per the Employee ID Type',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
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
			'Where the punch happened, as shown in the Feishu punch records (e.g. the attendance machine). Feishu requires this field.',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		default: DEFAULT_COMMENT,
		description:
			'Remark shown with the punch record. Feishu requires this field; whether it accepts an empty text is not documented, hence the default.',
		displayOptions: { show: { inputMode: ['fields'] } },
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
				description: 'Your own ID of the punch (e.g. the attendance machine record), returned by Get Many for reconciliation',
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
		batchSizeOption(FEISHU_MAX_BATCH, 'Records per Feishu call (Feishu accepts at most 50)'),
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
