// Randomized cross-check: for every rounding F/D operation, the fast double-based path and the
// BigInt soft-float reference must agree bit for bit on results and fflags.
import { afterAll, describe, expect, it } from 'vitest';
import { execFp, FP_OK, FpRegs, fpStats, setFpFastPath } from '../../core/machine/fpu';
import {
  boxS,
  opTable,
  randomD,
  randomS,
  Rng,
  SPECIAL_D,
  SPECIAL_S,
  SPECIAL_X,
} from '../fixtures/fpu/vectors';

const COUNT = process.env.FUTURA_FULL === '1' ? 400_000 : 40_000;

function snapshot(fp: FpRegs, x: Int32Array): string {
  return `${fp.u32[9].toString(16)}:${fp.u32[8].toString(16)} x6=${x[6]} fl=${fp.fflags}`;
}

describe('FPU fast path vs soft-float reference', () => {
  afterAll(() => setFpFastPath(true));

  it(`agrees on ${COUNT} random operations`, () => {
    const rng = new Rng(0xc0ffee);
    const ops = opTable().filter((o) => o.rounded);
    const rms = [0, 1, 2, 3, 4];
    const bad: string[] = [];
    let fastRuns = 0;
    let slowOnFast = 0;
    let illegal = 0;
    for (let i = 0; i < COUNT; i++) {
      const op = ops[i % ops.length];
      const rm = rng.pick(rms);
      const pickOperand = (): bigint => {
        const k = rng.below(8);
        if (op.fmt === 'd') return k === 0 ? rng.pick(SPECIAL_D) : randomD(rng);
        return boxS(k === 0 ? rng.pick(SPECIAL_S) : randomS(rng));
      };
      const a = pickOperand();
      const b = rng.below(5) === 0 ? a ^ BigInt(rng.below(8)) : pickOperand();
      const c = pickOperand();
      const xi = rng.below(4) === 0 ? rng.pick(SPECIAL_X) : rng.u32() | 0;
      const results: string[] = [];
      for (const fast of [true, false]) {
        setFpFastPath(fast);
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
        fp.frm = rm;
        const before = fpStats.slow;
        if (execFp(fp, x, op.encode(rng.below(2) === 0 ? rm : 7)) !== FP_OK) illegal++;
        if (fast) {
          fastRuns++;
          slowOnFast += fpStats.slow - before;
        }
        results.push(snapshot(fp, x));
      }
      if (results[0] !== results[1] && bad.length < 20) {
        bad.push(
          `${op.name} rm=${rm} a=${a.toString(16)} b=${b.toString(16)} c=${c.toString(16)}: ${results.join(' vs ')}`,
        );
      }
    }
    setFpFastPath(true);
    expect(bad).toEqual([]);
    expect(illegal).toBe(0);
    // The comparison means something only if most operations really took the fast path.
    expect(slowOnFast).toBeLessThan(fastRuns / 2);
  });

  it('agrees on fused multiply-adds built for cancellation and ties', () => {
    const rng = new Rng(0xfa11);
    const bits = new BigUint64Array(1);
    const val = new Float64Array(bits.buffer);
    const asBits = (v: number): bigint => {
      val[0] = v;
      return bits[0];
    };
    // Short significands make exact products, so sums land on ties and exact values often.
    const short = (): number => (rng.u32() & 0xfffff) * 2 ** (rng.below(80) - 60) * (rng.below(2) ? -1 : 1);
    let mismatches = 0;
    const first: string[] = [];
    const before = fpStats.slow;
    const n = COUNT / 4;
    for (let i = 0; i < n; i++) {
      const a = rng.below(2) === 0 ? short() : 1 + rng.u32() / 2 ** 32;
      const b = rng.below(2) === 0 ? short() : 1 - rng.u32() / 2 ** 34;
      const p = a * b;
      const k = rng.below(4);
      const c =
        k === 0
          ? -p
          : k === 1
            ? -p * (1 + (rng.below(9) - 4) * 2 ** -52)
            : k === 2
              ? p * 2 ** -(53 + rng.below(3))
              : short();
      const rm = rng.below(5);
      const opcode = [0x43, 0x47, 0x4b, 0x4f][rng.below(4)];
      const insn = ((3 << 27) | (1 << 25) | (2 << 20) | (1 << 15) | (rm << 12) | (4 << 7) | opcode) >>> 0;
      const out: string[] = [];
      for (const fast of [true, false]) {
        setFpFastPath(fast);
        const fp = new FpRegs();
        fp.f64[1] = a;
        fp.f64[2] = b;
        fp.f64[3] = c;
        execFp(fp, new Int32Array(32), insn);
        out.push(`${fp.u32[9].toString(16)}:${fp.u32[8].toString(16)} fl=${fp.fflags}`);
      }
      if (out[0] !== out[1]) {
        mismatches++;
        if (first.length < 10) {
          first.push(
            `op=${opcode.toString(16)} rm=${rm} ${asBits(a).toString(16)} ${asBits(b).toString(16)} ${asBits(c).toString(16)}: ${out.join(' vs ')}`,
          );
        }
      }
    }
    setFpFastPath(true);
    expect(first).toEqual([]);
    expect(mismatches).toBe(0);
    // Most of these must have been decided by the fast path (the soft runs add exactly n).
    expect(fpStats.slow - before - n).toBeLessThan(n / 2);
  });
});
