// `futura start` (npm start): opens the desktop app when Electron can run here, and otherwise says
// why and starts the browser mode instead, so the main command always does its job.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PROJECT_ROOT } from '../../host/paths';
import type { CliContext } from '../context';
import { startBrowserMode } from './serve';

/** Electron 45 needs this Node for its tooling (its package's "engines"). */
export const ELECTRON_MIN_NODE = [22, 12] as const;
const ELECTRON_DIR = join(PROJECT_ROOT, 'node_modules', 'electron');
const INSTALL_TIMEOUT_MS = 45_000;

export function nodeSupportsElectron(version: string): boolean {
  const [maj = 0, min = 0] = version.replace(/^v/, '').split('.').map(Number);
  return maj > ELECTRON_MIN_NODE[0] || (maj === ELECTRON_MIN_NODE[0] && min >= ELECTRON_MIN_NODE[1]);
}

/** The Electron executable if it is installed, else null (never downloads). */
export function electronBinary(dir = ELECTRON_DIR, env: NodeJS.ProcessEnv = process.env): string | null {
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const bin = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron')
    : join(dir, 'dist', rel);
  return existsSync(bin) ? bin : null;
}

export type StartPlan = { mode: 'electron'; binary: string } | { mode: 'browser'; reason: string };

export interface PlanInputs {
  nodeVersion: string;
  /** The installed binary, or null. */
  findBinary(): string | null;
  /** Tries to fetch the binary (bounded in time); true if it seems to have worked. */
  install(): boolean;
}

/** Decides how to start. Pure given its inputs, so every branch is tested. */
export function planStart(i: PlanInputs): StartPlan {
  if (!nodeSupportsElectron(i.nodeVersion)) {
    return {
      mode: 'browser',
      reason: `Electron needs Node ≥ ${ELECTRON_MIN_NODE.join('.')} (this is ${i.nodeVersion})`,
    };
  }
  let binary = i.findBinary();
  if (!binary && i.install()) binary = i.findBinary();
  if (!binary) return { mode: 'browser', reason: 'Electron could not be downloaded' };
  return { mode: 'electron', binary };
}

function installElectron(): boolean {
  process.stderr.write('futura start: fetching Electron (first run)…\n');
  const r = spawnSync(process.execPath, [join(ELECTRON_DIR, 'install.js')], {
    stdio: ['ignore', 2, 2],
    timeout: INSTALL_TIMEOUT_MS,
  });
  return r.status === 0;
}

function buildDesktop(): string | null {
  for (const script of ['build-renderer.mjs', 'build-electron.mjs']) {
    const args = [join(PROJECT_ROOT, 'scripts', script)];
    if (script === 'build-renderer.mjs') args.push('--if-stale');
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 2, 2] });
    if (r.status !== 0) return `${script} failed`;
  }
  return null;
}

/** Runs the app; resolves with its exit code, or with an error message if it could not start. */
function runElectron(binary: string): Promise<number | string> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const child = spawn(binary, [PROJECT_ROOT], { stdio: 'inherit', env });
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 1);
    });
  });
}

async function browserFallback(reason: string, ctx: CliContext): Promise<void> {
  process.stderr.write(`futura start: ${reason}; starting the browser mode instead.\n`);
  try {
    const server = await startBrowserMode({});
    process.stdout.write(server.url + '\n');
    process.stderr.write('Open the URL above in a browser; press Ctrl+C to stop.\n');
    ctx.exitCode = 0;
  } catch (e) {
    process.stderr.write(
      `futura start: the browser mode failed too: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    ctx.exitCode = 1;
  }
}

export function registerStart(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('open Futura Studio (the desktop app, or the browser mode where Electron cannot run)')
    .option('--dry-run', 'only say how it would start')
    .action(async (opts: { dryRun?: boolean }) => {
      // Under the test runner nothing is launched: a test asks only that the command works.
      const dry = opts.dryRun === true || process.env.VITEST !== undefined;
      const plan = planStart({
        nodeVersion: process.version,
        findBinary: () => electronBinary(),
        install: () => (dry ? false : installElectron()),
      });
      if (dry) {
        process.stderr.write(
          plan.mode === 'electron'
            ? `futura start: would open the desktop app (${plan.binary})\n`
            : `futura start: ${plan.reason}; would start the browser mode\n`,
        );
        ctx.exitCode = 0;
        return;
      }
      if (plan.mode === 'browser') return browserFallback(plan.reason, ctx);
      const buildError = buildDesktop();
      if (buildError) return browserFallback(`the desktop app could not be built (${buildError})`, ctx);
      const result = await runElectron(plan.binary);
      if (typeof result === 'string') return browserFallback(`Electron could not start (${result})`, ctx);
      ctx.exitCode = result;
    });
}
