// The same session protocol over the browser mode's WebSocket (JSON text frames), with the
// machine in its worker thread: build, boot, console round trip, pause/step, and inspect
// snapshots rebuilt from diffs by the shared SnapshotReceiver.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../core/host/server/server';
import { Session } from '../../core/host/session/session';
import type { Json } from '../../core/protocol/snapshot-diff';
import { SnapshotReceiver, type SnapshotEvent } from '../../core/protocol/snapshot-stream';
import { AsmBuilder, asmWorkspace, ECHO_ASM } from './session-support';

type Msg = Record<string, unknown>;

let server: RunningServer;
let session: Session;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'futura-ws-'));
  const staticDir = join(base, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  session = new Session({ dataDir: join(base, 'data'), builder: new AsmBuilder() });
  server = await startServer({ session, staticDir });
});
afterAll(async () => {
  await server.close();
  await session.dispose();
});

class WsClient {
  readonly events: Msg[] = [];
  private nextId = 1;
  private readonly replies = new Map<number, (m: Msg) => void>();
  private readonly watchers = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Msg;
      if (typeof m.event === 'string') {
        this.events.push(m);
        for (const w of [...this.watchers]) w();
      } else if (typeof m.id === 'number') this.replies.get(m.id)?.(m);
    });
  }

  static open(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('error', reject);
    });
  }

  send(raw: string): Promise<Msg> {
    const id = (JSON.parse(raw) as { id?: unknown }).id;
    return new Promise((resolve) => {
      if (typeof id === 'number') this.replies.set(id, resolve);
      this.ws.send(raw);
    });
  }

  async call(method: string, params: unknown = {}): Promise<Msg> {
    const r = await this.send(JSON.stringify({ id: this.nextId++, method, params }));
    if (r.ok !== true) throw new Error(JSON.stringify(r.error));
    return r.result as Msg;
  }

  until(pred: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = (): void => {
        if (!pred()) return;
        this.watchers.delete(w);
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(() => {
        this.watchers.delete(w);
        reject(new Error('timed out waiting for events'));
      }, timeoutMs);
      this.watchers.add(w);
    });
  }

  console(): string {
    return this.events.map((e) => (e.event === 'console.output' ? String(e.data) : '')).join('');
  }
}

describe('Session over the WebSocket', () => {
  it('builds, boots, echoes console input, pauses, steps and streams snapshot diffs', async () => {
    const url = `ws://127.0.0.1:${server.port}/ws?token=${server.token}`;
    const c = await WsClient.open(url);
    try {
      expect(await c.call('hello', { version: 1, client: 'ws-test' })).toMatchObject({ version: 1 });
      await c.call('workspace.open', { path: asmWorkspace(ECHO_ASM) });
      expect(await c.call('build.run')).toMatchObject({ ok: true });
      await c.call('observe.subscribe', { streams: ['snapshot', 'counters', 'framebuffer'], hz: 30 });
      expect(await c.call('machine.boot')).toMatchObject({ state: 'running' });
      await c.until(() => c.console().includes('> '));
      await c.call('console.input', { data: 'over the wire\r' });
      await c.until(() => c.console().includes('got: over the wire\r\n> '));

      // The guest is blocked reading: stepping retires nothing; the state is reported as paused.
      expect(await c.call('machine.pause')).toMatchObject({ state: 'paused' });
      expect(await c.call('machine.step', { instructions: 5 })).toMatchObject({
        executed: 0,
        status: { state: 'paused' },
      });
      expect(await c.call('machine.resume')).toMatchObject({ state: 'running' });
      // Typing while it runs produces another line and new snapshots.
      await c.call('console.input', { data: 'again\r' });
      await c.until(() => c.console().includes('got: again'));
      const snaps = (): Msg[] => c.events.filter((e) => e.event === 'snapshot');
      await c.until(() => snaps().some((e) => e.full === false));

      const rx = new SnapshotReceiver();
      let last: Json | null = null;
      for (const e of snaps()) {
        last = rx.accept(e as unknown as SnapshotEvent);
        expect(last).not.toBeNull();
      }
      const tasks = (last as { tasks: { pid: number; name: string; threads: { state: string }[] }[] }).tasks;
      expect(tasks).toEqual([expect.objectContaining({ pid: 1, name: 'init' })]);
      // The framebuffer frame sent at boot arrives as base64 bytes inside JSON.
      const frame = c.events.find((e) => e.event === 'framebuffer');
      expect(frame).toMatchObject({ width: 800, height: 600, pixels: { $bytes: expect.any(String) } });

      // Malformed input on the same socket gets error replies; the session keeps serving.
      expect(
        await c.send('{"id": 900, "method": "machine.step", "params": {"instructions": -1}}'),
      ).toMatchObject({
        id: 900,
        ok: false,
        error: { code: 'bad-params' },
      });
      expect(await c.send('{"id": 901, "method": "machine.warp"}')).toMatchObject({
        error: { code: 'unknown-method' },
      });
      expect(await c.call('machine.status')).toMatchObject({ state: 'running' });

      // A second client joins mid-run with a stream of its own: a full snapshot first, then diffs
      // against what IT received; A's stream goes on untouched; console output reaches both.
      const b = await WsClient.open(url);
      try {
        const aBefore = snaps().length;
        await b.call('observe.subscribe', { streams: ['snapshot'], hz: 5 });
        await b.until(() => b.events.some((e) => e.event === 'snapshot' && e.full === true));
        await b.call('console.input', { data: 'from b\r' });
        await b.until(() => b.console().includes('got: from b'));
        await c.until(() => c.console().includes('got: from b'));
        const bSnaps = (): Msg[] => b.events.filter((e) => e.event === 'snapshot');
        await b.until(() => bSnaps().some((e) => e.full === false));
        expect(bSnaps()[0]).toMatchObject({ full: true });
        const rxB = new SnapshotReceiver();
        let lastB: Json | null = null;
        for (const e of bSnaps()) {
          lastB = rxB.accept(e as unknown as SnapshotEvent);
          expect(lastB).not.toBeNull();
        }
        // Only snapshots, only B's: A's frames and counters stay A's.
        expect(b.events.some((e) => e.event === 'counters' || e.event === 'framebuffer')).toBe(false);
        // A's own stream went on, still consistent.
        expect(snaps().length).toBeGreaterThan(aBefore); // the echo of "from b" changed the kernel
        const rxA = new SnapshotReceiver();
        let lastA: Json | null = null;
        for (const e of snaps()) {
          lastA = rxA.accept(e as unknown as SnapshotEvent);
          expect(lastA).not.toBeNull();
        }
        const names = (j: Json | null): string[] =>
          ((j as { tasks: { name: string }[] } | null)?.tasks ?? []).map((t) => t.name);
        expect(names(lastA)).toEqual(names(lastB));
      } finally {
        b.ws.close();
      }
      await c.call('console.input', { data: 'q\r' });
      await c.until(() => c.events.some((e) => e.event === 'machine.state' && e.state === 'halted'));
    } finally {
      c.ws.close();
    }
  });
});
