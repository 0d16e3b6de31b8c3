// The Session with the real builder (core/host/build, futcc) on a small fixture userland: build,
// boot to the shell, run a program, break it, see the diagnostic, fix it, rebuild incrementally.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { WorkspaceBuilder } from '../../core/host/session/workspace-builder';
import type { BuildOutcome } from '../../core/protocol/messages';
import { oracleIt, RV_GCC } from '../support/oracle';
import { DirectClient } from './session-support';

const MINI = fileURLToPath(new URL('../fixtures/build/mini', import.meta.url));

const sessions: Session[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
});

/** A copy of the mini workspace opened in a Session with the real (uncached) workspace builder. */
async function openMini(prefix: string): Promise<{ c: DirectClient }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(MINI, dir, { recursive: true });
  const s = new Session({
    dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')),
    builder: new WorkspaceBuilder({ cacheDir: null }),
  });
  sessions.push(s);
  const c = new DirectClient(s);
  await c.call('workspace.open', { path: dir });
  return { c };
}

describe('Session with the workspace builder', () => {
  it('builds, boots to the shell, reports an error in an edit, and rebuilds only what changed', async () => {
    const { c } = await openMini('futura-mini-');

    const first = (await c.call('build.run', {})) as BuildOutcome;
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(first.ok).toBe(true);
    const progress = c.events.filter((e) => e.event === 'build.progress');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.some((e) => e.event === 'build.progress' && e.file === 'hello/hello.c')).toBe(true);

    await c.call('machine.boot', {});
    await c.waitConsole('fsh$ ');
    let mark = c.events.length;
    await c.call('console.input', { data: 'hello\r' });
    await c.waitConsole('hello from the fixture\r\nfsh$ ', mark);

    // Break hello.c: the build fails with the error located in it, and the last good image stays.
    const good = (await c.call('file.read', { path: 'hello/hello.c' })) as { content: string };
    const broken = good.content.replace('write_str(1, GREETING);', 'write_str(1, GREETING)\n  oops;');
    await c.call('file.save', { path: 'hello/hello.c', content: broken });
    const bad = (await c.call('build.run', {})) as BuildOutcome;
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics).toContainEqual(
      expect.objectContaining({ file: 'hello/hello.c', severity: 'error', line: expect.any(Number) }),
    );

    // Fix it: one object recompiles (the progress names it), the new image boots.
    const fixed = good.content.replace('write_str(1, GREETING);', 'write_str(1, "fixed!");');
    await c.call('file.save', { path: 'hello/hello.c', content: fixed });
    mark = c.events.length;
    const again = (await c.call('build.run', {})) as BuildOutcome;
    expect(again.ok).toBe(true);
    expect(again.stats).toMatchObject({ compiled: 1, linked: 1 });
    expect(again.stats!.reused).toBeGreaterThan(2);
    const rebuilt = c.events
      .slice(mark)
      .filter((e) => e.event === 'build.progress' && e.file?.endsWith('.c'));
    expect(rebuilt.length).toBeGreaterThan(0);
    await c.call('machine.boot', {});
    await c.waitConsole('fsh$ ', mark);
    const typed = c.events.length;
    await c.call('console.input', { data: 'hello\r' });
    await c.waitConsole('fixed!\r\n', typed);
  });
});

describe('Session with the workspace builder and the PATH GCC', () => {
  oracleIt(
    "builds with GCC when the workspace's manifest asks for it: same diagnostics, same link, boots",
    [RV_GCC],
    async () => {
      const { c } = await openMini('futura-mini-gcc-');
      // The choice is the workspace's: its manifest, edited through the protocol like any file.
      const manifest = (await c.call('file.read', { path: 'futura.json' })) as { content: string };
      const gccManifest = manifest.content.replace('"version": 1,', '"version": 1, "toolchain": "gcc",');
      expect(gccManifest).not.toBe(manifest.content);
      await c.call('file.save', { path: 'futura.json', content: gccManifest });

      const good = (await c.call('file.read', { path: 'hello/hello.c' })) as { content: string };
      const broken = good.content.replace('write_str(1, GREETING);', 'write_str(1, undeclared_y);');
      await c.call('file.save', { path: 'hello/hello.c', content: broken });
      const bad = (await c.call('build.run', {})) as BuildOutcome;
      expect(bad.ok).toBe(false);
      // GCC's text parsed into the protocol's structure, at the workspace-relative position.
      const line = broken.split('\n').findIndex((l) => l.includes('undeclared_y')) + 1;
      expect(bad.diagnostics).toContainEqual(
        expect.objectContaining({
          file: 'hello/hello.c',
          line,
          col: broken.split('\n')[line - 1]!.indexOf('undeclared_y') + 1,
          severity: 'error',
          message: expect.stringMatching(/undeclared_y/),
        }),
      );

      const fixed = good.content.replace('write_str(1, GREETING);', 'write_str(1, "from gcc");');
      await c.call('file.save', { path: 'hello/hello.c', content: fixed });
      const ok = (await c.call('build.run', {})) as BuildOutcome;
      expect(ok.ok).toBe(true);
      expect(ok.stats).toMatchObject({ compiled: 1, linked: 1 });
      const mark = c.events.length;
      await c.call('machine.boot', {});
      await c.waitConsole('fsh$ ', mark);
      const typed = c.events.length;
      await c.call('console.input', { data: 'hello\r' });
      await c.waitConsole('from gcc\r\n', typed);
    },
    120_000,
  );
});
