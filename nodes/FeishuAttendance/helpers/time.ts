/**
 * Time helpers of the Feishu Attendance node. The parsing and zone code lives in nodes/shared/time.ts (the
 * trigger uses it too) and is re-exported here; this file adds what reads node parameters.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { describeValue } from './values';
import { inputError } from './output';
import { isValidTimeZone } from '../../shared/time';

export * from '../../shared/time';

/**
 * The time zone of one item: its Options → Timezone (an expression may give each item its own), else the
 * workflow's timezone. Anything but the name of an IANA zone is an error of that item.
 */
export function timezoneOfItem(ctx: IExecuteFunctions, itemIndex: number): string {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const raw = options.timezone;
	if (raw !== undefined && raw !== null && raw !== '' && typeof raw !== 'string') {
		throw inputError(ctx, itemIndex, `Timezone must be the name of a time zone, got ${describeValue(raw)}`);
	}
	const timezone = String(raw || ctx.getTimezone() || 'UTC').trim();
	if (!isValidTimeZone(timezone)) {
		throw inputError(
			ctx,
			itemIndex,
			`The timezone "${timezone}" is not a valid IANA time zone`,
			'Use a name such as Asia/Shanghai, Europe/Berlin or UTC in Options → Timezone.',
		);
	}
	return timezone;
}
