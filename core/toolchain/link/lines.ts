// The compact line table `.futura.lines` built from the `.futura.loc` records of our objects.
//
// Format (little-endian):
//   "FLT1"                    magic
//   u32 fileCount, u32 rowCount
//   fileCount × NUL-terminated UTF-8 file names
//   padding to a multiple of 4
//   rowCount × { u32 address, u32 line, u16 column, u16 file index }, sorted by address
// A row covers addresses from its own up to the next row's.
import { rd16, rd32, ByteWriter } from '../obj/bytes';
import { LOC_FILES_SECTION, LOC_SECTION } from '../asm/layout';
import { cString, utf8Encode } from '../../util/utf8';
import type { InObject } from './types';

export interface LineRow {
  addr: number;
  line: number;
  col: number;
  file: string;
}

export function collectLineRows(
  objects: InObject[],
  symValue: (o: InObject, idx: number) => number,
): LineRow[] {
  const rows: LineRow[] = [];
  for (const o of objects) {
    const secs = o.obj.sections;
    const loc = secs.find((s) => s.name === LOC_SECTION);
    const filesSec = secs.find((s) => s.name === LOC_FILES_SECTION);
    if (!loc) continue;
    const files: string[] = [];
    if (filesSec) {
      let p = 0;
      while (p < filesSec.data.length) {
        const s = cString(filesSec.data, p);
        files.push(s);
        p += utf8Encode(s).length + 1;
      }
    }
    // Each record's address comes from its R_RISCV_32 relocation (section symbol + addend).
    for (const r of loc.relocs) {
      if (r.offset + 12 > loc.data.length) continue;
      const addr = (symValue(o, r.sym) + r.addend) >>> 0;
      const fileIdx = rd16(loc.data, r.offset + 10);
      rows.push({
        addr,
        line: rd32(loc.data, r.offset + 4),
        col: rd16(loc.data, r.offset + 8),
        file: files[fileIdx] ?? '',
      });
    }
  }
  return rows.sort((a, b) => a.addr - b.addr);
}

export function encodeLineTable(rows: LineRow[]): Uint8Array {
  const files: string[] = [];
  const index = new Map<string, number>();
  for (const r of rows) {
    if (!index.has(r.file)) {
      index.set(r.file, files.length);
      files.push(r.file);
    }
  }
  const w = new ByteWriter();
  w.bytes(utf8Encode('FLT1'));
  w.u32(files.length);
  w.u32(rows.length);
  for (const f of files) {
    w.bytes(utf8Encode(f));
    w.u8(0);
  }
  w.alignTo(4);
  for (const r of rows) {
    w.u32(r.addr);
    w.u32(r.line);
    w.u16(r.col);
    w.u16(index.get(r.file) ?? 0);
  }
  return w.finish();
}

/** Decodes `.futura.lines` (for the debugger and tests). */
export function decodeLineTable(b: Uint8Array): LineRow[] {
  if (b.length < 12 || String.fromCharCode(b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, b[3] ?? 0) !== 'FLT1') return [];
  const nf = rd32(b, 4);
  const nr = rd32(b, 8);
  let p = 12;
  const files: string[] = [];
  for (let i = 0; i < nf && p < b.length; i++) {
    const s = cString(b, p);
    files.push(s);
    p += utf8Encode(s).length + 1;
  }
  p = Math.ceil(p / 4) * 4;
  const rows: LineRow[] = [];
  for (let i = 0; i < nr && p + 12 <= b.length; i++, p += 12) {
    rows.push({
      addr: rd32(b, p),
      line: rd32(b, p + 4),
      col: rd16(b, p + 8),
      file: files[rd16(b, p + 10)] ?? '',
    });
  }
  return rows;
}

export function buildLineTable(
  objects: InObject[],
  symValue: (o: InObject, idx: number) => number,
): Uint8Array | null {
  const rows = collectLineRows(objects, symValue);
  return rows.length > 0 ? encodeLineTable(rows) : null;
}
