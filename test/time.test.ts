/**
 * Date-time reading (helpers/time.ts parseDateTime) as the Punch Flow operations use it: every accepted
 * format, offsets, a zone without DST and two with DST (gap and overlap), and the 2022-01-01 import floor.
 */
import { DateTime } from 'luxon';

import { importTimeProblem, isDateOnly } from '../nodes/FeishuAttendance/helpers/punchFlow';
import { parseDateTime, toFeishuSeconds, toIsoInZone } from '../nodes/FeishuAttendance/helpers/time';

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
		['a luxon DateTime (n8n expressions)', DateTime.fromISO('2026-11-20T08:55:00', { zone: 'Asia/Shanghai' }), instant],
		['a date only = midnight (zone)', '2026-11-20', utc('2026-11-19T16:00:00Z')],
		['yyyyMMdd = midnight (zone)', '20261120', utc('2026-11-19T16:00:00Z')],
	])('%s', (_name, value, expected) => {
		expect(parseDateTime(value, 'Asia/Shanghai')).toBe(expected);
	});

	test('a time with an offset ignores the zone; one without is read in it', () => {
		expect(parseDateTime('2026-11-20T08:55:00+08:00', 'America/New_York')).toBe(instant);
		expect(parseDateTime('2026-11-20 08:55:00', 'America/New_York')).toBe(utc('2026-11-20T13:55:00Z'));
		expect(parseDateTime('2026-11-20 08:55:00', 'UTC')).toBe(utc('2026-11-20T08:55:00Z'));
	});

	test.each(['', 'next tuesday', '2026-13-01 08:00:00', '2026-02-30', '2026-11-20 24:00:00', {}, null, NaN, DateTime.invalid('x')])(
		'refuses %p with a readable reason',
		(value) => {
			expect(() => parseDateTime(value, 'Asia/Shanghai')).toThrow(/empty|not|invalid/);
		},
	);
});

describe('zones with daylight saving time', () => {
	test.each<[string, string, string, string]>([
		// zone, wall time, expected instant, note
		['Europe/Berlin', '2026-01-15 09:00:00', '2026-01-15T08:00:00Z', 'winter, +01:00'],
		['Europe/Berlin', '2026-07-15 09:00:00', '2026-07-15T07:00:00Z', 'summer, +02:00'],
		['Europe/Berlin', '2026-03-29 02:30:00', '2026-03-29T01:30:00Z', 'gap: 02:30 does not exist, moved to 03:30 CEST'],
		['Europe/Berlin', '2026-10-25 02:30:00', '2026-10-25T00:30:00Z', 'overlap: the earlier 02:30 (CEST)'],
		['America/New_York', '2026-03-08 02:30:00', '2026-03-08T07:30:00Z', 'gap: moved to 03:30 EDT'],
		['America/New_York', '2026-11-01 01:30:00', '2026-11-01T05:30:00Z', 'overlap: the earlier 01:30 (EDT)'],
		['Asia/Shanghai', '2026-03-08 02:30:00', '2026-03-07T18:30:00Z', 'no DST, always +08:00'],
	])('%s %s → %s (%s)', (zone, wall, expected) => {
		expect(parseDateTime(wall, zone)).toBe(utc(expected));
	});

	test('check_time_iso shows the offset in force at that instant', () => {
		expect(toIsoInZone(utc('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe('2026-03-29T01:59:59+01:00');
		expect(toIsoInZone(utc('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
		expect(toIsoInZone(utc('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-04:00');
		expect(toIsoInZone(utc('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-05:00');
	});

	test('Feishu check_time is whole seconds (rounded down)', () => {
		expect(toFeishuSeconds(utc('2026-11-20T00:55:00.999Z'))).toBe(String(utc('2026-11-20T00:55:00Z') / 1000));
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
	expect(['2026-03-31 00:00:00', '2026-03-31T00:00:00', 1774915200].map(isDateOnly)).toEqual([false, false, false]);
});
