// UTF-8 for the pure core, shared by the kernel and the toolchain. Decoding never throws:
// malformed bytes (guest input, hostile object files) become U+FFFD.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

export function utf8Decode(b: Uint8Array, start = 0, end = b.length): string {
  return decoder.decode(b.subarray(start, end));
}

/** Reads a NUL-terminated string starting at `off` (to the end of `b` if there is no NUL). */
export function cString(b: Uint8Array, off: number): string {
  let e = off;
  while (e < b.length && b[e] !== 0) e++;
  return utf8Decode(b, off, e);
}
