// The FP register file of the RV32GC hart and its access rules: 32 × 64-bit registers where a
// binary32 value lives NaN-boxed (upper word all ones); anything else reads as the canonical NaN.

import { CANON_NAN_F32 } from './fpu-misc';

/** The 32 FP registers (64 bits each) with typed views, plus the fcsr fields. */
export class FpRegs {
  readonly buf: ArrayBuffer = new ArrayBuffer(32 * 8);
  readonly f64: Float64Array = new Float64Array(this.buf);
  readonly f32: Float32Array = new Float32Array(this.buf);
  readonly u32: Uint32Array = new Uint32Array(this.buf);
  /** Accrued exceptions: NV 16, DZ 8, OF 4, UF 2, NX 1. */
  fflags = 0;
  /** Dynamic rounding mode (0..7). */
  frm = 0;
}

export const FP_OK = 0;
export const FP_ILLEGAL = 1;

/** Whether the fast double-based path may be used (tests switch it off to exercise the soft-float
 *  reference alone). */
export const fpMode = { fast: true };

/** How many operations needed the soft-float path (profiling and tests). */
export const fpStats = { slow: 0 };

/** Test hook: with the fast path off every rounding operation and conversion runs on the
 *  soft-float reference. */
export function setFpFastPath(on: boolean): void {
  fpMode.fast = on;
}

const BOX = 0xffffffff;

/* ---- register access: singles are NaN-boxed in the 64-bit registers ---- */

export function bitsS(fp: FpRegs, i: number): number {
  return fp.u32[2 * i + 1] === BOX ? fp.u32[2 * i] : CANON_NAN_F32;
}

export function valS(fp: FpRegs, i: number): number {
  return fp.u32[2 * i + 1] === BOX ? fp.f32[2 * i] : NaN;
}

export function writeBitsS(fp: FpRegs, i: number, b: number): void {
  fp.u32[2 * i] = b;
  fp.u32[2 * i + 1] = BOX;
}

export function writeValS(fp: FpRegs, i: number, v: number): void {
  fp.f32[2 * i] = v;
  fp.u32[2 * i + 1] = BOX;
}

export function bigS(fp: FpRegs, i: number): bigint {
  return BigInt(bitsS(fp, i));
}

export function bigD(fp: FpRegs, i: number): bigint {
  return (BigInt(fp.u32[2 * i + 1]) << 32n) | BigInt(fp.u32[2 * i]);
}

export function writeBigS(fp: FpRegs, i: number, b: bigint): void {
  writeBitsS(fp, i, Number(b));
}

export function writeBigD(fp: FpRegs, i: number, b: bigint): void {
  fp.u32[2 * i] = Number(b & 0xffffffffn);
  fp.u32[2 * i + 1] = Number(b >> 32n);
}
