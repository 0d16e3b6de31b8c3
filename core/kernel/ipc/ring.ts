// The byte ring behind a FIPC channel: `size` bytes of storage, one slot always left empty so that
// head === tail means empty (free = size − used − 1). Writes and reads wrap at the end.

import { copyBytes } from '../bytes';

export class ByteRing {
  readonly size: number;
  private readonly buf: Uint8Array;
  private head = 0; // next byte to read
  private tail = 0; // next byte to write

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2) throw new Error(`ring: bad size ${size}`);
    this.size = size;
    this.buf = new Uint8Array(size);
  }

  get used(): number {
    const d = this.tail - this.head;
    return d >= 0 ? d : d + this.size;
  }

  get free(): number {
    return this.size - this.used - 1;
  }

  /** Appends bytes; the caller has checked `free` (overflow is a kernel bug). */
  write(src: Uint8Array): void {
    const n = src.length;
    if (n > this.free) throw new Error(`ring: write of ${n} with ${this.free} free`);
    const first = Math.min(n, this.size - this.tail);
    copyBytes(this.buf, this.tail, src, 0, first);
    if (first < n) copyBytes(this.buf, 0, src, first, n - first);
    this.tail = (this.tail + n) % this.size;
  }

  /** Copies `n` bytes starting `skip` bytes after the read position into dst[dstOff…], without consuming. */
  peek(dst: Uint8Array, n: number, skip = 0, dstOff = 0): void {
    if (skip + n > this.used) throw new Error(`ring: peek of ${skip}+${n} with ${this.used} used`);
    const start = (this.head + skip) % this.size;
    const first = Math.min(n, this.size - start);
    copyBytes(dst, dstOff, this.buf, start, first);
    if (first < n) copyBytes(dst, dstOff + first, this.buf, 0, n - first);
  }

  /** Drops `n` bytes from the read side. */
  consume(n: number): void {
    if (n > this.used) throw new Error(`ring: consume of ${n} with ${this.used} used`);
    this.head = (this.head + n) % this.size;
  }

  /** Reads and consumes `n` bytes. */
  read(n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.peek(out, n);
    this.consume(n);
    return out;
  }
}
