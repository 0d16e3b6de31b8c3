// Conditions: branch on the truth of an expression of any scalar class, with short-circuit
// && / || / ! and direct compare-and-branch for integer comparisons.

import type { Expr } from '../ast';
import { sizeOf } from '../types';
import { vclass } from './abi';
import { intOperands, operands } from './arith';
import { fpOperand, pureF } from './fpexpr';
import { operandReg, pure } from './regexpr';
import type { FuncGen } from './func';

/** Leaves 0/1 in a0: whether the primary value (of class `c`) is non-zero. */
export function truth(g: FuncGen, c: string): void {
  if (c === 'l') {
    g.emit('or a0, a0, a1');
    g.emit('snez a0, a0');
  } else if (c === 'f' || c === 'd') {
    const s = c === 'f' ? 's' : 'd';
    g.emit(`fcvt.${s}.w ft0, zero`);
    g.emit(`feq.${s} a0, fa0, ft0`);
    g.emit('xori a0, a0, 1');
  } else g.emit('snez a0, a0');
}

const BR: Record<string, [string, boolean]> = {
  '==': ['beq', false],
  '!=': ['bne', false],
  '<': ['blt', false],
  '>=': ['bge', false],
  '>': ['blt', true],
  '<=': ['bge', true],
};
const NEG: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

/** A post-increment of a 32-bit register local by a small step (its old value is tested). */
export function countDown(g: FuncGen, e: Expr & { k: 'incdec' }): boolean {
  return (
    g.opt > 0 &&
    e.lhs.k === 'var' &&
    g.regs.has(e.lhs.sym) &&
    vclass(e.lhs.type) === 'i' &&
    sizeOf(e.lhs.type) === 4 &&
    e.lhs.type.kind !== 'bool' &&
    Math.abs(e.delta) < 2048
  );
}

/** Jumps to `target` when the truth of `e` equals `when`, else falls through. */
export function branchIf(g: FuncGen, e: Expr, when: boolean, target: string): void {
  if (e.k === 'not') return branchIf(g, e.expr, !when, target);
  if (e.k === 'logand' || e.k === 'logor') {
    // a && b jumps when true only if both are; when false if either is.
    const isAnd = e.k === 'logand';
    if (isAnd !== when) {
      branchIf(g, e.lhs, when, target);
      branchIf(g, e.rhs, when, target);
    } else {
      const skip = g.newLabel();
      branchIf(g, e.lhs, !when, skip);
      branchIf(g, e.rhs, when, target);
      g.label(skip);
    }
    return;
  }
  if (e.k === 'int') {
    if ((e.value !== 0n) === when) g.emit(`j ${target}`);
    return;
  }
  if (e.k === 'incdec' && !e.prefix && countDown(g, e)) {
    // while (n--): step first; the old value was zero exactly when the new one is the step.
    const r = g.regs.get((e.lhs as Expr & { k: 'var' }).sym) as string;
    g.emit(`addi ${r}, ${r}, ${e.delta}`);
    const k = g.constRegs.get(e.delta) ?? 't0';
    if (k === 't0') g.emit(`li t0, ${e.delta}`);
    g.emit(`${when ? 'bne' : 'beq'} ${r}, ${k}, ${target}`);
    return;
  }
  if (e.k === 'compare' && vclass(e.opType) === 'i') {
    const op = when ? e.op : (NEG[e.op] as string);
    const u =
      e.opType.kind === 'ptr' || ['uint', 'ulong', 'ushort', 'uchar', 'char', 'bool'].includes(e.opType.kind);
    let a = 'a0';
    let b = 't1';
    if (pure(g, e.lhs) && pure(g, e.rhs)) {
      a = operandReg(g, e.lhs, 'a0');
      b = operandReg(g, e.rhs, 't1', [a]);
    } else if (g.opt > 0) [a, b] = intOperands(g, e.lhs, e.rhs);
    else operands(g, e.lhs, e.rhs);
    const [ins, swap] = BR[op] as [string, boolean];
    const name = u && (ins === 'blt' || ins === 'bge') ? `${ins}u` : ins;
    g.emit(swap ? `${name} ${b}, ${a}, ${target}` : `${name} ${a}, ${b}, ${target}`);
    return;
  }
  if (
    e.k === 'compare' &&
    (vclass(e.opType) === 'f' || vclass(e.opType) === 'd') &&
    pureF(g, e.lhs) &&
    pureF(g, e.rhs)
  ) {
    // No negated compare for floating point (NaN): compute the relation, then branch on it.
    const s = vclass(e.opType) === 'f' ? 's' : 'd';
    const a = fpOperand(g, e.lhs, 'ft1');
    const b = fpOperand(g, e.rhs, 'ft2', [a]);
    const [ins, x, y] =
      e.op === '<'
        ? ['flt', a, b]
        : e.op === '>'
          ? ['flt', b, a]
          : e.op === '<='
            ? ['fle', a, b]
            : e.op === '>='
              ? ['fle', b, a]
              : ['feq', a, b];
    g.emit(`${ins}.${s} t0, ${x}, ${y}`);
    g.emit(`${when === (e.op !== '!=') ? 'bnez' : 'beqz'} t0, ${target}`);
    return;
  }
  if (vclass(e.type) === 'i' && pure(g, e)) {
    g.emit(`${when ? 'bnez' : 'beqz'} ${operandReg(g, e, 'a0')}, ${target}`);
    return;
  }
  g.expr(e);
  const c = vclass(e.type);
  if (c !== 'i' && c !== 'm') truth(g, c);
  g.emit(`${when ? 'bnez' : 'beqz'} a0, ${target}`);
}
