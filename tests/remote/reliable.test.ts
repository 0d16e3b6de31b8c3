import { describe, expect, it } from 'vitest';
import { MemoryLink, prng, type LinkFaults } from '../../core/kernel/ipc/remote/carrier';
import { RemoteEndpoint } from '../../core/kernel/ipc/remote/endpoint';
import type { FipcMessage } from '../../core/kernel/ipc/remote/frame';

const enc = new TextEncoder();
const dec = new TextDecoder();

function msg(i: number): FipcMessage {
  return {
    type: 0x1000,
    timestamp: i,
    srcPid: 1,
    dstPid: 2,
    capability: 0,
    data: enc.encode(`message ${i}`),
  };
}

/** Sends `count` messages each way over a faulty link and runs the clock until all are acknowledged. */
function exchange(faults: LinkFaults, count: number) {
  const link = new MemoryLink(faults);
  const a = new RemoteEndpoint(link.a, { rtoMs: 10, maxRetries: 200 });
  const b = new RemoteEndpoint(link.b, { rtoMs: 10, maxRetries: 200 });
  const gotA: string[] = [];
  const gotB: string[] = [];
  const ab = a.bind(3n, (m) => gotA.push(dec.decode(m.data)));
  const ba = b.bind(3n, (m) => gotB.push(dec.decode(m.data)));
  let sentA = 0;
  let sentB = 0;
  for (let t = 0; t < 100_000 && (sentA < count || sentB < count || !ab.idle || !ba.idle); t++) {
    // Offer a few messages per step, as far as back-pressure allows.
    for (let k = 0; k < 3 && sentA < count; k++) if (ab.send(msg(sentA))) sentA++;
    for (let k = 0; k < 3 && sentB < count; k++) if (ba.send(msg(sentB))) sentB++;
    link.pump();
    a.tick(t);
    b.tick(t);
    link.pump();
    if (ab.error || ba.error) break;
  }
  return { link, a, b, ab, ba, gotA, gotB };
}

const expected = (n: number): string[] => Array.from({ length: n }, (_, i) => `message ${i}`);

describe('reliable remote binding', () => {
  it('delivers every message once and in order over a clean link', () => {
    const r = exchange({}, 500);
    expect(r.gotB).toEqual(expected(500));
    expect(r.gotA).toEqual(expected(500));
    expect(r.ab.stats.retransmits).toBe(0);
  });

  it.each([
    ['loss', { loss: 0.2, seed: 1 }],
    ['duplication', { duplicate: 0.3, seed: 2 }],
    ['reordering', { reorder: 0.3, seed: 3 }],
    ['corruption', { corrupt: 0.1, seed: 4 }],
    ['everything at once', { loss: 0.1, duplicate: 0.1, reorder: 0.2, corrupt: 0.05, seed: 5 }],
  ] as const)('delivers every message once and in order despite %s', (_name, faults) => {
    const r = exchange(faults, 400);
    expect(r.ab.error).toBeNull();
    expect(r.gotB).toEqual(expected(400));
    expect(r.gotA).toEqual(expected(400));
    if ('corrupt' in faults)
      expect(r.a.drops.crc + r.b.drops.crc + r.a.totalDrops + r.b.totalDrops).toBeGreaterThan(0);
    if ('loss' in faults) expect(r.ab.stats.retransmits + r.ba.stats.retransmits).toBeGreaterThan(0);
    if ('duplicate' in faults) expect(r.ab.stats.duplicates + r.ba.stats.duplicates).toBeGreaterThan(0);
  });

  it('reports an error when the peer never acknowledges', () => {
    const link = new MemoryLink({ loss: 1 });
    const a = new RemoteEndpoint(link.a, { rtoMs: 5, maxRetries: 3 });
    const ab = a.bind(3n, () => {});
    expect(ab.send(msg(0))).toBe(true);
    for (let t = 0; t < 100; t++) {
      link.pump();
      a.tick(t);
    }
    expect(ab.error).toMatch(/did not acknowledge seq 1 after 3 retransmissions/);
    expect(ab.send(msg(1))).toBe(false);
  });

  it('applies back-pressure: at most the advertised credits are in flight', () => {
    const link = new MemoryLink({});
    const a = new RemoteEndpoint(link.a, { window: 4, maxQueued: 8 });
    const ab = a.bind(3n, () => {});
    let accepted = 0;
    for (let i = 0; i < 20; i++) if (ab.send(msg(i))) accepted++;
    expect(ab.sequence.inFlight).toBe(4);
    expect(accepted).toBe(12); // 4 in flight + 8 queued; the rest refused
  });

  it('counts frames for unbound channels and never delivers them', () => {
    const link = new MemoryLink({});
    const a = new RemoteEndpoint(link.a);
    const b = new RemoteEndpoint(link.b);
    a.bind(9n, () => {}).send(msg(0));
    link.pump();
    expect(b.drops.unbound).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const one = exchange({ loss: 0.15, reorder: 0.2, seed: 42 }, 200);
    const two = exchange({ loss: 0.15, reorder: 0.2, seed: 42 }, 200);
    expect(one.link.stats).toEqual(two.link.stats);
    expect(one.ab.stats).toEqual(two.ab.stats);
    expect(prng(7)()).toBe(prng(7)());
  });
});

describe('per-binding rate limit', () => {
  it('drops and counts frames beyond the rate; the sender still gets everything through, slower', () => {
    const link = new MemoryLink({});
    const a = new RemoteEndpoint(link.a, { rtoMs: 20, maxRetries: 1000 });
    const b = new RemoteEndpoint(link.b, { rateLimit: { framesPerSecond: 1000, burst: 10 } });
    const got: number[] = [];
    const ab = a.bind(3n, () => {});
    b.bind(3n, (m) => got.push(Number(m.timestamp)));
    for (let i = 0; i < 100; i++) ab.send(msg(i));
    let t = 0;
    for (; t < 10_000 && got.length < 100; t++) {
      link.pump();
      a.tick(t);
      b.tick(t);
    }
    expect(b.drops.rateLimited).toBeGreaterThan(0);
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // 1000 frames/s with a burst of 10 cannot take 100 frames in under ~90 ms of clock.
    expect(t).toBeGreaterThan(85);
  });
});
