// The F and D extensions of the RV32GC hart: computational instructions on the FP register file.
// Loads/stores, fcsr CSRs and mstatus.FS belong to the hart; this module only computes.
// Common cases run on JavaScript doubles with error-free transformations (fpu-fast); anything the
// fast path cannot prove exact goes to the BigInt soft-float (fpu-soft), which is the reference.
// Also: fpu-regs (register file, NaN-boxing), fpu-convert (FCVT), fpu-misc (non-rounding ops).

import {
  CANON_NAN_F32,
  CANON_NAN_F64_HI,
  classifyF32,
  classifyF64,
  compare,
  injectSign,
  isNaNF32,
  isNaNF64,
  isSNaNF32,
  isSNaNF64,
  minMaxChoice,
} from './fpu-misc';
import { fastState, fmaF64, roundF32, roundF64, SAFE_MAX, SAFE_MIN, twoProdErr, twoSumErr } from './fpu-fast';
import { F32, DZ, F64, NV, RDN, softAdd, softDiv, softFma, softMul, softSqrt, softState } from './fpu-soft';

import { convert } from './fpu-convert';
import {
  bigD,
  bigS,
  bitsS,
  FP_ILLEGAL,
  FP_OK,
  fpMode,
  FpRegs,
  fpStats,
  valS,
  writeBigD,
  writeBigS,
  writeBitsS,
  writeValS,
} from './fpu-regs';

export { FP_ILLEGAL, FP_OK, FpRegs, fpStats, setFpFastPath } from './fpu-regs';

const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const SQRT = 4;

/* ---- rounding arithmetic ---- */

function softArith(op: number, isD: boolean, a: bigint, b: bigint, rm: number): bigint {
  const f = isD ? F64 : F32;
  switch (op) {
    case ADD:
      return softAdd(f, a, b, rm, false);
    case SUB:
      return softAdd(f, a, b, rm, true);
    case MUL:
      return softMul(f, a, b, rm);
    case DIV:
      return softDiv(f, a, b, rm);
    default:
      return softSqrt(f, a, rm);
  }
}

/** Single-precision +, −, ×, ÷, √ computed in double: d = RN53(x) with the sign of x − d, then
 *  rounded once more to binary32 by roundF32, which knows where x lies. Writes rd and returns
 *  true, or returns false to ask for the exact path. Registers are read here, not passed in, so
 *  no double crosses a call boundary (V8 would box it). */
function fastS(fp: FpRegs, op: number, rd: number, rs1: number, rs2: number, rm: number): boolean {
  const a = valS(fp, rs1);
  const b = valS(fp, rs2);
  let d: number;
  let err = 0;
  switch (op) {
    case ADD:
    case SUB: {
      const bb = op === SUB ? -b : b;
      d = a + bb;
      if (d === 0 && rm === RDN) return false;
      err = Math.sign(twoSumErr(a, bb, d));
      break;
    }
    case MUL:
      d = a * b; // 24 × 24 bits: exact in a double
      break;
    case DIV: {
      d = a / b;
      const p = d * b;
      err = Math.sign(a - p - twoProdErr(d, b, p)) * Math.sign(b);
      break;
    }
    default: {
      d = Math.sqrt(a);
      const p = d * d;
      err = Math.sign(a - p - twoProdErr(d, d, p));
    }
  }
  const r = roundF32(d, err, rm);
  if (r !== r) return false;
  writeValS(fp, rd, r);
  fp.fflags |= fastState.flags;
  return true;
}

function inRange(v: number): boolean {
  const m = Math.abs(v);
  return m >= SAFE_MIN && m <= SAFE_MAX;
}

/** Writes a fast-path binary64 result (NaN means "not decided here") and its flags. */
function putD(fp: FpRegs, rd: number, r: number): boolean {
  if (r !== r) return false;
  fp.f64[rd] = r;
  fp.fflags |= fastState.flags;
  return true;
}

/** Double-precision +, −, ×, ÷, √ with the exact error; false asks for the exact path. */
function fastD(fp: FpRegs, op: number, rd: number, rs1: number, rs2: number, rm: number): boolean {
  const a = fp.f64[rs1];
  const b = fp.f64[rs2];
  switch (op) {
    case ADD:
    case SUB: {
      const bb = op === SUB ? -b : b;
      if (!(Math.abs(a) <= SAFE_MAX && Math.abs(bb) <= SAFE_MAX)) return false;
      const r = a + bb;
      if (r === 0 && rm === RDN) return false;
      return putD(fp, rd, roundF64(r, twoSumErr(a, bb, r), true, rm));
    }
    case MUL: {
      const r = a * b;
      if (inRange(a) && inRange(b) && inRange(r))
        return putD(fp, rd, roundF64(r, twoProdErr(a, b, r), true, rm));
      fastState.flags = 0;
      return putD(fp, rd, r === 0 && (a === 0 || b === 0) ? r : NaN);
    }
    case DIV: {
      const r = a / b;
      if (inRange(a) && inRange(b) && inRange(r)) {
        const p = r * b;
        const rem = a - p - twoProdErr(r, b, p);
        return putD(fp, rd, roundF64(r, Math.sign(rem) * Math.sign(b), false, rm));
      }
      fastState.flags = 0;
      return putD(fp, rd, a === 0 && inRange(b) ? r : NaN);
    }
    default: {
      if (a === 0) {
        fastState.flags = 0;
        return putD(fp, rd, a);
      }
      if (!inRange(a)) return false;
      const r = Math.sqrt(a);
      const p = r * r;
      return putD(fp, rd, roundF64(r, Math.sign(a - p - twoProdErr(r, r, p)), false, rm));
    }
  }
}

/** Infinities, NaNs, division by zero and square roots of negatives: JavaScript's result is
 *  exact here, so only NaN canonicalisation and the flags (from the operand classes) remain.
 *  Returns false for finite operands, which the fast and soft paths handle. */
function specialArith(fp: FpRegs, op: number, isD: boolean, rd: number, rs1: number, rs2: number): boolean {
  const unary = op === SQRT;
  const a = isD ? fp.f64[rs1] : valS(fp, rs1);
  const b = unary ? 0 : isD ? fp.f64[rs2] : valS(fp, rs2);
  const aFinite = Math.abs(a) <= Number.MAX_VALUE;
  const divByZero = op === DIV && b === 0 && aFinite;
  if (aFinite && Math.abs(b) <= Number.MAX_VALUE && !divByZero && !(unary && a < 0)) return false;
  const r = op === ADD ? a + b : op === SUB ? a - b : op === MUL ? a * b : op === DIV ? a / b : Math.sqrt(a);
  if (r !== r) {
    // A NaN operand propagates quietly unless signalling; otherwise the operation was invalid.
    let signalling: boolean;
    if (isD) {
      signalling =
        isSNaNF64(fp.u32[2 * rs1 + 1], fp.u32[2 * rs1]) ||
        (!unary && isSNaNF64(fp.u32[2 * rs2 + 1], fp.u32[2 * rs2]));
      fp.u32[2 * rd] = 0;
      fp.u32[2 * rd + 1] = CANON_NAN_F64_HI;
    } else {
      signalling = isSNaNF32(bitsS(fp, rs1)) || (!unary && isSNaNF32(bitsS(fp, rs2)));
      writeBitsS(fp, rd, CANON_NAN_F32);
    }
    if (signalling || (a === a && b === b)) fp.fflags |= NV;
    return true;
  }
  if (isD) fp.f64[rd] = r;
  else writeValS(fp, rd, r);
  if (divByZero) fp.fflags |= DZ;
  return true;
}

function arith(fp: FpRegs, op: number, isD: boolean, rd: number, rs1: number, rs2: number, rm: number): void {
  if (fpMode.fast) {
    if (isD ? fastD(fp, op, rd, rs1, rs2, rm) : fastS(fp, op, rd, rs1, rs2, rm)) return;
    if (specialArith(fp, op, isD, rd, rs1, rs2)) return;
  }
  fpStats.slow++;
  softState.flags = 0;
  if (isD) writeBigD(fp, rd, softArith(op, true, bigD(fp, rs1), bigD(fp, rs2), rm));
  else writeBigS(fp, rd, softArith(op, false, bigS(fp, rs1), bigS(fp, rs2), rm));
  fp.fflags |= softState.flags;
}

/** Binary32 fused multiply-add: the product is exact in a double, so only the sum needs its
 *  error. Writes rd and returns true, or false to ask for the exact path. */
function fmaS(
  fp: FpRegs,
  rd: number,
  rs1: number,
  rs2: number,
  rs3: number,
  negProd: boolean,
  negC: boolean,
  rm: number,
): boolean {
  const p = valS(fp, rs1) * valS(fp, rs2);
  const prod = negProd ? -p : p;
  const c = negC ? -valS(fp, rs3) : valS(fp, rs3);
  const d = prod + c;
  if (d === 0 && rm === RDN) return false;
  const r = roundF32(d, Math.sign(twoSumErr(prod, c, d)), rm);
  if (r !== r) return false;
  writeValS(fp, rd, r);
  return true;
}

/** FMADD 0x43, FMSUB 0x47, FNMSUB 0x4B, FNMADD 0x4F. */
function fma(
  fp: FpRegs,
  opcode: number,
  isD: boolean,
  rd: number,
  rs1: number,
  rs2: number,
  rs3: number,
  rm: number,
): void {
  const negProd = opcode === 0x4b || opcode === 0x4f;
  const negC = opcode === 0x47 || opcode === 0x4f;
  if (fpMode.fast) {
    if (
      isD
        ? fmaF64(fp.f64, rd, rs1, rs2, rs3, negProd, negC, rm)
        : fmaS(fp, rd, rs1, rs2, rs3, negProd, negC, rm)
    ) {
      fp.fflags |= fastState.flags;
      return;
    }
  }
  fpStats.slow++;
  softState.flags = 0;
  if (isD) {
    writeBigD(fp, rd, softFma(F64, bigD(fp, rs1), bigD(fp, rs2), bigD(fp, rs3), rm, negProd, negC));
  } else {
    writeBigS(fp, rd, softFma(F32, bigS(fp, rs1), bigS(fp, rs2), bigS(fp, rs3), rm, negProd, negC));
  }
  fp.fflags |= softState.flags;
}

const nvFlags = { v: 0 };

/* ---- non-rounding operations ---- */

function signInject(fp: FpRegs, isD: boolean, funct3: number, rd: number, rs1: number, rs2: number): number {
  if (isD) {
    const s = injectSign(funct3, fp.u32[2 * rs1 + 1] >>> 31, fp.u32[2 * rs2 + 1] >>> 31);
    if (s < 0) return FP_ILLEGAL;
    fp.u32[2 * rd] = fp.u32[2 * rs1];
    fp.u32[2 * rd + 1] = ((fp.u32[2 * rs1 + 1] & 0x7fffffff) | (s << 31)) >>> 0;
  } else {
    const a = bitsS(fp, rs1);
    const s = injectSign(funct3, a >>> 31, bitsS(fp, rs2) >>> 31);
    if (s < 0) return FP_ILLEGAL;
    writeBitsS(fp, rd, ((a & 0x7fffffff) | (s << 31)) >>> 0);
  }
  return FP_OK;
}

function minMax(fp: FpRegs, isD: boolean, funct3: number, rd: number, rs1: number, rs2: number): number {
  if (funct3 > 1) return FP_ILLEGAL;
  nvFlags.v = 0;
  if (isD) {
    const ah = fp.u32[2 * rs1 + 1];
    const al = fp.u32[2 * rs1];
    const bh = fp.u32[2 * rs2 + 1];
    const bl = fp.u32[2 * rs2];
    const sig = isSNaNF64(ah, al) || isSNaNF64(bh, bl);
    const c = minMaxChoice(
      funct3 === 1,
      fp.f64[rs1],
      fp.f64[rs2],
      isNaNF64(ah, al),
      isNaNF64(bh, bl),
      sig,
      nvFlags,
    );
    fp.u32[2 * rd] = c === 0 ? al : c === 1 ? bl : 0;
    fp.u32[2 * rd + 1] = c === 0 ? ah : c === 1 ? bh : CANON_NAN_F64_HI;
  } else {
    const a = bitsS(fp, rs1);
    const b = bitsS(fp, rs2);
    const sig = isSNaNF32(a) || isSNaNF32(b);
    const c = minMaxChoice(
      funct3 === 1,
      valS(fp, rs1),
      valS(fp, rs2),
      isNaNF32(a),
      isNaNF32(b),
      sig,
      nvFlags,
    );
    writeBitsS(fp, rd, c === 0 ? a : c === 1 ? b : CANON_NAN_F32);
  }
  fp.fflags |= nvFlags.v;
  return FP_OK;
}

function cmp(
  fp: FpRegs,
  x: Int32Array,
  isD: boolean,
  funct3: number,
  rd: number,
  rs1: number,
  rs2: number,
): number {
  nvFlags.v = 0;
  let r: number;
  if (isD) {
    const ah = fp.u32[2 * rs1 + 1];
    const al = fp.u32[2 * rs1];
    const bh = fp.u32[2 * rs2 + 1];
    const bl = fp.u32[2 * rs2];
    const anyNaN = isNaNF64(ah, al) || isNaNF64(bh, bl);
    const anySNaN = isSNaNF64(ah, al) || isSNaNF64(bh, bl);
    r = compare(funct3, fp.f64[rs1], fp.f64[rs2], anyNaN, anySNaN, nvFlags);
  } else {
    const a = bitsS(fp, rs1);
    const b = bitsS(fp, rs2);
    const anyNaN = isNaNF32(a) || isNaNF32(b);
    const anySNaN = isSNaNF32(a) || isSNaNF32(b);
    r = compare(funct3, valS(fp, rs1), valS(fp, rs2), anyNaN, anySNaN, nvFlags);
  }
  if (r < 0) return FP_ILLEGAL;
  fp.fflags |= nvFlags.v;
  if (rd !== 0) x[rd] = r;
  return FP_OK;
}

/* ---- decoding ---- */

function opFp(fp: FpRegs, x: Int32Array, insn: number): number {
  const f7 = insn >>> 25;
  const rd = (insn >>> 7) & 31;
  const funct3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const fmt = f7 & 3;
  if (fmt > 1) return FP_ILLEGAL;
  const isD = fmt === 1;
  const group = f7 >>> 2; // funct7 without the format bits
  // Groups that round take a rounding mode in funct3.
  if (group <= 3 || group === 0x0b || group === 0x08 || group === 0x18 || group === 0x1a) {
    let rm = funct3;
    if (rm === 7) rm = fp.frm;
    if (rm > 4) return FP_ILLEGAL;
    if (group <= 3) {
      arith(fp, group, isD, rd, rs1, rs2, rm);
      return FP_OK;
    }
    if (group === 0x0b) {
      if (rs2 !== 0) return FP_ILLEGAL;
      arith(fp, SQRT, isD, rd, rs1, rs2, rm);
      return FP_OK;
    }
    return convert(fp, x, f7, rd, rs1, rs2, rm);
  }
  switch (group) {
    case 0x04:
      return signInject(fp, isD, funct3, rd, rs1, rs2);
    case 0x05:
      return minMax(fp, isD, funct3, rd, rs1, rs2);
    case 0x14:
      return cmp(fp, x, isD, funct3, rd, rs1, rs2);
    case 0x1c: {
      if (rs2 !== 0) return FP_ILLEGAL;
      let r: number;
      if (funct3 === 1) {
        r = isD ? classifyF64(fp.u32[2 * rs1 + 1], fp.u32[2 * rs1]) : classifyF32(bitsS(fp, rs1));
      } else if (funct3 === 0 && !isD) {
        r = fp.u32[2 * rs1] | 0; // FMV.X.W moves the raw low word, boxed or not
      } else {
        return FP_ILLEGAL;
      }
      if (rd !== 0) x[rd] = r;
      return FP_OK;
    }
    case 0x1e:
      if (rs2 !== 0 || funct3 !== 0 || isD) return FP_ILLEGAL;
      writeBitsS(fp, rd, x[rs1] >>> 0);
      return FP_OK;
    default:
      return FP_ILLEGAL;
  }
}

/** Executes one F/D computational instruction (major opcodes OP-FP 0x53, FMADD 0x43, FMSUB 0x47,
 *  FNMSUB 0x4B, FNMADD 0x4F). Reads/writes `fp`; writes x[rd] (never x0) for FEQ/FLT/FLE, FCLASS,
 *  FCVT.W[U].{S,D}, FMV.X.W. Returns FP_ILLEGAL for an unknown encoding or an invalid rounding mode
 *  (rm 5/6, or rm 7 with frm ≥ 5). */
export function execFp(fp: FpRegs, x: Int32Array, insn: number): number {
  const opcode = insn & 0x7f;
  if (opcode === 0x53) return opFp(fp, x, insn);
  if (opcode !== 0x43 && opcode !== 0x47 && opcode !== 0x4b && opcode !== 0x4f) return FP_ILLEGAL;
  const fmt = (insn >>> 25) & 3;
  if (fmt > 1) return FP_ILLEGAL;
  let rm = (insn >>> 12) & 7;
  if (rm === 7) rm = fp.frm;
  if (rm > 4) return FP_ILLEGAL;
  fma(fp, opcode, fmt === 1, (insn >>> 7) & 31, (insn >>> 15) & 31, (insn >>> 20) & 31, insn >>> 27, rm);
  return FP_OK;
}
