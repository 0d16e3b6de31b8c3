// libfutcc-rt against libgcc: the same checking program (tests/fixtures/cc/rt/rt-check.c) is
// linked once with GCC's libgcc and once with our runtime archive in front of it; both print
// every result in hex and must print the same bytes. Ours also runs on our own machine.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUser } from '../../core/cli/usermode';
import { isArchive, readArchive } from '../../core/toolchain/ar/archive';
import { RUNTIME_SOURCES, runtimeArchive } from '../../core/toolchain/rt/index';
import { buildWithGcc, FIXTURES } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';

const CHECK = join(FIXTURES, 'cc', 'rt', 'rt-check.c');
const COUNT = process.env.FUTURA_FULL === '1' ? 20000 : 2000;
const FLAGS = ['-O2', `-DN=${COUNT}`, '-fno-tree-loop-distribute-patterns'];

function archiveFile(): string {
  const bytes = runtimeArchive();
  const dir = join(tmpdir(), 'futura-test-rt');
  mkdirSync(dir, { recursive: true });
  const p = join(dir, `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}-libfutcc-rt.a`);
  if (!existsSync(p)) writeFileSync(p, bytes);
  return p;
}

function qemu(elf: string): { out: string; code: number | null } {
  const r = spawnSync(QEMU_USER, [elf], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  return { out: r.stdout, code: r.status };
}

describe('libfutcc-rt', () => {
  it('is an archive with one member per function, each defining its libgcc name', () => {
    const a = readArchive(runtimeArchive());
    expect(isArchive(runtimeArchive())).toBe(true);
    expect(a.members.map((m) => m.name).sort()).toEqual(
      Object.keys(RUNTIME_SOURCES)
        .map((n) => `${n}.o`)
        .sort(),
    );
    for (const sym of [
      '__divdi3',
      '__udivdi3',
      '__moddi3',
      '__umoddi3',
      '__ashldi3',
      '__lshrdi3',
      '__ashrdi3',
    ]) {
      expect(a.symbols.has(sym), sym).toBe(true);
    }
    for (const sym of [
      '__muldi3',
      '__cmpdi2',
      '__ucmpdi2',
      '__fixdfdi',
      '__fixunsdfdi',
      '__floatdidf',
      '__floatundidf',
    ])
      expect(a.symbols.has(sym), sym).toBe(true);
    for (const sym of [
      '__fixsfdi',
      '__fixunssfdi',
      '__floatdisf',
      '__floatundisf',
      'memcpy',
      'memset',
      'memmove',
      'memcmp',
    ])
      expect(a.symbols.has(sym), sym).toBe(true);
    // Distinct members: pulling __udivdi3 must not drag __divdi3 (so user definitions win).
    expect(a.symbols.get('__udivdi3')).not.toBe(a.symbols.get('__divdi3'));
    expect(runtimeArchive()).toBe(runtimeArchive());
  });

  oracleIt(
    `matches libgcc on ${COUNT} random argument sets per function (and memcpy & co. on overlapping ranges)`,
    [RV_GCC, QEMU_USER],
    () => {
      const ref = qemu(buildWithGcc([CHECK], { runtime: false, flags: [...FLAGS, '-DREF'] }));
      const oursElf = buildWithGcc([CHECK, archiveFile()], { runtime: false, flags: FLAGS });
      const ours = qemu(oursElf);
      expect(ref.code).toBe(0);
      expect(ref.out.endsWith('done\n')).toBe(true);
      const refLines = ref.out.split('\n');
      const ourLines = ours.out.split('\n');
      const firstDiff = refLines.findIndex((l, i) => l !== ourLines[i]);
      expect(
        firstDiff === -1 ? null : { line: firstDiff, ref: refLines[firstDiff], ours: ourLines[firstDiff] },
      ).toBe(null);
      expect(ours.code).toBe(0);
      // Same program on our machine: the emulator's FPU and the runtime agree with qemu too.
      const mine = runUser(new Uint8Array(readFileSync(oursElf)));
      expect(mine.outcome).toEqual({ kind: 'exit', status: 0 });
      expect(mine.stdout).toBe(ref.out);
    },
    120_000,
  );
});
