// Constant-expression evaluation (C11 6.6) over the typed AST: integer constant expressions
// (array sizes, case labels, enum values, bit-field widths) and the address constants allowed in
// static initializers (&obj ± n, string literals, function designators).

import type { ConstValue, Expr } from './ast';
import { isFloat, isInteger, isUnsigned, sizeOf, type Type } from './types';

/** Wraps an integer to the width and signedness of `t` (_Bool becomes 0/1). */
export function wrapInt(v: bigint, t: Type): bigint {
  if (t.kind === 'bool') return v !== 0n ? 1n : 0n;
  const bits = sizeOf(t) * 8;
  return isUnsigned(t) || t.kind === 'ptr' ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
}

function toInt(c: ConstValue): bigint | null {
  if (c.kind === 'int') return c.value;
  if (c.kind === 'float') return Number.isFinite(c.value) ? BigInt(Math.trunc(c.value)) : 0n;
  return null;
}

function truthy(c: ConstValue): boolean | null {
  if (c.kind === 'int') return c.value !== 0n;
  if (c.kind === 'float') return c.value !== 0;
  return c.sym || c.str ? true : null;
}

/** Evaluates; returns null if `e` is not a constant expression. */
export function evalConst(e: Expr): ConstValue | null {
  switch (e.k) {
    case 'int':
      return { kind: 'int', value: e.value };
    case 'float':
      return { kind: 'float', value: e.value };
    case 'str':
      return { kind: 'addr', sym: null, str: e.str, addend: 0 };
    case 'var':
      if (e.sym.storage === 'enumconst') return { kind: 'int', value: e.sym.value ?? 0n };
      return null;
    case 'cast': {
      if (e.type.kind === 'void') return null;
      const c = evalConst(e.expr);
      if (!c) return null;
      if (isInteger(e.type)) {
        if (c.kind === 'addr') return sizeOf(e.type) === 4 ? c : null;
        const v = toInt(c);
        if (c.kind === 'float' && e.type.kind === 'bool')
          return { kind: 'int', value: c.value !== 0 ? 1n : 0n };
        return v === null ? null : { kind: 'int', value: wrapInt(v, e.type) };
      }
      if (isFloat(e.type)) {
        if (c.kind === 'addr') return null;
        const v = c.kind === 'int' ? Number(c.value) : c.value;
        return { kind: 'float', value: e.type.kind === 'float' ? Math.fround(v) : v };
      }
      if (e.type.kind === 'ptr') {
        if (c.kind === 'int') return { kind: 'int', value: wrapInt(c.value, e.type) };
        return c.kind === 'addr' ? c : null;
      }
      return null;
    }
    case 'addr':
      return addressOf(e.expr);
    case 'neg':
    case 'bitnot':
    case 'not': {
      const c = evalConst(e.expr);
      if (!c) return null;
      if (e.k === 'not') {
        const t = truthy(c);
        return t === null ? null : { kind: 'int', value: t ? 0n : 1n };
      }
      if (c.kind === 'float') return e.k === 'neg' ? { kind: 'float', value: -c.value } : null;
      if (c.kind !== 'int') return null;
      return { kind: 'int', value: wrapInt(e.k === 'neg' ? -c.value : ~c.value, e.type) };
    }
    case 'binary':
      return binary(e.op, e.lhs, e.rhs, e.type);
    case 'compare': {
      const a = evalConst(e.lhs);
      const b = evalConst(e.rhs);
      if (!a || !b) return null;
      let x: number | bigint;
      let y: number | bigint;
      if (a.kind === 'addr' || b.kind === 'addr') {
        if (a.kind !== 'addr' || b.kind !== 'addr' || a.sym !== b.sym || a.str !== b.str) return null;
        x = a.addend;
        y = b.addend;
      } else if (a.kind === 'float' || b.kind === 'float') {
        x = a.kind === 'float' ? a.value : Number(a.value);
        y = b.kind === 'float' ? b.value : Number(b.value);
      } else {
        x = a.value;
        y = b.value;
      }
      const r = { '==': x === y, '!=': x !== y, '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y }[e.op];
      return { kind: 'int', value: r ? 1n : 0n };
    }
    case 'ptrdiff': {
      const a = evalConst(e.lhs);
      const b = evalConst(e.rhs);
      if (a?.kind === 'addr' && b?.kind === 'addr' && a.sym === b.sym && a.str === b.str) {
        return { kind: 'int', value: BigInt(Math.trunc((a.addend - b.addend) / e.elemSize)) };
      }
      if (a?.kind === 'int' && b?.kind === 'int')
        return { kind: 'int', value: (a.value - b.value) / BigInt(e.elemSize) };
      return null;
    }
    case 'logand':
    case 'logor': {
      const a = evalConst(e.lhs);
      const ta = a && truthy(a);
      if (ta === null || ta === undefined) return null;
      if (e.k === 'logand' && !ta) return { kind: 'int', value: 0n };
      if (e.k === 'logor' && ta) return { kind: 'int', value: 1n };
      const b = evalConst(e.rhs);
      const tb = b && truthy(b);
      if (tb === null || tb === undefined) return null;
      return { kind: 'int', value: tb ? 1n : 0n };
    }
    case 'cond': {
      const c = evalConst(e.cond);
      const t = c && truthy(c);
      if (t === null || t === undefined) return null;
      return evalConst(t ? e.then : e.else);
    }
    case 'comma':
      return null;
    default:
      return null;
  }
}

function binary(op: string, l: Expr, r: Expr, t: Type): ConstValue | null {
  const a = evalConst(l);
  const b = evalConst(r);
  if (!a || !b) return null;
  if (a.kind === 'addr' || b.kind === 'addr') {
    // Address ± integer (already scaled by the element size in the AST).
    if (op === '+' && a.kind === 'addr' && b.kind === 'int')
      return { ...a, addend: a.addend + Number(b.value) };
    if (op === '+' && b.kind === 'addr' && a.kind === 'int')
      return { ...b, addend: b.addend + Number(a.value) };
    if (op === '-' && a.kind === 'addr' && b.kind === 'int')
      return { ...a, addend: a.addend - Number(b.value) };
    return null;
  }
  if (isFloat(t)) {
    const x = a.kind === 'float' ? a.value : Number(a.value);
    const y = b.kind === 'float' ? b.value : Number(b.value);
    let v: number;
    if (op === '+') v = x + y;
    else if (op === '-') v = x - y;
    else if (op === '*') v = x * y;
    else if (op === '/') v = x / y;
    else return null;
    return { kind: 'float', value: t.kind === 'float' ? Math.fround(v) : v };
  }
  const x = toInt(a);
  const y = toInt(b);
  if (x === null || y === null) return null;
  let v: bigint;
  switch (op) {
    case '+':
      v = x + y;
      break;
    case '-':
      v = x - y;
      break;
    case '*':
      v = x * y;
      break;
    case '/':
    case '%':
      if (y === 0n) return null;
      v = op === '/' ? x / y : x % y;
      break;
    case '&':
      v = x & y;
      break;
    case '|':
      v = x | y;
      break;
    case '^':
      v = x ^ y;
      break;
    case '<<':
      if (y < 0n || y >= BigInt(sizeOf(t) * 8)) return null;
      v = x << y;
      break;
    case '>>':
      if (y < 0n || y >= BigInt(sizeOf(t) * 8)) return null;
      v = x >> y;
      break;
    default:
      return null;
  }
  return { kind: 'int', value: wrapInt(v, t) };
}

/** The address of an lvalue with static storage duration, as symbol + offset. */
function addressOf(e: Expr): ConstValue | null {
  switch (e.k) {
    case 'var':
      if (
        e.sym.isFunction ||
        (!e.sym.isLocal && e.sym.storage !== 'typedef' && e.sym.storage !== 'enumconst')
      ) {
        return { kind: 'addr', sym: e.sym, addend: 0 };
      }
      if (e.sym.storage === 'static') return { kind: 'addr', sym: e.sym, addend: 0 };
      return null;
    case 'str':
      return { kind: 'addr', sym: null, str: e.str, addend: 0 };
    case 'compound':
      return e.sym.storage === 'static' ? { kind: 'addr', sym: e.sym, addend: 0 } : null;
    case 'member': {
      const base = addressOf(e.expr);
      return base && base.kind === 'addr' ? { ...base, addend: base.addend + e.member.offset } : null;
    }
    case 'deref': {
      const c = evalConst(e.expr);
      return c && (c.kind === 'addr' || c.kind === 'int') ? c : null;
    }
    default:
      return null;
  }
}

/** An integer constant expression's value, or null (6.6p6). */
export function evalInt(e: Expr): bigint | null {
  const c = evalConst(e);
  if (!c || c.kind !== 'int') return null;
  return c.value;
}
