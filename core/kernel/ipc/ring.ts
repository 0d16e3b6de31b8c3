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
    this.writeFrom(src, 0, src.length);
  }

  /** Appends src[srcOff, srcOff+n) (a slice of guest RAM, say) without a view or copy of it. */
  writeFrom(src: Uint8Array, srcOff: number, n: number): void {
    if (n > this.free) throw new Error(`ring: write of ${n} with ${this.free} free`);
    const first = Math.min(n, this.size - this.tail);
    copyBytes(this.buf, this.tail, src, srcOff, first);
    if (first < n) copyBytes(this.buf, 0, src, srcOff + first, n - first);
    this.tail = this.wrap(this.tail + n);
  }

  /** Appends a little-endian u32 (the caller has checked `free`, as for write). */
  writeU32(value: number): void {
    const v = value >>> 0;
    const b = this.buf;
    const size = this.size;
    let t = this.tail;
    if (t + 4 < size) {
      b[t] = v;
      b[t + 1] = v >>> 8;
      b[t + 2] = v >>> 16;
      b[t + 3] = v >>> 24;
      this.tail = t + 4;
      return;
    }
    b[t] = v;
    if (++t === size) t = 0;
    b[t] = v >>> 8;
    if (++t === size) t = 0;
    b[t] = v >>> 16;
    if (++t === size) t = 0;
    b[t] = v >>> 24;
    if (++t === size) t = 0;
    this.tail = t;
  }

  /** Copies `n` bytes starting `skip` bytes after the read position into dst[dstOff…], without consuming. */
  peek(dst: Uint8Array, n: number, skip = 0, dstOff = 0): void {
    if (skip + n > this.used) throw new Error(`ring: peek of ${skip}+${n} with ${this.used} used`);
    const start = this.wrap(this.head + skip);
    const first = Math.min(n, this.size - start);
    copyBytes(dst, dstOff, this.buf, start, first);
    if (first < n) copyBytes(dst, dstOff + first, this.buf, 0, n - first);
  }

  /** The little-endian u32 `skip` bytes after the read position, without consuming (4 bytes must be used). */
  u32At(skip: number): number {
    if (skip + 4 > this.used) throw new Error(`ring: u32 at ${skip} with ${this.used} used`);
    const b = this.buf;
    const size = this.size;
    const i0 = this.wrap(this.head + skip);
    const i1 = i0 + 1 === size ? 0 : i0 + 1;
    const i2 = i1 + 1 === size ? 0 : i1 + 1;
    const i3 = i2 + 1 === size ? 0 : i2 + 1;
    return (b[i0]! | (b[i1]! << 8) | (b[i2]! << 16)) + b[i3]! * 0x100_0000;
  }

  /** Drops `n` bytes from the read side. */
  consume(n: number): void {
    if (n > this.used) throw new Error(`ring: consume of ${n} with ${this.used} used`);
    this.head = this.wrap(this.head + n);
  }

  /** A position up to 2·size − 1 brought into the ring (no division: this runs per message). */
  private wrap(pos: number): number {
    return pos >= this.size ? pos - this.size : pos;
  }

  /** Reads and consumes `n` bytes. */
  read(n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.peek(out, n);
    this.consume(n);
    return out;
  }
}
