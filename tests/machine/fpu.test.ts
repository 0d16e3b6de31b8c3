// Unit tests of every F/D instruction on hand-worked edge cases: NaN-boxing, signalling vs
// quiet NaNs, signed zeros, infinities, subnormals, overflow, every rounding mode and the flags.
import { describe, expect, it } from 'vitest';
import { execFp, FP_ILLEGAL, FP_OK, FpRegs } from '../../core/machine/fpu';
import { opTable, type OpInfo } from '../fixtures/fpu/vectors';

const NV = 16;
const DZ = 8;
const OF = 4;
const UF = 2;
const NX = 1;
const RNE = 0;
const RTZ = 1;
const RDN = 2;
const RUP = 3;
const RMM = 4;
const DYN = 7;

const OPS = new Map<string, OpInfo>(opTable().map((o) => [o.name, o]));
const S = (b: number): bigint => 0xffffffff00000000n | BigInt(b >>> 0);

interface Out {
  f: bigint;
  x: number;
  flags: number;
}

/** Runs `name` (fixture naming, e.g. fadd_s) with f1/f2/f3 = a/b/c, x5 = xi; returns f4, x6, fflags. */
function run(name: string, rm: number, a: bigint, b = 0n, c = 0n, xi = 0, frm = 0): Out {
  const op = OPS.get(name);
  if (!op) throw new Error(`no op ${name}`);
  const fp = new FpRegs();
  const x = new Int32Array(32);
  for (const [r, v] of [
    [1, a],
    [2, b],
    [3, c],
  ] as const) {
    fp.u32[2 * r] = Number(v & 0xffffffffn);
    fp.u32[2 * r + 1] = Number(v >> 32n);
  }
  x[5] = xi;
  fp.frm = frm;
  expect(execFp(fp, x, op.encode(rm))).toBe(FP_OK);
  return { f: (BigInt(fp.u32[9]) << 32n) | BigInt(fp.u32[8]), x: x[6], flags: fp.fflags };
}

const ONE_S = 0x3f800000;
const ONE_D = 0x3ff0000000000000n;
const CANON_S = S(0x7fc00000);
const CANON_D = 0x7ff8000000000000n;
const SNAN_S = 0x7f800001;
const SNAN_D = 0x7ff0000000000001n;
const QNAN_S = 0x7fc00000;
const INF_S = 0x7f800000;
const INF_D = 0x7ff0000000000000n;
const MAX_S = 0x7f7fffff;
const MAX_D = 0x7fefffffffffffffn;

describe('FpRegs', () => {
  it('aliases the typed views over one buffer', () => {
    const fp = new FpRegs();
    fp.f64[3] = 1.5;
    expect(fp.u32[7]).toBe(0x3ff80000);
    expect(fp.u32[6]).toBe(0);
    fp.f32[2 * 4] = -2;
    expect(fp.u32[8]).toBe(0xc0000000);
    expect(fp.buf.byteLength).toBe(256);
  });
});

describe('NaN-boxing', () => {
  it('reads an improperly boxed single as the canonical NaN', () => {
    expect(run('fadd_s', RNE, 0x000000003f800000n, S(ONE_S))).toEqual({ f: CANON_S, x: 0, flags: 0 });
    expect(run('fclass_s', RNE, 0xfffffffe00000000n).x).toBe(1 << 9);
    expect(run('fcvt_d_s', RNE, 0x3ff0000000000000n).f).toBe(CANON_D);
    // sign injection keeps the canonical NaN's payload but takes the sign of rs2
    expect(run('fsgnjn_s', RNE, 0x1234n, S(ONE_S)).f).toBe(S(0xffc00000));
  });
  it('writes single results boxed and moves raw words with FMV', () => {
    expect(run('fmul_s', RNE, S(0x40000000), S(0x40400000)).f).toBe(S(0x40c00000));
    expect(run('fmv_x_w', RNE, 0x12345678cafebaben).x).toBe(0xcafebabe | 0);
    expect(run('fmv_w_x', RNE, 0n, 0n, 0n, 0x7f800001).f).toBe(S(0x7f800001));
    expect(run('fmv_w_x', RNE, 0n, 0n, 0n, 0x7f800001).flags).toBe(0);
  });
});

describe('NaNs and invalid operations', () => {
  it('returns the canonical NaN, raising NV only for signalling inputs', () => {
    expect(run('fadd_s', RNE, S(SNAN_S), S(ONE_S))).toEqual({ f: CANON_S, x: 0, flags: NV });
    expect(run('fadd_s', RNE, S(0xffc12345), S(ONE_S))).toEqual({ f: CANON_S, x: 0, flags: 0 });
    expect(run('fmul_d', RNE, ONE_D, SNAN_D)).toEqual({ f: CANON_D, x: 0, flags: NV });
    expect(run('fsub_d', RNE, 0xfff8000000000123n, ONE_D)).toEqual({ f: CANON_D, x: 0, flags: 0 });
  });
  it('flags ∞ − ∞, 0 · ∞, 0/0, ∞/∞ and √−x as invalid', () => {
    expect(run('fsub_d', RNE, INF_D, INF_D)).toEqual({ f: CANON_D, x: 0, flags: NV });
    expect(run('fmul_s', RNE, S(0), S(INF_S))).toEqual({ f: CANON_S, x: 0, flags: NV });
    expect(run('fdiv_d', RNE, 0n, 0n)).toEqual({ f: CANON_D, x: 0, flags: NV });
    expect(run('fdiv_s', RNE, S(INF_S), S(0xff800000))).toEqual({ f: CANON_S, x: 0, flags: NV });
    expect(run('fsqrt_d', RNE, 0xbff0000000000000n)).toEqual({ f: CANON_D, x: 0, flags: NV });
    expect(run('fsqrt_s', RNE, S(0x80000000))).toEqual({ f: S(0x80000000), x: 0, flags: 0 });
  });
  it('raises DZ for a finite nonzero value divided by zero', () => {
    expect(run('fdiv_d', RNE, 0xbff0000000000000n, 0n)).toEqual({ f: 0xfff0000000000000n, x: 0, flags: DZ });
    expect(run('fdiv_s', RNE, S(ONE_S), S(0x80000000))).toEqual({ f: S(0xff800000), x: 0, flags: DZ });
    expect(run('fdiv_s', RNE, S(INF_S), S(0))).toEqual({ f: S(INF_S), x: 0, flags: 0 });
  });
});

describe('rounding modes', () => {
  // 1 + 2^-24 is halfway between 1 and 1 + 2^-23 in binary32.
  const half = S(0x33800000);
  it.each([
    [RNE, 0x3f800000],
    [RTZ, 0x3f800000],
    [RDN, 0x3f800000],
    [RUP, 0x3f800001],
    [RMM, 0x3f800001],
  ])('1 + 2^-24 in binary32, rm %i', (rm, want) => {
    expect(run('fadd_s', rm, S(ONE_S), half)).toEqual({ f: S(want), x: 0, flags: NX });
  });
  it.each([
    [RNE, 0xbf800000],
    [RTZ, 0xbf800000],
    [RDN, 0xbf800001],
    [RUP, 0xbf800000],
    [RMM, 0xbf800001],
  ])('−1 − 2^-24 in binary32, rm %i', (rm, want) => {
    expect(run('fsub_s', rm, S(0xbf800000), half).f).toBe(S(want));
  });
  it.each([
    [RNE, 0x3fd5555555555555n],
    [RTZ, 0x3fd5555555555555n],
    [RDN, 0x3fd5555555555555n],
    [RUP, 0x3fd5555555555556n],
    [RMM, 0x3fd5555555555555n],
  ])('1/3 in binary64, rm %i', (rm, want) => {
    expect(run('fdiv_d', rm, ONE_D, 0x4008000000000000n)).toEqual({ f: want, x: 0, flags: NX });
  });
  it('√2 in binary64 rounds per mode, and exact roots raise nothing', () => {
    expect(run('fsqrt_d', RNE, 0x4000000000000000n).f).toBe(0x3ff6a09e667f3bcdn);
    expect(run('fsqrt_d', RDN, 0x4000000000000000n).f).toBe(0x3ff6a09e667f3bccn);
    expect(run('fsqrt_d', RUP, 0x4000000000000000n).f).toBe(0x3ff6a09e667f3bcdn);
    expect(run('fsqrt_s', RNE, S(0x41100000))).toEqual({ f: S(0x40400000), x: 0, flags: 0 });
  });
  it('uses frm for the dynamic mode and rejects reserved modes', () => {
    expect(run('fadd_s', DYN, S(ONE_S), half, 0n, 0, RUP).f).toBe(S(0x3f800001));
    const fp = new FpRegs();
    const x = new Int32Array(32);
    const add = OPS.get('fadd_d');
    if (!add) throw new Error('fadd_d');
    expect(execFp(fp, x, add.encode(5))).toBe(FP_ILLEGAL);
    expect(execFp(fp, x, add.encode(6))).toBe(FP_ILLEGAL);
    for (const frm of [5, 6, 7]) {
      fp.frm = frm;
      expect(execFp(fp, x, add.encode(7))).toBe(FP_ILLEGAL);
    }
  });
  it('gives −0 for an exact zero sum only when rounding down', () => {
    expect(run('fadd_d', RNE, ONE_D, 0xbff0000000000000n).f).toBe(0n);
    expect(run('fadd_d', RDN, ONE_D, 0xbff0000000000000n).f).toBe(0x8000000000000000n);
    expect(run('fadd_s', RUP, S(0x80000000), S(0x80000000)).f).toBe(S(0x80000000));
    expect(run('fadd_s', RNE, S(0x80000000), S(0)).f).toBe(S(0));
  });
});

describe('overflow and underflow', () => {
  it('overflows to ∞ or the largest finite number depending on the mode', () => {
    expect(run('fmul_d', RNE, MAX_D, 0x4000000000000000n)).toEqual({ f: INF_D, x: 0, flags: OF | NX });
    expect(run('fmul_d', RTZ, MAX_D, 0x4000000000000000n).f).toBe(MAX_D);
    expect(run('fmul_d', RDN, MAX_D, 0x4000000000000000n).f).toBe(MAX_D);
    expect(run('fmul_d', RUP, MAX_D, 0xc000000000000000n).f).toBe(0xffefffffffffffffn);
    expect(run('fadd_s', RUP, S(MAX_S), S(ONE_S))).toEqual({ f: S(INF_S), x: 0, flags: OF | NX });
    expect(run('fadd_s', RNE, S(MAX_S), S(ONE_S))).toEqual({ f: S(MAX_S), x: 0, flags: NX });
  });
  it('rounds subnormal results with UF only when tiny and inexact', () => {
    // min subnormal / 2: a tie between 0 and the min subnormal
    expect(run('fmul_s', RNE, S(1), S(0x3f000000))).toEqual({ f: S(0), x: 0, flags: UF | NX });
    expect(run('fmul_s', RUP, S(1), S(0x3f000000))).toEqual({ f: S(1), x: 0, flags: UF | NX });
    expect(run('fmul_s', RMM, S(1), S(0x3f000000))).toEqual({ f: S(1), x: 0, flags: UF | NX });
    // exact subnormal results raise nothing
    expect(run('fmul_d', RNE, 0x0000000000000002n, 0x3fe0000000000000n)).toEqual({ f: 1n, x: 0, flags: 0 });
    expect(run('fsub_s', RNE, S(0x00800001), S(0x00800000))).toEqual({ f: S(1), x: 0, flags: 0 });
  });
  it('detects tininess after rounding', () => {
    // 2^-126·(1 − 2^-26): rounds up to the smallest normal with an unbounded exponent, so it is not tiny
    const d = 0x380ffffff8000000n;
    expect(run('fcvt_s_d', RNE, d)).toEqual({ f: S(0x00800000), x: 0, flags: NX });
    expect(run('fcvt_s_d', RTZ, d)).toEqual({ f: S(0x007fffff), x: 0, flags: UF | NX });
    // (1 − 2^-24)·2^-126 is exactly representable with unbounded exponent: tiny, rounds to min normal
    expect(run('fmul_s', RNE, S(0x3f7fffff), S(0x00800000))).toEqual({
      f: S(0x00800000),
      x: 0,
      flags: UF | NX,
    });
  });
});

describe('fused multiply-add', () => {
  it('rounds once', () => {
    // (1 + 2^-30)² − (1 + 2^-29) = 2^-60 exactly; separately rounded it would be 0.
    const a = 0x3ff0000000400000n;
    expect(run('fmadd_d', RNE, a, a, 0xbff0000000800000n)).toEqual({
      f: 0x3c30000000000000n,
      x: 0,
      flags: 0,
    });
    expect(run('fmsub_d', RNE, a, a, 0x3ff0000000800000n).f).toBe(0x3c30000000000000n);
    expect(run('fnmadd_d', RNE, a, a, 0xbff0000000800000n).f).toBe(0xbc30000000000000n);
    expect(run('fnmsub_d', RNE, a, a, 0x3ff0000000800000n).f).toBe(0xbc30000000000000n);
    const s = S(0x3f800001); // 1 + 2^-23
    expect(run('fmadd_s', RNE, s, s, S(0xbf800002)).f).toBe(S(0x28800000)); // 2^-46
  });
  it('applies the signs of FMSUB, FNMSUB and FNMADD', () => {
    const two = S(0x40000000);
    const three = S(0x40400000);
    expect(run('fmadd_s', RNE, two, three, S(ONE_S)).f).toBe(S(0x40e00000)); // 7
    expect(run('fmsub_s', RNE, two, three, S(ONE_S)).f).toBe(S(0x40a00000)); // 5
    expect(run('fnmsub_s', RNE, two, three, S(ONE_S)).f).toBe(S(0xc0a00000)); // −5
    expect(run('fnmadd_s', RNE, two, three, S(ONE_S)).f).toBe(S(0xc0e00000)); // −7
  });
  it('raises NV for ∞ · 0 even with a quiet NaN addend', () => {
    expect(run('fmadd_d', RNE, INF_D, 0n, CANON_D)).toEqual({ f: CANON_D, x: 0, flags: NV });
    expect(run('fmadd_s', RNE, S(1), S(0), S(QNAN_S))).toEqual({ f: CANON_S, x: 0, flags: 0 });
    expect(run('fmadd_d', RNE, INF_D, ONE_D, 0xfff0000000000000n)).toEqual({ f: CANON_D, x: 0, flags: NV });
  });
  it('signs exact zeros like an addition', () => {
    expect(run('fmadd_d', RNE, 0n, ONE_D, 0x8000000000000000n).f).toBe(0n);
    expect(run('fmadd_d', RDN, 0n, ONE_D, 0x8000000000000000n).f).toBe(0x8000000000000000n);
    expect(run('fnmadd_s', RNE, S(0), S(ONE_S), S(0)).f).toBe(S(0x80000000));
  });
});

describe('min/max, comparisons, classification, sign injection', () => {
  it('orders −0 below +0 and ignores a single NaN', () => {
    expect(run('fmin_s', RNE, S(0), S(0x80000000)).f).toBe(S(0x80000000));
    expect(run('fmax_s', RNE, S(0x80000000), S(0)).f).toBe(S(0));
    expect(run('fmin_d', RNE, CANON_D, ONE_D)).toEqual({ f: ONE_D, x: 0, flags: 0 });
    expect(run('fmax_d', RNE, ONE_D, SNAN_D)).toEqual({ f: ONE_D, x: 0, flags: NV });
    expect(run('fmax_s', RNE, S(SNAN_S), S(0xffc00000))).toEqual({ f: CANON_S, x: 0, flags: NV });
    expect(run('fmin_d', RNE, 0xc000000000000000n, ONE_D).f).toBe(0xc000000000000000n);
  });
  it('compares quietly (FEQ) or signalling (FLT, FLE)', () => {
    expect(run('feq_s', RNE, S(0), S(0x80000000))).toEqual({ f: 0n, x: 1, flags: 0 });
    expect(run('feq_s', RNE, S(QNAN_S), S(QNAN_S))).toEqual({ f: 0n, x: 0, flags: 0 });
    expect(run('feq_d', RNE, SNAN_D, ONE_D)).toEqual({ f: 0n, x: 0, flags: NV });
    expect(run('flt_d', RNE, CANON_D, ONE_D)).toEqual({ f: 0n, x: 0, flags: NV });
    expect(run('fle_s', RNE, S(0x80000000), S(0)).x).toBe(1);
    expect(run('flt_s', RNE, S(0x80000000), S(0)).x).toBe(0);
    expect(run('flt_d', RNE, 0xfff0000000000000n, MAX_D).x).toBe(1);
  });
  it('classifies every kind of value', () => {
    const cases: Array<[bigint, bigint, number]> = [
      [S(0xff800000), 0xfff0000000000000n, 0],
      [S(0xbf800000), 0xbff0000000000000n, 1],
      [S(0x80000001), 0x8000000000000001n, 2],
      [S(0x80000000), 0x8000000000000000n, 3],
      [S(0), 0n, 4],
      [S(0x007fffff), 0x000fffffffffffffn, 5],
      [S(ONE_S), ONE_D, 6],
      [S(INF_S), INF_D, 7],
      [S(SNAN_S), SNAN_D, 8],
      [S(QNAN_S), CANON_D, 9],
    ];
    for (const [s, d, bit] of cases) {
      expect(run('fclass_s', RNE, s).x).toBe(1 << bit);
      expect(run('fclass_d', RNE, d).x).toBe(1 << bit);
    }
  });
  it('injects signs without touching anything else', () => {
    expect(run('fsgnj_d', RNE, SNAN_D, 0x8000000000000000n)).toEqual({
      f: 0xfff0000000000001n,
      x: 0,
      flags: 0,
    });
    expect(run('fsgnjn_d', RNE, ONE_D, ONE_D).f).toBe(0xbff0000000000000n);
    expect(run('fsgnjx_s', RNE, S(0xbf800000), S(0x80000000)).f).toBe(S(ONE_S));
    expect(run('fsgnjx_s', RNE, S(ONE_S), S(0x80000000)).f).toBe(S(0xbf800000));
  });
});

describe('conversions', () => {
  it.each([
    [RNE, 2, -2],
    [RTZ, 2, -2],
    [RDN, 2, -3],
    [RUP, 3, -2],
    [RMM, 3, -3],
  ])('FCVT.W.S of ±2.5 with rm %i', (rm, pos, neg) => {
    expect(run('fcvt_w_s', rm, S(0x40200000))).toEqual({ f: 0n, x: pos, flags: NX });
    expect(run('fcvt_w_d', rm, 0xc004000000000000n)).toEqual({ f: 0n, x: neg, flags: NX });
  });
  it('saturates with NV when out of range or NaN', () => {
    expect(run('fcvt_w_s', RNE, S(0x4f000000))).toEqual({ f: 0n, x: 0x7fffffff, flags: NV }); // 2^31
    expect(run('fcvt_w_s', RNE, S(0xcf000000))).toEqual({ f: 0n, x: -0x80000000, flags: 0 }); // −2^31
    // −2^31 − 0.5
    expect(run('fcvt_w_d', RTZ, 0xc1e0000000100000n)).toEqual({ f: 0n, x: -0x80000000, flags: NX });
    expect(run('fcvt_w_d', RNE, 0xc1e0000000100000n)).toEqual({ f: 0n, x: -0x80000000, flags: NX });
    expect(run('fcvt_w_d', RDN, 0xc1e0000000100000n)).toEqual({ f: 0n, x: -0x80000000, flags: NV });
    expect(run('fcvt_w_d', RNE, CANON_D)).toEqual({ f: 0n, x: 0x7fffffff, flags: NV });
    expect(run('fcvt_w_s', RNE, S(0xff800000))).toEqual({ f: 0n, x: -0x80000000, flags: NV });
    expect(run('fcvt_wu_s', RTZ, S(0xbf000000))).toEqual({ f: 0n, x: 0, flags: NX }); // −0.5 → 0
    expect(run('fcvt_wu_s', RNE, S(0xbf800000))).toEqual({ f: 0n, x: 0, flags: NV });
    expect(run('fcvt_wu_d', RNE, 0x41f0000000000000n)).toEqual({ f: 0n, x: -1, flags: NV }); // 2^32
    expect(run('fcvt_wu_d', RNE, 0x41efffffffe00000n)).toEqual({ f: 0n, x: -1, flags: 0 }); // 2^32 − 1
    expect(run('fcvt_wu_s', RNE, S(QNAN_S))).toEqual({ f: 0n, x: -1, flags: NV });
  });
  it('rounds integers to binary32 and converts them exactly to binary64', () => {
    expect(run('fcvt_s_w', RNE, 0n, 0n, 0n, 0x01000001)).toEqual({ f: S(0x4b800000), x: 0, flags: NX });
    expect(run('fcvt_s_w', RUP, 0n, 0n, 0n, 0x01000001).f).toBe(S(0x4b800001));
    expect(run('fcvt_s_w', RNE, 0n, 0n, 0n, -0x80000000)).toEqual({ f: S(0xcf000000), x: 0, flags: 0 });
    expect(run('fcvt_s_wu', RNE, 0n, 0n, 0n, -1)).toEqual({ f: S(0x4f800000), x: 0, flags: NX });
    expect(run('fcvt_s_wu', RTZ, 0n, 0n, 0n, -1).f).toBe(S(0x4f7fffff));
    expect(run('fcvt_d_w', RNE, 0n, 0n, 0n, -7)).toEqual({ f: 0xc01c000000000000n, x: 0, flags: 0 });
    expect(run('fcvt_d_wu', RNE, 0n, 0n, 0n, -1)).toEqual({ f: 0x41efffffffe00000n, x: 0, flags: 0 });
    expect(run('fcvt_s_w', RNE, 0n, 0n, 0n, 0).f).toBe(S(0));
  });
  it('converts between formats with canonical NaNs', () => {
    expect(run('fcvt_d_s', RNE, S(1))).toEqual({ f: 0x36a0000000000000n, x: 0, flags: 0 });
    expect(run('fcvt_d_s', RNE, S(SNAN_S))).toEqual({ f: CANON_D, x: 0, flags: NV });
    expect(run('fcvt_s_d', RNE, SNAN_D)).toEqual({ f: CANON_S, x: 0, flags: NV });
    expect(run('fcvt_s_d', RNE, 0x3ff0000010000000n)).toEqual({ f: S(ONE_S), x: 0, flags: NX }); // tie → even
    expect(run('fcvt_s_d', RMM, 0x3ff0000010000000n).f).toBe(S(0x3f800001));
    expect(run('fcvt_s_d', RNE, MAX_D)).toEqual({ f: S(INF_S), x: 0, flags: OF | NX });
    expect(run('fcvt_s_d', RTZ, 0xfff0000000000000n)).toEqual({ f: S(0xff800000), x: 0, flags: 0 });
  });
});

describe('decoding', () => {
  it('rejects unknown encodings', () => {
    const fp = new FpRegs();
    const x = new Int32Array(32);
    const rejects = [
      0x00000033, // not an FP opcode
      0x04208253 | (2 << 25), // fmt H
      0x06208253, // fmt Q
      0x58108253, // fsqrt.s with rs2 = 1
      0x2020b253, // fsgnj.s funct3 3
      0x2820a253, // fmin.s funct3 2
      0xa020b253, // fcmp funct3 3
      0xe2008253, // fmv.x.d (RV64 only)
      0xf2028253, // fmv.d.x (RV64 only)
      0x40008253, // fcvt.s.s
      0xc0208253, // fcvt.w.s with rs2 = 2 (W64 forms are RV64 only)
      0x06209243, // fmadd with fmt Q
    ];
    for (const insn of rejects) expect(execFp(fp, x, insn), insn.toString(16)).toBe(FP_ILLEGAL);
  });
  it('never writes x0', () => {
    const fp = new FpRegs();
    const x = new Int32Array(32);
    fp.f64[1] = 1;
    fp.f64[2] = 1;
    expect(execFp(fp, x, 0xa2209053)).toBe(FP_OK); // feq.d x0, f1, f2
    expect(x[0]).toBe(0);
  });
  it('accrues flags without clearing earlier ones', () => {
    const fp = new FpRegs();
    const x = new Int32Array(32);
    fp.fflags = DZ;
    fp.f64[1] = 1;
    fp.f64[2] = 3;
    expect(execFp(fp, x, 0x1a20f253)).toBe(FP_OK); // fdiv.d f4, f1, f2, dyn (frm 0)
    expect(fp.fflags).toBe(DZ | NX);
  });
});
