import { describe, expect, it } from 'vitest';
import { prng } from '../../core/kernel/ipc/remote/carrier';
import { RemoteEndpoint } from '../../core/kernel/ipc/remote/endpoint';
import { encodeFrame, type FipcMessage } from '../../core/kernel/ipc/remote/frame';
import type { Carrier } from '../../core/kernel/ipc/remote/carrier';

const FULL = process.env.FUTURA_FULL === '1';
const CASES = FULL ? 100_000 : 10_000;

/** A carrier the test drives by hand: it records what the endpoint transmits. */
class ManualCarrier implements Carrier {
  handler: ((d: Uint8Array) => void) | null = null;
  sent = 0;
  send(): void {
    this.sent++;
  }
  onDatagram(h: (d: Uint8Array) => void): void {
    this.handler = h;
  }
  close(): void {}
}

describe('remote frame fuzzer', () => {
  it(`${CASES} random and mutated frames: no exception, no malformed delivery, every drop counted`, () => {
    const rnd = prng(2026);
    const carrier = new ManualCarrier();
    const endpoint = new RemoteEndpoint(carrier, { window: 64 });
    const originals: FipcMessage[] = [];
    const valid: Uint8Array[] = [];
    for (let seq = 1; seq <= 400; seq++) {
      const data = new Uint8Array(Math.floor(rnd() * 200)).map(() => Math.floor(rnd() * 256));
      const m: FipcMessage = {
        type: 0x1000 + seq,
        timestamp: seq,
        srcPid: 4,
        dstPid: 5,
        capability: 7,
        data,
      };
      originals[seq] = m;
      valid.push(encodeFrame({ flags: 0, seq, credits: 8, channelId: 3n, message: m }));
    }
    const delivered: FipcMessage[] = [];
    const binding = endpoint.bind(3n, (m) => delivered.push(m));

    let next = 0;
    for (let i = 0; i < CASES; i++) {
      const kind = rnd();
      let input: Uint8Array;
      const base = valid[Math.floor(rnd() * valid.length)]!;
      if (kind < 0.25) {
        input = new Uint8Array(Math.floor(rnd() * 300)).map(() => Math.floor(rnd() * 256));
      } else if (kind < 0.7) {
        input = base.slice();
        const flips = 1 + Math.floor(rnd() * 4);
        for (let f = 0; f < flips; f++) input[Math.floor(rnd() * input.length)] ^= 1 << Math.floor(rnd() * 8);
      } else if (kind < 0.85) {
        input = base.slice(0, Math.floor(rnd() * base.length));
      } else if (kind < 0.9) {
        input = new Uint8Array(base.length + 1 + Math.floor(rnd() * 8));
        input.set(base);
      } else {
        // The genuine stream, interleaved with the garbage: the next frame in order, or a replay.
        input = rnd() < 0.5 ? valid[next++ % valid.length]! : base;
      }
      expect(() => carrier.handler!(input)).not.toThrow();
    }

    const s = binding.stats;
    const reachedBinding = s.received + s.acksReceived;
    expect(endpoint.totalDrops + reachedBinding).toBe(CASES);
    expect(endpoint.totalDrops).toBeGreaterThan(CASES / 2);
    // Everything delivered is exactly what was sent with that sequence number, in order.
    expect(delivered.length, JSON.stringify({ s, drops: endpoint.drops })).toBeGreaterThan(0);
    expect(delivered.length).toBeGreaterThan(100);
    delivered.forEach((m, i) => expect(m).toEqual(originals[i + 1]));
  });
});
