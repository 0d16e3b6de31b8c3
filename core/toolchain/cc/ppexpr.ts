// #if constant expressions (C11 6.10.1): intmax_t/uintmax_t (64-bit) arithmetic with the usual
// unsigned rules. Input tokens are already macro-expanded with `defined` resolved; identifiers left
// over count as 0.

import { parseCharConst, parseIntConst } from './literals';
import type { Token } from './token';

interface Val {
  v: bigint;
  u: boolean;
}

export type PPError = (tok: Token, message: string) => void;

const M64 = (1n << 64n) - 1n;
const wrap = (v: bigint, u: boolean): bigint => (u ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v));

class Fail extends Error {}

const BIN_PREC: Record<string, number> = {
  '*': 10,
  '/': 10,
  '%': 10,
  '+': 9,
  '-': 9,
  '<<': 8,
  '>>': 8,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '==': 6,
  '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

/** Evaluates; on error reports once through `err` and returns null. */
export function evalPPExpr(toks: Token[], at: Token, err: PPError): bigint | null {
  let i = 0;
  const peek = (): Token | undefined => toks[i];
  const fail = (t: Token | undefined, msg: string): never => {
    err(t ?? at, msg);
    throw new Fail(msg);
  };

  const primary = (live: boolean): Val => {
    const t = toks[i++];
    if (!t) return fail(at, '#if with no expression');
    if (t.kind === 'num') {
      const r = parseIntConst(t.text, (m, s) => {
        if (s === 'error') fail(t, m);
      });
      if (!r) return fail(t, 'floating constant in preprocessor expression');
      return { v: r.value, u: r.kind === 'uint' || r.kind === 'ulong' || r.kind === 'ullong' };
    }
    if (t.kind === 'char') {
      const c = parseCharConst(t.text, (m, s) => {
        if (s === 'error') fail(t, m);
      });
      return { v: BigInt(c.value), u: false };
    }
    if (t.kind === 'ident') return { v: 0n, u: false };
    if (t.text === '(') {
      const v = comma(live);
      if (peek()?.text !== ')') fail(peek() ?? t, "missing ')' in expression");
      i++;
      return v;
    }
    if (t.text === '+' || t.text === '-' || t.text === '~' || t.text === '!') {
      const x = unary(live);
      if (t.text === '+') return x;
      if (t.text === '-') return { v: wrap(-x.v, x.u), u: x.u };
      if (t.text === '~') return { v: wrap(~x.v, x.u), u: x.u };
      return { v: x.v === 0n ? 1n : 0n, u: false };
    }
    if (t.kind === 'str') return fail(t, 'token is not valid in preprocessor expressions');
    return fail(t, `token "${t.text}" is not valid in preprocessor expressions`);
  };
  const unary = (live: boolean): Val => primary(live);

  const binary = (minPrec: number, live: boolean): Val => {
    let lhs = unary(live);
    for (;;) {
      const op = peek();
      const prec = op && op.kind === 'punct' ? BIN_PREC[op.text] : undefined;
      if (prec === undefined || prec < minPrec) return lhs;
      i++;
      if (op!.text === '&&' || op!.text === '||') {
        const isAnd = op!.text === '&&';
        const shortCircuit = isAnd ? lhs.v === 0n : lhs.v !== 0n;
        const rhs = binary(prec + 1, live && !shortCircuit);
        lhs = {
          v: (isAnd ? lhs.v !== 0n && rhs.v !== 0n : lhs.v !== 0n || rhs.v !== 0n) ? 1n : 0n,
          u: false,
        };
        continue;
      }
      const rhs = binary(prec + 1, live);
      lhs = apply(op as Token, lhs, rhs, live);
    }
  };

  const apply = (op: Token, a: Val, b: Val, live: boolean): Val => {
    const s = op.text;
    if (s === '<<' || s === '>>') {
      // The result has the left operand's signedness; the shift count is taken as signed.
      const n = BigInt.asIntN(64, b.v);
      const left = s === '<<' ? n >= 0n : n < 0n;
      const cnt = n < 0n ? -n : n;
      if (cnt >= 64n) return { v: left || a.u || a.v >= 0n ? 0n : -1n, u: a.u };
      return { v: wrap(left ? a.v << cnt : a.v >> cnt, a.u), u: a.u };
    }
    const u = a.u || b.u;
    const x = wrap(a.v, u);
    const y = wrap(b.v, u);
    switch (s) {
      case '*':
        return { v: wrap(x * y, u), u };
      case '/':
      case '%':
        if (y === 0n) {
          if (live) fail(op, 'division by zero in #if');
          return { v: 0n, u };
        }
        return { v: wrap(s === '/' ? x / y : x % y, u), u };
      case '+':
        return { v: wrap(x + y, u), u };
      case '-':
        return { v: wrap(x - y, u), u };
      case '<':
        return { v: x < y ? 1n : 0n, u: false };
      case '>':
        return { v: x > y ? 1n : 0n, u: false };
      case '<=':
        return { v: x <= y ? 1n : 0n, u: false };
      case '>=':
        return { v: x >= y ? 1n : 0n, u: false };
      case '==':
        return { v: x === y ? 1n : 0n, u: false };
      case '!=':
        return { v: x !== y ? 1n : 0n, u: false };
      case '&':
        return { v: wrap(x & y & M64, u), u };
      case '^':
        return { v: wrap((x ^ y) & M64, u), u };
      default:
        return { v: wrap((x | y) & M64, u), u };
    }
  };

  const cond = (live: boolean): Val => {
    const c = binary(1, live);
    if (peek()?.text !== '?') return c;
    i++;
    const a = comma(live && c.v !== 0n);
    if (peek()?.text !== ':') fail(peek() ?? at, "'?' without following ':'");
    i++;
    const b = cond(live && c.v === 0n);
    const u = a.u || b.u;
    return { v: wrap(c.v !== 0n ? a.v : b.v, u), u };
  };

  const comma = (live: boolean): Val => {
    let v = cond(live);
    while (peek()?.text === ',') {
      i++;
      v = cond(live);
    }
    return v;
  };

  try {
    if (toks.length === 0) fail(at, '#if with no expression');
    const v = comma(true);
    if (i < toks.length)
      fail(toks[i], 'missing binary operator before token "' + (toks[i] as Token).text + '"');
    return v.v;
  } catch (e) {
    if (e instanceof Fail) return null;
    throw e;
  }
}
