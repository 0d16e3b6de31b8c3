// ELF32 little-endian reader for RISC-V. It trusts nothing: every offset, count and size is
// checked against the file before it is used, so hostile input ends in an ElfError and never
// in a RangeError, an out-of-bounds read or a huge allocation.
import {
  EHDR_SIZE,
  EI_NIDENT,
  ELFCLASS32,
  ELFDATA2LSB,
  ELF_MAGIC,
  EM_RISCV,
  ET_EXEC,
  ET_REL,
  EV_CURRENT,
  PHDR_SIZE,
  SHDR_SIZE,
  SHN_ABS,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHN_XINDEX,
  SHT_NOBITS,
  SHT_NULL,
  SHT_STRTAB,
  SHT_SYMTAB,
  STT_FUNC,
  STT_OBJECT,
  SYM_SIZE,
} from './constants';
import { ElfError, hex } from './error';
import type { ElfFile, ElfHeader, ElfSymbol, ProgramHeader, SectionHeader } from './types';
import { checkSegments } from './segments';

const TWO32 = 0x1_0000_0000;

/** Parses and validates an ELF32 RISC-V file (ET_EXEC or ET_REL). Throws ElfError on bad input. */
export function readElf(data: Uint8Array): ElfFile {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const header = readHeader(data, view);
  const programHeaders = readProgramHeaders(view, header);
  checkSegments(header, programHeaders, data.length);
  const sections = readSections(data, view, header);
  const symbols = readSymbols(data, view, header, sections);
  return { data, header, programHeaders, sections, symbols };
}

function readHeader(data: Uint8Array, view: DataView): ElfHeader {
  if (data.length < EI_NIDENT)
    throw new ElfError(`file too short for an ELF identification: ${data.length} bytes`);
  for (let i = 0; i < ELF_MAGIC.length; i++) {
    if (data[i] !== ELF_MAGIC[i]) throw new ElfError('not an ELF file: bad magic (expected 7f 45 4c 46)');
  }
  if (data[4] !== ELFCLASS32) throw new ElfError(`not an ELF32 file: EI_CLASS is ${data[4]} (expected 1)`);
  if (data[5] !== ELFDATA2LSB)
    throw new ElfError(`not little-endian: EI_DATA is ${data[5]} (expected 1, ELFDATA2LSB)`);
  if (data[6] !== EV_CURRENT) throw new ElfError(`unknown ELF identification version ${data[6]}`);
  if (data.length < EHDR_SIZE)
    throw new ElfError(`truncated ELF header: ${data.length} bytes, need ${EHDR_SIZE}`);
  const h: ElfHeader = {
    osabi: data[7]!,
    abiVersion: data[8]!,
    type: view.getUint16(16, true),
    machine: view.getUint16(18, true),
    version: view.getUint32(20, true),
    entry: view.getUint32(24, true),
    phoff: view.getUint32(28, true),
    shoff: view.getUint32(32, true),
    flags: view.getUint32(36, true),
    ehsize: view.getUint16(40, true),
    phentsize: view.getUint16(42, true),
    phnum: view.getUint16(44, true),
    shentsize: view.getUint16(46, true),
    shnum: view.getUint16(48, true),
    shstrndx: view.getUint16(50, true),
  };
  if (h.type !== ET_EXEC && h.type !== ET_REL)
    throw new ElfError(`unsupported ELF type ${h.type} (expected ET_EXEC 2 or ET_REL 1)`);
  if (h.machine !== EM_RISCV)
    throw new ElfError(`not a RISC-V file: e_machine is ${h.machine} (expected ${EM_RISCV})`);
  if (h.version !== EV_CURRENT) throw new ElfError(`unknown ELF version ${h.version} in e_version`);
  if (h.ehsize !== EHDR_SIZE) throw new ElfError(`bad e_ehsize ${h.ehsize} (expected ${EHDR_SIZE})`);
  if (h.phnum > 0 && h.phentsize !== PHDR_SIZE)
    throw new ElfError(`bad e_phentsize ${h.phentsize} (expected ${PHDR_SIZE})`);
  if (h.shnum > 0 && h.shentsize !== SHDR_SIZE)
    throw new ElfError(`bad e_shentsize ${h.shentsize} (expected ${SHDR_SIZE})`);
  if (h.phnum > 0 && h.phoff + h.phnum * PHDR_SIZE > data.length)
    throw new ElfError(
      `program header table (offset ${hex(h.phoff)}, ${h.phnum} entries) extends past the end of the file (${data.length} bytes)`,
    );
  if (h.shnum === 0 && h.shoff !== 0)
    throw new ElfError('extended section numbering (e_shnum 0 with a section table) is not supported');
  if (h.shnum > 0 && h.shoff + h.shnum * SHDR_SIZE > data.length)
    throw new ElfError(
      `section header table (offset ${hex(h.shoff)}, ${h.shnum} entries) extends past the end of the file (${data.length} bytes)`,
    );
  if (h.shstrndx === SHN_XINDEX) throw new ElfError('extended section-name index is not supported');
  if (h.shstrndx !== SHN_UNDEF && h.shstrndx >= h.shnum)
    throw new ElfError(`e_shstrndx ${h.shstrndx} is not a section (the file has ${h.shnum})`);
  if (h.type === ET_EXEC && h.phnum === 0) throw new ElfError('executable has no program headers');
  return h;
}

function readProgramHeaders(view: DataView, h: ElfHeader): ProgramHeader[] {
  const out: ProgramHeader[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * PHDR_SIZE;
    out.push({
      index: i,
      type: view.getUint32(o, true),
      offset: view.getUint32(o + 4, true),
      vaddr: view.getUint32(o + 8, true),
      paddr: view.getUint32(o + 12, true),
      filesz: view.getUint32(o + 16, true),
      memsz: view.getUint32(o + 20, true),
      flags: view.getUint32(o + 24, true),
      align: view.getUint32(o + 28, true),
    });
  }
  return out;
}

function readSections(data: Uint8Array, view: DataView, h: ElfHeader): SectionHeader[] {
  const out: SectionHeader[] = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = h.shoff + i * SHDR_SIZE;
    const s: SectionHeader = {
      index: i,
      name: '',
      nameOffset: view.getUint32(o, true),
      type: view.getUint32(o + 4, true),
      flags: view.getUint32(o + 8, true),
      addr: view.getUint32(o + 12, true),
      offset: view.getUint32(o + 16, true),
      size: view.getUint32(o + 20, true),
      link: view.getUint32(o + 24, true),
      info: view.getUint32(o + 28, true),
      addralign: view.getUint32(o + 32, true),
      entsize: view.getUint32(o + 36, true),
    };
    if (s.type !== SHT_NOBITS && s.type !== SHT_NULL && s.offset + s.size > data.length)
      throw new ElfError(
        `section ${i} (offset ${hex(s.offset)}, size ${hex(s.size)}) extends past the end of the file (${data.length} bytes)`,
      );
    if (s.addr + s.size > TWO32)
      throw new ElfError(`section ${i} (address ${hex(s.addr)}, size ${hex(s.size)}) wraps past 4 GiB`);
    if (s.addralign > 1 && (s.addralign & (s.addralign - 1)) !== 0)
      throw new ElfError(`section ${i} has sh_addralign ${s.addralign}, not a power of two`);
    out.push(s);
  }
  if (h.shstrndx !== SHN_UNDEF) {
    const names = out[h.shstrndx]!;
    if (names.type !== SHT_STRTAB)
      throw new ElfError(`e_shstrndx ${h.shstrndx} names a section of type ${names.type}, not SHT_STRTAB`);
    for (const s of out) s.name = readString(data, names, s.nameOffset, `name of section ${s.index}`);
  }
  return out;
}

/** A NUL-terminated string from a string-table section, bounds-checked against the table. */
export function readString(data: Uint8Array, table: SectionHeader, offset: number, what: string): string {
  if (offset >= table.size)
    throw new ElfError(
      `${what}: string offset ${hex(offset)} is outside the string table (section ${table.index}, ${table.size} bytes)`,
    );
  const start = table.offset + offset;
  const end = table.offset + table.size;
  let s = '';
  for (let p = start; p < end; p++) {
    const c = data[p]!;
    if (c === 0) return s;
    s += String.fromCharCode(c);
  }
  throw new ElfError(`${what}: string at ${hex(offset)} is not NUL-terminated inside its string table`);
}

function specialSectionName(shndx: number): string | null {
  if (shndx === SHN_UNDEF) return '*UND*';
  if (shndx === SHN_ABS) return '*ABS*';
  if (shndx === SHN_COMMON) return '*COM*';
  return null;
}

function readSymbols(
  data: Uint8Array,
  view: DataView,
  h: ElfHeader,
  sections: readonly SectionHeader[],
): ElfSymbol[] {
  const tabs = sections.filter((s) => s.type === SHT_SYMTAB);
  if (tabs.length === 0) return [];
  if (tabs.length > 1) throw new ElfError(`the file has ${tabs.length} SHT_SYMTAB sections (at most 1)`);
  const tab = tabs[0]!;
  if (tab.entsize !== SYM_SIZE)
    throw new ElfError(`symbol table (section ${tab.index}) has sh_entsize ${tab.entsize}, expected 16`);
  if (tab.size % SYM_SIZE !== 0)
    throw new ElfError(`symbol table size ${tab.size} is not a multiple of ${SYM_SIZE}`);
  const strtab = sections[tab.link];
  if (strtab === undefined || strtab.type !== SHT_STRTAB)
    throw new ElfError(`symbol table links to section ${tab.link}, which is not a string table`);
  const out: ElfSymbol[] = [];
  for (let i = 0; i < tab.size / SYM_SIZE; i++) {
    const o = tab.offset + i * SYM_SIZE;
    const info = data[o + 12]!;
    const shndx = view.getUint16(o + 14, true);
    const sym: ElfSymbol = {
      index: i,
      name: readString(data, strtab, view.getUint32(o, true), `name of symbol ${i}`),
      value: view.getUint32(o + 4, true),
      size: view.getUint32(o + 8, true),
      type: info & 0xf,
      bind: info >> 4,
      other: data[o + 13]!,
      shndx,
      section: '',
    };
    if (sym.value + sym.size > TWO32)
      throw new ElfError(`symbol ${i} '${sym.name}' (${hex(sym.value)} + ${sym.size}) wraps past 4 GiB`);
    const special = specialSectionName(shndx);
    if (special !== null) {
      sym.section = special;
    } else if (shndx >= SHN_LORESERVE) {
      throw new ElfError(`symbol ${i} '${sym.name}' has an unsupported reserved section index ${hex(shndx)}`);
    } else {
      const sec = sections[shndx];
      if (sec === undefined)
        throw new ElfError(`symbol ${i} '${sym.name}' refers to section ${shndx}, which does not exist`);
      sym.section = sec.name;
      checkSymbolInSection(h, sym, sec);
    }
    out.push(sym);
  }
  return out;
}

/** A sized function or object must lie inside the section it names (addresses in an executable,
 * offsets in a relocatable file); linker-defined markers (NOTYPE, size 0) may sit anywhere. */
function checkSymbolInSection(h: ElfHeader, sym: ElfSymbol, sec: SectionHeader): void {
  if (sym.size === 0 || (sym.type !== STT_FUNC && sym.type !== STT_OBJECT)) return;
  const base = h.type === ET_EXEC ? sec.addr : 0;
  if (sym.value < base || sym.value + sym.size > base + sec.size)
    throw new ElfError(
      `symbol ${sym.index} '${sym.name}' (${hex(sym.value)}, ${sym.size} bytes) lies outside its section ${sec.index} '${sec.name}'`,
    );
}
