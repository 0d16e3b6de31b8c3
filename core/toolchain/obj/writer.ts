// ELF32 ET_REL writer: content sections, then one .rela.* per section with relocations, then
// .symtab (locals first, as the gABI requires), .strtab and .shstrtab.
import {
  EHDR_SIZE,
  ELFCLASS32,
  ELFDATA2LSB,
  EM_RISCV,
  ET_REL,
  EV_CURRENT,
  RELA_SIZE,
  SHDR_SIZE,
  SHF_INFO_LINK,
  SHN_ABS,
  SHN_COMMON,
  SHT_NOBITS,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_LOCAL,
  SYM_SIZE,
} from '../../elf/constants';
import { ByteWriter, StrTab } from './bytes';
import type { ObjectModel } from './types';
import { utf8Encode } from '../../util/utf8';

interface Shdr {
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

/** Serialises an object model. Symbols are reordered (locals first); relocations follow. */
export function writeObject(obj: ObjectModel): Uint8Array {
  const shstr = new StrTab(utf8Encode);
  const str = new StrTab(utf8Encode);
  // Locals first; remember the new index of every symbol for the relocations.
  const order = obj.symbols.map((_, i) => i).filter((i) => i !== 0);
  const locals = order.filter((i) => (obj.symbols[i]?.bind ?? 0) === STB_LOCAL);
  const globals = order.filter((i) => (obj.symbols[i]?.bind ?? 0) !== STB_LOCAL);
  const newIndex = new Map<number, number>([[0, 0]]);
  [...locals, ...globals].forEach((old, k) => newIndex.set(old, k + 1));

  const w = new ByteWriter();
  w.zeros(EHDR_SIZE);
  const shdrs: Shdr[] = [
    { name: 0, type: 0, flags: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 },
  ];
  for (const s of obj.sections) {
    const align = Math.max(1, s.addralign);
    if (s.type !== SHT_NOBITS) w.alignTo(Math.min(align, 16));
    const offset = w.length;
    if (s.type !== SHT_NOBITS) w.bytes(s.data);
    shdrs.push({
      name: shstr.add(s.name),
      type: s.type,
      flags: s.flags,
      offset,
      size: s.type === SHT_NOBITS ? s.size : s.data.length,
      link: s.link ?? 0,
      info: s.info ?? 0,
      align,
      entsize: s.entsize,
    });
  }
  const nContent = shdrs.length;
  const relaFor: Array<{ target: number; at: number }> = [];
  obj.sections.forEach((s, i) => {
    if (s.relocs.length === 0) return;
    relaFor.push({ target: i + 1, at: shdrs.length });
    shdrs.push({
      name: shstr.add(`.rela${s.name}`),
      type: SHT_RELA,
      flags: SHF_INFO_LINK,
      offset: 0,
      size: 0,
      link: 0,
      info: i + 1,
      align: 4,
      entsize: RELA_SIZE,
    });
  });
  const symtabIdx = shdrs.length;
  const strtabIdx = symtabIdx + 1;
  const shstrIdx = symtabIdx + 2;
  for (const r of relaFor) {
    const sh = shdrs[r.at] as Shdr;
    const sec = obj.sections[r.target - 1];
    w.alignTo(4);
    sh.offset = w.length;
    sh.link = symtabIdx;
    for (const rel of sec?.relocs ?? []) {
      w.u32(rel.offset);
      w.u32((((newIndex.get(rel.sym) ?? 0) << 8) | (rel.type & 0xff)) >>> 0);
      w.u32(rel.addend);
    }
    sh.size = w.length - sh.offset;
  }
  void nContent;
  // .symtab
  w.alignTo(4);
  const symOff = w.length;
  w.zeros(SYM_SIZE);
  for (const i of [...locals, ...globals]) {
    const s = obj.symbols[i];
    if (!s) continue;
    w.u32(s.type === 3 ? 0 : str.add(s.name));
    w.u32(s.value);
    w.u32(s.size);
    w.u8((s.bind << 4) | (s.type & 15));
    w.u8(s.other);
    w.u16(s.shndx === SHN_ABS || s.shndx === SHN_COMMON ? s.shndx : s.shndx);
  }
  shdrs.push({
    name: shstr.add('.symtab'),
    type: SHT_SYMTAB,
    flags: 0,
    offset: symOff,
    size: w.length - symOff,
    link: strtabIdx,
    info: locals.length + 1,
    align: 4,
    entsize: SYM_SIZE,
  });
  const strData = str.finish();
  shdrs.push({
    name: shstr.add('.strtab'),
    type: SHT_STRTAB,
    flags: 0,
    offset: w.length,
    size: strData.length,
    link: 0,
    info: 0,
    align: 1,
    entsize: 0,
  });
  w.bytes(strData);
  const shName = shstr.add('.shstrtab');
  const shData = shstr.finish();
  shdrs.push({
    name: shName,
    type: SHT_STRTAB,
    flags: 0,
    offset: w.length,
    size: shData.length,
    link: 0,
    info: 0,
    align: 1,
    entsize: 0,
  });
  w.bytes(shData);
  w.alignTo(4);
  const shoff = w.length;
  for (const h of shdrs) {
    w.u32(h.name);
    w.u32(h.type);
    w.u32(h.flags);
    w.u32(0);
    w.u32(h.offset);
    w.u32(h.size);
    w.u32(h.link);
    w.u32(h.info);
    w.u32(h.align);
    w.u32(h.entsize);
  }
  const out = w.finish();
  writeEhdr(out, {
    type: ET_REL,
    entry: 0,
    phoff: 0,
    shoff,
    flags: obj.flags,
    phnum: 0,
    shnum: shdrs.length,
    shstrndx: shstrIdx,
  });
  return out;
}

export interface EhdrFields {
  type: number;
  entry: number;
  phoff: number;
  shoff: number;
  flags: number;
  phnum: number;
  shnum: number;
  shstrndx: number;
}

/** Writes the 52-byte ELF32 header for RISC-V into `out` at offset 0. */
export function writeEhdr(out: Uint8Array, h: EhdrFields): void {
  const w = new ByteWriter();
  w.bytes([0x7f, 0x45, 0x4c, 0x46, ELFCLASS32, ELFDATA2LSB, EV_CURRENT, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  w.u16(h.type);
  w.u16(EM_RISCV);
  w.u32(EV_CURRENT);
  w.u32(h.entry);
  w.u32(h.phoff);
  w.u32(h.shoff);
  w.u32(h.flags);
  w.u16(EHDR_SIZE);
  w.u16(h.phnum ? 32 : 0);
  w.u16(h.phnum);
  w.u16(SHDR_SIZE);
  w.u16(h.shnum);
  w.u16(h.shstrndx);
  out.set(w.finish(), 0);
}
