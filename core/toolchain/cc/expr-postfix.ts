// Postfix and primary expressions (C11 6.5.1-6.5.2): subscripts, calls with argument
// conversions, member access, postfix ++/--, identifiers, constants and string literals.

import type { Expr, Sym } from './ast';
import { assignConv, bad, isBad, mkCast, promoted, rvalue } from './conv';
import { builtinFunction } from './builtins';
import { binaryOp, deref, incdec, intConst, parseAssign, parseExpr } from './expr';
import { isBuiltin, parseBuiltin, parseGeneric, parseOffsetof } from './expr-special';
import { parseCharConst, parseFloatConst, parseIntConst } from './literals';
import { stringLiteral } from './strings';
import { describeToken, type State } from './state';
import type { Token } from './token';
import {
  T,
  findMember,
  isComplete,
  isInteger,
  isRecord,
  promote,
  typeName,
  unqual,
  withQuals,
  type FuncType,
} from './types';

export function parsePostfix(s: State): Expr {
  return parsePostfixOps(s, parsePrimary(s));
}

export function parsePostfixOps(s: State, e0: Expr): Expr {
  let e = e0;
  for (;;) {
    const t = s.peek();
    if (t.kind !== 'punct') return e;
    if (t.text === '[') {
      s.next();
      const idx = parseExpr(s);
      s.expect(']');
      const a = rvalue(e);
      const b = rvalue(idx);
      if (a.type.kind === 'ptr' && isInteger(b.type)) e = deref(s, binaryOp(s, { ...t, text: '+' }, a, b), t);
      else if (b.type.kind === 'ptr' && isInteger(a.type))
        e = deref(s, binaryOp(s, { ...t, text: '+' }, b, a), t);
      else {
        s.error(t, 'subscripted value is neither array nor pointer nor vector');
        e = bad(t);
      }
    } else if (t.text === '(') {
      s.next();
      e = parseCall(s, e, t);
    } else if (t.text === '.' || t.text === '->') {
      s.next();
      const name = s.next();
      if (name.kind !== 'ident') s.syntax(name, `expected identifier before '${name.text}'`);
      let base = e;
      if (t.text === '->') {
        const p = rvalue(e);
        if (p.type.kind !== 'ptr' || !isRecord(p.type.base)) {
          s.error(t, `invalid type argument of '->' (have '${typeName(p.type)}')`);
          e = bad(t);
          continue;
        }
        base = { k: 'deref', loc: t, type: p.type.base, expr: p };
      }
      e = member(s, base, name, t);
    } else if (t.text === '++' || t.text === '--') {
      s.next();
      e = incdec(s, e, t, false);
    } else return e;
  }
}

function member(s: State, base: Expr, name: Token, op: Token): Expr {
  const bt = base.type;
  if (!isRecord(bt)) {
    if (!isBad(base)) s.error(op, `request for member '${name.text}' in something not a structure or union`);
    return bad(name);
  }
  if (!bt.info.complete) {
    s.error(op, `invalid use of undefined type '${typeName(unqual(bt))}'`);
    return bad(name);
  }
  const path = findMember(bt.info, name.text);
  if (!path) {
    s.error(op, `'${typeName(unqual(bt))}' has no member named '${name.text}'`);
    return bad(name);
  }
  let e = base;
  for (const m of path) {
    const quals = { const: e.type.const, volatile: e.type.volatile };
    e = { k: 'member', loc: name, type: withQuals(m.type, quals), expr: e, member: m };
  }
  return e;
}

function parseCall(s: State, callee0: Expr, lp: Token): Expr {
  const args: Expr[] = [];
  if (!s.is(')')) {
    do args.push(parseAssign(s));
    while (s.accept(','));
  }
  s.expect(')');
  const callee = rvalue(callee0);
  const fname = callee0.k === 'var' ? callee0.sym.name : '';
  if (callee.type.kind !== 'ptr' || callee.type.base.kind !== 'func') {
    if (isBad(callee0)) return bad(lp);
    s.error(
      callee0.loc,
      fname
        ? `called object '${fname}' is not a function or function pointer`
        : 'called object is not a function or function pointer',
    );
    if (callee0.k === 'var') s.note(callee0.sym.loc, 'declared here');
    return bad(lp);
  }
  const ft: FuncType = callee.type.base;
  const out: Expr[] = [];
  if (!ft.noProto) {
    const few = args.length < ft.params.length;
    if (few || (args.length > ft.params.length && !ft.variadic)) {
      s.error(
        callee0.loc,
        `too ${few ? 'few' : 'many'} arguments to function '${fname || typeName(callee.type)}'`,
      );
      if (callee0.k === 'var') s.note(callee0.sym.loc, 'declared here');
    }
  }
  args.forEach((a, i) => {
    const p = ft.noProto ? undefined : ft.params[i];
    if (p) out.push(assignConv(s, a, p.type, { kind: 'arg', index: i, fname: fname || 'function' }, a.loc));
    else {
      const r = rvalue(a);
      if (r.type.kind === 'void') s.error(a.loc, 'invalid use of void expression');
      out.push(
        isInteger(r.type) || r.type.kind === 'float'
          ? mkCast(promoted(r), r.type.kind === 'float' ? T.double : promote(r.type))
          : r,
      );
    }
  });
  if (!isComplete(ft.ret) && ft.ret.kind !== 'void')
    s.error(lp, `invalid use of undefined type '${typeName(ft.ret)}'`);
  return { k: 'call', loc: lp, type: unqual(ft.ret), callee, funcType: ft, args: out };
}

function parsePrimary(s: State): Expr {
  const t = s.peek();
  if (t.kind === 'punct' && t.text === '(') {
    s.next();
    const e = parseExpr(s);
    s.expect(')');
    return e;
  }
  if (t.kind === 'num') {
    s.next();
    return numberConst(s, t);
  }
  if (t.kind === 'char') {
    s.next();
    const c = parseCharConst(t.text, (m, sev) => (sev === 'error' ? s.error(t, m) : s.warn(t, m)));
    return intConst(t, c.value, c.kind === 'int' ? T.int : c.kind === 'ushort' ? T.ushort : T.uint);
  }
  if (t.kind === 'str') return stringLiteral(s);
  if (t.kind === 'ident') {
    const name = s.sym();
    if (name === '_Generic') return parseGeneric(s);
    if (name === '__builtin_offsetof') return parseOffsetof(s);
    if (isBuiltin(name)) return parseBuiltin(s);
    if (name === '__func__' || name === '__FUNCTION__' || name === '__PRETTY_FUNCTION__') {
      s.next();
      const fn = s.func?.sym.name;
      if (!fn) s.warn(t, `'${name}' is not defined outside of function scope`);
      return stringLiteral(s, fn ?? '', t);
    }
    if (s.isIdent()) {
      s.next();
      return identifier(s, t);
    }
  }
  s.syntax(
    t,
    t.kind === 'eof'
      ? 'expected expression at end of input'
      : `expected expression before ${describeToken(t)}`,
  );
}

function identifier(s: State, t: Token): Expr {
  let sym: Sym | undefined = s.lookup(t.text);
  if (!sym) {
    const b = builtinFunction(t.text, s.id());
    if (b) {
      s.declareGlobal(b);
      sym = b;
    }
  }
  if (!sym) {
    if (s.is('(')) {
      s.warn(t, `implicit declaration of function '${t.text}'`);
      sym = {
        name: t.text,
        type: { kind: 'func', ret: T.int, params: [], variadic: false, noProto: true },
        storage: 'extern',
        loc: t,
        isLocal: false,
        isFunction: true,
        defined: false,
        linkName: t.text,
        id: s.id(),
      };
      s.declareGlobal(sym);
    } else {
      s.error(
        t,
        s.func
          ? `'${t.text}' undeclared (first use in this function)`
          : `'${t.text}' undeclared here (not in a function)`,
      );
      if (s.func && !s.notedUndeclared) {
        s.notedUndeclared = true;
        s.note(t, 'each undeclared identifier is reported only once for each function it appears in');
      }
      // Declare it so that the same name is reported once per function, as GCC does.
      sym = {
        name: t.text,
        type: T.int,
        storage: 'auto',
        loc: t,
        isLocal: true,
        isFunction: false,
        defined: true,
        linkName: t.text,
        id: s.id(),
        used: true,
      };
      s.declare(sym);
      return bad(t);
    }
  }
  if (sym.storage === 'typedef') {
    s.syntax(t, `expected expression before '${t.text}'`);
  }
  sym.used = true;
  if (sym.storage === 'enumconst') return intConst(t, sym.value ?? 0n, sym.type);
  return { k: 'var', loc: t, type: sym.type, sym };
}

function numberConst(s: State, t: Token): Expr {
  const complain = (m: string, sev: 'error' | 'warning'): void =>
    sev === 'error' ? s.error(t, m) : s.warn(t, m);
  const i = parseIntConst(t.text, complain);
  if (i) return intConst(t, i.value, T[i.kind]);
  const f = parseFloatConst(t.text);
  if (!f) {
    s.error(t, `invalid suffix on floating constant "${t.text}"`);
    return bad(t);
  }
  if (f.kind === 'ldouble') s.error(t, 'long double is not supported by futcc (ilp32d ABI: use double)');
  return { k: 'float', loc: t, type: f.kind === 'float' ? T.float : T.double, value: f.value };
}
