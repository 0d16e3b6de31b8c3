// The Futura kernel proper: owns the frame pool, VFS, FIPC, tasks and the virtual clock, and runs
// the trap loop — hart.run(slice) in U-mode until an exit (ecall, page fault, fault, budget), then
// serves it. Cooperative by default: a thread runs until it blocks, sleeps, yields or exits.

import type { Board } from '../../machine/board';
import { Exit, type ExitCode } from '../../machine/hart';
import { PRIV_U, MS } from '../../machine/csr';
import { TlbSnapshot } from '../../machine/mmu';
import { SIGBUS, SIGCHLD, SIGILL, SIGINT, SIGKILL, SIGSEGV, SIGTRAP, O_RDWR } from '../abi';
import { EACCES, EAGAIN, ENOSYS, ENOMEM, errnoName } from '../errno';
import { Fipc } from '../ipc/fipc';
import { createProcessImage, isLoadFailure, type LoadFailure } from '../loader';
import type { FutMm, FaultAccess, FutMmOptions } from '../mm';
import { FramePool } from '../pmm';
import { VirtualClock } from '../sched/clock';
import { isBlocked } from '../sched/waitq';
import { Scheduler, TaskTable, signalStatus, type Task, type Thread } from '../task';
import { ExitLog } from '../task/exits';
import { SIGWINCH } from '../task/signals';
import { DEV_CONSOLE, DEV_FB0, Vfs } from '../vfs';
import { syscallTable } from '../sys/table';
import type { Handler, SysResult } from '../sys/types';
import { TtyConsole } from '../drivers/tty';
import { fbDriver } from './fb';
import { mountProcfs } from './procfs';
import { SIGRETURN_VA, deliverSignal, sendSignal, sigreturn } from './signal';
import { faultReport } from './fault';
import { KernelCounters } from './counters';

/** How many of the kernel's notes the host keeps (Kernel.log). */
export const LOG_CAPACITY = 1000;

export interface KernelOptions {
  /** Instructions per virtual millisecond (default 10,000 ≈ 10 MIPS of guest time). */
  instructionsPerMs?: number;
  /** RAM kept back from the frame pool (default 1 MiB). */
  reservedBytes?: number;
  /** Longest uninterrupted slice in instructions (default 200,000). */
  sliceInstructions?: number;
  /** Console output. */
  onOutput?: (bytes: Uint8Array) => void;
  /** Kernel messages (fatal signals, stack overflows). */
  onLog?: (line: string) => void;
  /** Preempt the running thread at each 100 Hz tick. */
  preemptive?: boolean;
  /** Console output turns '\n' into '\r\n' (for real terminals). */
  onlcr?: boolean;
  /** Called after each system call the trap loop serves (tracing); `result` as the handler returned it. */
  onSyscall?: (th: Thread, nr: number, args: readonly number[], result: SysResult) => void;
  /** Most tasks (zombies included) at once; fork beyond it fails with -EAGAIN. Default 256. */
  maxTasks?: number;
  /** Most anonymous frames one task may have mapped (brk, mmap, stack, COW copies). Default 65,536 (256 MiB). */
  taskFrameQuota?: number;
  /** Frames user allocations never take, so page tables and teardown always have room. Default 64. */
  reserveFrames?: number;
}

/** 'break': a debugger claimed an ebreak (see onEbreak); the thread stays on it, unchanged. */
export type RunOutcome = 'budget' | 'idle' | 'exited' | 'break';

const FS_INITIAL = 1 << 13;

export class Kernel {
  readonly board: Board;
  readonly pool: FramePool;
  readonly clock: VirtualClock;
  readonly tasks = new TaskTable();
  readonly sched: Scheduler;
  readonly vfs: Vfs;
  readonly fipc: Fipc;
  readonly console: TtyConsole;
  /** The thread whose system call is being served (procfs's `self`); null between calls. */
  caller: Thread | null = null;
  /** Context switches, system calls, page faults (inspect's counters). */
  readonly counters = new KernelCounters();
  /** Wait status of the tasks that ended, by pid (the newest EXIT_LOG_CAPACITY of them). */
  readonly exits = new ExitLog();
  /** The kernel's notes (kills, refused forks, failed execs): the newest LOG_CAPACITY of them. */
  readonly log: string[] = [];
  /** Handlers by number, in an array: the trap loop looks one up per call (no Map hashing). */
  private readonly syscalls: (Handler | undefined)[] = handlerArray(syscallTable());
  private readonly args: number[] = [0, 0, 0, 0, 0, 0];
  private readonly opts: KernelOptions;
  /** Kernel writes into guest RAM drop the hart's translations of those bytes. */
  private readonly mmOptions: FutMmOptions;
  private loaded: Thread | null = null;
  /**
   * A debugger's breakpoints are ebreaks it wrote into text: it claims those (returns true) and
   * run() returns 'break' with the thread on the ebreak. Unclaimed ebreaks kill with SIGTRAP.
   */
  onEbreak: ((th: Thread) => boolean) | null = null;
  /** Called when a task has a new program image (execve): a debugger puts its breakpoints in. */
  onExec: ((task: Task) => void) | null = null;
  /** Called after each system call is served: a debugger checks its watched bytes (read() fills them). */
  onSyscallServed: ((th: Thread, nr: number) => void) | null = null;
  private debugBreak = false;
  /** Which limit refusals each task has had reported (noteOnce). */
  private readonly noted = new WeakMap<Task, Set<string>>();
  private loadedMm: FutMm | null = null;
  private loadedGen = -1;

  constructor(board: Board, opts: KernelOptions = {}) {
    this.board = board;
    this.opts = opts;
    this.mmOptions = {
      onKernelWrite: (pa, len) => this.board.hart.invalidateCode(pa, len),
      frameQuota: opts.taskFrameQuota ?? 65_536,
      reserveFrames: opts.reserveFrames ?? 64,
    };
    const h = board.hart;
    h.hosted = true;
    this.pool = new FramePool(board.ram, { reservedBytes: opts.reservedBytes ?? 1 << 20 });
    this.clock = new VirtualClock(opts.instructionsPerMs ?? 10_000);
    this.sched = new Scheduler(this.tasks);
    const wake = (tid: number): void => this.sched.wake(tid);
    const now = (): number => this.clock.nowMs;
    this.vfs = new Vfs({ now, wake });
    this.fipc = new Fipc({ now, wake });
    this.console = new TtyConsole({
      out: (b) => opts.onOutput?.(b),
      wake,
      onInterrupt: () => this.interruptForeground(),
      onResize: () => this.signalForeground(SIGWINCH, 'window size changed'),
      groupExists: (pgid) => this.tasks.all().some((t) => t.state === 'alive' && t.pgid === pgid),
      onlcr: opts.onlcr,
    });
    this.vfs.addCharDevice('console', this.console, DEV_CONSOLE);
    this.vfs.addCharDevice('fb0', fbDriver(board.fb), DEV_FB0);
    this.vfs.mkdir('/tmp', 0o1777);
    mountProcfs(this);
  }

  /** Starts the executable at `path` as a new task (the first one is pid 1, init). */
  spawn(
    path: string,
    argv: readonly string[],
    envp: readonly string[] = [],
    parent?: Task,
  ): Task | LoadFailure {
    const bytes = this.vfs.readFile(path);
    if (typeof bytes === 'number') return { errno: bytes, message: `${path}: ${errnoName(bytes)}` };
    const img = createProcessImage(this.pool, bytes, argv, envp, this.mmOptions);
    if (isLoadFailure(img)) return img;
    this.invalidateCode();
    const task = this.tasks.spawn({ name: basename(path), mm: img.mm, parent, cwd: this.vfs.root });
    for (let fd = 0; fd < 3; fd++) {
      const f = this.vfs.open('/dev/console', O_RDWR);
      if (typeof f !== 'number') task.fds.install(f);
    }
    const th = task.mainThread!;
    th.ctx.pc = img.entry;
    th.ctx.x[2] = img.sp;
    this.sched.makeReady(th);
    return task;
  }

  /** Runs guest code for up to `maxInstructions`. */
  run(maxInstructions: number): RunOutcome {
    const h = this.board.hart;
    let done = 0;
    while (done < maxInstructions) {
      if (this.tasks.aliveCount === 0) return 'exited';
      let th = this.sched.current;
      if (!th || th.state !== 'running') th = this.sched.pick();
      if (!th) {
        const d = this.sched.timers.nextDeadline();
        if (d === undefined) return 'idle';
        this.clock.jumpTo(d); // an idle machine jumps straight to the next timer
        this.sched.advanceTo(this.clock.nowMs);
        continue;
      }
      if (th.task.signals.pending !== 0 && th.task.signals.deliverable !== 0) {
        if (this.loaded === th) this.unload(true);
        deliverSignal(this, th);
        continue;
      }
      if (th.retry && this.loaded !== th) {
        th.retry = false; // a woken thread's blocked call runs again before it resumes
        const r = this.call(th, th.ctx.x);
        this.finish(th, th.ctx, r, false);
        if (r === 'noreturn' || th.state !== 'running') continue;
      }
      this.load(th);
      let slice = Math.min(maxInstructions - done, this.opts.sliceInstructions ?? 200_000);
      const d = this.sched.timers.nextDeadline();
      if (d !== undefined) slice = Math.min(slice, this.clock.instructionsUntil(d));
      slice = Math.max(1, slice);
      const before = h.instret;
      const exit = h.run(slice);
      const n = h.instret - before;
      th.task.cpuInstret += n;
      if (exit === Exit.Halt) return 'budget'; // the host stopped the hart
      done += Math.max(n, 1); // an exit without progress (wfi, interrupt) still uses up budget
      this.clock.retire(n);
      const ticks = this.sched.advanceTo(this.clock.nowMs);
      this.serve(th, exit);
      if (this.debugBreak) {
        this.debugBreak = false;
        return 'break';
      }
      if (ticks > 0 && this.opts.preemptive && th.state === 'running') {
        this.unload(true);
        this.sched.yield(th);
      }
    }
    return 'budget';
  }

  /** Ends a task with a wait status (exit or signal). */
  exitTask(task: Task, waitStatus: number): void {
    if (this.loaded?.task === task) this.unload(false);
    this.fipc.forgetTask(task.pid);
    this.exits.set(task.pid, waitStatus);
    this.sched.exitTask(task, waitStatus);
    if (task.parent) sendSignal(this, task.parent, SIGCHLD, task.pid);
  }

  /**
   * Sends a signal as kill() does (docs/signals.md): the default action at once, nothing when
   * ignored, or pending for the task's handler (a blocked call returns -EINTR).
   */
  signal(task: Task, sig: number, from = 0, why?: string): void {
    sendSignal(this, task, sig, from, why);
  }

  /** rt_sigreturn for a thread (the syscall, or its handler returning to SIGRETURN_VA). */
  returnFromSignal(th: Thread): 'noreturn' {
    if (this.loaded === th) this.unload(true);
    if (!sigreturn(th)) {
      const sp = (th.ctx.x[2]! >>> 0).toString(16);
      this.killTask(th.task, SIGSEGV, `rt_sigreturn without a valid signal frame at sp 0x${sp}`);
    }
    return 'noreturn';
  }

  /**
   * The default action of every signal here: terminate with status = signal. Works whatever the
   * task is doing (running, ready, blocked on any wait queue, sleeping); its parent can then reap it.
   * False when there is no such live task.
   */
  killTask(target: Task | number, sig: number, why?: string): boolean {
    const task = typeof target === 'number' ? this.tasks.get(target) : target;
    if (!task || task.state !== 'alive') return false;
    this.note(`pid ${task.pid} (${task.name}) killed by signal ${sig}${why ? `: ${why}` : ''}`);
    this.exitTask(task, signalStatus(sig));
    return true;
  }

  /**
   * The host terminal's size (docs/tty.md): TIOCGWINSZ reads it, and a change sends SIGWINCH to
   * the console's foreground as ^C picks it (see interruptForeground).
   */
  setConsoleSize(cols: number, rows: number): void {
    const s = this.console.winsize;
    this.console.resize({ ...s, cols, rows });
  }

  /**
   * ^C on the console: SIGINT to every task of the console's foreground process group (TIOCSPGRP)
   * when one is set and alive; otherwise to the newest live task that has the console open.
   */
  interruptForeground(): void {
    this.signalForeground(SIGINT, '^C');
  }

  /** `sig` to the console's foreground (interruptForeground's rule). */
  private signalForeground(sig: number, why: string): void {
    const alive = this.tasks.all().filter((t) => t.state === 'alive');
    const pgrp = this.console.pgrp;
    let targets = pgrp === 0 ? [] : alive.filter((t) => t.pgid === pgrp);
    if (targets.length === 0) {
      const holder = alive
        .filter((t) => t.fds.list().some((f) => f.file.vnode.driver === this.console))
        .sort((a, b) => b.pid - a.pid)[0];
      targets = holder ? [holder] : [];
    }
    for (const t of targets) this.signal(t, sig, 0, why);
  }

  /** clone(SIGCHLD): a COW child resuming after the ecall with a0 = 0. */
  fork(th: Thread): number {
    const parent = th.task;
    const max = this.opts.maxTasks ?? 256;
    if (this.tasks.size >= max) {
      this.noteOnce(parent, 'fork', `fork refused, task limit of ${max} reached (EAGAIN)`);
      return -EAGAIN;
    }
    const reserve = this.mmOptions.reserveFrames ?? 0;
    if (parent.mm && this.pool.free - parent.mm.tableFrames < reserve) {
      this.noteOnce(parent, 'fork', 'fork refused, frame pool down to the kernel reserve (ENOMEM)');
      return -ENOMEM;
    }
    th.ctx.saveFrom(this.board.hart);
    const child = this.tasks.fork(parent, th);
    if (typeof child === 'number') {
      this.note(`pid ${parent.pid} (${parent.name}): fork failed, out of memory (ENOMEM)`);
      return -ENOMEM;
    }
    this.loadedGen = -1; // the parent's PTEs lost W: flush before it runs on
    child.mainThread!.ctx.pc = (th.ctx.pc + 4) >>> 0;
    this.fipc.inherit(th.task.pid, child.pid);
    this.sched.makeReady(child.mainThread!);
    return child.pid;
  }

  /** execve: on success the thread starts the new image (no return); on failure the old image is intact. */
  exec(th: Thread, path: string, argv: string[], envp: string[]): number | 'noreturn' {
    const v = this.vfs.resolve(path, th.task.cwd ?? this.vfs.root);
    if (typeof v === 'number') return v;
    if (v.type !== 'reg') return -EACCES;
    const img = createProcessImage(this.pool, v.data.slice(0, v.size), argv, envp, this.mmOptions);
    if (isLoadFailure(img)) {
      this.note(`execve ${path}: ${img.message}`);
      return img.errno;
    }
    this.invalidateCode();
    const old = th.task.mm;
    th.task.mm = img.mm;
    old?.release();
    th.task.fds.closeOnExec();
    th.task.signals.exec();
    th.task.name = basename(path);
    th.ctx.x.fill(0);
    th.ctx.f.fill(0);
    th.ctx.fflags = th.ctx.frm = 0;
    th.ctx.x[2] = img.sp;
    th.ctx.pc = img.entry;
    this.loaded = null;
    this.load(th);
    this.onExec?.(th.task);
    return 'noreturn';
  }

  // ---- the trap loop's pieces ----

  private serve(th: Thread, exit: ExitCode): void {
    const h = this.board.hart;
    const task = th.task;
    switch (exit) {
      case Exit.Ecall:
        this.syscall(th);
        break;
      case Exit.PageFault: {
        this.counters.pageFaults++;
        const access: FaultAccess = h.exitCause === 12 ? 'exec' : h.exitCause === 15 ? 'write' : 'read';
        if (access === 'exec' && h.exitTval >>> 0 === SIGRETURN_VA) {
          this.returnFromSignal(th); // a signal handler returned
          break;
        }
        const r = task.mm!.handleFault(h.exitTval >>> 0, access, h.x[2]!);
        if (r === 'resolved') break;
        const report = faultReport(task.mm!, r, access, h.exitTval >>> 0, h.pc >>> 0);
        this.killTask(
          task,
          r !== 'stack-overflow' && r.reason.startsWith('out of memory') ? SIGKILL : SIGSEGV,
          report,
        );
        break;
      }
      case Exit.AccessFault:
        this.killTask(task, SIGSEGV, `access fault at 0x${(h.exitTval >>> 0).toString(16)}`);
        break;
      case Exit.Illegal:
        this.killTask(task, SIGILL, `illegal instruction at pc 0x${(h.pc >>> 0).toString(16)}`);
        break;
      case Exit.Misaligned:
        this.killTask(task, SIGBUS, `misaligned access at 0x${(h.exitTval >>> 0).toString(16)}`);
        break;
      case Exit.Ebreak:
        if (this.onEbreak?.(th)) {
          this.debugBreak = true;
          break;
        }
        this.killTask(task, SIGTRAP, `ebreak at pc 0x${(h.pc >>> 0).toString(16)}`);
        break;
      default:
        break; // budget, interrupts, wfi: just continue
    }
  }

  /** Runs one system call for a thread (the trap loop's dispatch; also used by tests and tools). */
  dispatch(th: Thread, nr: number, args: readonly number[]): SysResult {
    const n = nr >>> 0;
    const handler = n < this.syscalls.length ? this.syscalls[n] : undefined;
    if (!handler) return -ENOSYS;
    this.caller = th;
    try {
      return handler(this, th, args);
    } finally {
      this.caller = null;
    }
  }

  private syscall(th: Thread): void {
    const h = this.board.hart;
    const r = this.call(th, h.x);
    this.finish(th, h, r, true);
    const mm = th.task.mm;
    if (this.loaded === th && mm && mm.generation !== this.loadedGen) {
      h.flushTlb();
      this.loadedGen = mm.generation;
    }
  }

  /** Dispatches the call in a7 with a0–a5 from `x` (the hart's or a saved context's registers). */
  private call(th: Thread, x: Int32Array): SysResult {
    const args = this.args; // reused: handlers and onSyscall read it during the call only
    for (let i = 0; i < 6; i++) args[i] = x[10 + i]!;
    const nr = x[17]!;
    this.counters.syscall(nr);
    const r = this.dispatch(th, nr, args);
    this.opts.onSyscall?.(th, nr, args, r);
    this.onSyscallServed?.(th, nr);
    return r;
  }

  /**
   * Applies a call's result to the registers it came from. A blocked call leaves pc on the ecall
   * and marks the thread to retry: when woken, the kernel runs the call again from the saved
   * context before putting it back on the hart (no second trap through the ecall).
   */
  private finish(
    th: Thread,
    regs: { readonly x: Int32Array; pc: number },
    r: SysResult,
    onHart: boolean,
  ): void {
    if (r === 'noreturn') return;
    if (typeof r === 'number') {
      regs.x[10] = r;
      regs.pc = (regs.pc + 4) >>> 0;
      return;
    }
    if (isBlocked(r)) {
      if (onHart) this.unload(true);
      th.retry = true;
      this.sched.block(th, r.blocked);
      return;
    }
    regs.x[10] = 0;
    regs.pc = (regs.pc + 4) >>> 0;
    if (onHart) this.unload(true);
    if (r === 'yield') this.sched.yield(th);
    else this.sched.sleepUntil(th, r.sleepUntil);
  }

  /** Puts a thread's context on the hart (and its address space in satp). */
  private load(th: Thread): void {
    const h = this.board.hart;
    const mm = th.task.mm!;
    if (this.loaded !== th) {
      if (this.loaded) this.unload(true);
      this.counters.contextSwitches++;
      th.ctx.restoreTo(h);
      h.priv = PRIV_U;
      h.mstatus = (h.mstatus & ~MS.FS) | FS_INITIAL;
      this.loaded = th;
    }
    let reuse = false;
    if (this.loadedMm !== mm) {
      this.keepTlb();
      h.setSatp(mm.satp);
      this.loadedMm = mm;
      this.loadedGen = mm.generation;
      reuse = mm.tlb !== null && mm.tlbGeneration === mm.generation;
    } else if (this.loadedGen !== mm.generation) {
      h.flushTlb();
      this.loadedGen = mm.generation;
    }
    h.updateMode();
    // The entries this space had when it was switched away from: its tables have not changed
    // since (same generation), so they are still right and save a page walk per page touched.
    if (reuse) h.mmu.restoreTlb(mm.tlb!);
  }

  /** Saves the TLB of the address space on the hart before another replaces it (see load). */
  private keepTlb(): void {
    const out = this.loadedMm;
    // The TLB holds translations of generation loadedGen; a space released or changed since is skipped.
    if (out === null || out.refCount === 0 || out.generation !== this.loadedGen) return;
    out.tlb ??= new TlbSnapshot();
    this.board.hart.mmu.saveTlb(out.tlb);
    out.tlbGeneration = this.loadedGen;
  }

  private unload(save: boolean): void {
    if (this.loaded && save) this.loaded.ctx.saveFrom(this.board.hart);
    this.loaded = null;
  }

  /** New code was written into RAM behind the MMU's back: drop every translation. */
  private invalidateCode(): void {
    const ram = this.board.ram;
    this.board.hart.invalidateCode(ram.base, ram.size);
  }

  /**
   * A refusal at a limit (fork, memory), said once per task and kind: a guest that retries in a loop
   * would otherwise flood the log with the same line while the machine runs on.
   */
  noteOnce(task: Task, kind: 'fork' | 'memory', what: string): void {
    let kinds = this.noted.get(task);
    if (!kinds) this.noted.set(task, (kinds = new Set()));
    if (kinds.has(kind)) return;
    kinds.add(kind);
    this.note(`pid ${task.pid} (${task.name}): ${what}; later refusals are not reported`);
  }

  private note(line: string): void {
    this.log.push(line);
    // Trimmed in halves so a guest that is killed over and over costs amortised O(1) a note.
    if (this.log.length > 2 * LOG_CAPACITY) this.log.splice(0, this.log.length - LOG_CAPACITY);
    this.opts.onLog?.(line);
  }
}

function handlerArray(table: Map<number, Handler>): (Handler | undefined)[] {
  const out: (Handler | undefined)[] = [];
  const top = Math.max(...table.keys());
  for (let nr = 0; nr <= top; nr++) out.push(table.get(nr));
  return out;
}

function basename(path: string): string {
  const parts = path.split('/').filter((p) => p);
  return parts[parts.length - 1] ?? path;
}
