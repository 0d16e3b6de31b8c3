// Expressions: each leaves its value in the primary registers of its class (see abi.ts vclass).

import type { Expr } from '../ast';
import { isUnsigned } from '../types';
import { evalConst } from '../consteval';
import { vclass } from './abi';
import { binop, binopImm, compare, convert, intOperands, narrow, operands } from './arith';
import { genCall } from './call';
import { branchIf, truth } from './cond';
import type { FuncGen } from './func';
import { bitLoad, genAddr, genAssign, genIncDec, genOpAssign, move, shl64, shr64 } from './lvalue';
import { fpEvalInto, pureF } from './fpexpr';
import { evalInto, intConst, pure } from './regexpr';
import { loadSimple } from './simple';
import { genVa } from './va';

export function genExpr(g: FuncGen, e: Expr): void {
  const c = vclass(e.type);
  if (g.opt > 0 && e.k !== 'int' && e.k !== 'float' && (c === 'i' || c === 'l') && e.type.kind !== 'array') {
    // Constant folding: any side-effect-free integer expression the front end can evaluate.
    const k = evalConst(e);
    if (k?.kind === 'int') return genExpr(g, { k: 'int', loc: e.loc, type: e.type, value: k.value });
  }
  if (g.opt > 0 && e.k !== 'float' && (c === 'f' || c === 'd')) {
    const k = evalConst(e);
    if (k?.kind === 'float') return genExpr(g, { k: 'float', loc: e.loc, type: e.type, value: k.value });
  }
  const discard = g.discard;
  g.discard = false;
  if (c === 'i' && e.k !== 'int' && pure(g, e)) return evalInto(g, e, 'a0');
  if ((c === 'f' || c === 'd') && pureF(g, e)) return fpEvalInto(g, e, 'fa0');
  switch (e.k) {
    case 'int':
      g.emit(`li a0, ${Number(BigInt.asIntN(32, e.value))}`);
      if (c === 'l') g.emit(`li a1, ${Number(BigInt.asIntN(32, e.value >> 32n))}`);
      return;
    case 'float': {
      const l = g.unit.fconst(e.value, c === 'f' ? 4 : 8);
      g.emit(`lui t6, %hi(${l})`, `${c === 'f' ? 'flw' : 'fld'} fa0, %lo(${l})(t6)`);
      return;
    }
    case 'str':
    case 'compound':
      return genAddr(g, e);
    case 'var': {
      if (e.sym.isFunction) return g.emit(`la a0, ${e.sym.linkName}`);
      const reg = g.regs.get(e.sym);
      if (reg) return move(g, c, c === 'f' || c === 'd' ? 'fa0' : 'a0', reg);
      if (g.opt > 0 && loadSimple(g, e, c === 'f' || c === 'd' ? 'fa0' : 'a0', 'a1')) return;
      genAddr(g, e);
      return g.load(e.type);
    }
    case 'member':
      genAddr(g, e);
      if (e.member.bitField) return bitLoad(g, e.member);
      return g.load(e.type);
    case 'deref':
      g.expr(e.expr);
      return g.load(e.type);
    case 'addr':
      if (e.expr.k === 'var' && e.expr.sym.isFunction) return g.emit(`la a0, ${e.expr.sym.linkName}`);
      return genAddr(g, e.expr);
    case 'cast':
      g.expr(e.expr);
      return convert(g, e.expr.type, e.type);
    case 'neg':
      g.expr(e.expr);
      if (c === 'f' || c === 'd') return g.emit(`fneg.${c === 'f' ? 's' : 'd'} fa0, fa0`);
      if (c === 'l') return g.emit('snez t0, a0', 'neg a0, a0', 'neg a1, a1', 'sub a1, a1, t0');
      g.emit('neg a0, a0');
      return narrow(g, e.type);
    case 'bitnot':
      g.expr(e.expr);
      if (c === 'l') return g.emit('not a0, a0', 'not a1, a1');
      g.emit('not a0, a0');
      return narrow(g, e.type);
    case 'not': {
      g.expr(e.expr);
      const ci = vclass(e.expr.type);
      if (ci !== 'i' && ci !== 'm') truth(g, ci);
      g.emit(ci !== 'i' && ci !== 'm' ? 'xori a0, a0, 1' : 'seqz a0, a0');
      return;
    }
    case 'binary': {
      const amount = c === 'l' && (e.op === '<<' || e.op === '>>') ? intConst(e.rhs) : null;
      if (g.opt > 0 && amount !== null && vclass(e.lhs.type) === 'l') {
        // 64-bit shift by a constant: straight-line code, no test of the amount.
        g.expr(e.lhs);
        if (e.op === '<<') shl64(g, amount & 63);
        else shr64(g, amount & 63, !isUnsigned(e.lhs.type));
        return;
      }
      if (g.opt > 0 && c === 'i' && e.rhs.k === 'int' && vclass(e.lhs.type) === 'i') {
        g.expr(e.lhs);
        if (binopImm(g, e.op, e.type, e.lhs.type, Number(BigInt.asIntN(32, e.rhs.value))))
          return narrow(g, e.type);
        g.emit(`li t1, ${Number(BigInt.asIntN(32, e.rhs.value))}`);
      } else if (g.opt > 0 && c === 'i' && vclass(e.lhs.type) === 'i' && vclass(e.rhs.type) === 'i') {
        const [l, r] = intOperands(g, e.lhs, e.rhs);
        binop(g, e.op, e.type, e.lhs.type, e.rhs.type, l, r);
        return narrow(g, e.type);
      } else operands(g, e.lhs, e.rhs);
      binop(g, e.op, e.type, e.lhs.type, e.rhs.type);
      if (c === 'i') narrow(g, e.type);
      return;
    }
    case 'compare':
      if (g.opt > 0 && vclass(e.opType) === 'i')
        return compare(g, e.op, e.opType, ...intOperands(g, e.lhs, e.rhs));
      operands(g, e.lhs, e.rhs);
      return compare(g, e.op, e.opType);
    case 'ptrdiff':
      operands(g, e.lhs, e.rhs);
      g.emit('sub a0, a0, t1');
      if (e.elemSize > 1 && (e.elemSize & (e.elemSize - 1)) === 0)
        g.emit(`srai a0, a0, ${Math.log2(e.elemSize)}`);
      else if (e.elemSize !== 1) g.emit(`li t1, ${e.elemSize}`, 'div a0, a0, t1');
      return;
    case 'logand':
    case 'logor': {
      const no = g.newLabel();
      const done = g.newLabel();
      branchIf(g, e, false, no);
      g.emit('li a0, 1', `j ${done}`);
      g.label(no);
      g.emit('li a0, 0');
      g.label(done);
      return;
    }
    case 'cond': {
      const els = g.newLabel();
      const done = g.newLabel();
      branchIf(g, e.cond, false, els);
      g.expr(e.then);
      g.emit(`j ${done}`);
      g.label(els);
      g.expr(e.else);
      g.label(done);
      return;
    }
    case 'comma':
      g.discard = true;
      g.expr(e.lhs);
      g.discard = discard;
      return g.expr(e.rhs);
    case 'assign':
      return genAssign(g, e, discard);
    case 'opassign':
      return genOpAssign(g, e, discard);
    case 'incdec':
      return genIncDec(g, e, discard);
    case 'call':
      return genCall(g, e);
    case 'va_start':
    case 'va_arg':
    case 'va_end':
    case 'va_copy':
      return genVa(g, e);
  }
}
