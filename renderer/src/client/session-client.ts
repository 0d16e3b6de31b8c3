// The renderer's side of the session protocol: numbered requests answered by promises, event
// fan-out, and connection status. Transport-agnostic (Electron IPC or WebSocket).
import type {
  ErrorCodeValue,
  Method,
  ParamsOf,
  Response,
  ServerMessage,
  SessionEvent,
} from '../../../core/protocol/messages';
import { SnapshotReceiver } from '../../../core/protocol/snapshot-stream';
import type { OutgoingRequest } from '../bridge/futura-api';
import type { ResultOf } from './results';
import type { ConnectionStatus, Transport } from './transport';

/** A request that failed: an error reply from the session, a timeout, or a lost connection. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCodeValue | 'disconnected' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  /** False while the request waits in the outbox for the connection to open. */
  sent: boolean;
  resolve(result: unknown): void;
  reject(err: RequestError): void;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface SessionClientOptions {
  /** Milliseconds before an unanswered request fails (0: never). */
  timeoutMs?: number;
}

export class SessionClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests made while not connected, sent in order once the connection opens. */
  private outbox: OutgoingRequest[] = [];
  private readonly eventListeners = new Set<(e: SessionEvent) => void>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private current: ConnectionStatus = 'connecting';
  private readonly timeoutMs: number;
  /** Inspect snapshots arrive as a full one then diffs: listeners always get whole snapshots. */
  private readonly snapshots = new SnapshotReceiver();

  constructor(
    private readonly transport: Transport,
    options: SessionClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    transport.start({
      message: (msg) => this.receive(msg),
      status: (s) => this.setStatus(s),
    });
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  request<M extends Method>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer =
        this.timeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(id);
              reject(new RequestError('timeout', `${method}: no reply after ${this.timeoutMs} ms`));
            }, this.timeoutMs)
          : null;
      const sent = this.transport.send({ id, method, params });
      this.pending.set(id, { sent, resolve: (r) => resolve(r as ResultOf<M>), reject, timer });
      if (!sent) this.outbox.push({ id, method, params });
    });
  }

  onEvent(listener: (e: SessionEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    this.transport.close();
    this.failAll('the client was closed');
  }

  private receive(msg: ServerMessage): void {
    if ('event' in msg) {
      let e: SessionEvent = msg;
      if (e.event === 'snapshot') {
        const data = this.snapshots.accept(e);
        if (data === null) return; // a diff without its base: wait for the next full snapshot
        e = { event: 'snapshot', seq: e.seq, full: true, data };
      }
      for (const l of this.eventListeners) l(e);
      return;
    }
    this.answer(msg);
  }

  private answer(res: Response): void {
    if (res.id === null) return; // an error about a message we could not have sent; nothing waits
    if (res.ok) this.settle(res.id, res.result, null);
    else this.settle(res.id, null, new RequestError(res.error.code, res.error.message));
  }

  private settle(id: number, result: unknown, err: RequestError | null): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.timer !== null) clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(result);
  }

  private setStatus(s: ConnectionStatus): void {
    // Replies to requests sent on a dead connection will never come: fail them now.
    if (s === 'closed') {
      this.failAll('the connection to the session was lost', true);
      this.snapshots.reset();
    }
    if (s === 'open') this.flush();
    if (s === this.current) return;
    this.current = s;
    for (const l of this.statusListeners) l(s);
  }

  private flush(): void {
    const queued = this.outbox;
    this.outbox = [];
    for (const req of queued) {
      const p = this.pending.get(req.id);
      if (!p) continue; // timed out meanwhile
      if (this.transport.send(req)) p.sent = true;
      else this.outbox.push(req);
    }
  }

  private failAll(why: string, onlySent = false): void {
    for (const [id, p] of [...this.pending]) {
      if (!onlySent || p.sent) this.settle(id, null, new RequestError('disconnected', why));
    }
    if (!onlySent) this.outbox = [];
  }
}
