// Writes the linked ET_EXEC: ELF header, PT_LOAD program headers, loaded sections at their
// page-congruent file offsets, then DWARF sections, `.futura.lines`, .symtab/.strtab/.shstrtab
// and the section headers.
import {
  EHDR_SIZE,
  ET_EXEC,
  EF_RISCV_FLOAT_ABI_DOUBLE,
  EF_RISCV_RVC,
  PHDR_SIZE,
  PT_LOAD,
  SHN_ABS,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_NOTYPE,
  STT_SECTION,
  SYM_SIZE,
} from '../../elf/constants';
import { ByteWriter, StrTab } from '../obj/bytes';
import { utf8Encode } from '../../util/utf8';
import { writeEhdr } from '../obj/writer';
import type { SymbolTable } from './symbols';
import type { InObject, OutSection } from './types';

export interface ExecImage {
  sections: OutSection[];
  segments: Array<{ flags: number; vaddr: number; offset: number; filesz: number; memsz: number }>;
  entry: number;
  objects: InObject[];
  table: SymbolTable;
  defined: Map<string, number>;
  localValue: (o: InObject, idx: number) => number | null;
  lines: Uint8Array | null;
}

export function writeExecutable(img: ExecImage): Uint8Array {
  const w = new ByteWriter();
  w.zeros(EHDR_SIZE + PHDR_SIZE * img.segments.length);
  const phoff = EHDR_SIZE;
  let p = phoff;
  const hdr = new ByteWriter();
  for (const s of img.segments) {
    hdr.u32(PT_LOAD);
    hdr.u32(s.offset);
    hdr.u32(s.vaddr);
    hdr.u32(s.vaddr);
    hdr.u32(s.filesz);
    hdr.u32(s.memsz);
    hdr.u32(s.flags);
    hdr.u32(0x1000);
  }
  const hdrBytes = hdr.finish();
  // Loaded contents.
  for (const o of img.sections) {
    if ((o.flags & 2) === 0 || o.type === SHT_NOBITS) continue;
    if (w.length < o.fileOffset) w.zeros(o.fileOffset - w.length);
    w.bytes(o.data);
  }
  const shstr = new StrTab(utf8Encode);
  const shdrs: number[][] = [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]];
  const secIndex = new Map<OutSection, number>();
  for (const o of img.sections) {
    if ((o.flags & 2) === 0) {
      w.alignTo(Math.min(4, o.align));
      o.fileOffset = w.length;
      w.bytes(o.data);
    }
    secIndex.set(o, shdrs.length);
    shdrs.push([
      shstr.add(o.name),
      o.type,
      o.flags,
      o.flags & 2 ? o.addr : 0,
      o.fileOffset,
      o.size,
      0,
      0,
      o.align,
      0,
    ]);
  }
  if (img.lines) {
    shdrs.push([shstr.add('.futura.lines'), 1, 0, 0, w.length, img.lines.length, 0, 0, 4, 0]);
    w.bytes(img.lines);
  }
  // Symbol table: locals of every object (named ones), then globals.
  const str = new StrTab(utf8Encode);
  const syms = new ByteWriter();
  syms.zeros(SYM_SIZE);
  const sym = (
    name: string,
    value: number,
    size: number,
    bind: number,
    type: number,
    shndx: number,
  ): void => {
    syms.u32(str.add(name));
    syms.u32(value >>> 0);
    syms.u32(size >>> 0);
    syms.u8((bind << 4) | type);
    syms.u8(0);
    syms.u16(shndx);
  };
  const shndxOf = (o: InObject, secIdx: number): number => {
    const pl = o.place[secIdx - 1];
    return pl ? (secIndex.get(pl.out) ?? SHN_ABS) : SHN_ABS;
  };
  let nLocals = 1;
  for (const o of img.objects) {
    o.obj.symbols.forEach((s, i) => {
      if (i === 0 || s.bind !== STB_LOCAL || s.type === STT_SECTION || s.type === STT_FILE) return;
      if (s.name === '' || s.name.startsWith('.L') || s.name.startsWith('$')) return;
      if (s.shndx === SHN_UNDEF) return;
      const v = img.localValue(o, i);
      if (v === null) return;
      sym(s.name, v, s.size, STB_LOCAL, s.type, s.shndx === SHN_ABS ? SHN_ABS : shndxOf(o, s.shndx));
      nLocals++;
    });
  }
  for (const g of img.table.globals.values()) {
    if (g.def) {
      const s = g.def.obj.obj.symbols[g.def.sym];
      if (!s) continue;
      const v = img.localValue(g.def.obj, g.def.sym) ?? 0;
      sym(
        g.name,
        v,
        s.size,
        g.weak ? STB_WEAK : STB_GLOBAL,
        s.type,
        s.shndx === SHN_ABS ? SHN_ABS : shndxOf(g.def.obj, s.shndx),
      );
    } else if (img.defined.has(g.name)) {
      sym(
        g.name,
        img.defined.get(g.name) ?? 0,
        g.common?.size ?? 0,
        STB_GLOBAL,
        g.common ? 1 : STT_NOTYPE,
        SHN_ABS,
      );
    }
  }
  if (!img.table.globals.has('__global_pointer$')) {
    sym('__global_pointer$', img.defined.get('__global_pointer$') ?? 0, 0, STB_GLOBAL, STT_NOTYPE, SHN_ABS);
  }
  w.alignTo(4);
  const symtabIdx = shdrs.length;
  const symBytes = syms.finish();
  shdrs.push([
    shstr.add('.symtab'),
    SHT_SYMTAB,
    0,
    0,
    w.length,
    symBytes.length,
    symtabIdx + 1,
    nLocals,
    4,
    SYM_SIZE,
  ]);
  w.bytes(symBytes);
  const strBytes = str.finish();
  shdrs.push([shstr.add('.strtab'), SHT_STRTAB, 0, 0, w.length, strBytes.length, 0, 0, 1, 0]);
  w.bytes(strBytes);
  const shstrIdx = shdrs.length;
  const shName = shstr.add('.shstrtab');
  const shBytes = shstr.finish();
  shdrs.push([shName, SHT_STRTAB, 0, 0, w.length, shBytes.length, 0, 0, 1, 0]);
  w.bytes(shBytes);
  w.alignTo(4);
  const shoff = w.length;
  for (const h of shdrs) for (const v of h) w.u32(v);
  const out = w.finish();
  out.set(hdrBytes, p);
  p += hdrBytes.length;
  writeEhdr(out, {
    type: ET_EXEC,
    entry: img.entry,
    phoff,
    shoff,
    flags: EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE,
    phnum: img.segments.length,
    shnum: shdrs.length,
    shstrndx: shstrIdx,
  });
  return out;
}
