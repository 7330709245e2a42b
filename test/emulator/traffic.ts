/**
 * Traffic concerns that sit in front of the handlers: rate limiting, injected faults, counters.
 */
import type { Counters, Fault } from './types';

/** When an endpoint's admitted requests arrived: the first, the last, and how many. */
export interface EndpointTimeline {
	first: number;
	last: number;
	admitted: number;
	rejected: number;
	/** admitted arrivals in each whole second since the first arrival */
	perSecond: number[];
	/** rejected (429) arrivals in each whole second since the first arrival */
	rejectedPerSecond: number[];
}

/**
 * Per-endpoint sliding 1-second window over ARRIVAL times (after the network's arrival delay). By default a
 * rejected request does not occupy a slot; with `countRejected` it does (UNCONFIRMED, see
 * docs/ASSUMPTIONS.md#rate-limit-window).
 */
export class RateLimiter {
	private readonly windows = new Map<string, number[]>();

	private readonly timelines = new Map<string, EndpointTimeline>();

	/** Returns undefined when admitted, else the whole seconds until a slot frees (>= 1). */
	admit(
		endpoint: string,
		limit: number,
		now = Date.now(),
		countRejected = false,
	): number | undefined {
		const line = this.timelineOf(endpoint, now);
		if (limit <= 0) {
			this.count(line, now);
			return undefined;
		}
		const window = (this.windows.get(endpoint) ?? []).filter((t) => t > now - 1000);
		this.windows.set(endpoint, window);
		if (window.length < limit) {
			window.push(now);
			this.count(line, now);
			return undefined;
		}
		line.rejected++;
		countIn(line.rejectedPerSecond, line, now);
		const reset = Math.max(1, Math.ceil((window[window.length - limit] + 1000 - now) / 1000));
		if (countRejected) window.push(now);
		return reset;
	}

	/** Per endpoint: first and last admitted arrival (ms since epoch) and the counts. */
	timeline(): Record<string, EndpointTimeline> {
		return Object.fromEntries(
			[...this.timelines].map(([k, v]) => [
				k,
				{ ...v, perSecond: [...v.perSecond], rejectedPerSecond: [...v.rejectedPerSecond] },
			]),
		);
	}

	private count(line: EndpointTimeline, now: number): void {
		line.admitted++;
		line.last = now;
		countIn(line.perSecond, line, now);
	}

	reset(): void {
		this.windows.clear();
		this.timelines.clear();
	}

	private timelineOf(endpoint: string, now: number): EndpointTimeline {
		let line = this.timelines.get(endpoint);
		if (!line) {
			line = {
				first: now,
				last: now,
				admitted: 0,
				rejected: 0,
				perSecond: [],
				rejectedPerSecond: [],
			};
			this.timelines.set(endpoint, line);
		}
		return line;
	}
}

/** Adds one to the count of the whole second (since the endpoint's first arrival) that `now` falls in. */
function countIn(perSecond: number[], line: EndpointTimeline, now: number): void {
	const second = Math.floor((now - line.first) / 1000);
	while (perSecond.length <= second) perSecond.push(0);
	perSecond[second]++;
}

/**
 * Per-key sliding window of `windowMs` for limits besides the per-second one (contact batch_get_id: 1000 per
 * minute). Rejected requests do not occupy a slot.
 */
export class WindowLimiter {
	private readonly windows = new Map<string, number[]>();

	constructor(private readonly windowMs: number) {}

	/** Returns undefined when admitted, else the whole seconds until a slot frees (>= 1). */
	admit(key: string, limit: number, now = Date.now()): number | undefined {
		if (limit <= 0) return undefined;
		const window = (this.windows.get(key) ?? []).filter((t) => t > now - this.windowMs);
		this.windows.set(key, window);
		if (window.length < limit) {
			window.push(now);
			return undefined;
		}
		return Math.max(1, Math.ceil((window[window.length - limit] + this.windowMs - now) / 1000));
	}

	reset(): void {
		this.windows.clear();
	}
}

export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

interface ArmedFault {
	fault: Fault;
	remaining: number;
}

/** What the faults matching one request ask for. */
export interface FaultPlan {
	/** sum of matching 'latency' faults */
	extraLatencyMs: number;
	/** the first matching non-latency fault */
	action?: Fault;
}

export class FaultQueue {
	private armed: ArmedFault[] = [];

	add(fault: Fault): void {
		const kinds: Fault['kind'][] = [
			'http500',
			'dropBefore',
			'dropAfter',
			'http500After',
			'latency',
			'code',
		];
		if (!kinds.includes(fault.kind)) throw new Error(`unknown fault kind '${String(fault.kind)}'`);
		this.armed.push({ fault: { ...fault }, remaining: fault.times ?? 1 });
	}

	clear(): void {
		this.armed = [];
	}

	/**
	 * Consumes the faults that match this request path: every matching latency fault (they add up) and
	 * the first matching fault of another kind. Without `endpoint` a fault matches any API endpoint except
	 * the token endpoint.
	 */
	take(path: string): FaultPlan {
		const plan: FaultPlan = { extraLatencyMs: 0 };
		for (const entry of this.armed) {
			const { fault } = entry;
			const endpoint = fault.endpoint;
			const matches = endpoint
				? endpoint.endsWith('$')
					? path.endsWith(endpoint.slice(0, -1))
					: path.includes(endpoint)
				: path !== TOKEN_PATH;
			if (!matches || entry.remaining <= 0) continue;
			if (fault.kind === 'latency') {
				plan.extraLatencyMs += fault.latencyMs ?? 0;
			} else if (!plan.action) {
				plan.action = fault;
			} else {
				continue;
			}
			entry.remaining -= 1;
		}
		this.armed = this.armed.filter((e) => e.remaining > 0);
		return plan;
	}
}

const emptyCounters = (): Counters => ({
	requests: {},
	status: {},
	rateLimited: 0,
	tokenExchanges: 0,
	tokenRejections: 0,
	peakConcurrency: 0,
	peakConcurrencyByEndpoint: {},
	dropped: 0,
});

const bump = (map: Record<string, number>, key: string, by = 1) => {
	map[key] = (map[key] ?? 0) + by;
};

export class CounterSet {
	private data = emptyCounters();
	private inFlight = 0;
	private readonly inFlightByEndpoint = new Map<string, number>();

	request(endpoint: string): void {
		bump(this.data.requests, endpoint);
	}

	status(code: number): void {
		bump(this.data.status, String(code));
		if (code === 429) this.data.rateLimited += 1;
	}

	tokenExchange(): void {
		this.data.tokenExchanges += 1;
	}

	tokenRejection(): void {
		this.data.tokenRejections += 1;
	}

	dropped(): void {
		this.data.dropped += 1;
	}

	/** Marks a request as in flight; call the returned function exactly once when it is answered or dropped. */
	enter(endpoint: string): () => void {
		this.inFlight += 1;
		const mine = (this.inFlightByEndpoint.get(endpoint) ?? 0) + 1;
		this.inFlightByEndpoint.set(endpoint, mine);
		this.data.peakConcurrency = Math.max(this.data.peakConcurrency, this.inFlight);
		this.data.peakConcurrencyByEndpoint[endpoint] = Math.max(
			this.data.peakConcurrencyByEndpoint[endpoint] ?? 0,
			mine,
		);
		let left = false;
		return () => {
			if (left) return;
			left = true;
			this.inFlight -= 1;
			this.inFlightByEndpoint.set(endpoint, (this.inFlightByEndpoint.get(endpoint) ?? 1) - 1);
		};
	}

	snapshot(): Counters {
		return JSON.parse(JSON.stringify(this.data)) as Counters;
	}

	/** Requests still in flight keep their slot; only the recorded numbers start over. */
	reset(): void {
		this.data = emptyCounters();
	}
}
