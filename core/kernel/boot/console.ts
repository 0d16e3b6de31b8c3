// A minimal /dev/console: output goes to the host callback; input is a byte queue the host fills,
// read raw (no line discipline yet: the TTY driver with canonical mode replaces this).

import { WaitQueue, type Blocked } from '../sched/waitq';
import type { CharDriver } from '../vfs';

export class SimpleConsole implements CharDriver {
  readonly name = 'console';
  readonly readQ = new WaitQueue('console.read');
  private input: number[] = [];
  private eof = false;
  private readonly out: (bytes: Uint8Array) => void;
  private readonly wake: (tid: number) => void;

  constructor(out: (bytes: Uint8Array) => void, wake: (tid: number) => void) {
    this.out = out;
    this.wake = wake;
  }

  /** Host → guest bytes. */
  feed(bytes: Uint8Array): void {
    for (const b of bytes) this.input.push(b);
    for (const t of this.readQ.wakeAll()) this.wake(t);
  }

  /** Makes reads of an empty console return 0 (end of input). */
  endOfInput(): void {
    this.eof = true;
    for (const t of this.readQ.wakeAll()) this.wake(t);
  }

  read(_f: unknown, len: number): Uint8Array | number | Blocked {
    if (this.input.length === 0) return this.eof ? new Uint8Array(0) : { blocked: this.readQ };
    return Uint8Array.from(this.input.splice(0, len));
  }

  write(_f: unknown, data: Uint8Array): number {
    this.out(data.slice());
    return data.length;
  }
}
