// The `futura` command line. Each subcommand lives in core/cli/commands/ and is registered here.
import { Command, CommanderError } from 'commander';
import type { CliContext } from './context';
import { registerStart } from './commands/start';
import { registerBare } from './commands/bare';
import { registerBench } from './commands/bench';
import { registerServe } from './commands/serve';
import { registerAs } from './commands/as';
import { registerLd } from './commands/ld';
import { registerAr } from './commands/ar';
import { registerRun } from './commands/run';
import { registerFipc } from './commands/fipc';
import { registerDemo } from './commands/demo';
import { registerBuild } from './commands/build';
import { registerBoot } from './commands/boot';
import { registerCc } from './commands/cc';

const commands: ReadonlyArray<(program: Command, ctx: CliContext) => void> = [
  registerStart,
  registerServe,
  registerBare,
  registerBench,
  registerAs,
  registerLd,
  registerAr,
  registerRun,
  registerCc,
  registerBuild,
  registerBoot,
  registerFipc,
  registerDemo,
];

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  const ctx: CliContext = { exitCode: 0 };
  program
    .name('futura')
    .description('Futura Studio: RISC-V machine, Futura kernel and C toolchain')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commands) register(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return ctx.exitCode;
}
