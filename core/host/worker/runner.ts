// The session's handle on the machine: commands as promises, events out. The machine runs in a
// worker thread (node:worker_threads) so the session's thread stays responsive while the guest
// spins; where the worker's script cannot be found (an unusual bundle) it runs on this thread,
// still in slices. If the worker dies, pending commands fail and the machine is reported off.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MachineStatus, SessionEvent } from '../../protocol/messages';
import { MachineCore } from './machine-core';
import type { FromWorker, MachineCommand, StepResult, ToWorker } from './protocol';

/** A two-way message pipe to a MachineCore, wherever it runs. */
export interface MachineLink {
  readonly kind: 'worker' | 'inline';
  send(msg: ToWorker): void;
  close(): Promise<void>;
}

export interface LinkHandlers {
  message(m: FromWorker): void;
  /** The link died (worker crash or exit). */
  lost(why: string): void;
}

/** Where the worker's script is: next to this module (sources, via tsx) or to the bundle (.cjs). */
function workerScript(): { file: string; ts: boolean } | null {
  for (const [rel, ts] of [
    ['./machine-worker.ts', true],
    ['./machine-worker.cjs', false],
  ] as const) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return { file: url.href, ts };
  }
  return null;
}

/** Starts the machine in a worker thread; null when its script is not available. */
export function workerLink(h: LinkHandlers): MachineLink | null {
  const script = workerScript();
  if (!script) return null;
  let w: Worker;
  if (script.ts) {
    // Sources run through tsx: register its loader in the worker, then import the entry.
    const api = createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
    const boot =
      "const { workerData } = require('node:worker_threads');" +
      'import(workerData.api).then((m) => { m.register(); return import(workerData.entry); });';
    w = new Worker(boot, { eval: true, workerData: { api: pathToFileURL(api).href, entry: script.file } });
  } else {
    w = new Worker(new URL(script.file));
  }
  let alive = true;
  const lost = (why: string): void => {
    if (!alive) return;
    alive = false;
    h.lost(why);
  };
  w.on('message', (m: FromWorker) => h.message(m));
  w.on('error', (err) => lost(`machine worker crashed: ${err.message}`));
  w.on('exit', (code) => lost(`machine worker exited (${code})`));
  return {
    kind: 'worker',
    send: (msg) => w.postMessage(msg),
    close: async () => {
      alive = false;
      await w.terminate();
    },
  };
}

/** Runs the machine on this thread (tests, and bundles without the worker script). */
export function inlineLink(h: LinkHandlers): MachineLink {
  const core = new MachineCore((m) => h.message(m));
  return {
    kind: 'inline',
    // Asynchronous like a worker, so callers see the same ordering either way.
    send: (msg) => setImmediate(() => core.handle(msg)),
    close: () => {
      core.dispose();
      return Promise.resolve();
    },
  };
}

export type LinkFactory = (h: LinkHandlers) => MachineLink;

/** A worker thread where one can start (its script found, tsx resolvable in sources), else inline. */
export const defaultLinkFactory: LinkFactory = (h) => {
  try {
    const w = workerLink(h);
    if (w) return w;
  } catch {
    // fall through: the machine still runs, on this thread
  }
  return inlineLink(h);
};

export class MachineRunner {
  private link: MachineLink | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: unknown): void; reject(e: Error): void }>();

  constructor(
    /** Events out; `to` names the one client an observation event is for. */
    private readonly onEvent: (e: SessionEvent, to?: number) => void,
    private readonly factory: LinkFactory = defaultLinkFactory,
  ) {}

  /** 'worker' or 'inline' once started; null before the first command. */
  get kind(): MachineLink['kind'] | null {
    return this.link?.kind ?? null;
  }

  command(c: Extract<MachineCommand, { type: 'step' }>): Promise<StepResult>;
  command(c: MachineCommand): Promise<MachineStatus>;
  command(c: MachineCommand): Promise<MachineStatus | StepResult> {
    const link = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (r) => resolve(r as MachineStatus), reject });
      link.send({ id, command: c });
    });
  }

  async dispose(): Promise<void> {
    const l = this.link;
    this.link = null;
    this.failAll('the session closed');
    await l?.close();
  }

  private ensure(): MachineLink {
    if (this.link) return this.link;
    const link = this.factory({
      message: (m) => this.receive(m),
      lost: (why) => {
        if (this.link !== link) return;
        this.link = null;
        this.failAll(why);
        this.onEvent({ event: 'machine.state', state: 'off', reason: why });
      },
    });
    this.link = link;
    return link;
  }

  private receive(m: FromWorker): void {
    if (m.type === 'event') {
      this.onEvent(m.event, m.to);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(m.message));
  }

  private failAll(why: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error(why));
    }
  }
}
