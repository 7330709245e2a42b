import { startEmulator } from './emulator';
import { runNode } from './harness';
test('smoke', async () => {
	const emu = await startEmulator({});
	try {
		const items = [
			{ emp: 'emp0001', time: '2026-11-20 08:55:00' },
			{ emp: 'emp9999', time: '2026-11-20 08:56:00' },
			{ emp: 'emp0002', time: 'garbage' },
			{ emp: 'emp0001', time: '2026-11-20T00:55:00Z' },
		];
		const parameters = { resource: 'punchFlow', operation: 'import', employeeId: '={{ $json.emp }}', checkTime: '={{ $json.time }}' };
		let r = await runNode({ emulatorUrl: emu.url, parameters, items, continueOnFail: true });
		console.log(r.error, JSON.stringify(r.items, null, 1), emu.counters().requests);
		r = await runNode({ emulatorUrl: emu.url, parameters, items, continueOnFail: true });
		console.log(r.error, JSON.stringify(r.items.map(i=>i.json)), emu.counters().requests);
		r = await runNode({ emulatorUrl: emu.url, parameters, items, continueOnFail: false });
		console.log(r.error?.message, (r.error as any)?.context, r.items.length);
	} finally {
		await emu.close();
	}
});
