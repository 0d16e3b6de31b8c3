// The in-memory model of an ELF32 relocatable object, shared by the assembler (producer), the
// object writer/reader and the linker (consumer).

export interface ObjReloc {
  offset: number;
  type: number;
  /** Index into ObjectModel.symbols (0 = no symbol). */
  sym: number;
  addend: number;
}

export interface ObjSection {
  name: string;
  type: number;
  flags: number;
  addralign: number;
  entsize: number;
  /** Contents (empty for SHT_NOBITS; the size is `size`). */
  data: Uint8Array;
  size: number;
  relocs: ObjReloc[];
  /** sh_link / sh_info for sections we pass through untouched (e.g. groups); normally 0. */
  link?: number;
  info?: number;
}

export interface ObjSymbol {
  name: string;
  value: number;
  size: number;
  bind: number;
  type: number;
  /** Section index: 1-based index into ObjectModel.sections, or SHN_UNDEF/SHN_ABS/SHN_COMMON. */
  shndx: number;
  other: number;
}

export interface ObjectModel {
  /** Content sections only (no null, symtab, strtab, shstrtab or rela sections). */
  sections: ObjSection[];
  /** Symbols; index 0 is the null symbol. */
  symbols: ObjSymbol[];
  flags: number;
}

export const nullSymbol = (): ObjSymbol => ({
  name: '',
  value: 0,
  size: 0,
  bind: 0,
  type: 0,
  shndx: 0,
  other: 0,
});
