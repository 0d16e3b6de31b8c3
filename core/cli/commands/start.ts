import type { Command } from 'commander';
import type { CliContext } from '../context';

export function registerStart(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('open Futura Studio (the desktop app)')
    .action(() => {
      process.stderr.write(
        'futura start: the desktop app is not built yet; meanwhile the command-line tools work:\n' +
          '  npx futura --help\n',
      );
      ctx.exitCode = 0;
    });
}
