/**
 * Discrete-event model of transport/pacer.ts against a sliding-window limiter with 50–150 ms arrival jitter
 * (the emulator's bench settings), used to choose DEFAULT_TUNING without waiting for real runs:
 *
 *   node test/bench/pacing-sim.js '{"C":0.2}'                      one run of 2,000 calls
 *   node test/bench/pacing-sim.js '{"C":0.2,"clients":2,"n":1000}'  two runs sharing the limit
 *   node test/bench/pacing-sim.js '{"fixed":[46,47,48,49]}'         fixed rates, no adaptation: share refused
 *
 * Options: C (cubic scale), beta, tol (429s within a second that make a cut, 1 = every one), pf (plateau kept at the sent rate after a slight overshoot, 0 = off), cap (requests per second), inflight (max concurrent), lag (timer lateness,
 * ms), reps. Prints the share of the 2,500 records/s ceiling (50 records per call) and the share of 429s.
 * A model, not a measurement: npm run bench:n8n measures real n8n.
 */
const LIMIT = 50;
function run({
	clients = 1,
	n = 2000,
	cap = 49,
	beta = 0.9,
	C = 0.4,
	inflight = 12,
	lag = 5,
	pf = 0,
	tol = 1,
}) {
	const ev = [];
	const push = (t, fn) => ev.push({ t, fn });
	const win = [];
	let rej = 0;
	const cs = [];
	for (let c = 0; c < clients; c++)
		cs.push({
			queue: n,
			retry: [],
			done: 0,
			inFl: 0,
			end: 0,
			calls: 0,
			next: 0,
			first: undefined,
			sent: [],
			answers: [],
			thr: [],
			plateau: undefined,
			floor: 0,
			cutAt: -1e9,
			start: Math.random() * 200,
		});
	const rateOf = (st, t) => {
		if (st.plateau === undefined) return cap;
		const K = Math.cbrt(Math.max(0, st.plateau - st.floor) / C);
		const r = st.plateau + C * Math.pow((t - st.cutAt) / 1000 - K, 3);
		return Math.max(0.5, Math.min(cap, r));
	};
	function trySend(st, t) {
		while (true) {
			if (st.inFl >= inflight) return;
			const readyIdx = st.retry.findIndex((x) => x <= t);
			if (st.queue <= 0 && readyIdx < 0) {
				if (st.retry.length && !st.pw) {
					st.pw = true;
					push(Math.min(...st.retry), (tt) => {
						st.pw = false;
						trySend(st, tt);
					});
				}
				return;
			}
			if (st.next > t) {
				if (!st.pending) {
					st.pending = true;
					push(st.next + Math.random() * lag, (tt) => {
						st.pending = false;
						trySend(st, tt);
					});
				}
				return;
			}
			if (readyIdx >= 0) st.retry.splice(readyIdx, 1);
			else st.queue--;
			const interval = 1000 / rateOf(st, t);
			st.next = st.first === undefined ? t + interval : Math.max(st.next + interval, t);
			if (st.first === undefined) st.first = t;
			st.sent.push(t);
			st.inFl++;
			st.calls++;
			const sentAt = t;
			const arr = t + 50 + Math.random() * 100;
			push(arr, (ta) => {
				while (win.length && win[0] <= ta - 1000) win.shift();
				const ok = win.length < LIMIT;
				let reset = 0;
				if (ok) win.push(ta);
				else {
					rej++;
					reset = Math.max(1, Math.ceil((win[0] + 1000 - ta) / 1000));
				}
				push(ta + 25 + Math.random() * 50, (tb) => {
					st.inFl--;
					st.answers.push(tb);
					if (ok) {
						st.done++;
						st.end = tb;
					} else {
						st.thr.push(tb);
						const a = st.answers.filter((x) => x > tb - 1000).length,
							th = st.thr.filter((x) => x > tb - 1000).length;
						if (sentAt > st.cutAt && th >= tol) {
							const current = rateOf(st, tb);
							const w = Math.min(1000, Math.max(200, tb - st.first));
							const sending = (st.sent.filter((x) => x > tb - w).length * 1000) / w;
							const share = 1 - th / Math.max(a, th);
							st.floor = Math.max(0.5, Math.min(current, sending * Math.min(share, beta)));
							st.plateau = Math.max(
								st.floor,
								Math.min(current, sending * (pf && share >= beta ? Math.max(share, pf) : share)),
							);
							st.cutAt = tb;
						}
						st.retry.push(tb + reset * 1000 + Math.random() * 100);
					}
					trySend(st, tb);
				});
			});
		}
	}
	for (const st of cs) push(st.start, (t) => trySend(st, t));
	let g = 0;
	while (ev.length && g++ < 5e6) {
		let mi = 0;
		for (let i = 1; i < ev.length; i++) if (ev[i].t < ev[mi].t) mi = i;
		const e = ev.splice(mi, 1)[0];
		e.fn(e.t);
	}
	const end = Math.max(...cs.map((s) => s.end));
	const total = cs.reduce((a, s) => a + s.done, 0),
		calls = cs.reduce((a, s) => a + s.calls, 0);
	return { share: ((total * 50) / (end / 1000) / 2500) * 100, pct: (rej / calls) * 100 };
}
/** Evenly spaced sends at a fixed rate (no adaptation): the share of arrivals the limiter refuses. */
function fixedRate(r, n = 20000) {
	const arr = [];
	for (let i = 0; i < n; i++) arr.push((i * 1000) / r + 50 + Math.random() * 100);
	arr.sort((x, y) => x - y);
	const win = [];
	let rej = 0;
	for (const t of arr) {
		while (win.length && win[0] <= t - 1000) win.shift();
		if (win.length < LIMIT) win.push(t);
		else rej++;
	}
	return (rej / n) * 100;
}
const a = JSON.parse(process.argv[2] || '{}');
let sh = 0,
	pc = 0;
const R = a.reps || 4;
if (a.fixed) {
	for (const r of a.fixed)
		console.log(`fixed ${r} calls/s: ${fixedRate(r).toFixed(2)} % answered 429`);
	process.exit(0);
}
for (let i = 0; i < R; i++) {
	const r = run(a);
	sh += r.share;
	pc += r.pct;
}
console.log(JSON.stringify(a), 'share', (sh / R).toFixed(1), '429', (pc / R).toFixed(2) + '%');
