// getdents64 records (linux_dirent64): d_ino u64 @0, d_off i64 @8 (cookie of the next entry),
// d_reclen u16 @16, d_type u8 @18, NUL-terminated name @19, padded to 8 bytes.

import { EINVAL } from '../errno';
import { utf8Encode } from '../../util/utf8';

export interface DirEntry {
  ino: number;
  type: number;
  name: string;
}

export function direntSize(nameBytes: number): number {
  return (19 + nameBytes + 1 + 7) & ~7;
}

/**
 * Encodes entries[start…] into at most bufLen bytes. Returns the bytes and the cookie to resume from;
 * a buffer too small for even the first entry is -EINVAL.
 */
export function encodeDirents(
  entries: readonly DirEntry[],
  start: number,
  bufLen: number,
): { bytes: Uint8Array; next: number } | number {
  const chunks: Uint8Array[] = [];
  let used = 0;
  let i = start;
  for (; i < entries.length; i++) {
    const e = entries[i]!;
    const name = utf8Encode(e.name);
    const reclen = direntSize(name.length);
    if (used + reclen > bufLen) break;
    const rec = new Uint8Array(reclen);
    const dv = new DataView(rec.buffer);
    dv.setUint32(0, e.ino >>> 0, true);
    dv.setUint32(4, Math.floor(e.ino / 0x1_0000_0000), true);
    dv.setUint32(8, i + 1, true);
    dv.setUint16(16, reclen, true);
    rec[18] = e.type;
    rec.set(name, 19);
    chunks.push(rec);
    used += reclen;
  }
  if (i < entries.length && chunks.length === 0) return -EINVAL;
  const bytes = new Uint8Array(used);
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.length;
  }
  return { bytes, next: i };
}
