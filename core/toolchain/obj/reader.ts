// ELF32 little-endian ET_REL reader for the linker's inputs (our objects and GCC's). Every bounds
// problem becomes an ObjFormatError with a readable message, never an out-of-range read.
import {
  EM_RISCV,
  ET_REL,
  RELA_SIZE,
  SHT_NOBITS,
  SHT_REL,
  SHT_RELA,
  SHT_SYMTAB,
  SYM_SIZE,
} from '../../elf/constants';
import { rd16, rd32 } from './bytes';
import type { ObjectModel, ObjReloc, ObjSection, ObjSymbol } from './types';
import { cString } from '../../util/utf8';

export class ObjFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ObjFormatError';
  }
}

interface RawShdr {
  name: number;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
}

/**
 * Reads a relocatable object. `sections[i - 1]` is ELF section i (all of them, including symtab and
 * string tables, so section indices in symbols stay valid); relocations are attached to the
 * section they apply to.
 */
export function readObject(b: Uint8Array): ObjectModel {
  const fail = (m: string): never => {
    throw new ObjFormatError(m);
  };
  if (b.length < 52 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46)
    fail('not an ELF file');
  if (b[4] !== 1 || b[5] !== 1) fail('not a 32-bit little-endian ELF file');
  if (rd16(b, 16) !== ET_REL) fail('not a relocatable object (ET_REL)');
  if (rd16(b, 18) !== EM_RISCV) fail('not a RISC-V object');
  const flags = rd32(b, 36);
  const shoff = rd32(b, 32);
  const shentsize = rd16(b, 46);
  const shnum = rd16(b, 48);
  const shstrndx = rd16(b, 50);
  if (shnum === 0) fail('no section headers');
  if (shentsize !== 40) fail('bad section header size');
  if (shoff + shnum * 40 > b.length) fail('section headers beyond end of file');
  const sh: RawShdr[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 40;
    sh.push({
      name: rd32(b, o),
      type: rd32(b, o + 4),
      flags: rd32(b, o + 8),
      offset: rd32(b, o + 16),
      size: rd32(b, o + 20),
      link: rd32(b, o + 24),
      info: rd32(b, o + 28),
      align: rd32(b, o + 32),
      entsize: rd32(b, o + 36),
    });
  }
  const body = (h: RawShdr, what: string): Uint8Array => {
    if (h.type === SHT_NOBITS) return new Uint8Array(0);
    if (h.offset > b.length || h.size > b.length - h.offset) fail(`${what} extends beyond end of file`);
    return b.subarray(h.offset, h.offset + h.size);
  };
  const shstr = sh[shstrndx];
  if (!shstr) fail('bad section name table index');
  const shstrData = body(shstr as RawShdr, 'section name table');
  const nameAt = (tab: Uint8Array, off: number): string =>
    off < tab.length ? cString(tab, off) : fail('bad string offset');
  const sections: ObjSection[] = sh.slice(1).map((h) => ({
    name: nameAt(shstrData, h.name),
    type: h.type,
    flags: h.flags,
    addralign: h.align,
    entsize: h.entsize,
    data: body(h, 'section'),
    size: h.size,
    relocs: [],
    link: h.link,
    info: h.info,
  }));
  // Symbols
  const symtabIdx = sh.findIndex((h) => h.type === SHT_SYMTAB);
  const symbols: ObjSymbol[] = [];
  if (symtabIdx > 0) {
    const h = sh[symtabIdx] as RawShdr;
    const data = body(h, 'symbol table');
    const strh = sh[h.link];
    if (!strh) fail('bad symbol string table link');
    const str = body(strh as RawShdr, 'symbol string table');
    for (let o = 0; o + SYM_SIZE <= data.length; o += SYM_SIZE) {
      const info = data[o + 12] ?? 0;
      const type = info & 15;
      const shndx = rd16(data, o + 14);
      let name = nameAt(str, rd32(data, o));
      if (type === 3 && name === '' && shndx > 0 && shndx < sections.length + 1)
        name = sections[shndx - 1]?.name ?? '';
      symbols.push({
        name,
        value: rd32(data, o + 4),
        size: rd32(data, o + 8),
        bind: info >> 4,
        type,
        shndx,
        other: data[o + 13] ?? 0,
      });
    }
  }
  if (symbols.length === 0)
    symbols.push({ name: '', value: 0, size: 0, bind: 0, type: 0, shndx: 0, other: 0 });
  // Relocations
  sh.forEach((h, i) => {
    if (h.type !== SHT_RELA && h.type !== SHT_REL) return;
    if (h.type === SHT_REL) fail(`section ${i}: SHT_REL relocations are not used on RISC-V`);
    const target = sections[h.info - 1];
    if (!target || h.info === 0) fail(`relocation section ${i} applies to a bad section index ${h.info}`);
    const data = body(h, 'relocation section');
    const list: ObjReloc[] = (target as ObjSection).relocs;
    for (let o = 0; o + RELA_SIZE <= data.length; o += RELA_SIZE) {
      const info = rd32(data, o + 4);
      const sym = info >>> 8;
      if (sym >= symbols.length) fail(`relocation refers to a bad symbol index ${sym}`);
      list.push({ offset: rd32(data, o), type: info & 0xff, sym, addend: rd32(data, o + 8) | 0 });
    }
  });
  return { sections, symbols, flags };
}
