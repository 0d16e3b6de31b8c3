import { describe, it, expect } from 'vitest';
import { ByteRing } from '../../core/kernel/ipc/ring';
import { Channel } from '../../core/kernel/ipc/channel';
import { Fipc, KERNEL_PID } from '../../core/kernel/ipc/fipc';
import { decodeHeader, encodeMessage } from '../../core/kernel/ipc/message';
import { isBlocked } from '../../core/kernel/sched';
import {
  FIPC_BLOCKING,
  FIPC_EVENT_DISCONNECT,
  FIPC_EVENT_MESSAGE,
  FIPC_NONBLOCKING,
  FIPC_RIGHT_ADMIN,
  FIPC_RIGHT_RECV,
  FIPC_RIGHT_SEND,
} from '../../core/kernel/abi';
import { EAGAIN, EEXIST, EINVAL, ENOENT, ENOSPC, EPERM, EPIPE } from '../../core/kernel/errno';
import { makeRng } from './rng';

const FULL = process.env.FUTURA_FULL === '1';
const payload = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

describe('ByteRing', () => {
  it('keeps one slot free and wraps', () => {
    const r = new ByteRing(8);
    expect(r.free).toBe(7);
    r.write(Uint8Array.of(1, 2, 3, 4, 5));
    expect(Array.from(r.read(4))).toEqual([1, 2, 3, 4]);
    r.write(Uint8Array.of(6, 7, 8, 9, 10, 11));
    expect(r.used).toBe(7);
    expect(r.free).toBe(0);
    expect(() => r.write(Uint8Array.of(0))).toThrow();
    expect(Array.from(r.read(7))).toEqual([5, 6, 7, 8, 9, 10, 11]);
  });

  it('reads a little-endian u32 in place at every wrap position', () => {
    const r = new ByteRing(11);
    for (let start = 0; start < 11; start++) {
      const bytes = Uint8Array.of(0x11, 0xfe, 0x80, 0x7f, 0xc3, 0x01);
      r.write(bytes);
      for (let skip = 0; skip + 4 <= bytes.length; skip++) {
        const b = bytes.subarray(skip, skip + 4);
        expect(r.u32At(skip)).toBe((b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0);
      }
      expect(() => r.u32At(3)).toThrow();
      r.consume(bytes.length); // 6 further each round: every start position of the 11 comes up
    }
  });

  it(`matches an array model over ${FULL ? '100,000' : '10,000'} random operations with wrapping sizes`, () => {
    const rng = makeRng(42);
    for (const size of [256, 1024, 997]) {
      const r = new ByteRing(size);
      const model: number[] = [];
      let counter = 0;
      const ops = (FULL ? 100_000 : 10_000) / 2;
      for (let i = 0; i < ops; i++) {
        const op = rng.int(3);
        const n = rng.int(rng.int(2) ? 40 : size);
        if (op === 0) {
          const data = Uint8Array.from({ length: n }, () => counter++ & 255);
          if (n > size - model.length - 1) expect(() => r.write(data)).toThrow();
          else {
            r.write(data);
            model.push(...data);
          }
        } else if (op === 1) {
          const k = Math.min(n, model.length);
          expect(Array.from(r.read(k))).toEqual(model.splice(0, k));
        } else {
          const k = Math.min(n, model.length);
          const skip = rng.int(model.length - k + 1);
          const dst = new Uint8Array(k);
          r.peek(dst, k, skip);
          expect(Array.from(dst)).toEqual(model.slice(skip, skip + k));
        }
        expect(r.used).toBe(model.length);
        expect(r.free).toBe(size - model.length - 1);
      }
    }
  });
});

describe('FIPC messages in a channel ring', () => {
  it('encodes the 32-byte header little-endian and round-trips through a wrapping ring', () => {
    const m = encodeMessage(
      { type: 0x1234, length: 3, timestamp: 2 ** 33 + 5, srcPid: 7, dstPid: 9, capability: 3 },
      Uint8Array.of(1, 2, 3),
    );
    expect(m.length).toBe(35);
    expect(Array.from(m.subarray(0, 8))).toEqual([0x34, 0x12, 0, 0, 3, 0, 0, 0]);
    expect(decodeHeader(m)).toEqual({
      type: 0x1234,
      length: 3,
      timestamp: 2 ** 33 + 5,
      srcPid: 7,
      dstPid: 9,
      capability: 3,
    });
    const rng = makeRng(9);
    const ch = new Channel(3, 300, FIPC_BLOCKING, 1);
    const queued: Uint8Array[] = [];
    for (let i = 0; i < (FULL ? 20_000 : 2_000); i++) {
      if (rng.int(2) === 0) {
        const p = payload(rng.int(120), i);
        if (ch.fitsNow(p.length)) {
          ch.enqueue({ type: i, length: p.length, timestamp: i, srcPid: 1, dstPid: 0, capability: 0 }, p);
          queued.push(p);
        }
      } else if (queued.length) {
        const msg = ch.dequeue();
        const want = queued.shift()!;
        expect(decodeHeader(msg).length).toBe(want.length);
        expect(msg.subarray(32)).toEqual(want);
      }
      expect(ch.messages).toBe(queued.length);
    }
  });
});

describe('Channel.enqueueFrom', () => {
  it('lays the header out as encodeMessage does, at every wrap position, from a slice of a larger buffer', () => {
    const h = {
      type: 0xfedc_ba98,
      length: 5,
      timestamp: 2 ** 40 + 2 ** 32 + 77,
      srcPid: 12,
      dstPid: 34,
      capability: 2 ** 33 + 9,
    };
    const big = payload(64, 5);
    const want = encodeMessage(h, big.subarray(10, 15));
    for (let shift = 0; shift < 300; shift += 7) {
      const ch = new Channel(3, 256, FIPC_BLOCKING, 1);
      if (shift % 256) {
        ch.enqueue({ ...h, length: 0 }, new Uint8Array(Math.max(0, (shift % 256) - 32 - 1) % 200));
        ch.dequeue(); // moves the read and write positions along the ring
      }
      ch.enqueueFrom(h.type, h.timestamp, h.srcPid, h.dstPid, h.capability, big, 10, 5);
      const out = new Uint8Array(want.length + 2);
      expect(ch.dequeueInto(out, 1)).toBe(want.length);
      expect(out.subarray(1, 1 + want.length)).toEqual(want);
      expect(ch.messages).toBe(0);
    }
  });
});

describe('Fipc syscalls', () => {
  function make() {
    const woken: number[] = [];
    let t = 100;
    const f = new Fipc({ now: () => t++, wake: (tid) => woken.push(tid) });
    return { f, woken };
  }

  it('create validates flags and queue sizes; ids start at 3; reserved channels exist', () => {
    const { f } = make();
    expect(f.create(1, FIPC_BLOCKING, 0)).toBe(3);
    expect(f.channel(3)!.ring.size).toBe(8192);
    expect(f.create(1, FIPC_NONBLOCKING, 256)).toBe(4);
    expect(f.create(1, 0, 1024 * 1024)).toBe(5);
    expect(f.create(1, 0, 255)).toBe(-EINVAL);
    expect(f.create(1, 0, 1024 * 1024 + 1)).toBe(-EINVAL);
    expect(f.create(1, 8, 0)).toBe(-EINVAL);
    expect(f.create(1, 3, 0)).toBe(-EINVAL);
    expect(f.rightsOf(1, 3)).toBe(FIPC_RIGHT_SEND | FIPC_RIGHT_RECV | FIPC_RIGHT_ADMIN);
    expect(f.rightsOf(KERNEL_PID, 1)).toBe(15);
    expect(f.rightsOf(KERNEL_PID, 2)).toBe(15);
    expect(f.rightsOf(1, 1)).toBe(0);
  });

  it('send/recv round-trip with header fields; too-small buffer keeps the message', () => {
    const { f } = make();
    const id = f.create(10, FIPC_NONBLOCKING, 0);
    expect(f.send(10, id, 0x1000, payload(100), 11)).toBe(0);
    expect(f.recv(10, id, 31)).toBe(-EINVAL);
    expect(f.recv(10, id, 65569)).toBe(-EINVAL);
    expect(f.recv(10, id, 131)).toBe(-EINVAL);
    const m = f.recv(10, id, 132);
    if (!(m instanceof Uint8Array)) throw new Error('expected a message');
    expect(m.length).toBe(132);
    expect(decodeHeader(m)).toEqual({
      type: 0x1000,
      length: 100,
      timestamp: 100,
      srcPid: 10,
      dstPid: 11,
      capability: 11,
    });
    expect(m.subarray(32)).toEqual(payload(100));
    expect(f.recv(10, id, 132)).toBe(-EAGAIN);
    expect(f.channel(id)!.counters).toEqual({ sent: 1, received: 1, bytes: 100, drops: 0 });
  });

  it('message size rules: ≤ 65536 and must fit the queue', () => {
    const { f } = make();
    const small = f.create(1, FIPC_NONBLOCKING, 256);
    expect(f.send(1, small, 1, payload(256 - 32 - 1))).toBe(0);
    expect(f.send(1, small, 1, payload(256 - 32))).toBe(-EINVAL);
    const big = f.create(1, FIPC_NONBLOCKING, 1024 * 1024);
    expect(f.send(1, big, 1, payload(65536))).toBe(0);
    expect(f.send(1, big, 1, payload(65537))).toBe(-EINVAL);
    expect(f.send(1, 99, 1, payload(1))).toBe(-ENOENT);
  });

  it('full and empty: -EAGAIN when non-blocking, a wait queue when blocking; waiters are woken', () => {
    const { f, woken } = make();
    const nb = f.create(1, FIPC_NONBLOCKING, 256);
    while (f.send(1, nb, 1, payload(40)) === 0);
    expect(f.send(1, nb, 1, payload(40))).toBe(-EAGAIN);
    expect(f.channel(nb)!.counters.drops).toBe(2); // the loop's last try and this one
    const b = f.create(1, FIPC_BLOCKING, 256);
    const r = f.recv(1, b, 100);
    expect(isBlocked(r)).toBe(true);
    if (isBlocked(r)) r.blocked.sleep(77);
    expect(f.send(1, b, 1, payload(10))).toBe(0);
    expect(woken).toEqual([77]);
    while (f.send(1, b, 1, payload(40)) === 0);
    const s = f.send(1, b, 1, payload(40));
    expect(isBlocked(s)).toBe(true);
    if (isBlocked(s)) s.blocked.sleep(78);
    expect(f.recv(1, b, 100)).toBeInstanceOf(Uint8Array);
    expect(woken).toEqual([77, 78]);
  });

  it('rights: deny by default, grant needs ADMIN, revocation is immediate, fork inherits', () => {
    const { f, woken } = make();
    const id = f.create(1, FIPC_BLOCKING, 0);
    expect(f.send(2, id, 1, payload(1))).toBe(-EPERM);
    expect(f.recv(2, id, 64)).toBe(-EPERM);
    expect(f.poll(2, id, 3)).toBe(-EPERM);
    expect(f.grant(2, id, 3, FIPC_RIGHT_SEND)).toBe(-EPERM);
    expect(f.grant(1, id, 2, 16)).toBe(-EINVAL);
    expect(f.grant(1, id, 2, FIPC_RIGHT_SEND)).toBe(0);
    expect(f.send(2, id, 1, payload(1))).toBe(0);
    expect(decodeHeader(f.recv(1, id, 64) as Uint8Array).srcPid).toBe(2);
    expect(f.recv(2, id, 64)).toBe(-EPERM);
    f.inherit(2, 5);
    expect(f.rightsOf(5, id)).toBe(FIPC_RIGHT_SEND);
    const blocked = f.recv(1, id, 64);
    if (isBlocked(blocked)) blocked.blocked.sleep(40);
    expect(f.revoke(1, id, 2, FIPC_RIGHT_SEND)).toBe(0);
    expect(f.send(2, id, 1, payload(1))).toBe(-EPERM);
    expect(f.send(5, id, 1, payload(1))).toBe(0); // the child's copy is its own
    expect(woken).toContain(40);
    expect(f.grant(1, id, 2, FIPC_RIGHT_ADMIN)).toBe(0);
    expect(f.grant(2, id, 6, FIPC_RIGHT_RECV)).toBe(0);
  });

  it('quotas: max messages and max bytes → -ENOSPC, counted as drops', () => {
    const { f } = make();
    const id = f.create(1, FIPC_NONBLOCKING, 0);
    f.grant(1, id, 2, FIPC_RIGHT_SEND);
    expect(f.setQuota(1, id, 2, 2, 8)).toBe(0);
    expect(f.setQuota(2, id, 2, 0, 0)).toBe(-EPERM);
    expect(f.send(2, id, 1, payload(4))).toBe(0);
    expect(f.send(2, id, 1, payload(5))).toBe(-ENOSPC);
    expect(f.send(2, id, 1, payload(4))).toBe(0);
    expect(f.send(2, id, 1, payload(0))).toBe(-ENOSPC);
    expect(f.channel(id)!.counters.drops).toBe(2);
    expect(f.send(1, id, 1, payload(100))).toBe(0); // the owner has no quota
  });

  it('close: the owner disconnects the channel; others drain then see -EPIPE; ids vanish with the last holder', () => {
    const { f } = make();
    const id = f.create(1, FIPC_BLOCKING, 0);
    f.grant(1, id, 2, FIPC_RIGHT_RECV);
    f.send(1, id, 1, payload(3));
    expect(f.close(3, id)).toBe(-EPERM);
    expect(f.close(1, id)).toBe(0);
    expect(f.poll(2, id, 3)).toBe(FIPC_EVENT_MESSAGE | FIPC_EVENT_DISCONNECT);
    expect(f.poll(2, id, FIPC_EVENT_DISCONNECT)).toBe(FIPC_EVENT_DISCONNECT);
    expect(f.recv(2, id, 64)).toBeInstanceOf(Uint8Array);
    expect(f.recv(2, id, 64)).toBe(-EPIPE);
    expect(f.close(2, id)).toBe(0);
    expect(f.poll(2, id, 3)).toBe(-ENOENT);
    expect(f.close(1, 1)).toBe(-EPERM);
  });

  it('registry: register needs ADMIN, names unique, connect grants SEND; forgetTask cleans up', () => {
    const { f } = make();
    const id = f.create(1, FIPC_BLOCKING, 0);
    expect(f.register(2, 'fsd', id)).toBe(-EPERM);
    expect(f.register(1, '', id)).toBe(-EINVAL);
    expect(f.register(1, 'x'.repeat(64), id)).toBe(-EINVAL);
    expect(f.register(1, 'fsd', id)).toBe(0);
    expect(f.register(1, 'fsd', id)).toBe(-EEXIST);
    expect(f.connect(2, 'nope')).toBe(-ENOENT);
    expect(f.connect(2, 'fsd')).toBe(id);
    expect(f.send(2, id, 0x4001, payload(8))).toBe(0);
    expect(f.snapshot().find((c) => c.id === id)!.services).toEqual(['fsd']);
    f.forgetTask(1);
    expect(f.channel(id)!.closed).toBe(true);
    expect(f.connect(3, 'fsd')).toBe(-ENOENT);
    f.forgetTask(2);
    expect(f.channel(id)).toBeUndefined();
    expect(f.lookup('fsd')).toBeUndefined();
  });

  it('kernelSend publishes on the metrics channel and drops when full', () => {
    const { f } = make();
    let n = 0;
    while (f.kernelSend(1, 0x5359534d, payload(100)) === 0) n++;
    expect(n).toBe(Math.floor(4095 / 132));
    expect(f.channel(1)!.counters.drops).toBe(1);
    f.grant(KERNEL_PID, 1, 9, FIPC_RIGHT_RECV);
    expect(decodeHeader(f.recv(9, 1, 200) as Uint8Array).srcPid).toBe(0);
  });
});
