// C types for RV32 ilp32d (RISC-V psABI): sizes, alignment, struct/union layout with GCC's
// bit-field rules, compatibility, and the usual arithmetic conversions.

export type IntKind =
  | 'bool'
  | 'char'
  | 'schar'
  | 'uchar'
  | 'short'
  | 'ushort'
  | 'int'
  | 'uint'
  | 'long'
  | 'ulong'
  | 'llong'
  | 'ullong';
export type FloatKind = 'float' | 'double';

export interface Quals {
  const?: boolean;
  volatile?: boolean;
  restrict?: boolean;
}

interface TypeBase extends Quals {
  /** The typedef name this type was declared through (debug information only). */
  typedefName?: string;
}

export interface VoidType extends TypeBase {
  kind: 'void';
}
export interface IntType extends TypeBase {
  kind: IntKind;
  /** Set when this is an enumerated type (compatible with its underlying integer type). */
  enumTag?: EnumInfo;
}
export interface FloatType extends TypeBase {
  kind: FloatKind;
}
export interface PtrType extends TypeBase {
  kind: 'ptr';
  base: Type;
}
export interface ArrayType extends TypeBase {
  kind: 'array';
  base: Type;
  /** null: incomplete (`int a[]`). */
  len: number | null;
}
export interface Param {
  name: string | null;
  type: Type;
}
export interface FuncType extends TypeBase {
  kind: 'func';
  ret: Type;
  params: Param[];
  variadic: boolean;
  /** Declared with `()`: no prototype (arguments get default promotions). */
  noProto: boolean;
}
export interface RecordType extends TypeBase {
  kind: 'struct' | 'union';
  info: RecordInfo;
}
export type Type = VoidType | IntType | FloatType | PtrType | ArrayType | FuncType | RecordType;

export interface Member {
  /** null for anonymous struct/union members and unnamed bit-fields. */
  name: string | null;
  type: Type;
  /** Byte offset of the member (for a bit-field: of its storage unit, aligned to the type). */
  offset: number;
  bitField?: { width: number; bitOffset: number };
}

export interface RecordInfo {
  tag: string | null;
  isUnion: boolean;
  complete: boolean;
  members: Member[];
  size: number;
  align: number;
  hasFlexArray: boolean;
  /** Unique id so that two same-named tags in different scopes are different types. */
  id: number;
}

export interface EnumInfo {
  tag: string | null;
  complete: boolean;
  /** The enumerators, once the enum is defined (debug information). */
  values?: Array<{ name: string; value: bigint }>;
  id: number;
}

let nextId = 1;
export function newRecord(tag: string | null, isUnion: boolean): RecordInfo {
  return { tag, isUnion, complete: false, members: [], size: 0, align: 1, hasFlexArray: false, id: nextId++ };
}
export function newEnum(tag: string | null): EnumInfo {
  return { tag, complete: false, id: nextId++ };
}

export const T = {
  void: { kind: 'void' } as VoidType,
  bool: { kind: 'bool' } as IntType,
  char: { kind: 'char' } as IntType,
  schar: { kind: 'schar' } as IntType,
  uchar: { kind: 'uchar' } as IntType,
  short: { kind: 'short' } as IntType,
  ushort: { kind: 'ushort' } as IntType,
  int: { kind: 'int' } as IntType,
  uint: { kind: 'uint' } as IntType,
  long: { kind: 'long' } as IntType,
  ulong: { kind: 'ulong' } as IntType,
  llong: { kind: 'llong' } as IntType,
  ullong: { kind: 'ullong' } as IntType,
  float: { kind: 'float' } as FloatType,
  double: { kind: 'double' } as FloatType,
};

const INT_SIZE: Record<IntKind, number> = {
  bool: 1,
  char: 1,
  schar: 1,
  uchar: 1,
  short: 2,
  ushort: 2,
  int: 4,
  uint: 4,
  long: 4,
  ulong: 4,
  llong: 8,
  ullong: 8,
};
const RANK: Record<IntKind, number> = {
  bool: 0,
  char: 1,
  schar: 1,
  uchar: 1,
  short: 2,
  ushort: 2,
  int: 3,
  uint: 3,
  long: 4,
  ulong: 4,
  llong: 5,
  ullong: 5,
};
const UNSIGNED = new Set<IntKind>(['bool', 'char', 'uchar', 'ushort', 'uint', 'ulong', 'ullong']);

export const ptrTo = (base: Type): PtrType => ({ kind: 'ptr', base });
export const arrayOf = (base: Type, len: number | null): ArrayType => ({ kind: 'array', base, len });

export function isInteger(t: Type): t is IntType {
  return t.kind in INT_SIZE;
}
export function isFloat(t: Type): t is FloatType {
  return t.kind === 'float' || t.kind === 'double';
}
export function isArith(t: Type): boolean {
  return isInteger(t) || isFloat(t);
}
export function isScalar(t: Type): boolean {
  return isArith(t) || t.kind === 'ptr';
}
export function isRecord(t: Type): t is RecordType {
  return t.kind === 'struct' || t.kind === 'union';
}
export function isUnsigned(t: Type): boolean {
  return isInteger(t) && UNSIGNED.has(t.kind);
}
export function intRank(t: IntType): number {
  return RANK[t.kind];
}

export function sizeOf(t: Type): number {
  if (isInteger(t)) return INT_SIZE[t.kind];
  switch (t.kind) {
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'ptr':
      return 4;
    case 'array':
      return t.len === null ? 0 : t.len * sizeOf(t.base);
    case 'struct':
    case 'union':
      return t.info.size;
    case 'void':
    case 'func':
      return 1; // GNU: sizeof(void) and sizeof(function) are 1 (with a pedantic warning)
  }
}

export function alignOf(t: Type): number {
  if (isInteger(t)) return INT_SIZE[t.kind];
  switch (t.kind) {
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'ptr':
      return 4;
    case 'array':
      return alignOf(t.base);
    case 'struct':
    case 'union':
      return t.info.align;
    default:
      return 1;
  }
}

/** Complete object type (6.2.5p1): size known. */
export function isComplete(t: Type): boolean {
  if (t.kind === 'void') return false;
  if (t.kind === 'array') return t.len !== null && isComplete(t.base);
  if (isRecord(t)) return t.info.complete;
  if (isInteger(t) && t.enumTag) return t.enumTag.complete;
  return true;
}

export function unqual(t: Type): Type {
  if (!t.const && !t.volatile && !t.restrict) return t;
  const c = { ...t };
  delete c.const;
  delete c.volatile;
  delete c.restrict;
  return c;
}

export function withQuals(t: Type, q: Quals): Type {
  if (!q.const && !q.volatile && !q.restrict) return t;
  if (t.kind === 'array') return { ...t, base: withQuals(t.base, q) }; // 6.7.3p9
  return {
    ...t,
    ...(q.const || t.const ? { const: true } : {}),
    ...(q.volatile || t.volatile ? { volatile: true } : {}),
    ...(q.restrict || t.restrict ? { restrict: true } : {}),
  };
}

/** Integer promotions (6.3.1.1p2); bit-fields are handled by the caller. */
export function promote(t: Type): Type {
  if (isInteger(t) && RANK[t.kind] < 3) return T.int;
  if (isInteger(t) && t.enumTag) return t.kind === 'uint' ? T.uint : T.int;
  return unqual(t);
}

/** Usual arithmetic conversions (6.3.1.8). */
export function commonType(a: Type, b: Type): Type {
  if (a.kind === 'double' || b.kind === 'double') return T.double;
  if (a.kind === 'float' || b.kind === 'float') return T.float;
  const x = promote(a) as IntType;
  const y = promote(b) as IntType;
  if (x.kind === y.kind) return T[x.kind];
  const ux = UNSIGNED.has(x.kind);
  const uy = UNSIGNED.has(y.kind);
  if (ux === uy) return RANK[x.kind] >= RANK[y.kind] ? T[x.kind] : T[y.kind];
  const [u, s] = ux ? [x, y] : [y, x];
  if (RANK[u.kind] >= RANK[s.kind]) return T[u.kind];
  if (INT_SIZE[s.kind] > INT_SIZE[u.kind]) return T[s.kind];
  return T[toUnsigned(s.kind)];
}

function toUnsigned(k: IntKind): IntKind {
  const m: Partial<Record<IntKind, IntKind>> = {
    int: 'uint',
    long: 'ulong',
    llong: 'ullong',
    short: 'ushort',
  };
  return m[k] ?? k;
}

/** Type compatibility (6.2.7), ignoring top-level qualifiers when `ignoreQuals`. */
export function compatible(a: Type, b: Type, ignoreQuals = false): boolean {
  if (!ignoreQuals && (!!a.const !== !!b.const || !!a.volatile !== !!b.volatile)) return false;
  if (isInteger(a) && isInteger(b)) {
    // An enumerated type is compatible with its underlying type (GCC: unsigned int or int).
    return a.kind === b.kind && (!a.enumTag || !b.enumTag || a.enumTag === b.enumTag);
  }
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'ptr':
      return compatible(a.base, (b as PtrType).base);
    case 'array': {
      const bb = b as ArrayType;
      return (a.len === null || bb.len === null || a.len === bb.len) && compatible(a.base, bb.base);
    }
    case 'func': {
      const f = b as FuncType;
      if (!compatible(a.ret, f.ret)) return false;
      if (a.noProto || f.noProto) return true;
      if (a.variadic !== f.variadic || a.params.length !== f.params.length) return false;
      return a.params.every((p, i) => compatible(p.type, (f.params[i] as Param).type, true));
    }
    case 'struct':
    case 'union':
      return a.info === (b as RecordType).info;
    default:
      return true;
  }
}

const INT_NAMES: Record<IntKind, string> = {
  bool: '_Bool',
  char: 'char',
  schar: 'signed char',
  uchar: 'unsigned char',
  short: 'short int',
  ushort: 'short unsigned int',
  int: 'int',
  uint: 'unsigned int',
  long: 'long int',
  ulong: 'long unsigned int',
  llong: 'long long int',
  ullong: 'long long unsigned int',
};

/** GCC's spelling of a type in diagnostics (e.g. `int *`, `char (*)[4]`, `int (*)(int)`). */
export function typeName(t: Type): string {
  return spellType(t, '');
}

function qualPrefix(t: Type): string {
  return `${t.const ? 'const ' : ''}${t.volatile ? 'volatile ' : ''}`;
}

function spellType(t: Type, inner: string): string {
  const join = (base: string, d: string): string => (d ? `${base} ${d}` : base);
  switch (t.kind) {
    case 'ptr': {
      const q = `${t.const ? ' const' : ''}${t.volatile ? ' volatile' : ''}${t.restrict ? ' restrict' : ''}`;
      const d = `*${q}${inner ? (q ? ' ' : '') + inner : ''}`;
      const needParen = t.base.kind === 'array' || t.base.kind === 'func';
      return spellType(t.base, needParen ? `(${d})` : d);
    }
    case 'array':
      if (!inner) return `${spellType(t.base, '')}[${t.len ?? ''}]`;
      return spellType(t.base, `${inner}[${t.len ?? ''}]`);
    case 'func': {
      const ps = t.noProto
        ? ''
        : t.params.length === 0 && !t.variadic
          ? 'void'
          : t.params.map((p) => typeName(p.type)).join(', ');
      // GCC spells a bare function type without a space: `int(void)`, but `int (*)(int)`.
      const fn = `${inner}(${ps}${t.variadic ? ', ...' : ''})`;
      return inner ? spellType(t.ret, fn) : `${spellType(t.ret, '')}${fn}`;
    }
    case 'struct':
    case 'union':
      return join(`${qualPrefix(t)}${t.kind} ${t.info.tag ?? '<anonymous>'}`, inner);
    case 'void':
      return join(`${qualPrefix(t)}void`, inner);
    case 'float':
    case 'double':
      return join(`${qualPrefix(t)}${t.kind}`, inner);
    default:
      if (t.enumTag) return join(`${qualPrefix(t)}enum ${t.enumTag.tag ?? '<anonymous>'}`, inner);
      return join(`${qualPrefix(t)}${INT_NAMES[t.kind]}`, inner);
  }
}

/** Pads `n` up to a multiple of `a`. */
export const alignTo = (n: number, a: number): number => Math.ceil(n / a) * a;

export interface MemberDecl {
  name: string | null;
  type: Type;
  bitWidth?: number;
  /** _Alignas on the member. */
  align?: number;
}

/**
 * Lays out a struct or union per the psABI (GCC's rules): each member at its alignment; a
 * bit-field goes at the next free bit unless it would straddle an aligned unit of its declared
 * type; a zero-width bit-field moves to the next unit; named bit-fields' types raise the alignment.
 */
export function layoutRecord(info: RecordInfo, decls: MemberDecl[], minAlign = 1): void {
  let bits = 0;
  let maxEnd = 0;
  let align = minAlign;
  info.members = [];
  for (const d of decls) {
    const sz = sizeOf(d.type);
    const al = d.align ?? alignOf(d.type);
    if (d.bitWidth !== undefined) {
      const unit = sz * 8;
      if (d.bitWidth === 0) {
        // Moves to the next unit; at the end of a struct the padding still counts (GCC).
        if (!info.isUnion) bits = alignTo(bits, unit);
        maxEnd = Math.max(maxEnd, bits);
        continue;
      }
      if (info.isUnion) bits = 0;
      else if (Math.floor(bits / unit) !== Math.floor((bits + d.bitWidth - 1) / unit))
        bits = alignTo(bits, unit);
      const offset = Math.floor(bits / 8 / sz) * sz;
      info.members.push({
        name: d.name,
        type: d.type,
        offset,
        bitField: { width: d.bitWidth, bitOffset: bits - offset * 8 },
      });
      if (d.name !== null) align = Math.max(align, al);
      bits += d.bitWidth;
      maxEnd = Math.max(maxEnd, bits);
      continue;
    }
    if (info.isUnion) bits = 0;
    const offset = alignTo(Math.ceil(bits / 8), al);
    info.members.push({ name: d.name, type: d.type, offset });
    align = Math.max(align, al);
    bits = (offset + sz) * 8;
    maxEnd = Math.max(maxEnd, bits);
  }
  info.align = align;
  info.size = alignTo(Math.ceil(maxEnd / 8), align);
  info.complete = true;
}

/** Finds a member by name, looking through anonymous struct/union members; returns the path. */
export function findMember(info: RecordInfo, name: string): Member[] | null {
  for (const m of info.members) {
    if (m.name === name) return [m];
    if (m.name === null && isRecord(m.type) && !m.bitField) {
      const sub = findMember(m.type.info, name);
      if (sub) return [m, ...sub];
    }
  }
  return null;
}
