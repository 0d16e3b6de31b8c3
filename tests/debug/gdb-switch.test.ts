// The Debug panel's GDB stub switch (renderer/src/debug/gdb-switch.ts): asks machine.gdb with the
// chosen port, follows gdb.status events, reports a refused switch, and tells its subscribers.
import { describe, expect, it } from 'vitest';
import type { GdbStubStatus } from '../../core/protocol/gdb';
import { GdbSwitch } from '../../renderer/src/debug/gdb-switch';

describe('GDB stub switch', () => {
  it('switches on the chosen port, follows status events, switches off', async () => {
    const asked: unknown[] = [];
    const sw = new GdbSwitch((method, params) => {
      asked.push({ method, params });
      const p = params as { enabled: boolean; port: number };
      const status: GdbStubStatus = p.enabled
        ? { enabled: true, port: p.port, connected: false, message: `waiting for gdb on 127.0.0.1:${p.port}` }
        : { enabled: false, port: null, connected: false, message: 'off' };
      return Promise.resolve(status);
    });
    let notified = 0;
    sw.subscribe(() => notified++);
    expect(sw.get().port).toBe(3333);
    sw.setPort(4444);
    sw.setPort(70000); // out of range: ignored
    await sw.setEnabled(true);
    expect(asked).toEqual([{ method: 'machine.gdb', params: { enabled: true, port: 4444 } }]);
    expect(sw.get().status.message).toBe('waiting for gdb on 127.0.0.1:4444');
    sw.onStatus({ enabled: true, port: 4444, connected: true, message: 'gdb connected from 127.0.0.1:5000' });
    expect(sw.get().status.connected).toBe(true);
    await sw.setEnabled(false);
    expect(sw.get().status.enabled).toBe(false);
    expect(notified).toBeGreaterThanOrEqual(5);
  });

  it('reports a switch the session refused', async () => {
    const sw = new GdbSwitch(() => Promise.resolve(null));
    await sw.setEnabled(true);
    expect(sw.get().error).toBe('cannot listen on port 3333');
    expect(sw.get().status.enabled).toBe(false);
    expect(sw.get().busy).toBe(false);
  });
});
