// The real oracle: tests/fixtures/fpu/fpu-oracle.c runs each F/D operation on qemu-riscv32 with
// every rounding mode over tables of edge-case and pseudo-random operand bit patterns; execFp
// (fast path and soft-float reference alike) must give the same register bits and fflags.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { execFp, FP_OK, FpRegs, setFpFastPath } from '../../core/machine/fpu';
import { buildWithGcc, FIXTURES } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';
import {
  aimedPair,
  boxS,
  opTable,
  randomD,
  randomS,
  Rng,
  SPECIAL_D,
  SPECIAL_S,
  SPECIAL_X,
  type OpInfo,
} from '../fixtures/fpu/vectors';

const FULL = process.env.FUTURA_FULL === '1';
const RANDOM = FULL ? 3000 : 300;
const RMS = [0, 1, 2, 3, 4, 7];

interface Vec {
  op: OpInfo;
  index: number;
  rm: number;
  frm: number;
  x: number;
  a: bigint;
  b: bigint;
  c: bigint;
}

const f32bits = new Uint32Array(1);
const f32val = new Float32Array(f32bits.buffer);
const f64bits = new BigUint64Array(1);
const f64val = new Float64Array(f64bits.buffer);

/** Bits of the binary32 value nearest to −(a·b), nudged by a few ulps: FMA cancellation cases. */
function cancelS(a: bigint, b: bigint, r: Rng): bigint {
  f32bits[0] = Number(a & 0xffffffffn);
  const av = f32val[0];
  f32bits[0] = Number(b & 0xffffffffn);
  f32val[0] = -(av * f32val[0]);
  f32bits[0] = f32bits[0] + r.below(5) - 2;
  return boxS(f32bits[0]);
}

function cancelD(a: bigint, b: bigint, r: Rng): bigint {
  f64bits[0] = a;
  const av = f64val[0];
  f64bits[0] = b;
  f64val[0] = -(av * f64val[0]);
  return BigInt.asUintN(64, f64bits[0] + BigInt(r.below(5)) - 2n);
}

function operands(fmt: 's' | 'd'): bigint[] {
  if (fmt === 'd') return [...SPECIAL_D];
  // Improperly NaN-boxed values must read as the canonical NaN.
  return [...SPECIAL_S.map(boxS), 0x000000003f800000n, 0x7ff8000000000000n, 0xfffffffe3f800000n];
}

function vectors(ops: OpInfo[], names: string[]): Vec[] {
  const rng = new Rng(0x5eed1234);
  const out: Vec[] = [];
  for (const op of ops) {
    const index = names.indexOf(op.name);
    const rms = op.rounded ? RMS : [0];
    const push = (a: bigint, b: bigint, c: bigint, x: number, rm: number) =>
      out.push({ op, index, rm, frm: rm === 7 ? rng.below(5) : rng.below(8), x, a, b, c });
    const rnd = () => (op.fmt === 'd' ? randomD(rng) : boxS(randomS(rng)));
    const ops1 = operands(op.fmt);
    if (op.src === 'x') {
      for (const x of SPECIAL_X) for (const rm of rms) push(0n, 0n, 0n, x, rm);
      for (let i = 0; i < RANDOM; i++) push(0n, 0n, 0n, rng.u32() | 0, rng.pick(rms));
    } else if (op.src === 1) {
      for (const a of ops1) for (const rm of rms) push(a, 0n, 0n, 0, rm);
      for (let i = 0; i < RANDOM; i++) push(rnd(), 0n, 0n, 0, rng.pick(rms));
    } else if (op.src === 2) {
      for (const a of ops1) for (const b of ops1) push(a, b, 0n, 0, rng.pick(rms));
      for (let i = 0; i < RANDOM; i++) {
        const a = rnd();
        // Nearby operands make cancellation and ties likely.
        const b = rng.below(4) === 0 ? a ^ BigInt(rng.below(16)) : rnd();
        for (const rm of rms) push(a, b, 0n, 0, rm);
      }
      if (op.name.startsWith('fmul') || op.name.startsWith('fdiv')) {
        for (let i = 0; i < RANDOM; i++) {
          const [a, b] = aimedPair(rng, op.fmt, op.name.startsWith('fdiv'));
          for (const rm of rms) push(a, b, 0n, 0, rm);
        }
      }
    } else {
      const few = ops1.filter((_, i) => i % 3 === 0);
      for (const a of few) for (const b of few) for (const c of few) push(a, b, c, 0, rng.pick(rms));
      for (let i = 0; i < RANDOM; i++) {
        const a = rnd();
        const b = rnd();
        const c = rng.below(2) === 0 ? (op.fmt === 'd' ? cancelD(a, b, rng) : cancelS(a, b, rng)) : rnd();
        for (const rm of rms) push(a, b, c, 0, rm);
        // A product near the subnormal boundary plus a small or cancelling addend.
        const [x1, x2] = aimedPair(rng, op.fmt, false);
        const c2 =
          rng.below(2) === 0 ? (op.fmt === 'd' ? cancelD(x1, x2, rng) : cancelS(x1, x2, rng)) : rnd();
        push(x1, x2, c2, 0, rng.pick(rms));
      }
    }
  }
  return out;
}

function encodeVectors(vs: Vec[]): Buffer {
  const buf = Buffer.alloc(vs.length * 40);
  vs.forEach((v, i) => {
    const o = i * 40;
    buf.writeUInt32LE(v.index, o);
    buf.writeUInt32LE(v.rm, o + 4);
    buf.writeUInt32LE(v.frm, o + 8);
    buf.writeInt32LE(v.x, o + 12);
    buf.writeBigUInt64LE(v.a, o + 16);
    buf.writeBigUInt64LE(v.b, o + 24);
    buf.writeBigUInt64LE(v.c, o + 32);
  });
  return buf;
}

const hex = (v: bigint | number, n: number) => v.toString(16).padStart(n, '0');

function setF(fp: FpRegs, i: number, v: bigint): void {
  fp.u32[2 * i] = Number(v & 0xffffffffn);
  fp.u32[2 * i + 1] = Number(v >> 32n);
}

/** What execFp says, in the oracle's output format. */
function emulate(v: Vec): string {
  const fp = new FpRegs();
  const x = new Int32Array(32);
  setF(fp, 1, v.a);
  setF(fp, 2, v.b);
  setF(fp, 3, v.c);
  x[5] = v.x;
  fp.frm = v.frm;
  const rc = execFp(fp, x, v.op.encode(v.rm));
  if (rc !== FP_OK) return `illegal ${rc}`;
  const f4 = (BigInt(fp.u32[9]) << 32n) | BigInt(fp.u32[8]);
  return `${hex(f4, 16)} ${hex(x[6] >>> 0, 8)} ${hex(fp.fflags, 2)}`;
}

describe('FPU against qemu-riscv32', () => {
  afterAll(() => setFpFastPath(true));
  const tools = [RV_GCC, QEMU_USER];
  let cache: { names: string[]; vs: Vec[]; lines: string[] } | null = null;
  const oracle = () => {
    if (cache) return cache;
    const elf = buildWithGcc([join(FIXTURES, 'fpu', 'fpu-oracle.c')]);
    const names = execFileSync(QEMU_USER, [elf, 'list'], { encoding: 'utf8' }).trim().split('\n');
    const ops = opTable();
    expect(ops.map((o) => o.name).sort()).toEqual([...names].sort());
    const vs = vectors(ops, names);
    const out = execFileSync(QEMU_USER, [elf], {
      input: encodeVectors(vs),
      maxBuffer: 1 << 28,
      encoding: 'utf8',
    });
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBe(vs.length);
    cache = { names, vs, lines };
    return cache;
  };

  for (const fast of [true, false]) {
    oracleIt(
      `every F/D operation and rounding mode matches (${fast ? 'fast path' : 'soft-float reference'})`,
      tools,
      () => {
        const { vs, lines } = oracle();
        setFpFastPath(fast);
        const bad: string[] = [];
        const perOp = new Map<string, number>();
        vs.forEach((v, i) => {
          const got = emulate(v);
          if (got !== lines[i]) {
            perOp.set(v.op.name, (perOp.get(v.op.name) ?? 0) + 1);
            if (bad.length < 25) {
              bad.push(
                `${v.op.name} rm=${v.rm} frm=${v.frm} a=${hex(v.a, 16)} b=${hex(v.b, 16)} c=${hex(v.c, 16)} x=${hex(v.x >>> 0, 8)}: qemu ${lines[i]} / ours ${got}`,
              );
            }
          }
        });
        setFpFastPath(true);
        expect({ mismatches: [...perOp], first: bad }).toEqual({ mismatches: [], first: [] });
        expect(vs.length).toBeGreaterThan(1000);
        // The tables must really exercise every exception flag (NV, DZ, OF, UF, NX).
        const seen = [16, 8, 4, 2, 1].map(
          (bit) => lines.filter((l) => (parseInt(l.slice(-2), 16) & bit) !== 0).length,
        );
        for (const n of seen) expect(n).toBeGreaterThan(50);
      },
    );
  }
});
