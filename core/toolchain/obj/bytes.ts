// Little-endian byte buffers: a growable writer and read helpers.

export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  u8(v: number): void {
    this.grow(1);
    this.buf[this.length++] = v & 0xff;
  }
  u16(v: number): void {
    this.u8(v);
    this.u8(v >>> 8);
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  bytes(b: Uint8Array | readonly number[]): void {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  zeros(n: number): void {
    this.grow(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  alignTo(a: number): void {
    while (this.length % a !== 0) this.u8(0);
  }
  patch32(at: number, v: number): void {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >>> 8) & 0xff;
    this.buf[at + 2] = (v >>> 16) & 0xff;
    this.buf[at + 3] = (v >>> 24) & 0xff;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export const rd8 = (b: Uint8Array, o: number): number => b[o] ?? 0;
export const rd16 = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
export const rd32 = (b: Uint8Array, o: number): number => (rd16(b, o) | (rd16(b, o + 2) << 16)) >>> 0;
export const wr16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
};
export const wr32 = (b: Uint8Array, o: number, v: number): void => {
  wr16(b, o, v & 0xffff);
  wr16(b, o + 2, v >>> 16);
};

/** A string table builder (index 0 is the empty string). */
export class StrTab {
  private readonly w = new ByteWriter();
  private readonly seen = new Map<string, number>();
  constructor(private readonly enc: (s: string) => Uint8Array) {
    this.w.u8(0);
    this.seen.set('', 0);
  }
  add(s: string): number {
    const hit = this.seen.get(s);
    if (hit !== undefined) return hit;
    const at = this.w.length;
    this.w.bytes(this.enc(s));
    this.w.u8(0);
    this.seen.set(s, at);
    return at;
  }
  finish(): Uint8Array {
    return this.w.finish();
  }
}
