// Lvalues: addresses, bit-field access, and assignment forms (=, op=, ++/--) for every value class,
// including locals that live in registers at -O1+.

import type { Expr } from '../ast';
import { isRecord, isUnsigned, sizeOf, type Member } from '../types';
import { vclass, type VClass } from './abi';
import { binop, binopImm, convert, narrow } from './arith';
import { strLabel } from './data';
import type { FuncGen } from './func';
import { fpEvalInto, fpOperand, pureF } from './fpexpr';
import { evalInto, intConst, lvalueAddr, mentions, operandReg, pure, pureAddr } from './regexpr';
import { initLocal } from './stmt';
import { readEntry, type Entry } from './vstack';

/** Leaves the address of lvalue `e` in a0. */
export function genAddr(g: FuncGen, e: Expr): void {
  switch (e.k) {
    case 'var':
      if (g.regs.has(e.sym)) g.unsupported('taking the address of a register local');
      if (e.sym.isLocal && e.sym.storage !== 'static') g.addi('a0', 's0', g.slot(e.sym));
      else if (g.globAddr.has(e.sym)) g.emit(`mv a0, ${g.globAddr.get(e.sym)}`);
      else g.emit(`la a0, ${e.sym.linkName}`);
      return;
    case 'deref':
      return g.expr(e.expr);
    case 'member':
      genAddr(g, e.expr);
      if (e.member.offset) g.addi('a0', 'a0', e.member.offset);
      return;
    case 'str':
      g.emit(`la a0, ${strLabel(e.str)}`);
      return;
    case 'compound':
      if (e.sym.storage === 'static') g.emit(`la a0, ${e.sym.linkName}`);
      else {
        initLocal(g, e.sym);
        g.addi('a0', 's0', g.slot(e.sym));
      }
      return;
    case 'comma':
      g.expr(e.lhs);
      return genAddr(g, e.rhs);
    default:
      // Struct-valued calls, conditionals, assignments and va_arg leave an address in a0.
      if (isRecord(e.type) || e.type.kind === 'array') return g.expr(e);
      g.unsupported(`taking the address of '${e.k}'`);
  }
}

const uload = (size: number): string => (size === 1 ? 'lbu' : size === 2 ? 'lhu' : 'lw');

/** a0 = the bit-field `m` of the storage unit at the address in a0. */
export function bitLoad(g: FuncGen, m: Member): void {
  const bf = m.bitField as { width: number; bitOffset: number };
  if (sizeOf(m.type) > 4) {
    g.emit('lw a1, 4(a0)', 'lw a0, 0(a0)');
    shl64(g, 64 - bf.bitOffset - bf.width);
    return shr64(g, 64 - bf.width, !isUnsigned(m.type));
  }
  g.emit(`${uload(sizeOf(m.type))} a0, 0(a0)`);
  g.emit(`slli a0, a0, ${32 - bf.bitOffset - bf.width}`);
  g.emit(`${isUnsigned(m.type) ? 'srli' : 'srai'} a0, a0, ${32 - bf.width}`);
}

/** Stores a0 into bit-field `m` of the unit at address `at`; a0 becomes the new field value. */
export function storeBitField(g: FuncGen, m: Member, at = 't1'): void {
  const { width, bitOffset } = m.bitField as { width: number; bitOffset: number };
  if (sizeOf(m.type) > 4) return storeBitField64(g, m, at, width, bitOffset);
  const size = sizeOf(m.type);
  const mask = ((2 ** width - 1) * 2 ** bitOffset) >>> 0;
  g.emit(`${uload(size)} t2, 0(${at})`, `li t6, ${mask | 0}`, 'not t4, t6', 'and t2, t2, t4');
  g.emit(`slli t4, a0, ${bitOffset}`, 'and t4, t4, t6', 'or t2, t2, t4');
  g.emit(`${size === 1 ? 'sb' : size === 2 ? 'sh' : 'sw'} t2, 0(${at})`);
  g.emit(`slli a0, a0, ${32 - width}`, `${isUnsigned(m.type) ? 'srli' : 'srai'} a0, a0, ${32 - width}`);
}

/** a0:a1 <<= n (constant; t0 scratch). */
export function shl64(g: FuncGen, n: number): void {
  if (n <= 0) return;
  if (n >= 32) g.emit(`slli a1, a0, ${n - 32}`, 'li a0, 0');
  else g.emit(`srli t0, a0, ${32 - n}`, `slli a1, a1, ${n}`, 'or a1, a1, t0', `slli a0, a0, ${n}`);
}

/** a0:a1 >>= n (constant; arithmetic when `signed`; t0 scratch). */
export function shr64(g: FuncGen, n: number, signed: boolean): void {
  if (n <= 0) return;
  const sr = signed ? 'srai' : 'srli';
  if (n >= 32) g.emit(`${sr} a0, a1, ${n - 32}`, signed ? 'srai a1, a1, 31' : 'li a1, 0');
  else g.emit(`slli t0, a1, ${32 - n}`, `srli a0, a0, ${n}`, 'or a0, a0, t0', `${sr} a1, a1, ${n}`);
}

/** 64-bit bit-field store of a0:a1 at `at` (scratch t0, t2, t6); a0:a1 become the field value. */
function storeBitField64(g: FuncGen, m: Member, at: string, width: number, bitOffset: number): void {
  const mask = ((1n << BigInt(width)) - 1n) << BigInt(bitOffset);
  shl64(g, bitOffset);
  for (const [reg, off, word] of [
    ['a0', 0, mask & 0xffffffffn],
    ['a1', 4, mask >> 32n],
  ] as const) {
    g.emit(`li t0, ${Number(BigInt.asIntN(32, word))}`, `lw t2, ${off}(${at})`, `and t6, ${reg}, t0`);
    g.emit('not t0, t0', 'and t2, t2, t0', 'or t2, t2, t6', `sw t2, ${off}(${at})`);
  }
  shl64(g, 64 - bitOffset - width);
  shr64(g, 64 - width, !isUnsigned(m.type));
}

const isBit = (e: Expr): e is Expr & { k: 'member' } => e.k === 'member' && !!e.member.bitField;

/** Register-to-register move for a value class. */
export function move(g: FuncGen, c: VClass, dst: string, src: string): void {
  if (dst === src) return;
  g.emit(c === 'f' ? `fmv.s ${dst}, ${src}` : c === 'd' ? `fmv.d ${dst}, ${src}` : `mv ${dst}, ${src}`);
}

const primary = (c: VClass): string => (c === 'f' || c === 'd' ? 'fa0' : 'a0');

/** Plain variable in memory: store the primary value straight to it (no address on the stack). */
function storeVar(g: FuncGen, e: Expr & { k: 'var' }): void {
  const t = e.type;
  if (e.sym.isLocal && e.sym.storage !== 'static') {
    if (isRecord(t)) {
      g.addi('t1', 's0', g.slot(e.sym));
      g.store(t, 't1');
      g.emit('mv a0, t1');
    } else g.store(t, 's0', g.slot(e.sym));
    return;
  }
  const at = g.globAddr.get(e.sym);
  if (at && !isRecord(t)) return g.store(t, at);
  g.emit(`lui t1, %hi(${e.sym.linkName})`, `addi t1, t1, %lo(${e.sym.linkName})`);
  g.store(t, 't1');
  if (isRecord(t)) g.emit('mv a0, t1');
}

export function genAssign(g: FuncGen, e: Expr & { k: 'assign' }, discard = false): void {
  const lhs = e.lhs;
  const c = vclass(lhs.type);
  if (lhs.k === 'var') {
    const reg = g.regs.get(lhs.sym);
    if (reg && c === 'i' && pure(g, e.rhs)) {
      if (mentions(e.rhs, lhs.sym)) {
        evalInto(g, e.rhs, 'a0');
        g.emit(`mv ${reg}, a0`);
      } else {
        evalInto(g, e.rhs, reg);
        if (!discard) g.emit(`mv a0, ${reg}`);
      }
      return;
    }
    if (reg && (c === 'f' || c === 'd') && pureF(g, e.rhs)) {
      const sx = c === 'f' ? 's' : 'd';
      if (mentions(e.rhs, lhs.sym)) {
        fpEvalInto(g, e.rhs, 'fa0');
        g.emit(`fmv.${sx} ${reg}, fa0`);
      } else {
        fpEvalInto(g, e.rhs, reg);
        if (!discard) g.emit(`fmv.${sx} fa0, ${reg}`);
      }
      return;
    }
    if (reg) {
      g.expr(e.rhs);
      return move(g, c, reg, primary(c));
    }
    if (g.opt > 0 && !lhs.sym.asmReg) {
      g.expr(e.rhs);
      return storeVar(g, lhs);
    }
  }
  if (pureAddr(g, lhs)) {
    // The address has no side effects: value first, then the address straight into registers.
    if (c === 'i' && !isBit(lhs) && intConst(e.rhs) === 0 && discard) {
      const [base, off] = lvalueAddr(g, lhs, 't1', []);
      const size = sizeOf(lhs.type);
      return g.mem(size === 1 ? 'sb' : size === 2 ? 'sh' : 'sw', 'zero', off, base);
    }
    if (c === 'i' && !isBit(lhs) && pure(g, e.rhs)) {
      // The value straight from its register (a register local, or evaluated into a0).
      const v = operandReg(g, e.rhs, 'a0');
      const [base, off] = lvalueAddr(g, lhs, 't1', [v, 'a0']);
      const size = sizeOf(lhs.type);
      g.mem(size === 1 ? 'sb' : size === 2 ? 'sh' : 'sw', v, off, base);
      if (!discard && v !== 'a0') g.emit(`mv a0, ${v}`);
      return;
    }
    if ((c === 'f' || c === 'd') && pureF(g, e.rhs)) {
      const v = fpOperand(g, e.rhs, 'fa0');
      const [base, off] = lvalueAddr(g, lhs, 't1', []);
      g.mem(c === 'f' ? 'fsw' : 'fsd', v, off, base);
      if (!discard) move(g, c, 'fa0', v);
      return;
    }
    g.expr(e.rhs);
    const [base, off] = lvalueAddr(g, lhs, 't1', ['a0', 'a1']);
    if (isBit(lhs) || c === 'm') {
      g.addi('t1', base, off);
      if (isBit(lhs)) return storeBitField(g, lhs.member);
      g.store(lhs.type, 't1');
      g.emit('mv a0, t1');
    } else g.store(lhs.type, base, off);
    return;
  }
  genAddr(g, lhs);
  g.push('i');
  g.expr(e.rhs);
  g.pop('i', 't1');
  if (isBit(lhs)) return storeBitField(g, lhs.member);
  g.store(lhs.type, 't1');
  if (c === 'm') g.emit('mv a0, t1');
}

/** Loads the current value of lvalue `lhs` whose address is in `at` (or which lives in a register). */
function loadLvalue(g: FuncGen, lhs: Expr, at: string): void {
  if (lhs.k === 'var' && g.regs.has(lhs.sym)) {
    const c = vclass(lhs.type);
    return move(g, c, primary(c), g.regs.get(lhs.sym) as string);
  }
  if (isBit(lhs)) {
    g.emit(`mv a0, ${at}`);
    return bitLoad(g, lhs.member);
  }
  g.load(lhs.type, at);
}

/** Stores the primary value (of lhs's type) into `lhs` (address in `at` unless it is a register). */
function storeLvalue(g: FuncGen, lhs: Expr, at: string): void {
  if (lhs.k === 'var' && g.regs.has(lhs.sym)) {
    const c = vclass(lhs.type);
    return move(g, c, g.regs.get(lhs.sym) as string, primary(c));
  }
  if (isBit(lhs)) return storeBitField(g, lhs.member, at);
  g.store(lhs.type, at);
}

/** A register holding the address of pure lvalue `lhs` (t3, or a register local's own register). */
function addrReg(g: FuncGen, lhs: Expr, busy: string[]): string {
  const [base, off] = lvalueAddr(g, lhs, 't3', busy);
  if (off === 0 && base !== 's0') return base;
  g.addi('t3', base, off);
  return 't3';
}

const inReg = (g: FuncGen, e: Expr): boolean => e.k === 'var' && g.regs.has(e.sym);

export function genOpAssign(g: FuncGen, e: Expr & { k: 'opassign' }, discard = false): void {
  const { lhs, rhs, opType } = e;
  const co = vclass(opType);
  const cr = vclass(rhs.type);
  const reg = inReg(g, lhs);
  if (reg && co === 'i' && cr === 'i' && vclass(lhs.type) === 'i' && pure(g, rhs)) {
    const r = g.regs.get((lhs as Expr & { k: 'var' }).sym) as string;
    const v = intConst(rhs);
    if (v === null || !binopImm(g, e.op, opType, opType, v, r)) {
      const x = operandReg(g, rhs, 't1');
      const u = isUnsigned(opType) || opType.kind === 'ptr';
      const ins: Record<string, string> = {
        '+': 'add',
        '-': 'sub',
        '*': 'mul',
        '/': u ? 'divu' : 'div',
        '%': u ? 'remu' : 'rem',
        '&': 'and',
        '|': 'or',
        '^': 'xor',
        '<<': 'sll',
        '>>': u ? 'srl' : 'sra',
      };
      g.emit(`${ins[e.op]} ${r}, ${r}, ${x}`);
    }
    narrow(g, lhs.type, r);
    if (!discard) g.emit(`mv a0, ${r}`);
    return;
  }
  const imm = g.opt > 0 && co === 'i' && rhs.k === 'int' && vclass(lhs.type) === 'i';
  if (
    reg &&
    (co === 'f' || co === 'd') &&
    co === cr &&
    co === vclass(lhs.type) &&
    e.op !== '%' &&
    pureF(g, rhs)
  ) {
    const r = g.regs.get((lhs as Expr & { k: 'var' }).sym) as string;
    const m: Record<string, string> = { '+': 'fadd', '-': 'fsub', '*': 'fmul', '/': 'fdiv' };
    const sx = co === 'f' ? 's' : 'd';
    g.emit(`${m[e.op]}.${sx} ${r}, ${r}, ${fpOperand(g, rhs, 'ft1')}`);
    if (!discard) g.emit(`fmv.${sx} fa0, ${r}`);
    return;
  }
  const cl = vclass(lhs.type);
  if (!reg && pureAddr(g, lhs) && co !== 'l' && cr !== 'l' && cl !== 'l' && co !== 'm') {
    g.expr(rhs);
    g.emit(cr === 'f' ? 'fmv.s fa1, fa0' : cr === 'd' ? 'fmv.d fa1, fa0' : 'mv t1, a0');
    const at = addrReg(g, lhs, ['t1']);
    loadLvalue(g, lhs, at);
    convert(g, lhs.type, opType);
    binop(g, e.op, opType, opType, rhs.type);
    convert(g, opType, lhs.type);
    return storeLvalue(g, lhs, at);
  }
  if (!reg) {
    genAddr(g, lhs);
    g.push('i');
    g.emit('mv t3, a0');
  }
  if (imm) {
    loadLvalue(g, lhs, 't3');
    convert(g, lhs.type, opType);
    if (!binopImm(g, e.op, opType, opType, Number(BigInt.asIntN(32, (rhs as { value: bigint }).value)))) {
      g.emit(`li t1, ${Number(BigInt.asIntN(32, (rhs as { value: bigint }).value))}`);
      binop(g, e.op, opType, opType, rhs.type);
    }
  } else {
    g.expr(rhs);
    g.push(cr);
    if (!reg) readEntry(g, g.vstack[g.vstack.length - 2] as Entry, 't3');
    loadLvalue(g, lhs, 't3');
    convert(g, lhs.type, opType);
    const [r1, r2] = cr === 'l' ? ['a2', 'a3'] : cr === 'f' || cr === 'd' ? ['fa1', ''] : ['t1', ''];
    g.pop(cr, r1, r2);
    binop(g, e.op, opType, opType, rhs.type);
  }
  convert(g, opType, lhs.type);
  if (!reg) g.pop('i', 't3');
  storeLvalue(g, lhs, 't3');
}

export function genIncDec(g: FuncGen, e: Expr & { k: 'incdec' }, discard = false): void {
  const lhs = e.lhs;
  const c = vclass(lhs.type);
  if (c === 'i' && inReg(g, lhs)) {
    const r = g.regs.get((lhs as Expr & { k: 'var' }).sym) as string;
    if (!discard && !e.prefix) g.emit(`mv a0, ${r}`);
    if (Math.abs(e.delta) < 2048) g.emit(`addi ${r}, ${r}, ${e.delta}`);
    else g.emit(`li t1, ${e.delta}`, `add ${r}, ${r}, t1`);
    narrow(g, lhs.type, r);
    if (!discard && e.prefix) g.emit(`mv a0, ${r}`);
    return;
  }
  let at = 't3';
  if (!inReg(g, lhs) && pureAddr(g, lhs)) at = addrReg(g, lhs, []);
  else if (!inReg(g, lhs)) {
    genAddr(g, lhs);
    g.emit('mv t3, a0');
  }
  loadLvalue(g, lhs, at);
  // Keep the old value: t5 (t4:t5 for 64-bit), ft1 for floating point.
  if (c === 'f' || c === 'd') {
    const s = c === 'f' ? 's' : 'd';
    g.emit(`fmv.${s} ft1, fa0`);
    const one = g.unit.fconst(Math.abs(e.delta), c === 'f' ? 4 : 8);
    g.emit(`lui t6, %hi(${one})`, `${c === 'f' ? 'flw' : 'fld'} fa1, %lo(${one})(t6)`);
    g.emit(`${e.delta < 0 ? 'fsub' : 'fadd'}.${s} fa0, fa0, fa1`);
  } else if (c === 'l') {
    g.emit('mv t4, a0', 'mv t5, a1', `li a2, ${e.delta}`, `li a3, ${e.delta < 0 ? -1 : 0}`);
    binop(g, '+', lhs.type, lhs.type, lhs.type);
  } else {
    g.emit('mv t5, a0');
    if (Math.abs(e.delta) < 2048) g.emit(`addi a0, a0, ${e.delta}`);
    else g.emit(`li t1, ${e.delta}`, 'add a0, a0, t1');
    narrow(g, e.type);
  }
  storeLvalue(g, lhs, at);
  if (e.prefix) return;
  if (c === 'f' || c === 'd') g.emit(`fmv.${c === 'f' ? 's' : 'd'} fa0, ft1`);
  else if (c === 'l') g.emit('mv a0, t4', 'mv a1, t5');
  else g.emit('mv a0, t5');
}
