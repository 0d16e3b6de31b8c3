// fut_waitq: a FIFO of sleeping threads, referenced by thread id so this stays independent of the
// task layer. The syscall layer marks a thread blocked and calls sleep(); wakers take ids back out and
// make them ready. A woken thread re-checks its condition and may sleep again (as in the seed).

import { Fifo } from './fifo';

export class WaitQueue {
  readonly name: string;
  private readonly q = new Fifo<number>();

  constructor(name = 'waitq') {
    this.name = name;
  }

  get size(): number {
    return this.q.size;
  }

  /** Enqueues a thread id at the tail. Sleeping twice on one queue is a kernel bug. */
  sleep(tid: number): void {
    if (this.q.includes(tid)) throw new Error(`waitq ${this.name}: thread ${tid} already waiting`);
    this.q.push(tid);
  }

  /** Dequeues the longest waiter (undefined when empty). */
  wakeOne(): number | undefined {
    return this.q.shift();
  }

  /** Dequeues every waiter, in FIFO order. */
  wakeAll(): number[] {
    const all = this.q.toArray();
    this.q.clear();
    return all;
  }

  /** Unlinks a thread without waking it (signal, kill, timeout); true if it was waiting here. */
  remove(tid: number): boolean {
    return this.q.remove(tid);
  }

  has(tid: number): boolean {
    return this.q.includes(tid);
  }

  /** Waiting thread ids, head first (for the views). */
  snapshot(): number[] {
    return this.q.toArray();
  }
}

/**
 * What a would-block call returns to the syscall layer: the queue to sleep on before retrying.
 * (A non-blocking caller gets -EAGAIN instead.)
 */
export interface Blocked {
  readonly blocked: WaitQueue;
}

export function isBlocked(x: unknown): x is Blocked {
  return typeof x === 'object' && x !== null && 'blocked' in x && x.blocked instanceof WaitQueue;
}
