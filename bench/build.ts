// Builds bench/bench.c with the RISC-V GCC (-O2, rv32imafdc/ilp32d), cached by content hash in
// the system temp directory so repeated runs skip the compiler.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RV_GCC } from './tools';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const SOURCES = ['start.S', 'bench.c'].map((f) => join(DIR, f));
const LINK_SCRIPT = join(DIR, 'link.ld');
export const BENCH_FLAGS = [
  '-O2',
  '-march=rv32imafdc',
  '-mabi=ilp32d',
  '-ffreestanding',
  '-nostdlib',
  '-static',
];

/** Path of the built benchmark ELF. Throws with the compiler's message when the build fails. */
export function buildBench(gcc: string): string {
  const hash = createHash('sha256').update(JSON.stringify(BENCH_FLAGS));
  for (const f of [...SOURCES, LINK_SCRIPT]) hash.update(readFileSync(f));
  const dir = join(tmpdir(), 'futura-bench');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `bench-${hash.digest('hex').slice(0, 20)}.elf`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(gcc, [...BENCH_FLAGS, '-T', LINK_SCRIPT, '-o', tmp, ...SOURCES, '-lgcc'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
    throw new Error(`${RV_GCC} failed to build the benchmark:\n${stderr}`);
  }
  renameSync(tmp, out);
  return out;
}
