// A bounds-checked little-endian reader for DWARF sections: every read past the end throws
// DwarfError, so a truncated or hostile section ends the decode instead of reading garbage.

export class DwarfError extends Error {}

export class Cursor {
  constructor(
    readonly data: Uint8Array,
    public pos = 0,
    public end = data.length,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new DwarfError(`truncated DWARF data at offset ${this.pos}`);
  }

  u8(): number {
    this.need(1);
    return this.data[this.pos++]!;
  }

  i8(): number {
    return (this.u8() << 24) >> 24;
  }

  u16(): number {
    this.need(2);
    const v = this.data[this.pos]! | (this.data[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const d = this.data;
    const p = this.pos;
    this.pos += 4;
    return (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
  }

  /** A 64-bit value; only the low 32 bits matter on RV32 (the high half must be 0 for offsets). */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 0x1_0000_0000 + lo;
  }

  uleb(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) return result;
    }
    throw new DwarfError('LEB128 number too long');
  }

  sleb(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) return b & 0x40 ? result - mul : result;
    }
    throw new DwarfError('LEB128 number too long');
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A NUL-terminated string (UTF-8). */
  cstr(): string {
    const start = this.pos;
    while (this.pos < this.end && this.data[this.pos] !== 0) this.pos++;
    if (this.pos >= this.end) throw new DwarfError('unterminated string in DWARF data');
    const s = new TextDecoder().decode(this.data.subarray(start, this.pos));
    this.pos++;
    return s;
  }
}

/** The string at `off` in a string section (.debug_str, .debug_line_str). */
export function stringAt(section: Uint8Array | undefined, off: number): string {
  if (!section || off >= section.length) throw new DwarfError(`string offset ${off} outside its section`);
  return new Cursor(section, off).cstr();
}
