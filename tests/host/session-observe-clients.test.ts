// Observation per client: two connections with different streams and rates each get what they
// asked for (snapshot diffs consistent for each, whatever it skipped), one leaving does not touch
// the other, and with nobody subscribed the machine takes no samples at all.
import { afterEach, describe, expect, it } from 'vitest';
import { Session, type SessionClient } from '../../core/host/session/session';
import { MachineCore } from '../../core/host/worker/machine-core';
import type { LinkFactory } from '../../core/host/worker/runner';
import type { Method, ParamsOf, SessionEvent } from '../../core/protocol/messages';
import { SnapshotReceiver } from '../../core/protocol/snapshot-stream';
import { FB_SPIN_ASM, openAsmSession } from './session-support';

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

/** A session whose machine runs on this thread, with its MachineCore in reach of the test. */
async function booted(): Promise<{ s: Session; core: () => MachineCore }> {
  let core: MachineCore | null = null;
  const link: LinkFactory = (h) => {
    const c = new MachineCore((m) => h.message(m));
    core = c;
    return {
      kind: 'inline',
      send: (msg) => setImmediate(() => c.handle(msg)),
      close: () => {
        c.dispose();
        return Promise.resolve();
      },
    };
  };
  const { s, c: d } = await openAsmSession(FB_SPIN_ASM, sessions, link);
  expect(await d.call('build.run', {})).toMatchObject({ ok: true });
  await d.call('machine.boot', {});
  d.off();
  return {
    s,
    core: () => {
      if (!core) throw new Error('no machine side');
      return core;
    },
  };
}

/** One connection's recorder: its events, and a call helper. */
class Recorder {
  readonly events: SessionEvent[] = [];
  private id = 1;
  constructor(readonly client: SessionClient) {
    client.on((e) => this.events.push(e));
  }
  async call<M extends Method>(method: M, params: ParamsOf<M>): Promise<unknown> {
    const r = await this.client.handle({ id: this.id++, method, params });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result;
  }
  /** Observation events of a kind since `from`, per second over `ms`. */
  rate(kind: string, from: number, ms: number): number {
    return (this.events.slice(from).filter((e) => e.event === kind).length * 1000) / ms;
  }
  kinds(from = 0): Set<string> {
    return new Set(this.events.slice(from).map((e) => e.event));
  }
}

const OBSERVED = ['snapshot', 'framebuffer', 'counters'];
const observed = (r: Recorder, from: number): number =>
  r.events.slice(from).filter((e) => OBSERVED.includes(e.event)).length;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits `ms` and returns the host milliseconds that really passed. */
async function window(ms: number): Promise<number> {
  const t0 = performance.now();
  await sleep(ms);
  return performance.now() - t0;
}

describe('Session observation per client', () => {
  it('gives each client its own streams at its own rate, with diffs against what it received', async () => {
    const { s } = await booted();
    const fast = new Recorder(s.connect());
    const slow = new Recorder(s.connect());
    const bystander = new Recorder(s.connect());
    await fast.call('observe.subscribe', { streams: ['snapshot', 'counters'], hz: 20 });
    await slow.call('observe.subscribe', { streams: ['snapshot', 'framebuffer'], hz: 3 });
    await sleep(200);
    const [f0, s0] = [fast.events.length, slow.events.length];
    const ms = await window(2000);
    const fastRate = fast.rate('counters', f0, ms);
    const slowRate = slow.rate('snapshot', s0, ms);
    expect(fastRate).toBeGreaterThan(9);
    expect(fastRate).toBeLessThanOrEqual(21.5);
    expect(slowRate).toBeGreaterThan(1.5);
    expect(slowRate).toBeLessThanOrEqual(3.6);
    // Only the streams each asked for (the guest draws all the time: frames for the slow one).
    expect(fast.kinds()).toEqual(new Set(['snapshot', 'counters']));
    expect(slow.kinds()).toEqual(new Set(['snapshot', 'framebuffer']));
    expect(slow.rate('framebuffer', s0, ms)).toBeLessThanOrEqual(3.6);
    expect(observed(bystander, 0)).toBe(0);
    // Each rebuilds every snapshot it got: no diff against a snapshot it never saw.
    for (const r of [fast, slow]) {
      const rx = new SnapshotReceiver();
      const snaps = r.events.filter((e) => e.event === 'snapshot');
      expect(snaps.some((e) => !e.full)).toBe(true);
      for (const e of snaps) expect(rx.accept(e)).not.toBeNull();
    }
  });

  it("stops one client's streams when it unsubscribes or disconnects, the other's go on", async () => {
    const { s } = await booted();
    const a = new Recorder(s.connect());
    const b = new Recorder(s.connect());
    await a.call('observe.subscribe', { streams: ['counters'], hz: 10 });
    await b.call('observe.subscribe', { streams: ['counters', 'snapshot'], hz: 10 });
    await sleep(300);

    await b.call('observe.subscribe', { streams: [], hz: 10 });
    await sleep(50);
    let [a0, b0] = [a.events.length, b.events.length];
    let ms = await window(700);
    expect(observed(b, b0)).toBe(0);
    expect(a.rate('counters', a0, ms)).toBeGreaterThan(4);

    // b comes back; a's connection ends.
    await b.call('observe.subscribe', { streams: ['counters'], hz: 10 });
    await a.client.close();
    await sleep(50);
    [a0, b0] = [a.events.length, b.events.length];
    ms = await window(700);
    expect(observed(a, a0)).toBe(0);
    expect(b.rate('counters', b0, ms)).toBeGreaterThan(4);
  });

  it('samples nothing while no client is subscribed', async () => {
    const { s, core } = await booted();
    const a = new Recorder(s.connect());
    await sleep(300);
    expect(core().samplesTaken).toBe(0); // booted, but nobody watching
    await a.call('observe.subscribe', { streams: ['snapshot', 'counters'], hz: 30 });
    await sleep(300);
    const during = core().samplesTaken;
    expect(during).toBeGreaterThan(3);
    await a.client.close();
    await sleep(50);
    const after = core().samplesTaken;
    await sleep(400);
    expect(core().samplesTaken).toBe(after);
    // The machine went on running all along.
    const st = (await new Recorder(s.connect()).call('machine.status', {})) as { state: string };
    expect(st.state).toBe('running');
  });
});
