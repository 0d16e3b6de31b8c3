// Program-header validation: file ranges, sizes, alignment, overlap of loadable segments, and an
// entry point that lands in loaded, executable bytes.
import { ET_EXEC, PF_X, PT_LOAD } from './constants';
import { ElfError, hex } from './error';
import type { ElfHeader, ProgramHeader } from './types';

const TWO32 = 0x1_0000_0000;

function rangesOverlap(a: number, alen: number, b: number, blen: number): boolean {
  return alen > 0 && blen > 0 && a < b + blen && b < a + alen;
}

export function checkSegments(h: ElfHeader, phs: readonly ProgramHeader[], fileSize: number): void {
  const loads: ProgramHeader[] = [];
  for (const p of phs) {
    const what = `segment ${p.index}`;
    if (p.filesz > 0 && p.offset + p.filesz > fileSize)
      throw new ElfError(
        `${what} (file offset ${hex(p.offset)}, ${p.filesz} bytes) extends past the end of the file (${fileSize} bytes)`,
      );
    if (p.type !== PT_LOAD) continue;
    if (p.filesz > p.memsz)
      throw new ElfError(`${what}: p_filesz ${hex(p.filesz)} is larger than p_memsz ${hex(p.memsz)}`);
    if (p.vaddr + p.memsz > TWO32)
      throw new ElfError(`${what} (vaddr ${hex(p.vaddr)}, ${hex(p.memsz)} bytes) wraps past 4 GiB`);
    if (p.paddr + p.memsz > TWO32)
      throw new ElfError(`${what} (paddr ${hex(p.paddr)}, ${hex(p.memsz)} bytes) wraps past 4 GiB`);
    if (p.align > 1) {
      if ((p.align & (p.align - 1)) !== 0)
        throw new ElfError(`${what}: p_align ${p.align} is not a power of two`);
      // An empty file part (p_filesz 0, e.g. a linker script's empty data segment) reads no bytes, so
      // its offset does not matter.
      if (p.filesz > 0 && p.vaddr % p.align !== p.offset % p.align)
        throw new ElfError(
          `${what}: p_vaddr ${hex(p.vaddr)} and p_offset ${hex(p.offset)} disagree modulo p_align ${hex(p.align)}`,
        );
    }
    for (const q of loads) {
      if (rangesOverlap(p.vaddr, p.memsz, q.vaddr, q.memsz))
        throw new ElfError(
          `${what} (vaddr ${hex(p.vaddr)}–${hex(p.vaddr + p.memsz)}) overlaps segment ${q.index} (vaddr ${hex(q.vaddr)}–${hex(q.vaddr + q.memsz)})`,
        );
      if (rangesOverlap(p.paddr, p.memsz, q.paddr, q.memsz))
        throw new ElfError(
          `${what} (paddr ${hex(p.paddr)}–${hex(p.paddr + p.memsz)}) overlaps segment ${q.index} (paddr ${hex(q.paddr)}–${hex(q.paddr + q.memsz)})`,
        );
    }
    loads.push(p);
  }
  if (h.type !== ET_EXEC) return;
  if (loads.length === 0) throw new ElfError('executable has no PT_LOAD segment');
  const e = h.entry;
  // With C, instructions start on any even address (IALIGN = 16); an odd pc cannot exist.
  if ((e & 1) !== 0) throw new ElfError(`entry point ${hex(e)} is odd: RISC-V code starts at even addresses`);
  const home = loads.find((p) => e >= p.vaddr && e < p.vaddr + p.filesz);
  if (home === undefined)
    throw new ElfError(`entry point ${hex(e)} is not inside the file bytes of any PT_LOAD segment`);
  if ((home.flags & PF_X) === 0)
    throw new ElfError(`entry point ${hex(e)} is in segment ${home.index}, which is not executable`);
}
