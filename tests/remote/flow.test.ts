// Flow control and liveness of a reliable binding: credits shrink with the reader's backlog, a shut
// window reopens through a credit probe even when the window update is lost, and a silent peer
// fails the binding although nothing is in flight (so a task waiting for a reply hears of it).
import { describe, expect, it } from 'vitest';
import { MemoryLink, type Carrier } from '../../core/kernel/ipc/remote/carrier';
import { RemoteEndpoint } from '../../core/kernel/ipc/remote/endpoint';
import type { FipcMessage } from '../../core/kernel/ipc/remote/frame';

const msg = (i: number): FipcMessage => ({
  type: 0x1000,
  timestamp: i,
  srcPid: 1,
  dstPid: 2,
  capability: 0,
  data: Uint8Array.of(i),
});

/** Drops datagrams while `blocked` says so. */
class Gate implements Carrier {
  blocked: (d: Uint8Array) => boolean = () => false;
  dropped = 0;
  constructor(private readonly inner: Carrier) {}
  send(d: Uint8Array): void {
    if (this.blocked(d)) this.dropped++;
    else this.inner.send(d);
  }
  onDatagram(h: (d: Uint8Array) => void): void {
    this.inner.onDatagram(h);
  }
  close(): void {}
}

function pair() {
  const link = new MemoryLink();
  const gateB = new Gate(link.b);
  const a = new RemoteEndpoint(link.a, { window: 4, rtoMs: 10, maxRetries: 50 });
  const b = new RemoteEndpoint(gateB, { window: 4, rtoMs: 10, maxRetries: 50 });
  const backlog: FipcMessage[] = [];
  const ab = a.bind(3n, () => {});
  const ba = b.bind(3n, (m) => backlog.push(m), { backlog: () => backlog.length });
  let t = 0;
  const run = (steps: number): void => {
    for (let i = 0; i < steps; i++) {
      link.pump();
      t += 1;
      a.tick(t);
      b.tick(t);
      link.pump();
    }
  };
  return { link, gateB, a, b, ab, ba, backlog, run };
}

describe('credits follow the reader', () => {
  it('a reader that does not consume shuts the window; consuming and announcing reopens it', () => {
    const { ab, ba, backlog, run } = pair();
    for (let i = 0; i < 10; i++) expect(ab.send(msg(i))).toBe(true);
    run(50);
    // The reader holds everything it got: the sender stopped at the window, not at 10.
    expect(backlog.length).toBe(4);
    expect(ab.sequence.credits).toBe(0);
    expect(ab.sequence.queued).toBe(6);
    backlog.splice(0, 4);
    ba.announce();
    run(50);
    expect(backlog.map((m) => m.data[0])).toEqual([4, 5, 6, 7]);
    backlog.length = 0;
    ba.announce();
    run(50);
    expect(backlog.map((m) => m.data[0])).toEqual([8, 9]);
    expect(ab.idle).toBe(true);
  });

  it('a lost window update is recovered by the sender’s credit probe', () => {
    const { gateB, ab, ba, backlog, run } = pair();
    for (let i = 0; i < 6; i++) ab.send(msg(i));
    run(20);
    expect(backlog.length).toBe(4);
    backlog.length = 0;
    gateB.blocked = () => true; // the window update is lost
    ba.announce();
    gateB.blocked = () => false;
    expect(gateB.dropped).toBe(1);
    run(40);
    expect(ab.stats.probes).toBeGreaterThan(0);
    expect(backlog.map((m) => m.data[0])).toEqual([4, 5]);
  });
});

describe('keepalive', () => {
  it('fails a binding whose peer went silent, with nothing in flight', () => {
    const link = new MemoryLink();
    const a = new RemoteEndpoint(link.a, { rtoMs: 10, maxRetries: 5, keepaliveMs: 100 });
    const b = new RemoteEndpoint(link.b, { rtoMs: 10, maxRetries: 5 });
    const ab = a.bind(3n, () => {});
    b.bind(3n, () => {});
    // While the peer answers, probes keep the binding alive.
    for (let t = 1; t <= 1000; t++) {
      a.tick(t);
      b.tick(t);
      link.pump();
    }
    expect(ab.error).toBeNull();
    expect(ab.stats.probes).toBeGreaterThan(0);
    link.b.close();
    let failedAt = 0;
    for (let t = 1001; t <= 2000 && !failedAt; t++) {
      a.tick(t);
      link.pump();
      if (ab.error) failedAt = t;
    }
    expect(ab.error).toMatch(/peer silent/);
    // Not before five unanswered RTOs after the cut; no later than keepalive + five RTOs after it.
    expect(failedAt).toBeGreaterThanOrEqual(1000 + 10 * 5);
    expect(failedAt).toBeLessThanOrEqual(1000 + 100 + 10 * 5 + 10);
  });
});
