// The frame fuzzer aimed at a kernel: random, mutated, truncated and replayed frames from a peer,
// for a registered service, the reserved channels, unexported channels and the control path, go
// through a node's endpoint and bridge. Nothing throws, every drop is counted, and the service's
// kernel channel receives exactly the genuine messages, once each and in order — nothing else.
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../core/host/fipc/node-crypto';
import { KERNEL_PID } from '../../core/kernel/ipc/fipc';
import { decodeHeader } from '../../core/kernel/ipc/message';
import { MemoryLink, prng } from '../../core/kernel/ipc/remote/carrier';
import { RemoteCluster } from '../../core/kernel/ipc/remote/cluster';
import { encodeFrame, FrameFlag, type FipcMessage } from '../../core/kernel/ipc/remote/frame';

const FULL = process.env.FUTURA_FULL === '1';
const CASES = FULL ? 100_000 : 10_000;

describe('frame fuzzer against a kernel bridge', () => {
  it(`${CASES} frames: no exception, only genuine messages reach the channel, in order, once`, () => {
    const rnd = prng(808);
    const c = new RemoteCluster({ crypto: nodeCrypto });
    const b = c.addNode('b');
    const k = b.kernel;
    const sink = k.fipc.create(KERNEL_PID, 2, 1 << 20);
    const other = k.fipc.create(KERNEL_PID, 2, 0); // not a service: never reachable
    expect(k.fipc.register(KERNEL_PID, 'sink', sink)).toBe(0);
    const link = new MemoryLink();
    b.remote.addPeer('x', link.b, nodeCrypto.randomBytes(32));
    b.bridge.watchPeer('x');
    let back = 0;
    link.a.onDatagram(() => back++);

    const originals: FipcMessage[] = [];
    const valid: Uint8Array[] = [];
    for (let seq = 1; seq <= 300; seq++) {
      const data = new Uint8Array(Math.floor(rnd() * 120)).map(() => Math.floor(rnd() * 256));
      const m: FipcMessage = {
        type: 0x1000 + seq,
        timestamp: seq,
        srcPid: 9,
        dstPid: 0,
        capability: 0,
        data,
      };
      originals.push(m);
      valid.push(encodeFrame({ flags: 0, seq, credits: 32, channelId: BigInt(sink), message: m }));
    }
    const elsewhere = (seq: number): Uint8Array => {
      const ids = [1n, 2n, BigInt(other), 0xffff_fff0n, BigInt(sink) + 100n];
      const channelId = ids[Math.floor(rnd() * ids.length)]!;
      const m: FipcMessage = {
        type: 0x41444d49,
        timestamp: 0,
        srcPid: 1,
        dstPid: 0,
        capability: 0,
        data: new Uint8Array(rnd() * 40).map(() => Math.floor(rnd() * 256)),
      };
      const flags = rnd() < 0.2 ? FrameFlag.Cred : 0;
      return encodeFrame({ flags, seq, credits: 4, channelId, message: flags ? null : m });
    };

    let next = 0;
    const got: Uint8Array[] = [];
    for (let i = 0; i < CASES; i++) {
      const kind = rnd();
      const base = valid[Math.floor(rnd() * valid.length)]!;
      let input: Uint8Array;
      if (kind < 0.2) input = new Uint8Array(Math.floor(rnd() * 200)).map(() => Math.floor(rnd() * 256));
      else if (kind < 0.55) {
        input = base.slice();
        const flips = 1 + Math.floor(rnd() * 3);
        for (let f = 0; f < flips; f++) input[Math.floor(rnd() * input.length)] ^= 1 << Math.floor(rnd() * 8);
      } else if (kind < 0.65) input = base.slice(0, Math.floor(rnd() * base.length));
      else if (kind < 0.8) input = elsewhere(1 + Math.floor(rnd() * 50));
      else input = rnd() < 0.6 && next < valid.length ? valid[next++]! : base;
      expect(() => {
        link.a.send(input);
        link.pump();
        if (i % 50 === 0) b.bridge.tick(i);
      }).not.toThrow();
      // The task side: drain the service channel as a reader would.
      for (
        let r = k.fipc.recv(KERNEL_PID, sink, 65568);
        r instanceof Uint8Array;
        r = k.fipc.recv(KERNEL_PID, sink, 65568)
      )
        got.push(r);
    }
    expect(next).toBe(valid.length);
    expect(got.length).toBe(valid.length);
    got.forEach((msg, i) => {
      const h = decodeHeader(msg);
      expect(h.type).toBe(originals[i]!.type);
      expect(msg.subarray(32)).toEqual(originals[i]!.data);
    });
    expect(k.fipc.channel(other)!.messages).toBe(0);
    expect(k.fipc.channel(1)!.messages).toBe(0);
    expect(k.fipc.channel(2)!.messages).toBe(0);
    const ep = b.remote.peer('x')!;
    expect(ep.totalDrops).toBeGreaterThan(CASES / 4);
    expect(ep.drops.crc + ep.drops.header).toBeGreaterThan(0);
    expect(back).toBeGreaterThan(0); // ACKs went back to the sender
  });
});
