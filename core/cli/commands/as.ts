// `futura as [-o out.o] [-march=...] [--no-rvc] file.S`: futcc's assembler on the command line.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { assembleToElf } from '../../toolchain/asm/assembler';
import { formatDiagnostic } from '../../toolchain/asm/diag';

export function registerAs(program: Command, ctx: CliContext): void {
  program
    .command('as')
    .description('assemble RV32GC GNU-as source into an ELF32 relocatable object')
    .argument('<file>', 'assembly source (.s/.S; no preprocessing)')
    .option('-o, --output <file>', 'output object', 'a.out')
    .option('--no-rvc', 'do not compress instructions automatically (like .option norvc)')
    .option('--march <isa>', 'ISA string; one without the C extension disables RVC')
    .action((file: string, opts: { output: string; rvc: boolean; march?: string }) => {
      let src: string;
      try {
        src = readFileSync(file, 'utf8');
      } catch (e) {
        process.stderr.write(
          `futura as: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`,
        );
        ctx.exitCode = 2;
        return;
      }
      const march = opts.march?.replace(/^=/, '');
      const rvc = opts.rvc && !(march !== undefined && !/^rv32[a-z]*c/.test(march.replace(/_.*/, '')));
      const r = assembleToElf(src, { file, rvc });
      for (const d of r.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      if (!r.elf) {
        ctx.exitCode = 1;
        return;
      }
      writeFileSync(opts.output, r.elf);
      ctx.exitCode = 0;
    });
}
