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
afterAll(async () => {
  await new Promise(r => setImmediate(r));
  const hs = (process as any)._getActiveHandles();
  console.log('HANDLES', hs.map((h: any) => [h.constructor?.name, h.address?.(), h.remoteAddress, h.remotePort, h.localPort, h.fd, h._handle?.constructor?.name, h._type, h.readable, Object.keys(h._events ?? {})]));
  await new Promise(r => setTimeout(r, 500)); console.log('RES', (process as any).getActiveResourcesInfo());
  console.log('REQS', (process as any)._getActiveRequests().map((h: any) => h.constructor?.name));
});
