// `futura run FILE.elf [args...]`: boots the Futura kernel with the program in its RamFS (at
// /bin/NAME, argv[0] = that path) and runs it as pid 1 with /dev/console on this process's
// stdin/stdout. stdout carries only the guest's console bytes; everything else goes to stderr.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { parseMaxInstructions } from '../numbers';
import { RUN_FAILURE, runProgram, type RunOptions } from '../user-run';
import { watchTerminalSize } from '../terminal-size';

interface RunFlags {
  fs?: string;
  traceSyscalls?: boolean;
  maxInstructions?: string;
  preempt?: boolean;
  jsonStats?: boolean;
  gdb?: string;
}

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description(
      'run a static RISC-V ELF as the first task of the Futura kernel; /dev/console is stdin/stdout ' +
        'and the exit status is the program’s (128 + signal when killed, 2 when futura run fails)',
    )
    .argument('<file>', 'ELF32 RISC-V executable (installed in the RamFS as /bin/NAME)')
    .argument('[args...]', 'arguments for the program (everything after FILE goes to the program)')
    .option('--fs <dir>', 'copy this host folder into the RamFS root first')
    .option('--trace-syscalls', 'print one line per system call on stderr: name, arguments, result')
    .option('--max-instructions <n>', 'stop with status 2 after this many guest instructions')
    .option('--preempt', 'preempt the running thread at each 100 Hz tick')
    .option('--json-stats', 'print the final kernel counters as JSON on stderr (stdout stays the guest’s)')
    .option(
      '--gdb <port>',
      'halt before the first instruction and wait for GDB on 127.0.0.1:PORT (0: any free port)',
    )
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (file: string, args: string[], flags: RunFlags) => {
      ctx.exitCode = await run(file, args, flags);
    });
}

function fail(message: string): number {
  process.stderr.write(`futura run: ${message}\n`);
  return RUN_FAILURE;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The files of a host folder as RamFS entries (directories first, symlinks followed if they resolve). */
function hostTree(dir: string): NonNullable<RunOptions['files']> {
  const out: NonNullable<RunOptions['files']>[number][] = [];
  const walk = (host: string, guest: string): void => {
    for (const name of readdirSync(host).sort()) {
      const h = join(host, name);
      const g = `${guest}/${name}`;
      const st = lstatSync(h);
      if (st.isDirectory()) {
        out.push({ path: g, data: null, mode: st.mode & 0o7777 });
        walk(h, g);
      } else if (st.isFile()) {
        out.push({ path: g, data: new Uint8Array(readFileSync(h)), mode: st.mode & 0o7777 });
      }
    }
  };
  walk(dir, '');
  return out;
}

async function run(file: string, args: string[], flags: RunFlags): Promise<number> {
  const max = parseMaxInstructions(flags.maxInstructions);
  if (typeof max === 'object') return fail(max.error);
  let gdbPort: number | undefined;
  if (flags.gdb !== undefined) {
    const p = Number(flags.gdb);
    if (!Number.isInteger(p) || p < 0 || p > 65535)
      return fail(`--gdb needs a port number, got '${flags.gdb}'`);
    gdbPort = p;
  }
  let program: Uint8Array;
  try {
    program = new Uint8Array(readFileSync(file));
  } catch (e) {
    return fail(`cannot read ${file}: ${errorText(e)}`);
  }
  let files: RunOptions['files'] = [];
  if (flags.fs !== undefined) {
    try {
      if (!lstatSync(flags.fs).isDirectory()) return fail(`--fs ${flags.fs}: not a directory`);
      files = hostTree(flags.fs);
    } catch (e) {
      return fail(`--fs ${flags.fs}: ${errorText(e)}`);
    }
  }

  const stdin = process.stdin;
  const onData = (chunk: Buffer | string): void =>
    feed?.(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const onEnd = (): void => end?.();
  let feed: ((b: Uint8Array) => void) | undefined;
  let end: (() => void) | undefined;
  let onSigint: (() => void) | undefined;
  let unwatch = (): void => {};
  try {
    return await runProgram(
      {
        program,
        path: `/bin/${basename(file)}`,
        source: file,
        args,
        files,
        traceSyscalls: flags.traceSyscalls ?? false,
        maxInstructions: max,
        preempt: flags.preempt ?? false,
        jsonStats: flags.jsonStats ?? false,
        ...(gdbPort === undefined ? {} : { gdbPort }),
      },
      {
        out: (b) => process.stdout.write(b),
        err: (line) => process.stderr.write(line),
        input: (data, done) => {
          feed = data;
          end = done;
          stdin.on('data', onData);
          stdin.once('end', onEnd);
          stdin.once('error', onEnd);
          stdin.resume();
        },
        interrupt: (handler) => {
          onSigint = handler;
          process.on('SIGINT', handler);
        },
        // The guest's TIOCGWINSZ reads the terminal's size (docs/tty.md).
        resize: (set) => (unwatch = watchTerminalSize(set)),
      },
    );
  } catch (e) {
    return fail(`internal error: ${e instanceof Error && e.stack ? e.stack : String(e)}`);
  } finally {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.off('error', onEnd);
    stdin.pause();
    if (onSigint) process.off('SIGINT', onSigint);
    unwatch();
  }
}
