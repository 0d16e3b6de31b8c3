// Image → kernel: the fixture userland, built by futcc (and by GCC where installed), booted with
// /sbin/init as pid 1 and driven through the console by a script, a line at a time.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootImage, type Booted } from '../../core/host/boot/boot';
import { runConsole, type ConsoleRunOptions, type ConsoleRunResult } from '../../core/host/boot/console-run';
import { WorkspaceBuild } from '../../core/host/build/workspace-build';
import { buildUserland } from '../../core/toolchain/build/graph';
import { futccToolchain } from '../../core/toolchain/build/futcc';
import { MemoryCache } from '../../core/toolchain/build/memory-cache';
import type { Image } from '../../core/toolchain/build/types';
import { oracleIt, RV_GCC } from '../support/oracle';
import { MemFiles, MINI } from './support';

const SCRIPT = 'echo hi there\ncat /etc/motd\nhello\nnope\nexit 3\n';
const TRANSCRIPT =
  'init: starting /bin/fsh\n' +
  'fsh$ echo hi there\nhi there\n' +
  'fsh$ cat /etc/motd\nWelcome to the mini userland.\n' +
  'fsh$ hello\nhello from the fixture\n' +
  'fsh$ nope\nfsh: nope: command not found\n' +
  'fsh$ exit 3\n';

interface Session {
  out: string;
  log: string[];
  booted: Booted;
  result: ConsoleRunResult;
}

async function session(
  image: Image,
  script: string | null,
  opts: Partial<ConsoleRunOptions> = {},
  init?: string,
): Promise<Session> {
  const chunks: Uint8Array[] = [];
  const log: string[] = [];
  const booted = bootImage(image, {
    init,
    kernel: { onOutput: (b) => chunks.push(b.slice()), onLog: (l) => log.push(l) },
  });
  if (typeof booted === 'string') throw new Error(booted);
  const result = await runConsole(
    booted,
    {
      input: (data, end) => {
        if (script === null) return;
        data(new TextEncoder().encode(script));
        end();
      },
    },
    { lineAtATime: true, stopOnExitOf: 'fsh', ...opts },
  );
  return { out: Buffer.concat(chunks).toString(), log, booted, result };
}

describe('boot (futcc-built fixture userland)', () => {
  let image: Image;

  beforeAll(async () => {
    const r = await buildUserland({
      files: MemFiles.fromDir(MINI),
      cache: new MemoryCache(),
      toolchains: () => futccToolchain({ id: 'futcc-boot-test' }),
    });
    expect(r.diagnostics).toEqual([]);
    image = r.image!;
  });

  it('boots /sbin/init, which starts the shell; a script runs line by line; the shell’s exit ends the run', async () => {
    const s = await session(image, SCRIPT);
    expect(s.out.startsWith(TRANSCRIPT)).toBe(true);
    expect(s.result.end).toMatchObject({ kind: 'task-exited', name: 'fsh', status: 3 << 8 });
    // The forked child that failed to exec ("nope", exit 127) did not count as the shell exiting.
    expect([...s.booted.kernel.exits.values()]).toContain(127 << 8);
    expect(s.result.syscalls).toBeGreaterThan(20);
    expect(s.booted.kernel.vfs.readFile('/etc/motd')).toBeInstanceOf(Uint8Array);
    // init's 16x16 marker at the top left of the framebuffer, nothing beyond it.
    const px = s.booted.board.fb.pixels;
    expect([px[0], px[15 * 800 + 15], px[16], px[16 * 800]]).toEqual([0xffff8040, 0xffff8040, 0, 0]);
  });

  it('is deterministic: the same image and script give the same bytes and instruction count', async () => {
    const a = await session(image, SCRIPT);
    const b = await session(image, SCRIPT);
    expect(b.out).toBe(a.out);
    expect(b.result.instret).toBe(a.result.instret);
  });

  it('end of input: the shell reads EOF and exits 0', async () => {
    const s = await session(image, 'echo one\n');
    expect(s.out).toBe(
      'init: starting /bin/fsh\nfsh$ echo one\none\nfsh$ ' + s.out.slice(s.out.lastIndexOf('fsh$ ') + 5),
    );
    expect(s.result.end).toMatchObject({ kind: 'task-exited', status: 0 });
  });

  it('without a watched shell, init’s own exit ends the run', async () => {
    const s = await session(image, 'exit 4\n', { stopOnExitOf: undefined });
    expect(s.out).toContain('init: fsh exited with status 4\n');
    expect(s.result.end).toEqual({ kind: 'init-exited', status: 0 });
  });

  it('another first program can be chosen', async () => {
    const s = await session(image, null, {}, '/bin/hello');
    expect(s.out).toBe('hello from the fixture\n');
    expect(s.result.end).toEqual({ kind: 'init-exited', status: 0 });
  });

  it('stops at the instruction limit, and on a deadlock once input has ended', async () => {
    const limited = await session(image, null, { maxInstructions: 500 });
    expect(limited.result.end).toEqual({ kind: 'limit' });
    expect(limited.result.instret).toBeGreaterThanOrEqual(500);
    // `hang` blocks on a pipe nobody writes; the shell waits for it; input is over: nothing can move.
    const s = await session(image, 'hang\n');
    expect(s.result.end).toEqual({ kind: 'deadlock' });
    expect(s.out).toBe('init: starting /bin/fsh\nfsh$ hang\n');
  });

  it('reports an image it cannot boot', () => {
    expect(bootImage({ dirs: [], files: [] })).toMatch(/cannot start \/sbin\/init/);
    const data = new Uint8Array(1);
    const clash = bootImage({
      dirs: [],
      files: [
        { path: '/etc', data, mode: 0o644 },
        { path: '/etc/x', data, mode: 0o644 },
      ],
    });
    expect(clash).toMatch(/cannot create \/etc\/x in the RamFS/);
  });
});

describe('GCC toolchain', () => {
  oracleIt(
    'builds the fixture userland (same link rules, libgcc as runtime) and it boots to the same transcript',
    [RV_GCC],
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'futura-gcc-ws-'));
      cpSync(MINI, dir, { recursive: true });
      const ws = new WorkspaceBuild(dir, { cacheDir: null });
      const r = await ws.build({ toolchain: 'gcc' });
      expect(r.diagnostics).toEqual([]);
      expect(r.stats).toMatchObject({ compiled: 7, linked: 4 });
      const s = await session(r.image!, SCRIPT);
      expect(s.out.startsWith(TRANSCRIPT)).toBe(true);
      expect(s.result.end).toMatchObject({ kind: 'task-exited', status: 3 << 8 });
      expect(s.booted.board.fb.pixels[5 * 800 + 5]).toBe(0xffff8040);

      // An edit: one GCC compile, one relink; its errors parsed to workspace-relative positions.
      const again = await ws.build({ toolchain: 'gcc' });
      expect(again.stats).toMatchObject({ compiled: 0, linked: 0 });
      writeFileSync(
        join(dir, 'hello/hello.c'),
        '#include "mini.h"\nint main(void) {\n  return undeclared_y;\n}\n',
      );
      const bad = await ws.build({ toolchain: 'gcc' });
      expect(bad.ok).toBe(false);
      expect(bad.stats.compiled).toBe(1);
      expect(bad.diagnostics[0]).toMatchObject({
        file: 'hello/hello.c',
        line: 3,
        col: 10,
        severity: 'error',
      });
      expect(bad.diagnostics[0]!.message).toMatch(/undeclared_y/);
      writeFileSync(join(dir, 'lib/include/mini.h'), '#error header broken\n');
      const hdr = await ws.build({ toolchain: 'gcc' });
      expect(hdr.diagnostics.find((d) => d.file === 'lib/include/mini.h')).toMatchObject({
        line: 1,
        severity: 'error',
      });
    },
  );

  oracleIt('a manifest can ask for gcc; a missing GCC is a diagnostic, not a crash', [RV_GCC], async () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-gcc-ws-'));
    cpSync(MINI, dir, { recursive: true });
    const manifest = join(dir, 'futura.json');
    const text = (await import('node:fs')).readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.replace('"version": 1,', '"version": 1, "toolchain": "gcc",'));
    const ws = new WorkspaceBuild(dir, { cacheDir: null });
    expect(typeof ws.toolchain('gcc')).toBe('object');
    const r = await ws.build();
    expect(r.ok).toBe(true);
    const none = new WorkspaceBuild(dir, { cacheDir: null, gccPath: '/nonexistent/riscv64-unknown-elf-gcc' });
    const r2 = await none.build();
    expect(r2.ok).toBe(false);
    // Placed on the manifest's toolchain field (line 2 of the fixture).
    expect(r2.diagnostics[0]).toMatchObject({ file: 'futura.json', line: 2, severity: 'error' });
    expect(r2.diagnostics[0]!.message).toMatch(/toolchain 'gcc'/);
  });
});
