// Starts `futura serve` (which builds the renderer when needed) on a free port with a temporary
// FUTURA_DATA_DIR, hands its URL to the tests, and stops it afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname ?? __dirname, '..', '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'futura-e2e-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'futura.mjs'), 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, FUTURA_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('futura serve printed no URL within 240 s')), 240_000);
    child.once('exit', (code) => reject(new Error(`futura serve exited early (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
  process.env.FUTURA_E2E_URL = url;
  process.env.FUTURA_E2E_DATA = dataDir;
  return async () => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
    rmSync(dataDir, { recursive: true, force: true });
  };
}
