// `futura serve --port N` as a user runs it: one line on stdout, the tokenized 127.0.0.1 URL on
// that port; the page loads from it directly; the page's assets and the WebSocket refuse a
// request without the token; the first start opens a copy of the sample in the user's data
// folder; Ctrl+C stops it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The HTTP status the server answers a WebSocket upgrade with (101 when it accepts). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (err) => reject(err));
  });
}

function helloOver(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('error', reject);
    ws.once('open', () =>
      ws.send(JSON.stringify({ id: 1, method: 'hello', params: { version: 1, client: 't' } })),
    );
    ws.on('message', (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as { id?: unknown };
      if (m.id !== 1) return;
      ws.close();
      resolve(m);
    });
  });
}

describe('futura serve', () => {
  it('prints its URL, serves the page with the token only, and stops on Ctrl+C', async () => {
    const port = await freePort();
    const { child, home } = spawnCli(['serve', '--port', String(port)]);
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`futura serve exited (${code}): ${stderr}`)));
    });
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[\\w-]{20,}$`));
    const token = new URL(url).searchParams.get('token')!;
    const base = `http://127.0.0.1:${port}`;

    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    const asset = /(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toBe(`futura_token=${token}`);
    expect((await fetch(`${base}/${asset}`, { headers: { cookie } })).status).toBe(200);

    // Without the token: the page, its assets, any method, the WebSocket.
    expect((await fetch(`${base}/`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${base}/${asset}`)).status).toBe(401);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/?token=${token.slice(1)}x`)).status).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/ws`)).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/ws?token=nope`)).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/ws?token=${token}`)).toBe(101);

    // With the token the WebSocket drives the session, which opened the user's copy of the sample.
    const hello = await helloOver(`ws://127.0.0.1:${port}/ws?token=${token}`);
    expect(hello).toMatchObject({ id: 1, ok: true, result: { version: 1 } });
    const workspace = (hello as { result: { workspace: string } }).result.workspace;
    expect(workspace).not.toBe(join(ROOT, 'sample-userland'));
    expect(existsSync(join(workspace, 'futura.json'))).toBe(true);
    if (process.platform === 'linux')
      expect(workspace).toBe(join(home, 'data', 'futura-studio', 'workspace'));

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([url]);
  }, 240_000);

  it('exits with an error, printing no URL, when the port is taken or not a port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const addr = taken.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      const busy = await run(['serve', '--port', String(port)]);
      expect(busy.code).toBe(1);
      expect(busy.stdout).toBe('');
      expect(busy.stderr).toMatch(/futura serve: .*EADDRINUSE/);
      const bad = await run(['serve', '--port', '70000']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/'70000' is invalid.*not a port number/);
      expect(bad.stderr).not.toMatch(/\bat /); // a usage error, not a stack trace
    } finally {
      taken.close();
    }
  }, 240_000);
});

/** Starts the CLI as a user runs it, with a temporary data and cache folder of its own. */
function spawnCli(args: string[]): { child: ChildProcess; home: string } {
  const home = mkdtempSync(join(tmpdir(), 'futura-serve-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'futura.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, XDG_DATA_HOME: join(home, 'data'), FUTURA_CACHE_DIR: join(home, 'cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return { child, home };
}

/** Runs the CLI to its end (60 s at most) in a temporary data folder. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child } = spawnCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
