import { describe, expect, it, vi } from 'vitest';
import { RequestError, SessionClient } from '../../renderer/src/client/session-client';
import { ScriptedTransport } from './fake-transport';

describe('SessionClient', () => {
  it('matches replies to requests by id, in any order', async () => {
    const t = new ScriptedTransport();
    const c = new SessionClient(t);
    const a = c.request('workspace.list', {});
    const b = c.request('file.read', { path: 'x.c' });
    expect(t.sent.map((r) => r.method)).toEqual(['workspace.list', 'file.read']);
    const [ra, rb] = t.sent;
    t.deliver({ id: rb!.id, ok: true, result: { path: 'x.c', content: 'int x;' } });
    t.deliver({ id: ra!.id, ok: true, result: [] });
    await expect(b).resolves.toEqual({ path: 'x.c', content: 'int x;' });
    await expect(a).resolves.toEqual([]);
  });

  it('rejects with the session error code and message', async () => {
    const t = new ScriptedTransport();
    const c = new SessionClient(t);
    const p = c.request('build.run', {});
    t.deliver({ id: t.sent[0]!.id, ok: false, error: { code: 'unknown-method', message: 'nope' } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    expect((err as RequestError).code).toBe('unknown-method');
    expect((err as RequestError).message).toBe('nope');
  });

  it('queues requests until the connection opens, then sends them in order', async () => {
    const t = new ScriptedTransport('connecting');
    const c = new SessionClient(t);
    const p1 = c.request('hello', { version: 1, client: 't' });
    const p2 = c.request('workspace.list', {});
    expect(t.sent).toHaveLength(0);
    t.setStatus('open');
    expect(t.sent.map((r) => r.method)).toEqual(['hello', 'workspace.list']);
    t.deliver({ id: t.sent[0]!.id, ok: true, result: { version: 1, workspace: null } });
    t.deliver({ id: t.sent[1]!.id, ok: true, result: [] });
    await expect(p1).resolves.toEqual({ version: 1, workspace: null });
    await expect(p2).resolves.toEqual([]);
  });

  it('fails requests in flight when the connection drops, and reports the status', async () => {
    const t = new ScriptedTransport();
    const c = new SessionClient(t);
    const statuses: string[] = [];
    c.onStatus((s) => statuses.push(s));
    const p = c.request('workspace.list', {});
    t.setStatus('closed');
    await expect(p).rejects.toMatchObject({ code: 'disconnected' });
    t.setStatus('connecting');
    t.setStatus('open');
    expect(statuses).toEqual(['closed', 'connecting', 'open']);
  });

  it('times out unanswered requests', async () => {
    vi.useFakeTimers();
    try {
      const t = new ScriptedTransport();
      const c = new SessionClient(t, { timeoutMs: 1000 });
      const p = c.request('workspace.list', {});
      const caught = p.catch((e: unknown) => e);
      vi.advanceTimersByTime(1001);
      expect(await caught).toMatchObject({ code: 'timeout' });
      // A late reply is ignored.
      t.deliver({ id: t.sent[0]!.id, ok: true, result: [] });
    } finally {
      vi.useRealTimers();
    }
  });

  it('fans events out to every listener until they unsubscribe', () => {
    const t = new ScriptedTransport();
    const c = new SessionClient(t);
    const a: string[] = [];
    const b: string[] = [];
    const offA = c.onEvent((e) => e.event === 'console.output' && a.push(e.data));
    c.onEvent((e) => e.event === 'console.output' && b.push(e.data));
    t.deliver({ event: 'console.output', data: 'x' });
    offA();
    t.deliver({ event: 'console.output', data: 'y' });
    expect(a).toEqual(['x']);
    expect(b).toEqual(['x', 'y']);
  });
});
