// A/B comparison of hart engine settings on the CPU benchmark, for tuning the translator on a
// shared, noisy machine: every variant runs the same program in this one process, in alternating
// slices, so load swings hit all of them alike, and each is also timed on this thread's own CPU
// time (Linux /proc), which time spent descheduled does not count.
//
//   npx tsx bench/cpu-ab.ts ROUNDS SPEC...     SPEC = interp | jit[:cap[:hot]]
//
// Not part of `futura bench` (whose figures are wall-clock, against qemu).
import { readFileSync } from 'node:fs';
import { UserProcess } from '../core/cli/usermode';
import { Exit } from '../core/machine/hart';
import { createJit } from '../core/machine/jit/engine';
import { buildBench } from './build';
import { findTool, RV_GCC } from './tools';

const SLICE = 10_000_000;
const SYS_EXIT = 93;
const SYS_EXIT_GROUP = 94;

/** CPU time of this thread in seconds (1/100 s ticks), or NaN where /proc is not available. */
function threadSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

interface Variant {
  spec: string;
  proc: UserProcess;
  wall: number;
  cpu: number;
  done: boolean;
}

function variant(bytes: Uint8Array, rounds: number, spec: string): Variant {
  const [kind, cap, hot] = spec.split(':');
  if (kind !== 'interp' && kind !== 'jit') throw new Error(`unknown engine '${spec}'`);
  const proc = new UserProcess(bytes, {
    argv: ['bench', String(rounds)],
    onStdout: () => {},
    board: { engine: kind },
  });
  const h = proc.board.hart;
  if (kind === 'jit' && (cap || hot))
    h.setEngine(createJit(h, hot ? Number(hot) : undefined, cap ? Number(cap) : undefined));
  return { spec, proc, wall: 0, cpu: 0, done: false };
}

/** Runs one slice; the benchmark only calls write and exit, and writes go nowhere here. */
function step(v: Variant): void {
  const h = v.proc.board.hart;
  const t0 = performance.now();
  const c0 = threadSeconds();
  const exit = h.run(SLICE);
  v.cpu += threadSeconds() - c0;
  v.wall += (performance.now() - t0) / 1000;
  if (exit === Exit.Budget) return;
  if (exit !== Exit.Ecall) throw new Error(`${v.spec}: the benchmark stopped with exit ${exit}`);
  const nr = h.x[17];
  if (nr === SYS_EXIT || nr === SYS_EXIT_GROUP) {
    v.done = true;
    return;
  }
  h.x[10] = h.x[12]!;
  h.pc = (h.pc + 4) >>> 0;
}

const gcc = findTool(RV_GCC);
if (gcc === null) throw new Error(`${RV_GCC} is not installed`);
const bytes = new Uint8Array(readFileSync(buildBench(gcc)));
const rounds = Number(process.argv[2] ?? 100);
const variants = process.argv.slice(3).map((spec) => variant(bytes, rounds, spec));
while (variants.some((v) => !v.done)) for (const v of variants) if (!v.done) step(v);
const first = variants[0]!;
for (const v of variants) {
  const n = v.proc.board.hart.instret;
  console.log(
    `${v.spec.padEnd(14)} wall ${(n / v.wall / 1e6).toFixed(1)} MIPS (x${(first.wall / v.wall).toFixed(3)})` +
      `  thread CPU ${(n / v.cpu / 1e6).toFixed(1)} MIPS (x${(first.cpu / v.cpu).toFixed(3)})`,
  );
}
