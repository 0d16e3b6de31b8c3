// Arithmetic, comparisons and conversions on the primary/secondary registers of each value class:
// 32-bit integers inline, 64-bit integers as register pairs (multiplication inline, division via
// the libgcc helpers), float/double with the F/D instructions.

import type { Expr } from '../ast';
import { isUnsigned, sizeOf, type Type } from '../types';
import { vclass, type VClass } from './abi';
import { FuncGen, fits12 } from './func';
import { loadSimple } from './simple';
import { reduceStrength } from './strength';
import { dropEntries } from './vstack';

const isU = (t: Type): boolean => isUnsigned(t) || t.kind === 'ptr';

/** Evaluates lhs into the primary registers and rhs into the secondary ones of its class. */
export function operands(g: FuncGen, lhs: Expr, rhs: Expr): void {
  const cr = vclass(rhs.type);
  const cl = vclass(lhs.type);
  const [r1, r2] = FuncGen.second(cr);
  // Left to right (as GCC does for calls in operands): lhs, then rhs, with lhs on the value stack.
  g.expr(lhs);
  if (g.opt > 0 && loadSimple(g, rhs, r1, r2)) return;
  g.push(cl);
  g.expr(rhs);
  if (cr === 'f') g.emit('fmv.s fa1, fa0');
  else if (cr === 'd') g.emit('fmv.d fa1, fa0');
  else if (cr === 'l') g.emit('mv a2, a0', 'mv a3, a1');
  else g.emit('mv t1, a0');
  g.pop(cl, cl === 'f' || cl === 'd' ? 'fa0' : 'a0', 'a1');
}

/**
 * -O1+ operands of a 32-bit integer operation: returns the registers holding lhs and rhs. When
 * the rhs needs the primary register, the lhs waits in its value-stack register and is used
 * from there (no moves back).
 */
export function intOperands(g: FuncGen, lhs: Expr, rhs: Expr): [string, string] {
  g.expr(lhs);
  if (loadSimple(g, rhs, 't1', '')) return ['a0', 't1'];
  g.push('i');
  const entry = g.vstack[g.vstack.length - 1];
  g.expr(rhs);
  if (entry?.regs) {
    const r = entry.regs[0] as string;
    // Released now: the caller's next instruction reads it before anything takes it again.
    dropEntries(g, 1);
    return [r, 'a0'];
  }
  g.emit('mv t1, a0');
  g.pop('i', 'a0');
  return ['a0', 't1'];
}

const INT_OPS = (u: boolean, lhsU: boolean): Record<string, string> => ({
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': u ? 'divu' : 'div',
  '%': u ? 'remu' : 'rem',
  '&': 'and',
  '|': 'or',
  '^': 'xor',
  '<<': 'sll',
  '>>': lhsU ? 'srl' : 'sra',
});

/** primary = primary op secondary, for an operation of type `t` (lhs type `lt`, rhs type `rt`). */
export function binop(g: FuncGen, op: string, t: Type, lt: Type, rt: Type, l = 'a0', r = 't1'): void {
  const c = vclass(t);
  if (c === 'f' || c === 'd') {
    const m: Record<string, string> = { '+': 'fadd', '-': 'fsub', '*': 'fmul', '/': 'fdiv' };
    g.emit(`${m[op]}.${c === 'f' ? 's' : 'd'} fa0, fa0, fa1`);
    return;
  }
  if (c === 'l') return binop64(g, op, t, lt, rt);
  const amt = vclass(rt) === 'l' && (op === '<<' || op === '>>') ? 'a2' : 't1';
  g.emit(`${INT_OPS(isU(t), isU(lt))[op]} a0, ${l}, ${amt === 't1' ? r : amt}`);
}

/** Immediate form of an integer operation, if one exists (-O1+). */
export function binopImm(g: FuncGen, op: string, t: Type, lt: Type, v: number, r = 'a0', src = r): boolean {
  const m: Record<string, string> = { '+': 'addi', '&': 'andi', '|': 'ori', '^': 'xori', '<<': 'slli' };
  if (op === '>>') m['>>'] = isU(lt) ? 'srli' : 'srai';
  if (op === '-' && fits12(-v)) {
    g.emit(`addi ${r}, ${src}, ${-v}`);
    return true;
  }
  if ((op === '*' || op === '/' || op === '%') && sizeOf(t) === 4)
    return reduceStrength(g, op, isU(t), v, r, src);
  if (op === '+' && v === 0) {
    if (r !== src) g.emit(`mv ${r}, ${src}`);
    return true;
  }
  const ins = m[op];
  if (!ins) return false;
  if (op === '<<' || op === '>>') {
    g.emit(`${ins} ${r}, ${src}, ${v & 31}`);
    return true;
  }
  if (!fits12(v)) return false;
  g.emit(`${ins} ${r}, ${src}, ${v}`);
  return true;
}

function binop64(g: FuncGen, op: string, t: Type, lt: Type, rt: Type): void {
  const u = isU(t);
  switch (op) {
    case '+':
      g.emit('add a0, a0, a2', 'sltu t0, a0, a2', 'add a1, a1, a3', 'add a1, a1, t0');
      return;
    case '-':
      g.emit('sltu t0, a0, a2', 'sub a0, a0, a2', 'sub a1, a1, a3', 'sub a1, a1, t0');
      return;
    case '*':
      g.emit('mul t0, a0, a3', 'mul t1, a1, a2', 'mulhu t2, a0, a2', 'mul a0, a0, a2');
      g.emit('add a1, t0, t1', 'add a1, a1, t2');
      return;
    case '&':
    case '|':
    case '^': {
      const ins = op === '&' ? 'and' : op === '|' ? 'or' : 'xor';
      g.emit(`${ins} a0, a0, a2`, `${ins} a1, a1, a3`);
      return;
    }
    case '/':
    case '%':
      g.emit(`call __${u ? 'u' : ''}${op === '/' ? 'div' : 'mod'}di3`);
      return;
    case '<<':
    case '>>':
      return shift64(g, op, isU(lt), vclass(rt) === 'l' ? 'a2' : 't1');
  }
}

/** 64-bit shift of a0:a1 by the amount in `n` (0..63). */
function shift64(g: FuncGen, op: string, unsigned: boolean, n: string): void {
  const big = g.newLabel();
  const done = g.newLabel();
  g.emit(`andi t1, ${n}, 63`, 'addi t0, t1, -32', `bgez t0, ${big}`);
  // n < 32: the bits crossing words move via (x >> 1) >> (31 - n), which is right for n = 0.
  g.emit('not t2, t1');
  if (op === '<<') {
    g.emit('srli t3, a0, 1', 'srl t3, t3, t2', 'sll a1, a1, t1', 'or a1, a1, t3', 'sll a0, a0, t1');
  } else {
    g.emit('slli t3, a1, 1', 'sll t3, t3, t2', 'srl a0, a0, t1', 'or a0, a0, t3');
    g.emit(`${unsigned ? 'srl' : 'sra'} a1, a1, t1`);
  }
  g.emit(`j ${done}`);
  g.label(big);
  if (op === '<<') g.emit('sll a1, a0, t0', 'li a0, 0');
  else if (unsigned) g.emit('srl a0, a1, t0', 'li a1, 0');
  else g.emit('sra a0, a1, t0', 'srai a1, a1, 31');
  g.label(done);
}

/** a0 = (primary op secondary) as 0/1, comparing values of type `t`. */
export function compare(g: FuncGen, op: string, t: Type, l = 'a0', r = 't1'): void {
  const c = vclass(t);
  if (c === 'f' || c === 'd') {
    const s = c === 'f' ? 's' : 'd';
    if (op === '==' || op === '!=') {
      g.emit(`feq.${s} a0, fa0, fa1`);
      if (op === '!=') g.emit('xori a0, a0, 1');
    } else if (op === '<') g.emit(`flt.${s} a0, fa0, fa1`);
    else if (op === '<=') g.emit(`fle.${s} a0, fa0, fa1`);
    else if (op === '>') g.emit(`flt.${s} a0, fa1, fa0`);
    else g.emit(`fle.${s} a0, fa1, fa0`);
    return;
  }
  if (c === 'l') {
    if (op === '==' || op === '!=') {
      g.emit('xor t0, a0, a2', 'xor t1, a1, a3', 'or a0, t0, t1');
      g.emit(op === '==' ? 'seqz a0, a0' : 'snez a0, a0');
      return;
    }
    // less(x, y) = hi(x) < hi(y) || (hi(x) == hi(y) && lo(x) <u lo(y)).
    const slt = isU(t) ? 'sltu' : 'slt';
    const [x, y] =
      op === '<' || op === '>='
        ? [
            ['a0', 'a1'],
            ['a2', 'a3'],
          ]
        : [
            ['a2', 'a3'],
            ['a0', 'a1'],
          ];
    g.emit(`${slt} t0, ${x[1]}, ${y[1]}`, `xor t1, ${x[1]}, ${y[1]}`, 'seqz t1, t1');
    g.emit(`sltu t2, ${x[0]}, ${y[0]}`, 'and t1, t1, t2', 'or a0, t0, t1');
    if (op === '<=' || op === '>=') g.emit('xori a0, a0, 1');
    return;
  }
  const slt = isU(t) ? 'sltu' : 'slt';
  if (op === '==' || op === '!=') {
    g.emit(`sub a0, ${l}, ${r}`);
    g.emit(op === '==' ? 'seqz a0, a0' : 'snez a0, a0');
  } else if (op === '<') g.emit(`${slt} a0, ${l}, ${r}`);
  else if (op === '>') g.emit(`${slt} a0, ${r}, ${l}`);
  else {
    g.emit(op === '<=' ? `${slt} a0, ${r}, ${l}` : `${slt} a0, ${l}, ${r}`);
    g.emit('xori a0, a0, 1');
  }
}

/** Normalises a 32-bit value in `r` (default a0) to integer type `t` (truncation with extension). */
export function narrow(g: FuncGen, t: Type, r = 'a0'): void {
  if (t.kind === 'bool') g.emit(`snez ${r}, ${r}`);
  else if (sizeOf(t) < 4 && t.kind !== 'ptr') {
    if (t.kind === 'uchar' || t.kind === 'char') return g.emit(`andi ${r}, ${r}, 255`);
    const sh = 32 - sizeOf(t) * 8;
    g.emit(`slli ${r}, ${r}, ${sh}`, `${isUnsigned(t) ? 'srli' : 'srai'} ${r}, ${r}, ${sh}`);
  }
}

/** Converts the primary value from type `from` to type `to`. */
export function convert(g: FuncGen, from: Type, to: Type): void {
  const a = vclass(from);
  const b = vclass(to);
  if (b === 'v' || b === 'm') return;
  const fs = (c: VClass): string => (c === 'f' ? 's' : 'd');
  const fsuf = (c: VClass): string => (c === 'f' ? 'sf' : 'df');
  if (a === 'i' || a === 'm') {
    if (b === 'i') return narrow(g, to);
    if (b === 'l') return g.emit(isU(from) ? 'li a1, 0' : 'srai a1, a0, 31');
    return g.emit(`fcvt.${fs(b)}.${isU(from) ? 'wu' : 'w'} fa0, a0`);
  }
  if (a === 'l') {
    if (b === 'l') return;
    if (b === 'i') {
      if (to.kind === 'bool') return g.emit('or a0, a0, a1', 'snez a0, a0');
      return narrow(g, to);
    }
    return g.emit(`call __float${isU(from) ? 'un' : ''}di${fsuf(b)}`);
  }
  // From float/double.
  if (b === 'f' || b === 'd') {
    if (a !== b) g.emit(`fcvt.${fs(b)}.${fs(a)} fa0, fa0`);
    return;
  }
  if (to.kind === 'bool') {
    g.emit(`fcvt.${fs(a)}.w ft0, zero`, `feq.${fs(a)} a0, fa0, ft0`, 'xori a0, a0, 1');
    return;
  }
  if (b === 'l') return g.emit(`call __fix${isU(to) ? 'uns' : ''}${fsuf(a)}di`);
  g.emit(`fcvt.${isU(to) ? 'wu' : 'w'}.${fs(a)} a0, fa0, rtz`);
  narrow(g, to);
}
