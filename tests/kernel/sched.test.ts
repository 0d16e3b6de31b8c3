import { describe, it, expect } from 'vitest';
import { Fifo, RunQueue, TimerWheel, VirtualClock, WaitQueue, isBlocked } from '../../core/kernel/sched';
import { makeRng } from './rng';

const FULL = process.env.FUTURA_FULL === '1';

describe('Fifo', () => {
  it('matches an array model under random push/shift/remove with growth and wrap', () => {
    const rng = makeRng(3);
    const f = new Fifo<number>();
    const model: number[] = [];
    for (let i = 0; i < (FULL ? 100_000 : 10_000); i++) {
      const r = rng.int(10);
      if (r < 5) {
        f.push(i);
        model.push(i);
      } else if (r < 9) expect(f.shift()).toBe(model.shift());
      else if (model.length) {
        const x = rng.pick(model);
        expect(f.remove(x)).toBe(true);
        model.splice(model.indexOf(x), 1);
      } else expect(f.remove(-1)).toBe(false);
      expect(f.size).toBe(model.length);
      expect(f.peek()).toBe(model[0]);
    }
    expect(f.toArray()).toEqual(model);
  });
});

describe('WaitQueue', () => {
  it('wakes in FIFO order; wakeAll drains; remove unlinks without waking', () => {
    const q = new WaitQueue('child_waiters');
    q.sleep(5);
    q.sleep(2);
    q.sleep(9);
    expect(q.snapshot()).toEqual([5, 2, 9]);
    expect(q.remove(2)).toBe(true);
    expect(q.remove(2)).toBe(false);
    expect(q.wakeOne()).toBe(5);
    q.sleep(1);
    expect(q.wakeAll()).toEqual([9, 1]);
    expect(q.wakeOne()).toBeUndefined();
    expect(q.size).toBe(0);
  });

  it('refuses a double sleep (kernel bug) and recognises Blocked results', () => {
    const q = new WaitQueue();
    q.sleep(1);
    expect(() => q.sleep(1)).toThrow();
    expect(isBlocked({ blocked: q })).toBe(true);
    expect(isBlocked(-11)).toBe(false);
    expect(isBlocked({ blocked: 3 })).toBe(false);
  });
});

describe('RunQueue', () => {
  it('runs the highest priority first, FIFO within a level', () => {
    const rq = new RunQueue();
    rq.enqueue(1, 128);
    rq.enqueue(2, 0);
    rq.enqueue(3, 255);
    rq.enqueue(4, 128);
    rq.enqueue(5, 31);
    rq.enqueue(6, 32);
    expect(rq.topPriority()).toBe(255);
    expect(rq.peek()).toBe(3);
    const order: number[] = [];
    for (let t = rq.dequeue(); t !== undefined; t = rq.dequeue()) order.push(t);
    expect(order).toEqual([3, 1, 4, 6, 5, 2]);
    expect(rq.topPriority()).toBe(-1);
  });

  it('rejects bad priorities and duplicates; remove clears the level bit', () => {
    const rq = new RunQueue();
    expect(() => rq.enqueue(1, 256)).toThrow();
    expect(() => rq.enqueue(1, -1)).toThrow();
    rq.enqueue(1, 200);
    expect(() => rq.enqueue(1, 100)).toThrow();
    rq.enqueue(2, 100);
    expect(rq.remove(1)).toBe(true);
    expect(rq.remove(1)).toBe(false);
    expect(rq.topPriority()).toBe(100);
    expect(rq.snapshot()).toEqual([{ priority: 100, tids: [2] }]);
  });

  it('agrees with a sort-based model under random operations', () => {
    const rng = makeRng(11);
    const rq = new RunQueue();
    let stamp = 0;
    const model = new Map<number, { prio: number; stamp: number }>();
    for (let i = 0; i < (FULL ? 50_000 : 5_000); i++) {
      const r = rng.int(3);
      if (r === 0) {
        const tid = rng.int(400);
        if (model.has(tid)) continue;
        const prio = rng.int(4) === 0 ? rng.int(256) : 120 + rng.int(16);
        rq.enqueue(tid, prio);
        model.set(tid, { prio, stamp: stamp++ });
      } else if (r === 1) {
        let best: number | undefined;
        for (const [tid, e] of model) {
          const b = best === undefined ? undefined : model.get(best)!;
          if (!b || e.prio > b.prio || (e.prio === b.prio && e.stamp < b.stamp)) best = tid;
        }
        expect(rq.dequeue()).toBe(best);
        if (best !== undefined) model.delete(best);
      } else {
        const tid = rng.int(400);
        expect(rq.remove(tid)).toBe(model.delete(tid));
      }
      expect(rq.size).toBe(model.size);
    }
  });
});

describe('TimerWheel', () => {
  it('wakes sleepers by absolute time, FIFO among equal times, and reports ticks crossed', () => {
    const tw = new TimerWheel();
    tw.sleepUntil(1, 30);
    tw.sleepUntil(2, 10);
    tw.sleepUntil(3, 30);
    tw.sleepFor(4, 10);
    expect(tw.nextDeadline()).toBe(10);
    expect(tw.advanceTo(9)).toEqual({ woken: [], ticks: 0 });
    expect(tw.advanceTo(10)).toEqual({ woken: [2, 4], ticks: 1 });
    expect(tw.advance(25)).toEqual({ woken: [1, 3], ticks: 2 });
    expect(tw.nowMs).toBe(35);
    expect(tw.nextDeadline()).toBeUndefined();
  });

  it('one-shot timers fire in order interleaved with sleepers; cancel works; callbacks see their due time', () => {
    const tw = new TimerWheel();
    const log: string[] = [];
    tw.start(20, () => log.push(`a@${tw.nowMs}`));
    const b = tw.start(5, () => log.push('b'));
    tw.start(0, () => {
      log.push(`c@${tw.nowMs}`);
      tw.start(3, () => log.push(`d@${tw.nowMs}`)); // due within the same advance
    });
    tw.sleepUntil(7, 20);
    expect(tw.cancel(b)).toBe(true);
    expect(tw.cancel(b)).toBe(false);
    const r = tw.advanceTo(50);
    expect(log).toEqual(['c@0', 'd@3', 'a@20']);
    expect(r.woken).toEqual([7]);
    expect(tw.nowMs).toBe(50);
  });

  it('cancelSleep removes a sleeper; a past deadline fires at the next advance; time never goes back', () => {
    const tw = new TimerWheel();
    tw.advanceTo(100);
    tw.sleepUntil(1, 50);
    tw.sleepUntil(2, 200);
    expect(tw.wakeTimeOf(1)).toBe(100);
    expect(tw.cancelSleep(2)).toBe(true);
    expect(tw.cancelSleep(2)).toBe(false);
    expect(() => tw.sleepUntil(1, 300)).toThrow();
    expect(tw.advanceTo(20).woken).toEqual([1]);
    expect(tw.nowMs).toBe(100);
    expect(tw.snapshot()).toEqual([]);
  });

  it('matches a stable-sort model under random sleeps, cancels and advances', () => {
    const rng = makeRng(5);
    const tw = new TimerWheel();
    const model: { tid: number; at: number; seq: number }[] = [];
    let seq = 0;
    for (let i = 0; i < (FULL ? 20_000 : 2_000); i++) {
      const r = rng.int(4);
      if (r < 2) {
        const tid = rng.int(200);
        if (model.some((m) => m.tid === tid)) continue;
        const at = tw.nowMs + rng.int(50);
        tw.sleepUntil(tid, at);
        model.push({ tid, at, seq: seq++ });
      } else if (r === 2) {
        const tid = rng.int(200);
        const j = model.findIndex((m) => m.tid === tid);
        expect(tw.cancelSleep(tid)).toBe(j >= 0);
        if (j >= 0) model.splice(j, 1);
      } else {
        const t = tw.nowMs + rng.int(30);
        const due = model.filter((m) => m.at <= t).sort((a, b) => a.at - b.at || a.seq - b.seq);
        expect(tw.advanceTo(t).woken).toEqual(due.map((m) => m.tid));
        for (const d of due) model.splice(model.indexOf(d), 1);
      }
      const min = model.length ? Math.min(...model.map((m) => m.at)) : undefined;
      expect(tw.nextDeadline()).toBe(min);
    }
  });
});

describe('VirtualClock', () => {
  it('turns retired instructions into milliseconds and 100 Hz ticks, keeping the remainder', () => {
    const c = new VirtualClock(1000);
    expect(c.retire(2500)).toBe(2);
    expect(c.nowMs).toBe(2);
    expect(c.instructionsUntil(3)).toBe(500);
    expect(c.retire(500)).toBe(1);
    c.retire(7000);
    expect(c.nowMs).toBe(10);
    expect(c.ticks).toBe(1);
    c.jumpTo(125);
    expect(c.ticks).toBe(12);
    c.jumpTo(5);
    expect(c.nowMs).toBe(125);
    expect(c.instructionsUntil(100)).toBe(0);
    expect(() => new VirtualClock(0)).toThrow();
  });
});
