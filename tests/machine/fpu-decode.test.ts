// Decoder fuzz: random words under the five FP major opcodes must be accepted or rejected exactly
// as the unprivileged spec's encoding tables say (RV32 only: no FMV.X.D/FMV.D.X, no .L/.LU
// conversions, no H/Q formats), a rejected word must leave every register and fflags untouched,
// and x0 is never written.
import { describe, expect, it } from 'vitest';
import { execFp, FP_ILLEGAL, FP_OK, FpRegs } from '../../core/machine/fpu';
import { Rng } from '../fixtures/fpu/vectors';

const COUNT = process.env.FUTURA_FULL === '1' ? 300_000 : 30_000;

/** The spec's view of which encodings exist, written from its opcode map (not from fpu.ts). */
function legal(insn: number, frm: number): boolean {
  const opcode = insn & 0x7f;
  const rm = (insn >>> 12) & 7;
  const rs2 = (insn >>> 20) & 31;
  const fmt = (insn >>> 25) & 3;
  const rmOk = rm === 7 ? frm <= 4 : rm <= 4;
  if (opcode === 0x43 || opcode === 0x47 || opcode === 0x4b || opcode === 0x4f) return fmt <= 1 && rmOk;
  if (opcode !== 0x53 || fmt > 1) return false;
  const single = fmt === 0;
  switch (insn >>> 27) {
    case 0b00000: // FADD
    case 0b00001: // FSUB
    case 0b00010: // FMUL
    case 0b00011: // FDIV
      return rmOk;
    case 0b01011: // FSQRT
      return rs2 === 0 && rmOk;
    case 0b00100: // FSGNJ, FSGNJN, FSGNJX
      return rm <= 2;
    case 0b00101: // FMIN, FMAX
      return rm <= 1;
    case 0b01000: // FCVT.S.D (fmt S, rs2 = D) and FCVT.D.S (fmt D, rs2 = S)
      return (single ? rs2 === 1 : rs2 === 0) && rmOk;
    case 0b10100: // FLE, FLT, FEQ
      return rm <= 2;
    case 0b11000: // FCVT.W.fmt, FCVT.WU.fmt
    case 0b11010: // FCVT.fmt.W, FCVT.fmt.WU
      return rs2 <= 1 && rmOk;
    case 0b11100: // FMV.X.W (S only on RV32), FCLASS
      return rs2 === 0 && (rm === 1 || (rm === 0 && single));
    case 0b11110: // FMV.W.X
      return rs2 === 0 && rm === 0 && single;
    default:
      return false;
  }
}

describe('FP decoder', () => {
  it(`accepts exactly the RV32 F/D encodings and leaves state alone otherwise (${COUNT} words)`, () => {
    const rng = new Rng(0xdec0de);
    const opcodes = [0x53, 0x53, 0x53, 0x53, 0x43, 0x47, 0x4b, 0x4f];
    let accepted = 0;
    let rejected = 0;
    const wrong: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      // Bias funct7 toward the defined groups so most words hit a real instruction or a near miss.
      let insn = (rng.u32() & ~0x7f) | rng.pick(opcodes);
      if (rng.below(2) === 0)
        insn = (insn & 0x07ffffff) | (rng.pick([0, 1, 2, 3, 4, 5, 8, 11, 20, 24, 26, 28, 30]) << 27);
      if (rng.below(2) === 0) insn = (insn & ~(0x1f << 20)) | (rng.below(3) << 20);
      insn >>>= 0;
      const fp = new FpRegs();
      const x = new Int32Array(32);
      for (let r = 0; r < 32; r++) {
        fp.u32[2 * r] = rng.u32();
        fp.u32[2 * r + 1] = rng.below(3) === 0 ? 0xffffffff : rng.u32();
        x[r] = r === 0 ? 0 : rng.u32() | 0;
      }
      fp.frm = rng.below(8);
      fp.fflags = rng.below(32);
      const f0 = fp.u32.slice();
      const x0 = x.slice();
      const flags0 = fp.fflags;
      const frm0 = fp.frm;
      const rc = execFp(fp, x, insn);
      const problems: string[] = [];
      if ((rc === FP_OK) !== legal(insn, frm0)) problems.push(`returned ${rc}`);
      if (rc !== FP_OK && rc !== FP_ILLEGAL) problems.push('bad return code');
      if (x[0] !== 0) problems.push('wrote x0');
      if (fp.frm !== frm0) problems.push('changed frm');
      if (rc === FP_ILLEGAL) {
        rejected++;
        if (fp.fflags !== flags0 || fp.u32.some((v, k) => v !== f0[k]) || x.some((v, k) => v !== x0[k])) {
          problems.push('changed state although illegal');
        }
      } else {
        accepted++;
        if ((fp.fflags & flags0) !== flags0) problems.push('cleared flags');
      }
      if (problems.length > 0 && wrong.length < 20)
        wrong.push(`${insn.toString(16)} frm=${frm0}: ${problems.join(', ')}`);
    }
    expect(wrong).toEqual([]);
    expect(accepted).toBeGreaterThan(COUNT / 10);
    expect(rejected).toBeGreaterThan(COUNT / 10);
  });
});
