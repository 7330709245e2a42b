/**
 * Feishu / Lark Open Platform emulator for tests and demos (never published).
 *
 *   const emu = await startEmulator({ rateLimitPerSecond: 5 });
 *   // point the client at emu.url, app id 'cli_emulator', secret 'emulator-secret'
 *   await emu.close();
 *
 * The same controls are available over HTTP under /__admin/ (see server.ts).
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { EmulatorState } from './context';
import { seedFlows } from './handlers/flows';
import { createRequestListener } from './server';
import type { Emulator, EmulatorOptions } from './types';

export type {
	ApprovalKind,
	Counters,
	EmployeeIdType,
	Emulator,
	EmulatorOptions,
	Fault,
	StoredApproval,
	StoredFlow,
} from './types';
export { DEFAULT_OPTIONS } from './context';
export { GROUP_ID, SHIFT_ID } from './handlers/tasks';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const state = new EmulatorState(options);
	const server = createServer(createRequestListener(state));
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.close((err) => (err ? reject(err) : resolve()));
				server.closeAllConnections();
			}),
		reset: (options) => state.reset(options),
		configure: (patch) => state.configure(patch),
		injectFault: (fault) => state.faults.add(fault),
		clearFaults: () => state.faults.clear(),
		expireTokens: () => state.tokens.expireAll(),
		counters: () => state.counters.snapshot(),
		traffic: () => state.limiter.timeline(),
		flows: () => state.store.flows().map((f) => ({ ...f, photo_urls: [...f.photo_urls] })),
		approvals: () => state.store.approvals().map((a) => ({ ...a, item: { ...a.item } })),
		tokens: () => state.tokens.snapshot(),
		seedFlows: (records, employeeType) => seedFlows(state, records, employeeType),
	};
}
