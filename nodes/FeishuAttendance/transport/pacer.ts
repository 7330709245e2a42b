import { sleep } from 'n8n-workflow';

/** Margin added to the rolling second when checking real send times (network and timer jitter). */
const WINDOW_MARGIN_MS = 20;

/**
 * Keeps one node execution's calls within `ratePerSecond` per endpoint (any rolling second holds at most
 * that many sends) and at most `maxInFlight` calls in flight over all endpoints, so that large jobs run
 * close to Feishu's limit instead of into it. Waiting uses `sleep` from n8n-workflow.
 */
export class Pacer {
	private inFlight = 0;

	private peak = 0;

	private readonly waiting: Array<() => void> = [];

	/** Per endpoint: the send times reserved for the last `ratePerSecond` calls (ascending). */
	private readonly reservations = new Map<string, number[]>();

	/** Per endpoint: the real send times of the last `ratePerSecond` calls (ascending). */
	private readonly sent = new Map<string, number[]>();

	constructor(
		private readonly ratePerSecond: number,
		private readonly maxInFlight: number,
	) {}

	/** Resolves when the caller may send; the caller must call `release()` afterwards. */
	async acquire(endpoint: string): Promise<void> {
		while (this.inFlight >= this.maxInFlight) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
		this.inFlight++;
		this.peak = Math.max(this.peak, this.inFlight);
		const wait = this.reserve(endpoint);
		if (wait > 0) await sleep(wait);
		await this.confirm(endpoint);
	}

	release(): void {
		this.inFlight--;
		this.waiting.shift()?.();
	}

	/** Delays the next sends on an endpoint, e.g. after Feishu answered 429 with a reset time. */
	holdOff(endpoint: string, ms: number): void {
		if (this.ratePerSecond <= 0) return;
		const slots = this.slotsOf(endpoint);
		const until = Date.now() + ms - 1000;
		for (let i = 0; i < slots.length; i++) slots[i] = Math.max(slots[i], until);
		while (slots.length < this.ratePerSecond) slots.unshift(until);
	}

	get peakInFlight(): number {
		return this.peak;
	}

	private slotsOf(endpoint: string): number[] {
		let slots = this.reservations.get(endpoint);
		if (!slots) {
			slots = [];
			this.reservations.set(endpoint, slots);
		}
		return slots;
	}

	/**
	 * Timers fire late under load, so reserved times and real send times drift apart. Before each send,
	 * check the real send times of the last rolling second (plus a small margin for the network) and wait
	 * again if the endpoint already used its rate.
	 */
	private async confirm(endpoint: string): Promise<void> {
		if (this.ratePerSecond <= 0) return;
		let sent = this.sent.get(endpoint);
		if (!sent) {
			sent = [];
			this.sent.set(endpoint, sent);
		}
		for (;;) {
			const now = Date.now();
			const free = sent.length >= this.ratePerSecond ? sent[sent.length - this.ratePerSecond] + 1000 + WINDOW_MARGIN_MS : now;
			if (free <= now) break;
			await sleep(free - now);
		}
		sent.push(Date.now());
		if (sent.length > this.ratePerSecond) sent.splice(0, sent.length - this.ratePerSecond);
	}

	/** Reserves the earliest send time that keeps the endpoint within its rate; returns the wait in ms. */
	private reserve(endpoint: string): number {
		const now = Date.now();
		if (this.ratePerSecond <= 0) return 0;
		const slots = this.slotsOf(endpoint);
		let at = now;
		// Evenly spaced sends: a burst of N sends followed by the next burst exactly 1 s later lets a few ms
		// of network / event-loop jitter put more than N arrivals in one of the server's rolling seconds.
		if (slots.length > 0) at = Math.max(at, slots[slots.length - 1] + 1000 / this.ratePerSecond);
		if (slots.length >= this.ratePerSecond) {
			at = Math.max(at, slots[slots.length - this.ratePerSecond] + 1000);
		}
		slots.push(at);
		if (slots.length > this.ratePerSecond) slots.splice(0, slots.length - this.ratePerSecond);
		return at - now;
	}
}
