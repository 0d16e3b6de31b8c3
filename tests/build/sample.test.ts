// The bundled sample userland (sample-userland/futura.json) through the build graph: built with
// GCC (oracle) and with futcc, booted from its image to the fsh prompt, a command run and the
// shell left. The cache is a shared temporary folder, so reruns only pay for what changed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bootImage } from '../../core/host/boot/boot';
import { runConsole } from '../../core/host/boot/console-run';
import { WorkspaceBuild } from '../../core/host/build/workspace-build';
import { BUNDLED_SAMPLE } from '../../core/host/paths';
import type { ToolchainName } from '../../core/toolchain/build/manifest';
import { oracleIt, RV_GCC } from '../support/oracle';
import { expectedScene } from '../userland/scene';

const ready = existsSync(join(BUNDLED_SAMPLE, 'futura.json'));
// The CLI's cache is FUTURA_CACHE_DIR/build-v1: the same folder, so the CLI runs below reuse
// the objects the futcc build above made.
const cacheRoot = join(tmpdir(), 'futura-test-build-cache');
const cacheDir = join(cacheRoot, 'build-v1');
const BIN = fileURLToPath(new URL('../../bin/futura.mjs', import.meta.url));

function futura(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    timeout: 240_000,
    env: { ...process.env, FUTURA_CACHE_DIR: cacheRoot },
  });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** The RGB pixels of an 8-bit RGB PNG written by --fb-dump (filter 0 on every row). */
function pngPixels(png: Buffer): { width: number; height: number; rgb: (x: number, y: number) => number } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off);
    if (png.toString('latin1', off + 4, off + 8) === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const row = 1 + width * 3;
  for (let y = 0; y < height; y++) expect(raw[y * row]).toBe(0);
  return { width, height, rgb: (x, y) => raw.readUIntBE(y * row + 1 + x * 3, 3) };
}

async function bootToPrompt(toolchain: ToolchainName): Promise<void> {
  const ws = new WorkspaceBuild(BUNDLED_SAMPLE, { cacheDir });
  const r = await ws.build({ toolchain });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.image!.files.map((f) => f.path)).toEqual(
    expect.arrayContaining(['/sbin/init', '/bin/fsh', '/etc/init.conf']),
  );
  const out: Uint8Array[] = [];
  const booted = bootImage(r.image!, { kernel: { onOutput: (b) => out.push(b.slice()) } });
  if (typeof booted === 'string') throw new Error(booted);
  const end = await runConsole(
    booted,
    {
      input: (data, done) => {
        data(new TextEncoder().encode('echo sample-ok\nexit\n'));
        done();
      },
    },
    { lineAtATime: true, stopOnExitOf: 'fsh', maxInstructions: 2_000_000_000 },
  );
  const text = Buffer.concat(out).toString();
  expect(text).toMatch(/fsh:\/\$ echo sample-ok\nsample-ok\nfsh:\/\$ exit\n/);
  expect(end.end).toMatchObject({ kind: 'task-exited', name: 'fsh', status: 0 });
}

describe('sample userland', () => {
  if (!ready) {
    it.skip('sample-userland/futura.json is not written yet [skipped: sample not ready]', () => {});
    return;
  }
  oracleIt('builds with GCC and boots to the fsh prompt', [RV_GCC], () => bootToPrompt('gcc'), 300_000);
  it('builds with futcc and boots to the fsh prompt', () => bootToPrompt('futcc'), 300_000);

  it('futura build / futura boot --script - with no folder: the bundled sample, console bytes on stdout', () => {
    const b = futura(['build']);
    expect(b.stdout).toBe('');
    expect(b.stderr).toMatch(
      /^futura build: \d+ compiled, \d+ cached, [01] archived, \d+ linked in \d+ ms$/m,
    );
    expect(b.status).toBe(0);
    const r = futura(['boot', '--script', '-'], 'ls /bin\necho hi | cat\nfoo\necho $?\nexit\n');
    expect(r.stdout).toBe(
      [
        "Futura shell. Type 'help' for the builtins.",
        'fsh:/$ ls /bin',
        ...['fbtest', 'forktree', 'fscat', 'fsh', 'fwaydemo', 'hello', 'libtest', 'mmapdemo'],
        ...['pingpong', 'sleepers'],
        'fsh:/$ echo hi | cat',
        'hi',
        'fsh:/$ foo',
        'fsh: foo: command not found',
        'fsh:/$ echo $?',
        '127',
        'fsh:/$ exit',
        'init: session ended, stopping services',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toMatch(/^futura boot: build: 0 compiled, \d+ cached, 0 archived, 0 linked/m); // built above
    expect(r.status).toBe(0);
  }, 300_000);

  it('futura boot --fb-dump: the PNG is the compositor’s frame after fwaydemo; --json-stats on stderr', () => {
    const png = join(mkdtempSync(join(tmpdir(), 'futura-sample-fb-')), 'fb.png');
    const r = futura(['boot', '--script', '-', '--fb-dump', png, '--json-stats'], 'fwaydemo\nexit 4\n');
    expect(r.stdout).toContain('fsh:/$ fwaydemo\nfwaydemo: surfaces 1 and 2 composited\n');
    expect(r.status).toBe(4);
    const stats = JSON.parse(r.stderr.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(stats).toMatchObject({ exitCode: 4, end: 'task-exited' });
    const img = pngPixels(readFileSync(png));
    expect([img.width, img.height]).toEqual([800, 600]);
    const want = expectedScene(800, 600);
    let bad = 0;
    for (let y = 0; y < 600; y++)
      for (let x = 0; x < 800; x++) if (img.rgb(x, y) !== (want[y * 800 + x]! & 0xffffff)) bad++;
    expect(bad).toBe(0);
  }, 300_000);
});
