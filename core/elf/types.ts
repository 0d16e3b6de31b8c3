// The parsed form of an ELF32 file: plain data, every number an unsigned 32-bit value (or a
// 16-bit one where the format says so), names already resolved.

export interface ElfHeader {
  /** e_ident[EI_OSABI] and e_ident[EI_ABIVERSION], kept for display. */
  osabi: number;
  abiVersion: number;
  type: number;
  machine: number;
  version: number;
  entry: number;
  phoff: number;
  shoff: number;
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export interface ProgramHeader {
  index: number;
  type: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

export interface SectionHeader {
  index: number;
  /** Resolved from the section-name string table ('' when the file has none). */
  name: string;
  nameOffset: number;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface ElfSymbol {
  /** Index in the symbol table (relocations refer to symbols by it); 0 is the null symbol. */
  index: number;
  name: string;
  value: number;
  size: number;
  /** STT_* (low nibble of st_info). */
  type: number;
  /** STB_* (high nibble of st_info). */
  bind: number;
  /** st_other (visibility). */
  other: number;
  /** st_shndx: a section index or SHN_UNDEF / SHN_ABS / SHN_COMMON. */
  shndx: number;
  /** The section's name, or '*UND*', '*ABS*', '*COM*' for the special indices (as objdump prints). */
  section: string;
}

export interface ElfFile {
  /** The bytes the file was read from (not copied). */
  readonly data: Uint8Array;
  readonly header: ElfHeader;
  readonly programHeaders: readonly ProgramHeader[];
  readonly sections: readonly SectionHeader[];
  /** The entries of the SHT_SYMTAB section, in table order (empty when there is none). */
  readonly symbols: readonly ElfSymbol[];
}
