// The F and D extensions of the RV32GC hart: computational instructions on the FP register file.
// Loads/stores, fcsr CSRs and mstatus.FS belong to the hart; this module only computes.

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

/** Executes one F/D computational instruction (major opcodes OP-FP 0x53, FMADD 0x43, FMSUB 0x47,
 *  FNMSUB 0x4B, FNMADD 0x4F). Reads/writes `fp`; writes x[rd] (never x0) for FEQ/FLT/FLE, FCLASS,
 *  FCVT.W[U].{S,D}, FMV.X.W. Returns FP_ILLEGAL for an unknown encoding or an invalid rounding mode
 *  (rm 5/6, or rm 7 with frm ≥ 5). */
export function execFp(fp: FpRegs, x: Int32Array, insn: number): number {
  void fp;
  void x;
  void insn;
  return FP_ILLEGAL;
}
