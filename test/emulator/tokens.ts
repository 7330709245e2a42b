/**
 * tenant_access_token issuing and checking.
 *
 * Re-issue rule (Feishu's doc of tenant_access_token/internal): if the app's current token still has >= min(1800 s, ttl/4) left,
 * the SAME token is returned with its remaining lifetime; otherwise a new token is issued and the old one
 * stays valid until its own expiry.
 */
import { randomBytes } from 'crypto';

interface TokenRecord {
	token: string;
	appId: string;
	expiresAt: number; // ms
}

export class TokenManager {
	private readonly byToken = new Map<string, TokenRecord>();
	private readonly currentByApp = new Map<string, TokenRecord>();
	private issuedOrder: string[] = [];

	constructor(private readonly ttlSeconds: () => number) {}

	/** Returns the token to hand out and its remaining lifetime in whole seconds. */
	exchange(appId: string, now = Date.now()): { token: string; expire: number } {
		const ttlMs = this.ttlSeconds() * 1000;
		const reuseThresholdMs = Math.min(1800 * 1000, ttlMs / 4);
		let record = this.currentByApp.get(appId);
		if (!record || record.expiresAt - now < reuseThresholdMs) {
			record = { token: `t-${randomBytes(16).toString('hex')}`, appId, expiresAt: now + ttlMs };
			this.byToken.set(record.token, record);
			this.currentByApp.set(appId, record);
			this.issuedOrder.push(record.token);
		}
		return {
			token: record.token,
			expire: Math.max(0, Math.floor((record.expiresAt - now) / 1000)),
		};
	}

	isValid(token: string, now = Date.now()): boolean {
		const record = this.byToken.get(token);
		return record !== undefined && record.expiresAt > now;
	}

	/** Every issued token becomes invalid now; the next exchange issues a fresh one. */
	expireAll(now = Date.now()): void {
		for (const record of this.byToken.values()) record.expiresAt = Math.min(record.expiresAt, now);
	}

	snapshot(now = Date.now()): { issued: string[]; valid: string[] } {
		return {
			issued: [...this.issuedOrder],
			valid: this.issuedOrder.filter((t) => this.isValid(t, now)),
		};
	}

	reset(): void {
		this.byToken.clear();
		this.currentByApp.clear();
		this.issuedOrder = [];
	}
}
