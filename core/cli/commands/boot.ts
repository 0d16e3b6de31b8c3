// `futura boot [DIR]`: builds the userland if needed (incremental, cached) and boots its image on
// the Futura kernel: /sbin/init as pid 1, the console on this terminal (raw, so ^C and line
// editing belong to the guest; Ctrl-] quits). `--script FILE|-` feeds the console from a file or
// stdin instead and exits when the shell exits — stdout then carries console bytes only.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { bootImage, DEFAULT_INIT, type Booted } from '../../host/boot/boot';
import { terminalSize, watchTerminalSize } from '../terminal-size';
import {
  exitCodeOf,
  finalStats,
  runConsole,
  type ConsoleIo,
  type ConsoleRunResult,
} from '../../host/boot/console-run';
import { encodePng } from '../../host/boot/png';
import { WorkspaceBuild } from '../../host/build/workspace-build';
import { BUNDLED_SAMPLE } from '../../host/paths';
import type { CliContext } from '../context';
import { parseMaxInstructions } from '../numbers';
import { serveGdbBoot } from '../boot-gdb';
import {
  buildOptions,
  buildRequest,
  printDiagnostics,
  progressPrinter,
  writeImageTree,
  type BuildFlags,
} from './build';

/** Status when boot itself fails (build errors are 1, like `futura build`). */
const BOOT_FAILURE = 2;
/** Ctrl-]: the host key that leaves an interactive session (as telnet's escape). */
const QUIT_KEY = 0x1d;

interface BootFlags extends BuildFlags {
  cache: boolean;
  script?: string;
  fbDump?: string;
  jsonStats?: boolean;
  maxInstructions?: string;
  init?: string;
  shell: string;
  gdb?: string;
}

export function registerBoot(program: Command, ctx: CliContext): void {
  buildOptions(
    program
      .command('boot')
      .description(
        'build a userland folder if needed and boot it on the Futura kernel (/sbin/init as pid 1) with ' +
          'the console on this terminal; Ctrl-] quits',
      )
      .argument('[dir]', 'the userland folder (default: the bundled sample userland)'),
  )
    .option(
      '--script <file>',
      'feed the console from FILE (- for stdin) a line at a time; exit when the shell exits',
    )
    .option('--shell <name>', 'the program whose exit ends a --script run', 'fsh')
    .option('--init <path>', `first program (guest path, default ${DEFAULT_INIT})`)
    .option('--fb-dump <file.png>', 'write the framebuffer as a PNG when the run ends')
    .option('--json-stats', 'print the final kernel counters as JSON on stderr')
    .option('--max-instructions <n>', 'stop with status 2 after this many guest instructions')
    .option('--out <dir>', 'also write the booted image as a folder tree (symbol files for gdb)')
    .option(
      '--gdb <port>',
      'halt before init’s first instruction and serve GDB’s remote protocol on 127.0.0.1:PORT ' +
        '(0: any free port); every task is a thread',
    )
    .action(async (dir: string | undefined, flags: BootFlags) => {
      ctx.exitCode = await boot(dir, flags);
    });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Console input from a script file, or from stdin (a raw terminal, or a pipe). */
function consoleIo(
  script: string | undefined,
  err: (s: string) => void,
): { io: ConsoleIo; cleanup: () => void } | string {
  if (script !== undefined && script !== '-') {
    let text: Uint8Array;
    try {
      text = new Uint8Array(readFileSync(script));
    } catch (e) {
      return `cannot read the script ${script}: ${errorText(e)}`;
    }
    return {
      io: {
        input: (data, end) => {
          data(text);
          end();
        },
      },
      cleanup: () => {},
    };
  }
  const stdin = process.stdin;
  const raw = script === undefined && stdin.isTTY === true;
  let onData: ((chunk: Buffer) => void) | null = null;
  let onEnd: (() => void) | null = null;
  let unwatch = (): void => {};
  return {
    io: {
      // An interactive console follows the terminal's size; a script keeps the fixed 80×24.
      ...(raw ? { resize: (set) => (unwatch = watchTerminalSize(set)) } : {}),
      input: (data, end, quit) => {
        onData = (chunk) => {
          const b = new Uint8Array(chunk);
          const q = raw ? b.indexOf(QUIT_KEY) : -1;
          data(q < 0 ? b : b.subarray(0, q));
          if (q >= 0) quit();
        };
        onEnd = end;
        if (raw) {
          stdin.setRawMode(true);
          err('futura boot: console attached (Ctrl-] quits)\r\n');
        }
        stdin.on('data', onData);
        stdin.once('end', onEnd);
        stdin.once('error', onEnd);
        stdin.resume();
      },
    },
    cleanup: () => {
      unwatch();
      if (onData) stdin.off('data', onData);
      if (onEnd) {
        stdin.off('end', onEnd);
        stdin.off('error', onEnd);
      }
      if (raw) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

/** The process status for how the run ended (and a message on stderr when it went wrong). */
function statusOf(r: ConsoleRunResult, flags: BootFlags, err: (s: string) => void): number {
  switch (r.end.kind) {
    case 'task-exited':
      return exitCodeOf(r.end.status);
    case 'init-exited':
      if (flags.script !== undefined) err(`futura boot: init exited (status ${exitCodeOf(r.end.status)})\n`);
      return exitCodeOf(r.end.status);
    case 'quit':
      err('\r\nfutura boot: quit\r\n');
      return 0;
    case 'limit':
      err(`futura boot: instruction limit reached (--max-instructions ${flags.maxInstructions}); stopped\n`);
      return BOOT_FAILURE;
    case 'deadlock':
      err('futura boot: deadlock: every task is blocked and no input can arrive\n');
      return BOOT_FAILURE;
  }
}

async function boot(dir: string | undefined, flags: BootFlags): Promise<number> {
  const err = (s: string): void => void process.stderr.write(s);
  const fail = (message: string): number => {
    err(`futura boot: ${message}\n`);
    return BOOT_FAILURE;
  };
  const req = buildRequest(flags);
  if (typeof req === 'string') return fail(req);
  const max = parseMaxInstructions(flags.maxInstructions);
  if (typeof max === 'object') return fail(max.error);
  const gdbPort = flags.gdb === undefined ? undefined : Number(flags.gdb);
  if (gdbPort !== undefined && (!Number.isInteger(gdbPort) || gdbPort < 0 || gdbPort > 65535))
    return fail(`--gdb needs a port number, got '${flags.gdb}'`);
  const root = resolve(dir ?? BUNDLED_SAMPLE);
  const ws = new WorkspaceBuild(root, flags.cache ? {} : { cacheDir: null });
  const progress = progressPrinter(err, 'futura boot: build');
  const result = await ws.build({ ...req, onEvent: progress.onEvent });
  printDiagnostics(result, root, err);
  progress.summary();
  if (!result.ok || !result.image) return 1;
  if (flags.out !== undefined) {
    try {
      writeImageTree(result.image, resolve(flags.out));
    } catch (e) {
      return fail(`cannot write the image to ${flags.out}: ${errorText(e)}`);
    }
  }

  const interactive = flags.script === undefined && process.stdin.isTTY === true;
  const size = interactive ? terminalSize() : null;
  const booted: Booted | string = bootImage(result.image, {
    init: flags.init,
    ...(size ? { console: size } : {}),
    kernel: {
      onOutput: (b) => void process.stdout.write(b),
      onLog: (line) => err(`futura boot: ${line}\n`),
    },
  });
  if (typeof booted === 'string') return fail(booted);
  const c = consoleIo(flags.script, err);
  if (typeof c === 'string') return fail(c);
  let code: number;
  try {
    const script = flags.script !== undefined || process.stdin.isTTY !== true;
    let io = c.io;
    if (gdbPort !== undefined) {
      const g = await serveGdbBoot(booted, gdbPort, io, err, !script);
      const initEnd = booted.kernel.exits.get(booted.init.pid);
      if (g.how === 'killed' || initEnd !== undefined) {
        err(
          `futura boot: ${g.how === 'killed' ? 'killed by the debugger' : 'init ended under the debugger'}\n`,
        );
        return exitCodeOf(initEnd ?? 9);
      }
      io = c.io.resize ? { ...g.io, resize: c.io.resize } : g.io; // the terminal's size still follows
    }
    const r = await runConsole(booted, io, {
      lineAtATime: script,
      stopOnExitOf: script ? flags.shell : undefined,
      maxInstructions: max,
    });
    code = statusOf(r, flags, err);
    if (flags.jsonStats) err(`${JSON.stringify(finalStats(booted, r, code))}\n`);
  } catch (e) {
    return fail(`internal error: ${e instanceof Error && e.stack ? e.stack : String(e)}`);
  } finally {
    c.cleanup();
  }
  if (flags.fbDump !== undefined) {
    const fb = booted.board.fb;
    try {
      writeFileSync(flags.fbDump, encodePng(fb.width, fb.height, fb.pixels));
    } catch (e) {
      return fail(`cannot write ${flags.fbDump}: ${errorText(e)}`);
    }
  }
  return code;
}
