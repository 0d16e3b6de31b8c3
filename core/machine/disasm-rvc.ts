// RV32C (with the F/D compressed loads and stores). With aliases objdump shows the expanded
// instruction's (alias) mnemonic, e.g. `add s0,sp,40` for c.addi4spn; without, the c.* form.
import { FREG, XREG, bits, hex, jump, mem, op, sext } from './disasm-tables';
import type { DecodeContext, Decoded } from './disasm-tables';

const X = XREG;
const F = FREG;

/** The 3-bit register fields name x8..x15. */
const rc = (v: number): number => v + 8;

/** Decodes a 16-bit compressed instruction, or returns null when objdump would not decode it. */
export function decode16(h: number, pc: number, ctx: DecodeContext): Decoded | null {
  switch (h & 3) {
    case 0:
      return quadrant0(h, ctx);
    case 1:
      return quadrant1(h, pc, ctx);
    case 2:
      return quadrant2(h, ctx);
    default:
      return null;
  }
}

function quadrant0(h: number, ctx: DecodeContext): Decoded | null {
  const a = ctx.aliases;
  const f3 = bits(h, 15, 13);
  const r1 = rc(bits(h, 9, 7));
  const r2 = rc(bits(h, 4, 2));
  // Offsets scaled by 4 (word) and 8 (double) share the bits [12:10].
  const offW = (bits(h, 12, 10) << 3) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 6);
  const offD = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6);
  switch (f3) {
    case 0: {
      if (h === 0) return op(a ? 'unimp' : 'c.unimp');
      const imm =
        (bits(h, 12, 11) << 4) | (bits(h, 10, 7) << 6) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 3);
      if (imm === 0) return null;
      return a ? op('add', X[r2], 'sp', imm) : op('c.addi4spn', X[r2], 'sp', imm);
    }
    case 1:
      return op(a ? 'fld' : 'c.fld', F[r2], mem(offD, X[r1]));
    case 2:
      return op(a ? 'lw' : 'c.lw', X[r2], mem(offW, X[r1]));
    case 3:
      return op(a ? 'flw' : 'c.flw', F[r2], mem(offW, X[r1]));
    case 5:
      return op(a ? 'fsd' : 'c.fsd', F[r2], mem(offD, X[r1]));
    case 6:
      return op(a ? 'sw' : 'c.sw', X[r2], mem(offW, X[r1]));
    case 7:
      return op(a ? 'fsw' : 'c.fsw', F[r2], mem(offW, X[r1]));
    default:
      return null;
  }
}

function jumpOffset(h: number): number {
  return sext(
    (bits(h, 12, 12) << 11) |
      (bits(h, 11, 11) << 4) |
      (bits(h, 10, 9) << 8) |
      (bits(h, 8, 8) << 10) |
      (bits(h, 7, 7) << 6) |
      (bits(h, 6, 6) << 7) |
      (bits(h, 5, 3) << 1) |
      (bits(h, 2, 2) << 5),
    12,
  );
}

function branchOffset(h: number): number {
  return sext(
    (bits(h, 12, 12) << 8) |
      (bits(h, 11, 10) << 3) |
      (bits(h, 6, 5) << 6) |
      (bits(h, 4, 3) << 1) |
      (bits(h, 2, 2) << 5),
    9,
  );
}

function quadrant1(h: number, pc: number, ctx: DecodeContext): Decoded | null {
  const a = ctx.aliases;
  const f3 = bits(h, 15, 13);
  const rd = bits(h, 11, 7);
  const imm6 = sext((bits(h, 12, 12) << 5) | bits(h, 6, 2), 6);
  switch (f3) {
    case 0:
      if (!a) return op('c.addi', X[rd], imm6);
      if (rd === 0) return imm6 === 0 ? op('nop') : op('c.nop', imm6); // c.nop n is a hint
      return op('add', X[rd], X[rd], imm6);
    case 1:
      return jump(ctx, a ? 'jal' : 'c.jal', pc, jumpOffset(h));
    case 2:
      return op(a && rd !== 0 ? 'li' : 'c.li', X[rd], imm6);
    case 3: {
      if (rd === 2) {
        const imm = sext(
          (bits(h, 12, 12) << 9) |
            (bits(h, 6, 6) << 4) |
            (bits(h, 5, 5) << 6) |
            (bits(h, 4, 3) << 7) |
            (bits(h, 2, 2) << 5),
          10,
        );
        return a ? op('add', 'sp', 'sp', imm) : op('c.addi16sp', 'sp', imm);
      }
      if (imm6 === 0) return null;
      return op(a && rd !== 0 ? 'lui' : 'c.lui', X[rd], hex(imm6 & 0xfffff));
    }
    case 4:
      return arith(h, ctx);
    case 5:
      return jump(ctx, a ? 'j' : 'c.j', pc, jumpOffset(h));
    default: {
      const r = X[rc(bits(h, 9, 7))];
      const name = f3 === 6 ? 'beqz' : 'bnez';
      return jump(ctx, a ? name : `c.${name}`, pc, branchOffset(h), r);
    }
  }
}

/** The c.srli … c.and group (quadrant 1, funct3 100). */
function arith(h: number, ctx: DecodeContext): Decoded | null {
  const a = ctx.aliases;
  const r = X[rc(bits(h, 9, 7))];
  const sub = bits(h, 11, 10);
  if (sub < 2) {
    // objdump accepts shamt[5] on RV32 too; a zero shift is the c.srli64/c.srai64 hint.
    const name = sub === 0 ? 'srl' : 'sra';
    const shamt = (bits(h, 12, 12) << 5) | bits(h, 6, 2);
    if (shamt === 0) return op(`c.${name}i64`, r);
    return a ? op(name, r, r, hex(shamt)) : op(`c.${name}i`, r, hex(shamt));
  }
  if (sub === 2) {
    const imm = sext((bits(h, 12, 12) << 5) | bits(h, 6, 2), 6);
    return a ? op('and', r, r, imm) : op('c.andi', r, imm);
  }
  if (bits(h, 12, 12)) return null;
  const name = ['sub', 'xor', 'or', 'and'][bits(h, 6, 5)];
  const r2 = X[rc(bits(h, 4, 2))];
  return a ? op(name, r, r, r2) : op(`c.${name}`, r, r2);
}

function quadrant2(h: number, ctx: DecodeContext): Decoded | null {
  const a = ctx.aliases;
  const f3 = bits(h, 15, 13);
  const rd = bits(h, 11, 7);
  const rs2 = bits(h, 6, 2);
  const hi = bits(h, 12, 12);
  switch (f3) {
    case 0: {
      const shamt = (hi << 5) | rs2;
      if (shamt === 0) return op('c.slli64', X[rd]);
      return a && rd !== 0 ? op('sll', X[rd], X[rd], hex(shamt)) : op('c.slli', X[rd], hex(shamt));
    }
    case 1: {
      const off = (hi << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6);
      return op(a ? 'fld' : 'c.fldsp', F[rd], mem(off, 'sp'));
    }
    case 2:
    case 3: {
      const off = (hi << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6);
      if (f3 === 2 && rd === 0) return null;
      return f3 === 2
        ? op(a ? 'lw' : 'c.lwsp', X[rd], mem(off, 'sp'))
        : op(a ? 'flw' : 'c.flwsp', F[rd], mem(off, 'sp'));
    }
    case 4:
      return jumpsAndMoves(hi, rd, rs2, a);
    case 5: {
      const off = (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6);
      return op(a ? 'fsd' : 'c.fsdsp', F[rs2], mem(off, 'sp'));
    }
    default: {
      const off = (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6);
      return f3 === 6
        ? op(a ? 'sw' : 'c.swsp', X[rs2], mem(off, 'sp'))
        : op(a ? 'fsw' : 'c.fswsp', F[rs2], mem(off, 'sp'));
    }
  }
}

/** c.jr, c.mv, c.ebreak, c.jalr and c.add (quadrant 2, funct3 100). */
function jumpsAndMoves(hi: number, rd: number, rs2: number, a: boolean): Decoded | null {
  if (hi === 0) {
    if (rs2 !== 0) return a && rd !== 0 ? op('mv', X[rd], X[rs2]) : op('c.mv', X[rd], X[rs2]);
    if (rd === 0) return null;
    if (a) return rd === 1 ? op('ret') : op('jr', X[rd]);
    return op('c.jr', X[rd]);
  }
  if (rs2 !== 0) return a && rd !== 0 ? op('add', X[rd], X[rd], X[rs2]) : op('c.add', X[rd], X[rs2]);
  if (rd === 0) return op(a ? 'ebreak' : 'c.ebreak');
  return op(a ? 'jalr' : 'c.jalr', X[rd]);
}
