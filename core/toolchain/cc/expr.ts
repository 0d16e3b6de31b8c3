// Expressions (C11 6.5): parsing with semantic analysis. Every node gets its type; conversions are
// explicit (see ast.ts). Errors are reported and replaced by int-typed placeholders so that one
// run reports several problems.

import type { BinaryOp, CompareOp, Expr } from './ast';
import {
  arith,
  assignConv,
  bad,
  isLvalue,
  isNullPtrConst,
  mkCast,
  promoted,
  rvalue,
  scalarCond,
} from './conv';
import { evalInt } from './consteval';
import { isTypeStart, parseTypeName } from './decl';
import { parseCompoundLiteral } from './expr-special';
import { parsePostfix, parsePostfixOps } from './expr-postfix';
import type { State } from './state';
import type { Loc, Token } from './token';
import {
  T,
  alignOf,
  commonType,
  compatible,
  isArith,
  isComplete,
  isFloat,
  isInteger,
  isRecord,
  isScalar,
  promote,
  ptrTo,
  sizeOf,
  typeName,
  unqual,
  withQuals,
  type Type,
} from './types';

export const intConst = (loc: Loc, v: number | bigint, type: Type = T.int): Expr => ({
  k: 'int',
  loc,
  type,
  value: BigInt(v),
});

export function parseExpr(s: State): Expr {
  let e = parseAssign(s);
  while (s.is(',')) {
    const op = s.next();
    const rhs = parseAssign(s);
    e = { k: 'comma', loc: op, type: rvalue(rhs).type, lhs: e, rhs: rvalue(rhs) };
  }
  return e;
}

const ASSIGN_OPS: Record<string, BinaryOp | '='> = {
  '=': '=',
  '+=': '+',
  '-=': '-',
  '*=': '*',
  '/=': '/',
  '%=': '%',
  '&=': '&',
  '|=': '|',
  '^=': '^',
  '<<=': '<<',
  '>>=': '>>',
};

export function parseAssign(s: State): Expr {
  const lhs = parseCond(s);
  const t = s.peek();
  const op = t.kind === 'punct' ? ASSIGN_OPS[t.text] : undefined;
  if (!op) return lhs;
  s.next();
  const rhs = parseAssign(s);
  if (!checkModifiable(s, lhs, t, 'assignment')) return bad(t);
  if (op === '=') {
    const r = assignConv(s, rhs, lhs.type, { kind: 'assign' }, t);
    return { k: 'assign', loc: t, type: unqual(lhs.type), lhs, rhs: r };
  }
  const lt = unqual(lhs.type);
  const r = rvalue(rhs);
  if ((op === '+' || op === '-') && lt.kind === 'ptr' && isInteger(r.type)) {
    return { k: 'opassign', loc: t, type: lt, op, opType: lt, lhs, rhs: scaled(s, r, lt.base, t) };
  }
  const intOnly = op === '%' || op === '&' || op === '|' || op === '^' || op === '<<' || op === '>>';
  if (!isArith(lt) || !isArith(r.type) || (intOnly && (!isInteger(lt) || !isInteger(r.type)))) {
    s.error(t, `invalid operands to binary ${op} (have '${typeName(lt)}' and '${typeName(r.type)}')`);
    return bad(t);
  }
  if (op === '<<' || op === '>>') {
    const opType = promote(lt);
    return { k: 'opassign', loc: t, type: lt, op, opType, lhs, rhs: promoted(r) };
  }
  const opType = commonType(lt, r.type);
  return { k: 'opassign', loc: t, type: lt, op, opType, lhs, rhs: mkCast(r, opType) };
}

/** Checks that `e` is a modifiable lvalue (6.3.2.1p1), with GCC's messages. */
export function checkModifiable(s: State, e: Expr, at: Loc, what: string): boolean {
  if (!isLvalue(e)) {
    s.error(
      at,
      what === 'assignment'
        ? 'lvalue required as left operand of assignment'
        : `lvalue required as ${what} operand`,
    );
    return false;
  }
  if (e.type.kind === 'array') {
    s.error(at, 'assignment to expression with array type');
    return false;
  }
  if (e.type.const || (isRecord(e.type) && hasConstMember(e.type))) {
    const verb = what === 'assignment' ? 'assignment of' : `${what} of`;
    if (e.k === 'var') s.error(at, `${verb} read-only variable '${e.sym.name}'`);
    else if (e.k === 'member') s.error(at, `${verb} read-only member '${e.member.name ?? ''}'`);
    else s.error(at, `${verb} read-only location`);
    return false;
  }
  if (!isComplete(e.type) && e.type.kind !== 'void') {
    s.error(at, `invalid use of incomplete type '${typeName(e.type)}'`);
    return false;
  }
  return true;
}

function hasConstMember(t: Type): boolean {
  return (
    isRecord(t) && t.info.members.some((m) => m.type.const || (isRecord(m.type) && hasConstMember(m.type)))
  );
}

function parseCond(s: State): Expr {
  const c = parseBinary(s, 1);
  if (!s.is('?')) return c;
  const q = s.next();
  const cond = scalarCond(s, c);
  // GNU `a ?: b` is not supported; C requires the middle operand.
  const a = rvalue(parseExpr(s));
  s.expect(':');
  const b = rvalue(parseCond(s));
  const ta = a.type;
  const tb = b.type;
  let type: Type;
  if (isArith(ta) && isArith(tb)) {
    type = commonType(ta, tb);
    return { k: 'cond', loc: q, type, cond, then: mkCast(a, type), else: mkCast(b, type) };
  }
  if (isRecord(ta) && isRecord(tb) && ta.info === tb.info) type = ta;
  else if (ta.kind === 'void' && tb.kind === 'void') type = T.void;
  else if (ta.kind === 'ptr' && (tb.kind === 'ptr' || isNullPtrConst(b))) {
    type = condPtr(s, ta, tb, b, q);
  } else if (tb.kind === 'ptr' && isNullPtrConst(a)) type = tb;
  else if ((ta.kind === 'ptr' && isInteger(tb)) || (tb.kind === 'ptr' && isInteger(ta))) {
    s.warn(q, 'pointer/integer type mismatch in conditional expression');
    type = ta.kind === 'ptr' ? ta : tb;
  } else {
    s.error(q, 'type mismatch in conditional expression');
    return bad(q);
  }
  return { k: 'cond', loc: q, type, cond, then: mkCast(a, type), else: mkCast(b, type) };
}

function condPtr(s: State, ta: Type & { kind: 'ptr' }, tb: Type, b: Expr, q: Loc): Type {
  if (tb.kind !== 'ptr' || isNullPtrConst(b)) return ta;
  const quals = { const: ta.base.const || tb.base.const, volatile: ta.base.volatile || tb.base.volatile };
  if (ta.base.kind === 'void' || tb.base.kind === 'void') return ptrTo(withQuals(T.void, quals));
  if (!compatible(unqual(ta.base), unqual(tb.base), true)) {
    s.warn(q, 'pointer type mismatch in conditional expression');
    return ptrTo(T.void);
  }
  return ptrTo(withQuals(unqual(ta.base), quals));
}

const PREC: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

function parseBinary(s: State, min: number): Expr {
  let lhs = parseCast(s);
  for (;;) {
    const t = s.peek();
    const p = t.kind === 'punct' ? PREC[t.text] : undefined;
    if (p === undefined || p < min) return lhs;
    s.next();
    const rhs = parseBinary(s, p + 1);
    lhs = binaryOp(s, t, lhs, rhs);
  }
}

/** Multiplies an integer index by an element size (pointer arithmetic is explicit in the AST). */
function scaled(s: State, idx: Expr, elem: Type, at: Loc): Expr {
  if (!isComplete(elem) && elem.kind !== 'void' && elem.kind !== 'func') {
    s.error(at, `invalid use of undefined type '${typeName(elem)}'`);
  }
  const i = mkCast(promoted(idx), T.int);
  const size = elem.kind === 'void' || elem.kind === 'func' ? 1 : sizeOf(elem);
  if (size === 1) return i;
  // A constant index is scaled at compile time.
  const k = evalInt(i);
  if (k !== null) return intConst(at, BigInt.asIntN(32, k * BigInt(size)));
  return { k: 'binary', loc: at, type: T.int, op: '*', lhs: i, rhs: intConst(at, size) };
}

export function binaryOp(s: State, t: Token, l0: Expr, r0: Expr): Expr {
  const op = t.text;
  const l = rvalue(l0);
  const r = rvalue(r0);
  const invalid = (): Expr => {
    s.error(t, `invalid operands to binary ${op} (have '${typeName(l.type)}' and '${typeName(r.type)}')`);
    return bad(t);
  };
  if (op === '&&' || op === '||') {
    if (!isScalar(l.type) || !isScalar(r.type)) return invalid();
    return { k: op === '&&' ? 'logand' : 'logor', loc: t, type: T.int, lhs: l, rhs: r };
  }
  if (op === '==' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>=') {
    return compare(s, t, op, l, r) ?? invalid();
  }
  if (op === '+' || op === '-') {
    if (l.type.kind === 'ptr' && isInteger(r.type)) {
      return { k: 'binary', loc: t, type: l.type, op, lhs: l, rhs: scaled(s, r, l.type.base, t) };
    }
    if (op === '+' && r.type.kind === 'ptr' && isInteger(l.type)) {
      return { k: 'binary', loc: t, type: r.type, op, lhs: r, rhs: scaled(s, l, r.type.base, t) };
    }
    if (op === '-' && l.type.kind === 'ptr' && r.type.kind === 'ptr') {
      if (!compatible(unqual(l.type.base), unqual(r.type.base), true)) return invalid();
      const b = l.type.base;
      const size = b.kind === 'void' || b.kind === 'func' ? 1 : sizeOf(b);
      if (!isComplete(b) && b.kind !== 'void') s.error(t, `arithmetic on pointer to an incomplete type`);
      return { k: 'ptrdiff', loc: t, type: T.int, elemSize: Math.max(1, size), lhs: l, rhs: r };
    }
  }
  if (op === '<<' || op === '>>') {
    if (!isInteger(l.type) || !isInteger(r.type)) return invalid();
    const pl = promoted(l);
    const pr = promoted(r);
    const cnt = evalInt(pr);
    if (cnt !== null && (cnt < 0n || cnt >= BigInt(sizeOf(pl.type) * 8))) {
      s.warn(
        t,
        cnt < 0n
          ? `${op === '<<' ? 'left' : 'right'} shift count is negative`
          : `${op === '<<' ? 'left' : 'right'} shift count >= width of type`,
      );
    }
    return { k: 'binary', loc: t, type: pl.type, op, lhs: pl, rhs: pr };
  }
  const intOnly = op === '%' || op === '&' || op === '|' || op === '^';
  if (!isArith(l.type) || !isArith(r.type) || (intOnly && (!isInteger(l.type) || !isInteger(r.type))))
    return invalid();
  const [a, b, type] = arith(l, r);
  if ((op === '/' || op === '%') && isInteger(type) && evalInt(b) === 0n) s.warn(t, 'division by zero');
  return { k: 'binary', loc: t, type, op: op as BinaryOp, lhs: a, rhs: b };
}

function compare(s: State, t: Token, op: CompareOp, l: Expr, r: Expr): Expr | null {
  const mk = (opType: Type, a: Expr, b: Expr): Expr => ({
    k: 'compare',
    loc: t,
    type: T.int,
    op,
    opType,
    lhs: a,
    rhs: b,
  });
  if (isArith(l.type) && isArith(r.type)) {
    const [a, b, type] = arith(l, r);
    return mk(type, a, b);
  }
  if (l.type.kind === 'ptr' && r.type.kind === 'ptr') {
    const lb = unqual(l.type.base);
    const rb = unqual(r.type.base);
    const eq = op === '==' || op === '!=';
    if (!compatible(lb, rb, true) && !(eq && (lb.kind === 'void' || rb.kind === 'void'))) {
      s.warn(t, 'comparison of distinct pointer types lacks a cast');
    }
    return mk(l.type, l, mkCast(r, l.type));
  }
  if (l.type.kind === 'ptr' && isInteger(r.type)) {
    if (!isNullPtrConst(r)) s.warn(t, 'comparison between pointer and integer');
    return mk(l.type, l, mkCast(r, l.type));
  }
  if (r.type.kind === 'ptr' && isInteger(l.type)) {
    if (!isNullPtrConst(l)) s.warn(t, 'comparison between pointer and integer');
    return mk(r.type, mkCast(l, r.type), r);
  }
  return null;
}

export function parseCast(s: State): Expr {
  if (s.is('(') && isTypeStart(s, 1)) {
    const lp = s.next();
    const type = parseTypeName(s);
    s.expect(')');
    if (s.is('{')) return parsePostfixOps(s, parseCompoundLiteral(s, type, lp));
    const e = rvalue(parseCast(s));
    return castTo(s, e, type, lp);
  }
  return parseUnary(s);
}

export function castTo(s: State, e: Expr, type: Type, at: Loc): Expr {
  const to = unqual(type);
  if (to.kind === 'void') return { k: 'cast', loc: at, type: T.void, expr: e };
  if (!isScalar(to)) {
    if (isRecord(to) && isRecord(e.type) && to.info === e.type.info) return e;
    s.error(at, 'conversion to non-scalar type requested');
    return bad(at);
  }
  if (!isScalar(e.type)) {
    s.error(
      at,
      `${e.type.kind === 'void' ? 'void value not ignored as it ought to be' : 'aggregate value used where a scalar was expected'}`,
    );
    return bad(at);
  }
  if ((isFloat(to) && e.type.kind === 'ptr') || (to.kind === 'ptr' && isFloat(e.type))) {
    s.error(
      at,
      `${to.kind === 'ptr' ? 'cannot convert to a pointer type' : 'pointer value used where a floating-point was expected'}`,
    );
    return bad(at);
  }
  if (to.kind === 'ptr' && isInteger(e.type) && sizeOf(e.type) !== 4 && evalInt(e) === null) {
    s.warn(at, 'cast to pointer from integer of different size');
  }
  if (isInteger(to) && to.kind !== 'bool' && e.type.kind === 'ptr' && sizeOf(to) !== 4) {
    s.warn(at, 'cast from pointer to integer of different size');
  }
  return { k: 'cast', loc: at, type: to, expr: e };
}

function parseUnary(s: State): Expr {
  const t = s.peek();
  const op = s.sym();
  if (t.kind === 'punct' && (op === '++' || op === '--')) {
    s.next();
    return incdec(s, parseUnary(s), t, true);
  }
  if (t.kind === 'punct' && (op === '+' || op === '-' || op === '~' || op === '!')) {
    s.next();
    const e = rvalue(parseCast(s));
    if (op === '!') {
      if (!isScalar(e.type)) {
        s.error(t, `wrong type argument to unary exclamation mark`);
        return bad(t);
      }
      return { k: 'not', loc: t, type: T.int, expr: e };
    }
    if (!isArith(e.type) || (op === '~' && !isInteger(e.type))) {
      s.error(
        t,
        `wrong type argument to ${op === '~' ? 'bit-complement' : op === '-' ? 'unary minus' : 'unary plus'}`,
      );
      return bad(t);
    }
    const p = promoted(e);
    if (op === '+') return p;
    return { k: op === '-' ? 'neg' : 'bitnot', loc: t, type: p.type, expr: p };
  }
  if (t.kind === 'punct' && op === '&') {
    s.next();
    return addressOf(s, parseCast(s), t);
  }
  if (t.kind === 'punct' && op === '*') {
    s.next();
    return deref(s, rvalue(parseCast(s)), t);
  }
  if (op === 'sizeof' || op === '_Alignof') {
    s.next();
    let type: Type;
    if (s.is('(') && isTypeStart(s, 1)) {
      const lp = s.next();
      type = parseTypeName(s);
      s.expect(')');
      if (s.is('{')) {
        const lit = parsePostfixOps(s, parseCompoundLiteral(s, type, lp));
        type = lit.type;
      }
    } else {
      const e = parseUnary(s);
      if (e.k === 'member' && e.member.bitField) s.error(t, `'${op}' applied to a bit-field`);
      type = e.type;
    }
    if (type.kind === 'func' && op === 'sizeof')
      s.warn(t, "invalid application of 'sizeof' to a function type");
    else if (!isComplete(type) && type.kind !== 'void') {
      s.error(
        t,
        `invalid application of '${op === 'sizeof' ? 'sizeof' : '__alignof__'}' to incomplete type '${typeName(type)}'`,
      );
      return intConst(t, 0, T.uint);
    }
    return intConst(t, op === 'sizeof' ? sizeOf(type) : alignOf(type), T.uint);
  }
  if (op === '__extension__' && t.kind === 'ident') {
    s.next();
    return parseCast(s);
  }
  return parsePostfix(s);
}

export function addressOf(s: State, e: Expr, at: Loc): Expr {
  if (e.type.kind === 'func' || (e.k === 'var' && e.sym.isFunction))
    return { k: 'addr', loc: at, type: ptrTo(e.type), expr: e };
  if (!isLvalue(e)) {
    s.error(at, "lvalue required as unary '&' operand");
    return bad(at);
  }
  if (e.k === 'member' && e.member.bitField) {
    s.error(at, `cannot take address of bit-field '${e.member.name ?? ''}'`);
    return bad(at);
  }
  if (e.k === 'var' && e.sym.storage === 'register') {
    s.error(at, `address of register variable '${e.sym.name}' requested`);
  }
  return { k: 'addr', loc: at, type: ptrTo(e.type), expr: e };
}

export function deref(s: State, e: Expr, at: Loc): Expr {
  if (e.type.kind !== 'ptr') {
    s.error(at, `invalid type argument of unary '*' (have '${typeName(e.type)}')`);
    return bad(at);
  }
  if (e.type.base.kind === 'void') s.warn(at, "dereferencing 'void *' pointer");
  return { k: 'deref', loc: at, type: e.type.base, expr: e };
}

export function incdec(s: State, e: Expr, t: Token, prefix: boolean): Expr {
  const what = t.text === '++' ? 'increment' : 'decrement';
  if (!isLvalue(e)) {
    s.error(t, `lvalue required as ${what} operand`);
    return bad(t);
  }
  if (!checkModifiable(s, e, t, what)) return bad(t);
  const type = unqual(e.type);
  if (!isScalar(type)) {
    s.error(t, `wrong type argument to ${what}`);
    return bad(t);
  }
  let delta = t.text === '++' ? 1 : -1;
  if (type.kind === 'ptr') {
    const b = type.base;
    if (!isComplete(b) && b.kind !== 'void' && b.kind !== 'func')
      s.error(t, `invalid use of undefined type '${typeName(b)}'`);
    delta *= b.kind === 'void' || b.kind === 'func' ? 1 : sizeOf(b);
  }
  return { k: 'incdec', loc: t, type, prefix, delta, lhs: e };
}

export function isZeroConst(e: Expr): boolean {
  return evalInt(e) === 0n;
}
