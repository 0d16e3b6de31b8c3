// The session's machine methods: it keeps the last good image, the machine settings, the console
// size and each client's observation subscription, and drives the machine worker with them.
import {
  ErrorCode,
  type KillResult,
  type MachineConfig,
  type MachineStatus,
  type ObserveStream,
  type SessionEvent,
} from '../../protocol/messages';
import { DebugRequestParams, type BreakpointState, type DebugMethod } from '../../protocol/debug';
import type { FipcLinkStatus } from '../../protocol/fipc-link';
import type { GdbStubStatus } from '../../protocol/gdb';
import type { InstallationKeys } from '../fipc/installation-keys';
import { UNLINKED } from '../fipc/session-link';
import type { DebugResult, FipcLinkResult, GdbResult, KillReply, StepResult } from '../worker/protocol';
import { MachineRunner, type LinkFactory } from '../worker/runner';
import type { BootImage } from './builder';
import { SessionError } from './errors';

export class MachineControl {
  private image: BootImage | null = null;
  private config: MachineConfig = { clock: 'virtual', preempt: false, ramMiB: 64 };
  private consoleSize = { cols: 80, rows: 24 };
  /** Each client's observation, by client id (the machine side samples for all of them). */
  private readonly subscriptions = new Map<number, { streams: ObserveStream[]; hz: number }>();
  private readonly runner: MachineRunner;
  private readonly encoder = new TextEncoder();
  /** Debugger settings that outlive a machine: replayed at each boot before the guest runs. */
  private readonly debugSettings = new Map<DebugMethod, unknown>();

  constructor(emit: (e: SessionEvent, to?: number) => void, link?: LinkFactory) {
    this.runner = new MachineRunner(emit, link);
  }

  /** 'worker' or 'inline' once the machine side started. */
  get runnerKind(): 'worker' | 'inline' | null {
    return this.runner.kind;
  }

  /** A successful build's image becomes the one the next boot uses. */
  setImage(image: BootImage): void {
    this.image = image;
  }

  get hasImage(): boolean {
    return this.image !== null;
  }

  async boot(): Promise<MachineStatus> {
    if (!this.image) throw new SessionError(ErrorCode.NotFound, 'nothing to boot: build the workspace first');
    // A new machine side (first boot, or after a worker crash) needs the subscriptions again.
    for (const [client, sub] of this.subscriptions) await this.cmd({ type: 'observe', client, ...sub });
    const debug = [...this.debugSettings].map(([method, params]) => ({ method, params }));
    return this.cmd({
      type: 'boot',
      image: this.image,
      config: this.config,
      console: this.consoleSize,
      debug,
    });
  }

  reset(): Promise<MachineStatus> {
    return this.cmd({ type: 'reset' });
  }

  pause(): Promise<MachineStatus> {
    return this.cmd({ type: 'pause' });
  }

  resume(): Promise<MachineStatus> {
    return this.cmd({ type: 'resume' });
  }

  step(instructions: number): Promise<StepResult> {
    return this.wrap(this.runner.command({ type: 'step', instructions }));
  }

  async configure(p: Partial<MachineConfig>): Promise<MachineStatus> {
    this.config = { ...this.config, ...p };
    if (this.runner.kind === null) return this.status();
    return this.cmd({ type: 'configure', config: this.config });
  }

  /** The machine's state without starting a machine side that is not there yet. */
  async status(): Promise<MachineStatus> {
    if (this.runner.kind !== null) return this.cmd({ type: 'status' });
    return {
      state: 'off',
      instret: 0,
      timeMs: 0,
      config: { ...this.config },
      console: { ...this.consoleSize },
    };
  }

  async input(data: string): Promise<MachineStatus> {
    if (this.runner.kind === null) throw new SessionError(ErrorCode.Failed, 'the machine is off');
    return this.cmd({ type: 'input', bytes: this.encoder.encode(data) });
  }

  async resize(cols: number, rows: number): Promise<MachineStatus> {
    this.consoleSize = { cols, rows };
    if (this.runner.kind === null) return this.status();
    return this.cmd({ type: 'resize', cols, rows });
  }

  /** One client's streams and rate; no streams ends that client's observation. */
  async subscribe(
    client: number,
    streams: ObserveStream[],
    hz: number,
  ): Promise<{ streams: ObserveStream[]; hz: number }> {
    const sub = { streams: [...new Set(streams)], hz };
    if (sub.streams.length > 0) this.subscriptions.set(client, sub);
    else this.subscriptions.delete(client);
    if (this.runner.kind !== null) await this.cmd({ type: 'observe', client, ...sub });
    return sub;
  }

  /** A client went away: its observation stops, the others' go on. */
  async unsubscribe(client: number): Promise<void> {
    if (!this.subscriptions.delete(client) || this.runner.kind === null) return;
    await this.cmd({ type: 'observe', client, streams: [], hz: 1 });
  }

  /** machine.kill: a signal to one guest task from the IDE (also while paused). */
  async kill(pid: number, signal: number): Promise<KillResult> {
    if (this.runner.kind === null) throw new SessionError(ErrorCode.Failed, 'the machine is off');
    const r = (await this.wrap(this.runner.command({ type: 'kill', pid, signal }))) as unknown as KillReply;
    if (r.kill === null) throw new SessionError(ErrorCode.NotFound, `no live task has pid ${pid}`);
    return r.kill;
  }

  /** A debug.* request, served next to the guest (the debugger needs its kernel). */
  async debug(method: DebugMethod, params: unknown): Promise<unknown> {
    const persistent = SETTINGS.has(method);
    if (persistent) this.debugSettings.set(method, params);
    if (this.runner.kind === null || (persistent && !(await this.isOn()))) {
      if (persistent) return method === 'debug.setBreakpoints' ? pendingBreakpoints(params) : {};
      throw new SessionError(ErrorCode.Failed, 'the machine is off: boot it first');
    }
    const r = (await this.wrap(
      this.runner.command({ type: 'debug', method, params }),
    )) as unknown as DebugResult;
    return r.debug;
  }

  /** machine.gdb: the GDB stub beside the machine, on a port of 127.0.0.1 or off. */
  async gdb(enabled: boolean, port: number): Promise<GdbStubStatus> {
    if (!enabled && this.runner.kind === null)
      return { enabled: false, port: null, connected: false, message: 'off' };
    const r = (await this.wrap(this.runner.command({ type: 'gdb', enabled, port }))) as unknown as GdbResult;
    return r.gdb;
  }

  /** fipc.link: the running kernel joins the Futura node on UDP host:port under these keys. */
  async fipcLink(
    host: string,
    port: number,
    timeoutMs: number | undefined,
    keys: InstallationKeys,
  ): Promise<FipcLinkStatus> {
    if (this.runner.kind === null)
      throw new SessionError(ErrorCode.Failed, 'the machine is off: boot it first');
    const c = {
      type: 'fipc-link' as const,
      host,
      port,
      keys,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
    const r = (await this.wrap(this.runner.command(c))) as unknown as FipcLinkResult;
    return r.fipc;
  }

  /** fipc.unlink: leaves the node (nothing to do when the machine side never started). */
  async fipcUnlink(): Promise<FipcLinkStatus> {
    if (this.runner.kind === null) return UNLINKED;
    const r = (await this.wrap(this.runner.command({ type: 'fipc-unlink' }))) as unknown as FipcLinkResult;
    return r.fipc;
  }

  private async isOn(): Promise<boolean> {
    const st = await this.status();
    return st.state !== 'off';
  }

  dispose(): Promise<void> {
    return this.runner.dispose();
  }

  private cmd(c: Parameters<MachineRunner['command']>[0]): Promise<MachineStatus> {
    return this.wrap(this.runner.command(c));
  }

  /** Machine-side failures reach the client as 'failed' errors with their message. */
  private async wrap<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      throw new SessionError(ErrorCode.Failed, err instanceof Error ? err.message : String(err));
    }
  }
}

/** debug.* settings kept across boots (the rest ask about a running machine). */
const SETTINGS = new Set<DebugMethod>([
  'debug.setBreakpoints',
  'debug.setWatchpoints',
  'debug.setEventStops',
  'debug.focus',
]);

/** With no machine, breakpoints are recorded as unverified: they resolve when their program runs. */
function pendingBreakpoints(params: unknown): BreakpointState[] {
  const p = DebugRequestParams['debug.setBreakpoints'].safeParse(params);
  if (!p.success)
    throw new SessionError(ErrorCode.BadParams, p.error.issues.map((i) => i.message).join('; '));
  return p.data.breakpoints.map((spec, i) => ({ id: i + 1, spec, verified: false, hits: 0 }));
}
