// The FIPC view's "Link to node" form state: fipc.link to a Futura node on a UDP port of
// 127.0.0.1 (7411, `futura fipc serve`'s default) and fipc.unlink, kept as a tiny observable the
// form subscribes to. A failure keeps the session's message (no node answered, keys refused).
// DOM-free.
import { DEFAULT_FIPC_NODE_PORT, type FipcLinkStatus } from '../../../core/protocol/fipc-link';
import type { Method, ParamsOf } from '../../../core/protocol/messages';

export interface FipcLinkState {
  host: '127.0.0.1';
  port: number;
  status: FipcLinkStatus;
  /** The last failure, as the session said it. */
  error: string | null;
  busy: boolean;
}

/** Rejects with the session's error (its message is shown). */
type Request = <M extends Method>(method: M, params: ParamsOf<M>) => Promise<unknown>;

export const NOT_LINKED: FipcLinkStatus = {
  linked: false,
  node: null,
  peer: null,
  host: null,
  port: null,
  message: 'not linked',
};

/** "failed: no Futura node answered …" → "no Futura node answered …". */
const reason = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/^failed: /, '');

export class FipcLinkControl {
  private state: FipcLinkState = {
    host: '127.0.0.1',
    port: DEFAULT_FIPC_NODE_PORT,
    status: NOT_LINKED,
    error: null,
    busy: false,
  };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly request: Request) {}

  get = (): FipcLinkState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<FipcLinkState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** A port typed by the user; anything but 1…65535 is ignored. */
  setPort(port: number): void {
    if (Number.isInteger(port) && port >= 1 && port <= 65535) this.set({ port, error: null });
  }

  async link(): Promise<void> {
    if (this.state.busy) return;
    this.set({ busy: true, error: null });
    try {
      const status = (await this.request('fipc.link', {
        host: this.state.host,
        port: this.state.port,
      })) as FipcLinkStatus;
      this.set({ status, busy: false });
    } catch (err) {
      this.set({ status: NOT_LINKED, busy: false, error: reason(err) });
    }
  }

  async unlink(): Promise<void> {
    if (this.state.busy) return;
    this.set({ busy: true, error: null });
    try {
      const status = (await this.request('fipc.unlink', {})) as FipcLinkStatus;
      this.set({ status, busy: false });
    } catch (err) {
      this.set({ busy: false, error: reason(err) });
    }
  }
}
