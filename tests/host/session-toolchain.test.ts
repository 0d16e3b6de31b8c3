// The IDE's toolchain choice through the protocol: which toolchains this machine offers, and
// build.setToolchain writing the manifest's `toolchain` field so the next build uses it.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { manifestToolchain, withToolchain } from '../../core/host/session/toolchains';
import { WorkspaceBuilder } from '../../core/host/session/workspace-builder';
import type { BuildOutcome, ToolchainsResult } from '../../core/protocol/messages';
import { oracleIt, RV_GCC } from '../support/oracle';
import { DirectClient } from './session-support';

const MINI = fileURLToPath(new URL('../fixtures/build/mini', import.meta.url));

const sessions: Session[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
});

function miniSession(env?: NodeJS.ProcessEnv): { c: DirectClient; dir: string; dataDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'futura-mini-tc-'));
  cpSync(MINI, dir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'futura-data-'));
  const s = new Session({
    dataDir,
    builder: new WorkspaceBuilder({ cacheDir: null }),
    ...(env ? { toolchainEnv: env } : {}),
  });
  sessions.push(s);
  return { c: new DirectClient(s), dir, dataDir };
}

describe('the manifest edit', () => {
  it('replaces the toolchain value in place and leaves every other byte alone', () => {
    const text = '{\n  "version": 1,\n  "toolchain":   "futcc" ,\n  "name": "x"\n}\n';
    const out = withToolchain(text, 'gcc');
    expect(out).toBe('{\n  "version": 1,\n  "toolchain":   "gcc" ,\n  "name": "x"\n}\n');
    expect(withToolchain(out, 'futcc')).toBe(text);
  });

  it('adds the field before the first one, with its indentation', () => {
    const text = '{\n    "version": 1,\n    "name": "x",\n    "programs": [{ "toolchain": "no" }]\n}\n';
    const out = withToolchain(text, 'gcc');
    expect(out).toBe(
      '{\n    "toolchain": "gcc",\n    "version": 1,\n    "name": "x",\n    "programs": [{ "toolchain": "no" }]\n}\n',
    );
    expect(manifestToolchain(out)).toBe('gcc');
    expect(JSON.parse(withToolchain('{}', 'gcc'))).toEqual({ toolchain: 'gcc' });
  });

  it('rewrites a toolchain that is no string, and refuses a manifest that is no JSON', () => {
    expect(JSON.parse(withToolchain('{"toolchain": 3, "name": "x"}', 'gcc'))).toEqual({
      toolchain: 'gcc',
      name: 'x',
    });
    expect(() => withToolchain('{"name": "x",, }', 'gcc')).toThrow(/futura\.json:1:\d+/);
    expect(() => withToolchain('[1]', 'gcc')).toThrow(/not a JSON object/);
  });
});

describe('build.toolchains / build.setToolchain', () => {
  it('offers GCC only when one is on PATH, and refuses to choose a missing one', async () => {
    const { c, dir } = miniSession({ PATH: '' });
    await c.call('workspace.open', { path: dir });
    const r = (await c.call('build.toolchains', {})) as ToolchainsResult;
    expect(r.current).toBe('futcc');
    expect(r.toolchains).toEqual([
      expect.objectContaining({ name: 'futcc', available: true, label: 'futcc (built-in)' }),
      expect.objectContaining({ name: 'gcc', available: false, reason: expect.stringMatching(/on PATH/) }),
    ]);
    const before = readFileSync(join(dir, 'futura.json'), 'utf8');
    await expect(c.call('build.setToolchain', { toolchain: 'gcc' })).rejects.toThrow(/^not-found: .*on PATH/);
    expect(readFileSync(join(dir, 'futura.json'), 'utf8')).toBe(before);
    // Validated like every request.
    expect(
      await c.raw({ id: 9, method: 'build.setToolchain', params: { toolchain: 'clang' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad-params' },
    });
    // futcc is always there: choosing it records it.
    await c.call('build.setToolchain', { toolchain: 'futcc' });
    expect(manifestToolchain(readFileSync(join(dir, 'futura.json'), 'utf8'))).toBe('futcc');
    expect(c.events).toContainEqual({ event: 'workspace.changed', paths: ['futura.json'] });
  });

  it('never edits the bundled sample itself', async () => {
    const { c } = miniSession();
    await c.call('workspace.open', {
      path: fileURLToPath(new URL('../../sample-userland', import.meta.url)),
    });
    await expect(c.call('build.setToolchain', { toolchain: 'futcc' })).rejects.toThrow(/^forbidden/);
  });

  oracleIt(
    'switches the next build to the PATH GCC and back to futcc',
    [RV_GCC],
    async () => {
      const { c, dir } = miniSession();
      await c.call('workspace.open', { path: dir });
      const offered = (await c.call('build.toolchains', {})) as ToolchainsResult;
      const gcc = offered.toolchains.find((t) => t.name === 'gcc')!;
      expect(gcc).toMatchObject({ available: true, version: expect.stringMatching(/^\d+(\.\d+)*$/) });
      expect(gcc.label).toMatch(/^riscv(64|32)-unknown-elf-gcc \d+/);

      // hello.c refuses futcc: which compiler ran shows in whether the build passes.
      const hello = readFileSync(join(dir, 'hello/hello.c'), 'utf8');
      await c.call('file.save', {
        path: 'hello/hello.c',
        content: `#ifdef __futcc__\n#error "compiled by futcc"\n#endif\n${hello}`,
      });
      const byFutcc = (await c.call('build.run', {})) as BuildOutcome;
      expect(byFutcc.ok).toBe(false);
      expect(byFutcc.diagnostics).toContainEqual(
        expect.objectContaining({
          file: 'hello/hello.c',
          line: 2,
          message: expect.stringMatching(/compiled by futcc/),
        }),
      );

      const before = readFileSync(join(dir, 'futura.json'), 'utf8');
      const set = (await c.call('build.setToolchain', { toolchain: 'gcc' })) as ToolchainsResult;
      expect(set.current).toBe('gcc');
      expect((await c.call('build.toolchains', {})) as ToolchainsResult).toMatchObject({ current: 'gcc' });
      const after = readFileSync(join(dir, 'futura.json'), 'utf8');
      expect(JSON.parse(after)).toEqual({ ...JSON.parse(before), toolchain: 'gcc' });
      const byGcc = (await c.call('build.run', {})) as BuildOutcome;
      expect(byGcc.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(byGcc.ok).toBe(true);

      await c.call('build.setToolchain', { toolchain: 'futcc' });
      expect(manifestToolchain(readFileSync(join(dir, 'futura.json'), 'utf8'))).toBe('futcc');
      const again = (await c.call('build.run', {})) as BuildOutcome;
      expect(again.ok).toBe(false);
      expect(again.diagnostics.some((d) => /compiled by futcc/.test(d.message))).toBe(true);
    },
    120_000,
  );
});
