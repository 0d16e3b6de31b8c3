// The build toolbar's toolchain picker against a real Session over the fake transport: what it
// offers, what choosing writes, and what it shows when GCC is not on PATH.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { WorkspaceBuilder } from '../../core/host/session/workspace-builder';
import { SessionClient } from '../../renderer/src/client/session-client';
import { Studio } from '../../renderer/src/state/studio';
import { toolchainOptions } from '../../renderer/src/state/toolchain-picker';
import { oracleIt, RV_GCC } from '../support/oracle';
import { ScriptedTransport, SessionTransport } from './fake-transport';

const MINI = fileURLToPath(new URL('../fixtures/build/mini', import.meta.url));
const dirs: string[] = [];
const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function studioOn(env?: NodeJS.ProcessEnv): Promise<{ studio: Studio; ws: string }> {
  const base = mkdtempSync(join(tmpdir(), 'futura-picker-'));
  dirs.push(base);
  const ws = join(base, 'ws');
  cpSync(MINI, ws, { recursive: true });
  const session = new Session({
    dataDir: join(base, 'data'),
    builder: new WorkspaceBuilder({ cacheDir: null }),
    ...(env ? { toolchainEnv: env } : {}),
  });
  sessions.push(session);
  session.openWorkspace(ws);
  const studio = new Studio(new SessionClient(new SessionTransport(session)));
  await studio.start();
  return { studio, ws };
}

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the toolchain picker', () => {
  it('shows futcc chosen and GCC greyed out, with the reason as its tooltip, when GCC is not on PATH', async () => {
    const { studio, ws } = await studioOn({ PATH: '' });
    const st = studio.toolchain.get();
    expect(st.current).toBe('futcc');
    const options = toolchainOptions(st);
    expect(options.map((o) => [o.value, o.label, o.disabled])).toEqual([
      ['futcc', 'futcc (built-in)', false],
      ['gcc', 'GCC (not found)', true],
    ]);
    expect(options[1]!.title).toMatch(/riscv64-unknown-elf-gcc.*on PATH/);
    // Choosing it anyway (a stale list) leaves the manifest alone and says why.
    const before = readFileSync(join(ws, 'futura.json'), 'utf8');
    await studio.toolchain.choose('gcc');
    expect(studio.toolchain.get()).toMatchObject({ current: 'futcc', busy: false, error: /on PATH/ });
    expect(readFileSync(join(ws, 'futura.json'), 'utf8')).toBe(before);
  });

  it('follows a manifest edited outside the picker', async () => {
    const { studio, ws } = await studioOn({ PATH: '' });
    const text = readFileSync(join(ws, 'futura.json'), 'utf8');
    writeFileSync(
      join(ws, 'futura.json'),
      text.replace('"version": 1,', '"version": 1, "toolchain": "gcc",'),
    );
    await until(() => studio.toolchain.get().current === 'gcc');
  });

  it('asks nothing of a session that cannot build, and shows no picker', async () => {
    const t = new ScriptedTransport();
    const studio = new Studio(new SessionClient(t));
    const loading = studio.toolchain.load();
    const req = t.sent.find((r) => r.method === 'build.toolchains')!;
    t.deliver({ id: req.id, ok: false, error: { code: 'unknown-method', message: 'no builder' } });
    await loading;
    expect(studio.toolchain.get().current).toBeNull();
    expect(toolchainOptions(studio.toolchain.get())).toEqual([]);
  });

  oracleIt(
    'offers the PATH GCC with its version, and choosing it writes the manifest the next build reads',
    [RV_GCC],
    async () => {
      const { studio, ws } = await studioOn();
      const gcc = toolchainOptions(studio.toolchain.get()).find((o) => o.value === 'gcc')!;
      expect(gcc.disabled).toBe(false);
      expect(gcc.label).toMatch(/^riscv(64|32)-unknown-elf-gcc \d+(\.\d+)*$/);
      await studio.toolchain.choose('gcc');
      expect(studio.toolchain.get()).toMatchObject({ current: 'gcc', error: null, busy: false });
      expect(JSON.parse(readFileSync(join(ws, 'futura.json'), 'utf8'))).toMatchObject({ toolchain: 'gcc' });
      await studio.toolchain.choose('futcc');
      expect(studio.toolchain.get().current).toBe('futcc');
      expect(JSON.parse(readFileSync(join(ws, 'futura.json'), 'utf8'))).toMatchObject({ toolchain: 'futcc' });
    },
    60_000,
  );
});
