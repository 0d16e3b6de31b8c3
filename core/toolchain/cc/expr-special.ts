// Less common primary expressions: compound literals, _Generic, __builtin_offsetof, and the
// variadic-argument intrinsics behind <stdarg.h>.

import type { Expr, Sym } from './ast';
import { isLvalue, rvalue } from './conv';
import { evalInt } from './consteval';
import { parseTypeName } from './decl';
import { bad } from './conv';
import { intConst, parseAssign } from './expr';
import { parseInitializer } from './init';
import type { State } from './state';
import type { Loc } from './token';
import {
  T,
  compatible,
  findMember,
  isComplete,
  isRecord,
  sizeOf,
  typeName,
  unqual,
  type Type,
} from './types';

/** `(type){ init }` — an unnamed object (6.5.2.5): static at file scope, automatic in a block. */
export function parseCompoundLiteral(s: State, type0: Type, at: Loc): Expr {
  const isStatic = s.func === null;
  let type = type0;
  if (type.kind === 'func' || (!isComplete(type) && type.kind !== 'array')) {
    s.error(at, `compound literal has variable size or incomplete type '${typeName(type)}'`);
    type = T.int;
  }
  const sym: Sym = {
    name: '',
    type,
    storage: isStatic ? 'static' : 'auto',
    loc: at,
    isLocal: !isStatic,
    isFunction: false,
    defined: true,
    linkName: '',
    used: true,
    id: s.id(),
  };
  sym.linkName = isStatic ? s.staticName('__compound_literal') : '';
  const init = parseInitializer(s, type, isStatic);
  sym.init = init;
  if (type.kind === 'array' && type.len === null) {
    sym.type = { ...type, len: Math.floor(init.size / Math.max(1, sizeOf(type.base))) };
  }
  if (isStatic) s.globals.push(sym);
  else s.func?.locals.push(sym);
  return { k: 'compound', loc: at, type: sym.type, sym };
}

/** `_Generic(expr, type: e, ..., default: e)` (6.5.1.1). */
export function parseGeneric(s: State): Expr {
  const kw = s.next();
  s.expect('(');
  const ctrl = rvalue(parseAssign(s));
  let chosen: Expr | null = null;
  let dflt: Expr | null = null;
  while (s.accept(',')) {
    if (s.accept('default')) {
      s.expect(':');
      const e = parseAssign(s);
      if (dflt) s.error(e.loc, "duplicate 'default' case in '_Generic'");
      dflt = e;
      continue;
    }
    const t = parseTypeName(s);
    s.expect(':');
    const e = parseAssign(s);
    if (!chosen && compatible(unqual(ctrl.type), t, false)) chosen = e;
  }
  s.expect(')');
  const r = chosen ?? dflt;
  if (!r) {
    s.error(
      kw,
      `'_Generic' selector of type '${typeName(ctrl.type)}' is not compatible with any association`,
    );
    return bad(kw);
  }
  return r;
}

/** `__builtin_offsetof(type, member-designator)`: .a.b[3] paths are allowed. */
export function parseOffsetof(s: State): Expr {
  const kw = s.next();
  s.expect('(');
  let type = parseTypeName(s);
  s.expect(',');
  let offset = 0;
  let first = true;
  for (;;) {
    if (first || s.accept('.')) {
      const name = s.next();
      if (!isRecord(type) || !type.info.complete) {
        s.error(name, `request for member '${name.text}' in something not a structure or union`);
        break;
      }
      const path = findMember(type.info, name.text);
      if (!path) {
        s.error(name, `'${typeName(type)}' has no member named '${name.text}'`);
        break;
      }
      for (const m of path) offset += m.offset;
      type = (path[path.length - 1] as { type: Type }).type;
      first = false;
    } else if (s.is('[')) {
      const lb = s.next();
      const idx = evalInt(parseAssign(s));
      s.expect(']');
      if (type.kind !== 'array' || idx === null) {
        s.error(lb, 'cannot apply array subscript in offsetof');
        break;
      }
      type = type.base;
      offset += Number(idx) * sizeOf(type);
    } else break;
  }
  s.expect(')');
  return intConst(kw, offset, T.uint);
}

const BUILTINS = new Set([
  '__builtin_va_start',
  '__builtin_va_arg',
  '__builtin_va_end',
  '__builtin_va_copy',
  '__builtin_expect',
]);

export function isBuiltin(name: string): boolean {
  return BUILTINS.has(name);
}

function vaList(s: State, e: Expr, what: string): Expr {
  const t = unqual(e.type);
  const ok = t.kind === 'ptr' && t.base.kind === 'char' && isLvalue(e);
  if (!ok) s.error(e.loc, `first argument to '${what}' not of type 'va_list'`);
  return e;
}

export function parseBuiltin(s: State): Expr {
  const kw = s.next();
  const name = kw.text;
  s.expect('(');
  let r: Expr;
  switch (name) {
    case '__builtin_va_start': {
      const ap = vaList(s, parseAssign(s), 'va_start');
      s.expect(',');
      parseAssign(s);
      if (!s.func?.type.variadic) s.error(kw, "'va_start' used in function with fixed arguments");
      r = { k: 'va_start', loc: kw, type: T.void, ap };
      break;
    }
    case '__builtin_va_arg': {
      const ap = vaList(s, parseAssign(s), 'va_arg');
      s.expect(',');
      const type = parseTypeName(s);
      r = { k: 'va_arg', loc: kw, type: unqual(type), ap };
      break;
    }
    case '__builtin_va_end':
      r = { k: 'va_end', loc: kw, type: T.void, ap: vaList(s, parseAssign(s), 'va_end') };
      break;
    case '__builtin_va_copy': {
      const dst = vaList(s, parseAssign(s), 'va_copy');
      s.expect(',');
      const src = rvalue(parseAssign(s));
      r = { k: 'va_copy', loc: kw, type: T.void, dst, src };
      break;
    }
    default: {
      // __builtin_expect(e, c): the value of e (the hint is for optimisers).
      r = rvalue(parseAssign(s));
      s.expect(',');
      parseAssign(s);
    }
  }
  s.expect(')');
  return r;
}
