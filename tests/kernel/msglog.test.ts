// The kernel's ring of recent FIPC messages: fields, order, wraparound, the receiver it names, and
// the Fipc send paths feeding it.
import { describe, expect, it } from 'vitest';
import { FIPC_BLOCKING, FIPC_NONBLOCKING } from '../../core/kernel/abi';
import { Fipc, KERNEL_PID } from '../../core/kernel/ipc/fipc';
import { MsgLog, NO_PID, receiverOf } from '../../core/kernel/ipc/msglog';

const chan = (id: number, holders: [number, number][]) => ({
  id,
  ledgers: new Map(holders.map(([pid, rights]) => [pid, { rights }])),
});

describe('MsgLog', () => {
  it('records every field of a send, numbering from 1', () => {
    const log = new MsgLog(8);
    expect(log.recent()).toEqual([]);
    log.record(
      chan(5, [
        [3, 7],
        [4, 2],
      ]),
      3,
      0xdead_beef,
      12,
      1500.5,
    );
    expect(log.total).toBe(1);
    expect(log.recent()).toEqual([
      { seq: 1, timeMs: 1500.5, channel: 5, type: 0xdead_beef, size: 12, srcPid: 3, dstPid: 4 },
    ]);
  });

  it('keeps the newest `capacity` messages, oldest first, across many wraparounds', () => {
    const log = new MsgLog(16);
    const ch = chan(9, [
      [1, 3],
      [2, 3],
    ]);
    for (let n = 1; n <= 100; n++) log.record(ch, 1 + (n % 2), n * 3, n, n * 10);
    const all = log.recent();
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 16 }, (_, i) => 85 + i));
    for (const m of all) {
      expect(m.type).toBe(m.seq * 3);
      expect(m.size).toBe(m.seq);
      expect(m.timeMs).toBe(m.seq * 10);
      expect(m.srcPid).toBe(1 + (m.seq % 2));
      expect(m.dstPid).toBe(m.srcPid === 1 ? 2 : 1);
    }
    expect(log.oldestSeq).toBe(85);
  });

  it('returns the newest `max`, or only those after a seq the caller already has', () => {
    const log = new MsgLog(32);
    const ch = chan(2, [[1, 3]]);
    for (let n = 0; n < 20; n++) log.record(ch, 1, n, 0, n);
    expect(log.recent(5).map((m) => m.seq)).toEqual([16, 17, 18, 19, 20]);
    expect(log.recent(100, 17).map((m) => m.seq)).toEqual([18, 19, 20]);
    expect(log.recent(2, 10).map((m) => m.seq)).toEqual([19, 20]);
    expect(log.recent(5, 20)).toEqual([]);
    expect(log.recent(0)).toEqual([]);
    // Asked for messages that already left a small ring: the gap shows in seq.
    const small = new MsgLog(4);
    for (let n = 0; n < 10; n++) small.record(ch, 1, n, 0, n);
    expect(small.recent(100, 2).map((m) => m.seq)).toEqual([7, 8, 9, 10]);
  });

  it('wraps correctly past 2^32 messages', () => {
    const log = new MsgLog(4);
    log.total = 2 ** 32 - 2;
    const ch = chan(1, [[1, 3]]);
    for (let n = 0; n < 5; n++) log.record(ch, 1, n, n, n);
    expect(log.recent().map((m) => [m.seq - 2 ** 32, m.type])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
  });

  it('rejects a capacity that is not a power of two', () => {
    expect(() => new MsgLog(100)).toThrow(RangeError);
    expect(() => new MsgLog(0)).toThrow(RangeError);
  });
});

describe('receiverOf', () => {
  it('names the addressed pid, else another RECV holder, else the sender, else nobody', () => {
    expect(
      receiverOf(
        chan(1, [
          [1, 3],
          [2, 2],
        ]),
        1,
        7,
      ),
    ).toBe(7);
    expect(
      receiverOf(
        chan(1, [
          [1, 3],
          [2, 1],
          [3, 2],
        ]),
        1,
      ),
    ).toBe(3);
    expect(
      receiverOf(
        chan(1, [
          [1, 3],
          [2, 1],
        ]),
        1,
      ),
    ).toBe(1);
    expect(
      receiverOf(
        chan(1, [
          [1, 1],
          [2, 1],
        ]),
        1,
      ),
    ).toBe(NO_PID);
    expect(receiverOf(chan(1, []), 1)).toBe(NO_PID);
  });
});

describe('Fipc feeds the log', () => {
  it('logs successful sends with the virtual time, and not refused ones', () => {
    let now = 40;
    const f = new Fipc({ now: () => now });
    const id = f.create(10, FIPC_BLOCKING, 4096);
    expect(f.grant(10, id, 11, 2)).toBe(0); // 11 may receive
    expect(f.send(10, id, 0x1001, new Uint8Array(4))).toBe(0);
    now = 41;
    expect(f.send(11, id, 0x1002, new Uint8Array(8))).toBeLessThan(0); // no SEND right
    expect(f.send(10, id, 0x1002, new Uint8Array(8))).toBe(0);
    const nb = f.create(12, FIPC_NONBLOCKING, 256);
    expect(f.send(12, nb, 1, new Uint8Array(200))).toBe(0);
    expect(f.send(12, nb, 2, new Uint8Array(200))).toBeLessThan(0); // full: dropped, not logged
    expect(f.log.recent()).toEqual([
      { seq: 1, timeMs: 40, channel: id, type: 0x1001, size: 4, srcPid: 10, dstPid: 11 },
      { seq: 2, timeMs: 41, channel: id, type: 0x1002, size: 8, srcPid: 10, dstPid: 11 },
      { seq: 3, timeMs: 41, channel: nb, type: 1, size: 200, srcPid: 12, dstPid: 12 },
    ]);
    expect(f.log.total).toBe(f.messagesSent);
  });

  it('logs kernel-originated messages as sent by the kernel', () => {
    const f = new Fipc();
    expect(f.kernelSend(1, 7, new Uint8Array(3))).toBe(0);
    expect(f.log.recent()).toEqual([
      { seq: 1, timeMs: 0, channel: 1, type: 7, size: 3, srcPid: KERNEL_PID, dstPid: KERNEL_PID },
    ]);
  });
});
