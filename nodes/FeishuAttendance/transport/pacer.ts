import { sleep } from 'n8n-workflow';

/** How the send rate adapts to throttling (see Pacer). */
interface PacerTuning {
	/** Share of the measured rate kept after a throttle (AWS SDK adaptive mode: 0.7). */
	beta: number;
	/** Cubic recovery constant, in calls/s per s³ (AWS SDK adaptive mode: 0.4). */
	scale: number;
	/** Lowest rate a lane is cut to, in calls/s. */
	minRate: number;
	/** Added to the rolling second when checking real send times (timer jitter). */
	windowMarginMs: number;
	/**
	 * A 429 proves that another process sends to the same limit when this lane sent fewer calls than this share
	 * of the limit in the second before the refused call: alone, it could not have filled Feishu's second.
	 */
	sharedEvidence: number;
	/**
	 * Or when at least this many of the last second's answers were 429, and at least this share of them: a lone
	 * sender's uneven arrivals cause one now and then, rarely two or three close together.
	 */
	sharedThrottles: number;
	sharedRefusedShare: number;
	/** The shared rate: half the rate less this margin, in calls/s (two senders' calls arrive less evenly). */
	sharedMargin: number;
	/** Below this share of answers admitted, more than two senders share the limit: settle at what was admitted. */
	sharedCrowd: number;
	/** After a shared cut: down to this share of the shared rate, back at it after `sharedRecovery` seconds… */
	sharedBeta: number;
	sharedRecovery: number;
	/**
	 * …then above it along a slow cubic curve: two senders seldom probe into each other, and one takes the whole
	 * rate back within seconds once the other stops.
	 */
	sharedScale: number;
	/**
	 * A lane holds until this share of its own calls in Feishu's full second has left it, plus the margin (arrival
	 * jitter).
	 */
	holdShare: number;
	holdMarginMs: number;
}

/**
 * beta 0.97 (a shallow cut: one 429 among a second's ~47 answers says the rate is a little high, not 10 % too high)
 * and scale 0.15 for a lane that throttles itself; the shared-limit values for two processes (queue-mode workers)
 * sending to one app. All chosen with test/bench/pacing-sim.ts (this Pacer against the emulator's rate limiter on a
 * simulated clock) and checked in real n8n (figures: README, Performance and Queue mode). The default Requests per
 * Second, 48, allows 48 sends per rolling 1.02 s: about 47/s.
 */
export const DEFAULT_TUNING: PacerTuning = {
	beta: 0.97,
	scale: 0.15,
	minRate: 0.5,
	windowMarginMs: 20,
	sharedEvidence: 0.9,
	sharedThrottles: 3,
	sharedRefusedShare: 0.15,
	sharedMargin: 1,
	sharedCrowd: 0.75,
	sharedBeta: 0.9,
	sharedRecovery: 1,
	sharedScale: 0.05,
	holdShare: 0.2,
	holdMarginMs: 100,
};

/**
 * One endpoint's sending state. Shared by every execution in this n8n process that uses the same app and
 * rate (see `sharedLanes`): Feishu counts the app's calls, not an execution's.
 */
interface Lane {
	/**
	 * Calls waiting for a send slot, per execution (first come first served within one); the executions take
	 * turns (the one served last moves to the back).
	 */
	queues: Map<Pacer, Array<(sentAt: number) => void>>;
	pumping: boolean;
	/** earliest time of the next send (evenly spaced sends) */
	next: number;
	/** real send times of the last two seconds (at least the last `cap` sends), ascending */
	sent: number[];
	/** when the lane first sent */
	firstSend?: number;
	/** answer times of the last second's answers, and of those among them that were 429 */
	answers: number[];
	throttles: number[];
	/** admitted rate when last throttled (the cubic curve's plateau), calls/s; undefined = never throttled */
	plateau?: number;
	/** rate right after the last cut (the start of the cubic curve), calls/s */
	floor: number;
	/** when the rate was last cut */
	cutAt: number;
	/** the cubic constant of the curve since the last cut (tuning.scale or tuning.sharedScale) */
	scale: number;
	/** seconds from the cut back to the plateau when set (shared mode), else the cubic's own */
	recovery?: number;
	/** no send before this time: Feishu's second is still full of calls sent before a cut */
	holdUntil: number;
	/** whether the last cut was for a limit shared with another process */
	cutShared: boolean;
}

/** An app's lanes by endpoint. */
type Lanes = Map<string, Lane>;

/** Lanes by app (base URL, App ID) and rate, for the executions of this process (module state, never a secret). */
const SHARED = new Map<string, Lanes>();

/** The lanes of every execution in this process that calls `app` at `ratePerSecond`. */
function sharedLanes(app: string, ratePerSecond: number): Lanes {
	const key = `${app}\n${ratePerSecond}`;
	let lanes = SHARED.get(key);
	if (!lanes) {
		lanes = new Map();
		SHARED.set(key, lanes);
	}
	return lanes;
}

/**
 * Paces one node execution's calls: per endpoint, evenly spaced sends at an adaptive rate that never exceeds
 * `ratePerSecond` (also checked against the real send times of every rolling second), and at most
 * `maxInFlight` calls in flight over all endpoints. Executions in the same n8n process that call the same app
 * (`share`) send through the same lanes: two workflows importing at once take turns at one rate instead of
 * each probing for the limit, and one that ends leaves the whole rate to the other at once. Executions in
 * other processes (queue-mode workers, another n8n) cannot be seen; a 429 tells (see `throttled`).
 *
 * The rate adapts the way the AWS SDKs' adaptive retry mode does (a CUBIC curve): when Feishu answers 429 for a
 * call sent after the last cut, the lane's rate drops to the rate sent over the last second × `beta`, or × the
 * share of the last second's answers that were not 429 when that is lower (what Feishu actually admitted), then
 * recovers along a cubic curve (fast at first, flat near the admitted rate, then probing above it) up to
 * `ratePerSecond`. A network delivers evenly spaced sends unevenly, so the server's rolling second sometimes
 * counts more than was sent in any second; the curve settles just below where that happens.
 *
 * A 429 that this lane could not have caused alone (it sent fewer calls in that second than would fill Feishu's,
 * or many of a second's calls were refused) proves another process sends to the same limit: the lane settles at
 * half the rate at once, whoever started first, holds until Feishu's second has room, comes back to half the rate
 * within a second and probes above it slowly (`DEFAULT_TUNING.shared*`); three or more senders, refused again
 * before they are back, settle lower. Only the throttled call waits for the reset time (the caller does that);
 * the lane keeps sending at the lowered rate. Waiting uses `sleep` from n8n-workflow.
 */
export class Pacer {
	private inFlight = 0;

	private peak = 0;

	/** pumps waiting for a free in-flight place */
	private readonly slotWaiters: Array<() => void> = [];

	private lanes: Lanes = new Map();

	private shared = false;

	private cuts = 0;

	private readonly cap: number;

	constructor(
		private readonly ratePerSecond: number,
		private readonly maxInFlight: number,
		private readonly tuning: PacerTuning = DEFAULT_TUNING,
	) {
		this.cap = Math.max(1, Math.floor(ratePerSecond));
	}

	/** Sends through the lanes of this process's other executions that call `app` (once, before the first call). */
	share(app: string): void {
		if (this.shared || this.ratePerSecond <= 0) return;
		this.shared = true;
		this.lanes = sharedLanes(app, this.ratePerSecond);
	}

	/**
	 * Resolves with the send time when the caller may send; the caller must call `release(endpoint)` once the
	 * call is answered (or failed), `throttled(endpoint, sentAt)` when it was answered 429, and `cancel` when it
	 * was not sent after all. `first`: ahead of every call waiting (a token refresh the others wait for).
	 */
	async acquire(endpoint: string, first = false): Promise<number> {
		if (this.ratePerSecond <= 0) {
			await this.takeSlot();
			return Date.now();
		}
		const lane = this.laneOf(endpoint);
		let mine = lane.queues.get(this);
		if (!mine) {
			mine = [];
			lane.queues.set(this, mine);
		}
		const queue = mine;
		if (first && lane.queues.keys().next().value !== this) {
			// this execution's turn comes first
			const others = [...lane.queues].filter(([pacer]) => pacer !== this);
			lane.queues.clear();
			lane.queues.set(this, queue);
			for (const [pacer, waiting] of others) lane.queues.set(pacer, waiting);
		}
		const granted = new Promise<number>((grant) =>
			first ? queue.unshift(grant) : queue.push(grant),
		);
		if (!lane.pumping) void this.pump(lane);
		return await granted;
	}

	/** The slot granted at `sentAt` was not used: frees its in-flight place and forgets the send. */
	cancel(endpoint: string, sentAt: number): void {
		this.release();
		if (this.ratePerSecond <= 0) return;
		const { sent } = this.laneOf(endpoint);
		const at = sent.lastIndexOf(sentAt);
		if (at >= 0) sent.splice(at, 1);
	}

	/** Frees the call's in-flight place; with the endpoint, also counts its answer (see `answered`). */
	release(endpoint?: string): void {
		this.inFlight--;
		this.slotWaiters.shift()?.();
		if (endpoint !== undefined) this.answered(endpoint);
	}

	/** Counts an answer (any, 429 included) on an endpoint: the 429 share of the last second's answers. */
	answered(endpoint: string, now = Date.now()): void {
		if (this.ratePerSecond <= 0) return;
		const lane = this.laneOf(endpoint);
		lane.answers.push(now);
		trim(lane.answers, now - 1000);
	}

	/**
	 * Feishu answered 429 for a call sent at `sentAt`: cut the lane's rate, unless the call was sent before the
	 * last cut (the cut already answers it). `limit` is Feishu's limit from x-ogw-ratelimit-limit (default: this
	 * pacer's rate). Whether a rejected call occupies a slot of Feishu's window, and whether a longer window
	 * applies, is open (UNCONFIRMED: see docs/ASSUMPTIONS.md#rate-limit-window); the cut works from what was
	 * admitted either way.
	 */
	throttled(endpoint: string, sentAt: number, now = Date.now(), limit?: number): void {
		if (this.ratePerSecond <= 0) return;
		const lane = this.laneOf(endpoint);
		lane.throttles.push(now);
		trim(lane.throttles, now - 1000);
		trim(lane.answers, now - 1000);
		const {
			beta,
			minRate,
			scale,
			sharedEvidence,
			sharedThrottles,
			sharedRefusedShare,
			sharedBeta,
			sharedScale,
			sharedCrowd,
			sharedMargin,
			sharedRecovery,
		} = this.tuning;
		// Calls of this lane that Feishu's second held when it refused this one (sent in the second before it).
		const ownSends = lane.sent.filter((t) => t > sentAt - 1000 && t <= sentAt);
		const own = ownSends.length;
		const feishuLimit = limit && limit > 0 ? limit : this.ratePerSecond;
		// Another process sends to the same limit: this lane alone could not have filled Feishu's second, or more
		// of the last second's calls were refused than a lone sender's uneven arrivals ever cause.
		const answered = Math.max(lane.answers.length, lane.throttles.length);
		const shared =
			own < sharedEvidence * feishuLimit ||
			lane.throttles.length >= Math.max(sharedThrottles, sharedRefusedShare * answered);
		// A call sent before the last cut is answered by that cut, unless it shows sharing the cut did not assume.
		if (sentAt <= lane.cutAt && !(shared && !lane.cutShared)) return;
		// The rate actually sent over the last second times the share of that second's answers that were not
		// 429: what the server admitted (with two executions sharing the limit: this run's share). Both are
		// measured, not the lane's current rate: after a cut a second's answers still hold 429s for calls sent
		// before it, and scaling the already lowered rate by them again would cut far below the share.
		const current = this.rateOf(lane, now);
		const window = Math.min(1000, Math.max(200, now - (lane.firstSend ?? now)));
		const sending = (lane.sent.filter((t) => t > now - window).length * 1000) / window;
		const admittedShare = 1 - lane.throttles.length / answered;
		if (shared) {
			// Settle at half the rate (two imports on two workers, the usual case; more senders bring more 429s and
			// cut further), or lower when Feishu admitted less. Every sender that sees the sharing does the same,
			// whoever started first, so they settle on equal shares at once; the deeper cut and the slower curve
			// keep them from probing into each other often.
			const half = this.ratePerSecond / 2 - sharedMargin;
			// Refused again before the curve got back to the last plateau (three or more senders), or far more refused
			// than admitted: the share is lower than half.
			const crowded =
				admittedShare < sharedCrowd ||
				(lane.cutShared && lane.plateau !== undefined && current < lane.plateau);
			lane.plateau = Math.max(
				minRate,
				crowded ? Math.min(half, current, sending * admittedShare) : half,
			);
			lane.floor = Math.max(minRate, Math.min(current, lane.plateau) * sharedBeta);
			lane.scale = sharedScale;
			lane.recovery = sharedRecovery;
			// Feishu's second stays full until the oldest calls in it leave it (after two starts at full rate, about a
			// second after they started): anything sent before that would be refused too. Timed by this lane's own
			// calls in that second, past the first few (a run's first call may have gone alone, well before the rest).
			if (own > 0) {
				const oldest = ownSends[Math.floor(own * this.tuning.holdShare)];
				lane.holdUntil = Math.max(lane.holdUntil, oldest + 1000 + this.tuning.holdMarginMs);
			}
		} else {
			// Slightly over (a few 429s): cut to beta × the rate sent and climb back to the admitted rate. Far over
			// (many 429s): start at the admitted rate. Never above the current rate.
			lane.floor = Math.max(minRate, Math.min(current, sending * Math.min(admittedShare, beta)));
			lane.plateau = Math.max(lane.floor, Math.min(current, sending * admittedShare));
			lane.scale = scale;
			lane.recovery = undefined;
		}
		lane.cutShared = shared;
		lane.cutAt = now;
		this.cuts++;
	}

	/** The lane's current rate in calls/s. */
	currentRate(endpoint: string, now = Date.now()): number {
		if (this.ratePerSecond <= 0) return Infinity;
		return this.rateOf(this.laneOf(endpoint), now);
	}

	get peakInFlight(): number {
		return this.peak;
	}

	/** How often this execution's 429 answers cut a rate, over all endpoints. */
	get rateCuts(): number {
		return this.cuts;
	}

	/** Cubic recovery after the last cut: the floor at the cut, the plateau after K s, then above it. */
	private rateOf(lane: Lane, now: number): number {
		if (lane.plateau === undefined) return this.ratePerSecond;
		const { minRate } = this.tuning;
		const { scale, plateau, floor } = lane;
		// back at the plateau after k seconds: the cubic's own time, or the shared mode's shorter one
		const k = lane.recovery ?? Math.cbrt(Math.max(0, plateau - floor) / scale);
		const t = (now - lane.cutAt) / 1000;
		const rate =
			t < k ? plateau - (plateau - floor) * ((k - t) / k) ** 3 : plateau + scale * (t - k) ** 3;
		return Math.min(this.ratePerSecond, Math.max(minRate, rate));
	}

	private laneOf(endpoint: string): Lane {
		let lane = this.lanes.get(endpoint);
		if (!lane) {
			lane = {
				queues: new Map(),
				pumping: false,
				next: 0,
				sent: [],
				answers: [],
				throttles: [],
				cutAt: -Infinity,
				floor: 0,
				scale: this.tuning.scale,
				holdUntil: 0,
				cutShared: false,
			};
			this.lanes.set(endpoint, lane);
		}
		return lane;
	}

	private get hasRoom(): boolean {
		return this.inFlight < this.maxInFlight;
	}

	/** Resolves when one of this execution's in-flight places frees. */
	private roomFreed(): Promise<void> {
		return new Promise<void>((resolve) => this.slotWaiters.push(resolve));
	}

	private occupy(): void {
		this.inFlight++;
		this.peak = Math.max(this.peak, this.inFlight);
	}

	private async takeSlot(): Promise<void> {
		while (!this.hasRoom) await this.roomFreed();
		this.occupy();
	}

	/** Earliest send time: the evenly spaced slot, and at most `cap` real sends in any rolling second. */
	private earliest(lane: Lane): number {
		let at = Math.max(lane.next, lane.holdUntil);
		if (lane.sent.length >= this.cap) {
			at = Math.max(at, lane.sent[lane.sent.length - this.cap] + 1000 + this.tuning.windowMarginMs);
		}
		return at;
	}

	/**
	 * Hands out the lane's send slots one at a time; the executions waiting take turns, skipping one with no
	 * in-flight place free. Ends when nobody waits.
	 */
	private async pump(lane: Lane): Promise<void> {
		lane.pumping = true;
		try {
			while (lane.queues.size > 0) {
				const wait = this.earliest(lane) - Date.now();
				if (wait > 0) {
					await sleep(wait);
					continue;
				}
				const pacer = [...lane.queues.keys()].find((p) => p.hasRoom);
				if (!pacer) {
					// every waiting execution is at its in-flight maximum: wait for the first in turn
					await lane.queues.keys().next().value!.roomFreed();
					continue;
				}
				const queue = lane.queues.get(pacer)!;
				const grant = queue.shift()!;
				lane.queues.delete(pacer);
				if (queue.length > 0) lane.queues.set(pacer, queue);
				pacer.occupy();
				const now = Date.now();
				// The next slot follows the schedule, so a timer that fired late (a busy n8n) does not lower the
				// rate; after a stall longer than an interval the schedule restarts from now (no catch-up burst
				// beyond one call; the rolling second bounds it as well).
				const interval = 1000 / this.rateOf(lane, now);
				lane.next =
					lane.firstSend === undefined ? now + interval : Math.max(lane.next + interval, now);
				lane.sent.push(now);
				lane.firstSend ??= now;
				const old = lane.sent.findIndex((t) => t > now - 2000);
				const drop = Math.min(old < 0 ? lane.sent.length : old, lane.sent.length - this.cap);
				if (drop > 0) lane.sent.splice(0, drop);
				grant(now);
			}
		} finally {
			lane.pumping = false;
		}
	}
}

/** Drops the leading (oldest) times not after `since`. */
function trim(times: number[], since: number): void {
	let old = 0;
	while (old < times.length && times[old] <= since) old++;
	if (old > 0) times.splice(0, old);
}
