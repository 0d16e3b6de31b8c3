// R_RISCV_ALIGN without relaxation: GNU as pads with `addend` bytes of nops so the linker can
// reach the alignment after deleting code; since we delete nothing else, we delete the surplus
// here, before layout, and remap offsets of symbols and relocations in that section.
import { R_RISCV } from '../../elf/constants';
import type { ObjSection } from '../obj/types';
import type { OffsetMap } from './types';

interface Deletion {
  at: number;
  count: number;
}

/** Deletes surplus alignment bytes of one section in place; returns the offset map or null. */
export function applyAlignRelocs(sec: ObjSection): OffsetMap | null {
  const aligns = sec.relocs.filter((r) => r.type === R_RISCV.ALIGN).sort((a, b) => a.offset - b.offset);
  if (aligns.length === 0) return null;
  const dels: Deletion[] = [];
  let removed = 0;
  for (const r of aligns) {
    if (r.addend < 0 || r.addend > 0x10000 || r.offset + r.addend > sec.data.length) {
      throw new Error(`section '${sec.name}': bad R_RISCV_ALIGN at offset ${r.offset} (addend ${r.addend})`);
    }
    let alignment = 1;
    while (alignment <= r.addend) alignment *= 2;
    const at = r.offset - removed;
    const nopBytes = (alignment - (at % alignment)) % alignment;
    if (nopBytes > r.addend)
      throw new Error(`R_RISCV_ALIGN at ${r.offset}: ${r.addend} bytes cannot reach alignment ${alignment}`);
    // Rewrite the kept padding as nops: 4-byte ones, then a c.nop (as bfd does).
    let p = r.offset;
    for (let k = 0; k + 4 <= nopBytes; k += 4, p += 4) {
      sec.data.set([0x13, 0, 0, 0], p);
    }
    if (nopBytes % 4 !== 0) sec.data.set([0x01, 0x00], p);
    const count = r.addend - nopBytes;
    if (count > 0) dels.push({ at: r.offset + nopBytes, count });
    removed += count;
  }
  if (dels.length === 0) return null;
  const map: OffsetMap = (off) => {
    let shift = 0;
    for (const d of dels) {
      if (off >= d.at + d.count) shift += d.count;
      else if (off > d.at) return d.at - shift;
      else break;
    }
    return off - shift;
  };
  // Compact the data.
  const out = new Uint8Array(sec.data.length - removed);
  let src = 0;
  let dst = 0;
  for (const d of dels) {
    out.set(sec.data.subarray(src, d.at), dst);
    dst += d.at - src;
    src = d.at + d.count;
  }
  out.set(sec.data.subarray(src), dst);
  sec.data = out;
  sec.size = out.length;
  sec.relocs = sec.relocs
    .filter((r) => r.type !== R_RISCV.ALIGN)
    .map((r) => ({ ...r, offset: map(r.offset) }));
  return map;
}
