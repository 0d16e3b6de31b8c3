// Runs a booted kernel with its console wired to the host: bytes in (a terminal, a script, a
// pipe), console bytes out, until init ends, the watched shell exits, the host quits, or a limit.
// Script input goes in a line at a time, each when the guest waits for the console, so the echo
// of a command comes after the prompt it answers — a transcript like a typed session. The loop
// yields to the event loop between slices so input and quit keys are seen while the guest runs.
import { snapshot } from '../../kernel';
import type { Booted } from './boot';

/** Instructions per slice before the host gets a turn. */
const CHUNK = 1_000_000;
/** Most host bytes queued in the guest console at once (raw input). */
const FEED_BYTES = 4096;

/** Console input; output goes through the kernel's onOutput, given at boot. */
export interface ConsoleIo {
  /** Registers input: `data` per chunk, `end` once when input closes, `quit` for the host key. */
  input: (data: (bytes: Uint8Array) => void, end: () => void, quit: () => void) => void;
  /** Registers for the host terminal's size: `set` now and on each resize (docs/tty.md); optional. */
  resize?: (set: (cols: number, rows: number) => void) => void;
}

export interface ConsoleRunOptions {
  /** Feed input a line at a time, as the guest asks for it (scripts); else bytes as they come. */
  lineAtATime: boolean;
  /** Stop when a task that exec'd the program of this name exits, with its status (the shell). */
  stopOnExitOf?: string;
  maxInstructions?: number;
}

export type ConsoleEnd =
  | { kind: 'init-exited'; status: number }
  | { kind: 'task-exited'; name: string; pid: number; status: number }
  | { kind: 'quit' }
  | { kind: 'limit' }
  | { kind: 'deadlock' };

export interface ConsoleRunResult {
  end: ConsoleEnd;
  instret: number;
  syscalls: number;
}

/** The process exit status for a wait status: the exit code, or 128 + signal. */
export function exitCodeOf(waitStatus: number): number {
  const sig = waitStatus & 0x7f;
  return sig === 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
}

function splitLines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) {
      out.push(b.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < b.length) out.push(b.subarray(start));
  return out;
}

export async function runConsole(
  booted: Booted,
  io: ConsoleIo,
  opts: ConsoleRunOptions,
): Promise<ConsoleRunResult> {
  const { kernel: k, board, init } = booted;
  const tty = k.console;
  const queued: Uint8Array[] = [];
  let partial: Uint8Array = new Uint8Array(0);
  let inputEnded = false;
  let consoleEnded = false;
  let quit = false;
  let wakeHost: (() => void) | null = null;
  const poke = (): void => {
    const f = wakeHost;
    wakeHost = null;
    f?.();
  };

  /** Script mode hands over the next line only when the guest is waiting and has read the last. */
  const pump = (guestIdle: boolean): void => {
    if (opts.lineAtATime) {
      const waiting = tty.readQ.size > 0 || guestIdle;
      if (queued.length > 0 && tty.pending === 0 && waiting) tty.feed(queued.shift()!);
    } else {
      while (queued.length > 0 && tty.pending < FEED_BYTES) {
        const head = queued[0]!;
        const take = head.subarray(0, FEED_BYTES);
        if (take.length === head.length) queued.shift();
        else queued[0] = head.subarray(take.length);
        tty.feed(take);
      }
    }
    if (inputEnded && queued.length === 0 && !consoleEnded) {
      consoleEnded = true;
      tty.endOfInput();
    }
  };
  io.input(
    (bytes) => {
      if (opts.lineAtATime) {
        const joined = new Uint8Array(partial.length + bytes.length);
        joined.set(partial);
        joined.set(bytes, partial.length);
        const lines = splitLines(joined);
        const last = lines[lines.length - 1];
        partial = last && last[last.length - 1] !== 0x0a ? lines.pop()!.slice() : new Uint8Array(0);
        queued.push(...lines.map((l) => l.slice()));
      } else if (bytes.length > 0) queued.push(bytes.slice());
      poke();
    },
    () => {
      if (partial.length > 0) queued.push(partial);
      partial = new Uint8Array(0);
      inputEnded = true;
      poke();
    },
    () => {
      quit = true;
      poke();
    },
  );

  io.resize?.((cols, rows) => {
    k.setConsoleSize(cols, rows);
    poke(); // a SIGWINCH handler may now run
  });

  let seen = k.exits.total;
  const limit = opts.maxInstructions ?? Infinity;
  const start = board.hart.instret;
  const watched = (): ConsoleEnd | null => {
    if (k.exits.total === seen) return null;
    const fresh = k.exits.since(seen);
    const base = k.exits.total - fresh.length;
    for (const [i, [pid, status]] of fresh.entries()) {
      seen = base + i + 1;
      const name = booted.programs.get(pid);
      if (pid === init.pid) return { kind: 'init-exited', status };
      if (name !== undefined && name === opts.stopOnExitOf) return { kind: 'task-exited', name, pid, status };
    }
    return null;
  };
  let end: ConsoleEnd;
  let idle = false;
  for (;;) {
    const w = watched();
    if (w) {
      end = w;
      break;
    }
    if (quit) {
      end = { kind: 'quit' };
      break;
    }
    const used = board.hart.instret - start;
    if (used >= limit) {
      end = { kind: 'limit' };
      break;
    }
    pump(idle);
    const outcome = k.run(Math.min(CHUNK, limit - used));
    idle = outcome === 'idle';
    if (outcome === 'exited') continue;
    if (idle) {
      if (queued.length > 0 && tty.pending === 0) continue; // the next script line goes in now
      if (inputEnded && queued.length === 0 && !consoleEnded) continue; // end of input goes in now
      if (inputEnded) {
        end = { kind: 'deadlock' }; // every task blocked and nothing more can arrive
        break;
      }
      await new Promise<void>((resolve) => (wakeHost = resolve));
    } else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  wakeHost = null;
  return { end, instret: board.hart.instret - start, syscalls: booted.syscalls.count };
}

/** The final kernel counters, as `futura run --json-stats` prints them. */
export function finalStats(booted: Booted, r: ConsoleRunResult, exitCode: number): Record<string, unknown> {
  const s = snapshot(booted.kernel, { resident: false });
  return {
    exitCode,
    end: r.end.kind,
    instret: r.instret,
    timeMs: s.timeMs,
    ticks: s.ticks,
    syscalls: r.syscalls,
    frames: s.frames,
    tasks: s.tasks.map((t) => ({ pid: t.pid, name: t.name, state: t.state, waitStatus: t.waitStatus })),
    exits: Object.fromEntries(booted.kernel.exits),
    channels: s.channels.length,
  };
}
