// FCVT: conversions between binary32, binary64 and 32-bit integers (with saturation).

import { fastState, roundF32, roundToInteger } from './fpu-fast';
import { CANON_NAN_F64_HI, isNaNF32, isSNaNF32 } from './fpu-misc';
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
  writeValS,
} from './fpu-regs';
import { F32, F64, NV, NX, softCvt, softFromInt, softState, softToInt } from './fpu-soft';

/** FCVT.W[U].{S,D}: round to an integer, saturate and raise NV when out of range or NaN. */
function toInt(fp: FpRegs, v: number, unsigned: boolean, rm: number): number {
  if (v !== v) {
    fp.fflags |= NV;
    return unsigned ? -1 : 0x7fffffff;
  }
  const r = v === Infinity || v === -Infinity ? v : roundToInteger(v, rm);
  const lo = unsigned ? 0 : -0x80000000;
  const hi = unsigned ? 0xffffffff : 0x7fffffff;
  if (r < lo || r > hi) {
    fp.fflags |= NV;
    return (v < 0 ? lo : hi) | 0;
  }
  if (r !== v) fp.fflags |= NX;
  return r | 0;
}

export function convert(
  fp: FpRegs,
  x: Int32Array,
  f7: number,
  rd: number,
  rs1: number,
  rs2: number,
  rm: number,
): number {
  switch (f7) {
    case 0x20: {
      // FCVT.S.D
      if (rs2 !== 1) return FP_ILLEGAL;
      const r = fpMode.fast ? roundF32(fp.f64[rs1], 0, rm) : NaN;
      if (r === r) {
        writeValS(fp, rd, r);
        fp.fflags |= fastState.flags;
      } else {
        fpStats.slow++;
        softState.flags = 0;
        writeBigS(fp, rd, softCvt(F64, F32, bigD(fp, rs1), rm));
        fp.fflags |= softState.flags;
      }
      return FP_OK;
    }
    case 0x21: {
      // FCVT.D.S: exact, but NaNs become canonical.
      if (rs2 !== 0) return FP_ILLEGAL;
      const b = bitsS(fp, rs1);
      if (!fpMode.fast) {
        softState.flags = 0;
        writeBigD(fp, rd, softCvt(F32, F64, BigInt(b), rm));
        fp.fflags |= softState.flags;
      } else if (isNaNF32(b)) {
        if (isSNaNF32(b)) fp.fflags |= NV;
        fp.u32[2 * rd] = 0;
        fp.u32[2 * rd + 1] = CANON_NAN_F64_HI;
      } else {
        fp.f64[rd] = fp.f32[2 * rs1];
      }
      return FP_OK;
    }
    case 0x60:
    case 0x61: {
      // FCVT.W[U].{S,D}
      if (rs2 > 1) return FP_ILLEGAL;
      let r: number;
      if (fpMode.fast) {
        r = toInt(fp, f7 === 0x61 ? fp.f64[rs1] : valS(fp, rs1), rs2 === 1, rm);
      } else {
        softState.flags = 0;
        r =
          f7 === 0x61
            ? softToInt(F64, bigD(fp, rs1), rm, rs2 === 1)
            : softToInt(F32, bigS(fp, rs1), rm, rs2 === 1);
        fp.fflags |= softState.flags;
      }
      if (rd !== 0) x[rd] = r;
      return FP_OK;
    }
    case 0x68:
    case 0x69: {
      // FCVT.{S,D}.W[U]: exact in a double; binary32 may round.
      if (rs2 > 1) return FP_ILLEGAL;
      const v = rs2 === 1 ? x[rs1] >>> 0 : x[rs1];
      if (!fpMode.fast) {
        softState.flags = 0;
        if (f7 === 0x69) writeBigD(fp, rd, softFromInt(F64, v, rm));
        else writeBigS(fp, rd, softFromInt(F32, v, rm));
        fp.fflags |= softState.flags;
      } else if (f7 === 0x69) {
        fp.f64[rd] = v;
      } else {
        writeValS(fp, rd, roundF32(v, 0, rm));
        fp.fflags |= fastState.flags;
      }
      return FP_OK;
    }
    default:
      return FP_ILLEGAL;
  }
}
