// `futura bench`: CPU benchmark of the hart against qemu-riscv32 (see bench/). The table goes to
// stdout, or to stderr with --json, which prints one flat JSON object on stdout instead.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatTables, runBench } from '../../../bench/harness';
import { parseCount } from '../numbers';

interface BenchFlags {
  quick?: boolean;
  json?: boolean;
  rounds?: string;
  engine?: string;
  timeBudget: string;
}

export function registerBench(program: Command, ctx: CliContext): void {
  program
    .command('bench')
    .description('measure the hart (MIPS) against qemu-riscv32 on a GCC-built CPU benchmark')
    .option('--quick', 'a small run (seconds), for smoke tests')
    .option('--json', 'print one flat JSON object on stdout (the table goes to stderr)')
    .option('--rounds <n>', 'benchmark rounds (default: enough for 10^9 instructions)')
    .option('--engine <engine>', 'hart engine: jit or interp (default: the board default)')
    .option('--time-budget <seconds>', 'stop the hart run after this long and report the partial run', '420')
    .action(async (flags: BenchFlags) => {
      ctx.exitCode = await bench(flags);
    });
}

async function bench(flags: BenchFlags): Promise<number> {
  const fail = (msg: string): number => {
    process.stderr.write(`futura bench: ${msg}\n`);
    return 2;
  };
  const rounds = flags.rounds === undefined ? undefined : parseCount(flags.rounds);
  if (rounds === null) return fail(`--rounds must be a positive integer, got '${flags.rounds}'`);
  if (flags.engine !== undefined && flags.engine !== 'jit' && flags.engine !== 'interp')
    return fail(`--engine must be jit or interp, got '${flags.engine}'`);
  const budget = parseCount(flags.timeBudget);
  if (budget === null)
    return fail(`--time-budget must be a positive number of seconds, got '${flags.timeBudget}'`);
  try {
    const report = await runBench({
      options: {
        quick: flags.quick === true,
        timeBudgetSeconds: budget,
        ...(rounds !== undefined ? { rounds } : {}),
        ...(flags.engine !== undefined ? { engine: flags.engine } : {}),
      },
      progress: (m) => process.stderr.write(`[bench] ${m}\n`),
    });
    const table = formatTables(report);
    if (flags.json) {
      process.stderr.write(table);
      process.stdout.write(`${JSON.stringify(report.figures)}\n`);
    } else {
      process.stdout.write(table);
    }
    return 0;
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}
