// What the session streams for the FIPC view: the newest messages of two tasks ping-ponging (sender
// and receiver named), sent through the snapshot stream as only the messages that are new, and the
// remote channels of two linked nodes; the renderer's adapter turns both into the panel's data.
import { describe, expect, it } from 'vitest';
import { Board } from '../../core/machine/board';
import { Kernel, snapshot } from '../../core/kernel';
import { FIPC_FIRST_USER_CHANNEL } from '../../core/kernel/abi';
import { SNAPSHOT_MESSAGES } from '../../core/kernel/inspect/messages';
import { RemoteCluster } from '../../core/kernel/ipc/remote/cluster';
import { remoteChannelsSnapshot } from '../../core/kernel/ipc/remote/snapshot';
import { isLoadFailure } from '../../core/kernel/loader';
import { buildDemoGuest } from '../../core/host/fipc/guests';
import { nodeCrypto } from '../../core/host/fipc/node-crypto';
import type { Json, KeyedOp, ObjectOp } from '../../core/protocol/snapshot-diff';
import { SnapshotEncoder, SnapshotReceiver } from '../../core/protocol/snapshot-stream';
import { Guest } from '../../core/host/worker/guest';
import { Observer } from '../../core/host/worker/observer';
import type { SnapshotEvent } from '../../core/protocol/snapshot-stream';
import { toLiveSnapshot } from '../../renderer/src/live/adapter';
import { mustAssemble } from './session-support';

/**
 * Two channels (ping, pong), then a fork: for every line read from the console the parent sends
 * PING (4 bytes) and waits for the child's PONG (8 bytes).
 */
const PINGPONG_ASM = `
  .text
  .globl _start
_start:
  li a0, 1
  li a1, 4096
  li a7, 600
  ecall
  mv s0, a0
  li a0, 1
  li a1, 4096
  li a7, 600
  ecall
  mv s1, a0
  li a0, 17
  li a1, 0
  li a2, 0
  li a3, 0
  li a4, 0
  li a7, 220
  ecall
  beqz a0, child
parent:
  li a0, 0
  la a1, rbuf
  li a2, 64
  li a7, 63
  ecall
  blez a0, done
  mv a0, s0
  li a1, 0x1001
  la a2, buf
  li a3, 4
  li a7, 601
  ecall
  mv a0, s1
  la a1, rbuf
  li a2, 64
  li a7, 602
  ecall
  j parent
done:
  li a0, 0
  li a7, 93
  ecall
child:
  mv a0, s0
  la a1, rbuf
  li a2, 64
  li a7, 602
  ecall
  mv a0, s1
  li a1, 0x1002
  la a2, buf
  li a3, 8
  li a7, 601
  ecall
  j child
  .data
buf: .word 1, 2
  .bss
rbuf: .space 64
`;

function pingPongKernel() {
  const k = new Kernel(new Board({ ramSize: 16 << 20 }));
  k.vfs.writeFile('/bin/pp', mustAssemble(PINGPONG_ASM), 0o755);
  const t = k.spawn('/bin/pp', ['pp']);
  if (isLoadFailure(t)) throw new Error(t.message);
  const roundTrips = (n: number): void => {
    for (let i = 0; i < n; i++) {
      k.console.feed(new TextEncoder().encode('x\n'));
      expect(k.run(2_000_000)).toBe('idle');
    }
  };
  expect(k.run(2_000_000)).toBe('idle');
  return { k, roundTrips };
}

const ser = <T>(v: T): Json => JSON.parse(JSON.stringify(v)) as Json;

describe('FIPC messages in the inspect snapshot', () => {
  it('lists each message with its channel, type, size, time and the sending and receiving tasks', () => {
    const { k, roundTrips } = pingPongKernel();
    expect(snapshot(k).messages).toEqual([]);
    roundTrips(3);
    const s = snapshot(k);
    const [ping, pong] = [FIPC_FIRST_USER_CHANNEL, FIPC_FIRST_USER_CHANNEL + 1];
    expect(s.messages.map((m) => [m.seq, m.channel, m.type, m.size, m.srcPid, m.dstPid])).toEqual([
      [1, ping, 0x1001, 4, 1, 2],
      [2, pong, 0x1002, 8, 2, 1],
      [3, ping, 0x1001, 4, 1, 2],
      [4, pong, 0x1002, 8, 2, 1],
      [5, ping, 0x1001, 4, 1, 2],
      [6, pong, 0x1002, 8, 2, 1],
    ]);
    expect(s.messages.every((m) => m.srcName === 'pp' && m.dstName === 'pp')).toBe(true);
    // Virtual time moves on between round trips and never goes back.
    const times = s.messages.map((m) => m.timeMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.at(-1)!).toBeLessThanOrEqual(s.timeMs);
    expect(s.remote).toEqual([]);
    expect(ser(s)).toEqual(s);

    const live = toLiveSnapshot(ser(s))!;
    // Newest first in the panel, senders and receivers labelled by name and pid.
    expect(live.messages.map((m) => [m.seq, m.type, m.size, m.src, m.dst])).toEqual([
      [6, 0x1002, 8, 'pp (2)', 'pp (1)'],
      [5, 0x1001, 4, 'pp (1)', 'pp (2)'],
      [4, 0x1002, 8, 'pp (2)', 'pp (1)'],
      [3, 0x1001, 4, 'pp (1)', 'pp (2)'],
      [2, 0x1002, 8, 'pp (2)', 'pp (1)'],
      [1, 0x1001, 4, 'pp (1)', 'pp (2)'],
    ]);
    expect(live.messages[0]!.time).toBe(times.at(-1));
    expect(live.channels.find((c) => c.id === ping)!.holders.map((h) => h.pid)).toEqual([1, 2]);
    expect(live.remote).toEqual([]);
  });

  it('names a task that has gone by what an earlier snapshot saw, or not at all', () => {
    const reapChild = (k: Kernel): void => {
      k.exitTask(k.tasks.get(2)!, 9);
      expect(k.tasks.wait(k.tasks.get(1)!, 2)).toMatchObject({ pid: 2 });
      expect(k.tasks.get(2)).toBeUndefined();
    };
    const seen = pingPongKernel();
    seen.roundTrips(1);
    expect(snapshot(seen.k).messages.map((m) => [m.srcName, m.dstName])).toEqual([
      ['pp', 'pp'],
      ['pp', 'pp'],
    ]);
    reapChild(seen.k);
    expect(snapshot(seen.k).messages.map((m) => [m.srcPid, m.srcName, m.dstPid, m.dstName])).toEqual([
      [1, 'pp', 2, 'pp'],
      [2, 'pp', 1, 'pp'],
    ]);
    const unseen = pingPongKernel();
    unseen.roundTrips(1);
    reapChild(unseen.k);
    const live = toLiveSnapshot(ser(snapshot(unseen.k)))!;
    expect(live.messages.map((m) => [m.src, m.dst])).toEqual([
      ['pid 2', 'pp (1)'],
      ['pp (1)', 'pid 2'],
    ]);
  });

  it('keeps the newest messages, and the stream sends only the new ones after the first', () => {
    const { k, roundTrips } = pingPongKernel();
    const enc = new SnapshotEncoder();
    const rx = new SnapshotReceiver();
    roundTrips(40); // 80 messages: more than one snapshot holds
    const first = snapshot(k);
    expect(first.messages).toHaveLength(SNAPSHOT_MESSAGES);
    expect(first.messages.at(-1)!.seq).toBe(80);
    expect(first.messages[0]!.seq).toBe(80 - SNAPSHOT_MESSAGES + 1);
    const e1 = enc.encode(ser(first))!;
    expect(e1.full).toBe(true);
    rx.accept(e1);

    roundTrips(2);
    const second = snapshot(k);
    const e2 = enc.encode(ser(second))!;
    expect(e2.full).toBe(false);
    const op = (e2.data as ObjectOp).$o!.messages as KeyedOp;
    expect(op.$k).toBe('seq');
    expect(op.$n!.map(([seq]) => seq)).toEqual([81, 82, 83, 84]);
    expect(op.$c).toBeUndefined(); // old messages never travel again
    expect(rx.accept(e2)).toEqual(ser(second));
  });
});

describe('the session worker streams FIPC messages', () => {
  it('sends each message once: in the first snapshot, then in the diff after it was sent', () => {
    const g = new Guest(
      {
        dirs: ['/bin'],
        files: [{ path: '/bin/pp', data: mustAssemble(PINGPONG_ASM), mode: 0o755 }],
        init: '/bin/pp',
      },
      { clock: 'virtual', preempt: false, ramMiB: 16 },
    );
    const obs = new Observer();
    obs.subscribe(1, ['snapshot'], 30);
    const rx = new SnapshotReceiver();
    const seqsSent: number[] = [];
    const tick = (t: number): Json | null => {
      const evs = obs.sample(g, t).map((e) => e.event as SnapshotEvent);
      expect(evs.length).toBeLessThanOrEqual(1);
      const ev = evs[0];
      if (!ev) return null;
      const wire = JSON.parse(JSON.stringify(ev)) as SnapshotEvent;
      const msgs = wire.full
        ? ((wire.data as { messages: { seq: number }[] }).messages ?? []).map((m) => m.seq)
        : (((wire.data as ObjectOp).$o?.messages as KeyedOp | undefined)?.$n ?? []).map(([seq]) =>
            Number(seq),
          );
      seqsSent.push(...msgs);
      return rx.accept(wire);
    };
    g.run(1_000_000);
    tick(0);
    for (let i = 1; i <= 5; i++) {
      g.feed(new TextEncoder().encode('x\n'));
      g.run(1_000_000);
      const snap = tick(i * 33) as { messages: { seq: number; type: number }[] } | null;
      expect(snap).not.toBeNull();
      expect(snap!.messages.map((m) => m.seq)).toEqual(Array.from({ length: 2 * i }, (_, j) => j + 1));
    }
    // Every message crossed the wire exactly once, in order.
    expect(seqsSent).toEqual(Array.from({ length: 10 }, (_, j) => j + 1));
    expect(tick(200)).toBeNull(); // nothing new: no event at all
  });
});

describe('remote channels in the inspect snapshot', () => {
  it('carries each peer with its channels, sequence numbers, credits, drops and CRC errors', () => {
    const c = new RemoteCluster({ crypto: nodeCrypto });
    const a = c.addNode('a');
    const b = c.addNode('b');
    c.connect('a', 'b', { corrupt: 0.1, loss: 0.05, seed: 3 }, { maxRetries: 60 });
    a.kernel.vfs.writeFile('/bin/ping', buildDemoGuest('ping'), 0o755);
    b.kernel.vfs.writeFile('/bin/pong', buildDemoGuest('pong'), 0o755);
    const pong = b.kernel.spawn('/bin/pong', ['/bin/pong']);
    const ping = a.kernel.spawn('/bin/ping', ['/bin/ping', '12']);
    if (isLoadFailure(pong) || isLoadFailure(ping)) throw new Error('spawn failed');
    const r = c.run(() => a.kernel.exits.has(ping.pid) && b.kernel.exits.has(pong.pid), 100_000);
    expect(r.done).toBe(true);
    expect(a.kernel.exits.get(ping.pid)).toBe(0);

    const sa = snapshot(a.kernel);
    expect(sa.remote).toEqual(remoteChannelsSnapshot(a.kernel));
    expect(sa.remote.map((p) => [p.node, p.peer])).toEqual([['a', 'b']]);
    const imp = sa.remote[0]!.channels.find((ch) => ch.role === 'import')!;
    expect(imp.service).toBe('pong');
    expect(imp.nextSeq).toBeGreaterThan(12);
    expect(imp.ackedSeq).toBeGreaterThan(0);
    const crc = [a, b].reduce((n, x) => n + snapshot(x.kernel).remote[0]!.crcErrors, 0);
    expect(crc).toBeGreaterThan(0); // the corrupting link shows in the view's counters
    // Node b's kernel delivered the pings into pong's channel: sent by the kernel (the bridge).
    const sb = snapshot(b.kernel);
    expect(sb.messages.some((m) => m.srcPid === 0 && m.srcName === 'kernel')).toBe(true);

    const live = toLiveSnapshot(ser(sa))!;
    expect(live.remote).toHaveLength(1);
    const peer = live.remote[0]!;
    expect(peer).toMatchObject({ node: 'a', peer: 'b', crcErrors: sa.remote[0]!.crcErrors });
    const ch = peer.channels.find((x) => x.role === 'import')!;
    expect(ch).toMatchObject({
      channelId: imp.channelId,
      service: 'pong',
      nextSeq: imp.nextSeq,
      ackedSeq: imp.ackedSeq,
      deliveredSeq: imp.deliveredSeq,
      peerCredits: imp.peerCredits,
      ownCredits: imp.ownCredits,
      retransmits: imp.retransmits,
    });
  });
});
