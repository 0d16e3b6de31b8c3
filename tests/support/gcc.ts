// Builds test programs with Debian's RISC-V GCC (the oracle toolchain), cached by content hash
// so repeated runs and parallel test files do not rebuild the same program.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RV_GCC } from './oracle';

export const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));
export const RT_DIR = join(FIXTURES, 'rt');
/** The test runtime: crt0 (argc/argv from the stack) + syscalls + printf. */
export const RT_SOURCES = [join(RT_DIR, 'crt0.S'), join(RT_DIR, 'rt.c')];

export const RV32_FLAGS = ['-march=rv32imafdc', '-mabi=ilp32d', '-ffreestanding'];

export interface GccOptions {
  /** Extra flags (e.g. -O2, -DFOO). */
  flags?: string[];
  /** Link with the test runtime (crt0 + rt.c) and -nostdlib at 0x400000. Default true. */
  runtime?: boolean;
  /** Bare-metal link at 0x8000_0000 instead of a user program at 0x0040_0000. */
  bare?: boolean;
}

const cacheDir = join(tmpdir(), 'futura-test-gcc-cache');

/** Compiles and links `sources` (paths, or {name, text} for inline C/assembly); returns the ELF path. */
export function buildWithGcc(
  sources: Array<string | { name: string; text: string }>,
  opts: GccOptions = {},
): string {
  mkdirSync(cacheDir, { recursive: true });
  const runtime = opts.runtime ?? true;
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const src of sources) {
    if (typeof src === 'string') {
      hash.update(src).update(readFileSync(src));
      files.push(src);
    } else {
      hash.update(src.name).update(src.text);
      const h = createHash('sha256').update(src.text).digest('hex').slice(0, 16);
      const p = join(cacheDir, `${h}-${basename(src.name)}`);
      if (!existsSync(p)) writeFileSync(p, src.text);
      files.push(p);
    }
  }
  if (runtime) for (const r of [...RT_SOURCES, join(RT_DIR, 'rt.h')]) hash.update(readFileSync(r));
  const flags = [...RV32_FLAGS, ...(opts.flags ?? ['-O2'])];
  const link = opts.bare
    ? ['-nostdlib', '-static', '-Wl,-Ttext=0x80000000', '-Wl,--no-relax']
    : ['-nostdlib', '-static', '-Wl,-Ttext-segment=0x400000'];
  hash.update(JSON.stringify([flags, link, runtime]));
  const out = join(cacheDir, `${hash.digest('hex').slice(0, 24)}.elf`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  const args = [
    ...flags,
    ...link,
    `-I${RT_DIR}`,
    '-o',
    tmp,
    ...(runtime ? RT_SOURCES : []),
    ...files,
    '-lgcc',
  ];
  execFileSync(RV_GCC, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  renameSync(tmp, out);
  return out;
}
