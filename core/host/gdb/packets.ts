// GDB remote serial protocol framing: `$payload#cc` packets with a modulo-256 checksum, `+`/`-`
// acknowledgements, `}`-escaping of binary data, run-length encoding on input, and the lone 0x03
// byte a debugger sends to interrupt a running target.

export type RspInput = { kind: 'packet'; data: Uint8Array } | { kind: 'interrupt' } | { kind: 'nak' };

const DOLLAR = 0x24;
const HASH = 0x23;
const ESCAPE = 0x7d;
const STAR = 0x2a;
const INTERRUPT = 0x03;

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum;
}

function hexNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Undoes `}` escapes and `*` run-length encoding of a received packet body. */
export function decodeBody(raw: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === ESCAPE && i + 1 < raw.length) {
      out.push(raw[++i]! ^ 0x20);
    } else if (c === STAR && out.length > 0 && i + 1 < raw.length) {
      const repeat = raw[++i]! - 29;
      const last = out[out.length - 1]!;
      for (let k = 0; k < repeat; k++) out.push(last);
    } else {
      out.push(c);
    }
  }
  return Uint8Array.from(out);
}

/** Incremental parser: feed socket bytes, get packets, interrupts and naks in order. */
export class RspReader {
  private buf: number[] = [];
  private inPacket = false;
  /** Packets whose checksum did not match (each answered with `-`). */
  badChecksums = 0;

  push(chunk: Uint8Array): RspInput[] {
    const out: RspInput[] = [];
    for (const b of chunk) {
      if (!this.inPacket) {
        if (b === DOLLAR) {
          this.inPacket = true;
          this.buf = [];
        } else if (b === INTERRUPT) {
          out.push({ kind: 'interrupt' });
        } else if (b === 0x2d) {
          out.push({ kind: 'nak' });
        } // '+' and noise between packets are ignored
        continue;
      }
      this.buf.push(b);
      const n = this.buf.length;
      // A packet ends two bytes after an unescaped '#'.
      if (n >= 3 && this.buf[n - 3] === HASH && this.buf[n - 4] !== ESCAPE) {
        const body = Uint8Array.from(this.buf.slice(0, n - 3));
        const sum = (hexNibble(this.buf[n - 2]!) << 4) | hexNibble(this.buf[n - 1]!);
        this.inPacket = false;
        if (sum === checksum(body)) out.push({ kind: 'packet', data: decodeBody(body) });
        else {
          this.badChecksums++;
          out.push({ kind: 'nak' });
        }
      }
    }
    return out;
  }
}

/** Frames a reply: escapes `$ # } *` and appends the checksum. */
export function encodePacket(payload: string | Uint8Array): Uint8Array {
  const src = typeof payload === 'string' ? latin1(payload) : payload;
  const body: number[] = [];
  for (const b of src) {
    if (b === DOLLAR || b === HASH || b === ESCAPE || b === STAR) body.push(ESCAPE, b ^ 0x20);
    else body.push(b);
  }
  const bytes = Uint8Array.from(body);
  const sum = checksum(bytes).toString(16).padStart(2, '0');
  const out = new Uint8Array(bytes.length + 4);
  out[0] = DOLLAR;
  out.set(bytes, 1);
  out[bytes.length + 1] = HASH;
  out[bytes.length + 2] = sum.charCodeAt(0);
  out[bytes.length + 3] = sum.charCodeAt(1);
  return out;
}

export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function toLatin1(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c.toString(16).padStart(2, '0');
  return s;
}

/** Hex text to bytes; null when the text is not an even run of hex digits. */
export function hexToBytes(s: string): Uint8Array | null {
  if (s.length % 2 !== 0) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(s.charCodeAt(2 * i));
    const lo = hexNibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}
