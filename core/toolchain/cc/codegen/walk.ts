// The sub-expressions of an expression, in evaluation order: the one place that knows which
// fields of each node kind hold operands, for the -O1+ analyses that walk whole expressions.

import type { Expr } from '../ast';

/** Calls `fn` on each direct operand of `e` (a compound literal's initializer values included). */
export function forEachOperand(e: Expr, fn: (x: Expr) => void): void {
  switch (e.k) {
    case 'call':
      fn(e.callee);
      for (const a of e.args) fn(a);
      return;
    case 'cond':
      fn(e.cond);
      fn(e.then);
      fn(e.else);
      return;
    case 'incdec':
      fn(e.lhs);
      return;
    case 'va_start':
    case 'va_arg':
    case 'va_end':
      fn(e.ap);
      return;
    case 'va_copy':
      fn(e.dst);
      fn(e.src);
      return;
    case 'compound':
      for (const it of e.sym.init?.items ?? []) fn(it.expr);
      return;
    default:
      if ('lhs' in e) fn(e.lhs);
      if ('rhs' in e) fn(e.rhs);
      if ('expr' in e) fn(e.expr);
  }
}
