// `futura bare FILE.elf`: runs a bare-metal RISC-V program on the board (RAM at 0x8000_0000,
// M-mode at the entry), copies its UART output to stdout and exits with the HTIF code.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { DEFAULT_MAX_INSTRUCTIONS, runBare } from '../bare-run';
import { parseCount } from '../numbers';

export function registerBare(program: Command, ctx: CliContext): void {
  program
    .command('bare')
    .description('run a bare-metal ELF (M-mode, RAM at 0x80000000); exit status = tohost >> 1')
    .argument('<file>', 'ELF32 RISC-V executable')
    .option(
      '--max-instructions <n>',
      'stop with status 2 after this many instructions',
      String(DEFAULT_MAX_INSTRUCTIONS),
    )
    .action((file: string, opts: { maxInstructions: string }) => {
      ctx.exitCode = bare(file, opts.maxInstructions);
    });
}

function bare(file: string, maxText: string): number {
  const max = parseCount(maxText);
  if (max === null) {
    process.stderr.write(`futura bare: --max-instructions must be a positive integer, got '${maxText}'\n`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    process.stderr.write(`futura bare: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  // UART bytes are batched so a chatty program does not make one write call per byte.
  const pending: number[] = [];
  const flush = (): void => {
    if (pending.length > 0) process.stdout.write(Uint8Array.from(pending.splice(0)));
  };
  const out = runBare(bytes, {
    maxInstructions: max,
    onOutput: (b) => {
      pending.push(b);
      if (b === 10 || pending.length >= 4096) flush();
    },
  });
  flush();
  if (out.kind === 'exit') return out.code;
  process.stderr.write(`futura bare: ${file}: ${out.message}\n`);
  return 2;
}
