// The Session: the whole product behind every front end. It takes protocol requests (already
// transport-decoded), answers them, and pushes events to its clients. Each connection (a WebSocket,
// the Electron window, a direct caller) is a client of its own: session events go to every client,
// observation events only to the client that subscribed to them, at its own rate.
import { cpSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  type BuildOutcome,
  type Method,
  type ParamsOf,
  type Request,
  type Response,
  type SessionEvent,
  type ToolchainChoice,
  type ToolchainsResult,
} from '../../protocol/messages';
import { DebugRequestParams, type DebugMethod } from '../../protocol/debug';
import { DEFAULT_GDB_PORT } from '../../protocol/gdb';
import { parseRequest } from '../../protocol/validate';
import { MANIFEST_NAME } from '../../toolchain/build/manifest';
import { loadInstallationKeys } from '../fipc/installation-keys';
import { BUNDLED_SAMPLE, userDataDir } from '../paths';
import { watchWorkspace } from '../workspace/watcher';
import { Workspace, WorkspaceError } from '../workspace/workspace';
import type { LinkFactory } from '../worker/runner';
import type { Builder } from './builder';
import { SessionError } from './errors';
import { MachineControl } from './machine-control';
import { availableToolchains, ManifestEditError, manifestToolchain, withToolchain } from './toolchains';

export { SessionError } from './errors';

export interface SessionOptions {
  /** Per-user data folder (default: the platform's). */
  dataDir?: string;
  /** The sample userland copied on first start (default: the bundled one). */
  sampleDir?: string;
  /** The build service (the incremental builder); without one build.run is unavailable. */
  builder?: Builder;
  /** Where the machine runs (default: a worker thread). Tests pass inlineLink to run it here. */
  machineLink?: LinkFactory;
  /** Where build.toolchains looks for a RISC-V GCC (default: this process's environment's PATH). */
  toolchainEnv?: NodeJS.ProcessEnv;
}

export type EventListener = (event: SessionEvent) => void;

/** One connection to the session: its requests, its events, its own observation. */
export interface SessionClient {
  readonly id: number;
  /** Handles one raw message from this client; never throws. */
  handle(raw: unknown): Promise<Response>;
  /** Every session event, and this client's observation events. */
  on(listener: EventListener): () => void;
  /** The connection ended: its observation stops (the other clients' go on), its listeners go. */
  close(): Promise<void>;
}

/** A request's handler; `client` is the id of the connection that sent it. */
type Handler<M extends Method> = (params: ParamsOf<M>, client: number) => unknown | Promise<unknown>;
type HandlerTable = { [M in Method]?: Handler<M> };

export class Session {
  readonly dataDir: string;
  private readonly sampleDir: string;
  /** Each connected client's listeners, by client id. */
  private readonly clients = new Map<number, Set<EventListener>>();
  private nextClient = 1;
  /** The client of direct calls (`handle`, `on`): the CLI's, the tests'. */
  private readonly direct: SessionClient;
  private readonly toolchainEnv: NodeJS.ProcessEnv | undefined;
  private workspace: Workspace | null = null;
  /** Stops noticing external changes to the open workspace. */
  private unwatch: () => void = () => {};
  private readonly handlers: HandlerTable;
  private readonly builder: Builder | null;
  readonly machine: MachineControl;
  /** Builds run one at a time, in the order asked. */
  private buildChain: Promise<unknown> = Promise.resolve();

  constructor(options: SessionOptions = {}) {
    this.dataDir = options.dataDir ?? userDataDir();
    this.sampleDir = options.sampleDir ?? BUNDLED_SAMPLE;
    this.builder = options.builder ?? null;
    this.toolchainEnv = options.toolchainEnv;
    this.machine = new MachineControl((e, to) => this.emit(e, to), options.machineLink);
    this.direct = this.client(0);
    const m = this.machine;
    this.handlers = {
      hello: (p) => {
        if (p.version !== PROTOCOL_VERSION) {
          throw new SessionError(
            ErrorCode.VersionMismatch,
            `protocol ${p.version} is not ${PROTOCOL_VERSION}`,
          );
        }
        return { version: PROTOCOL_VERSION, workspace: this.workspace?.root ?? null };
      },
      'workspace.open': (p) => this.openWorkspace(p.path),
      'workspace.list': () => this.ws().list(),
      'file.read': (p) => ({ path: p.path, content: this.ws().read(p.path) }),
      'file.save': (p) => {
        this.writable().save(p.path, p.content);
        this.emit({ event: 'workspace.changed', paths: [p.path] });
        return {};
      },
      'file.create': (p) => {
        this.writable().create(p.path, p.kind);
        this.emit({ event: 'workspace.changed', paths: [p.path] });
        return {};
      },
      'file.rename': (p) => {
        this.writable().rename(p.from, p.to);
        this.emit({ event: 'workspace.changed', paths: [p.from, p.to] });
        return {};
      },
      'file.delete': (p) => {
        this.writable().delete(p.path);
        this.emit({ event: 'workspace.changed', paths: [p.path] });
        return {};
      },
      'build.run': (p) => this.build(p.clean ?? false),
      'build.toolchains': () => this.toolchains(),
      'build.setToolchain': (p) => this.setToolchain(p.toolchain),
      'machine.boot': () => {
        if (!this.builder && !m.hasImage) {
          // Nothing can ever be booted here (no builder, no image): unavailable, not a failure.
          throw new SessionError(
            ErrorCode.UnknownMethod,
            'machine.boot is not available: this session has no builder',
          );
        }
        // A workspace never built yet has no last good image: build it first, as `futura boot` does.
        if (!m.hasImage && this.builder) {
          return this.build(false).then((b) => {
            if (!b.ok) {
              const errors = b.diagnostics.filter((d) => d.severity === 'error').length;
              throw new SessionError(
                ErrorCode.Failed,
                `nothing to boot: the build failed with ${errors} error${errors === 1 ? '' : 's'} (see Problems)`,
              );
            }
            return m.boot();
          });
        }
        return m.boot();
      },
      'machine.status': () => m.status(),
      'machine.reset': () => m.reset(),
      'machine.pause': () => m.pause(),
      'machine.resume': () => m.resume(),
      'machine.step': (p) => m.step(p.instructions ?? 1),
      'machine.configure': (p) => m.configure(p),
      'machine.kill': (p) => m.kill(p.pid, p.signal ?? 9),
      'console.input': async (p) => {
        await m.input(p.data);
        return {};
      },
      'console.resize': (p) => m.resize(p.cols, p.rows),
      'observe.subscribe': (p, client) => m.subscribe(client, p.streams, p.hz),
      'machine.gdb': (p) => m.gdb(p.enabled, p.port ?? DEFAULT_GDB_PORT),
      // The installation's FIPC keys live with the user's settings (as `futura fipc` reads them).
      'fipc.link': (p) =>
        m.fipcLink(p.host ?? '127.0.0.1', p.port, p.timeoutMs, loadInstallationKeys(this.dataDir)),
      'fipc.unlink': () => m.fipcUnlink(),
      ...debugHandlers(m),
    };
  }

  /** Stops the machine worker; the session answers no machine requests afterwards. */
  dispose(): Promise<void> {
    this.unwatch();
    return this.machine.dispose();
  }

  private build(clean: boolean): Promise<BuildOutcome> {
    const builder = this.builder;
    if (!builder) {
      throw new SessionError(
        ErrorCode.UnknownMethod,
        'build.run is not available: this session has no builder',
      );
    }
    const root = this.ws().root;
    const run = async (): Promise<BuildOutcome> => {
      const t0 = performance.now();
      const r = await builder.build(
        root,
        (pr) => this.emit({ event: 'build.progress', ...pr }),
        clean ? { clean } : {},
      );
      if (r.ok && r.image) this.machine.setImage(r.image);
      const outcome: BuildOutcome = {
        ok: r.ok && r.image !== null,
        diagnostics: r.diagnostics,
        ms: Math.round(performance.now() - t0),
      };
      if (r.stats) outcome.stats = r.stats;
      this.emit({ event: 'build.finished', ...outcome });
      return outcome;
    };
    const next = this.buildChain.then(run, run);
    this.buildChain = next.catch(() => undefined);
    return next;
  }

  /** build.toolchains: what this machine offers and what the workspace's manifest chose. */
  private async toolchains(): Promise<ToolchainsResult> {
    const ws = this.ws();
    const toolchains = await availableToolchains(this.toolchainEnv);
    let current: ToolchainChoice = 'futcc';
    try {
      current = manifestToolchain(ws.read(MANIFEST_NAME));
    } catch (err) {
      if (!(err instanceof WorkspaceError)) throw err; // no manifest: the default
    }
    return { current, toolchains };
  }

  /** build.setToolchain: the manifest's `toolchain` field, saved atomically like any file. */
  private async setToolchain(name: ToolchainChoice): Promise<ToolchainsResult> {
    const toolchains = await availableToolchains(this.toolchainEnv);
    const t = toolchains.find((x) => x.name === name);
    if (!t?.available)
      throw new SessionError(
        ErrorCode.NotFound,
        `${t?.label ?? name} cannot be chosen: ${t?.reason ?? 'unknown'}`,
      );
    const ws = this.writable();
    const text = ws.read(MANIFEST_NAME);
    let next: string;
    try {
      next = withToolchain(text, name);
    } catch (err) {
      if (err instanceof ManifestEditError) throw new SessionError(ErrorCode.Failed, err.message);
      throw err;
    }
    if (next !== text) {
      ws.save(MANIFEST_NAME, next);
      this.emit({ event: 'workspace.changed', paths: [MANIFEST_NAME] });
    }
    return { current: name, toolchains };
  }

  /** The direct-call client's events (every session event, its own observation). */
  on(listener: EventListener): () => void {
    return this.direct.on(listener);
  }

  /** Handles one raw message from the direct-call client; never throws. */
  handle(raw: unknown): Promise<Response> {
    return this.direct.handle(raw);
  }

  /** A new connection (a WebSocket, a window): requests and events of its own. */
  connect(): SessionClient {
    return this.client(this.nextClient++);
  }

  private client(id: number): SessionClient {
    const listeners = new Set<EventListener>();
    this.clients.set(id, listeners);
    return {
      id,
      handle: async (raw) => {
        const parsed = parseRequest(raw);
        if (!parsed.ok) return parsed.reply;
        return this.dispatch(parsed.request, id);
      },
      on: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: async () => {
        listeners.clear();
        if (id !== 0) this.clients.delete(id);
        try {
          await this.machine.unsubscribe(id);
        } catch {
          // the machine side is gone: nothing is observed for anyone
        }
      },
    };
  }

  /** An event for every client, or (`to`) for one client's observation. */
  protected emit(event: SessionEvent, to?: number): void {
    if (to !== undefined) {
      for (const l of this.clients.get(to) ?? []) l(event);
      return;
    }
    for (const listeners of this.clients.values()) for (const l of listeners) l(event);
  }

  private async dispatch(req: Request, client: number): Promise<Response> {
    const handler = this.handlers[req.method] as Handler<Method> | undefined;
    if (!handler) {
      return {
        id: req.id,
        ok: false,
        error: {
          code: ErrorCode.UnknownMethod,
          message: `${req.method} is not available in this session yet`,
        },
      };
    }
    try {
      const result = await handler(req.params, client);
      return { id: req.id, ok: true, result: result ?? {} };
    } catch (err) {
      if (err instanceof SessionError)
        return { id: req.id, ok: false, error: { code: err.code, message: err.message } };
      if (err instanceof WorkspaceError)
        return { id: req.id, ok: false, error: { code: err.code, message: err.message } };
      const message = err instanceof Error ? err.message : String(err);
      return { id: req.id, ok: false, error: { code: ErrorCode.Failed, message } };
    }
  }

  /** Opens a folder, or by default the user's copy of the sample (made on first start). */
  openWorkspace(path?: string): { root: string } {
    let root = path;
    if (root === undefined) {
      root = join(this.dataDir, 'workspace');
      if (!existsSync(root)) {
        if (!existsSync(this.sampleDir))
          throw new SessionError(ErrorCode.NotFound, `bundled sample missing at ${this.sampleDir}`);
        mkdirSync(this.dataDir, { recursive: true });
        cpSync(this.sampleDir, root, { recursive: true });
      }
    }
    this.workspace = new Workspace(root);
    this.unwatch();
    this.unwatch = watchWorkspace(this.workspace.root, (paths) =>
      this.emit({ event: 'workspace.changed', paths }),
    );
    return { root: this.workspace.root };
  }

  private ws(): Workspace {
    if (!this.workspace) throw new SessionError(ErrorCode.Failed, 'no workspace is open');
    return this.workspace;
  }

  /** The open workspace for a change; the bundled sample itself is never modified. */
  private writable(): Workspace {
    const ws = this.ws();
    if (samePath(ws.root, this.sampleDir)) {
      throw new SessionError(
        ErrorCode.Forbidden,
        `the bundled sample is read-only: open your copy (${join(this.dataDir, 'workspace')}) to edit it`,
      );
    }
    return ws;
  }
}

/** Whether two paths name the same folder (symbolic links resolved; a missing one never matches). */
function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Every debug.* method goes to the machine side, where the debugger sits beside the kernel. */
function debugHandlers(m: MachineControl): { [K in DebugMethod]: (p: unknown) => Promise<unknown> } {
  const fwd = (method: DebugMethod) => (p: unknown) => m.debug(method, p);
  const out = {} as { [K in DebugMethod]: (p: unknown) => Promise<unknown> };
  for (const method of Object.keys(DebugRequestParams) as DebugMethod[]) out[method] = fwd(method);
  return out;
}
