// The CPU section: the GCC-built benchmark (bench.c) on our hart in hosted mode and, in the
// same run, under qemu-riscv32. The binary and its input are identical, so qemu retires the
// same instructions the hart counts; both are timed on the wall clock.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { UserProcess } from '../core/cli/usermode';
import type { BenchContext, BenchSection, Figure, SectionResult } from './section';
import { buildBench } from './build';
import { findTool, QEMU_USER, RV_GCC } from './tools';

/** The full run retires at least this many instructions (about 370 rounds). */
export const TARGET_INSTRUCTIONS = 1_000_000_000;
export const QUICK_ROUNDS = 2;
const SLICE = 10_000_000;

const EMPTY: Record<string, Figure> = {
  mips: null,
  qemu_mips: null,
  ratio: null,
  instructions: null,
  seconds: null,
  qemu_seconds: null,
  rounds: null,
  outputs_match: null,
  complete: null,
};

/** Instructions the benchmark retires for `rounds`, counted on a throwaway hart (interpreter). */
function countInstructions(bytes: Uint8Array, rounds: number): number {
  const p = new UserProcess(bytes, {
    argv: ['bench', String(rounds)],
    onStdout: () => {},
    board: { engine: 'interp', ramSize: 16 * 1024 * 1024 },
  });
  const out = p.run();
  if (out.kind !== 'exit' || out.status !== 0)
    throw new Error(`benchmark probe failed: ${JSON.stringify(out)}`);
  return p.board.hart.instret;
}

/** Setup cost and per-round cost, from runs of 1 and 2 rounds. */
function model(bytes: Uint8Array): { setup: number; perRound: number } {
  const one = countInstructions(bytes, 1);
  const two = countInstructions(bytes, 2);
  return { setup: Math.max(0, 2 * one - two), perRound: two - one };
}

function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

interface QemuTiming {
  seconds: number;
  stdout: string;
}

function timeQemu(qemu: string, elf: string, rounds: number): QemuTiming {
  const t0 = performance.now();
  const r = spawnSync(qemu, [elf, String(rounds)], { encoding: 'utf8', timeout: 300_000 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${QEMU_USER} exited with ${r.status ?? r.signal}: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

export const cpuSection: BenchSection = {
  name: 'cpu',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const { options } = ctx;
    const gcc = findTool(RV_GCC);
    if (gcc === null) {
      ctx.progress(`cpu: ${RV_GCC} is not installed, so the benchmark cannot be built: section skipped`);
      return { figures: { ...EMPTY }, rows: [['cpu benchmark', `skipped (${RV_GCC} not installed)`]] };
    }
    ctx.progress('cpu: building bench/bench.c with -O2');
    const elf = buildBench(gcc);
    const bytes = new Uint8Array(readFileSync(elf));
    let costs: { setup: number; perRound: number } | null = null;
    let rounds = options.rounds ?? QUICK_ROUNDS;
    if (options.rounds === undefined && !options.quick) {
      costs = model(bytes);
      rounds = Math.ceil((TARGET_INSTRUCTIONS * 1.01 - costs.setup) / costs.perRound);
    }

    ctx.progress(`cpu: running ${rounds} rounds on the hart (${options.engine ?? 'default'} engine)`);
    let stdout = '';
    const proc = new UserProcess(bytes, {
      argv: ['bench', String(rounds)],
      onStdout: (b) => (stdout += new TextDecoder().decode(b)),
      ...(options.engine ? { board: { engine: options.engine } } : {}),
    });
    const start = performance.now();
    let lastReport = start;
    const outcome = proc.run(Number.MAX_SAFE_INTEGER, SLICE, (n) => {
      const now = performance.now();
      if (now - lastReport > 2000) {
        lastReport = now;
        ctx.progress(`cpu: hart ${fmtCount(n)} instructions, ${(n / (now - start) / 1000).toFixed(1)} MIPS`);
      }
      return now - start < options.timeBudgetSeconds * 1000;
    });
    const seconds = (performance.now() - start) / 1000;
    const instructions = proc.board.hart.instret;
    const complete = outcome.kind === 'exit';
    if (outcome.kind === 'stopped')
      ctx.progress(
        `cpu: the hart used its ${options.timeBudgetSeconds} s budget after ${fmtCount(instructions)} instructions; figures are from the partial run`,
      );
    else if (outcome.kind !== 'exit' || outcome.status !== 0)
      throw new Error(`the benchmark failed on the hart: ${JSON.stringify(outcome)}`);
    const mips = instructions / seconds / 1e6;

    const figures: Record<string, Figure> = {
      ...EMPTY,
      mips,
      instructions,
      seconds,
      rounds,
      complete,
    };
    const rows: Array<[string, string]> = [
      ['workload', `bench.c x ${rounds} rounds (CRC-32, sieve, 64-bit, FP, memcpy, branches)`],
      ['instructions', `${fmtCount(instructions)}${complete ? '' : ' (cut short by the time budget)'}`],
      [`futura hart (${options.engine ?? 'default'})`, `${mips.toFixed(2)} MIPS in ${seconds.toFixed(2)} s`],
    ];

    const qemu = findTool(QEMU_USER);
    if (qemu === null) {
      ctx.progress(`cpu: ${QEMU_USER} is not installed: no comparison`);
      rows.push([QEMU_USER, 'not installed']);
      return { figures, rows };
    }
    ctx.progress(`cpu: running ${rounds} rounds under ${QEMU_USER}`);
    // Process start-up is not emulation: subtract the best of two empty runs.
    const startup = Math.min(timeQemu(qemu, elf, 0).seconds, timeQemu(qemu, elf, 0).seconds);
    // The machine may be shared: a single run can land in a busy or a quiet moment, so qemu's
    // figure is the median of three runs (the hart's one long run already spans seconds).
    const runs = [0, 1, 2].map(() => timeQemu(qemu, elf, rounds));
    const q = runs.sort((a, b) => a.seconds - b.seconds)[1]!;
    const qemuSeconds = Math.max(q.seconds - startup, 0.001);
    // A partial hart run is compared with qemu's full run through the instruction model.
    costs ??= complete ? null : model(bytes);
    const qemuInstructions = complete ? instructions : costs!.setup + costs!.perRound * rounds;
    const qemuMips = qemuInstructions / qemuSeconds / 1e6;
    figures.qemu_mips = qemuMips;
    figures.qemu_seconds = qemuSeconds;
    figures.ratio = mips / qemuMips;
    figures.outputs_match = complete ? stdout === q.stdout : null;
    if (complete && stdout !== q.stdout)
      ctx.progress(`cpu: WARNING: the hart's output differs from qemu's:\n${stdout}--- qemu:\n${q.stdout}`);
    rows.push([
      QEMU_USER,
      `${qemuMips.toFixed(2)} MIPS in ${qemuSeconds.toFixed(3)} s (median of 3 runs, start-up excluded)`,
    ]);
    rows.push(['ratio', `${(mips / qemuMips).toFixed(4)} (hart / qemu)`]);
    rows.push(['outputs', complete ? (stdout === q.stdout ? 'identical' : 'DIFFERENT') : 'not compared']);
    return { figures, rows };
  },
};
