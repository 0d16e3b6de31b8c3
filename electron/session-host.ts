// The main process's handle on the session worker: request → promise of response, events out,
// each tagged with its client (a window's webContents id: every window observes on its own).
// If the worker dies, pending requests get an error reply and a fresh worker is started.
import { Worker } from 'node:worker_threads';
import type { Response, SessionEvent } from '../core/protocol/messages';
import type { WorkerIn, WorkerOut, WorkerSetup } from './worker-protocol';

export class SessionHost {
  private worker: Worker;
  private nextTicket = 1;
  private readonly waiting = new Map<number, { id: number | null; resolve(r: Response): void }>();
  private readonly listeners = new Set<(e: SessionEvent, client: number) => void>();
  private disposed = false;

  constructor(
    private readonly workerFile: string,
    private readonly setup: WorkerSetup,
  ) {
    this.worker = this.spawn();
  }

  request(message: unknown, client = 1): Promise<Response> {
    const ticket = this.nextTicket++;
    const rec = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : {};
    const id = typeof rec.id === 'number' ? rec.id : null;
    return new Promise((resolve) => {
      this.waiting.set(ticket, { id, resolve });
      const m: WorkerIn = { type: 'request', ticket, client, message };
      this.worker.postMessage(m);
    });
  }

  /** Events, each for one client (the session's own events reach every client that asked something). */
  onEvent(listener: (e: SessionEvent, client: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A window closed: its observation stops, the others' go on. */
  disconnect(client: number): void {
    const m: WorkerIn = { type: 'disconnect', client };
    this.worker.postMessage(m);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.worker.terminate();
  }

  private spawn(): Worker {
    const w = new Worker(this.workerFile, { workerData: this.setup });
    w.on('message', (m: WorkerOut) => {
      if (m.type === 'event') {
        for (const l of this.listeners) l(m.event, m.client);
        return;
      }
      const p = this.waiting.get(m.ticket);
      if (!p) return;
      this.waiting.delete(m.ticket);
      p.resolve(m.response);
    });
    w.on('error', (err) => this.crashed(err.message));
    w.on('exit', (code) => {
      if (!this.disposed) this.crashed(`session worker exited (${code})`);
    });
    return w;
  }

  private crashed(why: string): void {
    if (this.disposed) return;
    for (const [ticket, p] of this.waiting) {
      this.waiting.delete(ticket);
      p.resolve({ id: p.id, ok: false, error: { code: 'failed', message: why } });
    }
    this.worker.removeAllListeners();
    this.worker = this.spawn();
  }
}
