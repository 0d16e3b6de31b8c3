// The futcc section: code quality and compile speed of the built-in C compiler.
//  - futcc_vs_gcc_instructions: instructions one round of the CPU benchmark (bench.c) retires
//    when built by futcc -O2, divided by the same for riscv64-unknown-elf-gcc -O2 (per-round
//    cost from runs of 1 and 2 rounds, so start-up is excluded). null, with the reason in
//    futcc_vs_gcc_note, when futcc cannot build it yet, its output differs, or GCC is missing.
//  - compile_lines_per_s: source lines of the corpus (tests/fixtures/cc/corpus) compiled per
//    second by the whole driver (preprocess, compile, assemble) at -O2.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUser } from '../core/cli/usermode';
import { buildProgram, compileUnit } from '../core/toolchain/driver/index';
import { buildBench } from './build';
import type { BenchContext, BenchSection, Figure, SectionResult } from './section';
import { findTool, RV_GCC } from './tools';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const CORPUS_DIR = fileURLToPath(new URL('../tests/fixtures/cc/corpus/', import.meta.url));

function fsProvider(dir: string): { read(path: string): string | undefined } {
  return {
    read(path: string): string | undefined {
      try {
        return readFileSync(join(dir, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

interface Round {
  instructions: number;
  stdout: string;
}

function runRounds(elf: Uint8Array, rounds: number): Round {
  const r = runUser(elf, { argv: ['bench', String(rounds)], maxInstructions: 2_000_000_000 });
  if (r.outcome.kind !== 'exit' || r.outcome.status !== 0)
    throw new Error(`benchmark run failed: ${JSON.stringify(r.outcome)}`);
  return { instructions: r.instructions, stdout: r.stdout };
}

/** Per-round instructions and the 2-round output. */
function perRound(elf: Uint8Array): { perRound: number; stdout: string } {
  const one = runRounds(elf, 1);
  const two = runRounds(elf, 2);
  return { perRound: two.instructions - one.instructions, stdout: two.stdout };
}

function instructionRatio(ctx: BenchContext): {
  ratio: number | null;
  note: string;
  rows: Array<[string, string]>;
} {
  const gcc = findTool(RV_GCC);
  if (!gcc) return { ratio: null, note: `${RV_GCC} is not installed`, rows: [] };
  ctx.progress('futcc: building bench.c with futcc -O2');
  const ours = buildProgram({
    sources: ['start.S', 'bench.c'],
    provider: fsProvider(BENCH_DIR),
    optLevel: 2,
  });
  if (!ours.ok || !ours.elf) {
    const first = ours.diagnostics.find((d) => d.severity === 'error');
    const why = first ? `${first.file}:${first.line}: ${first.message}` : 'link failed';
    return { ratio: null, note: `futcc cannot build bench.c yet: ${why}`, rows: [] };
  }
  const ref = perRound(new Uint8Array(readFileSync(buildBench(gcc))));
  let mine: { perRound: number; stdout: string };
  try {
    mine = perRound(ours.elf);
  } catch (e) {
    return {
      ratio: null,
      note: `futcc's bench.c fails: ${e instanceof Error ? e.message : String(e)}`,
      rows: [],
    };
  }
  // GCC contracts a*b+c into fmadd (-ffp-contract=fast) and futcc does not, so the float
  // checksum may differ in its last bits; the instruction counts are still comparable.
  const same = mine.stdout === ref.stdout;
  const ratio = mine.perRound / ref.perRound;
  return {
    ratio,
    note: same ? '' : "checksums differ from GCC's (GCC fuses multiply-adds)",
    rows: [
      ['bench.c round, futcc -O2', `${mine.perRound.toLocaleString('en-US')} instructions`],
      ['bench.c round, gcc -O2', `${ref.perRound.toLocaleString('en-US')} instructions`],
    ],
  };
}

function compileSpeed(ctx: BenchContext): { linesPerS: number; lines: number; seconds: number } {
  const all = readdirSync(CORPUS_DIR)
    .filter((f) => /^\d{3}-[\w-]+\.c$/.test(f))
    .sort();
  const programs = ctx.options.quick ? all.slice(0, 10) : all;
  ctx.progress(`futcc: compiling ${programs.length} corpus programs`);
  const provider = fsProvider(CORPUS_DIR);
  let lines = 0;
  const t0 = performance.now();
  for (const p of programs) {
    lines += (provider.read(p) ?? '').split('\n').length - 1;
    compileUnit({ path: p, provider, optLevel: 2 });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { linesPerS: lines / seconds, lines, seconds };
}

export const futccSection: BenchSection = {
  name: 'futcc',
  run(ctx: BenchContext): Promise<SectionResult> {
    const r = instructionRatio(ctx);
    const c = compileSpeed(ctx);
    const figures: Record<string, Figure> = {
      futcc_vs_gcc_instructions: r.ratio,
      futcc_vs_gcc_note: r.note === '' ? null : r.note,
      compile_lines_per_s: Math.round(c.linesPerS),
    };
    const rows: Array<[string, string]> = [
      [
        'futcc/gcc instructions',
        r.ratio === null ? `n/a (${r.note})` : `${r.ratio.toFixed(3)}${r.note ? ` (${r.note})` : ''}`,
      ],
      ...r.rows,
      ['compile speed', `${Math.round(c.linesPerS)} lines/s (${c.lines} lines in ${c.seconds.toFixed(1)} s)`],
    ];
    return Promise.resolve({ figures, rows });
  },
};
