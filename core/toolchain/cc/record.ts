// struct/union and enum specifiers (C11 6.7.2.1-6.7.2.3): tags and their scopes, members,
// bit-fields, anonymous members, flexible array members, enumeration constants.

import type { Sym } from './ast';
import { evalInt } from './consteval';
import { isTypeStart, parseAttributes, parseDeclarator, parseDeclSpec } from './decl';
import { parseAssign } from './expr';
import { parseStaticAssert } from './toplevel';
import { SyntaxError_, type State, type Tag } from './state';
import type { Token } from './token';
import {
  T,
  isComplete,
  isInteger,
  isRecord,
  layoutRecord,
  newEnum,
  newRecord,
  sizeOf,
  typeName,
  type IntType,
  type MemberDecl,
  type RecordType,
  type Type,
} from './types';

export function parseRecord(s: State): Type {
  const kw = s.next();
  const kind = kw.text === 'struct' ? 'struct' : 'union';
  const attrs = parseAttributes(s);
  let tagTok: Token | null = null;
  if (s.isIdent() || s.isTypedefName()) tagTok = s.next();
  const tag = tagTok?.text ?? null;
  const defining = s.is('{');
  // `struct S;` on its own declares a new incomplete type in the current scope (6.7.2.3p7).
  const declOnly = !defining && s.is(';');
  let existing: Tag | undefined;
  if (tag) existing = defining || declOnly ? s.lookupTagCurrent(tag) : s.lookupTag(tag);
  if (existing && existing.kind !== kind) {
    s.error(tagTok as Token, `'${tag}' defined as wrong kind of tag`);
    existing = undefined;
  }
  let info = existing && existing.kind === kind ? existing.info : undefined;
  if (!info || (defining && info.complete)) {
    if (info && defining && info.complete) s.error(tagTok as Token, `redefinition of '${kind} ${tag}'`);
    info = newRecord(tag, kind === 'union');
    if (tag) s.declareTag(tag, { kind, info });
  }
  const type: RecordType = { kind, info };
  if (!defining) {
    if (!tag) s.syntax(s.peek(), `expected '{' before '${s.peek().text}'`);
    return type;
  }
  s.next();
  const decls: MemberDecl[] = [];
  const names = new Set<string>();
  while (!s.is('}') && !s.atEof()) {
    try {
      parseMemberDecl(s, decls, names);
    } catch (e) {
      if (!(e instanceof SyntaxError_)) throw e;
      s.recover();
    }
  }
  s.expect('}');
  const after = parseAttributes(s);
  const packed = attrs.packed || after.packed;
  checkFlexible(s, decls, kw, kind);
  layoutRecord(
    info,
    packed ? decls.map((d) => ({ ...d, align: d.align ?? 1 })) : decls,
    Math.max(attrs.aligned ?? 1, after.aligned ?? 1),
  );
  info.hasFlexArray = decls.some((d) => d.type.kind === 'array' && d.type.len === null);
  return type;
}

/** Where each member was declared (for diagnostics about it after the whole struct is seen). */
const memberLoc = new WeakMap<MemberDecl, Token>();

function checkFlexible(s: State, decls: MemberDecl[], kw: Token, kind: string): void {
  decls.forEach((d, i) => {
    if (d.type.kind !== 'array' || d.type.len !== null) return;
    const at = memberLoc.get(d) ?? kw;
    if (kind === 'union') s.error(at, `flexible array member in union`);
    else if (i !== decls.length - 1) s.error(at, `flexible array member not at end of struct`);
    else if (!decls.some((x) => x.name !== null && x !== d))
      s.error(at, 'flexible array member in a struct with no named members');
  });
}

function parseMemberDecl(s: State, decls: MemberDecl[], names: Set<string>): void {
  if (s.is('_Static_assert')) {
    parseStaticAssert(s);
    return;
  }
  const at = s.peek();
  if (!isTypeStart(s)) s.syntax(at, `expected specifier-qualifier-list before '${at.text}'`);
  const spec = parseDeclSpec(s, false);
  // Anonymous struct/union member (C11 6.7.2.1p13).
  if (s.is(';') && isRecord(spec.type)) {
    s.next();
    if (spec.type.info.tag && !spec.type.info.members.length && !spec.type.info.complete) return;
    for (const m of allNames(spec.type)) {
      if (names.has(m)) s.error(at, `duplicate member '${m}'`);
      names.add(m);
    }
    decls.push({ name: null, type: spec.type, align: spec.align });
    return;
  }
  if (s.accept(';')) {
    s.warn(at, 'declaration does not declare anything');
    return;
  }
  for (;;) {
    let name: Token | null = null;
    let type = spec.type;
    if (!s.is(':')) {
      const d = parseDeclarator(s, spec.type);
      name = d.name;
      type = d.type;
    }
    const label = name ? `'${name.text}'` : '';
    let bitWidth: number | undefined;
    if (s.is(':')) {
      const colon = s.next();
      const e = parseAssign(s);
      const w = evalInt(e);
      const where = name ?? colon;
      if (w === null) s.error(where, `bit-field ${label || '<anonymous>'} width not an integer constant`);
      else if (!isInteger(type)) s.error(where, `bit-field ${label || '<anonymous>'} has invalid type`);
      else if (w < 0n) s.error(where, `negative width in bit-field ${label || '<anonymous>'}`);
      else if (w > BigInt(type.kind === 'bool' ? 1 : sizeOf(type) * 8))
        s.error(where, `width of ${label || '<anonymous>'} exceeds its type`);
      else if (w === 0n && name) s.error(where, `zero width for bit-field ${label}`);
      else bitWidth = Number(w);
      if (bitWidth === undefined) bitWidth = 1;
    }
    if (name) {
      if (type.kind === 'func') s.error(name, `field ${label} declared as a function`);
      else if (type.kind === 'void' || (!isComplete(type) && !(type.kind === 'array' && type.len === null))) {
        s.error(name, `field ${label} has incomplete type`);
        type = T.int;
      }
      if (names.has(name.text)) s.error(name, `duplicate member ${label}`);
      names.add(name.text);
    }
    const decl: MemberDecl = { name: name?.text ?? null, type, bitWidth, align: spec.align };
    if (name) memberLoc.set(decl, name);
    decls.push(decl);
    parseAttributes(s);
    if (!s.accept(',')) break;
  }
  s.expect(';', "',' or ';'");
}

function allNames(t: RecordType): string[] {
  const out: string[] = [];
  for (const m of t.info.members) {
    if (m.name) out.push(m.name);
    else if (isRecord(m.type)) out.push(...allNames(m.type));
  }
  return out;
}

export function parseEnum(s: State): Type {
  s.next();
  parseAttributes(s);
  let tagTok: Token | null = null;
  if (s.isIdent() || s.isTypedefName()) tagTok = s.next();
  const tag = tagTok?.text ?? null;
  if (!s.is('{')) {
    if (!tag) s.syntax(s.peek(), `expected '{' before '${s.peek().text}'`);
    const ex = s.lookupTag(tag as string);
    if (ex && ex.kind === 'enum') return ex.type;
    if (ex) s.error(tagTok as Token, `'${tag}' defined as wrong kind of tag`);
    // A forward reference to an enum (GNU extension): incomplete until defined.
    const info = newEnum(tag);
    const type: IntType = { kind: 'uint', enumTag: info };
    s.declareTag(tag as string, { kind: 'enum', info, type });
    return type;
  }
  s.next();
  let info = newEnum(tag);
  const ex = tag ? s.lookupTagCurrent(tag) : undefined;
  if (ex && ex.kind === 'enum' && !ex.info.complete) info = ex.info;
  else if (ex)
    s.error(
      tagTok as Token,
      ex.kind === 'enum' ? `redeclaration of 'enum ${tag}'` : `'${tag}' defined as wrong kind of tag`,
    );
  const consts: Sym[] = [];
  let next = 0n;
  while (!s.is('}') && !s.atEof()) {
    const name = s.next();
    if (name.kind !== 'ident') s.syntax(name, `expected identifier before '${name.text}'`);
    parseAttributes(s);
    if (s.accept('=')) {
      const e = parseAssign(s);
      const v = evalInt(e);
      if (v === null) s.error(e.loc, `enumerator value for '${name.text}' is not an integer constant`);
      else next = v;
    }
    const prev = s.lookupCurrent(name.text);
    if (prev) {
      s.error(
        name,
        prev.storage === 'enumconst'
          ? `redeclaration of enumerator '${name.text}'`
          : `'${name.text}' redeclared as different kind of symbol`,
      );
      s.note(
        prev.loc,
        `previous ${prev.storage === 'enumconst' ? 'definition' : 'declaration'} of '${name.text}' with type '${typeName(prev.type)}'`,
      );
    }
    const sym: Sym = {
      name: name.text,
      type: next >= -0x80000000n && next <= 0x7fffffffn ? T.int : T.uint,
      storage: 'enumconst',
      loc: name,
      isLocal: !s.atFileScope,
      isFunction: false,
      defined: true,
      linkName: name.text,
      value: next,
      id: s.id(),
    };
    s.declare(sym);
    consts.push(sym);
    next++;
    if (!s.accept(',')) break;
  }
  s.expect('}');
  parseAttributes(s);
  info.complete = true;
  info.values = consts.map((c) => ({ name: c.name, value: c.value ?? 0n }));
  // GCC: unsigned int when no value is negative, else int (wider only when needed).
  const min = consts.reduce((m, c) => ((c.value ?? 0n) < m ? (c.value ?? 0n) : m), 0n);
  const max = consts.reduce((m, c) => ((c.value ?? 0n) > m ? (c.value ?? 0n) : m), 0n);
  let kind: IntType['kind'] = min < 0n ? 'int' : 'uint';
  if (min < -0x80000000n || (min < 0n && max > 0x7fffffffn)) kind = 'llong';
  else if (max > 0xffffffffn) kind = min < 0n ? 'llong' : 'ullong';
  const type: IntType = { kind, enumTag: info };
  if (tag) s.declareTag(tag, { kind: 'enum', info, type });
  if (ex && ex.kind === 'enum') ex.type = type;
  return type;
}
