import { startEmulator } from './emulator';
import { runNode } from './harness';
test('handles', async () => {
	const emu = await startEmulator({});
	await runNode({ emulatorUrl: emu.url, parameters: { resource: 'punchFlow', operation: 'get', recordId: '1' }, items: [{}], continueOnFail: true });
	await emu.close();
	await new Promise((r) => setTimeout(r, 200));
	const hs = (process as any)._getActiveHandles();
	for (const h of hs) console.log(h.constructor?.name, h._idleTimeout ?? '', h._onTimeout?.toString().slice(0, 300) ?? '', h.remoteAddress ?? '', h.localPort ?? '');
});
