// The Session: the whole product behind every front end. It takes protocol requests (already
// transport-decoded), answers them, and pushes events to its listeners.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  type ErrorCodeValue,
  type Method,
  type ParamsOf,
  type Request,
  type Response,
  type SessionEvent,
} from '../../protocol/messages';
import { parseRequest } from '../../protocol/validate';
import { BUNDLED_SAMPLE, userDataDir } from '../paths';
import { Workspace, WorkspaceError } from '../workspace/workspace';

export interface SessionOptions {
  /** Per-user data folder (default: the platform's). */
  dataDir?: string;
  /** The sample userland copied on first start (default: the bundled one). */
  sampleDir?: string;
}

export type EventListener = (event: SessionEvent) => void;

/** Thrown by handlers for errors the client should see with a code. */
export class SessionError extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
  ) {
    super(message);
  }
}

type Handler<M extends Method> = (params: ParamsOf<M>) => unknown | Promise<unknown>;
type HandlerTable = { [M in Method]?: Handler<M> };

export class Session {
  readonly dataDir: string;
  private readonly sampleDir: string;
  private readonly listeners = new Set<EventListener>();
  private workspace: Workspace | null = null;
  private readonly handlers: HandlerTable;

  constructor(options: SessionOptions = {}) {
    this.dataDir = options.dataDir ?? userDataDir();
    this.sampleDir = options.sampleDir ?? BUNDLED_SAMPLE;
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
        this.ws().save(p.path, p.content);
        this.emit({ event: 'workspace.changed', paths: [p.path] });
        return {};
      },
      'file.create': (p) => {
        this.ws().create(p.path, p.kind);
        this.emit({ event: 'workspace.changed', paths: [p.path] });
        return {};
      },
      'file.rename': (p) => {
        this.ws().rename(p.from, p.to);
        this.emit({ event: 'workspace.changed', paths: [p.from, p.to] });
        return {};
      },
      'file.delete': (p) => {
        this.ws().delete(p.path);
        this.emit({ event: 'workspace.changed', paths: [p.path] });
        return {};
      },
    };
  }

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected emit(event: SessionEvent): void {
    for (const l of this.listeners) l(event);
  }

  /** Handles one raw message from any transport; never throws. */
  async handle(raw: unknown): Promise<Response> {
    const parsed = parseRequest(raw);
    if (!parsed.ok) return parsed.reply;
    return this.dispatch(parsed.request);
  }

  private async dispatch(req: Request): Promise<Response> {
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
      const result = await handler(req.params);
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
    return { root: this.workspace.root };
  }

  private ws(): Workspace {
    if (!this.workspace) throw new SessionError(ErrorCode.Failed, 'no workspace is open');
    return this.workspace;
  }
}
