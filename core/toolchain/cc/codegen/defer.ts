// -O1+: post-increments of register locals inside an expression statement are deferred to the
// end of the statement, so `*d++ = *s++` becomes `*d = *s; d += 1; s += 1` and both sides stay
// pure (no value stack, addresses used in place). Only when the variable is mentioned nowhere
// else in the statement and the increment runs unconditionally (not under &&, ||, ?:): then no
// other part of the statement can observe when the update happens (its address is never taken,
// so calls cannot see it either).

import type { Expr, Sym } from '../ast';
import { vclass } from './abi';
import type { FuncGen } from './func';

export interface Deferred {
  expr: Expr;
  /** Increments to run after `expr`, as discarded prefix incdec expressions. */
  after: Expr[];
}

/** Every variable read or written in `e` (counted), false if `e` has a construct we do not walk. */
function countVars(e: Expr, n: Map<Sym, number>): boolean {
  switch (e.k) {
    case 'var':
      n.set(e.sym, (n.get(e.sym) ?? 0) + 1);
      return true;
    case 'int':
    case 'float':
    case 'str':
      return true;
    case 'compound':
    case 'va_start':
    case 'va_arg':
    case 'va_end':
    case 'va_copy':
      return false;
    case 'call':
      return countVars(e.callee, n) && e.args.every((a) => countVars(a, n));
    case 'cond':
      return countVars(e.cond, n) && countVars(e.then, n) && countVars(e.else, n);
    case 'incdec':
      return countVars(e.lhs, n);
    default:
      if ('lhs' in e && !countVars(e.lhs, n)) return false;
      if ('rhs' in e && !countVars(e.rhs, n)) return false;
      if ('expr' in e && !countVars(e.expr, n)) return false;
      return true;
  }
}

/** Rewrites `e` with eligible post-increments replaced by the variable itself. */
export function deferPostIncs(g: FuncGen, e: Expr): Deferred | null {
  if (g.opt === 0 || e.k === 'incdec') return null;
  const counts = new Map<Sym, number>();
  if (!countVars(e, counts)) return null;
  const after: Expr[] = [];
  const eligible = (x: Expr): boolean =>
    x.k === 'incdec' &&
    !x.prefix &&
    x.lhs.k === 'var' &&
    g.regs.has(x.lhs.sym) &&
    vclass(x.lhs.type) === 'i' &&
    counts.get(x.lhs.sym) === 1;
  const walk = (x: Expr): Expr => {
    if (x.k === 'incdec' && eligible(x)) {
      after.push({ ...x, prefix: true });
      return x.lhs;
    }
    switch (x.k) {
      case 'logand':
      case 'logor':
        return { ...x, lhs: walk(x.lhs) };
      case 'cond':
        return { ...x, cond: walk(x.cond) };
      case 'comma':
        // The left operand is complete before the right one starts: leave both alone.
        return x;
      case 'call':
        return { ...x, callee: walk(x.callee), args: x.args.map(walk) };
      case 'incdec':
        return x;
      default: {
        const y = { ...x } as Expr & { lhs?: Expr; rhs?: Expr; expr?: Expr };
        if (y.lhs) y.lhs = walk(y.lhs);
        if (y.rhs) y.rhs = walk(y.rhs);
        if (y.expr) y.expr = walk(y.expr);
        return y as Expr;
      }
    }
  };
  const expr = walk(e);
  return after.length ? { expr, after } : null;
}
