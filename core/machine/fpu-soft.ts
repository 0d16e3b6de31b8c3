// An exact IEEE 754 binary32/binary64 soft-float on BigInt: sign, exponent and an integer
// significand, with one rounding step (guard + sticky) per operation. It is the reference that
// the fast double-based path in fpu.ts is checked against, and the fallback wherever that path
// cannot be exact (special values, overflow, underflow and subnormals, FMA, RMM on doubles).
// Values travel as raw bit patterns (bigint) so NaN payloads and signed zeros are never lost.

export const NV = 16;
export const DZ = 8;
export const OF = 4;
export const UF = 2;
export const NX = 1;

export const RNE = 0;
export const RTZ = 1;
export const RDN = 2;
export const RUP = 3;
export const RMM = 4;

export interface FloatFormat {
  /** Precision in bits, including the hidden bit. */
  readonly p: number;
  /** Total width in bits. */
  readonly width: number;
  readonly bias: number;
  /** Exponent of the smallest normal number. */
  readonly emin: number;
  /** Biased exponent of infinities and NaNs. */
  readonly expMax: number;
  readonly canonicalNaN: bigint;
}

export const F32: FloatFormat = {
  p: 24,
  width: 32,
  bias: 127,
  emin: -126,
  expMax: 255,
  canonicalNaN: 0x7fc00000n,
};
export const F64: FloatFormat = {
  p: 53,
  width: 64,
  bias: 1023,
  emin: -1022,
  expMax: 2047,
  canonicalNaN: 0x7ff8000000000000n,
};

/** Accrued exception flags of the soft-float operations since the caller last cleared them. */
export const softState = { flags: 0 };

const ZERO = 0;
const FINITE = 1;
const INF = 2;
const QNAN = 3;
const SNAN = 4;

interface Unpacked {
  cls: number;
  neg: boolean;
  /** Integer significand; the value is sig · 2^exp. */
  sig: bigint;
  exp: number;
}

function signBit(f: FloatFormat): bigint {
  return 1n << BigInt(f.width - 1);
}

function fracMask(f: FloatFormat): bigint {
  return (1n << BigInt(f.p - 1)) - 1n;
}

function infBits(f: FloatFormat, neg: boolean): bigint {
  return (BigInt(f.expMax) << BigInt(f.p - 1)) | (neg ? signBit(f) : 0n);
}

function zeroBits(f: FloatFormat, neg: boolean): bigint {
  return neg ? signBit(f) : 0n;
}

export function unpack(f: FloatFormat, bits: bigint): Unpacked {
  const neg = (bits & signBit(f)) !== 0n;
  const frac = bits & fracMask(f);
  const e = Number((bits >> BigInt(f.p - 1)) & BigInt(f.expMax));
  if (e === f.expMax) {
    if (frac === 0n) return { cls: INF, neg, sig: 0n, exp: 0 };
    const quiet = (frac >> BigInt(f.p - 2)) & 1n;
    return { cls: quiet ? QNAN : SNAN, neg, sig: 0n, exp: 0 };
  }
  if (e === 0) {
    if (frac === 0n) return { cls: ZERO, neg, sig: 0n, exp: 0 };
    return { cls: FINITE, neg, sig: frac, exp: f.emin - f.p + 1 };
  }
  return { cls: FINITE, neg, sig: frac | (1n << BigInt(f.p - 1)), exp: e - f.bias - f.p + 1 };
}

export function bitLength(v: bigint): number {
  if (v === 0n) return 0;
  const hex = v.toString(16);
  return hex.length * 4 - (Math.clz32(parseInt(hex[0], 16)) - 28);
}

/** Drops the low `sh` bits of `sig` (sh ≥ 1) with rounding mode `rm`; returns the kept integer
 *  and whether anything nonzero was dropped. */
function roundShift(
  sig: bigint,
  sh: number,
  sticky: boolean,
  neg: boolean,
  rm: number,
): { q: bigint; inexact: boolean } {
  const bsh = BigInt(sh);
  let q = sig >> bsh;
  const rem = sig & ((1n << bsh) - 1n);
  const half = 1n << (bsh - 1n);
  const inexact = rem !== 0n || sticky;
  const roundBit = rem >= half;
  const below = rem !== half || sticky;
  let up = false;
  switch (rm) {
    case RNE:
      up = roundBit && (below || (q & 1n) === 1n);
      break;
    case RDN:
      up = neg && inexact;
      break;
    case RUP:
      up = !neg && inexact;
      break;
    case RMM:
      up = roundBit;
      break;
    default:
      up = false;
  }
  if (up) q += 1n;
  return { q, inexact };
}

/** Rounds the exact value (−1)^neg · (sig + sticky·ε) · 2^exp (sig > 0) to format `f`, raising
 *  NX/UF/OF. Tininess is detected after rounding, as RISC-V specifies. */
export function roundPack(
  f: FloatFormat,
  neg: boolean,
  sig: bigint,
  exp: number,
  sticky: boolean,
  rm: number,
): bigint {
  let n = bitLength(sig);
  // Keep at least p + 3 bits so the rounding always has guard bits to look at.
  if (n < f.p + 3) {
    const s = f.p + 3 - n;
    sig <<= BigInt(s);
    exp -= s;
    n += s;
  }
  const e = exp + n - 1;
  let tiny = e < f.emin;
  if (e === f.emin - 1) {
    // Rounded to p bits with an unbounded exponent, it may reach 2^emin and so not be tiny.
    const r = roundShift(sig, n - f.p, sticky, neg, rm);
    if (r.q >> BigInt(f.p) !== 0n) tiny = false;
  }
  const minLsb = f.emin - f.p + 1;
  const lsb = Math.max(e - f.p + 1, minLsb);
  const { q, inexact } = roundShift(sig, lsb - exp, sticky, neg, rm);
  const mag = (BigInt(lsb - minLsb) << BigInt(f.p - 1)) + q;
  if (mag >= infBits(f, false)) {
    softState.flags |= OF | NX;
    const toInf = rm === RNE || rm === RMM || (rm === RDN && neg) || (rm === RUP && !neg);
    const res = toInf ? infBits(f, false) : infBits(f, false) - 1n;
    return neg ? res | signBit(f) : res;
  }
  if (inexact) {
    softState.flags |= NX;
    if (tiny) softState.flags |= UF;
  }
  return neg ? mag | signBit(f) : mag;
}

function isNaN(u: Unpacked): boolean {
  return u.cls === QNAN || u.cls === SNAN;
}

/** Returns the canonical NaN, raising NV if any operand is signalling. */
function nanResult(f: FloatFormat, ...us: Unpacked[]): bigint {
  for (const u of us) if (u.cls === SNAN) softState.flags |= NV;
  return f.canonicalNaN;
}

function invalid(f: FloatFormat): bigint {
  softState.flags |= NV;
  return f.canonicalNaN;
}

/** Exact sum of two finite values (either may be zero), rounded once. */
function addFinite(f: FloatFormat, a: Unpacked, b: Unpacked, rm: number): bigint {
  if (a.cls === ZERO && b.cls === ZERO) {
    return zeroBits(f, a.neg === b.neg ? a.neg : rm === RDN);
  }
  if (a.cls === ZERO) return roundPack(f, b.neg, b.sig, b.exp, false, rm);
  if (b.cls === ZERO) return roundPack(f, a.neg, a.sig, a.exp, false, rm);
  const exp = Math.min(a.exp, b.exp);
  const sa = a.sig << BigInt(a.exp - exp);
  const sb = b.sig << BigInt(b.exp - exp);
  const sum = (a.neg ? -sa : sa) + (b.neg ? -sb : sb);
  if (sum === 0n) return zeroBits(f, rm === RDN);
  return sum < 0n ? roundPack(f, true, -sum, exp, false, rm) : roundPack(f, false, sum, exp, false, rm);
}

/** a + b, or a − b when `negB`. */
export function softAdd(f: FloatFormat, a: bigint, b: bigint, rm: number, negB: boolean): bigint {
  const ua = unpack(f, a);
  const ub = unpack(f, b);
  if (isNaN(ua) || isNaN(ub)) return nanResult(f, ua, ub);
  if (negB) ub.neg = !ub.neg;
  if (ua.cls === INF) {
    if (ub.cls === INF && ua.neg !== ub.neg) return invalid(f);
    return infBits(f, ua.neg);
  }
  if (ub.cls === INF) return infBits(f, ub.neg);
  return addFinite(f, ua, ub, rm);
}

export function softMul(f: FloatFormat, a: bigint, b: bigint, rm: number): bigint {
  const ua = unpack(f, a);
  const ub = unpack(f, b);
  if (isNaN(ua) || isNaN(ub)) return nanResult(f, ua, ub);
  const neg = ua.neg !== ub.neg;
  if (ua.cls === INF || ub.cls === INF) {
    if (ua.cls === ZERO || ub.cls === ZERO) return invalid(f);
    return infBits(f, neg);
  }
  if (ua.cls === ZERO || ub.cls === ZERO) return zeroBits(f, neg);
  return roundPack(f, neg, ua.sig * ub.sig, ua.exp + ub.exp, false, rm);
}

export function softDiv(f: FloatFormat, a: bigint, b: bigint, rm: number): bigint {
  const ua = unpack(f, a);
  const ub = unpack(f, b);
  if (isNaN(ua) || isNaN(ub)) return nanResult(f, ua, ub);
  const neg = ua.neg !== ub.neg;
  if (ua.cls === INF) return ub.cls === INF ? invalid(f) : infBits(f, neg);
  if (ub.cls === INF) return zeroBits(f, neg);
  if (ub.cls === ZERO) {
    if (ua.cls === ZERO) return invalid(f);
    softState.flags |= DZ;
    return infBits(f, neg);
  }
  if (ua.cls === ZERO) return zeroBits(f, neg);
  // Scale the dividend so the integer quotient carries at least p + 3 bits.
  const k = f.p + 3 + bitLength(ub.sig);
  const num = ua.sig << BigInt(k);
  const q = num / ub.sig;
  const r = num - q * ub.sig;
  return roundPack(f, neg, q, ua.exp - ub.exp - k, r !== 0n, rm);
}

/** Floor of the square root of a non-negative BigInt (Newton's iteration). */
export function isqrt(s: bigint): bigint {
  if (s < 2n) return s;
  let x = 1n << BigInt((bitLength(s) + 1) >> 1);
  for (;;) {
    const y = (x + s / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function softSqrt(f: FloatFormat, a: bigint, rm: number): bigint {
  const ua = unpack(f, a);
  if (isNaN(ua)) return nanResult(f, ua);
  if (ua.cls === ZERO) return a;
  if (ua.neg) return invalid(f);
  if (ua.cls === INF) return a;
  // Radicand with ≥ 2(p + 3) bits and an even exponent: the root then has ≥ p + 3 bits.
  let k = Math.max(0, 2 * (f.p + 3) - bitLength(ua.sig));
  if ((ua.exp - k) % 2 !== 0) k++;
  const s = ua.sig << BigInt(k);
  const r = isqrt(s);
  return roundPack(f, false, r, (ua.exp - k) / 2, r * r !== s, rm);
}

/** (±a·b) ± c with a single rounding: `negProd` negates the product, `negC` the addend. */
export function softFma(
  f: FloatFormat,
  a: bigint,
  b: bigint,
  c: bigint,
  rm: number,
  negProd: boolean,
  negC: boolean,
): bigint {
  const ua = unpack(f, a);
  const ub = unpack(f, b);
  const uc = unpack(f, c);
  const infTimesZero = (ua.cls === INF && ub.cls === ZERO) || (ua.cls === ZERO && ub.cls === INF);
  // ∞ · 0 is invalid even when the addend is a quiet NaN.
  if (infTimesZero && !isNaN(uc)) return invalid(f);
  if (isNaN(ua) || isNaN(ub) || isNaN(uc)) {
    const res = nanResult(f, ua, ub, uc);
    if (infTimesZero) softState.flags |= NV;
    return res;
  }
  const pneg = (ua.neg !== ub.neg) !== negProd;
  if (negC) uc.neg = !uc.neg;
  if (ua.cls === INF || ub.cls === INF) {
    if (uc.cls === INF && uc.neg !== pneg) return invalid(f);
    return infBits(f, pneg);
  }
  if (uc.cls === INF) return infBits(f, uc.neg);
  const prod: Unpacked =
    ua.cls === ZERO || ub.cls === ZERO
      ? { cls: ZERO, neg: pneg, sig: 0n, exp: 0 }
      : { cls: FINITE, neg: pneg, sig: ua.sig * ub.sig, exp: ua.exp + ub.exp };
  return addFinite(f, prod, uc, rm);
}

/** Converts between formats (binary32 ↔ binary64), rounding when narrowing. */
export function softCvt(from: FloatFormat, to: FloatFormat, a: bigint, rm: number): bigint {
  const ua = unpack(from, a);
  if (isNaN(ua)) return nanResult(to, ua);
  if (ua.cls === INF) return infBits(to, ua.neg);
  if (ua.cls === ZERO) return zeroBits(to, ua.neg);
  return roundPack(to, ua.neg, ua.sig, ua.exp, false, rm);
}

/** Converts a 32-bit integer (signed or unsigned value as a JS number) to a float. */
export function softFromInt(f: FloatFormat, v: number, rm: number): bigint {
  if (v === 0) return 0n;
  const neg = v < 0;
  return roundPack(f, neg, BigInt(Math.abs(v)), 0, false, rm);
}

/** Converts a float to a 32-bit integer with saturation; returns the result as an int32. */
export function softToInt(f: FloatFormat, a: bigint, rm: number, unsigned: boolean): number {
  const ua = unpack(f, a);
  const max = unsigned ? 0xffffffffn : 0x7fffffffn;
  const min = unsigned ? 0n : -0x80000000n;
  if (isNaN(ua)) {
    softState.flags |= NV;
    return Number(BigInt.asIntN(32, max));
  }
  if (ua.cls === INF) {
    softState.flags |= NV;
    return Number(BigInt.asIntN(32, ua.neg ? min : max));
  }
  if (ua.cls === ZERO) return 0;
  let mag: bigint;
  let inexact = false;
  if (ua.exp >= 0) {
    mag = ua.sig << BigInt(Math.min(ua.exp, 64));
  } else {
    // Two extra bits guarantee the rounding sees a guard bit even for tiny values.
    const r = roundShift(ua.sig << 2n, 2 - ua.exp, false, ua.neg, rm);
    mag = r.q;
    inexact = r.inexact;
  }
  const v = ua.neg ? -mag : mag;
  if (v > max || v < min) {
    softState.flags |= NV;
    return Number(BigInt.asIntN(32, ua.neg ? min : max));
  }
  if (inexact) softState.flags |= NX;
  return Number(BigInt.asIntN(32, v));
}
