// Initializers (C11 6.7.9): scalars, brace lists with brace elision, designators (`.m`, `[i]`,
// GNU ranges `[a ... b]`), string literals for character arrays, zero-fill, and the size of an
// incomplete array fixed by its initializer. The result is flat: (offset, type, expr) items over a
// zero-filled object. An item whose type is an array and whose expr is a `str` node copies the
// literal into the array (truncated to the array's length).

import type { Expr, InitItem, Initializer } from './ast';
import { assignConv, isBad, rvalue } from './conv';
import { evalConst, evalInt } from './consteval';
import { parseAssign } from './expr';
import type { State } from './state';
import type { Loc } from './token';
import {
  T,
  compatible,
  isArith,
  isRecord,
  isScalar,
  sizeOf,
  typeName,
  unqual,
  type ArrayType,
  type Member,
  type Type,
} from './types';

interface Ctx {
  s: State;
  /** An expression already parsed (brace elision) that initializes the next scalar leaf. */
  pending: Expr | null;
  items: InitItem[];
  isStatic: boolean;
}

export function parseInitializer(s: State, type: Type, isStatic: boolean): Initializer {
  const ctx: Ctx = { s, items: [], isStatic, pending: null };
  let size = sizeOf(type);
  if (type.kind === 'array' && type.len === null) {
    const n = initArrayTop(ctx, type);
    size = n * sizeOf(type.base);
  } else initOne(ctx, type, 0, null);
  const items = dedupe(ctx.items);
  if (isStatic) for (const it of items) checkConstant(s, it);
  return { size, items };
}

function checkConstant(s: State, it: InitItem): void {
  if (isBad(it.expr)) return; // already reported
  if (it.expr.k === 'str' && it.type.kind === 'array') return;
  const c = evalConst(it.expr);
  if (!c) {
    s.error(it.loc ?? it.expr.loc, 'initializer element is not constant');
    return;
  }
  if (c.kind === 'addr' && it.type.kind !== 'ptr' && sizeOf(it.type) !== 4) {
    s.error(it.loc ?? it.expr.loc, 'initializer element is not computable at load time');
  }
}

/** Later initializers for the same subobject override earlier ones (6.7.9p19). */
function dedupe(items: InitItem[]): InitItem[] {
  const seen = new Set<string>();
  const out: InitItem[] = [];
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i] as InitItem;
    const key = `${it.offset}:${it.bitField?.bitOffset ?? -1}:${sizeOf(it.type)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(it);
  }
  return out.reverse();
}

const isCharArray = (t: Type): t is ArrayType =>
  t.kind === 'array' &&
  ['char', 'schar', 'uchar', 'int', 'uint', 'ushort', 'short', 'long', 'ulong'].includes(t.base.kind);

/** Top-level initializer of an array of unknown size: returns the element count. */
function initArrayTop(ctx: Ctx, type: ArrayType): number {
  const { s } = ctx;
  if (s.peek().kind === 'str' || (s.is('{') && s.peek(1).kind === 'str' && isCharArray(type))) {
    const braced = s.accept('{');
    const e = parseAssign(s);
    if (braced) {
      s.accept(',');
      s.expect('}');
    }
    if (e.k === 'str' && isCharArray(type)) {
      ctx.items.push({ offset: 0, type: { ...type, len: e.str.units.length }, expr: e });
      checkStringElem(s, type, e);
      return e.str.units.length;
    }
    s.error(e.loc, 'invalid initializer');
    return 1;
  }
  if (!s.is('{')) {
    const e = parseAssign(s);
    s.error(e.loc, 'invalid initializer');
    return 1;
  }
  s.next();
  const n = arrayElements(ctx, type, 0, true);
  s.expect('}');
  return n;
}

function checkStringElem(s: State, type: ArrayType, e: Expr & { k: 'str' }): void {
  const want = unqual(type.base).kind;
  const have = e.str.elem.kind;
  const narrow = (k: string): boolean => k === 'char' || k === 'schar' || k === 'uchar';
  if (narrow(have) ? !narrow(want) : have !== want && !(have === 'int' && want === 'long')) {
    s.error(e.loc, 'array of inappropriate type initialized from string constant');
  }
}

/** Initializes one object of `type` at `offset`; `pending` is an already-parsed expression. */
function initOne(ctx: Ctx, type: Type, offset: number, member: Member | null): void {
  const { s } = ctx;
  if (ctx.pending) {
    const e = ctx.pending;
    if (type.kind === 'array' && e.k === 'str' && isCharArray(type)) {
      ctx.pending = null;
      ctx.items.push({ offset, type, expr: e });
      return;
    }
    if (isRecord(type) || type.kind === 'array') return aggregate(ctx, type, offset, false);
    ctx.pending = null;
    if (!isScalar(type)) return s.error(e.loc, `invalid initializer for type '${typeName(type)}'`);
    const conv = assignConv(s, e, type, { kind: 'init' }, e.loc);
    ctx.items.push({ offset, type: unqual(type), expr: conv, bitField: member?.bitField, loc: e.loc });
    return;
  }
  if (s.is('{')) {
    const lb = s.next();
    if (isScalar(type)) {
      if (s.is('}')) {
        s.next();
        ctx.items.push({ offset, type, expr: zero(lb, type), bitField: member?.bitField });
        return;
      }
      initOne(ctx, type, offset, member);
      if (s.accept(',') && !s.is('}')) {
        s.warn(s.peek(), 'excess elements in scalar initializer');
        while (!s.is('}') && !s.atEof()) {
          parseAssign(s);
          if (!s.accept(',')) break;
        }
      }
      s.expect('}');
      return;
    }
    if (
      type.kind === 'array' &&
      s.peek().kind === 'str' &&
      isCharArray(type) &&
      (s.is('}', 1) || (s.is(',', 1) && s.is('}', 2)))
    ) {
      stringInit(ctx, type, offset);
      s.accept(',');
      s.expect('}');
      return;
    }
    aggregate(ctx, type, offset, true);
    s.expect('}');
    return;
  }
  if (type.kind === 'array' && s.peek().kind === 'str' && isCharArray(type)) {
    stringInit(ctx, type, offset);
    return;
  }
  if (isRecord(type) || type.kind === 'array') {
    // Brace elision: an expression of the same struct type initializes the whole member;
    // otherwise the expression starts the member's own initializer list.
    if (isRecord(type)) {
      const e = parseAssign(s);
      const r = rvalue(e);
      if (isRecord(r.type) && compatible(unqual(r.type), unqual(type), true)) {
        ctx.items.push({ offset, type, expr: r });
        return;
      }
      ctx.pending = e;
    }
    aggregate(ctx, type, offset, false);
    return;
  }
  const start = s.peek();
  const e = parseAssign(s);
  if (type.kind === 'void' || (!isScalar(type) && !isArith(type))) {
    s.error(e.loc, `invalid initializer for type '${typeName(type)}'`);
    return;
  }
  const conv = assignConv(s, e, type, { kind: 'init' }, e.loc);
  ctx.items.push({ offset, type: unqual(type), expr: conv, bitField: member?.bitField, loc: start });
}

function zero(at: Loc, type: Type): Expr {
  return { k: 'cast', loc: at, type: unqual(type), expr: { k: 'int', loc: at, type: T.int, value: 0n } };
}

function stringInit(ctx: Ctx, type: ArrayType, offset: number): void {
  const e = parseAssign(ctx.s);
  if (e.k !== 'str') {
    ctx.s.error(e.loc, 'invalid initializer');
    return;
  }
  checkStringElem(ctx.s, type, e);
  if (type.len !== null && e.str.units.length - 1 > type.len) {
    ctx.s.warn(e.loc, `initializer-string for array of '${typeName(type.base)}' is too long`);
  }
  ctx.items.push({ offset, type, expr: e });
}

function aggregate(ctx: Ctx, type: Type, offset: number, braced: boolean): void {
  if (type.kind === 'array') arrayElements(ctx, type, offset, braced);
  else if (isRecord(type)) recordMembers(ctx, type.info.members, type.info.isUnion, offset, braced, type);
}

/** True at the end of a brace list: `}` or `, }`. */
function atListEnd(s: State): boolean {
  return s.is('}') || (s.is(',') && s.is('}', 1)) || s.atEof();
}

function arrayElements(ctx: Ctx, type: ArrayType, offset: number, braced: boolean): number {
  const { s } = ctx;
  const esz = sizeOf(type.base);
  let idx = 0;
  let count = 0;
  let first = true;
  while (ctx.pending || !atListEnd(s)) {
    let comma = false;
    if (!first) {
      if (!braced && (s.is('[', 1) || s.is('.', 1))) return count;
      s.expect(',');
      comma = true;
    }
    first = false;
    if (!ctx.pending && s.is('[')) {
      if (!braced) {
        // A designator belongs to the enclosing braced object: give back the comma.
        if (comma) s.pos--;
        return count;
      }
      const lb = s.next();
      const lo = evalInt(parseAssign(s));
      let hi = lo;
      if (s.accept('...')) hi = evalInt(parseAssign(s));
      s.expect(']');
      if (lo === null || hi === null || lo < 0n || (type.len !== null && hi >= BigInt(type.len))) {
        s.error(
          lb,
          lo === null || hi === null
            ? 'array index in initializer not of integer type'
            : 'array index in initializer exceeds array bounds',
        );
        skipInit(s);
        continue;
      }
      const start = s.pos;
      for (let i = Number(lo); i <= Number(hi); i++) {
        s.pos = start;
        designated(ctx, type.base, offset + i * esz);
      }
      idx = Number(hi) + 1;
      count = Math.max(count, idx);
      continue;
    }
    if (!ctx.pending && s.is('.')) {
      if (!braced) {
        if (comma) s.pos--;
        return count;
      }
      s.error(s.peek(), `field name not in record or union initializer`);
      skipInit(s);
      continue;
    }
    if (type.len !== null && idx >= type.len) {
      if (!braced) {
        if (comma) s.pos--;
        return count;
      }
      s.warn(s.peek(), 'excess elements in array initializer');
      skipInit(s);
      continue;
    }
    initOne(ctx, type.base, offset + idx * esz, null);
    idx++;
    count = Math.max(count, idx);
    if (!braced && type.len !== null && idx >= type.len) return count;
  }
  if (braced) s.accept(',');
  return count;
}

/** After a designator: more designators, then `=` and the initializer. */
function designated(ctx: Ctx, type: Type, offset: number, member: Member | null = null): void {
  const { s } = ctx;
  if (s.is('[') || s.is('.')) {
    // Nested designation: navigate inside the subobject.
    if (s.is('[') && type.kind === 'array') {
      const lb = s.next();
      const i = evalInt(parseAssign(s));
      s.expect(']');
      if (i === null || i < 0n || (type.len !== null && i >= BigInt(type.len)))
        s.error(lb, 'array index in initializer exceeds array bounds');
      return designated(ctx, type.base, offset + Number(i ?? 0n) * sizeOf(type.base));
    }
    if (s.is('.') && isRecord(type)) {
      s.next();
      const name = s.next();
      const m = type.info.members.find((x) => x.name === name.text);
      if (!m) {
        s.error(name, `'${typeName(type)}' has no member named '${name.text}'`);
        return skipInit(s);
      }
      return designated(ctx, m.type, offset + m.offset, m);
    }
    s.error(
      s.peek(),
      s.is('[') ? 'array index in non-array initializer' : 'field name not in record or union initializer',
    );
    return skipInit(s);
  }
  if (!s.accept('=')) s.error(s.peek(), "expected '=' before initializer");
  initOne(ctx, type, offset, member);
}

function skipInit(s: State): void {
  let depth = 0;
  while (!s.atEof()) {
    if (depth === 0 && (s.is(',') || s.is('}'))) return;
    const t = s.next();
    if (t.text === '{') depth++;
    else if (t.text === '}') depth--;
  }
}

function recordMembers(
  ctx: Ctx,
  members: Member[],
  isUnion: boolean,
  offset: number,
  braced: boolean,
  type: Type,
): void {
  const { s } = ctx;
  // Unnamed bit-fields take no part in initialization.
  const fields = members.filter((m) => !(m.bitField && m.name === null));
  let idx = 0;
  let first = true;
  while (ctx.pending || !atListEnd(s)) {
    let comma = false;
    if (!first) {
      if (!braced && (s.is('.', 1) || s.is('[', 1))) return;
      s.expect(',');
      comma = true;
    }
    first = false;
    if (!ctx.pending && s.is('.')) {
      if (!braced) {
        if (comma) s.pos--;
        return;
      }
      s.next();
      const name = s.next();
      const i = fields.findIndex((m) => m.name === name.text);
      const anon =
        i < 0
          ? fields.findIndex(
              (m) => m.name === null && isRecord(m.type) && hasMember(m.type.info.members, name.text),
            )
          : -1;
      if (i < 0 && anon < 0) {
        s.error(name, `'${typeName(type)}' has no member named '${name.text}'`);
        skipInit(s);
        continue;
      }
      if (anon >= 0) {
        // `.x` naming a member of an anonymous struct/union: designate through it.
        s.pos -= 2;
        const m = fields[anon] as Member;
        designated(ctx, m.type, offset + m.offset, null);
        idx = anon + 1;
        continue;
      }
      const m = fields[i] as Member;
      designated(ctx, m.type, offset + m.offset, m);
      idx = i + 1;
      if (isUnion) idx = fields.length;
      continue;
    }
    if (!ctx.pending && s.is('[')) {
      if (!braced) {
        if (comma) s.pos--;
        return;
      }
      s.error(s.peek(), 'array index in non-array initializer');
      skipInit(s);
      continue;
    }
    if (idx >= fields.length || (isUnion && idx > 0)) {
      if (!braced) {
        if (comma) s.pos--;
        return;
      }
      s.warn(s.peek(), `excess elements in ${isUnion ? 'union' : 'struct'} initializer`);
      skipInit(s);
      continue;
    }
    const m = fields[idx] as Member;
    if (m.type.kind === 'array' && m.type.len === null) {
      s.error(s.peek(), 'initialization of flexible array member is not supported');
      skipInit(s);
      idx++;
      continue;
    }
    initOne(ctx, m.type, offset + m.offset, m);
    idx++;
    if (!braced && (idx >= fields.length || isUnion)) return;
  }
  if (braced) s.accept(',');
}

function hasMember(members: Member[], name: string): boolean {
  return members.some(
    (m) => m.name === name || (m.name === null && isRecord(m.type) && hasMember(m.type.info.members, name)),
  );
}
