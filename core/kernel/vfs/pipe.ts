// A pipe: a byte buffer with reader and writer counts. Reading an empty pipe blocks while a writer
// exists and returns EOF (no bytes) once none does; writing with no reader is -EPIPE (the syscall
// layer raises SIGPIPE). Would-block results carry the queue to sleep on.

import { EAGAIN, EPIPE } from '../errno';
import { ByteRing } from '../ipc/ring';
import { WaitQueue, type Blocked } from '../sched/waitq';

export const PIPE_CAPACITY = 65536;

export class Pipe {
  readers = 0;
  writers = 0;
  readonly readQ = new WaitQueue('pipe.read');
  readonly writeQ = new WaitQueue('pipe.write');
  private readonly ring = new ByteRing(PIPE_CAPACITY + 1);
  private readonly wake: (tid: number) => void;

  constructor(wake: (tid: number) => void) {
    this.wake = wake;
  }

  get available(): number {
    return this.ring.used;
  }

  get space(): number {
    return this.ring.free;
  }

  /** Up to len bytes; an empty result is EOF. */
  read(len: number, nonblock: boolean): Uint8Array | number | Blocked {
    if (len === 0) return new Uint8Array(0);
    if (this.ring.used === 0) {
      if (this.writers === 0) return new Uint8Array(0);
      return nonblock ? -EAGAIN : { blocked: this.readQ };
    }
    const out = this.ring.read(Math.min(len, this.ring.used));
    this.wakeAll(this.writeQ);
    return out;
  }

  /** Writes what fits and returns the count (the syscall layer sleeps and continues for the rest). */
  write(data: Uint8Array, nonblock: boolean): number | Blocked {
    if (this.readers === 0) return -EPIPE;
    if (data.length === 0) return 0;
    const n = Math.min(data.length, this.ring.free);
    if (n === 0) return nonblock ? -EAGAIN : { blocked: this.writeQ };
    this.ring.write(n === data.length ? data : data.subarray(0, n));
    this.wakeAll(this.readQ);
    return n;
  }

  closeEnd(reader: boolean): void {
    if (reader) {
      if (--this.readers < 0) throw new Error('pipe: reader count below zero');
      if (this.readers === 0) this.wakeAll(this.writeQ); // writers now get EPIPE
    } else {
      if (--this.writers < 0) throw new Error('pipe: writer count below zero');
      if (this.writers === 0) this.wakeAll(this.readQ); // readers now get EOF
    }
  }

  private wakeAll(q: WaitQueue): void {
    if (q.size) for (const t of q.wakeAll()) this.wake(t);
  }
}
