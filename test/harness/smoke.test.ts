import { startEmulator } from '../emulator';
import { runProbe, createStore, calls, flowQuery } from './index';
test('smoke', async () => {
  const emu = await startEmulator({});
  try {
    const store = createStore();
    let r = await runProbe({ emulatorUrl: emu.url, store, phases: [calls(3, flowQuery())] });
    console.log(r.error, r.items.map(i=>i.json), emu.counters().requests);
    emu.injectFault({ kind: 'dropBefore', times: 1 });
    r = await runProbe({ emulatorUrl: emu.url, store, phases: [[flowQuery()]], clientOptions: { backoffBaseMs: 1 } });
    console.log('DROP', r.error, r.attempts, r.statistics);
  } finally { await emu.close(); }
});
