// A/B comparison of hart engine settings (or of another checkout's hart) on the CPU benchmark, for
// tuning the translator on a shared, noisy machine. Every run is a fresh Node process, as in
// `futura bench` (V8's warm-up of the generated code is a large part of what is measured, and
// variants sharing one process share and disturb that warm-up); runs of the variants alternate,
// so a load swing hits them alike; each run is timed on the wall clock and on its main thread's
// CPU time (Linux /proc), which time spent descheduled does not count. Prints per variant the
// median MIPS and the median over runs of its ratio to the first variant's run of the same turn.
//
//   npx tsx bench/cpu-ab.ts ROUNDS SPEC... [--runs N]
//     SPEC = interp | jit[:cap[:hot]] | tree:DIR (the jit of another checkout's core/, e.g.
//            `git archive COMMIT core | tar -x -C DIR`)
//
// Not part of `futura bench` (whose figures are wall-clock, against qemu).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildBench } from './build';
import { findTool, RV_GCC } from './tools';

const SLICE = 10_000_000;
const SYS_EXIT = 93;
const SYS_EXIT_GROUP = 94;
const EXIT_BUDGET = 'Budget';
const EXIT_ECALL = 'Ecall';

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

interface Result {
  instructions: number;
  wall: number;
  cpu: number;
}

interface HartLike {
  x: Int32Array;
  pc: number;
  instret: number;
  run(budget: number): number;
  setEngine(engine: unknown): void;
}
interface Modules {
  UserProcess: new (
    bytes: Uint8Array,
    o: { argv: string[]; onStdout: (b: Uint8Array) => void; board: { engine: string; ramSize?: number } },
  ) => { board: { hart: HartLike }; run(): unknown };
  Exit: Record<string, number>;
  createJit: (hart: HartLike, hot?: number, cap?: number) => unknown;
}

async function load(root: string): Promise<Modules> {
  const url = (p: string): string => pathToFileURL(join(root, p)).href;
  const usermode = (await import(url('core/cli/usermode.ts'))) as Pick<Modules, 'UserProcess'>;
  const hart = (await import(url('core/machine/hart.ts'))) as Pick<Modules, 'Exit'>;
  const jit = (await import(url('core/machine/jit/engine.ts'))) as Pick<Modules, 'createJit'>;
  return { UserProcess: usermode.UserProcess, Exit: hart.Exit, createJit: jit.createJit };
}

/** One run in this process (the child side); the benchmark only calls write and exit. */
async function child(spec: string, rounds: number, elf: string): Promise<Result> {
  const [kind, a, b] = spec.split(':');
  const tree = kind === 'tree' ? resolve(a!) : fileURLToPath(new URL('..', import.meta.url));
  if (kind !== 'interp' && kind !== 'jit' && kind !== 'tree') throw new Error(`unknown engine '${spec}'`);
  const m = await load(tree);
  const bytes = new Uint8Array(readFileSync(elf));
  const quiet = { onStdout: () => {} };
  // As `futura bench` does before its timed run: the interpreter has run the program already.
  for (const r of [1, 2])
    new m.UserProcess(bytes, { argv: ['bench', String(r)], ...quiet, board: { engine: 'interp' } }).run();
  const engine = kind === 'interp' ? 'interp' : 'jit';
  const proc = new m.UserProcess(bytes, { argv: ['bench', String(rounds)], ...quiet, board: { engine } });
  const h = proc.board.hart;
  if (kind === 'jit' && (a || b))
    h.setEngine(m.createJit(h, b ? Number(b) : undefined, a ? Number(a) : undefined));
  const c0 = threadSeconds();
  const t0 = performance.now();
  for (;;) {
    const exit = h.run(SLICE);
    if (exit === m.Exit[EXIT_BUDGET]) continue;
    if (exit !== m.Exit[EXIT_ECALL]) throw new Error(`${spec}: the benchmark stopped with exit ${exit}`);
    const nr = h.x[17];
    if (nr === SYS_EXIT || nr === SYS_EXIT_GROUP) break;
    h.x[10] = h.x[12]!;
    h.pc = (h.pc + 4) >>> 0;
  }
  return { instructions: h.instret, wall: (performance.now() - t0) / 1000, cpu: threadSeconds() - c0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  process.stdout.write(JSON.stringify(await child(argv[1]!, Number(argv[2]), argv[3]!)));
} else {
  const gcc = findTool(RV_GCC);
  if (gcc === null) throw new Error(`${RV_GCC} is not installed`);
  const elf = buildBench(gcc);
  let runs = 5;
  const specs: string[] = [];
  const rounds = Number(argv.shift() ?? 100);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else specs.push(argv[i]!);
  }
  if (specs.length === 0) specs.push('jit');
  const self = fileURLToPath(import.meta.url);
  const results = specs.map((): Result[] => []);
  for (let r = 0; r < runs; r++) {
    specs.forEach((spec, i) => {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', self, '--child', spec, String(rounds), elf],
        {
          encoding: 'utf8',
        },
      );
      results[i]!.push(JSON.parse(out) as Result);
    });
  }
  const mips = (x: Result, t: 'wall' | 'cpu'): number => x.instructions / x[t] / 1e6;
  specs.forEach((spec, i) => {
    const rs = results[i]!;
    const ratio = (t: 'wall' | 'cpu'): string =>
      median(rs.map((x, k) => mips(x, t) / mips(results[0]![k]!, t))).toFixed(3);
    console.log(
      `${spec.padEnd(16)} wall ${median(rs.map((x) => mips(x, 'wall'))).toFixed(1)} MIPS (x${ratio('wall')})` +
        `  thread CPU ${median(rs.map((x) => mips(x, 'cpu'))).toFixed(1)} MIPS (x${ratio('cpu')})`,
    );
  });
}
