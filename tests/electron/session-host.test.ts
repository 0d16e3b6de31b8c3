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
});
