// C integer semantics for the corpus generator (ilp32: int and long 32-bit, long long 64-bit,
// plain char unsigned): conversions, promotions, the usual arithmetic conversions, and each
// operator evaluated exactly in BigInt so the generator can leave out undefined behaviour.

export interface IntType {
  /** Short name used in file and variable names. */
  name: string;
  c: string;
  bits: number;
  signed: boolean;
  /** Conversion rank (bool 0, char 1, short 2, int 3, long 4, long long 5). */
  rank: number;
}

export const INT_TYPES: readonly IntType[] = [
  { name: 'bool', c: '_Bool', bits: 1, signed: false, rank: 0 },
  { name: 'char', c: 'char', bits: 8, signed: false, rank: 1 },
  { name: 'schar', c: 'signed char', bits: 8, signed: true, rank: 1 },
  { name: 'uchar', c: 'unsigned char', bits: 8, signed: false, rank: 1 },
  { name: 'short', c: 'short', bits: 16, signed: true, rank: 2 },
  { name: 'ushort', c: 'unsigned short', bits: 16, signed: false, rank: 2 },
  { name: 'int', c: 'int', bits: 32, signed: true, rank: 3 },
  { name: 'uint', c: 'unsigned', bits: 32, signed: false, rank: 3 },
  { name: 'long', c: 'long', bits: 32, signed: true, rank: 4 },
  { name: 'ulong', c: 'unsigned long', bits: 32, signed: false, rank: 4 },
  { name: 'llong', c: 'long long', bits: 64, signed: true, rank: 5 },
  { name: 'ullong', c: 'unsigned long long', bits: 64, signed: false, rank: 5 },
];

export function intType(name: string): IntType {
  const t = INT_TYPES.find((x) => x.name === name);
  if (!t) throw new Error(`no type ${name}`);
  return t;
}

export const INT = intType('int');

export function minOf(t: IntType): bigint {
  return t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
}
export function maxOf(t: IntType): bigint {
  return t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
}
export function inRange(v: bigint, t: IntType): boolean {
  return v >= minOf(t) && v <= maxOf(t);
}

/** Integer conversion: _Bool tests against zero, others wrap modulo 2^bits (GCC's choice). */
export function convert(v: bigint, t: IntType): bigint {
  if (t.bits === 1) return v !== 0n ? 1n : 0n;
  const m = BigInt.asUintN(t.bits, v);
  return t.signed ? BigInt.asIntN(t.bits, m) : m;
}

export function promote(t: IntType): IntType {
  return t.rank < 3 ? INT : t;
}

/** The usual arithmetic conversions of two (promoted) integer types. */
export function usual(a: IntType, b: IntType): IntType {
  const x = promote(a);
  const y = promote(b);
  if (x === y) return x;
  if (x.signed === y.signed) return x.rank >= y.rank ? x : y;
  const [u, s] = x.signed ? [y, x] : [x, y];
  if (u.rank >= s.rank) return u;
  if (s.bits > u.bits) return s;
  return INT_TYPES.find((t) => !t.signed && t.rank === s.rank) as IntType;
}

export interface Val {
  v: bigint;
  t: IntType;
}

export const BINARY_OPS = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '<<',
  '>>',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
] as const;
export type BinOp = (typeof BINARY_OPS)[number];

/** Evaluates `a op b` as C does; null for undefined behaviour. */
export function binary(op: BinOp, a: Val, b: Val): Val | null {
  if (op === '&&') return { v: a.v !== 0n && b.v !== 0n ? 1n : 0n, t: INT };
  if (op === '||') return { v: a.v !== 0n || b.v !== 0n ? 1n : 0n, t: INT };
  if (op === '<<' || op === '>>') {
    const t = promote(a.t);
    const x = convert(a.v, t);
    if (b.v < 0n || b.v >= BigInt(t.bits)) return null;
    if (op === '>>') return { v: x >> b.v, t };
    if (t.signed && (x < 0n || !inRange(x << b.v, t))) return null;
    return { v: convert(x << b.v, t), t };
  }
  const t = usual(a.t, b.t);
  const x = convert(a.v, t);
  const y = convert(b.v, t);
  const cmp = (c: boolean): Val => ({ v: c ? 1n : 0n, t: INT });
  let r: bigint;
  switch (op) {
    case '<':
      return cmp(x < y);
    case '<=':
      return cmp(x <= y);
    case '>':
      return cmp(x > y);
    case '>=':
      return cmp(x >= y);
    case '==':
      return cmp(x === y);
    case '!=':
      return cmp(x !== y);
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
    case '%':
      if (y === 0n) return null;
      r = op === '/' ? x / y : x % y;
      // INT_MIN / -1 overflows; C11 makes INT_MIN % -1 undefined as well.
      if (t.signed && !inRange(x / y, t)) return null;
      break;
    case '&':
      r = x & y;
      break;
    case '|':
      r = x | y;
      break;
    default:
      r = x ^ y;
  }
  if (t.signed && !inRange(r, t)) return null;
  return { v: convert(r, t), t };
}

export type UnOp = '-' | '~' | '!' | '+';

export function unary(op: UnOp, a: Val): Val | null {
  if (op === '!') return { v: a.v === 0n ? 1n : 0n, t: INT };
  const t = promote(a.t);
  const x = convert(a.v, t);
  if (op === '+') return { v: x, t };
  if (op === '~') return { v: convert(~x, t), t };
  if (t.signed && !inRange(-x, t)) return null;
  return { v: convert(-x, t), t };
}

/** A C literal of type `t` with value `v` (already in range). */
export function literal(v: bigint, t: IntType): string {
  const big = t.bits === 64;
  const suffix = t.signed
    ? big
      ? 'LL'
      : t.rank === 4
        ? 'L'
        : ''
    : big
      ? 'ULL'
      : t.rank >= 3
        ? t.rank === 4
          ? 'UL'
          : 'U'
        : '';
  if (t.signed && v === minOf(t) && t.bits >= 32) return `(${(v + 1n).toString()}${suffix} - 1)`;
  const text = v < 0n ? `(${v.toString()}${suffix})` : `${v.toString()}${suffix}`;
  return t.rank < 3 ? `(${t.c})${text}` : text;
}

/** The statement printing an expression of integer type `t` with the corpus helpers. */
export function printCall(expr: string, t: IntType): string {
  const p = promote(t);
  if (p.bits === 64) return p.signed ? `rt_putll(${expr})` : `rt_putull(${expr})`;
  return p.signed ? `rt_puti(${expr})` : `rt_putu(${expr})`;
}

/** Deterministic PRNG (mulberry32) so the generated corpus is reproducible. */
export class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A value of type t: edges, small numbers and raw bits. */
  value(t: IntType): bigint {
    const k = this.int(6);
    const raw =
      (BigInt(this.int(0x10000)) << 48n) | (BigInt(this.int(0x1000000)) << 24n) | BigInt(this.int(0x1000000));
    if (k === 0) return this.pick([minOf(t), maxOf(t), 0n, 1n, t.signed ? -1n : maxOf(t) - 1n]);
    if (k === 1 || k === 2) return convert(BigInt(this.int(200) - 100), t);
    if (k === 3) return convert(1n << BigInt(this.int(t.bits)), t);
    return convert(raw >> BigInt(this.int(64)), t);
  }
}
