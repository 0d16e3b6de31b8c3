import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../core/host/server/server';
import { Session } from '../../core/host/session/session';

let server: RunningServer;
let sample: string;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'futura-srv-'));
  const staticDir = join(base, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Futura Studio</title>');
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1)');
  sample = join(base, 'sample');
  mkdirSync(join(sample, 'hello'), { recursive: true });
  writeFileSync(join(sample, 'hello', 'hello.c'), 'int main(void) { return 0; }\n');
  const session = new Session({ dataDir: join(base, 'data'), sampleDir: sample });
  server = await startServer({ session, staticDir });
});
afterAll(async () => server.close());

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, msg: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const parsed = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('id' in parsed) {
        ws.off('message', onMessage);
        resolve(parsed);
      }
    };
    ws.on('message', onMessage);
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
}

describe('browser-mode server', () => {
  it('prints a tokenized 127.0.0.1 URL that loads directly with 200', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const res = await fetch(server.url, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Futura Studio');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    // The cookie set by the first load authorizes the page's assets.
    const asset = await fetch(`http://127.0.0.1:${server.port}/app.js`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(asset.status).toBe(200);
  });

  it('refuses requests without the token (401) or with a wrong one (403)', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/app.js`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(403);
    expect((await fetch(`${base}/`, { headers: { cookie: 'futura_token=nope' } })).status).toBe(403);
    expect((await fetch(`${base}/../../etc/passwd?token=${server.token}`)).status).toBe(404);
  });

  it('refuses WebSocket connections without the token or from another origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/ws`;
    await expect(connect(base)).rejects.toThrow(/403/);
    await expect(connect(`${base}?token=bad`)).rejects.toThrow(/403/);
    await expect(connect(`${base}?token=${server.token}`, { origin: 'http://evil.example' })).rejects.toThrow(
      /403/,
    );
  });

  it('drives the session over the WebSocket: hello, open, list, save, read, bad messages', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    try {
      expect(
        await call(ws, { id: 1, method: 'hello', params: { version: 1, client: 'test' } }),
      ).toMatchObject({ id: 1, ok: true });
      expect(
        await call(ws, { id: 2, method: 'hello', params: { version: 99, client: 'test' } }),
      ).toMatchObject({
        ok: false,
        error: { code: 'version-mismatch' },
      });
      const opened = await call(ws, { id: 3, method: 'workspace.open', params: {} });
      expect(opened).toMatchObject({ ok: true });
      const list = await call(ws, { id: 4, method: 'workspace.list', params: {} });
      expect((list.result as Array<{ path: string }>).map((e) => e.path)).toEqual(['hello', 'hello/hello.c']);
      const changed = new Promise<unknown>((resolve) =>
        ws.on('message', (d) => {
          const m = JSON.parse(d.toString()) as { event?: string };
          if (m.event === 'workspace.changed') resolve(m);
        }),
      );
      expect(
        await call(ws, {
          id: 5,
          method: 'file.save',
          params: { path: 'hello/hello.c', content: 'int x;\n' },
        }),
      ).toMatchObject({ ok: true });
      expect(await changed).toEqual({ event: 'workspace.changed', paths: ['hello/hello.c'] });
      expect(await call(ws, { id: 6, method: 'file.read', params: { path: 'hello/hello.c' } })).toMatchObject(
        {
          result: { content: 'int x;\n' },
        },
      );
      expect(await call(ws, { id: 7, method: 'file.read', params: { path: '../outside' } })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await call(ws, '{"id": 8, "method": ')).toMatchObject({
        ok: false,
        error: { code: 'bad-message' },
      });
      expect(await call(ws, { id: 9, method: 'nope' })).toMatchObject({
        id: 9,
        ok: false,
        error: { code: 'unknown-method' },
      });
    } finally {
      ws.close();
    }
  });
});

describe('Session', () => {
  it('copies the bundled sample on first start and never modifies the original', async () => {
    const base = mkdtempSync(join(tmpdir(), 'futura-sess-'));
    const sampleDir = join(base, 'sample');
    mkdirSync(sampleDir);
    writeFileSync(join(sampleDir, 'a.c'), 'original');
    const session = new Session({ dataDir: join(base, 'data'), sampleDir });
    const opened = await session.handle({ id: 1, method: 'workspace.open', params: {} });
    expect(opened.ok).toBe(true);
    await session.handle({ id: 2, method: 'file.save', params: { path: 'a.c', content: 'edited' } });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(sampleDir, 'a.c'), 'utf8')).toBe('original');
    expect(readFileSync(join(base, 'data', 'workspace', 'a.c'), 'utf8')).toBe('edited');
    // A second session finds the existing copy instead of overwriting it.
    const again = new Session({ dataDir: join(base, 'data'), sampleDir });
    await again.handle({ id: 1, method: 'workspace.open', params: {} });
    expect(await again.handle({ id: 2, method: 'file.read', params: { path: 'a.c' } })).toMatchObject({
      result: { content: 'edited' },
    });
  });

  it('reads the bundled sample when opened as a folder, but never changes it', async () => {
    const base = mkdtempSync(join(tmpdir(), 'futura-sess-'));
    const sampleDir = join(base, 'sample');
    mkdirSync(join(sampleDir, 'd'), { recursive: true });
    writeFileSync(join(sampleDir, 'a.c'), 'original');
    const session = new Session({ dataDir: join(base, 'data'), sampleDir });
    const call = (method: string, params: unknown): Promise<unknown> =>
      session.handle({ id: 1, method, params });
    expect(await call('workspace.open', { path: sampleDir })).toMatchObject({ ok: true });
    expect(await call('file.read', { path: 'a.c' })).toMatchObject({ result: { content: 'original' } });
    const refused = {
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('read-only') },
    };
    expect(await call('file.save', { path: 'a.c', content: 'edited' })).toMatchObject(refused);
    expect(await call('file.create', { path: 'b.c', kind: 'file' })).toMatchObject(refused);
    expect(await call('file.rename', { from: 'a.c', to: 'c.c' })).toMatchObject(refused);
    expect(await call('file.delete', { path: 'd' })).toMatchObject(refused);
    const { readdirSync, readFileSync } = await import('node:fs');
    expect(readdirSync(sampleDir).sort()).toEqual(['a.c', 'd']);
    expect(readFileSync(join(sampleDir, 'a.c'), 'utf8')).toBe('original');
    // The user's copy, opened by default, takes edits.
    expect(await call('workspace.open', {})).toMatchObject({ ok: true });
    expect(await call('file.save', { path: 'a.c', content: 'edited' })).toMatchObject({ ok: true });
    expect(readFileSync(join(sampleDir, 'a.c'), 'utf8')).toBe('original');
  });
});
