// The IDE's GDB stub, beside the machine in the session's machine worker. Switched on, it listens
// on 127.0.0.1:PORT for the running machine and the boots that follow (a boot then waits, paused,
// for a debugger). A debugger that connects takes the machine: it is paused, and while GDB lets it
// run, the machine's own run loop runs GDB's slices (so console, observation and pacing behave as
// usual). A pause from the IDE is an interrupt for GDB; kill powers the machine off; detach (or a
// dropped connection) lets the machine run on.
import type { Kernel } from '../../kernel/boot/kernel';
import type { GdbStubStatus } from '../../protocol/gdb';
import { KernelDebugTarget, type Driver, type SliceResult } from './kernel-target';
import { startGdbServer, type GdbServer } from './server';
import type { StopReason } from './stub';

/** How often a machine GDB is running checks for GDB's ^C (the loop may be parked, idle). */
const INTERRUPT_POLL_MS = 10;

export interface MachineHooks {
  /** The booted machine, if any. */
  machine(): { kernel: Kernel; initPid: number } | null;
  /** Pause the machine, saying why (the IDE shows it). */
  pause(reason: string): void;
  /** Let the machine's loop run. */
  run(): void;
  powerOff(): void;
  status(s: GdbStubStatus): void;
}

function describe(stop: StopReason): string {
  switch (stop.kind) {
    case 'breakpoint':
      return `gdb: breakpoint in pid ${stop.thread ?? '?'}`;
    case 'watch':
      return `gdb: watchpoint 0x${stop.address.toString(16)} in pid ${stop.thread ?? '?'}`;
    case 'step':
      return 'gdb: stepped';
    case 'interrupt':
      return 'gdb: interrupted';
    case 'exited':
      return `gdb: init exited with ${stop.code}`;
    case 'signalled':
      return `gdb: init killed by signal ${stop.signal}`;
  }
}

export class MachineGdbStub {
  private server: GdbServer | null = null;
  private connectedFrom: string | null = null;
  private target: KernelDebugTarget | null = null;
  /** The kernel of the machine the connected debugger has. */
  private sessionKernel: Kernel | null = null;
  /** GDB let the machine run: the slice function and how to report the stop. */
  private running: { slice: (budget: number) => SliceResult; stop: (s: StopReason) => void } | null = null;

  constructor(private readonly hooks: MachineHooks) {}

  get enabled(): boolean {
    return this.server !== null;
  }

  /** True while a debugger is connected: the IDE's resume and steps would pull the rug from it. */
  get attached(): boolean {
    return this.target !== null;
  }

  /** True while GDB runs the machine: the loop calls `runSlice` instead of its own run. */
  get driving(): boolean {
    return this.running !== null;
  }

  status(): GdbStubStatus {
    const port = this.server?.port ?? null;
    let message = 'off';
    if (port !== null)
      message = this.connectedFrom
        ? `gdb connected from ${this.connectedFrom}`
        : `waiting for gdb on 127.0.0.1:${port}`;
    return { enabled: port !== null, port, connected: this.connectedFrom !== null, message };
  }

  async enable(port: number): Promise<GdbStubStatus> {
    if (this.server && (port === 0 || this.server.port === port)) return this.status();
    await this.disable();
    this.server = await startGdbServer(() => this.attach(), port, {
      persistent: true,
      onConnect: (remote) => {
        this.connectedFrom = remote;
        this.hooks.status(this.status());
      },
      onSessionEnd: (how) => {
        const kernel = this.sessionKernel;
        this.sessionKernel = null;
        this.connectedFrom = null;
        this.target = null;
        // Only the machine GDB had: a new boot since then waits for the next debugger.
        if (kernel && this.hooks.machine()?.kernel === kernel) {
          if (how === 'killed') this.hooks.powerOff();
          else this.hooks.run(); // detached: the machine goes on
        }
        this.hooks.status(this.status());
      },
    });
    const s = this.status();
    this.hooks.status(s);
    return s;
  }

  async disable(): Promise<GdbStubStatus> {
    const server = this.server;
    this.server = null;
    if (server) await server.close();
    this.connectedFrom = null;
    this.target = null;
    const s = this.status();
    if (server) this.hooks.status(s);
    return s;
  }

  /** A debugger connected: it gets the machine, paused. Null (refused) with no machine booted. */
  private attach(): KernelDebugTarget | null {
    const m = this.hooks.machine();
    if (!m) return null;
    this.hooks.pause('gdb connected');
    this.sessionKernel = m.kernel;
    this.target = new KernelDebugTarget(m.kernel, {
      mainPid: m.initPid,
      driver: this.driver,
      kill: () => {}, // the session end powers the machine off
    });
    return this.target;
  }

  private readonly driver: Driver = (slice, ctl) =>
    new Promise<StopReason>((resolve) => {
      const poll = setInterval(() => {
        if (ctl.interrupted()) this.stopped({ kind: 'interrupt' });
      }, INTERRUPT_POLL_MS);
      this.running = {
        slice,
        stop: (s) => {
          clearInterval(poll);
          resolve(s);
        },
      };
      this.hooks.run();
    });

  /** Runs one of GDB's slices (the machine loop's turn); a stop pauses the machine. */
  runSlice(budget: number): SliceResult | null {
    const r = this.running;
    if (!r) return null;
    const out = r.slice(budget);
    if (out.stop) this.stopped(out.stop);
    return out;
  }

  private stopped(stop: StopReason): void {
    const r = this.running;
    if (!r) return;
    this.running = null;
    this.hooks.pause(describe(stop));
    r.stop(stop);
  }

  /** The IDE paused the machine: GDB sees an interrupt. */
  paused(): void {
    this.stopped({ kind: 'interrupt' });
  }

  /** The machine went away (power off, a new boot): GDB sees the main task end, or is let go. */
  machineGone(): void {
    if (!this.target) return;
    if (this.running) this.stopped({ kind: 'signalled', signal: 9 });
    else void this.server?.kick();
    this.target.detach();
    this.target = null;
  }

  /** At boot: true when the new machine should wait, paused, for a debugger. */
  get holdsBoot(): boolean {
    return this.server !== null;
  }
}
