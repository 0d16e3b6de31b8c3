// A growable ring-buffer FIFO: O(1) push/shift, O(n) removal from the middle (rare: a signal
// interrupting a sleep). Used by wait queues and each run-queue priority level.

export class Fifo<T> {
  private buf: (T | undefined)[] = new Array<T | undefined>(8);
  private head = 0;
  private n = 0;

  get size(): number {
    return this.n;
  }

  push(x: T): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = x;
    this.n++;
  }

  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const x = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.n--;
    return x;
  }

  peek(): T | undefined {
    return this.n === 0 ? undefined : this.buf[this.head];
  }

  /** Removes the first occurrence of x; true if it was there. Order of the rest is kept. */
  remove(x: T): boolean {
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.n; i++) {
      if (this.buf[(this.head + i) & mask] === x) {
        for (let j = i; j < this.n - 1; j++)
          this.buf[(this.head + j) & mask] = this.buf[(this.head + j + 1) & mask];
        this.buf[(this.head + this.n - 1) & mask] = undefined;
        this.n--;
        return true;
      }
    }
    return false;
  }

  includes(x: T): boolean {
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.n; i++) if (this.buf[(this.head + i) & mask] === x) return true;
    return false;
  }

  /** The items, first to last (a copy, for snapshots). */
  toArray(): T[] {
    const out: T[] = [];
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.n; i++) out.push(this.buf[(this.head + i) & mask]!);
    return out;
  }

  clear(): void {
    if (this.n === 0) return;
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.n; i++) this.buf[(this.head + i) & mask] = undefined;
    this.head = 0;
    this.n = 0;
  }

  private grow(): void {
    const items = this.toArray();
    this.buf = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < items.length; i++) this.buf[i] = items[i];
    this.head = 0;
  }
}
