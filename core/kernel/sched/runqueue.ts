// The run queue: 256 priority levels (0 idle … 255 highest), FIFO within a level, and a 256-bit
// bitmap of non-empty levels so picking the highest ready thread is a few clz32 instructions.

import { PRIO_MAX, PRIO_MIN } from '../abi';
import { Fifo } from './fifo';

export class RunQueue {
  private readonly levels: Fifo<number>[] = [];
  private readonly bitmap = new Uint32Array(8);
  /** Priority of each queued thread by tid (-1 or a hole: not queued); tids are small integers. */
  private readonly prioOf: number[] = [];
  private count = 0;

  constructor() {
    for (let i = 0; i <= PRIO_MAX; i++) this.levels.push(new Fifo<number>());
  }

  get size(): number {
    return this.count;
  }

  has(tid: number): boolean {
    return (this.prioOf[tid] ?? -1) >= 0;
  }

  /** Appends a ready thread at its priority's tail. Enqueuing twice is a kernel bug. */
  enqueue(tid: number, prio: number): void {
    if (!Number.isInteger(prio) || prio < PRIO_MIN || prio > PRIO_MAX)
      throw new Error(`runq: bad priority ${prio}`);
    if (this.has(tid)) throw new Error(`runq: thread ${tid} already queued`);
    this.prioOf[tid] = prio;
    this.count++;
    this.levels[prio]!.push(tid);
    this.bitmap[prio >>> 5]! |= 1 << (prio & 31);
  }

  /** The highest-priority level with a ready thread, or -1. */
  topPriority(): number {
    for (let w = 7; w >= 0; w--) {
      const bits = this.bitmap[w]!;
      if (bits !== 0) return w * 32 + 31 - Math.clz32(bits);
    }
    return -1;
  }

  /** Removes and returns the next thread to run (highest priority, FIFO), or undefined. */
  dequeue(): number | undefined {
    const p = this.topPriority();
    if (p < 0) return undefined;
    const level = this.levels[p]!;
    const tid = level.shift()!;
    if (level.size === 0) this.bitmap[p >>> 5]! &= ~(1 << (p & 31));
    this.prioOf[tid] = -1;
    this.count--;
    return tid;
  }

  peek(): number | undefined {
    const p = this.topPriority();
    return p < 0 ? undefined : this.levels[p]!.peek();
  }

  /** Takes a thread out (it blocked, exited or changes priority); true if it was queued. */
  remove(tid: number): boolean {
    const p = this.prioOf[tid] ?? -1;
    if (p < 0) return false;
    const level = this.levels[p]!;
    level.remove(tid);
    if (level.size === 0) this.bitmap[p >>> 5]! &= ~(1 << (p & 31));
    this.prioOf[tid] = -1;
    this.count--;
    return true;
  }

  /** Ready threads by level, highest first (for the views). */
  snapshot(): { priority: number; tids: number[] }[] {
    const out: { priority: number; tids: number[] }[] = [];
    for (let p = PRIO_MAX; p >= PRIO_MIN; p--)
      if (this.levels[p]!.size) out.push({ priority: p, tids: this.levels[p]!.toArray() });
    return out;
  }
}
