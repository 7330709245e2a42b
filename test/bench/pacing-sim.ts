/**
 * The node's own Pacer (transport/pacer.ts) against the emulator's own rate limiter (emulator/traffic.ts), on a
 * simulated clock: seconds of sending in milliseconds, to see how a pacing change behaves before measuring it in
 * real n8n. Each client is one process (a queue-mode worker, another n8n): its own Pacer, no shared lanes, all
 * sharing the app's 50 calls/s. A call reaches the limiter 50–150 ms after it is sent (the emulator's arrival
 * jitter) and is answered 25–75 ms later; a 429 makes the call wait x-ogw-ratelimit-reset seconds and go again,
 * as FeishuClient does.
 *
 *   npm run bench:pacing                       one import of 2,000 calls
 *   npx ts-node --transpile-only test/bench/pacing-sim.ts '{"clients":2,"calls":400}'   two workers, 20,000 records each
 *   npx ts-node --transpile-only test/bench/pacing-sim.ts '{"clients":2,"calls":400,"stagger":500,"reps":10}'
 *
 *   npx ts-node --transpile-only test/bench/pacing-sim.ts '{"adapt":false,"rate":48}'   a fixed 48/s: share refused
 *
 * Options: clients, calls (per client), sizes (calls of each client), stagger (ms between the clients' starts), lag
 * (ms of random delay between a granted slot and the send: a busy process), rate (Requests per Second), inflight,
 * reps, series (print the admitted / 429 calls of each second of the first repetition), trace (each client's rate
 * every 250 ms), tuning (overrides of DEFAULT_TUNING), countRejected (a refused call takes a slot of the limiter's
 * second), adapt (false: 429s do not lower the rate). Prints the share of the 2,500 records/s
 * ceiling from the first send to the last answer and the share of calls answered 429. A model, not a
 * measurement: npm run bench:n8n and npm run test:queue measure real n8n.
 */
import FakeTimers from '@sinonjs/fake-timers';

import { DEFAULT_TUNING, Pacer } from '../../nodes/FeishuAttendance/transport/pacer';
import { RateLimiter } from '../emulator/traffic';

const LIMIT = 50;
const ENDPOINT = 'POST /open-apis/attendance/v1/user_flows/batch_create';

interface Options {
	clients: number;
	calls: number;
	/** calls of each client, when they differ */
	sizes?: number[];
	stagger: number;
	lag: number;
	rate: number;
	inflight: number;
	reps: number;
	series: boolean;
	/** overrides of the pacer's DEFAULT_TUNING */
	tuning: Partial<typeof DEFAULT_TUNING>;
	/** a rejected call takes a slot of the limiter's second (docs/ASSUMPTIONS.md#rate-limit-window) */
	countRejected: boolean;
	/** print each client's rate (and cuts so far) every 250 ms */
	trace: boolean;
	/** false: a 429 does not lower the rate (how many calls a fixed rate gets refused) */
	adapt: boolean;
}

interface Outcome {
	share: number;
	refusedShare: number;
	perSecond: string;
	ends: number[];
}

async function once(o: Options): Promise<Outcome> {
	const clock = FakeTimers.install({
		now: 1_000_000,
		toFake: ['setTimeout', 'clearTimeout', 'Date'],
	});
	try {
		const limiter = new RateLimiter();
		const t0 = Date.now();
		const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
		let sent = 0;
		let refused = 0;
		const ends: number[] = [];
		const pacers: Pacer[] = [];
		const trace: string[] = [];
		const client = async (k: number) => {
			await wait(k * o.stagger);
			const pacer = new Pacer(o.rate, o.inflight, { ...DEFAULT_TUNING, ...o.tuning });
			pacers[k] = pacer;
			const call = async () => {
				for (;;) {
					const sentAt = await pacer.acquire(ENDPOINT);
					if (o.lag) await wait(Math.random() * o.lag);
					sent++;
					await wait(50 + Math.random() * 100);
					const reset = limiter.admit(ENDPOINT, LIMIT, Date.now(), o.countRejected);
					await wait(25 + Math.random() * 50);
					pacer.release(ENDPOINT);
					if (reset === undefined) return;
					refused++;
					if (o.adapt) pacer.throttled(ENDPOINT, sentAt, Date.now(), LIMIT);
					await wait(reset * 1000 + Math.random() * 100);
				}
			};
			await Promise.all(Array.from({ length: o.sizes?.[k] ?? o.calls }, call));
			ends.push(Date.now() - t0);
		};
		const all = Promise.all(Array.from({ length: o.clients }, (_, k) => client(k)));
		let finished = false;
		void all.then(() => (finished = true));
		for (let step = 0; !finished; step++) {
			await clock.tickAsync(10);
			if (o.trace && step % 25 === 0)
				trace.push(
					`${((Date.now() - t0) / 1000).toFixed(2)}s ${pacers.map((p) => `${p.currentRate(ENDPOINT).toFixed(1)}(${p.rateCuts})`).join(' ')}`,
				);
		}
		if (o.trace) process.stdout.write(trace.join('\n') + '\n');
		const line = limiter.timeline()[ENDPOINT];
		const span = Math.max(...ends) / 1000;
		const total = Array.from({ length: o.clients }, (_, k) => o.sizes?.[k] ?? o.calls).reduce(
			(a, b) => a + b,
			0,
		);
		return {
			share: ((total * LIMIT) / span / 2500) * 100,
			refusedShare: (refused / sent) * 100,
			perSecond: line.perSecond.map((n, s) => `${n}/${line.rejectedPerSecond[s] ?? 0}`).join(' '),
			ends,
		};
	} finally {
		clock.uninstall();
	}
}

async function main(): Promise<void> {
	const o: Options = {
		clients: 1,
		calls: 2000,
		stagger: 0,
		lag: 0,
		rate: 48,
		inflight: 20,
		reps: 4,
		series: false,
		tuning: {},
		countRejected: false,
		trace: false,
		adapt: true,
		...(JSON.parse(process.argv[2] || '{}') as Partial<Options>),
	};
	const runs: Outcome[] = [];
	for (let r = 0; r < o.reps; r++) runs.push(await once(o));
	const mean = (f: (x: Outcome) => number) => runs.reduce((a, x) => a + f(x), 0) / runs.length;
	process.stdout.write(
		`${JSON.stringify(o)}\n  share of 2,500: ${runs.map((x) => x.share.toFixed(1)).join(' / ')} (mean ${mean((x) => x.share).toFixed(1)} %)` +
			`; answered 429: mean ${mean((x) => x.refusedShare).toFixed(2)} %, max ${Math.max(...runs.map((x) => x.refusedShare)).toFixed(2)} %` +
			`; ends (s): ${runs[0].ends.map((e) => (e / 1000).toFixed(1)).join(', ')}\n`,
	);
	if (o.series) process.stdout.write(`  per second, admitted/429: ${runs[0].perSecond}\n`);
}

void main();
