// `futura serve`: the browser mode. Builds the renderer when it is missing or stale, serves it
// with a Session on 127.0.0.1, and prints exactly one line on stdout: the URL with its token.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { PROJECT_ROOT } from '../../host/paths';
import { startServer, type RunningServer } from '../../host/server/server';
import { Session } from '../../host/session/session';
import { WorkspaceBuilder } from '../../host/session/workspace-builder';
import type { CliContext } from '../context';

export const RENDERER_DIR = join(PROJECT_ROOT, 'dist', 'renderer');

/** Runs scripts/build-renderer.mjs --if-stale; its messages go to stderr. Returns an error or null. */
export function ensureRendererBuilt(): string | null {
  const script = join(PROJECT_ROOT, 'scripts', 'build-renderer.mjs');
  const r = spawnSync(process.execPath, [script, '--if-stale'], { stdio: ['ignore', 2, 2] });
  if (r.error) return r.error.message;
  if (r.status !== 0) return `the renderer build failed (exit ${r.status})`;
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) return 'the renderer build produced no index.html';
  return null;
}

export interface BrowserModeOptions {
  port?: number;
  workspace?: string;
}

/** Starts the browser mode; resolves once it listens. Ctrl+C (or SIGTERM) closes it cleanly. */
export async function startBrowserMode(opts: BrowserModeOptions): Promise<RunningServer> {
  const err = ensureRendererBuilt();
  if (err) throw new Error(err);
  const session = new Session({ builder: new WorkspaceBuilder() });
  let server: RunningServer;
  try {
    session.openWorkspace(opts.workspace === undefined ? undefined : resolve(opts.workspace));
    server = await startServer({ session, staticDir: RENDERER_DIR, port: opts.port });
  } catch (e) {
    // A port in use, a missing folder: the session's folder watcher must not keep the process up.
    await session.dispose();
    throw e;
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nstopping Futura Studio…\n');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

/** --port's value; a bad one is a usage error (commander prints it and exits), not a crash. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('not a port number (0…65535; 0: any free port)');
  return n;
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run Futura Studio in the browser (prints the URL to open)')
    .option('-p, --port <n>', 'port on 127.0.0.1 (default: any free port)', parsePort)
    .option('-w, --workspace <dir>', 'workspace folder (default: your copy of the sample)')
    .action(async (opts: { port?: number; workspace?: string }) => {
      try {
        const server = await startBrowserMode(opts);
        process.stdout.write(server.url + '\n');
        process.stderr.write('Futura Studio is running in browser mode; press Ctrl+C to stop.\n');
        ctx.exitCode = 0;
      } catch (e) {
        process.stderr.write(`futura serve: ${e instanceof Error ? e.message : String(e)}\n`);
        ctx.exitCode = 1;
      }
    });
}
