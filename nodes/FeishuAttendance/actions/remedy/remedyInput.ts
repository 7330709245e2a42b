/**
 * Remedy → Create: reading one input item into the remedy Feishu stores, and what the item's output says
 * about it. Every value is read for its own item and checked before anything is sent; a problem throws a
 * NodeOperationError naming the field and the item (see inputError).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { perItem, timezoneFrom } from '../../helpers/parameters';
import { errorMessage, inputError } from '../../helpers/output';
import type { PunchChoice } from './remedy';
import { formatRemedyTime, remedyKey, resolvePunch } from './remedy';
import {
	addDays,
	dayNumberToIsoDate,
	parseDateTime,
	parseDay,
	toDayNumber,
} from '../../helpers/time';
import { readText } from '../../helpers/values';
import { readEmployeeIdType } from '../../helpers/employeeIdTypes';

/** One item, checked and converted. */
export interface PreparedRemedy {
	itemIndex: number;
	employeeIdType: string;
	employeeId: string;
	/** yyyyMMdd */
	day: number;
	punch: PunchChoice;
	/** 'yyyy-MM-dd HH:mm' in timeZone */
	remedyTime: string;
	reason: string;
	timeZone: string;
	/** the same employee, day and punch: the same correction (remedyKey) */
	key: string;
	/** Employee ID Type Email / Mobile: what the item gave (employee_email / employee_mobile), once resolved */
	given?: IDataObject;
}

/** The reader of the run's items (for validateItems). Timezone is read per item when it is an expression. */
export function remedyItemReader(ctx: IExecuteFunctions): (itemIndex: number) => PreparedRemedy {
	const timezoneOf = perItem(ctx, 'options.timezone', (itemIndex) => timezoneFrom(ctx, itemIndex));
	return (itemIndex) => read(ctx, itemIndex, timezoneOf(itemIndex));
}

function read(ctx: IExecuteFunctions, itemIndex: number, timeZone: string): PreparedRemedy {
	// `label` prefixes messages that do not name the field themselves (the time parsers' "is empty").
	const field = <T>(parse: () => T, label?: string): T => {
		try {
			return parse();
		} catch (error) {
			throw inputError(
				ctx,
				itemIndex,
				label ? `${label} ${errorMessage(error)}` : errorMessage(error),
			);
		}
	};
	const param = (name: string, fallback: unknown) =>
		ctx.getNodeParameter(name, itemIndex, fallback);
	const employeeIdType = field(
		() =>
			readEmployeeIdType(param('employeeIdType', 'employee_id'), { lookup: true }, 'choices')
				.chosen,
	);
	const employeeId = field(() => readText(param('employeeId', ''), 'Employee ID'));
	const day = field(() => parseDay(param('day', ''), timeZone), 'Day');
	const punch = field(() => resolvePunch(param('punch', 'firstCheckIn')));
	const remedyMs = field(() => parseDateTime(param('remedyTime', ''), timeZone), 'Remedied Time');
	const reason = field(() => readText(param('reason', ''), 'Reason'));
	const remedyDay = toDayNumber(remedyMs, timeZone);
	if (remedyDay !== day && remedyDay !== addDays(day, 1)) {
		throw inputError(
			ctx,
			itemIndex,
			`Remedied Time (${formatRemedyTime(remedyMs, timeZone)}) is not on Day ${dayNumberToIsoDate(day)} or the night after`,
			'The remedied time is the corrected punch of that work day. Check both values and the Timezone option.',
		);
	}
	return {
		itemIndex,
		employeeIdType,
		employeeId,
		day,
		punch,
		remedyTime: formatRemedyTime(remedyMs, timeZone),
		reason,
		timeZone,
		key: remedyKey(employeeId, day, punch.punchNo, punch.workType),
	};
}

/**
 * An item of Employee ID Type Email / Mobile once its user ID is known: sent and looked up as employee_id, so
 * the same person's remedy is the same correction whichever way the sheet names them.
 */
export function remedyByUserId(
	p: PreparedRemedy,
	userId: string,
	given: IDataObject,
): PreparedRemedy {
	return {
		...p,
		employeeIdType: 'employee_id',
		employeeId: userId,
		key: remedyKey(userId, p.day, p.punch.punchNo, p.punch.workType),
		given,
	};
}

/** What the item's remedy is about, in every output item of it. */
export const remedySummary = (p: PreparedRemedy): IDataObject => ({
	employee_id: p.employeeId,
	...p.given,
	employee_id_type: p.employeeIdType,
	remedy_date: p.day,
	date_iso: dayNumberToIsoDate(p.day),
	punch: p.punch.name,
	punch_no: p.punch.punchNo,
	work_type: p.punch.workType,
	remedy_time: p.remedyTime,
	reason: p.reason,
});
