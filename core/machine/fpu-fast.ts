// The fast path of the FPU: JavaScript doubles round to nearest-even only, so each result comes
// with the sign of its exact error (from error-free transformations), and the helpers here move
// it to the neighbour the requested rounding mode wants. They return NaN to ask the caller for
// the exact soft-float path whenever a result could overflow or be tiny (subnormal/underflow).

import { NX, RDN, RMM, RNE, RTZ, RUP } from './fpu-soft';

const scratch = new ArrayBuffer(8);
const s64 = new Float64Array(scratch);
const s32 = new Float32Array(scratch);
const su32 = new Uint32Array(scratch);

/** Flags raised by the last successful helper call (NX only). */
export const fastState = { flags: 0 };

const SPLITTER = 134217729; // 2^27 + 1, Dekker's splitting constant
const MIN_NORMAL_F64_X2 = 2 ** -1021;
const MIN_NORMAL_F32_X2 = 2 ** -125;
export const SAFE_MAX = 2 ** 960;
export const SAFE_MIN = 2 ** -960;

/** Exact error of RN(a + b) (TwoSum); valid while no intermediate overflows. */
export function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/** Exact error of p = RN(a · b) (Dekker's TwoProduct); valid for operands and product well
 *  inside the exponent range (callers check against SAFE_MIN/SAFE_MAX). */
export function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** The double next to `r` (finite, nonzero) one ulp away from zero (`away`) or toward it. */
function stepF64(r: number, away: boolean): number {
  s64[0] = r;
  if (away) {
    su32[0] = (su32[0] + 1) >>> 0;
    if (su32[0] === 0) su32[1] = (su32[1] + 1) >>> 0;
  } else {
    if (su32[0] === 0) su32[1] = (su32[1] - 1) >>> 0;
    su32[0] = (su32[0] - 1) >>> 0;
  }
  return s64[0];
}

function stepF32(r: number, away: boolean): number {
  s32[0] = r;
  su32[0] = away ? su32[0] + 1 : su32[0] - 1;
  return s32[0];
}

/** Picks between f and its neighbour n (the exact value lies strictly between them);
 *  `t` says where it lies against their midpoint: < 0 nearer f, 0 on it, > 0 nearer n. */
function pick(f: number, n: number, t: number, rm: number, fEven: boolean): number {
  switch (rm) {
    case RNE:
      return t < 0 ? f : t > 0 ? n : fEven ? f : n;
    case RMM:
      return t < 0 ? f : t > 0 ? n : Math.abs(n) > Math.abs(f) ? n : f;
    case RTZ:
      return Math.abs(n) < Math.abs(f) ? n : f;
    case RDN:
      return n < f ? n : f;
    default:
      return n > f ? n : f;
  }
}

/** Rounds a double result r = RN(x) to mode rm. `err` is x − r exactly when `exact`, otherwise
 *  only its sign is meaningful (then x is never a tie). Returns NaN if the soft path must decide. */
export function roundF64(r: number, err: number, exact: boolean, rm: number): number {
  fastState.flags = 0;
  if (err === 0) return r;
  const ar = Math.abs(r);
  if (!(ar >= MIN_NORMAL_F64_X2 && ar <= Number.MAX_VALUE)) return NaN;
  if (rm === RNE) {
    fastState.flags = NX;
    return r;
  }
  const n = stepF64(r, err > 0 === r > 0);
  if (n === Infinity || n === -Infinity) return NaN;
  const tie = exact && Math.abs(err) * 2 === Math.abs(n - r);
  s64[0] = r;
  const res = pick(r, n, tie ? 0 : -1, rm, (su32[0] & 1) === 0);
  fastState.flags = NX;
  return res;
}

/** Rounds d = RN53(x) to binary32 in mode rm, given errSign = sign(x − d). Returns NaN if the
 *  soft path must decide (zero with an error, tiny or overflowing results, NaN input). */
export function roundF32(d: number, errSign: number, rm: number): number {
  fastState.flags = 0;
  const f = Math.fround(d);
  const af = Math.abs(f);
  if (!(af >= MIN_NORMAL_F32_X2 && af < Infinity)) {
    return d === 0 && errSign === 0 ? d : NaN;
  }
  const side = d !== f ? (d > f ? 1 : -1) : errSign;
  if (side === 0) return f;
  const n = stepF32(f, side > 0 === f > 0);
  if (n === Infinity || n === -Infinity) return NaN;
  let t: number;
  if (d === f) {
    t = -1;
  } else {
    const m = (f + n) / 2;
    t = d !== m ? (d > m ? side : -side) : errSign * side;
  }
  s32[0] = f;
  const res = pick(f, n, t, rm, (su32[0] & 1) === 0);
  fastState.flags = NX;
  return res;
}

/** Rounds a finite double to an integer-valued double in mode rm. */
export function roundToInteger(v: number, rm: number): number {
  switch (rm) {
    case RTZ:
      return Math.trunc(v);
    case RDN:
      return Math.floor(v);
    case RUP:
      return Math.ceil(v);
    case RMM: {
      const t = Math.trunc(v);
      return Math.abs(v - t) >= 0.5 ? t + Math.sign(v) : t;
    }
    default: {
      const fl = Math.floor(v);
      const diff = v - fl;
      if (diff > 0.5) return fl + 1;
      if (diff < 0.5) return fl;
      return fl % 2 === 0 ? fl : fl + 1;
    }
  }
}

function inRange(v: number): boolean {
  const m = Math.abs(v);
  return m >= SAFE_MIN && m <= SAFE_MAX;
}

/** Stores r in f[i] unless it is NaN ("not decided here"). */
function put(f: Float64Array, i: number, r: number): boolean {
  if (r !== r) return false;
  f[i] = r;
  return true;
}

/** Fused (±a·b) ± c on f[rs1], f[rs2], f[rs3] into f[rd], in binary64 without BigInt. a·b = p + e exactly (TwoProduct); TwoSums turn
 *  p + e + c into r + q + (a remainder below q's ulp), where r = RN(s + s1). When |q| stays below
 *  half the gap to r's neighbour, r is the correctly rounded sum and q gives the error's sign;
 *  otherwise (ties, cancellation, range edges, zeros) false sends the caller to the soft path.
 *  Operands are read from the register array so no double crosses a call (V8 would box it). */
export function fmaF64(
  f: Float64Array,
  rd: number,
  rs1: number,
  rs2: number,
  rs3: number,
  negProd: boolean,
  negC: boolean,
  rm: number,
): boolean {
  fastState.flags = 0;
  const a = negProd ? -f[rs1] : f[rs1];
  const b = f[rs2];
  const c = negC ? -f[rs3] : f[rs3];
  const p = a * b;
  if (!(inRange(a) && inRange(b) && inRange(p) && Math.abs(c) <= SAFE_MAX)) {
    // A zero factor with a finite nonzero addend: the result is the addend, exactly.
    const finite = Math.abs(a) <= Number.MAX_VALUE && Math.abs(b) <= Number.MAX_VALUE;
    return (a === 0 || b === 0) && finite && c !== 0 && Math.abs(c) <= Number.MAX_VALUE && put(f, rd, c);
  }
  const e = twoProdErr(a, b, p);
  const s = p + c;
  const t = twoSumErr(p, c, s);
  const s1 = t + e;
  const e1 = twoSumErr(t, e, s1);
  const r = s + s1;
  const e2 = twoSumErr(s, s1, r);
  const q = e2 + e1;
  if (r === 0 || !(Math.abs(r) <= Number.MAX_VALUE)) return false;
  if (q === 0) return put(f, rd, r); // e2 + e1 = 0 exactly: r is the exact result
  const n = stepF64(r, q > 0 === r > 0);
  if (!(Math.abs(q) * 2 < Math.abs(n - r))) return false;
  return put(f, rd, roundF64(r, q, false, rm));
}
