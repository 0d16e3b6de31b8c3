// Bit-level F/D operations that never round: sign injection, min/max, comparisons, classify.
// Single operands arrive as their 32-bit patterns (already NaN-unboxed), doubles as hi/lo words.

import { NV } from './fpu-soft';

export const CANON_NAN_F32 = 0x7fc00000;
export const CANON_NAN_F64_HI = 0x7ff80000;

export function isNaNF32(b: number): boolean {
  return (b & 0x7fffffff) > 0x7f800000;
}

export function isSNaNF32(b: number): boolean {
  return isNaNF32(b) && (b & 0x00400000) === 0;
}

export function isNaNF64(hi: number, lo: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}

export function isSNaNF64(hi: number, lo: number): boolean {
  return isNaNF64(hi, lo) && (hi & 0x00080000) === 0;
}

/** FCLASS: one-hot 10-bit class mask from sign, exponent field, fraction-nonzero and quiet bit. */
function classify(
  neg: boolean,
  expField: number,
  expMax: number,
  fracNonzero: boolean,
  quiet: boolean,
): number {
  if (expField === expMax) {
    if (fracNonzero) return quiet ? 1 << 9 : 1 << 8;
    return neg ? 1 << 0 : 1 << 7;
  }
  if (expField === 0) {
    if (!fracNonzero) return neg ? 1 << 3 : 1 << 4;
    return neg ? 1 << 2 : 1 << 5;
  }
  return neg ? 1 << 1 : 1 << 6;
}

export function classifyF32(b: number): number {
  return classify(
    b < 0 || (b & 0x80000000) !== 0,
    (b >>> 23) & 0xff,
    0xff,
    (b & 0x7fffff) !== 0,
    (b & 0x400000) !== 0,
  );
}

export function classifyF64(hi: number, lo: number): number {
  return classify(
    (hi & 0x80000000) !== 0,
    (hi >>> 20) & 0x7ff,
    0x7ff,
    (hi & 0xfffff) !== 0 || lo !== 0,
    (hi & 0x80000) !== 0,
  );
}

/** Sign injection: funct3 0 FSGNJ, 1 FSGNJN, 2 FSGNJX over the sign bits (0/1) of the
 *  operands. Returns the result's sign bit, or -1 for an illegal funct3. */
export function injectSign(funct3: number, signA: number, signB: number): number {
  switch (funct3) {
    case 0:
      return signB;
    case 1:
      return signB ^ 1;
    case 2:
      return signA ^ signB;
    default:
      return -1;
  }
}

/** FMIN/FMAX (2019 semantics) over values a, b with NaN-ness and signalling-ness precomputed.
 *  Returns 0 to take a, 1 to take b, 2 for the canonical NaN; raises NV on sNaN via `flags`. */
export function minMaxChoice(
  max: boolean,
  a: number,
  b: number,
  aNaN: boolean,
  bNaN: boolean,
  signalling: boolean,
  flags: { v: number },
): number {
  if (signalling) flags.v |= NV;
  if (aNaN) return bNaN ? 2 : 1;
  if (bNaN) return 0;
  if (a === b) {
    // ±0: −0 is the smaller; Object.is distinguishes them.
    const aNeg = Object.is(a, -0);
    return max === aNeg ? 1 : 0;
  }
  return a < b === max ? 1 : 0;
}

/** FEQ/FLT/FLE: funct3 2 EQ (quiet), 1 LT, 0 LE (signalling). Returns 0/1, or -1 if illegal. */
export function compare(
  funct3: number,
  a: number,
  b: number,
  anyNaN: boolean,
  anySNaN: boolean,
  flags: { v: number },
): number {
  switch (funct3) {
    case 2:
      if (anySNaN) flags.v |= NV;
      return a === b ? 1 : 0;
    case 1:
      if (anyNaN) flags.v |= NV;
      return a < b ? 1 : 0;
    case 0:
      if (anyNaN) flags.v |= NV;
      return a <= b ? 1 : 0;
    default:
      return -1;
  }
}
