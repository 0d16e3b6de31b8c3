// 32-bit encodings of RV32I, M, A, Zicsr, Zifencei and the privileged instructions, printed
// as objdump does (with or without its aliases). Floating point lives in disasm-fp.
import { XREG, bits, hex, jump, mem, op, sext } from './disasm-tables';
import type { DecodeContext, Decoded } from './disasm-tables';
import { decodeFloat } from './disasm-fp';

const X = XREG;

/** Decodes a 32-bit instruction word, or returns null when objdump would not decode it. */
export function decode32(w: number, pc: number, ctx: DecodeContext): Decoded | null {
  const rd = bits(w, 11, 7);
  const rs1 = bits(w, 19, 15);
  const rs2 = bits(w, 24, 20);
  const f3 = bits(w, 14, 12);
  const f7 = bits(w, 31, 25);
  const immI = w >> 20;
  switch (bits(w, 6, 0)) {
    case 0x37:
      return op('lui', X[rd], hex(w >>> 12));
    case 0x17:
      return op('auipc', X[rd], hex(w >>> 12));
    case 0x6f:
      return decodeJal(w, pc, rd, ctx);
    case 0x67:
      return f3 === 0 ? decodeJalr(rd, rs1, immI, ctx) : null;
    case 0x63:
      return decodeBranch(w, pc, f3, rs1, rs2, ctx);
    case 0x03: {
      const name = ['lb', 'lh', 'lw', undefined, 'lbu', 'lhu', undefined, undefined][f3];
      return name ? op(name, X[rd], mem(immI, X[rs1])) : null;
    }
    case 0x23: {
      const name = ['sb', 'sh', 'sw'][f3];
      const imm = sext((f7 << 5) | rd, 12);
      return name ? op(name, X[rs2], mem(imm, X[rs1])) : null;
    }
    case 0x13:
      return decodeOpImm(w, f3, rd, rs1, immI, ctx);
    case 0x33:
      return decodeOp(f7, f3, rd, rs1, rs2, ctx);
    case 0x0f:
      return decodeMiscMem(w, f3, ctx);
    case 0x73:
      return f3 === 0 ? decodePrivileged(w, rd, rs1, rs2, f7, ctx) : decodeCsr(w, f3, rd, rs1, ctx);
    case 0x2f:
      return decodeAtomic(w, f3, rd, rs1, rs2);
    default:
      return decodeFloat(w, ctx);
  }
}

function decodeJal(w: number, pc: number, rd: number, ctx: DecodeContext): Decoded {
  const imm = sext(
    (bits(w, 31, 31) << 20) | (bits(w, 19, 12) << 12) | (bits(w, 20, 20) << 11) | (bits(w, 30, 21) << 1),
    21,
  );
  if (ctx.aliases && rd === 0) return jump(ctx, 'j', pc, imm);
  if (ctx.aliases && rd === 1) return jump(ctx, 'jal', pc, imm);
  return jump(ctx, 'jal', pc, imm, X[rd]);
}

function decodeJalr(rd: number, rs1: number, imm: number, ctx: DecodeContext): Decoded {
  if (!ctx.aliases) return op('jalr', X[rd], mem(imm, X[rs1]));
  if (rd === 0 && rs1 === 1 && imm === 0) return op('ret');
  if (rd === 0) return imm === 0 ? op('jr', X[rs1]) : op('jr', mem(imm, X[rs1]));
  if (rd === 1) return imm === 0 ? op('jalr', X[rs1]) : op('jalr', mem(imm, X[rs1]));
  return imm === 0 ? op('jalr', X[rd], X[rs1]) : op('jalr', X[rd], mem(imm, X[rs1]));
}

function decodeBranch(
  w: number,
  pc: number,
  f3: number,
  rs1: number,
  rs2: number,
  ctx: DecodeContext,
): Decoded | null {
  const name = ['beq', 'bne', undefined, undefined, 'blt', 'bge', 'bltu', 'bgeu'][f3];
  if (!name) return null;
  const imm = sext(
    (bits(w, 31, 31) << 12) | (bits(w, 7, 7) << 11) | (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1),
    13,
  );
  if (ctx.aliases) {
    // Comparisons against zero have one-register aliases.
    if (name === 'beq' && rs2 === 0) return jump(ctx, 'beqz', pc, imm, X[rs1]);
    if (name === 'bne' && rs2 === 0) return jump(ctx, 'bnez', pc, imm, X[rs1]);
    if (name === 'bge' && rs1 === 0) return jump(ctx, 'blez', pc, imm, X[rs2]);
    if (name === 'bge' && rs2 === 0) return jump(ctx, 'bgez', pc, imm, X[rs1]);
    if (name === 'blt' && rs2 === 0) return jump(ctx, 'bltz', pc, imm, X[rs1]);
    if (name === 'blt' && rs1 === 0) return jump(ctx, 'bgtz', pc, imm, X[rs2]);
  }
  return jump(ctx, name, pc, imm, X[rs1], X[rs2]);
}

function decodeOpImm(
  w: number,
  f3: number,
  rd: number,
  rs1: number,
  imm: number,
  ctx: DecodeContext,
): Decoded | null {
  const a = ctx.aliases;
  switch (f3) {
    case 0:
      if (a && rd === 0 && rs1 === 0 && imm === 0) return op('nop');
      if (a && rs1 === 0) return op('li', X[rd], imm);
      if (a && imm === 0) return op('mv', X[rd], X[rs1]);
      return op(a ? 'add' : 'addi', X[rd], X[rs1], imm);
    case 1:
      // objdump takes a 6-bit shift amount even on RV32.
      return bits(w, 31, 26) === 0 ? op(a ? 'sll' : 'slli', X[rd], X[rs1], hex(bits(w, 25, 20))) : null;
    case 2:
      return op('slti', X[rd], X[rs1], imm);
    case 3:
      if (a && imm === 1) return op('seqz', X[rd], X[rs1]);
      return op('sltiu', X[rd], X[rs1], imm);
    case 4:
      if (a && imm === -1) return op('not', X[rd], X[rs1]);
      return op(a ? 'xor' : 'xori', X[rd], X[rs1], imm);
    case 5: {
      const f6 = bits(w, 31, 26);
      const sh = hex(bits(w, 25, 20));
      if (f6 === 0) return op(a ? 'srl' : 'srli', X[rd], X[rs1], sh);
      if (f6 === 0x10) return op(a ? 'sra' : 'srai', X[rd], X[rs1], sh);
      return null;
    }
    case 6:
      return op(a ? 'or' : 'ori', X[rd], X[rs1], imm);
    default:
      if (a && imm === 255) return op('zext.b', X[rd], X[rs1]);
      return op(a ? 'and' : 'andi', X[rd], X[rs1], imm);
  }
}

const OP_NAMES: Record<number, readonly string[]> = {
  0x00: ['add', 'sll', 'slt', 'sltu', 'xor', 'srl', 'or', 'and'],
  0x01: ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'],
};

function decodeOp(
  f7: number,
  f3: number,
  rd: number,
  rs1: number,
  rs2: number,
  ctx: DecodeContext,
): Decoded | null {
  let name: string | undefined = OP_NAMES[f7]?.[f3];
  if (f7 === 0x20) name = f3 === 0 ? 'sub' : f3 === 5 ? 'sra' : undefined;
  if (!name) return null;
  if (ctx.aliases) {
    if (name === 'sub' && rs1 === 0) return op('neg', X[rd], X[rs2]);
    if (name === 'sltu' && rs1 === 0) return op('snez', X[rd], X[rs2]);
    if (name === 'slt' && rs2 === 0) return op('sltz', X[rd], X[rs1]);
    if (name === 'slt' && rs1 === 0) return op('sgtz', X[rd], X[rs2]);
  }
  return op(name, X[rd], X[rs1], X[rs2]);
}

function fenceSet(v: number): string {
  return v === 0 ? 'unknown' : ['i', 'o', 'r', 'w'].filter((_, i) => v & (8 >> i)).join('');
}

function decodeMiscMem(w: number, f3: number, ctx: DecodeContext): Decoded | null {
  if (f3 === 1) return w >>> 15 === 0 && bits(w, 11, 7) === 0 ? op('fence.i') : null;
  if (f3 !== 0) return null;
  if (w >>> 0 === 0x8330000f) return op('fence.tso');
  const pred = bits(w, 27, 24);
  const succ = bits(w, 23, 20);
  if (bits(w, 31, 28) !== 0 || bits(w, 19, 15) !== 0 || bits(w, 11, 7) !== 0) return null;
  if (ctx.aliases && pred === 15 && succ === 15) return op('fence');
  return op('fence', fenceSet(pred), fenceSet(succ));
}

function decodePrivileged(
  w: number,
  rd: number,
  rs1: number,
  rs2: number,
  f7: number,
  ctx: DecodeContext,
): Decoded | null {
  if (f7 === 0x09 && rd === 0) {
    if (!ctx.aliases) return op('sfence.vma', X[rs1], X[rs2]);
    if (rs2 !== 0) return op('sfence.vma', X[rs1], X[rs2]);
    return rs1 === 0 ? op('sfence.vma') : op('sfence.vma', X[rs1]);
  }
  // sfence.vm (privileged spec 1.9) is still in objdump's table.
  if ((w & 0xfff07fff) >>> 0 === 0x10400073) return rs1 === 0 ? op('sfence.vm') : op('sfence.vm', X[rs1]);
  switch (w >>> 0) {
    case 0x00000073:
      return op('ecall');
    case 0x00100073:
      return op('ebreak');
    case 0x10200073:
      return op('sret');
    case 0x30200073:
      return op('mret');
    case 0x10500073:
      return op('wfi');
    // Older or debug-mode returns objdump still decodes.
    case 0x00200073:
      return op('uret');
    case 0x20200073:
      return op('hret');
    case 0x7b200073:
      return op('dret');
    default:
      return null;
  }
}

const CSR_OPS = [undefined, 'csrrw', 'csrrs', 'csrrc', undefined, 'csrrwi', 'csrrsi', 'csrrci'];

function decodeCsr(w: number, f3: number, rd: number, rs1: number, ctx: DecodeContext): Decoded | null {
  const name = CSR_OPS[f3];
  if (!name) return null;
  const csr = bits(w, 31, 20);
  // csrrw zero,cycle,zero is the canonical illegal instruction.
  if (w >>> 0 === 0xc0001073) return op('unimp');
  const src = f3 >= 5 ? String(rs1) : X[rs1];
  const csrName = ctx.csrs.get(csr) ?? hex(csr);
  if (ctx.aliases) {
    const alias = csrAlias(f3, rd, rs1, csr, csrName, src);
    if (alias) return alias;
  }
  return op(name, X[rd], csrName, src);
}

const COUNTERS: Record<number, string> = {
  0xc00: 'rdcycle',
  0xc01: 'rdtime',
  0xc02: 'rdinstret',
  0xc80: 'rdcycleh',
  0xc81: 'rdtimeh',
  0xc82: 'rdinstreth',
};
const FP_CSRS: Record<number, string> = { 1: 'flags', 2: 'rm', 3: 'csr' };

function csrAlias(
  f3: number,
  rd: number,
  rs1: number,
  csr: number,
  csrName: string,
  src: string,
): Decoded | null {
  const fp = FP_CSRS[csr];
  if (f3 === 2 && rs1 === 0) {
    if (COUNTERS[csr]) return op(COUNTERS[csr], X[rd]);
    if (fp) return op(`fr${fp}`, X[rd]);
    return op('csrr', X[rd], csrName);
  }
  if (fp && (f3 === 1 || (f3 === 5 && csr !== 3))) {
    // objdump drops rd=zero only from the register form.
    if (f3 === 5) return op(`fs${fp}i`, X[rd], src);
    return rd === 0 ? op(`fs${fp}`, src) : op(`fs${fp}`, X[rd], src);
  }
  // The immediate forms print under the register mnemonic (gas accepts both).
  const registerForm = ['csrrw', 'csrrs', 'csrrc'][(f3 & 3) - 1];
  if (rd !== 0) return f3 >= 5 ? op(registerForm, X[rd], csrName, src) : null;
  return op(['csrw', 'csrs', 'csrc'][(f3 & 3) - 1], csrName, src);
}

const AMO_NAMES: Record<number, string> = {
  0x00: 'amoadd.w',
  0x01: 'amoswap.w',
  0x02: 'lr.w',
  0x03: 'sc.w',
  0x04: 'amoxor.w',
  0x08: 'amoor.w',
  0x0c: 'amoand.w',
  0x10: 'amomin.w',
  0x14: 'amomax.w',
  0x18: 'amominu.w',
  0x1c: 'amomaxu.w',
};

function decodeAtomic(w: number, f3: number, rd: number, rs1: number, rs2: number): Decoded | null {
  const name = AMO_NAMES[bits(w, 31, 27)];
  if (f3 !== 2 || !name) return null;
  const order = ['', '.rl', '.aq', '.aqrl'][bits(w, 26, 25)];
  if (name === 'lr.w') return rs2 === 0 ? op(name + order, X[rd], `(${X[rs1]})`) : null;
  return op(name + order, X[rd], X[rs2], `(${X[rs1]})`);
}
