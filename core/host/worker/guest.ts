// One booted guest: a board and the Futura kernel with a boot image in its RamFS and init started,
// plus what the session needs around it: console bytes in (fed as the guest takes them) and out
// (batched, decoded as UTF-8 across chunk boundaries), and the counters behind the charts.
import { Board } from '../../machine/board';
import { Kernel, isLoadFailure, type KernelOptions, type RunOutcome } from '../../kernel';
import { SIGKILL, SYS } from '../../kernel/abi';
import { EEXIST, errnoName } from '../../kernel/errno';
import { isBlocked } from '../../kernel/sched/waitq';
import type { KillResult, MachineConfig } from '../../protocol/messages';
import type { BootImage } from './protocol';

/** Most host input bytes queued in the guest console at once (the raw queue is per byte). */
const FEED_BYTES = 4096;

export interface GuestCounters {
  instructions: number;
  syscalls: number;
  messages: number;
  switches: number;
}

export class BootError extends Error {}

export class Guest {
  readonly board: Board;
  readonly kernel: Kernel;
  readonly initPid: number;
  /** Kept by reference in the kernel, so preemption can be switched while it runs. */
  private readonly kopts: KernelOptions;
  private readonly counts = { syscalls: 0, messages: 0, switches: 0 };
  private readonly input: Uint8Array[] = [];
  private output: Uint8Array[] = [];
  private readonly decoder = new TextDecoder('utf-8');
  /** Real clock mode: the latest guest time the kernel may jump to when every task sleeps. */
  private jumpLimit: number | null = null;
  private wallMs: (() => number) | null = null;
  private wallPatched = false;
  /** Sees every system call after it ran (the remote bridge of fipc.link imports services on it). */
  syscallTap: NonNullable<KernelOptions['onSyscall']> | null = null;
  /** The timer wheel's own nextDeadline (the kernel sees a limited one; see limitJumps). */
  private readonly trueDeadline: () => number | undefined;

  /** `console`: the terminal's size, set before init starts so its first TIOCGWINSZ sees it. */
  constructor(image: BootImage, config: MachineConfig, console?: { cols: number; rows: number }) {
    this.board = new Board({ ramSize: config.ramMiB << 20 });
    this.kopts = {
      preemptive: config.preempt,
      onlcr: true, // the console is a terminal emulator
      onOutput: (b) => this.output.push(b),
      // Kernel reports (a task killed by a fault, a refused fork) show on the console, marked.
      onLog: (line) => this.output.push(new TextEncoder().encode(`\r\n[kernel] ${line}\r\n`)),
      onSyscall: (th, nr, args, r) => {
        this.syscallTap?.(th, nr, args, r);
        if (isBlocked(r)) return; // a blocked call runs again when woken: count it once
        this.counts.syscalls++;
        if (nr === SYS.fipc_send && typeof r === 'number' && r >= 0) this.counts.messages++;
      },
    };
    const k = new Kernel(this.board, this.kopts);
    this.kernel = k;
    this.countSwitches();
    this.trueDeadline = this.limitJumps();
    for (const d of image.dirs) {
      const r = k.vfs.mkdir(d, 0o755);
      if (r < 0 && r !== -EEXIST) throw new BootError(`cannot create ${d} in the RamFS: ${errnoName(r)}`);
    }
    for (const f of image.files) {
      const r = k.vfs.writeFile(f.path, f.data, f.mode);
      if (r < 0) throw new BootError(`cannot create ${f.path} in the RamFS: ${errnoName(r)}`);
    }
    if (console) k.setConsoleSize(console.cols, console.rows);
    const path = image.init ?? '/sbin/init';
    const init = k.spawn(path, [path, ...(image.args ?? [])]);
    if (isLoadFailure(init)) throw new BootError(`cannot start ${path}: ${init.message}`);
    this.initPid = init.pid;
  }

  /**
   * Counts context switches: each time the scheduler puts a different thread on the hart. The
   * kernel keeps no such counter, so its pick() is wrapped on this instance (behaviour unchanged).
   */
  private countSwitches(): void {
    const sched = this.kernel.sched;
    const pick = sched.pick.bind(sched);
    let last: number | null = null;
    sched.pick = () => {
      const th = pick();
      if (th && th.tid !== last) {
        if (last !== null) this.counts.switches++;
        last = th.tid;
      }
      return th;
    };
  }

  /**
   * When every task sleeps, the kernel jumps its clock to the next timer. In the real clock mode
   * it must not jump past the wall clock, so the kernel's view of the next deadline is hidden
   * beyond `jumpLimit` (it then reports 'idle' and the run loop waits in host time). Wrapped on
   * this instance: the kernel has no such option.
   */
  private limitJumps(): () => number | undefined {
    const timers = this.kernel.sched.timers;
    const next = timers.nextDeadline.bind(timers);
    timers.nextDeadline = () => {
      const d = next();
      return d !== undefined && this.jumpLimit !== null && d > this.jumpLimit ? undefined : d;
    };
    return next;
  }

  /**
   * Real clock mode: guest time is the wall clock's, whatever the instruction count, so the guest
   * runs at full speed and its timers fire on time. The kernel's clock advances by retired
   * instructions; on this instance its retire() moves it to `wallMs()` instead (null: virtual).
   */
  setWallClock(wallMs: (() => number) | null): void {
    if (!this.wallPatched) {
      this.wallPatched = true;
      const clock = this.kernel.clock;
      const retire = clock.retire.bind(clock);
      clock.retire = (n: number): number => {
        const wall = this.wallMs;
        if (!wall) return retire(n);
        const before = clock.nowMs;
        clock.jumpTo(Math.floor(wall()));
        return clock.nowMs - before;
      };
    }
    this.wallMs = wallMs;
  }

  /** Real clock mode: the kernel may not jump past `ms`; null lifts the limit (virtual mode). */
  setJumpLimit(ms: number | null): void {
    this.jumpLimit = ms;
  }

  /** The next timer deadline in guest ms, whatever the jump limit. */
  nextDeadline(): number | undefined {
    return this.trueDeadline();
  }

  setPreempt(on: boolean): void {
    this.kopts.preemptive = on;
  }

  /** Runs up to `budget` instructions; returns the kernel's outcome and how many retired. */
  run(budget: number): { outcome: RunOutcome; executed: number } {
    this.pump();
    const before = this.board.hart.instret;
    const outcome = this.kernel.run(budget);
    return { outcome, executed: this.board.hart.instret - before };
  }

  /** Runs the kernel through `fn` (the debugger's stepping loop) with console input pumped first. */
  runWith<T>(fn: () => T): T {
    this.pump();
    return fn();
  }

  /** True when no thread can run now (all blocked or asleep). */
  get idle(): boolean {
    const s = this.kernel.sched;
    return !(s.current && s.current.state === 'running') && s.runq.size === 0;
  }

  get finished(): boolean {
    return this.kernel.tasks.aliveCount === 0;
  }

  /** Why the machine stopped when every task ended. */
  exitReason(): string {
    const ws = this.kernel.exits.get(this.initPid);
    if (ws === undefined) return 'every task ended';
    const sig = ws & 0x7f;
    return sig === 0 ? `init exited with status ${(ws >> 8) & 0xff}` : `init killed by signal ${sig}`;
  }

  /** The terminal's new size: TIOCGWINSZ reads it; the console's foreground gets SIGWINCH. */
  resize(cols: number, rows: number): void {
    this.kernel.setConsoleSize(cols, rows);
  }

  /**
   * The IDE's Kill (machine.kill): SIGKILL ends the task at once with a note in the kernel log;
   * other signals act as kill(2) from the kernel would. SIGKILL to init takes every task left with
   * it, as Linux panics when init dies, so the machine halts. Null: no such live task.
   */
  kill(pid: number, sig: number): KillResult | null {
    const k = this.kernel;
    const task = k.tasks.get(pid);
    if (!task || task.state !== 'alive') return null;
    const name = task.name;
    if (sig !== SIGKILL) k.signal(task, sig, 0, 'from the IDE');
    else {
      k.killTask(task, SIGKILL, 'killed from the IDE');
      if (pid === this.initPid)
        for (const t of k.tasks.all())
          if (t.state === 'alive') k.killTask(t, SIGKILL, 'init was killed from the IDE');
    }
    return { pid, name, signal: sig, ended: task.state !== 'alive' };
  }

  /** Keystrokes from the host; fed to the TTY as the guest takes them. */
  feed(bytes: Uint8Array): void {
    if (bytes.length > 0) this.input.push(bytes.slice());
    this.pump();
  }

  get inputWaiting(): boolean {
    return this.input.length > 0;
  }

  private pump(): void {
    const tty = this.kernel.console;
    while (this.input.length > 0 && tty.pending < FEED_BYTES) {
      const head = this.input[0]!;
      const take = head.subarray(0, FEED_BYTES);
      if (take.length === head.length) this.input.shift();
      else this.input[0] = head.subarray(take.length);
      tty.feed(take);
    }
  }

  /** Console output since the last call, as text (a split UTF-8 sequence waits for its end). */
  takeOutput(): string {
    if (this.output.length === 0) return '';
    const chunks = this.output;
    this.output = [];
    let text = '';
    for (const c of chunks) text += this.decoder.decode(c, { stream: true });
    return text;
  }

  counters(): GuestCounters {
    return { instructions: this.board.hart.instret, ...this.counts };
  }
}
