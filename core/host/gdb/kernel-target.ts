// The GDB stub's view of a running Futura kernel: the whole machine, with every live task a GDB
// thread (thread id = pid). Registers and memory are those of the thread GDB selected (Hg): the
// task's registers (on the hart while it is loaded, else its saved context) and its address space
// through its page table. Resuming runs the whole kernel — every task — at full speed:
// breakpoints are ebreak patches (core/host/debug/patches.ts) the kernel hands back through
// Kernel.onEbreak, write watchpoints are MMU hook pages (./watchpoints). The session ends with an
// exit reply when the main task (the program of `futura run`, init of `futura boot`) ends.
//
// A breakpoint applies to the program of the thread selected when GDB first inserted it (every
// task running that executable, forks included), since user programs share their addresses.

import type { Kernel, RunOutcome } from '../../kernel/boot/kernel';
import type { Task } from '../../kernel/task';
import { BreakpointPatches } from '../debug/patches';
import { TaskAccess } from '../debug/task-access';
import type { DebugTarget, PointType, ResumeControl, StopReason } from './stub';
import { REG_F0, REG_FCSR, REG_FFLAGS, REG_FRM, REG_PC } from './target-xml';
import { WriteWatches } from './watchpoints';

/** Instructions (of any task) a step waits for its thread to move (a blocked ecall) before it reports anyway. */
const STEP_PATIENCE = 1_000_000;
/** Single instructions per slice while a step waits, so the host stays responsive. */
const STEP_SLICE = 20_000;

export interface SliceResult {
  stop: StopReason | null;
  outcome: RunOutcome;
}

/** Runs resumed slices until a stop; the CLI's loop (./drive) or the IDE's machine loop. */
export type Driver = (slice: (budget: number) => SliceResult, ctl: ResumeControl) => Promise<StopReason>;

export interface KernelTargetOptions {
  /** The task whose end is the target's end (W/X reply). Default 1. */
  mainPid?: number;
  /** Who runs slices while GDB lets the target run. */
  driver: Driver;
  /** GDB's kill. Default: every task is killed. */
  kill?: () => void;
}

interface Point {
  type: PointType;
  scope: string | null;
}

export class KernelDebugTarget implements DebugTarget {
  private readonly mainPid: number;
  private readonly patches: BreakpointPatches;
  private readonly watches: WriteWatches;
  /** Breakpoints by address. */
  private readonly points = new Map<number, Point>();
  /** The program each address was first inserted for (GDB reinserts around every stop). */
  private readonly scopes = new Map<number, string | null>();
  /** Hg: the thread registers and memory are read from (0: the stop thread). */
  private selected = 0;
  /** Hc: the thread `s` and `c` apply to. */
  private resumeThread = 0;
  private stopThread: number;
  private hit: { pid: number; pc: number } | null = null;
  /** The thread and pc the target last stopped at: resuming there steps off a breakpoint first. */
  private stoppedAt: { pid: number; pc: number } | null = null;
  private readonly prevEbreak: Kernel['onEbreak'];
  private readonly prevExec: Kernel['onExec'];
  private detached = false;

  constructor(
    readonly kernel: Kernel,
    private readonly opts: KernelTargetOptions,
  ) {
    this.mainPid = opts.mainPid ?? 1;
    this.stopThread = this.mainPid;
    this.patches = new BreakpointPatches(kernel);
    this.watches = new WriteWatches(kernel);
    this.prevEbreak = kernel.onEbreak;
    this.prevExec = kernel.onExec;
    kernel.onEbreak = (th) => {
      const pc = kernel.board.hart.pc >>> 0;
      if (this.patches.isPatched(th.task, pc)) {
        this.hit = { pid: th.task.pid, pc };
        return true;
      }
      return this.prevEbreak?.(th) ?? false;
    };
    // A program exec'd mid-slice gets its breakpoints before its first instruction.
    kernel.onExec = (task) => {
      if (this.points.size > 0) this.syncPatches();
      this.prevExec?.(task);
    };
    const first = this.liveThreads()[0];
    if (first !== undefined && !this.liveThreads().includes(this.stopThread)) this.stopThread = first;
  }

  /** Takes the patches and hooks out again (GDB detached); the kernel runs on unobserved. */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.points.clear();
    this.patches.removeAll();
    this.watches.clear();
    this.kernel.onEbreak = this.prevEbreak;
    this.kernel.onExec = this.prevExec;
  }

  // ---- threads ----

  private liveThreads(): number[] {
    return this.kernel.tasks
      .all()
      .filter((t) => t.state === 'alive' && t.mainThread)
      .map((t) => t.pid)
      .sort((a, b) => a - b);
  }

  threads(): number[] {
    return this.liveThreads();
  }

  threadAlive(tid: number): boolean {
    return new TaskAccess(this.kernel, tid).thread() !== null;
  }

  threadInfo(tid: number): string {
    const th = new TaskAccess(this.kernel, tid).thread();
    return th ? `${th.task.name} ${th.state}` : 'gone';
  }

  currentThread(): number {
    return this.threadAlive(this.stopThread) ? this.stopThread : (this.liveThreads()[0] ?? this.mainPid);
  }

  selectThread(op: 'g' | 'c', tid: number): boolean {
    if (tid > 0 && !this.threadAlive(tid)) return false;
    if (op === 'g') this.selected = tid > 0 ? tid : 0;
    else this.resumeThread = tid > 0 ? tid : 0;
    return true;
  }

  private access(): TaskAccess {
    const pid = this.selected > 0 && this.threadAlive(this.selected) ? this.selected : this.currentThread();
    return new TaskAccess(this.kernel, pid);
  }

  // ---- registers and memory ----

  readRegister(n: number): bigint | null {
    const r = this.access().regs();
    if (!r) return null;
    if (n >= 0 && n < 32) return BigInt(r.x[n]! >>> 0);
    if (n === REG_PC) return BigInt(r.getPc());
    if (n >= REG_F0 && n < REG_F0 + 32) {
      const i = n - REG_F0;
      return (BigInt(r.f[2 * i + 1]!) << 32n) | BigInt(r.f[2 * i]!);
    }
    if (n === REG_FFLAGS) return BigInt(r.fflags);
    if (n === REG_FRM) return BigInt(r.frm);
    if (n === REG_FCSR) return BigInt((r.frm << 5) | r.fflags);
    return null;
  }

  writeRegister(n: number, value: bigint): boolean {
    const r = this.access().regs();
    if (!r) return false;
    const lo = Number(value & 0xffffffffn);
    if (n > 0 && n < 32) r.x[n] = lo | 0;
    else if (n === 0) return true;
    else if (n === REG_PC) r.setPc(lo);
    else if (n >= REG_F0 && n < REG_F0 + 32) {
      const i = n - REG_F0;
      r.f[2 * i] = lo;
      r.f[2 * i + 1] = Number((value >> 32n) & 0xffffffffn);
    } else if (n === REG_FFLAGS) r.fflags = lo & 0x1f;
    else if (n === REG_FRM) r.frm = lo & 7;
    else if (n === REG_FCSR) {
      r.fflags = lo & 0x1f;
      r.frm = (lo >> 5) & 7;
    } else return false;
    return true;
  }

  /** Memory as the program wrote it: our ebreaks show as the instructions they cover. */
  readMemory(addr: number, len: number): Uint8Array | null {
    const a = this.access();
    const bytes = a.readMemory(addr, len);
    const task = a.thread()?.task;
    return bytes && task ? this.patches.overlay(task, addr >>> 0, bytes) : bytes;
  }

  writeMemory(addr: number, bytes: Uint8Array): boolean {
    return this.access().writeMemory(addr, bytes);
  }

  // ---- breakpoints and watchpoints ----

  insertPoint(type: PointType, addr: number, kind: number): boolean | null {
    const a = addr >>> 0;
    if (type === 0 || type === 1) {
      if (!this.scopes.has(a)) this.scopes.set(a, this.access().thread()?.task.name ?? null);
      this.points.set(a, { type, scope: this.scopes.get(a) ?? null });
      this.syncPatches();
      return true;
    }
    if (type === 2) return this.watches.add(this.access().pid, a, kind);
    return null; // read and access watchpoints: loads have no cheap hook
  }

  removePoint(type: PointType, addr: number, kind: number): boolean | null {
    const a = addr >>> 0;
    if (type === 0 || type === 1) {
      this.points.delete(a);
      this.syncPatches();
      return true;
    }
    if (type === 2) {
      this.watches.remove(null, a, kind);
      return true;
    }
    return null;
  }

  private syncPatches(): void {
    this.patches.sync((task: Task) => {
      const out: number[] = [];
      for (const [a, p] of this.points) if (p.scope === null || p.scope === task.name) out.push(a);
      return out;
    });
  }

  // ---- running ----

  private ended(): StopReason | null {
    const main = new TaskAccess(this.kernel, this.mainPid);
    if (main.thread()) return null;
    const e = main.ending();
    if (!e) return null;
    return 'signal' in e ? { kind: 'signalled', signal: e.signal } : { kind: 'exited', code: e.code };
  }

  resume(mode: 'step' | 'continue', ctl: ResumeControl): Promise<StopReason> {
    const tid = ctl.thread ?? (this.resumeThread > 0 ? this.resumeThread : this.currentThread());
    const patience = { left: STEP_PATIENCE };
    const slice = (budget: number): SliceResult =>
      mode === 'step'
        ? this.stepSlice(tid, Math.min(budget, STEP_SLICE), patience)
        : this.continueSlice(budget);
    return this.opts.driver(slice, ctl).then((stop) => this.noteStop(stop));
  }

  private noteStop(stop: StopReason): StopReason {
    if ('thread' in stop && stop.thread !== undefined) this.stopThread = stop.thread;
    else if (stop.kind === 'interrupt') {
      const cur = this.kernel.sched.current;
      if (cur && cur.task.state === 'alive') this.stopThread = cur.task.pid;
      stop = { kind: 'interrupt', thread: this.currentThread() };
    }
    this.selected = 0;
    const pc = new TaskAccess(this.kernel, this.stopThread).pc();
    this.stoppedAt = pc === null ? null : { pid: this.stopThread, pc };
    return stop;
  }

  /** One instruction of `tid` (other tasks may run meanwhile, as they would on the machine). */
  private stepSlice(tid: number, budget: number, patience: { left: number }): SliceResult {
    const access = new TaskAccess(this.kernel, tid);
    const start = access.pc();
    const task = this.kernel.tasks.get(tid);
    if (start === null || !task) return { stop: this.ended() ?? { kind: 'step' }, outcome: 'budget' };
    let outcome: RunOutcome = 'budget';
    for (let n = 0; n < budget; n++) {
      if (--patience.left < 0) break;
      this.hit = null;
      outcome = this.patches.withOriginal(task, start, () => this.kernel.run(1));
      const end = this.ended();
      if (end) return { stop: end, outcome };
      const hit = this.takeHit(outcome);
      if (hit && (hit.kind === 'watch' || hit.thread !== tid)) return { stop: hit, outcome };
      if (access.thread() === null) return { stop: { kind: 'step' }, outcome }; // the task ended
      if (access.pc() !== start) return { stop: { kind: 'step', thread: tid }, outcome };
      if (outcome === 'idle') return { stop: null, outcome }; // blocked: let the driver wait for input
    }
    if (patience.left < 0) return { stop: { kind: 'step', thread: tid }, outcome };
    return { stop: null, outcome }; // still waiting: the next slice goes on
  }

  private continueSlice(budget: number): SliceResult {
    this.syncPatches();
    if (this.watches.size > 0) this.watches.sync();
    let left = budget;
    const at = this.stoppedAt;
    this.stoppedAt = null;
    if (at) {
      // Resuming on a breakpoint: its instruction runs first, from the original bytes.
      const task = this.kernel.tasks.get(at.pid);
      const cur = this.kernel.sched.current;
      if (task && cur?.task === task && cur.state === 'running' && this.patches.isPatched(task, at.pc)) {
        if (new TaskAccess(this.kernel, at.pid).pc() === at.pc) {
          this.hit = null;
          const out = this.patches.withOriginal(task, at.pc, () => this.kernel.run(1));
          left--;
          const stop = this.ended() ?? this.takeHit(out);
          if (stop) return { stop, outcome: out };
        }
      }
    }
    this.hit = null;
    const outcome = this.kernel.run(Math.max(1, left));
    const stop = this.ended() ?? this.takeHit(outcome);
    return { stop, outcome };
  }

  /** A claimed ebreak or a watched store, as a stop. */
  private takeHit(outcome: RunOutcome): Extract<StopReason, { kind: 'breakpoint' | 'watch' }> | null {
    const w = this.watches.take();
    if (w) return { kind: 'watch', thread: w.pid, address: w.address };
    if (outcome !== 'break') return null;
    const hit = this.hit as { pid: number; pc: number } | null;
    this.hit = null;
    if (!hit) {
      const cur = this.kernel.sched.current;
      return { kind: 'breakpoint', thread: cur?.task.pid }; // another debugger's ebreak
    }
    const p = this.points.get(hit.pc);
    return { kind: 'breakpoint', thread: hit.pid, hw: p?.type === 1 };
  }

  /** `monitor ps` lists every task (GDB's threads are the live ones); `monitor help`. */
  monitor(command: string): string {
    if (command === 'ps' || command === 'tasks') {
      const rows = this.kernel.tasks.all().map((t) => {
        const th = t.mainThread;
        const state = t.state === 'alive' ? (th?.state ?? '?') : 'zombie';
        return `${String(t.pid).padStart(5)} ${String(t.parent?.pid ?? 0).padStart(5)}  ${state.padEnd(9)}${t.name}`;
      });
      return ['  PID  PPID  STATE    NAME', ...rows, ''].join('\n');
    }
    if (command === 'help' || command === '')
      return 'monitor ps    every task: pid, parent, state, program (the live ones are the threads)\n';
    return `unknown monitor command '${command}' (try: monitor help)\n`;
  }

  kill(): void {
    if (this.opts.kill) this.opts.kill();
    else for (const t of this.kernel.tasks.all()) this.kernel.killTask(t, 9, 'killed by the debugger');
  }
}
