// Builds bench/bench.c (and the kernel section's guests) with the RISC-V GCC (-O2,
// rv32imafdc/ilp32d), cached by content hash in the system temp directory so repeated runs skip
// the compiler.
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
  return buildProgram(gcc, 'bench', SOURCES);
}

/**
 * Builds `sources` with BENCH_FLAGS (plus `extraFlags`) against link.ld, cached under `tag` and
 * a hash of the flags and every input (`inputs` adds headers the sources include).
 */
export function buildProgram(
  gcc: string,
  tag: string,
  sources: readonly string[],
  extraFlags: readonly string[] = [],
  inputs: readonly string[] = [],
): string {
  const flags = [...BENCH_FLAGS, ...extraFlags];
  const hash = createHash('sha256').update(JSON.stringify(flags));
  for (const f of [...sources, ...inputs, LINK_SCRIPT]) hash.update(f).update(readFileSync(f));
  const dir = join(tmpdir(), 'futura-bench');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${tag}-${hash.digest('hex').slice(0, 20)}.elf`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(gcc, [...flags, '-T', LINK_SCRIPT, '-o', tmp, ...sources, '-lgcc'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
    throw new Error(`${RV_GCC} failed to build ${tag}:\n${stderr}`);
  }
  renameSync(tmp, out);
  return out;
}
