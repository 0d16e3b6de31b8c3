// The session's handle on the machine worker: replies matched to commands, and a worker that dies
// (crash or exit) fails what was pending, reports the machine off, and is replaced on next use.
import { describe, expect, it } from 'vitest';
import { MachineRunner, type LinkHandlers, type MachineLink } from '../../core/host/worker/runner';
import type { ToWorker } from '../../core/host/worker/protocol';
import type { SessionEvent } from '../../core/protocol/messages';

/** A fake machine side: records what it was sent; the test answers or kills it. */
class FakeLink implements MachineLink {
  readonly kind = 'inline' as const;
  readonly sent: ToWorker[] = [];
  closed = false;
  constructor(readonly h: LinkHandlers) {}
  send(msg: ToWorker): void {
    this.sent.push(msg);
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const status = {
  state: 'off',
  instret: 0,
  timeMs: 0,
  config: { clock: 'virtual', preempt: false, ramMiB: 64 },
  console: { cols: 80, rows: 24 },
} as const;

describe('MachineRunner', () => {
  it('matches replies to commands by id, in any order, and passes events on', async () => {
    const links: FakeLink[] = [];
    const events: SessionEvent[] = [];
    const r = new MachineRunner(
      (e) => events.push(e),
      (h) => {
        const l = new FakeLink(h);
        links.push(l);
        return l;
      },
    );
    const a = r.command({ type: 'status' });
    const b = r.command({ type: 'pause' });
    const [l] = links;
    expect(l!.sent.map((m) => m.command.type)).toEqual(['status', 'pause']);
    l!.h.message({ type: 'reply', id: l!.sent[1]!.id, ok: false, message: 'nope' });
    l!.h.message({ type: 'event', event: { event: 'console.output', data: 'x' } });
    l!.h.message({ type: 'reply', id: l!.sent[0]!.id, ok: true, result: { ...status } });
    await expect(b).rejects.toThrow('nope');
    await expect(a).resolves.toMatchObject({ state: 'off' });
    expect(events).toEqual([{ event: 'console.output', data: 'x' }]);
    // A reply nobody waits for is ignored.
    l!.h.message({ type: 'reply', id: 999, ok: true, result: { ...status } });
    await r.dispose();
    expect(l!.closed).toBe(true);
  });

  it('fails pending commands when the worker dies, reports the machine off, and starts a new one', async () => {
    const links: FakeLink[] = [];
    const events: SessionEvent[] = [];
    const r = new MachineRunner(
      (e) => events.push(e),
      (h) => {
        const l = new FakeLink(h);
        links.push(l);
        return l;
      },
    );
    const pending = r.command({ type: 'resume' });
    links[0]!.h.lost('machine worker crashed: out of memory');
    await expect(pending).rejects.toThrow('out of memory');
    expect(events).toEqual([
      { event: 'machine.state', state: 'off', reason: 'machine worker crashed: out of memory' },
    ]);
    expect(r.kind).toBeNull();
    const next = r.command({ type: 'status' });
    expect(links).toHaveLength(2);
    links[1]!.h.message({ type: 'reply', id: links[1]!.sent[0]!.id, ok: true, result: { ...status } });
    await expect(next).resolves.toMatchObject({ state: 'off' });
    // A late message from the dead link changes nothing.
    links[0]!.h.lost('again');
    expect(events).toHaveLength(1);
    await r.dispose();
  });
});
