// Implicit conversions made explicit (C11 6.3): lvalue conversion and decay, promotions, usual
// arithmetic conversions, and the assignment constraints of 6.5.16.1 with GCC's diagnostics.

import type { Expr, Sym } from './ast';
import type { State } from './state';
import type { Loc } from './token';
import {
  T,
  commonType,
  compatible,
  isArith,
  isInteger,
  isRecord,
  promote,
  ptrTo,
  typeName,
  unqual,
  type Type,
} from './types';

/** Stands for an erroneous expression: an int lvalue, so that no follow-on errors are reported. */
const ERROR_SYM: Sym = {
  name: '<error>',
  type: T.int,
  storage: 'auto',
  loc: { file: '', line: 0, col: 0 },
  isLocal: true,
  isFunction: false,
  defined: true,
  linkName: '<error>',
  used: true,
  id: 0,
};
export const bad = (loc: Loc): Expr => ({ k: 'var', loc, type: T.int, sym: ERROR_SYM });
export const isBad = (e: Expr): boolean => e.k === 'var' && e.sym === ERROR_SYM;

export function mkCast(e: Expr, to: Type): Expr {
  const a = unqual(e.type);
  const b = unqual(to);
  if (
    a.kind === b.kind &&
    a.kind !== 'ptr' &&
    a.kind !== 'struct' &&
    a.kind !== 'union' &&
    !(isInteger(a) && a.enumTag)
  ) {
    return e;
  }
  if (a.kind === 'ptr' && b.kind === 'ptr' && compatible(a, b, true)) return { ...e, type: b };
  return { k: 'cast', loc: e.loc, type: b, expr: e };
}

export function isLvalue(e: Expr): boolean {
  switch (e.k) {
    case 'var':
      return !e.sym.isFunction && e.sym.storage !== 'enumconst';
    case 'deref':
    case 'str':
    case 'compound':
      return true;
    case 'member':
      return e.expr.k === 'deref' || isLvalue(e.expr);
    default:
      return false;
  }
}

/** Lvalue conversion and array/function decay (6.3.2.1). */
export function rvalue(e: Expr): Expr {
  if (e.type.kind === 'array') return { k: 'addr', loc: e.loc, type: ptrTo(e.type.base), expr: e };
  if (e.type.kind === 'func') return { k: 'addr', loc: e.loc, type: ptrTo(e.type), expr: e };
  if (e.type.const || e.type.volatile || e.type.restrict) return { ...e, type: unqual(e.type) };
  return e;
}

/** rvalue + integer promotion (for unary operators, shift operands, arguments). */
export function promoted(e: Expr): Expr {
  const r = rvalue(e);
  if (isInteger(r.type)) return mkCast(r, promote(r.type));
  return r;
}

/** Usual arithmetic conversions: both operands cast to the common type. */
export function arith(a: Expr, b: Expr): [Expr, Expr, Type] {
  const t = commonType(a.type, b.type);
  return [mkCast(a, t), mkCast(b, t), t];
}

export function isNullPtrConst(e: Expr): boolean {
  let x = e;
  // (void *)0 and integer constant expressions with value 0.
  if (x.k === 'cast' && x.type.kind === 'ptr' && x.type.base.kind === 'void') x = x.expr;
  while (x.k === 'cast' && isInteger(x.type)) x = x.expr;
  return x.k === 'int' && x.value === 0n && isInteger(x.type);
}

export type AssignCtx =
  { kind: 'assign' } | { kind: 'init' } | { kind: 'arg'; index: number; fname: string } | { kind: 'return' };

function describe(ctx: AssignCtx, to: Type, from: Type, what: string): string {
  switch (ctx.kind) {
    case 'assign':
      return `assignment to '${typeName(to)}' from ${what === 'incompatible' ? 'incompatible pointer type ' : ''}'${typeName(from)}'`;
    case 'init':
      return `initialization of '${typeName(to)}' from ${what === 'incompatible' ? 'incompatible pointer type ' : ''}'${typeName(from)}'`;
    case 'arg':
      return `passing argument ${ctx.index + 1} of '${ctx.fname}'${what === 'incompatible' ? ' from incompatible pointer type' : ''}`;
    case 'return':
      return what === 'incompatible'
        ? `returning '${typeName(from)}' from a function with incompatible return type '${typeName(to)}'`
        : `returning '${typeName(from)}' from a function with return type '${typeName(to)}'`;
  }
}

const verb = (ctx: AssignCtx): string =>
  ctx.kind === 'assign'
    ? 'assignment'
    : ctx.kind === 'init'
      ? 'initialization'
      : ctx.kind === 'return'
        ? 'return'
        : '';

/** Converts `e` as if by assignment to an object of type `to` (6.5.16.1), reporting violations. */
export function assignConv(s: State, e0: Expr, to0: Type, ctx: AssignCtx, at: Loc): Expr {
  if (isBad(e0)) return { ...e0, type: unqual(to0) };
  const e = rvalue(e0);
  const to = unqual(to0);
  const from = e.type;
  if (isArith(to) && isArith(from)) return mkCast(e, to);
  if (isRecord(to) || isRecord(from)) {
    if (isRecord(to) && isRecord(from) && to.info === from.info) return e;
    const msg =
      ctx.kind === 'arg'
        ? `incompatible type for argument ${ctx.index + 1} of '${ctx.fname}'`
        : ctx.kind === 'return'
          ? `incompatible types when returning type '${typeName(from)}' but '${typeName(to)}' was expected`
          : `incompatible types when ${ctx.kind === 'assign' ? 'assigning to' : 'initializing'} type '${typeName(to)}' ${ctx.kind === 'assign' ? 'from' : 'using'} type '${typeName(from)}'`;
    s.error(at, msg);
    return { ...e, type: to };
  }
  if (to.kind === 'bool' && from.kind === 'ptr') return mkCast(e, to);
  if (to.kind === 'ptr') {
    if (from.kind === 'ptr') {
      const tb = to.base;
      const fb = from.base;
      const voidish = tb.kind === 'void' || fb.kind === 'void';
      if (!voidish && !compatible(unqual(tb), unqual(fb), true)) {
        s.warn(at, describe(ctx, to, from, 'incompatible'));
      } else {
        const lost = (['const', 'volatile'] as const).filter((q) => fb[q] && !tb[q]);
        if (lost.length) {
          const head = ctx.kind === 'arg' ? `passing argument ${ctx.index + 1} of '${ctx.fname}'` : verb(ctx);
          s.warn(at, `${head} discards '${lost[0]}' qualifier from pointer target type`);
        }
      }
      return mkCast(e, to);
    }
    if (isInteger(from)) {
      if (!isNullPtrConst(e))
        s.warn(at, `${describe(ctx, to, from, '')} makes pointer from integer without a cast`);
      return mkCast(e, to);
    }
  }
  if (isInteger(to) && from.kind === 'ptr') {
    s.warn(at, `${describe(ctx, to, from, '')} makes integer from pointer without a cast`);
    return mkCast(e, to);
  }
  if (to.kind === 'void') return e;
  s.error(
    at,
    ctx.kind === 'arg'
      ? `incompatible type for argument ${ctx.index + 1} of '${ctx.fname}'`
      : `incompatible types in ${verb(ctx)}`,
  );
  return { ...e, type: to };
}

/** Default argument promotions (6.5.2.2p6): integer promotions and float to double. */
export function defaultPromote(e: Expr): Expr {
  const r = promoted(e);
  if (r.type.kind === 'float') return mkCast(r, T.double);
  return r;
}

/** Converts a controlling expression to a scalar test value (checks 6.8.4.1p1). */
export function scalarCond(s: State, e: Expr): Expr {
  const r = rvalue(e);
  if (!isArith(r.type) && r.type.kind !== 'ptr') {
    s.error(e.loc, 'used struct type value where scalar is required');
  }
  return r;
}
