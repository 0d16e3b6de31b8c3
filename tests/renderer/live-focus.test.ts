// Selecting a task focuses the live views: its threads, its address space (followed across
// snapshots with changes tracked), CPU shares from CPU times, and the context-switch rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../core/protocol/messages';
import { Session } from '../../core/host/session/session';
import { SessionClient } from '../../renderer/src/client/session-client';
import { toLiveSnapshot } from '../../renderer/src/live/adapter';
import { addSample, emptyHistory, latestRate } from '../../renderer/src/live/rates';
import type { LiveSnapshot } from '../../renderer/src/live/types';
import { vmaRows } from '../../renderer/src/live/vma-diff';
import {
  focusedSpace,
  taskOfTid,
  tidsOf,
  withCpuShares,
  withIdleShares,
} from '../../renderer/src/state/selection';
import { Studio } from '../../renderer/src/state/studio';
import { withWaitSince } from '../../renderer/src/state/wait-since';
import { SessionTransport } from './fake-transport';

/** The kernel's inspect snapshot shape (core/kernel/inspect/snapshot.ts), trimmed to what matters. */
function kernelSnapshot(timeMs: number, heapEnd: number, cpu: { init: number; fsh: number }) {
  const thread = (tid: number, state: string) => ({ tid, state, priority: 10, pc: 0, waitingOn: null });
  const v = (start: number, end: number, kind: string, prot: number, resident: number) => ({
    start,
    end,
    kind,
    prot,
    resident,
    shared: false,
    backing: 'anon',
  });
  return {
    timeMs,
    tasks: [
      {
        pid: 1,
        ppid: 0,
        name: 'init',
        state: 'alive',
        priority: 10,
        cpuMs: cpu.init,
        threads: [thread(1, 'blocked')],
        vmas: [v(0x10000, 0x12000, 'text', 5, 2)],
      },
      {
        pid: 4,
        ppid: 1,
        name: 'fsh',
        state: 'alive',
        priority: 10,
        cpuMs: cpu.fsh,
        threads: [thread(4, 'running'), thread(9, 'blocked')],
        vmas: [v(0x10000, 0x14000, 'text', 5, 4), v(0x14000, heapEnd, 'heap', 3, 1)],
      },
    ],
    current: 4,
    runQueue: [{ priority: 10, tids: [9] }],
    waitQueues: [{ name: 'console.read', tids: [9] }],
    channels: [],
    timers: [],
    counters: { contextSwitches: 40 + timeMs, syscalls: 0, pageFaults: 0 },
  };
}

describe('selection helpers', () => {
  const live = toLiveSnapshot(kernelSnapshot(100, 0x16000, { init: 1, fsh: 2 }))!;

  it('reads thread ids and CPU times from the kernel snapshot', () => {
    expect(live.tasks.map((t) => [t.pid, t.tids, t.cpuMs])).toEqual([
      [1, [1], 1],
      [4, [4, 9], 2],
    ]);
    expect([...tidsOf(live, 4)]).toEqual([4, 9]);
    expect(tidsOf(live, 77).size).toBe(0);
    expect(tidsOf(null, 4).size).toBe(0);
    expect(taskOfTid(live.tasks, 9)?.name).toBe('fsh');
    expect(live.scheduler).toEqual({ current: 4, levels: [{ priority: 10, tids: [9] }], switches: 140 });
    // A task without a thread list is its own single thread.
    expect(
      taskOfTid([{ pid: 5, name: 'x', state: 'ready', priority: 0, cpu: 0, parent: null }], 5)?.pid,
    ).toBe(5);
  });

  it('focuses the selected task’s address space, else the first', () => {
    expect(focusedSpace(live, 4)?.pid).toBe(4);
    expect(focusedSpace(live, null)?.pid).toBe(1);
    expect(focusedSpace(live, 99)?.pid).toBe(1);
    expect(focusedSpace(null, 4)).toBeNull();
  });

  it('derives CPU shares from CPU time over virtual time', () => {
    const next = toLiveSnapshot(kernelSnapshot(300, 0x16000, { init: 21, fsh: 152 }))!;
    const shared = withCpuShares(live, next);
    expect(shared.tasks.map((t) => t.cpu)).toEqual([0.1, 0.75]);
    // The same instant again (paused): the shares stay.
    const again = toLiveSnapshot(kernelSnapshot(300, 0x16000, { init: 21, fsh: 152 }))!;
    expect(withCpuShares(shared, again).tasks.map((t) => t.cpu)).toEqual([0.1, 0.75]);
    // A source that gives shares itself keeps them.
    const given: LiveSnapshot = {
      ...next,
      tasks: next.tasks.map(({ cpuMs: _, ...t }) => ({ ...t, cpu: 0.5 })),
    };
    expect(withCpuShares(live, given)).toBe(given);
    expect(withCpuShares(null, next)).toBe(next);
  });
});

describe('idle shares', () => {
  it('zeroes derived CPU shares when no instruction retired between two counter samples', () => {
    const a = toLiveSnapshot(kernelSnapshot(100, 0x16000, { init: 1, fsh: 2 }))!;
    const busy = withCpuShares(a, toLiveSnapshot(kernelSnapshot(200, 0x16000, { init: 1, fsh: 52 }))!);
    expect(busy.tasks.map((t) => t.cpu)).toEqual([0, 0.5]);
    expect(withIdleShares(busy, { instructions: 5 }, { instructions: 9 })).toBe(busy);
    expect(withIdleShares(busy, undefined, { instructions: 9 })).toBe(busy);
    const idle = withIdleShares(busy, { instructions: 9 }, { instructions: 9 });
    expect(idle?.tasks.map((t) => t.cpu)).toEqual([0, 0]);
    expect(withIdleShares(idle, { instructions: 9 }, { instructions: 9 })).toBe(idle);
    // Shares a source gave itself (no CPU times) are the source's business.
    const given: LiveSnapshot = { ...busy, tasks: busy.tasks.map(({ cpuMs: _, ...t }) => t) };
    expect(withIdleShares(given, { instructions: 9 }, { instructions: 9 })).toBe(given);
  });
});

describe('context-switch rate', () => {
  it('is kept beside the charts’ series', () => {
    let h = addSample(emptyHistory(), 0, { instructions: 0, switches: 0 });
    expect(latestRate(h, 'switches')).toBeNull();
    h = addSample(h, 250, { instructions: 1e6, switches: 30 });
    h = addSample(h, 500, { instructions: 2e6, switches: 80 });
    expect(h.values.switches).toEqual([120, 200]);
    expect(latestRate(h, 'switches')).toBe(200);
    // Switches going down means a reset, like any other counter.
    expect(addSample(h, 750, { instructions: 3e6, switches: 1 }).t).toEqual([]);
  });
});

class TestSession extends Session {
  push(e: SessionEvent): void {
    this.emit(e);
  }
}

describe('Studio task selection', () => {
  let dir: string;
  let session: TestSession;
  let studio: Studio;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'futura-focus-'));
    session = new TestSession({ dataDir: dir });
    studio = new Studio(new SessionClient(new SessionTransport(session)));
    await studio.start();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const snap = (seq: number, heapEnd: number, t = seq * 100): void =>
    session.push({
      event: 'snapshot',
      seq,
      full: true,
      data: kernelSnapshot(t, heapEnd, { init: seq, fsh: seq * 10 }),
    });
  const settle = () => new Promise((r) => setTimeout(r, 10));

  it('follows the selected task’s memory map and marks its heap growing', async () => {
    snap(1, 0x16000);
    await settle();
    expect(studio.state.selectedPid).toBeNull();
    expect(studio.state.vmaTrack?.pid).toBe(1);

    studio.selectTask(4);
    expect(studio.state.selectedPid).toBe(4);
    expect(studio.state.vmaTrack?.pid).toBe(4);
    expect(vmaRows(studio.state.vmaTrack, Date.now()).map((r) => r.change)).toEqual([null, null]);

    snap(2, 0x18000);
    await settle();
    const rows = vmaRows(studio.state.vmaTrack, Date.now());
    expect(rows.map((r) => [r.vma.kind, r.change])).toEqual([
      ['text', null],
      ['heap', 'grown'],
    ]);
    expect(studio.state.live?.tasks.find((t) => t.pid === 4)?.cpu).toBe(0.1);

    // Powering off forgets the machine's views but keeps the choice for the next boot.
    session.push({ event: 'machine.state', state: 'off' });
    await settle();
    expect(studio.state.vmaTrack).toBeNull();
    expect(studio.state.selectedPid).toBe(4);
  });
});

describe('waiting since', () => {
  const at = (now: number, queues: Record<string, number[]>): LiveSnapshot => ({
    now,
    tasks: [],
    spaces: [],
    waitQueues: Object.entries(queues).map(([id, tids]) => ({
      id,
      owner: '?',
      waiters: tids.map((tid) => ({ tid, reason: id, since: -1 })),
    })),
    channels: [],
    messages: [],
    remote: [],
    scheduler: null,
    timers: [],
  });
  const since = (s: LiveSnapshot) =>
    Object.fromEntries(s.waitQueues.flatMap((q) => q.waiters.map((w) => [`${q.id}:${w.tid}`, w.since])));

  it('dates an undated wait by the snapshot that first showed it, until it ends', () => {
    const a = withWaitSince(null, at(100, { 'console.read': [4] }));
    expect(since(a)).toEqual({ 'console.read:4': 100 });
    const b = withWaitSince(a, at(200, { 'console.read': [4], 'child.wait': [1] }));
    expect(since(b)).toEqual({ 'console.read:4': 100, 'child.wait:1': 200 });
    // Tid 4 stopped waiting, then waits again: a new wait.
    const c = withWaitSince(b, at(300, { 'child.wait': [1] }));
    const d = withWaitSince(c, at(400, { 'console.read': [4], 'child.wait': [1] }));
    expect(since(d)).toEqual({ 'console.read:4': 400, 'child.wait:1': 200 });
    // Time went backwards: a reset machine, every wait is new.
    expect(since(withWaitSince(d, at(50, { 'child.wait': [1] })))).toEqual({ 'child.wait:1': 50 });
  });

  it('keeps the dates a source gives', () => {
    const dated = at(100, {});
    dated.waitQueues.push({ id: 'q', owner: 'x', waiters: [{ tid: 2, reason: 'r', since: 7 }] });
    expect(withWaitSince(null, dated)).toBe(dated);
  });
});
