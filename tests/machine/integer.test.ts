// RV32IM computational instructions against a BigInt reference, on both engines.
import { describe, expect, it } from 'vitest';
import { A, ENGINES, li, R, runProgram } from './helpers';

const FULL = process.env.FUTURA_FULL === '1';
const M32 = (1n << 32n) - 1n;
const s = (v: number): bigint => BigInt(v | 0);
const u = (v: number): bigint => BigInt(v >>> 0);
const w = (v: bigint): number => Number(BigInt.asIntN(32, v));

type Op = keyof typeof REF;
const REF = {
  add: (a: number, b: number) => w(s(a) + s(b)),
  sub: (a: number, b: number) => w(s(a) - s(b)),
  sll: (a: number, b: number) => w(s(a) << (u(b) & 31n)),
  srl: (a: number, b: number) => w(u(a) >> (u(b) & 31n)),
  sra: (a: number, b: number) => w(s(a) >> (u(b) & 31n)),
  slt: (a: number, b: number) => (s(a) < s(b) ? 1 : 0),
  sltu: (a: number, b: number) => (u(a) < u(b) ? 1 : 0),
  xor: (a: number, b: number) => w(s(a) ^ s(b)),
  or: (a: number, b: number) => w(s(a) | s(b)),
  and: (a: number, b: number) => w(s(a) & s(b)),
  mul: (a: number, b: number) => w(s(a) * s(b)),
  mulh: (a: number, b: number) => w((s(a) * s(b)) >> 32n),
  mulhsu: (a: number, b: number) => w((s(a) * u(b)) >> 32n),
  mulhu: (a: number, b: number) => w((u(a) * u(b)) >> 32n),
  div: (a: number, b: number) =>
    b === 0 ? -1 : (a | 0) === -0x8000_0000 && b === -1 ? -0x8000_0000 : w(s(a) / s(b)),
  divu: (a: number, b: number) => (b === 0 ? -1 : w(u(a) / u(b))),
  rem: (a: number, b: number) =>
    b === 0 ? a | 0 : (a | 0) === -0x8000_0000 && b === -1 ? 0 : w(s(a) % s(b)),
  remu: (a: number, b: number) => (b === 0 ? a | 0 : w(u(a) % u(b))),
};
void M32;

const EDGE = [0, 1, -1, 2, -2, 31, 32, 0x7fff_ffff, -0x8000_0000, 0x1234_5678, -0x1234_5678, 0xffff, 0x10000];

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 0;
  };
}

describe.each(ENGINES)('integer ops (%s)', (engine) => {
  // Many (a, b) pairs per program: each result goes to a distinct memory word.
  function check(op: Op, pairs: Array<[number, number]>): void {
    const prog: number[] = [...li(R.s0, 0x8010_0000)];
    pairs.forEach(([a, b], i) => {
      prog.push(
        ...li(R.a0, a),
        ...li(R.a1, b),
        A[op](R.a2, R.a0, R.a1),
        A.sw(R.a2, R.s0, 0),
        A.addi(R.s0, R.s0, 4),
      );
      void i;
    });
    const board = runProgram(engine, prog);
    pairs.forEach(([a, b], i) => {
      expect(board.ram.read32(0x8010_0000 + 4 * i) | 0, `${op}(${a}, ${b})`).toBe(REF[op](a, b));
    });
  }

  for (const op of Object.keys(REF) as Op[]) {
    it(`${op}: edge cases and random operands`, () => {
      const pairs: Array<[number, number]> = [];
      for (const a of EDGE) for (const b of EDGE) pairs.push([a, b]);
      const next = rng(op.length * 7919 + 1);
      const n = FULL ? 2000 : 200;
      for (let i = 0; i < n; i++) pairs.push([next(), next()]);
      check(op, pairs);
    });
  }

  it('immediate forms sign-extend their 12-bit immediates', () => {
    const b = runProgram(engine, [
      ...li(R.a0, 5),
      A.addi(R.a1, R.a0, -6),
      A.slti(R.a2, R.a0, -1),
      A.sltiu(R.a3, R.a0, -1), // -1 is 0xffffffff unsigned
      A.xori(R.a4, R.a0, -1),
      A.ori(R.a5, R.zero, -2048),
      A.andi(R.a6, R.a1, 0x7ff),
      ...li(R.t0, -0x8000_0000),
      A.srai(R.t1, R.t0, 31),
      A.srli(R.t2, R.t0, 31),
      A.slli(R.t3, R.a0, 30),
    ]);
    const x = b.hart.x;
    expect(x[R.a1]).toBe(-1);
    expect(x[R.a2]).toBe(0);
    expect(x[R.a3]).toBe(1);
    expect(x[R.a4]).toBe(~5);
    expect(x[R.a5]).toBe(-2048);
    expect(x[R.a6]).toBe(0x7ff);
    expect(x[R.t1]).toBe(-1);
    expect(x[R.t2]).toBe(1);
    expect(x[R.t3]).toBe(0x4000_0000);
  });

  it('x0 stays zero whatever is written to it', () => {
    const b = runProgram(engine, [
      A.addi(R.zero, R.zero, 5),
      A.lui(R.zero, 0x12345000),
      A.add(R.a0, R.zero, R.zero),
    ]);
    expect(b.hart.x[0]).toBe(0);
    expect(b.hart.x[R.a0]).toBe(0);
  });

  it('lui, auipc, jal and jalr compute pc-relative values and link', () => {
    const base = 0x8000_0000;
    const b = runProgram(engine, [
      A.lui(R.a0, 0xfffff000), // 0
      A.auipc(R.a1, 0x1000), // 4: a1 = base + 4 + 0x1000
      A.jal(R.ra, 8), // 8: ra = base + 12, jump to 16
      A.addi(R.a2, R.zero, 99), // 12: skipped
      A.auipc(R.t0, 0), // 16: t0 = base + 16
      A.jalr(R.a3, R.t0, 13), // 20: target (base+29)&~1 = base+28, a3 = base+24
      A.addi(R.a4, R.zero, 77), // 24: skipped
      A.addi(R.a5, R.zero, 1), // 28
    ]);
    const x = b.hart.x;
    expect(x[R.a0]).toBe(0xfffff000 | 0);
    expect(x[R.a1]! >>> 0).toBe(base + 4 + 0x1000);
    expect(x[R.ra]! >>> 0).toBe(base + 12);
    expect(x[R.a2]).toBe(0);
    expect(x[R.a3]! >>> 0).toBe(base + 24);
    expect(x[R.a4]).toBe(0);
    expect(x[R.a5]).toBe(1);
  });

  it('branches: each condition, taken and not taken, forward and backward', () => {
    const conds = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'] as const;
    const ref = {
      beq: (a: number, b: number) => a === b,
      bne: (a: number, b: number) => a !== b,
      blt: (a: number, b: number) => a < b,
      bge: (a: number, b: number) => a >= b,
      bltu: (a: number, b: number) => a >>> 0 < b >>> 0,
      bgeu: (a: number, b: number) => a >>> 0 >= b >>> 0,
    };
    const vals = [0, 1, -1, 0x7fff_ffff, -0x8000_0000];
    const prog: number[] = [...li(R.s0, 0x8010_0000)];
    const expected: number[] = [];
    for (const c of conds)
      for (const a of vals)
        for (const bv of vals) {
          // t0 = 1 if taken else 0; the taken path skips the "li 0" instruction.
          prog.push(...li(R.a0, a), ...li(R.a1, bv), A.addi(R.t0, R.zero, 1), A[c](R.a0, R.a1, 8));
          prog.push(A.addi(R.t0, R.zero, 0), A.sw(R.t0, R.s0, 0), A.addi(R.s0, R.s0, 4));
          expected.push(ref[c](a, bv) ? 1 : 0);
        }
    // A backward loop: count down from 10.
    prog.push(
      A.addi(R.a2, R.zero, 10),
      A.addi(R.a3, R.zero, 0),
      A.addi(R.a3, R.a3, 3),
      A.addi(R.a2, R.a2, -1),
    );
    prog.push(A.bne(R.a2, R.zero, -8));
    const b = runProgram(engine, prog);
    expected.forEach((e, i) => expect(b.ram.read32(0x8010_0000 + 4 * i)).toBe(e));
    expect(b.hart.x[R.a3]).toBe(30);
  });

  it('loads sign- or zero-extend and stores write only their width', () => {
    const b = runProgram(engine, [
      ...li(R.s0, 0x8010_0000),
      ...li(R.a0, 0x8899_aabb | 0),
      A.sw(R.a0, R.s0, 0),
      A.lb(R.a1, R.s0, 0),
      A.lbu(R.a2, R.s0, 0),
      A.lh(R.a3, R.s0, 2),
      A.lhu(R.a4, R.s0, 2),
      A.lw(R.a5, R.s0, 0),
      ...li(R.t0, 0x1122_3344),
      A.sb(R.t0, R.s0, 8),
      A.sh(R.t0, R.s0, 14),
      A.lw(R.t1, R.s0, 8),
      A.lw(R.t2, R.s0, 12),
      A.lb(R.t3, R.s0, -1),
    ]);
    const x = b.hart.x;
    expect(x[R.a1]).toBe(-0x45);
    expect(x[R.a2]).toBe(0xbb);
    expect(x[R.a3]).toBe(0x8899 - 0x10000);
    expect(x[R.a4]).toBe(0x8899);
    expect(x[R.a5]).toBe(0x8899_aabb | 0);
    expect(x[R.t1]).toBe(0x44);
    expect(x[R.t2]).toBe(0x3344_0000);
    expect(x[R.t3]).toBe(0);
  });

  it('misaligned loads and stores are performed byte-wise, also across pages', () => {
    const b = runProgram(engine, [
      ...li(R.s0, 0x8010_0ffd), // 3 bytes before a page boundary
      ...li(R.a0, 0x0403_0201),
      A.sw(R.a0, R.s0, 0),
      A.lw(R.a1, R.s0, 0),
      A.lh(R.a2, R.s0, 2), // bytes 0x03,0x04 straddle the boundary
      A.lhu(R.a3, R.s0, 1),
      ...li(R.t0, 0x8010_0001),
      ...li(R.t1, -2),
      A.sh(R.t1, R.t0, 0),
      A.lw(R.a4, R.t0, -1),
    ]);
    const x = b.hart.x;
    expect(x[R.a1]).toBe(0x0403_0201);
    expect(x[R.a2]).toBe(0x0403);
    expect(x[R.a3]).toBe(0x0302);
    expect(b.ram.read8(0x8010_0ffd)).toBe(1);
    expect(b.ram.read8(0x8010_1000)).toBe(4);
    expect(x[R.a4]! >>> 0).toBe(0x00ff_fe00);
  });
});
