/**
 * Throughput benchmark of Punch Flow → Import through n8n-core's engine (the harness) against the emulator
 * with its 50-calls-per-second limit and a network in front of it: requests reach the limiter 50–150 ms after
 * they were sent (arrival jitter), answers take another 25–75 ms. Prints figures; it is not a timed test.
 * Real n8n: npm run bench:n8n (test/bench/n8n.bench.ts).
 *
 *   npm run bench                       (10,000 and 100,000 records)
 *   BENCH_SIZES=2000,10000 BENCH_MODES=json BENCH_OPTIONS='{"advanced":{"requestsPerSecond":45}}' npm run bench
 *   node --expose-gc -r ts-node/register/transpile-only test/bench/import.bench.ts   (exact heap figures)
 *
 * Ceiling: 50 batch_create calls/s × 50 records = 2,500 records/s. Target: ≥ 90 % of it, ≤ 1 % 429s.
 */
import type { INodeParameters } from 'n8n-workflow';

import { startEmulator } from '../emulator';
import { runNode } from '../harness';

const BATCH_CREATE = 'POST /open-apis/attendance/v1/user_flows/batch_create';
const CEILING = 2500;
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000')
	.split(',')
	.map(Number)
	.filter((n) => n > 0);
const BASE_SECONDS = Date.UTC(2026, 0, 5, 0, 0, 0) / 1000; // 2026-01-05 08:00 +08:00
const EMPLOYEES = 2000;

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

/** One punch per employee every 10 minutes: distinct (employee, time) for every record. */
function items(n: number, mode: Mode) {
	return Array.from({ length: n }, (_, i) => {
		const emp = `emp${String((i % EMPLOYEES) + 1).padStart(4, '0')}`;
		const time = `${BASE_SECONDS + Math.floor(i / EMPLOYEES) * 600}`;
		return mode === 'fields'
			? { emp, time, site: 'Gate 1' }
			: { user_id: emp, check_time: time, location_name: 'Gate 1', comment: 'Attendance machine' };
	});
}

/**
 * 'fields': Map Each Field with three expressions per item (employee, time, location) — the usual setup;
 * n8n evaluates every expression per item before anything is sent.
 * 'json': Use Item JSON as Flow Record — no expressions, so the figures show the sending path alone.
 */
type Mode = 'fields' | 'json';
const MODES = (process.env.BENCH_MODES ?? 'fields,json').split(',') as Mode[];
const PARAMETERS: Record<Mode, INodeParameters> = {
	fields: {
		resource: 'punchFlow',
		operation: 'import',
		employeeId: '={{ $json.emp }}',
		checkTime: '={{ $json.time }}',
		locationName: '={{ $json.site }}',
	},
	json: { resource: 'punchFlow', operation: 'import', inputMode: 'json' },
};
const EXTRA_OPTIONS = process.env.BENCH_OPTIONS
	? (JSON.parse(process.env.BENCH_OPTIONS) as INodeParameters)
	: undefined;

async function main(): Promise<void> {
	const emu = await startEmulator({
		arrivalDelayMs: 100,
		arrivalJitter: 0.5,
		latencyMs: 50,
		latencyJitter: 0.5,
		rateLimitPerSecond: 50,
		employees: EMPLOYEES,
	});
	console.log(
		`Import benchmark: arrival delay 50–150 ms before the limiter, answers 25–75 ms, limit 50 calls/s per endpoint, ceiling ${CEILING} records/s`,
	);
	try {
		for (const n of SIZES)
			for (const mode of MODES) {
				emu.reset();
				const input = items(n, mode);
				gc?.();
				const heapBefore = process.memoryUsage().heapUsed;
				let peakRss = process.memoryUsage().rss;
				const sampler = setInterval(
					() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
					50,
				);
				const started = Date.now();
				const result = await runNode({
					emulatorUrl: emu.url,
					parameters: { ...PARAMETERS[mode], ...(EXTRA_OPTIONS ? { options: EXTRA_OPTIONS } : {}) },
					items: input,
				});
				const seconds = (Date.now() - started) / 1000;
				clearInterval(sampler);
				peakRss = Math.max(peakRss, process.memoryUsage().rss);
				gc?.();
				const heapAfter = process.memoryUsage().heapUsed; // the run's output items are still referenced

				const counters = emu.counters();
				const line = (
					(await (await fetch(`${emu.url}/__admin/traffic`)).json()) as Record<
						string,
						{ first: number; last: number; admitted: number }
					>
				)[BATCH_CREATE];
				const apiCalls = Object.entries(counters.requests)
					.filter(([endpoint]) => endpoint.includes('/attendance/'))
					.reduce((sum, [, count]) => sum + count, 0);
				const imported = result.items.filter((i) => i.json.status === 'imported').length;
				const stored = emu.flows().length;
				const rate = n / seconds;
				console.log(
					[
						`\n${n.toLocaleString('en')} records, input mode ${mode}: ${seconds.toFixed(1)} s, ${rate.toFixed(0)} records/s = ${((rate / CEILING) * 100).toFixed(1)} % of the ceiling`,
						`  batch_create calls ${counters.requests[BATCH_CREATE] ?? 0} (expected ${Math.ceil(n / 50)}), API calls ${apiCalls}, answered 429: ${counters.rateLimited} (${((counters.rateLimited / Math.max(1, apiCalls)) * 100).toFixed(2)} %)`,
						`  peak calls in flight (emulator): ${counters.peakConcurrency}, first call after ${line ? ((line.first - started) / 1000).toFixed(1) : '?'} s, sending ${line && line.last > line.first ? ((line.admitted - 1) / ((line.last - line.first) / 1000)).toFixed(1) : '?'} calls/s`,
						`  outputs ${result.items.length}, imported ${imported}, stored ${stored}${result.error ? `, ERROR ${result.error.message}` : ''}`,
						`  process peak RSS ${mb(peakRss)}, heap growth ${mb(heapAfter - heapBefore)} = ${((heapAfter - heapBefore) / 1024 / (n / 1000)).toFixed(0)} KB per 1,000 items${gc ? '' : ' (no --expose-gc: includes garbage)'}`,
					].join('\n'),
				);
			}
	} finally {
		await emu.close();
	}
}

main().then(
	() => process.exit(0), // n8n-core leaves a 60 s SSH-cleanup interval running
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
