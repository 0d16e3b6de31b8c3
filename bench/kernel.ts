// The kernel section: GCC-built guests (bench/kernel/*.c on the test runtime) booted from the
// RamFS on the real Futura kernel, each timed on the wall clock from spawn to the last exit.
// Every guest prints the count it completed, and the section checks it against the count asked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Board } from '../core/machine/board';
import { Kernel } from '../core/kernel/boot/kernel';
import { isLoadFailure } from '../core/kernel/loader';
import { snapshot } from '../core/kernel/inspect/snapshot';
import { buildProgram } from './build';
import type { BenchContext, BenchSection, Figure, SectionResult } from './section';
import { findTool, RV_GCC } from './tools';

const GUEST_DIR = fileURLToPath(new URL('./kernel', import.meta.url));
const RT_DIR = fileURLToPath(new URL('../tests/fixtures/rt', import.meta.url));
const RT_SOURCES = [join(RT_DIR, 'crt0.S'), join(RT_DIR, 'rt.c')];
const RT_INPUTS = [join(RT_DIR, 'rt.h'), join(GUEST_DIR, 'guest.h')];
/** Instructions per kernel.run() call; the loop checks the time budget between calls. */
const RUN_CHUNK = 20_000_000;

export interface Workload {
  /** JSON key of the figure. */
  key: string;
  /** Guest source in bench/kernel. */
  source: string;
  /** Label of the table row. */
  label: string;
  quick: number;
  full: number;
}

export const WORKLOADS: readonly Workload[] = [
  { key: 'syscalls_per_s', source: 'syscalls.c', label: 'getpid calls/s', quick: 50_000, full: 4_000_000 },
  {
    key: 'fipc_roundtrips_per_s',
    source: 'fipc.c',
    label: 'FIPC round trips/s (fork, 2 channels)',
    quick: 5_000,
    full: 200_000,
  },
  {
    key: 'fork_exit_wait_per_s',
    source: 'forkwait.c',
    label: 'fork + exit + wait4/s',
    quick: 500,
    full: 120_000,
  },
];

/** Builds bench/kernel/`source` on the test runtime (cached) and returns the ELF. */
export function buildGuest(gcc: string, source: string): Uint8Array {
  const name = source.replace(/\.c$/, '');
  const path = buildProgram(
    gcc,
    `kernel-${name}`,
    [...RT_SOURCES, join(GUEST_DIR, source)],
    [`-I${RT_DIR}`],
    RT_INPUTS,
  );
  return new Uint8Array(readFileSync(path));
}

export interface GuestRun {
  seconds: number;
  instructions: number;
}

/** Boots `elf` as init with argv [name, count], runs the kernel to the last exit, checks the output. */
export function runGuest(ctx: BenchContext, name: string, elf: Uint8Array, count: number): GuestRun {
  const { options } = ctx;
  const board = new Board({ ramSize: 32 << 20, ...(options.engine ? { engine: options.engine } : {}) });
  let out = '';
  const decoder = new TextDecoder();
  const k = new Kernel(board, { onOutput: (b) => (out += decoder.decode(b, { stream: true })) });
  const path = `/bin/${name}`;
  k.vfs.writeFile(path, elf, 0o755);
  const start = performance.now();
  const init = k.spawn(path, [path, String(count)]);
  if (isLoadFailure(init)) throw new Error(`${name}: ${init.message}`);
  for (;;) {
    const outcome = k.run(RUN_CHUNK);
    if (outcome === 'exited') break;
    if (outcome === 'idle') throw new Error(`${name}: every task is blocked (output so far: ${out})`);
    if (performance.now() - start > options.timeBudgetSeconds * 1000)
      throw new Error(`${name}: not done within the ${options.timeBudgetSeconds} s budget`);
  }
  const seconds = (performance.now() - start) / 1000;
  const status = k.exits.get(init.pid);
  const printed = /^count (\d+)$/m.exec(out);
  if (printed === null || Number(printed[1]) !== count)
    throw new Error(`${name}: asked for ${count}, the guest printed ${JSON.stringify(out)}`);
  if (status !== 0)
    throw new Error(`${name}: exit status 0x${(status ?? -1).toString(16)}; log: ${k.log.join('; ')}`);
  return { seconds, instructions: board.hart.instret };
}

/** Tasks in the busy guest, and snapshots timed (quick / full). */
const INSPECT_TASKS = 20;
const INSPECT_SNAPSHOTS = { quick: 200, full: 3000 };
/** Guest instructions between two snapshots (the views sample a running machine). */
const INSPECT_SLICE = 100_000;

/**
 * inspect_us: microseconds per full snapshot (tasks, VMAs with resident pages, fds, queues,
 * channels, counters) of a guest with 20 busy tasks, sampled between slices of guest work.
 */
function inspectFigure(ctx: BenchContext, elf: Uint8Array): { us: number; tasks: number; snapshots: number } {
  const board = new Board({
    ramSize: 32 << 20,
    ...(ctx.options.engine ? { engine: ctx.options.engine } : {}),
  });
  let out = '';
  const k = new Kernel(board, { onOutput: (b) => (out += new TextDecoder().decode(b)), preemptive: true });
  k.vfs.writeFile('/bin/busy', elf, 0o755);
  const init = k.spawn('/bin/busy', ['/bin/busy', String(INSPECT_TASKS)]);
  if (isLoadFailure(init)) throw new Error(`busy: ${init.message}`);
  k.run(20_000_000);
  const lines = out.split('\n').filter((l) => l === `count ${INSPECT_TASKS}`).length;
  if (k.tasks.aliveCount !== INSPECT_TASKS || lines !== INSPECT_TASKS)
    throw new Error(`busy: ${k.tasks.aliveCount} tasks alive, ${lines} started (log: ${k.log.join('; ')})`);
  const n = ctx.options.quick ? INSPECT_SNAPSHOTS.quick : INSPECT_SNAPSHOTS.full;
  let spent = 0;
  let tasks = 0;
  for (let i = 0; i < n; i++) {
    k.run(INSPECT_SLICE);
    const t0 = performance.now();
    const s = snapshot(k);
    spent += performance.now() - t0;
    tasks = s.tasks.length;
  }
  for (const t of k.tasks.all()) k.killTask(t, 9, 'bench done');
  return { us: (spent * 1000) / n, tasks, snapshots: n };
}

function fmtRate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export const kernelSection: BenchSection = {
  name: 'kernel',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const figures: Record<string, Figure> = Object.fromEntries(WORKLOADS.map((w) => [w.key, null]));
    figures['inspect_us'] = null;
    const gcc = findTool(RV_GCC);
    if (gcc === null) {
      ctx.progress(`kernel: ${RV_GCC} is not installed, so the guests cannot be built: section skipped`);
      return { figures, rows: [['kernel guests', `skipped (${RV_GCC} not installed)`]] };
    }
    const rows: Array<[string, string]> = [];
    for (const w of WORKLOADS) {
      const count = ctx.options.quick ? w.quick : w.full;
      const name = w.source.replace(/\.c$/, '');
      ctx.progress(`kernel: building bench/kernel/${w.source}`);
      const elf = buildGuest(gcc, w.source);
      ctx.progress(`kernel: ${name} x ${count.toLocaleString('en-US')} on the kernel`);
      const r = runGuest(ctx, name, elf, count);
      const rate = count / r.seconds;
      figures[w.key] = rate;
      rows.push([
        w.label,
        `${fmtRate(rate)} (${count.toLocaleString('en-US')} in ${r.seconds.toFixed(3)} s, ${(r.instructions / count).toFixed(0)} guest instructions per iteration)`,
      ]);
    }
    ctx.progress('kernel: building bench/kernel/busy.c');
    const busy = buildGuest(gcc, 'busy.c');
    ctx.progress(`kernel: inspect snapshots of ${INSPECT_TASKS} busy tasks`);
    const ins = inspectFigure(ctx, busy);
    figures['inspect_us'] = ins.us;
    rows.push([
      'inspect snapshot (µs, 20 busy tasks)',
      `${ins.us.toFixed(1)} (mean of ${ins.snapshots} snapshots of ${ins.tasks} tasks, ${INSPECT_SLICE.toLocaleString('en-US')} guest instructions apart)`,
    ]);
    return { figures, rows };
  },
};
