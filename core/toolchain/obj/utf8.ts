// UTF-8 encoding without TextEncoder (the pure core has no DOM/Node lib types).

export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes bytes leniently (invalid sequences become U+FFFD). */
export function utf8Decode(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  let i = start;
  while (i < end) {
    const c = b[i] ?? 0;
    let cp = 0xfffd;
    let n = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc0 && c < 0xe0 && i + 1 < end) {
      cp = ((c & 31) << 6) | ((b[i + 1] ?? 0) & 63);
      n = 2;
    } else if (c >= 0xe0 && c < 0xf0 && i + 2 < end) {
      cp = ((c & 15) << 12) | (((b[i + 1] ?? 0) & 63) << 6) | ((b[i + 2] ?? 0) & 63);
      n = 3;
    } else if (c >= 0xf0 && i + 3 < end) {
      cp =
        ((c & 7) << 18) |
        (((b[i + 1] ?? 0) & 63) << 12) |
        (((b[i + 2] ?? 0) & 63) << 6) |
        ((b[i + 3] ?? 0) & 63);
      n = 4;
    }
    s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
    i += n;
  }
  return s;
}

/** Reads a NUL-terminated string. */
export function cString(b: Uint8Array, off: number): string {
  let e = off;
  while (e < b.length && b[e] !== 0) e++;
  return utf8Decode(b, off, e);
}
