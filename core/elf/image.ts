// What a loader places in memory, independent of any machine: the PT_LOAD segments as (address,
// file bytes, zero fill) plus the entry point and the HTIF mailbox symbols of bare-metal programs.
import { ET_EXEC, PT_LOAD, SHN_UNDEF, STB_GLOBAL, STB_LOCAL, STB_WEAK } from './constants';
import { ElfError } from './error';
import type { ElfFile, ElfSymbol } from './types';

export interface LoadSegment {
  /** Index of the program header. */
  index: number;
  vaddr: number;
  paddr: number;
  /** The p_filesz bytes to copy (a view into the file, not a copy). */
  data: Uint8Array;
  /** Bytes in memory: data.length of file bytes, then memsz - data.length zero bytes (bss). */
  memsz: number;
  /** PF_R | PF_W | PF_X. */
  flags: number;
}

export interface LoadImage {
  entry: number;
  segments: LoadSegment[];
  /** Address of the `tohost` / `fromhost` symbols, when the program defines them. */
  tohost: number | null;
  fromhost: number | null;
}

/** The defined symbol called `name`, preferring global over weak over local definitions. */
export function findSymbol(elf: ElfFile, name: string): ElfSymbol | undefined {
  let best: ElfSymbol | undefined;
  const rank = (s: ElfSymbol): number =>
    s.bind === STB_GLOBAL ? 3 : s.bind === STB_WEAK ? 2 : s.bind === STB_LOCAL ? 1 : 0;
  for (const s of elf.symbols) {
    if (s.name !== name || s.shndx === SHN_UNDEF) continue;
    if (best === undefined || rank(s) > rank(best)) best = s;
  }
  return best;
}

/** The loadable view of an executable (throws ElfError for a relocatable file). */
export function loadImage(elf: ElfFile): LoadImage {
  if (elf.header.type !== ET_EXEC) throw new ElfError('not an executable (ET_EXEC): cannot be loaded');
  const segments: LoadSegment[] = [];
  for (const p of elf.programHeaders) {
    if (p.type !== PT_LOAD || p.memsz === 0) continue;
    segments.push({
      index: p.index,
      vaddr: p.vaddr,
      paddr: p.paddr,
      data: elf.data.subarray(p.offset, p.offset + p.filesz),
      memsz: p.memsz,
      flags: p.flags,
    });
  }
  return {
    entry: elf.header.entry,
    segments,
    tohost: findSymbol(elf, 'tohost')?.value ?? null,
    fromhost: findSymbol(elf, 'fromhost')?.value ?? null,
  };
}
