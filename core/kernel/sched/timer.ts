// The timer wheel: sleeping threads and one-shot kernel timers, kept sorted by absolute wake time
// (ms on the virtual clock), FIFO among equal times. advanceTo() wakes and fires everything due;
// nextDeadline() lets an idle machine jump straight to the next event.

import { TICK_MS } from '../abi';

interface Entry {
  at: number;
  seq: number;
  /** A sleeping thread id, or -1 for a kernel timer. */
  tid: number;
  handle: number;
  cb: (() => void) | null;
}

export interface AdvanceResult {
  /** Threads whose sleep ended, in wake order. */
  woken: number[];
  /** 100 Hz tick boundaries crossed (drives preemption when it is on). */
  ticks: number;
}

export interface TimerSnapshot {
  at: number;
  tid?: number;
  timer?: number;
}

export class TimerWheel {
  private list: Entry[] = [];
  private seq = 0;
  private nextHandle = 1;
  private now = 0;

  get nowMs(): number {
    return this.now;
  }

  get size(): number {
    return this.list.length;
  }

  /** Puts a thread to sleep until absolute time `wakeAt` (ms). Times in the past fire at the next advance. */
  sleepUntil(tid: number, wakeAt: number): void {
    if (tid < 0) throw new Error('timer: thread ids are non-negative');
    if (this.list.some((e) => e.tid === tid)) throw new Error(`timer: thread ${tid} already sleeping`);
    this.insert({ at: Math.max(wakeAt, this.now), seq: this.seq++, tid, handle: 0, cb: null });
  }

  sleepFor(tid: number, ms: number): void {
    this.sleepUntil(tid, this.now + ms);
  }

  /** Takes a sleeper off the wheel (signal, kill); true if it was there. */
  cancelSleep(tid: number): boolean {
    // A plain loop: every block detaches its thread from here, usually from an empty list.
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.tid === tid) {
        list.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** When the thread's sleep ends, or undefined. */
  wakeTimeOf(tid: number): number | undefined {
    return this.list.find((e) => e.tid === tid)?.at;
  }

  /** A one-shot kernel timer `delayMs` from now (0 = at the next advance). Returns a handle for cancel. */
  start(delayMs: number, cb: () => void): number {
    const handle = this.nextHandle++;
    this.insert({ at: this.now + Math.max(0, delayMs), seq: this.seq++, tid: -1, handle, cb });
    return handle;
  }

  cancel(handle: number): boolean {
    const i = this.list.findIndex((e) => e.handle === handle && e.tid === -1);
    if (i < 0) return false;
    this.list.splice(i, 1);
    return true;
  }

  /** The earliest pending wake time, or undefined when nothing is pending. */
  nextDeadline(): number | undefined {
    return this.list[0]?.at;
  }

  /** Moves time forward to `t`, waking sleepers and running timers due by then, in deadline order. */
  advanceTo(t: number): AdvanceResult {
    if (t < this.now) t = this.now;
    const ticks = Math.floor(t / TICK_MS) - Math.floor(this.now / TICK_MS);
    const woken: number[] = [];
    while (this.list.length > 0 && this.list[0]!.at <= t) {
      const e = this.list.shift()!;
      this.now = e.at; // a callback sees the time it was due
      if (e.cb) e.cb();
      else woken.push(e.tid);
    }
    this.now = t;
    return { woken, ticks };
  }

  advance(ms: number): AdvanceResult {
    return this.advanceTo(this.now + ms);
  }

  snapshot(): TimerSnapshot[] {
    return this.list.map((e) => (e.tid >= 0 ? { at: e.at, tid: e.tid } : { at: e.at, timer: e.handle }));
  }

  private insert(e: Entry): void {
    // Binary search for the first entry strictly later than e.at: equal times stay FIFO.
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.at <= e.at) lo = mid + 1;
      else hi = mid;
    }
    this.list.splice(lo, 0, e);
  }
}
