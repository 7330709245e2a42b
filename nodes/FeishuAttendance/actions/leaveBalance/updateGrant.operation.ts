import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import {
	changeNotice,
	confirmationProperty,
	optionsCollection,
	timezoneOption,
} from '../../descriptions/common';
import { doneItem, failedItem, invalidItem } from '../../helpers/outcome';
import { inputError, validateItems } from '../../helpers/output';
import { readConfirmation, textParameter } from '../../helpers/parameters';
import type { FeishuClient } from '../../transport';
import type { LeaveTarget } from './leaveGrant';
import {
	leaveBody,
	leaveProperties,
	readLeaveDate,
	readLeaveTarget,
	timeOffsetOf,
} from './leaveGrant';

const properties: INodeProperties[] = [
	changeNotice(
		'entitlementNotice',
		"This changes employees' leave entitlements in Feishu: the balance they can take and when it expires. Only grants added by hand or through the API can be changed; grants Feishu's leave rules generated cannot.",
	),
	confirmationProperty(
		'Confirm Entitlement Change',
		"Whether you have checked the grants, quantities and dates the items give: the node changes employees' leave entitlements only when this is on",
	),
	...leaveProperties,
	{
		displayName: 'Grant Record ID',
		name: 'grantId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7300000000000000032',
		description: 'The grant to change, as Get Expiring Grants returns it (field ID)',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Carry-over corrected by HR system',
		description: 'Why the grant changes; Feishu keeps it with the grant',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Expiry Date',
				name: 'expiryDate',
				type: 'string',
				placeholder: 'e.g. 2025-12-31 or {{ $today }}',
				default: '',
				description:
					'The new last day the granted leave can be taken (not before the day it took effect)',
			},
			{
				displayName: 'Quantity',
				name: 'quantity',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description: "The grant's new quantity, in the leave type's unit (days or hours)",
			},
		],
	},
	optionsCollection([
		timezoneOption,
		{
			displayName: 'Reason Language',
			name: 'reasonLanguage',
			type: 'options',
			options: [
				{ name: 'Chinese', value: 'zh-CN' },
				{ name: 'English', value: 'en-US' },
				{ name: 'Japanese', value: 'ja-JP' },
			],
			default: 'en-US',
			description: 'The language the Reason is written in',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leaveBalance'], operation: ['updateGrant'] } },
	properties,
);

/** Feishu's attendance general error: a grant that does not exist for the employee and leave type, or one its leave rules generated. */
const GENERAL_REFUSAL = 1220600;
const GRANT_REFUSED_HINT =
	'Feishu changes only grants added by hand or through the API, of this employee and leave type. Check the Grant Record ID with Get Expiring Grants (accrual_source 1 marks grants the leave rules generated).';

interface GrantUpdate extends LeaveTarget {
	grantId: string;
	quantity?: string;
	expiry?: string;
	reason: string;
	language: string;
}

function readUpdate(ctx: IExecuteFunctions, itemIndex: number): GrantUpdate {
	const target = readLeaveTarget(ctx, itemIndex);
	const grantId = textParameter(ctx, itemIndex, 'grantId', 'Grant Record ID');
	if (!/^\d+$/.test(grantId))
		throw inputError(
			ctx,
			itemIndex,
			`Grant Record ID "${grantId}" is not a grant record ID`,
			'Use the ID field of Get Expiring Grants.',
		);
	const reason = textParameter(ctx, itemIndex, 'reason', 'Reason');
	if (reason === '')
		throw inputError(
			ctx,
			itemIndex,
			'Reason is empty',
			'Feishu keeps a reason with every change of a grant.',
		);
	const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	let quantity: string | undefined;
	if (fields.quantity !== undefined) {
		const value = Number(fields.quantity);
		if (typeof fields.quantity === 'boolean' || !Number.isFinite(value) || value < 0) {
			throw inputError(
				ctx,
				itemIndex,
				`Quantity must be a number of at least 0, got ${String(fields.quantity)}`,
			);
		}
		quantity = String(Math.round(value * 100) / 100);
	}
	const expiry =
		fields.expiryDate === undefined || fields.expiryDate === ''
			? undefined
			: readLeaveDate(ctx, itemIndex, 'updateFields.expiryDate', 'Expiry Date', target.timezone);
	if (quantity === undefined && expiry === undefined) {
		throw inputError(
			ctx,
			itemIndex,
			'Nothing to change',
			'Add Quantity or Expiry Date under Update Fields.',
		);
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		...target,
		grantId,
		reason,
		quantity,
		expiry,
		language: String(options.reasonLanguage ?? 'en-US'),
	};
}

/**
 * PATCH leave_accrual_record/:leave_id per item: the grant's quantity and / or expiry as given. The values are
 * absolute, so sending again (a lost answer, a re-run) sets the same values: the call is repeatable and a re-run
 * is harmless. UNCONFIRMED: see docs/ASSUMPTIONS.md#leave-records (the refusal of a missing or system grant).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: FeishuClient,
): Promise<INodeExecutionData[]> {
	readConfirmation(this, "changes employees' leave entitlements");
	const { valid, errors } = validateItems(this, items.length, (itemIndex) =>
		readUpdate(this, itemIndex),
	);
	const done = await Promise.all(
		valid.map(async ({ itemIndex, value }) => {
			const fields = {
				grant_id: value.grantId,
				employee_id: value.employeeId,
				leave_type_id: value.leaveTypeId,
			};
			try {
				const day = value.expiry ?? new Date().toISOString().slice(0, 10);
				const response = await client.request<IDataObject>({
					method: 'PATCH',
					path: `/leave_accrual_record/${value.leaveTypeId}`,
					qs: { user_id_type: value.userIdType },
					body: {
						leave_granting_record_id: value.grantId,
						...leaveBody(value),
						reason: [{ lang: value.language, value: value.reason }],
						time_offset: timeOffsetOf(day, value.timezone),
						...(value.expiry !== undefined ? { expiration_date: value.expiry } : {}),
						...(value.quantity !== undefined ? { quantity: value.quantity } : {}),
					},
					repeatable: true,
					itemIndex,
				});
				return {
					itemIndex,
					item: doneItem(
						'updated',
						{ ...fields, grant: (response.data?.record ?? {}) as IDataObject },
						itemIndex,
					),
				};
			} catch (error) {
				if (
					error instanceof NodeApiError &&
					Number((error.errorResponse as { code?: unknown } | undefined)?.code) === GENERAL_REFUSAL
				) {
					// UNCONFIRMED: see docs/ASSUMPTIONS.md#leave-records (both causes answer this code)
					error.description = GRANT_REFUSED_HINT;
				}
				return { itemIndex, item: failedItem(this, error, 'failed', fields, itemIndex) };
			}
		}),
	);
	const out = new Map<number, INodeExecutionData>();
	for (const [itemIndex, item] of errors) out.set(itemIndex, invalidItem(this, item, itemIndex));
	for (const { itemIndex, item } of done) out.set(itemIndex, item);
	return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}
