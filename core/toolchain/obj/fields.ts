// Immediate-field encoders of RISC-V instruction formats, shared by the assembler (encoding) and
// the linker (patching relocated fields). Every function returns the bits to OR into the word.

/** I-type imm[11:0] at bits 31:20. */
export const immI = (v: number): number => ((v & 0xfff) << 20) >>> 0;
/** S-type imm[11:5] at 31:25, imm[4:0] at 11:7. */
export const immS = (v: number): number => ((((v >> 5) & 0x7f) << 25) | ((v & 0x1f) << 7)) >>> 0;
/** B-type imm[12|10:5] at 31:25, imm[4:1|11] at 11:7. */
export const immB = (v: number): number =>
  ((((v >> 12) & 1) << 31) | (((v >> 5) & 0x3f) << 25) | (((v >> 1) & 0xf) << 8) | (((v >> 11) & 1) << 7)) >>>
  0;
/** U-type imm[31:12] given as the 20-bit value. */
export const immU = (v20: number): number => ((v20 & 0xfffff) << 12) >>> 0;
/** J-type imm[20|10:1|11|19:12]. */
export const immJ = (v: number): number =>
  ((((v >> 20) & 1) << 31) |
    (((v >> 1) & 0x3ff) << 21) |
    (((v >> 11) & 1) << 20) |
    (((v >> 12) & 0xff) << 12)) >>>
  0;
/** CB-format branch offset[8|4:3] at 12:10, [7:6|2:1|5] at 6:2. */
export const immCB = (v: number): number =>
  (((v >> 8) & 1) << 12) |
  (((v >> 3) & 3) << 10) |
  (((v >> 6) & 3) << 5) |
  (((v >> 1) & 3) << 3) |
  (((v >> 5) & 1) << 2);
/** CJ-format jump offset[11|4|9:8|10|6|7|3:1|5] at 12:2. */
export const immCJ = (v: number): number =>
  (((v >> 11) & 1) << 12) |
  (((v >> 4) & 1) << 11) |
  (((v >> 8) & 3) << 9) |
  (((v >> 10) & 1) << 8) |
  (((v >> 6) & 1) << 7) |
  (((v >> 7) & 1) << 6) |
  (((v >> 1) & 7) << 3) |
  (((v >> 5) & 1) << 2);
/** c.lui imm[17] at 12, imm[16:12] at 6:2 (given the 6-bit value of imm[17:12]). */
export const immCLui = (v6: number): number => (((v6 >> 5) & 1) << 12) | ((v6 & 0x1f) << 2);

/** Masks clearing each format's immediate bits. */
export const MASK_I = 0x000fffff;
export const MASK_S = 0x01fff07f;
export const MASK_B = 0x01fff07f;
export const MASK_U = 0x00000fff;
export const MASK_J = 0x00000fff;
export const MASK_CB = 0xe383;
export const MASK_CJ = 0xe003;
export const MASK_CLUI = 0xef83;

/** %hi: the upper 20 bits, rounded so that adding the sign-extended %lo gives the value. */
export const hi20 = (v: number): number => ((v + 0x800) >>> 12) & 0xfffff;
/** %lo: the sign-extended low 12 bits. */
export const lo12 = (v: number): number => (v << 20) >> 20;

export const fitsSigned = (v: number, bits: number): boolean =>
  v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1);
export const fitsUnsigned = (v: number, bits: number): boolean => v >= 0 && v < 2 ** bits;
