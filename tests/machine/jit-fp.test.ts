// The translator's inline double-precision fast paths (core/machine/jit/fpgen) against the
// interpreter: random loops of FP instructions over operands chosen to sit on every edge the
// fast paths must recognise (zeros, subnormals, the ends of the exponent range, infinities, quiet
// and signalling NaNs, exact and inexact results, ties), in every rounding mode and FS state.
// Both engines must end with the same registers, fflags, instret and exit.
import { describe, expect, it } from 'vitest';
import type { Board } from '../../core/machine/board';
import { Exit } from '../../core/machine/hart';
import { rType } from '../../core/machine/encode';
import { fpStats, setFpFastPath } from '../../core/machine/fpu';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE } from './helpers';

const FULL = process.env.FUTURA_FULL === '1';
const TRIALS = FULL ? 3000 : 300;

/** xorshift32: a reproducible stream. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const EDGES = [
  0,
  -0,
  0,
  -0,
  2 ** 27 + 1,
  -(2 ** 26 + 3),
  2 ** 52 + 1,
  2 ** -53,
  0.5,
  1,
  -1,
  1.5,
  3,
  0.1,
  1 / 3,
  2 ** 960,
  -(2 ** 960),
  2 ** 961,
  2 ** -960,
  2 ** -961,
  2 ** -1021,
  2 ** -1022,
  2 ** -1074,
  Number.MAX_VALUE,
  Infinity,
  -Infinity,
  NaN,
  1 + 2 ** -52,
  1 - 2 ** -53,
  2 ** 53,
  1e300,
  1e-300,
  12345,
];

/** binary32 edges: range ends, subnormals, and operands whose fused product lands exactly on a
 *  binary32 midpoint ((1 + 2^-12)^2 = 1 + 2^-11 + 2^-24), so a tiny addend decides the rounding. */
const FLT_EDGES = [
  0,
  -0,
  1,
  -1,
  1 + 2 ** -12,
  2 ** -24,
  2 ** -80,
  -(2 ** -80),
  0.1,
  3,
  2 ** -126,
  2 ** -125,
  2 ** -149,
  3.4028234663852886e38,
  2 ** 127,
  Infinity,
  -Infinity,
  NaN,
  16777217,
];

/** A double for an FP register, as its two 32-bit words (low, high). */
function operand(rand: () => number): [number, number] {
  const pick = rand();
  const view = new DataView(new ArrayBuffer(8));
  if (pick < 0.35) {
    view.setFloat64(0, EDGES[Math.floor(rand() * EDGES.length)]!, true);
  } else if (pick < 0.45) {
    // A signalling NaN, or a NaN-boxed single (any bits, or one of the binary32 edges).
    if (rand() < 0.3) view.setUint32(4, 0x7ff4_0000, true);
    else view.setUint32(4, 0xffff_ffff, true);
    if (rand() < 0.5) view.setUint32(0, Math.floor(rand() * 2 ** 32), true);
    else view.setFloat32(0, FLT_EDGES[Math.floor(rand() * FLT_EDGES.length)]!, true);
  } else if (pick < 0.75) {
    // Small integers and halves: exact sums, products and ties.
    view.setFloat64(
      0,
      (Math.floor(rand() * 64) - 32) / (rand() < 0.5 ? 1 : 2 ** Math.floor(rand() * 60)),
      true,
    );
  } else {
    // Any exponent.
    view.setUint32(0, Math.floor(rand() * 2 ** 32), true);
    view.setUint32(4, Math.floor(rand() * 2 ** 32), true);
  }
  return [view.getUint32(0, true), view.getUint32(4, true)];
}

const OP_FP = 0x53;
/** A random computational D instruction (or an F move) over f0–f7, x10–x13. */
function instruction(rand: () => number): number {
  const f = (): number => Math.floor(rand() * 8);
  const x = (): number => 10 + Math.floor(rand() * 4);
  const rm = (): number => (rand() < 0.7 ? [0, 7][Math.floor(rand() * 2)]! : Math.floor(rand() * 8));
  const k = Math.floor(rand() * 16);
  switch (k) {
    case 11:
      return rType(OP_FP, f(), rm(), f(), f(), [0x00, 0x04, 0x08, 0x0c][Math.floor(rand() * 4)]!); // fadd/fsub/fmul/fdiv.s
    case 12: {
      const opcode = [0x43, 0x47, 0x4b, 0x4f][Math.floor(rand() * 4)]!;
      return (rType(opcode, f(), rm(), f(), f(), 0) | (f() << 27)) >>> 0; // fmadd.s family
    }
    case 13:
      return rType(OP_FP, x(), Math.floor(rand() * 4), f(), f(), 0x50); // fle/flt/feq.s
    case 14:
      return rType(OP_FP, f(), rm(), x(), Math.floor(rand() * 2), 0x68); // fcvt.s.w[u]
    case 0:
      return rType(OP_FP, f(), rm(), f(), f(), 0x01); // fadd.d
    case 1:
      return rType(OP_FP, f(), rm(), f(), f(), 0x05); // fsub.d
    case 2:
      return rType(OP_FP, f(), rm(), f(), f(), 0x09); // fmul.d
    case 3:
      return rType(OP_FP, f(), rm(), f(), f(), 0x0d); // fdiv.d
    case 4: {
      const opcode = [0x43, 0x47, 0x4b, 0x4f][Math.floor(rand() * 4)]!;
      return (rType(opcode, f(), rm(), f(), f(), 1) | (f() << 27)) >>> 0; // fmadd.d family
    }
    case 5:
      return rType(OP_FP, f(), Math.floor(rand() * 4), f(), f(), 0x11); // fsgnj[n|x].d (3: illegal)
    case 6:
      return rType(OP_FP, x(), Math.floor(rand() * 4), f(), f(), 0x51); // fle/flt/feq.d
    case 7:
      return rType(OP_FP, f(), rm(), x(), Math.floor(rand() * 2), 0x69); // fcvt.d.w[u]
    case 8:
      return rType(OP_FP, x(), 0, f(), 0, 0x70); // fmv.x.w
    case 9:
      return rType(OP_FP, f(), 0, x(), 0, 0x78); // fmv.w.x
    default:
      return A.addi(x(), x(), Math.floor(rand() * 4096) - 2048);
  }
}

interface Final {
  exit: number;
  pc: number;
  instret: number;
  x: number[];
  f: number[];
  fflags: number;
  mstatusFs: number;
}

function runTrial(
  b: Board,
  code: number[],
  f: Array<[number, number]>,
  x: number[],
  frm: number,
  fs: number,
  flags = 0,
): Final {
  const h = b.hart;
  if (code.length > 0) loadWords(b, RAM_BASE, code);
  h.x.fill(0);
  x.forEach((v, i) => (h.x[10 + i] = v));
  for (let i = 0; i < 8; i++) {
    h.fp.u32[2 * i] = f[i]![0];
    h.fp.u32[2 * i + 1] = f[i]![1];
  }
  h.fp.fflags = flags;
  h.fp.frm = frm;
  h.mstatus = (h.mstatus & ~0x6000) | (fs << 13);
  h.pc = RAM_BASE;
  const start = h.instret;
  const exit = h.run(100_000);
  return {
    exit,
    pc: h.pc - RAM_BASE,
    instret: h.instret - start,
    x: [...h.x],
    f: [...h.fp.u32.slice(0, 16)],
    fflags: h.fp.fflags,
    mstatusFs: (h.mstatus >>> 13) & 3,
  };
}

describe('inline FP fast paths of the translator', () => {
  it(`agree with the interpreter on ${TRIALS} random FP loops`, () => {
    const boards = ENGINES.map((engine) => {
      const b = makeBoard(engine);
      b.hart.hosted = true;
      return b;
    });
    const rand = rng(0x5eed_f00d);
    let fastFlags = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const body = Array.from({ length: 4 + Math.floor(rand() * 10) }, () => instruction(rand));
      const iterations = 1 + Math.floor(rand() * 20);
      const code = [
        ...li(R.s0, iterations),
        ...body,
        A.addi(R.s0, R.s0, -1),
        A.bne(R.s0, R.zero, -4 * (body.length + 1)),
        A.ecall(),
      ];
      const f = Array.from({ length: 8 }, () => operand(rand));
      const x = Array.from({ length: 4 }, () => Math.floor(rand() * 2 ** 32) | 0);
      const frm = rand() < 0.75 ? 0 : Math.floor(rand() * 8);
      const fs = rand() < 0.85 ? 3 : Math.floor(rand() * 3);
      const flags = rand() < 0.5 ? 0 : Math.floor(rand() * 32);
      const [interp, jit] = boards.map((b) => runTrial(b, code, f, x, frm, fs, flags));
      expect(jit, `trial ${trial}: ${code.map((w) => w.toString(16)).join(' ')}`).toEqual(interp);
      fastFlags |= interp!.fflags;
    }
    // The operands reached inexact, invalid and overflow/underflow cases.
    expect(fastFlags & 0x11).toBe(0x11);
  });

  it('agree with the interpreter on every pair (and many triples) of edge operands', () => {
    const boards = ENGINES.map((engine) => {
      const b = makeBoard(engine);
      b.hart.hosted = true;
      return b;
    });
    const bits = (v: number): [number, number] => {
      const d = new DataView(new ArrayBuffer(8));
      d.setFloat64(0, v, true);
      return [d.getUint32(0, true), d.getUint32(4, true)];
    };
    const values = [...new Set(EDGES.map((v) => bits(v).join()))].map(
      (w) => w.split(',').map(Number) as [number, number],
    );
    values.push([1, 0x7ff0_0000]); // a signalling NaN
    const boxed = (v: number): [number, number] => {
      const d = new DataView(new ArrayBuffer(4));
      d.setFloat32(0, v, true);
      return [d.getUint32(0, true), 0xffff_ffff];
    };
    const singles = [
      ...FLT_EDGES.map(boxed),
      [0x7fa0_0000, 0xffff_ffff] as [number, number],
      [0, 0x3ff0_0000] as [number, number],
    ];
    const binary = [0x01, 0x05, 0x09, 0x0d].map((f7) => rType(OP_FP, 3, 7, 1, 2, f7));
    const compares = [0, 1, 2].map((f3) => rType(OP_FP, 10, f3, 1, 2, 0x51));
    const fused = [0x43, 0x47, 0x4b, 0x4f].map((op) => (rType(op, 3, 0, 1, 2, 1) | (4 << 27)) >>> 0);
    const zero: [number, number] = [0, 0];
    // Each instruction is loaded (and translated) once, then run on every operand set.
    // With NX already set (flags 1) the translator takes its shortest paths.
    const check = (insn: number, sets: Array<Array<[number, number]>>, flagSets = [0]): void => {
      const code = [insn, A.ecall()];
      for (const flags of flagSets) {
        for (const [k, [a, b, c]] of sets.entries()) {
          const [interp, jit] = boards.map((board) =>
            runTrial(
              board,
              k === 0 ? code : [],
              [zero, a!, b!, zero, c ?? zero, zero, zero, zero],
              [0, 0, 0, 0],
              0,
              3,
              flags,
            ),
          );
          expect(jit, `${insn.toString(16)} on ${a} ${b} ${c} flags ${flags}`).toEqual(interp);
        }
      }
    };
    const pairs = values.flatMap((a) => values.map((b) => [a, b]));
    for (const insn of binary) check(insn, pairs, [0, 1]);
    for (const insn of compares) check(insn, pairs);
    const third = values.filter((_, i) => FULL || i % 4 === 0);
    const triples = values.flatMap((a) => third.flatMap((b) => third.map((c) => [a, b, c])));
    for (const insn of fused) check(insn, triples);
    // binary32: pairs, and all triples for the fused forms.
    const pairsS = singles.flatMap((a) => singles.map((b) => [a, b]));
    for (const f7 of [0x00, 0x04, 0x08, 0x0c]) check(rType(OP_FP, 3, 7, 1, 2, f7), pairsS, [0, 1]);
    for (const f3 of [0, 1, 2]) check(rType(OP_FP, 10, f3, 1, 2, 0x50), pairsS);
    const triplesS = singles.flatMap((a) =>
      singles.flatMap((b) => singles.filter((_, i) => FULL || i % 2 === 0).map((c) => [a, b, c])),
    );
    for (const op of [0x43, 0x47, 0x4b, 0x4f]) check((rType(op, 3, 0, 1, 2, 0) | (4 << 27)) >>> 0, triplesS);
  });

  it('a loop of FP arithmetic ends with exact instret and the last exit', () => {
    for (const engine of ENGINES) {
      const b = makeBoard(engine);
      b.hart.hosted = true;
      // f1 += f2 * f3 (fmadd.d, dynamic rounding) 1000 times, then ecall.
      const code = [
        ...li(R.s0, 1000),
        (rType(0x43, 1, 7, 2, 3, 1) | (1 << 27)) >>> 0,
        A.addi(R.s0, R.s0, -1),
        A.bne(R.s0, R.zero, -8),
        A.ecall(),
      ];
      const r = runTrial(
        b,
        code,
        [
          [0, 0],
          [0, 0x3ff0_0000],
          [0, 0x3ff8_0000],
          [0, 0x4000_0000],
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        [0, 0, 0, 0],
        0,
        3,
      );
      expect(r.exit).toBe(Exit.Ecall);
      expect(r.instret).toBe(2 + 3 * 1000);
      const out = new DataView(new Uint32Array(r.f.slice(2, 4)).buffer);
      expect(out.getFloat64(0, true)).toBe(1 + 1000 * 1.5 * 2);
    }
  });

  it('with the FPU fast path switched off, translated code computes on the soft-float reference too', () => {
    const b = makeBoard('jit');
    b.hart.hosted = true;
    // 100 × fmul.d f1, f2, f3 (inexact: 0.1 × 3)
    const code = [
      ...li(R.s0, 100),
      rType(OP_FP, 1, 7, 2, 3, 0x09),
      A.addi(R.s0, R.s0, -1),
      A.bne(R.s0, R.zero, -8),
      A.ecall(),
    ];
    const bits = (v: number): [number, number] => {
      const d = new DataView(new ArrayBuffer(8));
      d.setFloat64(0, v, true);
      return [d.getUint32(0, true), d.getUint32(4, true)];
    };
    const regs: Array<[number, number]> = [
      [0, 0],
      [0, 0],
      bits(0.1),
      bits(3),
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    const before = fpStats.slow;
    runTrial(b, code, regs, [0, 0, 0, 0], 0, 3, 1);
    expect(fpStats.slow - before).toBe(0);
    setFpFastPath(false);
    try {
      const r = runTrial(b, [], regs, [0, 0, 0, 0], 0, 3, 1);
      expect(fpStats.slow - before).toBe(100);
      expect(new DataView(new Uint32Array(r.f.slice(2, 4)).buffer).getFloat64(0, true)).toBe(0.1 * 3);
    } finally {
      setFpFastPath(true);
    }
  });
});
