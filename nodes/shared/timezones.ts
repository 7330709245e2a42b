/**
 * The IANA time zones a Timezone parameter lists (both nodes): the runtime's own list (Intl, Node 20+), UTC
 * added (Intl lists only geographic names), sorted. A zone missing from an older runtime's list can still be
 * given by an expression.
 */
let cached: string[] | undefined;

function timeZoneNames(): string[] {
	if (cached) return cached;
	const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
	let names: string[] = [];
	try {
		names = supported ? supported('timeZone') : [];
	} catch {
		names = [];
	}
	if (names.length === 0)
		names = ['Asia/Hong_Kong', 'Asia/Shanghai', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London'];
	cached = [...new Set([...names, 'UTC'])].sort();
	return cached;
}

/** The zones as options of an n8n `options` parameter (name = value = the zone). */
export function timeZoneOptions(): Array<{ name: string; value: string }> {
	return timeZoneNames().map((zone) => ({ name: zone, value: zone }));
}
