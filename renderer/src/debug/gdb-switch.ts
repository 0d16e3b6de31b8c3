// The Debug panel's GDB stub switch: machine.gdb on a port (3333 by default) and the session's
// gdb.status events, kept as a tiny observable the panel subscribes to. DOM-free.
import { DEFAULT_GDB_PORT, type GdbStubStatus } from '../../../core/protocol/gdb';
import type { Method, ParamsOf } from '../../../core/protocol/messages';

export interface GdbSwitchState {
  port: number;
  status: GdbStubStatus;
  /** The last failure (a port in use, say). */
  error: string | null;
  busy: boolean;
}

type Request = <M extends Method>(method: M, params: ParamsOf<M>) => Promise<unknown>;

const OFF: GdbStubStatus = { enabled: false, port: null, connected: false, message: 'off' };

export class GdbSwitch {
  private state: GdbSwitchState = { port: DEFAULT_GDB_PORT, status: OFF, error: null, busy: false };
  private readonly listeners = new Set<() => void>();

  /** `request` resolves to null when the session answered with an error (already reported). */
  constructor(private readonly request: Request) {}

  get = (): GdbSwitchState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<GdbSwitchState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  setPort(port: number): void {
    if (Number.isInteger(port) && port >= 0 && port <= 65535) this.set({ port });
  }

  async setEnabled(enabled: boolean): Promise<void> {
    this.set({ busy: true, error: null });
    const r = (await this.request('machine.gdb', { enabled, port: this.state.port })) as GdbStubStatus | null;
    if (r) this.set({ status: r, busy: false });
    else this.set({ busy: false, error: enabled ? `cannot listen on port ${this.state.port}` : 'failed' });
  }

  /** A gdb.status event. */
  onStatus(status: GdbStubStatus): void {
    this.set({ status });
  }
}
