// A thread's saved user context: the integer and FP register files, pc and the FP CSR fields,
// copied to and from the hart when the kernel switches threads.

/** The parts of the hart a context switch touches (core/machine's Hart has this shape). */
export interface HartRegs {
  readonly x: Int32Array;
  pc: number;
  readonly fp: { readonly u32: Uint32Array; fflags: number; frm: number };
}

export class SavedContext {
  // One backing store for both files: every fork allocates a context, and each typed array of its
  // own would be a separate off-heap allocation.
  private readonly buf = new ArrayBuffer(32 * 4 + 64 * 4);
  readonly x = new Int32Array(this.buf, 0, 32);
  pc = 0;
  /** f0–f31 as raw 64-bit patterns (NaN-boxing preserved). */
  readonly f = new Uint32Array(this.buf, 32 * 4, 64);
  fflags = 0;
  frm = 0;

  saveFrom(h: HartRegs): void {
    this.x.set(h.x);
    this.pc = h.pc >>> 0;
    const fu = h.fp.u32;
    this.f.set(fu.length === 64 ? fu : fu.subarray(0, 64)); // no view allocated per switch
    this.fflags = h.fp.fflags;
    this.frm = h.fp.frm;
  }

  restoreTo(h: HartRegs): void {
    h.x.set(this.x);
    h.x[0] = 0;
    h.pc = this.pc;
    h.fp.u32.set(this.f);
    h.fp.fflags = this.fflags;
    h.fp.frm = this.frm;
  }

  copyFrom(o: SavedContext): void {
    this.x.set(o.x);
    this.pc = o.pc;
    this.f.set(o.f);
    this.fflags = o.fflags;
    this.frm = o.frm;
  }
}
