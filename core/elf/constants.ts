// ELF32 numbers for RISC-V (the ELF gABI and the RISC-V psABI): shared by the loader, the
// bare-metal runner, the assembler and the linker.

export const ELFCLASS32 = 1;
export const ELFDATA2LSB = 1;
export const EV_CURRENT = 1;
export const EM_RISCV = 243;

export const ET_REL = 1;
export const ET_EXEC = 2;

export const EHDR_SIZE = 52;
export const PHDR_SIZE = 32;
export const SHDR_SIZE = 40;
export const SYM_SIZE = 16;
export const RELA_SIZE = 12;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_GNU_STACK = 0x6474e551;
export const PT_RISCV_ATTRIBUTES = 0x70000003;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_RISCV_ATTRIBUTES = 0x70000003;

export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;
export const SHF_MERGE = 0x10;
export const SHF_STRINGS = 0x20;
export const SHF_INFO_LINK = 0x40;
export const SHF_GROUP = 0x200;

export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;

/** e_flags: RVC and the float ABI (ilp32d = double). */
export const EF_RISCV_RVC = 0x1;
export const EF_RISCV_FLOAT_ABI_SOFT = 0x0;
export const EF_RISCV_FLOAT_ABI_SINGLE = 0x2;
export const EF_RISCV_FLOAT_ABI_DOUBLE = 0x4;

/** R_RISCV_* relocation types (psABI). */
export const R_RISCV = {
  NONE: 0,
  R32: 1,
  R64: 2,
  BRANCH: 16,
  JAL: 17,
  CALL: 18,
  CALL_PLT: 19,
  GOT_HI20: 20,
  PCREL_HI20: 23,
  PCREL_LO12_I: 24,
  PCREL_LO12_S: 25,
  HI20: 26,
  LO12_I: 27,
  LO12_S: 28,
  ADD8: 33,
  ADD16: 34,
  ADD32: 35,
  ADD64: 36,
  SUB8: 37,
  SUB16: 38,
  SUB32: 39,
  SUB64: 40,
  ALIGN: 43,
  RVC_BRANCH: 44,
  RVC_JUMP: 45,
  RELAX: 51,
  SUB6: 52,
  SET6: 53,
  SET8: 54,
  SET16: 55,
  SET32: 56,
  R32_PCREL: 57,
  SET_ULEB128: 60,
  SUB_ULEB128: 61,
} as const;

/** The default link base of user programs and the bare-metal RAM base (ABI.md). */
export const USER_LINK_BASE = 0x0040_0000;

/** Identification bytes and values the reader checks (gABI). */
export const EI_NIDENT = 16;
export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
export const ET_NONE = 0;
export const ET_DYN = 3;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_TLS = 7;
export const SHT_DYNSYM = 11;
export const SHT_SYMTAB_SHNDX = 18;
export const SHN_LORESERVE = 0xff00;
export const SHN_XINDEX = 0xffff;
