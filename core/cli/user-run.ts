// `futura run`'s engine: boots the Futura kernel on a board with a RamFS holding the program (and
// optionally a host folder), runs it as init with /dev/console wired to host streams, and turns
// the way it ended into a process exit status. Input is fed to the console as it arrives; the
// run loop yields to the event loop between slices so input and ^C are seen while the guest runs.
import { Board } from '../machine/board';
import { Kernel, isLoadFailure, snapshot } from '../kernel';
import { SYS } from '../kernel/abi';
import { errnoName } from '../kernel/errno';
import { isBlocked } from '../kernel/sched/waitq';
import type { SysResult } from '../kernel/sys/types';
import type { Thread } from '../kernel/task';
import { KernelDebugTarget } from '../host/gdb/kernel-target';
import { startGdbServer } from '../host/gdb/server';
import { loopDriver } from '../host/gdb/drive';

/** Status for every way `futura run` itself fails (bad file, limit, deadlock). */
export const RUN_FAILURE = 2;

/** Instructions per run-loop slice before the host gets a turn. */
const CHUNK = 1_000_000;
/** Most host input bytes queued in the guest console at once. */
const FEED_BYTES = 4096;

export interface RunIo {
  /** The guest's console output (bytes unchanged). */
  out: (bytes: Uint8Array) => void;
  /** Diagnostics: fault reports, the syscall trace, stats. One call per line, '\n' included. */
  err: (line: string) => void;
  /** Registers the console input: `data` for each chunk, `end` once when input closes. */
  input: (data: (bytes: Uint8Array) => void, end: () => void) => void;
  /** Host ^C (SIGINT) handler registration; optional. */
  interrupt?: (handler: () => void) => void;
  /** The host terminal's size: `set` now and on each resize (docs/tty.md); optional (80×24). */
  resize?: (set: (cols: number, rows: number) => void) => void;
}

export interface RunOptions {
  /** Executable image and the path it is given in the RamFS. */
  program: Uint8Array;
  path: string;
  /** Where the program came from, for messages (default: `path`). */
  source?: string;
  args: readonly string[];
  /** Extra files for the RamFS: absolute guest path → contents and mode; directories by a null. */
  files?: ReadonlyArray<{ path: string; data: Uint8Array | null; mode: number }>;
  traceSyscalls?: boolean;
  maxInstructions?: number;
  preempt?: boolean;
  jsonStats?: boolean;
  ramSize?: number;
  /** Halt before the first instruction and serve the GDB remote protocol on 127.0.0.1:PORT (0: any). */
  gdbPort?: number;
}

/** The process exit status for a wait status: the exit code, or 128 + signal. */
export function exitCodeOf(waitStatus: number): number {
  const sig = waitStatus & 0x7f;
  return sig === 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
}

const SYSCALL_NAMES = new Map<number, string>(Object.entries(SYS).map(([name, nr]) => [nr, name]));
const ARITY: Partial<Record<string, number>> = {
  getcwd: 2,
  dup: 1,
  dup3: 3,
  ioctl: 3,
  mkdirat: 3,
  unlinkat: 3,
  chdir: 1,
  openat: 4,
  close: 1,
  pipe2: 2,
  getdents64: 3,
  lseek: 3,
  read: 3,
  write: 3,
  newfstatat: 4,
  fstat: 2,
  exit: 1,
  exit_group: 1,
  nanosleep: 2,
  clock_gettime: 2,
  sched_yield: 0,
  kill: 2,
  getpid: 0,
  getppid: 0,
  brk: 1,
  munmap: 2,
  clone: 5,
  execve: 3,
  mmap: 6,
  mprotect: 3,
  wait4: 4,
  time_millis: 0,
};

function showArg(v: number): string {
  return v >= -4096 && v <= 65535 ? String(v | 0) : `0x${(v >>> 0).toString(16)}`;
}

function showResult(r: SysResult): string {
  if (typeof r === 'number') return r < 0 && r >= -4095 ? `${r} ${errnoName(r)}` : showArg(r);
  if (r === 'noreturn') return '?';
  if (r === 'yield') return '0';
  return isBlocked(r) ? '? <blocked>' : `0 <sleep until ${r.sleepUntil} ms>`;
}

/** One trace line: `[pid 1] write(1, 0x4010a0, 14) = 14`. */
export function traceLine(pid: number, nr: number, args: readonly number[], r: SysResult): string {
  const name = SYSCALL_NAMES.get(nr >>> 0) ?? `syscall_${nr >>> 0}`;
  const shown = args.slice(0, ARITY[name] ?? 6).map(showArg);
  return `[pid ${pid}] ${name}(${shown.join(', ')}) = ${showResult(r)}\n`;
}

/** Runs the program to its end; resolves to the process exit status. */
export async function runProgram(o: RunOptions, io: RunIo): Promise<number> {
  const board = new Board({ ramSize: o.ramSize ?? 64 << 20 });
  let syscalls = 0;
  const k = new Kernel(board, {
    onOutput: (b) => io.out(b),
    onLog: (line) => io.err(`futura run: ${line}\n`),
    preemptive: o.preempt ?? false,
    onSyscall: (th: Thread, nr, args, r) => {
      if (isBlocked(r)) return; // the call runs again when woken: trace it once, when it completes
      syscalls++;
      if (o.traceSyscalls) io.err(traceLine(th.task.pid, nr, args, r));
    },
  });
  // Host input is already line-edited (terminal) or raw bytes (pipe): the guest console passes it on.
  k.console.canonical = false;
  k.console.echo = false;

  for (const f of o.files ?? []) {
    const r = f.data === null ? k.vfs.mkdir(f.path, f.mode) : k.vfs.writeFile(f.path, f.data, f.mode);
    if (r < 0 && !(f.data === null && errnoName(r) === 'EEXIST')) {
      io.err(`futura run: cannot create ${f.path} in the RamFS: ${errnoName(r)}\n`);
      return RUN_FAILURE;
    }
  }
  const w = k.vfs.writeFile(o.path, o.program, 0o755);
  if (w < 0) {
    io.err(`futura run: cannot install ${o.path} in the RamFS: ${errnoName(w)}\n`);
    return RUN_FAILURE;
  }
  const init = k.spawn(o.path, [o.path, ...o.args]);
  if (isLoadFailure(init)) {
    io.err(`futura run: cannot load ${o.source ?? o.path}: ${init.message}\n`);
    return RUN_FAILURE;
  }

  // Host input waits here and is fed to the console a few KiB at a time, as the guest takes it
  // (the raw console queues byte by byte: feeding megabytes at once would make reads quadratic).
  const queued: Uint8Array[] = [];
  let inputEnded = false;
  let consoleEnded = false;
  const pump = (): void => {
    while (queued.length > 0 && k.console.pending < FEED_BYTES) {
      const head = queued[0]!;
      const take = head.subarray(0, FEED_BYTES);
      if (take.length === head.length) queued.shift();
      else queued[0] = head.subarray(take.length);
      k.console.feed(take);
    }
    if (inputEnded && queued.length === 0 && !consoleEnded) {
      consoleEnded = true;
      k.console.endOfInput();
    }
  };
  let wakeHost: (() => void) | null = null;
  const poke = (): void => {
    const f = wakeHost;
    wakeHost = null;
    f?.();
  };
  io.input(
    (bytes) => {
      if (bytes.length > 0) queued.push(bytes.slice());
      pump();
      poke();
    },
    () => {
      inputEnded = true;
      pump();
      poke();
    },
  );
  io.interrupt?.(() => {
    k.interruptForeground();
    poke();
  });
  io.resize?.((cols, rows) => {
    k.setConsoleSize(cols, rows);
    poke(); // a SIGWINCH handler may now run
  });

  if (o.gdbPort !== undefined) {
    // The debugger drives the kernel until it detaches, kills, or the program ends.
    const target = new KernelDebugTarget(k, {
      mainPid: init.pid,
      driver: loopDriver({ beforeSlice: pump }),
      kill: () => k.killTask(init.pid, 9, 'killed by the debugger'),
    });
    const server = await startGdbServer(target, o.gdbPort);
    io.err(
      `futura run: waiting for GDB on 127.0.0.1:${server.port} (target remote 127.0.0.1:${server.port})\n`,
    );
    const how = await server.done;
    if (how === 'killed' && !k.exits.has(init.pid)) k.killTask(init.pid, 9, 'killed by the debugger');
  }

  const limit = o.maxInstructions ?? Infinity;
  const start = board.hart.instret;
  let code: number;
  for (;;) {
    if (k.exits.has(init.pid)) {
      code = exitCodeOf(k.exits.get(init.pid)!);
      break;
    }
    const used = board.hart.instret - start;
    if (used >= limit) {
      io.err(`futura run: instruction limit reached (--max-instructions ${o.maxInstructions}); stopped\n`);
      code = RUN_FAILURE;
      break;
    }
    pump();
    const outcome = k.run(Math.min(CHUNK, limit - used));
    if (outcome === 'idle') {
      if (queued.length > 0 || inputEnded !== consoleEnded) continue; // more input to feed first
      if (consoleEnded) {
        io.err('futura run: deadlock: every task is blocked and no input can arrive\n');
        code = RUN_FAILURE;
        break;
      }
      await new Promise<void>((resolve) => (wakeHost = resolve));
    } else if (outcome === 'budget') {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  wakeHost = null;

  if (o.jsonStats) {
    const s = snapshot(k, { resident: false });
    const stats = {
      exitCode: code,
      instret: board.hart.instret - start,
      timeMs: s.timeMs,
      ticks: s.ticks,
      syscalls,
      frames: s.frames,
      counters: s.counters,
      tasks: s.tasks.map((t) => ({ pid: t.pid, name: t.name, state: t.state, waitStatus: t.waitStatus })),
      exits: Object.fromEntries(k.exits),
    };
    io.err(`${JSON.stringify(stats)}\n`);
  }
  return code;
}
