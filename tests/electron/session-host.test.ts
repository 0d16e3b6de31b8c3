// The bundled session worker, run for real in a worker thread (as Electron's main process does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionHost } from '../../electron/session-host';
import { PROJECT_ROOT } from '../../core/host/paths';

let dir: string;
let host: SessionHost;

beforeAll(async () => {
  // @ts-expect-error: a plain .mjs build script without type declarations
  const { buildElectron } = (await import('../../scripts/build-electron.mjs')) as {
    buildElectron(): Promise<{ outdir: string }>;
  };
  const { outdir } = await buildElectron();
  dir = mkdtempSync(join(tmpdir(), 'futura-host-'));
  host = new SessionHost(join(outdir, 'session-worker.cjs'), {
    dataDir: dir,
    sampleDir: join(PROJECT_ROOT, 'sample-userland'),
  });
});
afterAll(async () => {
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('session worker behind the main process', () => {
  it('answers requests and forwards events', async () => {
    const events: string[] = [];
    host.onEvent((e) => events.push(e.event));
    expect(
      await host.request({ id: 1, method: 'hello', params: { version: 1, client: 'test' } }),
    ).toMatchObject({
      id: 1,
      ok: true,
    });
    expect(await host.request({ id: 2, method: 'workspace.open', params: {} })).toMatchObject({
      ok: true,
      result: { root: join(dir, 'workspace') },
    });
    const list = await host.request({ id: 3, method: 'workspace.list', params: {} });
    expect(list.ok && (list.result as { path: string }[]).map((f) => f.path)).toContain('hello/hello.c');
    await host.request({ id: 4, method: 'file.save', params: { path: 'x.c', content: 'int x;\n' } });
    expect(events).toContain('workspace.changed');
  });

  it('turns bad messages into error replies', async () => {
    expect(await host.request({ id: 5, method: 'no.such', params: {} })).toMatchObject({
      id: 5,
      ok: false,
      error: { code: 'unknown-method' },
    });
  });

  it('tags events with the window they are for, and forgets a window that closed', async () => {
    const got: [string, number][] = [];
    const off = host.onEvent((e, client) => {
      if (e.event === 'workspace.changed') got.push([e.paths[0]!, client]);
    });
    // Two windows (webContents ids 7 and 8) each become a client at their first request.
    await host.request({ id: 1, method: 'hello', params: { version: 1, client: 'w7' } }, 7);
    await host.request({ id: 1, method: 'hello', params: { version: 1, client: 'w8' } }, 8);
    await host.request({ id: 2, method: 'file.save', params: { path: 'a.c', content: '' } }, 7);
    await waitFor(() => got.filter(([p]) => p === 'a.c').length >= 2);
    expect(got.filter(([p]) => p === 'a.c').map(([, c]) => c)).toEqual(expect.arrayContaining([7, 8]));
    host.disconnect(8);
    await host.request({ id: 3, method: 'file.save', params: { path: 'b.c', content: '' } }, 7);
    await waitFor(() => got.some(([p]) => p === 'b.c'));
    await new Promise((r) => setTimeout(r, 100));
    expect(got.filter(([p]) => p === 'b.c').map(([, c]) => c)).not.toContain(8);
    off();
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
