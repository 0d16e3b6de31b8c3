// The machine side of a session: owns the guest and runs it in slices. Between slices the event
// loop turns, so commands (pause, step, input) are answered within one slice even while the guest
// spins. Slices are sized from measured speed to last about SLICE_MS. In the real clock mode the
// guest's time is the wall clock's: the guest runs at full speed, and when every task sleeps the
// loop waits in host time for the next timer instead of jumping to it.
import type { MachineConfig, MachineState, MachineStatus } from '../../protocol/messages';
import type { StopEvent } from '../../protocol/debug';
import { DebugService } from '../debug/service';
import { SessionLink, UNLINKED } from '../fipc/session-link';
import { MachineGdbStub } from '../gdb/machine-stub';
import { BootError, Guest } from './guest';
import { MAX_HZ, Observer, type Emission } from './observer';
import type {
  BootImage,
  DebugResult,
  FipcLinkResult,
  FromWorker,
  GdbResult,
  KillReply,
  MachineCommand,
  StepResult,
  ToWorker,
} from './protocol';

/** Host time one slice aims at: the worst-case latency of a command. */
const SLICE_MS = 8;
const MIN_SLICE = 10_000;
const MAX_SLICE = 20_000_000;
/**
 * Console flow control, as a terminal's full buffer blocks the writer: after a slice that printed
 * more than CONSOLE_BURST characters, the next waits long enough to hold output to about
 * CONSOLE_CHARS_PER_MS (4 MB/s, far more than anyone reads) so a flood cannot swamp the clients.
 */
const CONSOLE_BURST = 64 * 1024;
const CONSOLE_CHARS_PER_MS = 4096;
/** Real clock mode: how far virtual time may run ahead of the wall clock. */
const REAL_AHEAD_MS = 10;
/**
 * Fewest host ms between two observation samples, whatever asks for one (the client's rate, a
 * step, a debugger stop, a boot), so no stream ever exceeds MAX_HZ.
 */
const MIN_SAMPLE_MS = 1000 / MAX_HZ;

export type Post = (m: FromWorker, transfer?: ArrayBuffer[]) => void;

export class MachineCore {
  private guest: Guest | null = null;
  private state: MachineState = 'off';
  private reason: string | undefined;
  private config: MachineConfig = { clock: 'virtual', preempt: false, ramMiB: 64 };
  private consoleSize = { cols: 80, rows: 24 };
  private readonly observer = new Observer();
  private obsTimer: ReturnType<typeof setInterval> | null = null;
  /** When the last observation sample was taken (performance.now()). */
  private lastSample = -Infinity;
  /** A sample asked for too soon after the last one, due when MIN_SAMPLE_MS has passed. */
  private deferredSample: ReturnType<typeof setTimeout> | null = null;
  /** Observation samples taken since this machine side started (none while no client subscribes). */
  private samples = 0;
  /** Pending wake-up of the run loop (immediate or timer); null when it is not scheduled. */
  private scheduled: { cancel(): void } | null = null;
  private slice = 200_000;
  /** Real clock mode: performance.now() minus guest ms at the last resync. */
  private realOrigin = 0;
  private disposed = false;
  /** The debugger beside the booted guest, and where it last stopped the machine. */
  private debug: DebugService | null = null;
  private lastStop: StopEvent | null = null;
  /** The GDB remote stub the IDE can switch on (machine.gdb). */
  private readonly gdb = new MachineGdbStub({
    machine: () => (this.guest ? { kernel: this.guest.kernel, initPid: this.guest.initPid } : null),
    pause: (reason) => {
      if (this.guest && (this.state === 'running' || this.state === 'paused'))
        this.setState('paused', reason);
    },
    run: () => {
      if (!this.guest || (this.state !== 'running' && this.state !== 'paused')) return;
      this.lastStop = null;
      this.setState('running');
    },
    powerOff: () => this.powerOff(),
    status: (status) => this.post({ type: 'event', event: { event: 'gdb.status', status } }),
  });

  /** The running kernel's link to another Futura node (fipc.link); a power-off ends it. */
  private fipcLink: SessionLink | null = null;
  /** A fipc.link waiting for the node's handshake (one at a time). */
  private linking = false;

  constructor(private readonly post: Post) {}

  handle(msg: ToWorker): void {
    const fail = (err: unknown): void => {
      const message = err instanceof Error ? err.message : String(err);
      this.post({ type: 'reply', id: msg.id, ok: false, message });
    };
    try {
      const result = this.command(msg.command);
      if (result instanceof Promise)
        result.then((r) => this.post({ type: 'reply', id: msg.id, ok: true, result: r }), fail);
      else this.post({ type: 'reply', id: msg.id, ok: true, result });
    } catch (err) {
      fail(err);
    }
  }

  dispose(): void {
    void this.gdb.disable();
    void this.fipcLink?.unlink();
    this.fipcLink = null;
    this.disposed = true;
    this.stopLoop();
    if (this.obsTimer) clearInterval(this.obsTimer);
    if (this.deferredSample) clearTimeout(this.deferredSample);
    this.deferredSample = null;
    this.guest = null;
  }

  private command(
    c: MachineCommand,
  ): MachineStatus | StepResult | DebugResult | KillReply | Promise<GdbResult | FipcLinkResult> {
    switch (c.type) {
      case 'boot':
        this.config = { ...c.config };
        this.consoleSize = { ...c.console };
        this.boot(c);
        break;
      case 'reset':
        this.powerOff();
        break;
      case 'pause':
        if (this.state === 'running') this.setState('paused');
        this.gdb.paused();
        break;
      case 'resume':
        if (this.gdb.attached) throw new Error('gdb holds the machine: continue from gdb');
        if (this.state === 'paused') {
          if (this.lastStop) this.debug?.debugger.resumeFromStop(this.lastStop.pid);
          this.lastStop = null;
          this.setState('running');
        }
        break;
      case 'step':
        return this.step(c.instructions);
      case 'configure':
        this.configure(c.config);
        break;
      case 'status':
        break;
      case 'input':
        this.need().feed(c.bytes);
        this.wake();
        break;
      case 'resize':
        // Kept for status and the next boot; a running guest's TTY gets it now (SIGWINCH).
        this.consoleSize = { cols: c.cols, rows: c.rows };
        this.guest?.resize(c.cols, c.rows);
        break;
      case 'kill':
        return this.kill(c.pid, c.signal);
      case 'observe':
        this.observer.subscribe(c.client, c.streams, c.hz);
        this.restartObservation();
        break;
      case 'debug':
        return { debug: this.debugRequest(c.method, c.params) };
      case 'gdb':
        return (c.enabled ? this.gdb.enable(c.port) : this.gdb.disable()).then((gdb): GdbResult => ({ gdb }));
      case 'fipc-link':
        return this.linkFipc(c);
      case 'fipc-unlink':
        return this.unlinkFipc().then((): FipcLinkResult => ({ fipc: UNLINKED }));
    }
    return this.status();
  }

  private status(): MachineStatus {
    const g = this.guest;
    const s: MachineStatus = {
      state: this.state,
      instret: g ? g.board.hart.instret : 0,
      timeMs: g ? g.kernel.clock.nowMs : 0,
      config: { ...this.config },
      console: { ...this.consoleSize },
    };
    if (this.reason !== undefined) s.reason = this.reason;
    return s;
  }

  /**
   * machine.kill: served between slices, so it works while the guest spins and while it is paused
   * (the kernel's note reaches the console now; the machine halts if no task is left).
   */
  private kill(pid: number, signal: number): KillReply {
    const g = this.need();
    const kill = g.kill(pid, signal);
    this.afterSlice(g);
    if (this.state === 'running') this.wake();
    return { kill };
  }

  private need(): Guest {
    if (!this.guest) throw new Error('the machine is off: boot it first');
    return this.guest;
  }

  private boot(c: Extract<MachineCommand, { type: 'boot' }>): void {
    this.powerOff();
    this.setState('booting');
    try {
      this.guest = new Guest(c.image, this.config, this.consoleSize);
      this.debug = new DebugService(this.guest.kernel, executables(c.image));
      this.lastStop = null;
      for (const d of c.debug ?? []) this.debug.handle(d.method, d.params);
    } catch (err) {
      this.guest = null;
      const why = err instanceof BootError ? err.message : `boot failed: ${String(err)}`;
      this.setState('off', why);
      throw new Error(why);
    }
    this.observer.restart();
    this.slice = 200_000;
    this.resyncRealClock();
    // With the GDB stub on, the new machine waits before init's first instruction for a debugger.
    if (this.gdb.holdsBoot) this.setState('paused', this.gdb.status().message);
    else this.setState('running');
    this.promptObservation(true);
  }

  private powerOff(): void {
    this.stopLoop();
    if (!this.guest && this.state === 'off') return;
    this.flushConsole();
    void this.unlinkFipc();
    this.guest = null;
    this.gdb.machineGone();
    this.debug = null;
    this.lastStop = null;
    this.observer.restart();
    this.setState('off');
  }

  private configure(next: MachineConfig): void {
    const wasReal = this.config.clock === 'real';
    this.config = { ...next };
    this.guest?.setPreempt(next.preempt);
    if (!wasReal && next.clock === 'real') this.resyncRealClock();
    this.wake();
  }

  private step(n: number): StepResult {
    const g = this.need();
    if (this.gdb.attached) throw new Error('gdb holds the machine: step from gdb');
    if (this.state === 'running') this.setState('paused');
    if (this.state !== 'paused') throw new Error(`cannot step a ${this.state} machine`);
    g.setWallClock(null); // a step advances guest time by its instructions, in either clock mode
    const { executed } = this.runGuarded(g, n);
    this.afterSlice(g);
    this.promptObservation(false);
    return { status: this.status(), executed };
  }

  private setState(s: MachineState, reason?: string): void {
    const changed = s !== this.state || reason !== this.reason;
    this.state = s;
    this.reason = reason;
    if (s === 'running') {
      this.resyncRealClock();
      this.wake();
    } else this.stopLoop();
    if (changed) {
      const event: FromWorker = { type: 'event', event: { event: 'machine.state', state: s } };
      if (reason !== undefined && event.event.event === 'machine.state') event.event.reason = reason;
      this.post(event);
    }
  }

  // ---- the run loop ----

  /** Schedules the next slice (at once) unless one is already due. */
  private wake(): void {
    if (this.disposed || this.state !== 'running' || this.scheduled) return;
    const h = setImmediate(() => this.loop());
    this.scheduled = { cancel: () => clearImmediate(h) };
  }

  private wakeIn(ms: number): void {
    const h = setTimeout(() => this.loop(), Math.max(1, ms));
    this.scheduled = { cancel: () => clearTimeout(h) };
  }

  private stopLoop(): void {
    this.scheduled?.cancel();
    this.scheduled = null;
  }

  private loop(): void {
    this.scheduled = null;
    const g = this.guest;
    if (!g || this.state !== 'running' || this.disposed) return;
    const budget = this.slice;
    const real = this.config.clock === 'real';
    if (real) {
      const wait = this.paceRealClock(g);
      if (wait > 0) return this.wakeIn(wait);
      g.setJumpLimit(this.wallMs() + REAL_AHEAD_MS);
      g.setWallClock(() => this.wallMs());
    } else {
      g.setJumpLimit(null);
      g.setWallClock(null);
    }
    const t0 = performance.now();
    const { outcome, executed } = this.runGuarded(g, budget);
    const dt = performance.now() - t0;
    if (executed >= this.slice / 2 && dt > 0) {
      // Aim the next slice at SLICE_MS of host time, moving at most 2× per slice.
      const next = (executed * SLICE_MS) / dt;
      this.slice = Math.round(
        Math.min(MAX_SLICE, Math.max(MIN_SLICE, this.slice / 2, Math.min(next, this.slice * 2))),
      );
    }
    const printed = this.afterSlice(g);
    if (this.state !== 'running') return;
    if (outcome === 'idle' && !g.inputWaiting) {
      // Real clock: sleepers wake in host time. Otherwise parked until input arrives.
      const d = real ? g.nextDeadline() : undefined;
      if (d !== undefined) this.wakeIn(Math.min(Math.max(1, d - this.wallMs()), 100));
      return;
    }
    if (printed > CONSOLE_BURST) this.wakeIn(printed / CONSOLE_CHARS_PER_MS);
    else this.wake();
  }

  /** Runs the kernel, turning a host-side exception (a kernel bug) into a halted machine. */
  private runGuarded(g: Guest, budget: number): { outcome: string; executed: number } {
    try {
      if (this.gdb.driving) {
        // GDB let the machine run: its slices (breakpoints, watchpoints, steps) take the turn.
        const before = g.board.hart.instret;
        const r = g.runWith(() => this.gdb.runSlice(budget));
        return { outcome: r?.outcome ?? 'budget', executed: g.board.hart.instret - before };
      }
      const d = this.debug?.debugger;
      if (d?.armed) {
        // Instruction by instruction under the debugger; a stop pauses the whole machine.
        const before = g.board.hart.instret;
        const r = g.runWith(() => d.run(Math.min(budget, 200_000)));
        if (r.stop) this.debugStopped(r.stop);
        return { outcome: r.outcome, executed: g.board.hart.instret - before };
      }
      return g.run(budget);
    } catch (err) {
      this.flushConsole();
      this.setState('halted', `internal error: ${err instanceof Error ? err.message : String(err)}`);
      return { outcome: 'halted', executed: 0 };
    }
  }

  /** Sends the slice's console output and notices the end of the guest; returns the characters printed. */
  private afterSlice(g: Guest): number {
    const printed = this.flushConsole();
    if (g.finished && this.state !== 'halted') {
      this.promptObservation(false);
      this.setState('halted', g.exitReason());
    }
    return printed;
  }

  private flushConsole(): number {
    const text = this.guest?.takeOutput() ?? '';
    if (text) this.post({ type: 'event', event: { event: 'console.output', data: text } });
    return text.length;
  }

  // ---- real clock ----

  private wallMs(): number {
    return performance.now() - this.realOrigin;
  }

  private resyncRealClock(): void {
    if (this.guest) this.realOrigin = performance.now() - this.guest.kernel.clock.nowMs;
  }

  /** Holds virtual time to the wall clock; returns how long to wait before running (0: run now). */
  private paceRealClock(g: Guest): number {
    const k = g.kernel;
    const wall = this.wallMs();
    if (k.clock.nowMs < Math.floor(wall)) {
      k.clock.jumpTo(Math.floor(wall));
      k.sched.advanceTo(k.clock.nowMs);
    }
    if (k.clock.nowMs > wall + REAL_AHEAD_MS) return k.clock.nowMs - wall;
    if (g.idle && !g.inputWaiting) {
      const d = g.nextDeadline();
      if (d !== undefined && d > wall) return Math.min(d - wall, 100);
    }
    return 0;
  }

  // ---- observation ----

  /** Observation samples taken so far (what a test checks to see that nobody watching costs nothing). */
  get samplesTaken(): number {
    return this.samples;
  }

  /** The subscriptions changed: tick at the fastest rate any client wants, or not at all. */
  private restartObservation(): void {
    if (this.obsTimer) clearInterval(this.obsTimer);
    this.obsTimer = null;
    const hz = this.observer.hz;
    if (hz > 0) this.obsTimer = setInterval(() => this.emitObservation(), 1000 / hz);
    this.emitObservation(); // a new subscriber gets its first sample now
  }

  /** Every client should see this at once (a step, a stop, a boot); `force` adds a frame each. */
  private promptObservation(force: boolean): void {
    this.observer.prompt(force);
    this.emitObservation();
  }

  /** Samples for the clients that are due (by their rate, or prompted), within the 30 Hz cap. */
  private emitObservation(): void {
    const g = this.guest;
    if (!g || this.disposed || this.deferredSample) return;
    const now = performance.now();
    if (!this.observer.anyDue(now)) return;
    const wait = this.lastSample + MIN_SAMPLE_MS - now;
    if (wait > 0) {
      // Too soon (a burst of steps, say): one sample when the gap has passed; the observer keeps
      // who was prompted, so requests in between coalesce into it.
      this.deferredSample = setTimeout(() => {
        this.deferredSample = null;
        this.emitObservation();
      }, Math.ceil(wait));
      return;
    }
    this.lastSample = now;
    this.samples++;
    let out: Emission[];
    try {
      out = this.observer.sample(g, now);
    } catch (err) {
      this.post({
        type: 'event',
        event: { event: 'console.output', data: `\r\n[observation failed: ${String(err)}]\r\n` },
      });
      return;
    }
    for (const e of out) this.post({ type: 'event', event: e.event, to: e.to }, e.transfer);
  }

  // ---- remote FIPC ----

  private async linkFipc(c: Extract<MachineCommand, { type: 'fipc-link' }>): Promise<FipcLinkResult> {
    const g = this.need();
    if (this.linking) throw new Error('a link to a node is being made: wait for its answer');
    this.linking = true;
    let link: SessionLink;
    try {
      await this.unlinkFipc();
      link = await SessionLink.open({
        kernel: g.kernel,
        keys: c.keys,
        host: c.host,
        port: c.port,
        ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
        onActivity: () => this.wake(),
      });
    } finally {
      this.linking = false;
    }
    if (this.guest !== g || this.disposed) {
      link.close();
      throw new Error('the machine was powered off while linking');
    }
    this.fipcLink = link;
    g.syscallTap = link.onSyscall;
    this.promptObservation(false); // the new peer shows in the next snapshot at once
    return { fipc: link.status() };
  }

  private async unlinkFipc(): Promise<void> {
    const link = this.fipcLink;
    if (!link) return;
    this.fipcLink = null;
    if (this.guest) this.guest.syscallTap = null;
    await link.unlink();
    this.promptObservation(false);
  }

  // ---- the debugger ----

  private debugRequest(method: Parameters<DebugService['handle']>[0], params: unknown): unknown {
    if (!this.debug) throw new Error('the machine is off: boot it first');
    if (method === 'debug.step' && this.gdb.attached) throw new Error('gdb holds the machine: step from gdb');
    const result = this.debug.handle(method, params);
    if (method === 'debug.step' && this.state === 'paused') {
      this.lastStop = null;
      this.setState('running'); // the step runs in the loop and ends in a debug.stopped
    }
    return result;
  }

  private debugStopped(stop: StopEvent): void {
    this.lastStop = stop;
    this.flushConsole();
    this.setState('paused', `${stop.reason}${stop.function ? ` in ${stop.function}` : ''}`);
    this.post({ type: 'event', event: { event: 'debug.stopped', stop } });
    this.promptObservation(false);
  }
}

/** The image's ELF executables by guest path (what the debugger reads symbols and lines from). */
function executables(image: BootImage): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const f of image.files) {
    const d = f.data;
    if (d.length > 4 && d[0] === 0x7f && d[1] === 0x45 && d[2] === 0x4c && d[3] === 0x46) out.set(f.path, d);
  }
  return out;
}
