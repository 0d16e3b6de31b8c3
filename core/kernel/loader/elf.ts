// The ELF32 loader: validates an executable for this ABI (ELF32, RISC-V, ET_EXEC, PT_LOAD segments
// inside user space at or above 0x0040_0000, no overlap, entry in executable file bytes — the reader
// in core/elf checks the format, this adds the address-space rules) and maps it into a FutMm.

import { ElfError, loadImage, readElf, type LoadImage } from '../../elf';
import { PF_W, PF_X, PF_R } from '../../elf/constants';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, STACK_GUARD, USER_MIN } from '../abi';
import { ENOEXEC, ENOMEM } from '../errno';
import type { FutMm, VmaKind } from '../mm';

export interface LoadedElf {
  entry: number;
  /** End of the highest PT_LOAD segment (p_vaddr + p_memsz). */
  imageEnd: number;
  /** Where the heap starts: one unmapped page above the page-aligned image end. */
  brkStart: number;
}

export interface LoadFailure {
  errno: number;
  message: string;
}

const alignDown = (x: number): number => Math.floor(x / PAGE_SIZE) * PAGE_SIZE;
const alignUp = (x: number): number => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** Parses and checks an executable; a LoadFailure (ENOEXEC) names what is wrong. */
export function parseExecutable(bytes: Uint8Array): LoadImage | LoadFailure {
  let img: LoadImage;
  try {
    img = loadImage(readElf(bytes));
  } catch (e) {
    if (e instanceof ElfError) return { errno: -ENOEXEC, message: e.message };
    throw e;
  }
  if (img.segments.length === 0) return { errno: -ENOEXEC, message: 'no loadable segment' };
  for (const s of img.segments) {
    const end = s.vaddr + s.memsz;
    if (s.vaddr < USER_MIN)
      return {
        errno: -ENOEXEC,
        message: `segment ${s.index} at 0x${s.vaddr.toString(16)} is below the user base 0x400000`,
      };
    if (end > STACK_GUARD)
      return {
        errno: -ENOEXEC,
        message: `segment ${s.index} ends at 0x${end.toString(16)}, inside the stack area`,
      };
  }
  return img;
}

/**
 * Maps every PT_LOAD segment into `mm` (pages shared by two segments get the union of their
 * permissions), copies the file bytes, leaves the rest zero, and seeds the heap.
 */
export function loadInto(mm: FutMm, img: LoadImage): LoadedElf | LoadFailure {
  const pages = new Map<number, { prot: number; kind: VmaKind }>();
  let imageEnd = 0;
  for (const s of img.segments) {
    const prot = protOf(s.flags);
    const fileEnd = s.vaddr + s.data.length;
    for (let p = alignDown(s.vaddr); p < s.vaddr + s.memsz; p += PAGE_SIZE) {
      const kind: VmaKind =
        prot & PROT_EXEC ? 'text' : prot & PROT_WRITE ? (p >= fileEnd ? 'bss' : 'data') : 'text';
      const old = pages.get(p);
      pages.set(p, { prot: (old?.prot ?? 0) | prot, kind: old && old.kind !== kind ? 'data' : kind });
    }
    imageEnd = Math.max(imageEnd, s.vaddr + s.memsz);
  }
  const sorted = [...pages.keys()].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length;) {
    const start = sorted[i]!;
    const { prot, kind } = pages.get(start)!;
    let end = start + PAGE_SIZE;
    let j = i + 1;
    while (
      j < sorted.length &&
      sorted[j] === end &&
      pages.get(end)!.prot === prot &&
      pages.get(end)!.kind === kind
    ) {
      end += PAGE_SIZE;
      j++;
    }
    const r = mm.mapRegion(start, end, prot, kind);
    if (r < 0)
      return { errno: r === -ENOMEM ? -ENOMEM : -ENOEXEC, message: `cannot map 0x${start.toString(16)}` };
    i = j;
  }
  for (const s of img.segments) {
    if (s.data.length && mm.kernelWrite(s.vaddr, s.data) < 0)
      return { errno: -ENOEXEC, message: `cannot fill segment ${s.index}` };
  }
  mm.setHeapBase(imageEnd);
  return { entry: img.entry, imageEnd, brkStart: alignUp(imageEnd) + PAGE_SIZE };
}
