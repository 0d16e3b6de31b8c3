// Declaration specifiers and declarators (C11 6.7): storage classes, qualifiers, type specifier
// combinations, pointers/arrays/functions in any nesting, abstract declarators and type names.

import type { Storage } from './ast';
import { evalInt } from './consteval';
import { parseAssign, parseExpr } from './expr';
import { parseEnum, parseRecord } from './record';
import type { State } from './state';
import { KEYWORDS } from './state';
import type { Loc, Token } from './token';
import {
  T,
  alignOf,
  arrayOf,
  isComplete,
  isInteger,
  ptrTo,
  typeName,
  unqual,
  withQuals,
  type Param,
  type Quals,
  type Type,
} from './types';

export interface DeclSpec {
  type: Type;
  storage: Storage | null;
  inline: boolean;
  noreturn: boolean;
  align?: number;
  /** No type specifier was given (implicit int). */
  implicit: boolean;
  loc: Loc;
}

const TYPE_WORDS = new Set([
  'void',
  '_Bool',
  'char',
  'short',
  'int',
  'long',
  'float',
  'double',
  'signed',
  'unsigned',
  '_Complex',
  'struct',
  'union',
  'enum',
  'typeof',
  '__builtin_va_list',
]);
const QUAL_WORDS = new Set(['const', 'volatile', 'restrict', '_Atomic']);
const OTHER_SPEC = new Set([
  'typedef',
  'extern',
  'static',
  'auto',
  'register',
  '_Thread_local',
  'inline',
  '_Noreturn',
  '_Alignas',
  '__attribute__',
  '__extension__',
]);

/** Does a declaration (or type name) start at token k? */
export function isTypeStart(s: State, k = 0): boolean {
  const t = s.peek(k);
  if (t.kind !== 'ident') return false;
  const w = s.sym(k);
  if (KEYWORDS.has(t.text)) return TYPE_WORDS.has(w) || QUAL_WORDS.has(w) || OTHER_SPEC.has(w);
  return s.isTypedefName(k);
}

/** Skips `__attribute__((...))`, returning the alignment from `aligned(N)` and `packed`. */
export function parseAttributes(s: State): { aligned?: number; packed?: boolean } {
  const r: { aligned?: number; packed?: boolean } = {};
  while (s.is('__attribute__')) {
    s.next();
    s.expect('(');
    s.expect('(');
    let depth = 0;
    while (!s.atEof()) {
      if (depth === 0 && s.is(')')) break;
      const t = s.next();
      const w = t.text.replace(/^__(.*)__$/, '$1');
      if (t.kind === 'ident' && depth === 0 && w === 'packed') r.packed = true;
      if (t.kind === 'ident' && depth === 0 && w === 'aligned') {
        if (s.accept('(')) {
          const v = evalInt(parseAssign(s));
          s.expect(')');
          if (v !== null && v > 0n) r.aligned = Number(v);
        } else r.aligned = 16;
        continue;
      }
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
    }
    s.expect(')');
    s.expect(')');
  }
  return r;
}

export function parseDeclSpec(s: State, allowStorage: boolean): DeclSpec {
  const loc = s.peek();
  let storage: Storage | null = null;
  const q: Quals = {};
  let inline = false;
  let noreturn = false;
  let align: number | undefined;
  let base: Type | null = null;
  const counts: Record<string, number> = {};
  let any = false;
  for (;;) {
    const t = s.peek();
    if (t.kind !== 'ident') break;
    const w = s.sym();
    if (!KEYWORDS.has(t.text)) {
      // A typedef name is a type specifier only if no other type specifier was seen.
      if (base || Object.keys(counts).length || !s.isTypedefName()) break;
      const sym = s.lookup(t.text);
      s.next();
      if (sym) sym.used = true;
      base = sym?.type ?? T.int;
      any = true;
      continue;
    }
    if (w === 'typedef' || w === 'extern' || w === 'static' || w === 'auto' || w === 'register') {
      s.next();
      if (!allowStorage)
        s.error(
          t,
          `storage class specified for ${w === 'typedef' ? 'typedef name' : 'unnamed parameter or type name'}`,
        );
      else if (storage) s.error(t, 'multiple storage classes in declaration specifiers');
      else storage = w;
      continue;
    }
    if (w === '_Thread_local') {
      s.next();
      s.error(t, '_Thread_local is not supported by futcc (Futura has no thread-local storage)');
      continue;
    }
    if (QUAL_WORDS.has(w)) {
      s.next();
      if (w === '_Atomic') s.error(t, '_Atomic is not supported by futcc');
      else q[w as keyof Quals] = true;
      continue;
    }
    if (w === 'inline' || w === '_Noreturn') {
      s.next();
      if (w === 'inline') inline = true;
      else noreturn = true;
      continue;
    }
    if (w === '__extension__') {
      s.next();
      continue;
    }
    if (w === '__attribute__') {
      const a = parseAttributes(s);
      if (a.aligned) align = Math.max(align ?? 1, a.aligned);
      if (a.packed) s.warn(t, "'packed' attribute ignored");
      continue;
    }
    if (w === '_Alignas') {
      s.next();
      s.expect('(');
      let v: number;
      if (isTypeStart(s)) v = alignOf(parseTypeName(s));
      else {
        const e = parseAssign(s);
        const c = evalInt(e);
        if (c === null || c < 0n || (c & (c - 1n)) !== 0n) {
          s.error(e.loc, 'requested alignment is not a positive power of 2');
          v = 1;
        } else v = Number(c);
      }
      s.expect(')');
      align = Math.max(align ?? 0, v);
      continue;
    }
    if (!TYPE_WORDS.has(w)) break;
    any = true;
    if (w === 'struct' || w === 'union' || w === 'enum' || w === 'typeof' || w === '__builtin_va_list') {
      if (base || Object.keys(counts).length) s.error(t, 'two or more data types in declaration specifiers');
      if (w === 'struct' || w === 'union') base = parseRecord(s);
      else if (w === 'enum') base = parseEnum(s);
      else if (w === '__builtin_va_list') {
        s.next();
        base = ptrTo(T.char);
      } else base = parseTypeof(s);
      continue;
    }
    s.next();
    if (base) s.error(t, 'two or more data types in declaration specifiers');
    if (w === '_Complex') s.error(t, '_Complex is not supported by futcc');
    counts[w] = (counts[w] ?? 0) + 1;
  }
  let type: Type;
  if (base) type = base;
  else if (Object.keys(counts).length) type = combine(s, counts, loc);
  else {
    type = T.int;
    if (any === false && (storage || Object.keys(q).length || inline || noreturn)) {
      s.warn(s.peek(), "type defaults to 'int' in declaration");
    }
  }
  return {
    type: withQuals(type, q),
    storage,
    inline,
    noreturn,
    align,
    implicit: !base && !Object.keys(counts).length,
    loc,
  };
}

function combine(s: State, c: Record<string, number>, loc: Loc): Type {
  const n = (w: string): number => c[w] ?? 0;
  const key = Object.entries(c)
    .map(([w, k]) => (w + ' ').repeat(k).trim())
    .sort()
    .join(' ');
  const signed = n('signed');
  const unsigned = n('unsigned');
  if (signed && unsigned) {
    s.error(loc, "both 'signed' and 'unsigned' in declaration specifiers");
    return T.int;
  }
  const rest = key
    .split(' ')
    .filter((w) => w !== 'signed' && w !== 'unsigned' && w !== 'int')
    .join(' ');
  if (n('int') > 1) {
    s.error(loc, 'two or more data types in declaration specifiers');
    return T.int;
  }
  switch (rest) {
    case '':
      return unsigned ? T.uint : T.int;
    case 'char':
      if (n('int')) break;
      return signed ? T.schar : unsigned ? T.uchar : T.char;
    case 'short':
      return unsigned ? T.ushort : T.short;
    case 'long':
      return unsigned ? T.ulong : T.long;
    case 'long long':
      return unsigned ? T.ullong : T.llong;
    case 'void':
    case '_Bool':
    case 'float':
    case 'double':
      if (signed || unsigned || n('int')) break;
      return rest === 'void' ? T.void : rest === '_Bool' ? T.bool : rest === 'float' ? T.float : T.double;
    case 'double long':
      s.error(loc, 'long double is not supported by futcc (ilp32d ABI: use double)');
      return T.double;
    case 'long long long':
      s.error(loc, "'long long long' is too long for GCC");
      return T.llong;
    default:
      break;
  }
  s.error(loc, 'two or more data types in declaration specifiers');
  return T.int;
}

function parseTypeof(s: State): Type {
  s.next();
  s.expect('(');
  let t: Type;
  if (isTypeStart(s)) t = parseTypeName(s);
  else t = parseExpr(s).type;
  s.expect(')');
  return t;
}

export interface Declarator {
  name: Token | null;
  type: Type;
  /** Parameters of the function declarator applied directly to the name (for definitions). */
  params: Array<Param & { loc: Loc }> | null;
  loc: Loc;
}

type Wrap = (t: Type) => Type;

/** Parses a (possibly abstract) declarator applied to `base`. */
export function parseDeclarator(s: State, base: Type, abstract: 'no' | 'maybe' | 'yes' = 'no'): Declarator {
  const r = declaratorWrap(s, abstract);
  return { name: r.name, type: r.wrap(base), params: r.params, loc: r.name ?? r.loc };
}

function declaratorWrap(
  s: State,
  abstract: 'no' | 'maybe' | 'yes',
): { name: Token | null; wrap: Wrap; params: Declarator['params']; loc: Loc } {
  const loc = s.peek();
  const ptrs: Quals[] = [];
  while (s.is('*')) {
    s.next();
    const q: Quals = {};
    for (;;) {
      const w = s.sym();
      if (s.peek().kind === 'ident' && QUAL_WORDS.has(w)) {
        s.next();
        q[w as keyof Quals] = true;
      } else if (s.is('__attribute__')) parseAttributes(s);
      else break;
    }
    ptrs.push(q);
  }
  let inner: ReturnType<typeof declaratorWrap> | null = null;
  let name: Token | null = null;
  if (
    s.is('(') &&
    !isTypeStart(s, 1) &&
    !s.is(')', 1) &&
    (abstract !== 'yes' || s.is('*', 1) || s.is('(', 1) || s.is('[', 1))
  ) {
    s.next();
    inner = declaratorWrap(s, abstract);
    s.expect(')');
  } else if (s.isIdent() && abstract !== 'yes') {
    name = s.next();
  } else if (abstract === 'no') {
    const t = s.peek();
    s.syntax(
      t,
      t.kind === 'eof'
        ? "expected identifier or '(' at end of input"
        : `expected identifier or '(' before '${t.text}'`,
    );
  }
  const suffix = parseSuffixes(s, name);
  parseAttributes(s);
  const params = inner ? inner.params : suffix.params;
  const wrap: Wrap = (t0) => {
    let t = t0;
    for (const q of ptrs) t = withQuals(ptrTo(t), q);
    t = suffix.wrap(t);
    return inner ? inner.wrap(t) : t;
  };
  return { name: inner ? inner.name : name, wrap, params, loc };
}

function parseSuffixes(s: State, name: Token | null): { wrap: Wrap; params: Declarator['params'] } {
  if (s.is('[')) {
    const lb = s.next();
    let len: number | null = null;
    while (s.peek().kind === 'ident' && (QUAL_WORDS.has(s.sym()) || s.sym() === 'static')) s.next();
    if (s.is('*') && s.is(']', 1)) {
      s.next();
      s.error(lb, 'variable length arrays are not supported by futcc');
    } else if (!s.is(']')) {
      const e = parseAssign(s);
      const v = evalInt(e);
      if (v === null) {
        if (!isInteger(e.type))
          s.error(name ?? lb, `size of array ${name ? `'${name.text}' ` : ''}has non-integer type`);
        else s.error(lb, 'variable length arrays are not supported by futcc');
        len = 1;
      } else if (v < 0n && !(isInteger(e.type) && e.type.kind.startsWith('u'))) {
        s.error(name ?? lb, `size of array ${name ? `'${name.text}' ` : ''}is negative`);
        len = 1;
      } else if (v > 0x7fffffffn) {
        s.error(name ?? lb, `size of array ${name ? `'${name.text}' ` : ''}is too large`);
        len = 1;
      } else len = Number(v);
    }
    s.expect(']');
    const rest = parseSuffixes(s, name);
    return {
      wrap: (t) => {
        const elem = rest.wrap(t);
        if (elem.kind === 'func')
          s.error(lb, `declaration of ${name ? `'${name.text}' ` : ''}as array of functions`);
        else if (!isComplete(elem) && elem.kind !== 'void') {
          s.error(lb, `array type has incomplete element type '${typeName(elem)}'`);
        } else if (elem.kind === 'void')
          s.error(lb, `declaration of ${name ? `'${name.text}' ` : ''}as array of voids`);
        return arrayOf(elem, len);
      },
      params: null,
    };
  }
  if (s.is('(')) {
    const lp = s.next();
    const fp = parseParams(s);
    const rest = parseSuffixes(s, name);
    return {
      wrap: (t) => {
        const ret = rest.wrap(t);
        if (ret.kind === 'func')
          s.error(lp, `${name ? `'${name.text}' ` : ''}declared as function returning a function`);
        if (ret.kind === 'array')
          s.error(lp, `${name ? `'${name.text}' ` : ''}declared as function returning an array`);
        return {
          kind: 'func',
          ret: unqual(ret),
          params: fp.params.map((p) => ({ name: p.name, type: p.type })),
          variadic: fp.variadic,
          noProto: fp.noProto,
        };
      },
      params: fp.params,
    };
  }
  return { wrap: (t) => t, params: null };
}

function parseParams(s: State): { params: Array<Param & { loc: Loc }>; variadic: boolean; noProto: boolean } {
  const params: Array<Param & { loc: Loc }> = [];
  if (s.accept(')')) return { params, variadic: false, noProto: true };
  if (s.is('void') && s.is(')', 1)) {
    s.next();
    s.next();
    return { params, variadic: false, noProto: false };
  }
  let variadic = false;
  s.enterScope();
  try {
    for (;;) {
      if (s.accept('...')) {
        variadic = true;
        if (params.length === 0) s.error(s.peek(), "ISO C requires a named argument before '...'");
        break;
      }
      const at = s.peek();
      if (!isTypeStart(s)) {
        if (s.isIdent()) s.syntax(at, `unknown type name '${at.text}'`);
        s.syntax(at, `expected declaration specifiers or '...' before '${at.text}'`);
      }
      const spec = parseDeclSpec(s, true);
      if (spec.storage && spec.storage !== 'register')
        s.error(spec.loc, `storage class specified for parameter`);
      const d = parseDeclarator(s, spec.type, 'maybe');
      let t = d.type;
      // Parameter adjustments (6.7.6.3p7-8).
      if (t.kind === 'array') t = withQuals(ptrTo(t.base), { const: t.const, volatile: t.volatile });
      else if (t.kind === 'func') t = ptrTo(t);
      if (t.kind === 'void') {
        if (d.name) s.error(d.name, `parameter ${params.length + 1} ('${d.name.text}') has incomplete type`);
        else s.error(at, "'void' must be the only parameter");
      }
      params.push({ name: d.name?.text ?? null, type: t, loc: d.name ?? at });
      if (!s.accept(',')) break;
    }
    s.expect(')');
  } finally {
    s.leaveScope();
  }
  return { params, variadic, noProto: false };
}

/** A type name (6.7.7): specifiers and qualifiers followed by an abstract declarator. */
export function parseTypeName(s: State): Type {
  const spec = parseDeclSpec(s, false);
  return parseDeclarator(s, spec.type, 'yes').type;
}
