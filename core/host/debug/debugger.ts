// The source-level debugger over a running kernel. Breakpoints (source line, function, address,
// with conditions), memory-write watchpoints, per-task focus, kernel events as stops (system call
// by number, page fault, task exit, FIPC send on a channel), and line/instruction stepping.
// Breakpoints are ebreak patches and watchpoints write-hooked pages, so with only those the guest
// runs at full speed between hits; events and steps make the kernel run one instruction at a time,
// each checked before it executes. A stop pauses the whole machine.

import type { Kernel, RunOutcome } from '../../kernel/boot/kernel';
import { disassembleRange } from '../../machine/disasm';
import { evaluate, parseCondition, type Cond } from './expr';
import type { ProgramInfo, SourceLocation } from './program-info';
import { TaskAccess } from './task-access';
import { XREG_NAMES } from '../gdb/target-xml';
import { unwind, type Frame } from './unwind';
import type {
  BreakpointSpec,
  BreakpointState,
  RegisterSet,
  StackFrame,
  StopEvent,
  StopReason,
} from '../../protocol/debug';

export type { BreakpointSpec, BreakpointState, RegisterSet, StackFrame, StopEvent, StopReason };
import { frameVariables, type Variable } from './variables';
import { BreakpointPatches } from './patches';
import type { Task } from '../../kernel/task';
import { WriteWatches } from '../gdb/watchpoints';

export interface WatchSpec {
  pid: number;
  address: number;
  length: 1 | 2 | 4 | 8;
}

export interface EventStops {
  syscalls?: number[];
  pageFault?: boolean;
  taskExit?: boolean;
  fipcSend?: number[];
}

export type StepKind = 'into' | 'over' | 'out' | 'instruction';

interface Resolved {
  bp: BreakpointState;
  cond: Cond | null;
}

interface Stepping {
  pid: number;
  kind: StepKind;
  start?: SourceLocation;
  startSp: number;
  instret: number;
  /** Run until this return address with sp at least this high, then resume the line logic. */
  returnTo?: { pc: number; sp: number };
  /** Stepping into a function: stop where its body starts (after the prologue). */
  until?: number;
  budget: number;
}

const SYS_FIPC_SEND = 601;
const ECALL = 0x00000073;
/** Most instructions a line step runs before it gives up and stops anyway. */
const STEP_LIMIT = 50_000_000;
/** DWARF registers an outer frame's values are recovered for: sp, s0, s1-s11, fs0-fs11. */
const KNOWN_IN_OUTER_FRAMES: ReadonlySet<number> = new Set([
  2, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 40, 41, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
]);

export class Debugger {
  private breakpoints: BreakpointState[] = [];
  private nextId = 1;
  private watches: (WatchSpec & { last: bigint })[] = [];
  private events: EventStops = {};
  /** Break only in this task (null: any). */
  focus: number | null = null;
  private resolved = new Map<ProgramInfo, Map<number, Resolved[]>>();
  private stepping: Stepping | null = null;
  /** A thread resuming from a stop runs its first instruction without being checked. */
  private skipOnce: { pid: number; pc: number } | null = null;
  /** Breakpoints as ebreaks in the text, so the guest runs at full speed between hits. */
  private readonly patches: BreakpointPatches;
  private hit: { pid: number; pc: number } | null = null;
  /**
   * Watched pages are write-hooked: a store by the watched task to them, or a system call of its
   * that changed them (read() into a buffer), halts the hart.
   */
  private readonly writeWatches: WriteWatches;

  constructor(
    readonly kernel: Kernel,
    private readonly programOf: (pid: number) => ProgramInfo | undefined,
  ) {
    this.patches = new BreakpointPatches(kernel);
    this.writeWatches = new WriteWatches(kernel);
    kernel.onEbreak = (th) => {
      const pc = kernel.board.hart.pc >>> 0;
      if (!this.patches.isPatched(th.task, pc)) return false;
      this.hit = { pid: th.task.pid, pc };
      return true;
    };
    // A program exec'd mid-slice gets its breakpoints before its first instruction.
    kernel.onExec = () => {
      if (this.breakpoints.length > 0 && !this.needsStepping)
        this.patches.sync((task) => this.addressesFor(task));
    };
  }

  /** Watchpoints, events and steps need every instruction checked; breakpoints alone do not. */
  private get needsStepping(): boolean {
    const e = this.events;
    return (
      this.stepping !== null || !!(e.syscalls?.length || e.pageFault || e.taskExit || e.fipcSend?.length)
    );
  }

  private addressesFor(task: Task): number[] {
    const info = this.programOf(task.pid);
    return info ? [...this.table(info).keys()] : [];
  }

  /** True when runs must go instruction by instruction. */
  get armed(): boolean {
    const e = this.events;
    return (
      this.stepping !== null ||
      this.breakpoints.length > 0 ||
      this.watches.length > 0 ||
      !!(e.syscalls?.length || e.pageFault || e.taskExit || e.fipcSend?.length)
    );
  }

  setBreakpoints(specs: BreakpointSpec[]): BreakpointState[] {
    this.breakpoints = specs.map((spec) => ({ id: this.nextId++, spec, verified: false, hits: 0 }));
    this.resolved.clear();
    for (const bp of this.breakpoints) {
      if (bp.spec.condition) {
        const c = parseCondition(bp.spec.condition);
        if (typeof c === 'string') bp.message = `condition: ${c}`;
      }
    }
    // Resolve against every live task's program now, so the answer says which ones took.
    for (const t of this.kernel.tasks.all()) {
      const info = this.programOf(t.pid);
      if (info) this.table(info);
    }
    // Unarmed, the machine runs without coming through run(): take the ebreaks out now, or the
    // task would trap on a breakpoint that no longer exists.
    if (!this.armed) this.patches.removeAll();
    return this.breakpoints.map((b) => ({ ...b }));
  }

  listBreakpoints(): BreakpointState[] {
    return this.breakpoints.map((b) => ({ ...b }));
  }

  setWatchpoints(specs: WatchSpec[]): void {
    this.watches = specs.map((w) => ({ ...w, last: this.readWatch(w) ?? 0n }));
    this.writeWatches.clear();
    for (const w of specs) this.writeWatches.add(w.pid, w.address, w.length);
  }

  setEventStops(e: EventStops): void {
    this.events = { ...e };
  }

  /** Breakpoint addresses of one program, resolved on first use. */
  private table(info: ProgramInfo): Map<number, Resolved[]> {
    let t = this.resolved.get(info);
    if (t) return t;
    t = new Map();
    for (const bp of this.breakpoints) {
      const s = bp.spec;
      let addrs: number[] = [];
      if (s.address !== undefined) addrs = [s.address >>> 0];
      else if (s.function) {
        const fn = info.functionNamed(s.function);
        if (fn) addrs = [this.afterPrologue(info, fn.start)];
      } else if (s.file && s.line) {
        const r = info.breakpointAddresses(s.file, s.line);
        if (r) {
          addrs = r.addrs;
          bp.line = r.line;
        }
      }
      if (addrs.length) bp.verified = true;
      const c = s.condition ? parseCondition(s.condition) : null;
      for (const a of addrs) {
        const list = t.get(a) ?? [];
        list.push({ bp, cond: typeof c === 'string' ? null : c });
        t.set(a, list);
      }
    }
    this.resolved.set(info, t);
    return t;
  }

  /** A function breakpoint goes after the prologue: the address of its second line row, as GDB does. */
  private afterPrologue(info: ProgramInfo, start: number): number {
    const first = info.rowRange(start);
    const fn = info.functionAt(start);
    if (!first || !fn) return start;
    const next = first.end;
    return next < fn.end && info.lineAt(next) ? next : start;
  }

  private readWatch(w: WatchSpec): bigint | null {
    const b = new TaskAccess(this.kernel, w.pid).readMemory(w.address, w.length);
    if (!b || b.length < w.length) return null;
    let v = 0n;
    for (let i = w.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return v;
  }

  /** Arms a step of `pid`; the next `run` carries it out. */
  step(pid: number, kind: StepKind): void {
    const access = new TaskAccess(this.kernel, pid);
    const r = access.regs();
    const th = access.thread();
    if (!r || !th) return;
    const pc = r.getPc();
    const info = this.programOf(pid);
    const s: Stepping = {
      pid,
      kind,
      startSp: r.x[2]! >>> 0,
      instret: th.task.cpuInstret,
      start: info?.lineAt(pc),
      budget: STEP_LIMIT,
    };
    if (kind === 'out') {
      const frames = this.callStack(pid);
      const caller = frames[1];
      if (caller) s.returnTo = { pc: caller.pc, sp: frames[0]!.cfa };
    }
    this.stepping = s;
    this.skipOnce = { pid, pc };
  }

  /** Resuming after a stop: the instruction at the stop runs before checks start again. */
  resumeFromStop(pid: number): void {
    const pc = new TaskAccess(this.kernel, pid).pc();
    if (pc !== null) this.skipOnce = { pid, pc };
  }

  /** Cancels a step in progress (a pause or a new command replaces it). */
  cancelStep(): void {
    this.stepping = null;
  }

  /** The running thread's pid and pc (the instruction about to execute), if any. */
  private current(): { pid: number; pc: number } | null {
    const th = this.kernel.sched.current;
    if (!th || th.state !== 'running') return null;
    const pc = new TaskAccess(this.kernel, th.task.pid).pc();
    return pc === null ? null : { pid: th.task.pid, pc };
  }

  /**
   * Runs up to `budget` instructions; stops early with a StopEvent when a breakpoint, watchpoint,
   * event or finished step says so.
   */
  run(budget: number): { stop: StopEvent | null; outcome: RunOutcome } {
    if (!this.armed || this.needsStepping) this.patches.removeAll();
    if (!this.armed) return { stop: null, outcome: this.kernel.run(budget) };
    if (!this.needsStepping) return this.runPatched(budget);
    let outcome: RunOutcome = 'budget';
    for (let n = 0; n < budget; n++) {
      const before = this.current();
      if (before) {
        const stop = this.checkBefore(before.pid, before.pc);
        if (stop) return { stop, outcome: 'budget' };
      }
      const pre = this.preEvent(before);
      this.kernel.board.hart.exitCause = 0;
      outcome = this.kernel.run(1);
      this.writeWatches.take(); // stepping compares the watched values after every instruction
      const stop = this.checkAfter(before, pre);
      if (stop) return { stop, outcome };
      if (outcome !== 'budget') return { stop: null, outcome };
    }
    return { stop: null, outcome };
  }

  /** True when the last kernel.run took a page fault (the hart reports its last trap's cause). */
  private tookPageFault(): boolean {
    const c = this.kernel.board.hart.exitCause;
    return c === 12 || c === 13 || c === 15;
  }

  private stopAt(reason: StopReason, pid: number, extra: Partial<StopEvent> = {}): StopEvent {
    const pc = new TaskAccess(this.kernel, pid).pc() ?? 0;
    const info = this.programOf(pid);
    this.stepping = null;
    return {
      reason,
      pid,
      pc,
      function: info?.functionAt(pc)?.name,
      location: info?.lineAt(pc),
      ...extra,
    };
  }

  /**
   * Breakpoints and watchpoints only: the guest runs at full speed and stops at a claimed ebreak or
   * after a watched store that changed the value (a store the kernel made, read() filling a
   * buffer, is seen at the end of the slice).
   */
  private runPatched(budget: number): { stop: StopEvent | null; outcome: RunOutcome } {
    this.patches.sync((task) => this.addressesFor(task));
    if (this.watches.length > 0) this.writeWatches.sync();
    const h = this.kernel.board.hart;
    let left = budget;
    const skip = this.skipOnce;
    this.skipOnce = null;
    if (skip) {
      // Resuming on a breakpoint: its own instruction runs first, from the original bytes.
      const task = this.kernel.tasks.get(skip.pid);
      const th = task?.mainThread;
      if (task && th && th.state === 'running' && new TaskAccess(this.kernel, skip.pid).pc() === skip.pc) {
        this.patches.withOriginal(task, skip.pc, () => this.kernel.run(1));
        left--;
      }
    }
    while (left > 0) {
      const before = h.instret;
      this.hit = null;
      const outcome = this.kernel.run(left);
      left -= Math.max(1, h.instret - before);
      const stored = this.writeWatches.take();
      const changed = this.watchChange();
      if (changed) return { stop: changed, outcome: outcome === 'break' ? 'budget' : outcome };
      const hit = this.hit as { pid: number; pc: number } | null;
      if (stored && outcome === 'budget') continue; // the same value written again
      if (outcome !== 'break' || !hit) return { stop: null, outcome };
      const stop = this.breakpointAt(hit.pid, hit.pc);
      if (stop) return { stop, outcome: 'budget' };
      // Another task's hit, or a condition that does not hold: step over it and go on.
      const task = this.kernel.tasks.get(hit.pid);
      if (task) this.patches.withOriginal(task, hit.pc, () => this.kernel.run(1));
    }
    return { stop: null, outcome: 'budget' };
  }

  /** Breakpoints and step ends, checked before the instruction at `pc` runs. */
  private checkBefore(pid: number, pc: number): StopEvent | null {
    if (this.skipOnce) {
      const skip = this.skipOnce.pid === pid && this.skipOnce.pc === pc;
      this.skipOnce = null;
      if (skip) return null;
    }
    const st = this.stepping;
    if (st && st.pid === pid) {
      const done = this.stepDone(st, pc);
      if (done) return this.stopAt('step', pid);
    }
    return this.breakpointAt(pid, pc);
  }

  /** A breakpoint (of the focused task, with its condition true) at `pc`, as a stop. */
  private breakpointAt(pid: number, pc: number): StopEvent | null {
    if (this.focus !== null && this.focus !== pid) return null;
    if (this.breakpoints.length === 0) return null;
    const info = this.programOf(pid);
    if (!info) return null;
    const hits = this.table(info).get(pc);
    if (!hits) return null;
    for (const h of hits) {
      if (h.cond) {
        const v = this.evaluateIn(pid, h.cond);
        if (typeof v === 'string') {
          h.bp.message = `condition: ${v}`;
          h.bp.hits++;
          return this.stopAt('breakpoint', pid, { breakpoint: h.bp.id, detail: v });
        }
        if (v === 0) continue;
      }
      h.bp.hits++;
      return this.stopAt('breakpoint', pid, { breakpoint: h.bp.id });
    }
    return null;
  }

  private stepDone(st: Stepping, pc: number): boolean {
    const access = new TaskAccess(this.kernel, st.pid);
    const th = access.thread();
    if (!th) return true;
    if (--st.budget <= 0) return true;
    const executed = th.task.cpuInstret !== st.instret;
    if (!executed) return false;
    if (st.kind === 'instruction') return true;
    const sp = access.regs()!.x[2]! >>> 0;
    if (st.returnTo) {
      if (pc !== st.returnTo.pc || sp < st.returnTo.sp) return false;
      st.returnTo = undefined;
      if (st.kind === 'out') return true;
    }
    if (st.until !== undefined) return pc === st.until;
    const info = this.programOf(st.pid);
    if (!info) return true;
    const fn = info.functionAt(pc);
    const loc = info.lineAt(pc);
    // Entered a function: step over it (`over`, or `into` a function without line information).
    if (fn && pc === fn.start && sp <= st.startSp && (st.kind === 'over' || !loc)) {
      st.returnTo = { pc: access.regs()!.x[1]! >>> 0, sp };
      return false;
    }
    if (fn && pc === fn.start && loc && st.kind === 'into') {
      st.until = this.afterPrologue(info, pc);
      return st.until === pc;
    }
    if (!loc) return false;
    const row = info.rowRange(pc);
    if (!row || row.start !== pc) return false; // mid-line (a return lands here): keep going
    const s = st.start;
    return !s || loc.line !== s.line || loc.file !== s.file || sp !== st.startSp;
  }

  private preEvent(before: { pid: number; pc: number } | null): { syscall?: number; arg0?: number } {
    const e = this.events;
    if (!before || !(e.syscalls?.length || e.fipcSend?.length)) return {};
    const access = new TaskAccess(this.kernel, before.pid);
    if (access.readU32(before.pc) !== ECALL) return {};
    const x = access.regs()!.x;
    return { syscall: x[17]!, arg0: x[10]! };
  }

  private checkAfter(
    before: { pid: number; pc: number } | null,
    pre: { syscall?: number; arg0?: number },
  ): StopEvent | null {
    const e = this.events;
    if (before && (this.focus === null || this.focus === before.pid)) {
      const pid = before.pid;
      const alive = new TaskAccess(this.kernel, pid).thread() !== null;
      if (e.taskExit && !alive) {
        this.stepping = null;
        return {
          reason: 'task-exit',
          pid,
          pc: before.pc,
          detail: `status ${this.kernel.exits.get(pid) ?? 0}`,
        };
      }
      if (alive && pre.syscall !== undefined) {
        if (e.syscalls?.includes(pre.syscall))
          return this.stopAt('syscall', pid, { detail: `syscall ${pre.syscall}` });
        if (pre.syscall === SYS_FIPC_SEND && e.fipcSend?.includes(pre.arg0!))
          return this.stopAt('fipc-send', pid, { detail: `fipc_send on channel ${pre.arg0}` });
      }
      if (alive && e.pageFault && this.tookPageFault())
        return this.stopAt('page-fault', pid, {
          detail: `page fault at 0x${(this.kernel.board.hart.exitTval >>> 0).toString(16)}`,
        });
    }
    return this.watchChange();
  }

  /** A watched value that differs from the last one seen, as a stop (GDB's `watch`). */
  private watchChange(): StopEvent | null {
    for (const w of this.watches) {
      const v = this.readWatch(w);
      if (v === null || v === w.last) continue;
      const old = w.last;
      w.last = v;
      return this.stopAt('watchpoint', w.pid, {
        detail: `0x${w.address.toString(16)}: 0x${old.toString(16)} -> 0x${v.toString(16)}`,
      });
    }
    return null;
  }

  // ---- inspection ----

  registers(pid: number): RegisterSet | null {
    const r = new TaskAccess(this.kernel, pid).regs();
    if (!r) return null;
    const f: RegisterSet['f'] = [];
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 32; i++) {
      const lo = r.f[2 * i]!;
      const hi = r.f[2 * i + 1]!;
      view.setUint32(0, lo, true);
      view.setUint32(4, hi, true);
      f.push({
        raw: hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0'),
        value: view.getFloat64(0, true),
      });
    }
    return { x: Array.from(r.x, (v) => v >>> 0), pc: r.getPc(), f, fflags: r.fflags, frm: r.frm };
  }

  /** The unwound frames with their recovered registers. */
  private frames(pid: number): Frame[] {
    const access = new TaskAccess(this.kernel, pid);
    const r = access.regs();
    const info = this.programOf(pid);
    if (!r || !info) return [];
    const mem = {
      readU32: (a: number) => access.readU32(a),
      readU16: (a: number) => {
        const b = access.readMemory(a, 2);
        return b && b.length === 2 ? b[0]! | (b[1]! << 8) : null;
      },
    };
    return unwind(
      info,
      { pc: r.getPc(), sp: r.x[2]! >>> 0, ra: r.x[1]! >>> 0, s0: r.x[8]! >>> 0, x: r.x, f: r.f },
      mem,
    );
  }

  callStack(pid: number): StackFrame[] {
    const info = this.programOf(pid);
    if (!info) return [];
    // Outer frames sit on a return address: their line is the call's, one byte before.
    return this.frames(pid).map((f, i) => ({
      pc: f.pc,
      cfa: f.cfa,
      ...(f.function !== undefined ? { function: f.function } : {}),
      location: info.lineAt(i === 0 ? f.pc : f.pc - 1),
    }));
  }

  /** Parameters and locals of frame `index` (0 = innermost) where DWARF describes them. */
  locals(pid: number, index = 0): Variable[] {
    const access = new TaskAccess(this.kernel, pid);
    const r = access.regs();
    const info = this.programOf(pid);
    const frame = this.frames(pid)[index];
    if (!r || !info || !frame) return [];
    const fn = info.scopeAt(index === 0 ? frame.pc : frame.pc - 1);
    if (!fn) return [];
    // The innermost frame has every register; outer ones sp, s0 and the callee-saved registers.
    const regs = index === 0 ? { x: Array.from(r.x, (v) => v >>> 0), f: Array.from(r.f) } : frame.regs;
    return frameVariables(fn, {
      // An outer frame sits on its return address, which may already be past the calling block.
      pc: index === 0 ? frame.pc : frame.pc - 1,
      cfa: frame.cfa,
      x: regs?.x ?? [],
      f: regs?.f,
      known: index === 0 ? undefined : KNOWN_IN_OUTER_FRAMES,
      read: (a, n) => {
        const b = access.readMemory(a, n);
        return b && b.length === n ? b : null;
      },
    });
  }

  memory(pid: number, address: number, length: number): Uint8Array | null {
    const bytes = new TaskAccess(this.kernel, pid).readMemory(address >>> 0, Math.min(length, 1 << 16));
    const task = this.kernel.tasks.get(pid);
    return bytes && task ? this.patches.overlay(task, address >>> 0, bytes) : bytes;
  }

  disassemble(
    pid: number,
    address: number,
    count: number,
  ): { address: number; text: string; raw: number; location?: SourceLocation }[] {
    const bytes = this.memory(pid, address, count * 4);
    if (!bytes) return [];
    const info = this.programOf(pid);
    const symbolize = (a: number): string | undefined => {
      const fn = info?.functionAt(a);
      return fn ? (a === fn.start ? fn.name : `${fn.name}+0x${(a - fn.start).toString(16)}`) : undefined;
    };
    return disassembleRange(bytes, address, { symbolize })
      .slice(0, count)
      .map((d) => ({ address: d.address, text: d.text, raw: d.raw, location: info?.lineAt(d.address) }));
  }

  /** A condition or watch expression in the task's current context. */
  evaluate(pid: number, expr: string): number | string {
    const c = parseCondition(expr);
    return typeof c === 'string' ? c : this.evaluateIn(pid, c);
  }

  private evaluateIn(pid: number, c: Cond): number | string {
    const access = new TaskAccess(this.kernel, pid);
    const r = access.regs();
    const info = this.programOf(pid);
    return evaluate(c, {
      lookup: (name) => {
        const local = info?.scopeAt(r?.getPc() ?? 0)
          ? this.locals(pid).find((v) => v.name === name)
          : undefined;
        if (local?.numeric !== undefined) return local.numeric;
        const g = info?.data.get(name);
        if (g) return access.readU32(g.addr) ?? undefined;
        if (!r) return undefined;
        if (name === 'pc') return r.getPc();
        const i = XREG_NAMES.indexOf(name as (typeof XREG_NAMES)[number]);
        if (i >= 0) return r.x[i]!;
        if (name === 's0') return r.x[8]!;
        const m = /^x(\d+)$/.exec(name);
        if (m && Number(m[1]) < 32) return r.x[Number(m[1])]!;
        return undefined;
      },
      load: (a) => access.readU32(a),
    });
  }
}
