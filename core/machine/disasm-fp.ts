// F and D extension encodings (loads/stores, fused multiply-add, OP-FP), printed as objdump
// does: the rounding mode is appended unless it is dyn, and sign-injection with equal sources
// shows as fmv/fneg/fabs when aliases are on.
import { FREG, ROUNDING, XREG, bits, mem, op, sext } from './disasm-tables';
import type { DecodeContext, Decoded } from './disasm-tables';

const F = FREG;
const X = XREG;

/** Appends the rounding mode unless it is dyn; objdump prints reserved modes as `unknown`. */
function rmOp(mnemonic: string, rm: number, ...operands: string[]): Decoded {
  return rm === 7 ? op(mnemonic, ...operands) : op(mnemonic, ...operands, ROUNDING[rm] ?? 'unknown');
}

/** Conversions that cannot round: objdump decodes them only with rm = 0 and never shows it. */
function exactOp(mnemonic: string, rm: number, ...operands: string[]): Decoded | null {
  return rm === 0 ? op(mnemonic, ...operands) : null;
}

export function decodeFloat(w: number, ctx: DecodeContext): Decoded | null {
  const rd = bits(w, 11, 7);
  const rs1 = bits(w, 19, 15);
  const rs2 = bits(w, 24, 20);
  const f3 = bits(w, 14, 12);
  switch (bits(w, 6, 0)) {
    case 0x07: {
      const name = f3 === 2 ? 'flw' : f3 === 3 ? 'fld' : undefined;
      return name ? op(name, F[rd], mem(w >> 20, X[rs1])) : null;
    }
    case 0x27: {
      const name = f3 === 2 ? 'fsw' : f3 === 3 ? 'fsd' : undefined;
      const imm = sext((bits(w, 31, 25) << 5) | rd, 12);
      return name ? op(name, F[rs2], mem(imm, X[rs1])) : null;
    }
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f: {
      const fmt = bits(w, 26, 25);
      if (fmt > 1) return null;
      const base = ['fmadd', 'fmsub', 'fnmsub', 'fnmadd'][bits(w, 3, 2)];
      return rmOp(`${base}.${fmt ? 'd' : 's'}`, f3, F[rd], F[rs1], F[rs2], F[bits(w, 31, 27)]);
    }
    case 0x53:
      return decodeOpFp(bits(w, 31, 25), f3, rd, rs1, rs2, ctx);
    default:
      return null;
  }
}

function decodeOpFp(
  f7: number,
  f3: number,
  rd: number,
  rs1: number,
  rs2: number,
  ctx: DecodeContext,
): Decoded | null {
  const t = f7 & 1 ? 'd' : 's';
  switch (f7 >> 2) {
    case 0x00:
    case 0x01:
    case 0x02:
    case 0x03:
      if (f7 & 2) return null;
      return rmOp(`${['fadd', 'fsub', 'fmul', 'fdiv'][f7 >> 2]}.${t}`, f3, F[rd], F[rs1], F[rs2]);
    case 0x0b:
      return (f7 & 2) === 0 && rs2 === 0 ? rmOp(`fsqrt.${t}`, f3, F[rd], F[rs1]) : null;
    case 0x04: {
      if (f7 & 2 || f3 > 2) return null;
      if (ctx.aliases && rs1 === rs2) return op(`${['fmv', 'fneg', 'fabs'][f3]}.${t}`, F[rd], F[rs1]);
      return op(`${['fsgnj', 'fsgnjn', 'fsgnjx'][f3]}.${t}`, F[rd], F[rs1], F[rs2]);
    }
    case 0x05:
      if (f7 & 2 || f3 > 1) return null;
      return op(`${['fmin', 'fmax'][f3]}.${t}`, F[rd], F[rs1], F[rs2]);
    case 0x08:
      if (f7 === 0x20 && rs2 === 1) return rmOp('fcvt.s.d', f3, F[rd], F[rs1]);
      if (f7 === 0x21 && rs2 === 0) return exactOp('fcvt.d.s', f3, F[rd], F[rs1]);
      return null;
    case 0x14:
      if (f7 & 2 || f3 > 2) return null;
      return op(`${['fle', 'flt', 'feq'][f3]}.${t}`, X[rd], F[rs1], F[rs2]);
    case 0x18:
      if (f7 & 2 || rs2 > 1) return null;
      return rmOp(`fcvt.${rs2 ? 'wu' : 'w'}.${t}`, f3, X[rd], F[rs1]);
    case 0x1a:
      if (f7 & 2 || rs2 > 1) return null;
      if (t === 'd') return exactOp(`fcvt.d.${rs2 ? 'wu' : 'w'}`, f3, F[rd], X[rs1]);
      return rmOp(`fcvt.s.${rs2 ? 'wu' : 'w'}`, f3, F[rd], X[rs1]);
    case 0x1c:
      if (rs2 !== 0) return null;
      if (f7 === 0x70 && f3 === 0) return op('fmv.x.w', X[rd], F[rs1]);
      if ((f7 === 0x70 || f7 === 0x71) && f3 === 1) return op(`fclass.${t}`, X[rd], F[rs1]);
      return null;
    case 0x1e:
      return f7 === 0x78 && f3 === 0 && rs2 === 0 ? op('fmv.w.x', F[rd], X[rs1]) : null;
    default:
      return null;
  }
}
