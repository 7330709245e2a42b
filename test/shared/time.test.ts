/**
 * Date-time reading (helpers/time.ts parseDateTime) as the Punch Flow operations use it: every accepted
 * format, offsets, a zone without DST and two with DST (gap and overlap), and the 2022-01-01 import floor.
 */
import { DateTime } from 'luxon';

import {
	importTimeProblem,
	isDateOnly,
	meansWholeDay,
} from '../../nodes/FeishuAttendance/actions/punchFlow/punchFlow';
import {
	isCompactDate,
	parseDateTime,
	parseDay,
	toFeishuSeconds,
	toIsoInZone,
	wallTimeIn,
} from '../../nodes/FeishuAttendance/helpers/time';

const utc = (iso: string) => Date.parse(iso);

describe('accepted formats', () => {
	// 2026-11-20 08:55:00 in Shanghai = 00:55:00Z
	const instant = utc('2026-11-20T00:55:00Z');
	test.each<[string, unknown, number]>([
		['ISO 8601 with +08:00', '2026-11-20T08:55:00+08:00', instant],
		['ISO 8601 with +0800', '2026-11-20T08:55:00+0800', instant],
		['ISO 8601 with +08 (PostgreSQL style)', '2026-11-20 08:55:00+08', instant],
		['ISO 8601 with Z', '2026-11-20T00:55:00Z', instant],
		['ISO 8601 with -05:00', '2026-11-19T19:55:00-05:00', instant],
		['ISO 8601 with +05:30 and milliseconds', '2026-11-20T06:25:00.250+05:30', instant + 250],
		['ISO 8601 without offset (zone)', '2026-11-20T08:55:00', instant],
		["'yyyy-MM-dd HH:mm:ss' (zone)", '2026-11-20 08:55:00', instant],
		["'yyyy-MM-dd HH:mm' (zone)", '2026-11-20 08:55', instant],
		["'yyyy/MM/dd HH:mm:ss' (zone)", '2026/11/20 08:55:00', instant],
		['epoch seconds (number)', instant / 1000, instant],
		['epoch seconds (text)', String(instant / 1000), instant],
		['epoch milliseconds (number)', instant, instant],
		['epoch milliseconds (text)', String(instant), instant],
		['a JavaScript Date', new Date(instant), instant],
		[
			'a luxon DateTime (n8n expressions)',
			DateTime.fromISO('2026-11-20T08:55:00', { zone: 'Asia/Shanghai' }),
			instant,
		],
		['a date only = midnight (zone)', '2026-11-20', utc('2026-11-19T16:00:00Z')],
		['yyyyMMdd = midnight (zone)', '20261120', utc('2026-11-19T16:00:00Z')],
		[
			'yyyyMMdd as a number (a Feishu day from an expression) = midnight (zone)',
			20261120,
			utc('2026-11-19T16:00:00Z'),
		],
	])('%s', (_name, value, expected) => {
		expect(parseDateTime(value, 'Asia/Shanghai')).toBe(expected);
	});

	test('a time with an offset ignores the zone; one without is read in it', () => {
		expect(parseDateTime('2026-11-20T08:55:00+08:00', 'America/New_York')).toBe(instant);
		expect(parseDateTime('2026-11-20 08:55:00', 'America/New_York')).toBe(
			utc('2026-11-20T13:55:00Z'),
		);
		expect(parseDateTime('2026-11-20 08:55:00', 'UTC')).toBe(utc('2026-11-20T08:55:00Z'));
	});

	test.each([
		'',
		'next tuesday',
		'20260230',
		'20261301',
		'2026-13-01 08:00:00',
		'2026-02-30',
		'2026-11-20 24:00:00',
		{},
		null,
		NaN,
		DateTime.invalid('x'),
	])('refuses %p with a readable reason', (value) => {
		expect(() => parseDateTime(value, 'Asia/Shanghai')).toThrow(/empty|not|invalid/);
	});
});

describe('yyyyMMdd numbers (Feishu day values) are dates, other numbers epoch seconds or milliseconds', () => {
	test.each<[string, number, string]>([
		['Feishu day', 20260331, '2026-03-31T00:00:00Z'],
		['lower bound', 19000101, '1900-01-01T00:00:00Z'],
		['upper bound', 29991231, '2999-12-31T00:00:00Z'],
		['leap day', 20280229, '2028-02-29T00:00:00Z'],
	])('%s: %p is that day at midnight in the zone', (_name, value, expected) => {
		expect(parseDateTime(value, 'UTC')).toBe(utc(expected));
	});

	test.each<[string, number]>([
		['below the range', 18991231],
		['above the range', 30000101],
		['not a calendar date (Feb 30)', 20260230],
		['not a calendar date (2027-02-29)', 20270229],
		['not an integer', 20260331.5],
		['fewer digits', 1999123],
	])('%s: %p stays epoch seconds (1970)', (_name, value) => {
		expect(parseDateTime(value, 'Asia/Shanghai')).toBe(Math.round(value * 1000));
		expect(new Date(parseDateTime(value, 'Asia/Shanghai')).getUTCFullYear()).toBe(1970);
	});

	test('isCompactDate: 8-digit integers from 19000101 to 29991231 that are real dates, as number or text', () => {
		expect([20260331, '20260331', ' 20260331 ', 19000101, 29991231].map(isCompactDate)).toEqual([
			true,
			true,
			true,
			true,
			true,
		]);
		expect(
			[
				18991231,
				30000101,
				20260230,
				20261301,
				20260331.5,
				'2026-03-31',
				1774915200,
				'1774915200',
			].map(isCompactDate),
		).toEqual(Array(8).fill(false));
	});

	test('Import Check Time, Approval Start/End and Get Many From/To read a yyyyMMdd number as that day in the zone', () => {
		expect(toIsoInZone(parseDateTime(20260331, 'Europe/Berlin'), 'Europe/Berlin')).toBe(
			'2026-03-31T00:00:00+02:00',
		);
		expect(toIsoInZone(parseDateTime(20260331, 'America/New_York'), 'America/New_York')).toBe(
			'2026-03-31T00:00:00-04:00',
		);
	});

	test('parseDay: the same day for every form, the calendar day in the zone for instants', () => {
		for (const value of [
			20260331,
			'20260331',
			'2026-03-31',
			'2026/3/31',
			'2026-03-31 23:59:59',
			'2026-03-31T00:00:00',
		]) {
			expect(parseDay(value, 'Asia/Shanghai')).toBe(20260331);
		}
		expect(parseDay('2026-03-31T20:00:00Z', 'Asia/Shanghai')).toBe(20260401);
		expect(parseDay('2026-03-31T20:00:00Z', 'UTC')).toBe(20260331);
		expect(parseDay(utc('2026-03-31T20:00:00Z') / 1000, 'Asia/Shanghai')).toBe(20260401);
		expect(() => parseDay('20260230', 'Asia/Shanghai')).toThrow(/not a valid calendar date/);
	});
});

describe('zones with daylight saving time', () => {
	test.each<[string, string, string, string]>([
		// zone, wall time, expected instant, note
		['Europe/Berlin', '2026-01-15 09:00:00', '2026-01-15T08:00:00Z', 'winter, +01:00'],
		['Europe/Berlin', '2026-07-15 09:00:00', '2026-07-15T07:00:00Z', 'summer, +02:00'],
		[
			'Europe/Berlin',
			'2026-03-29 02:30:00',
			'2026-03-29T01:30:00Z',
			'gap: 02:30 does not exist, moved to 03:30 CEST',
		],
		[
			'Europe/Berlin',
			'2026-10-25 02:30:00',
			'2026-10-25T00:30:00Z',
			'overlap: the earlier 02:30 (CEST)',
		],
		['America/New_York', '2026-03-08 02:30:00', '2026-03-08T07:30:00Z', 'gap: moved to 03:30 EDT'],
		[
			'America/New_York',
			'2026-11-01 01:30:00',
			'2026-11-01T05:30:00Z',
			'overlap: the earlier 01:30 (EDT)',
		],
		['Asia/Shanghai', '2026-03-08 02:30:00', '2026-03-07T18:30:00Z', 'no DST, always +08:00'],
	])('%s %s → %s (%s)', (zone, wall, expected) => {
		expect(parseDateTime(wall, zone)).toBe(utc(expected));
	});

	test('check_time_iso shows the offset in force at that instant', () => {
		expect(toIsoInZone(utc('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(
			'2026-03-29T01:59:59+01:00',
		);
		expect(toIsoInZone(utc('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(
			'2026-03-29T03:00:00+02:00',
		);
		expect(toIsoInZone(utc('2026-11-01T05:30:00Z'), 'America/New_York')).toBe(
			'2026-11-01T01:30:00-04:00',
		);
		expect(toIsoInZone(utc('2026-11-01T06:30:00Z'), 'America/New_York')).toBe(
			'2026-11-01T01:30:00-05:00',
		);
	});

	test('an offset change in the middle of a UTC hour (Lord Howe: +10:30 → +11:00 at 15:30Z)', () => {
		expect(toIsoInZone(utc('2026-10-03T15:29:59Z'), 'Australia/Lord_Howe')).toBe(
			'2026-10-04T01:59:59+10:30',
		);
		expect(toIsoInZone(utc('2026-10-03T15:30:00Z'), 'Australia/Lord_Howe')).toBe(
			'2026-10-04T02:30:00+11:00',
		);
		expect(toIsoInZone(utc('2026-10-03T15:00:00Z'), 'Australia/Lord_Howe')).toBe(
			'2026-10-04T01:30:00+10:30',
		);
		expect(parseDateTime('2026-10-04 02:15:00', 'Australia/Lord_Howe')).toBe(
			utc('2026-10-03T15:45:00Z'),
		); // gap: 02:45
		expect(parseDateTime('2026-10-04 02:30:00', 'Australia/Lord_Howe')).toBe(
			utc('2026-10-03T15:30:00Z'),
		);
	});

	test('every half minute across the DST changes of 2026: wall time and back give the same instant', () => {
		const days: Array<[string, string]> = [
			['Europe/Berlin', '2026-03-29T00:00:00Z'],
			['Europe/Berlin', '2026-10-25T00:00:00Z'],
			['America/New_York', '2026-03-08T05:00:00Z'],
			['America/New_York', '2026-11-01T04:00:00Z'],
			['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
			['Australia/Lord_Howe', '2026-10-03T14:00:00Z'],
		];
		for (const [zone, start] of days) {
			const seen = new Map<string, number>();
			for (let t = utc(start); t < utc(start) + 4 * 3600000; t += 30000) {
				const w = wallTimeIn(t, zone);
				const p2 = (n: number) => String(n).padStart(2, '0');
				const wall = `${w.year}-${p2(w.month)}-${p2(w.day)} ${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
				// a wall time seen twice (overlap) is read as its first, earlier instant
				if (!seen.has(wall)) seen.set(wall, t);
				expect(parseDateTime(wall, zone)).toBe(seen.get(wall));
			}
		}
	});

	test('Feishu check_time is whole seconds (rounded down)', () => {
		expect(toFeishuSeconds(utc('2026-11-20T00:55:00.999Z'))).toBe(
			String(utc('2026-11-20T00:55:00Z') / 1000),
		);
	});
});

describe('punches Feishu refuses: before 2022-01-01 00:00 (+08:00)', () => {
	test.each<[string, string, boolean]>([
		['Asia/Shanghai', '2021-12-31 23:59:59', false],
		['Asia/Shanghai', '2022-01-01 00:00:00', true],
		['UTC', '2021-12-31 16:00:00', true], // = 2022-01-01 00:00 in Shanghai
		['UTC', '2021-12-31 15:59:59', false],
		['America/New_York', '2021-12-31 10:59:59', false],
		['America/New_York', '2021-12-31 11:00:00', true],
	])('%s %s accepted: %s', (zone, wall, accepted) => {
		const problem = importTimeProblem(parseDateTime(wall, zone));
		if (accepted) expect(problem).toBeUndefined();
		else expect(problem).toMatch(/before 2022-01-01 00:00:00 \(UTC\+08:00\)/);
	});
});

test('a To value without a time of day is recognised (Get Many reads it as the end of that day)', () => {
	expect(['2026-03-31', '2026/3/31', '20260331'].map(isDateOnly)).toEqual([true, true, true]);
	expect(['2026-03-31 00:00:00', '2026-03-31T00:00:00', 1774915200].map(isDateOnly)).toEqual([
		false,
		false,
		false,
	]);
});

test('a To value that names a whole day: a date, a yyyyMMdd number, or local midnight without an offset (the date picker)', () => {
	const whole = [
		'2026-03-31',
		'2026/3/31',
		'20260331',
		20260331,
		'2026-03-31T00:00:00',
		'2026-03-31 00:00:00',
		'2026-03-31 00:00',
		'2026-03-31T00:00:00.000',
	];
	expect(whole.map(meansWholeDay)).toEqual(Array(whole.length).fill(true));
	const instants = [
		'2026-03-31T00:00:00+08:00',
		'2026-03-31T00:00:00Z',
		'2026-03-31T00:00:01',
		'2026-03-31 00:30',
		'2026-03-31T10:00:00',
		1774915200,
		1774915200000,
		new Date('2026-03-31T00:00:00Z'),
		DateTime.fromISO('2026-03-31T00:00:00', { zone: 'Asia/Shanghai' }),
	];
	expect(instants.map(meansWholeDay)).toEqual(Array(instants.length).fill(false));
});

describe('epoch numbers by magnitude (issue 9): seconds, milliseconds, microseconds, nanoseconds; in-between digit counts refused', () => {
	const instant = utc('2026-11-20T00:55:00Z');
	test.each<[string, number | string]>([
		['seconds (10 digits)', instant / 1000],
		['milliseconds (13 digits)', instant],
		['microseconds (16 digits)', instant * 1000],
		['microseconds as text', `${instant}000`],
		['nanoseconds as text (19 digits)', `${instant}000000`],
	])('%s', (_name, value) => {
		expect(parseDateTime(value, 'UTC')).toBe(instant);
	});

	test.each<[number | string, number]>([
		[17951364000, 11],
		['17951364000', 11],
		[17951364000000, 14],
		['17951364000000000', 17],
		['17951364000000000000', 20],
	])('%p is refused (%i digits: between two units)', (value, digits) => {
		expect(() => parseDateTime(value, 'UTC')).toThrow(
			new RegExp(`not an epoch time this node can read safely \\(${digits} digits\\)`),
		);
	});
});

describe('punches that cannot have happened yet', () => {
	const now = utc('2026-11-20T00:00:00Z');
	test('up to one day after now is accepted (clock skew), later is refused', () => {
		expect(importTimeProblem(now + 86400000, now)).toBeUndefined();
		expect(importTimeProblem(now + 86400001, now)).toMatch(
			/is in the future \(more than 24 hours after now, 2026-11-20T00:00:00.000Z\)/,
		);
		expect(importTimeProblem(utc('2999-01-01T00:00:00Z'))).toMatch(/is in the future/);
	});
});
