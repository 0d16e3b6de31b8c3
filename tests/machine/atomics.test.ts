// A extension: LR/SC reservations (lost on a store to the word, on traps and on xRET), every AMO,
// and misaligned atomics raising address-misaligned.
import { describe, expect, it } from 'vitest';
import { Csr, MS } from '../../core/machine/csr';
import { Exit } from '../../core/machine/hart';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE, runProgram } from './helpers';

const DATA = RAM_BASE + 0x10_0000;
const LR = 2;
const SC = 3;

describe.each(ENGINES)('atomics (%s)', (engine) => {
  it('LR/SC succeeds on an untouched reservation and stores', () => {
    const b = runProgram(
      engine,
      [
        ...li(R.s0, DATA),
        A.amo(LR, R.a0, R.s0, 0),
        A.addi(R.a1, R.a0, 1),
        A.amo(SC, R.a2, R.s0, R.a1),
        // A second SC without a new LR fails.
        A.amo(SC, R.a3, R.s0, R.zero),
      ],
      (b) => b.ram.write32(DATA, 41),
    );
    expect(b.hart.x[R.a0]).toBe(41);
    expect(b.hart.x[R.a2]).toBe(0);
    expect(b.hart.x[R.a3]).toBe(1);
    expect(b.ram.read32(DATA)).toBe(42);
  });

  it('a store to the reserved word breaks the reservation; a store elsewhere does not', () => {
    const b = runProgram(engine, [
      ...li(R.s0, DATA),
      A.amo(LR, R.a0, R.s0, 0),
      A.sw(R.zero, R.s0, 8), // same page, other word
      A.amo(SC, R.a1, R.s0, R.s0),
      A.amo(LR, R.a0, R.s0, 0),
      A.sb(R.zero, R.s0, 2), // overlaps the reserved word
      A.amo(SC, R.a2, R.s0, R.zero),
      A.amo(LR, R.a0, R.s0, 0),
      A.amo(SC, R.a3, R.s0, R.zero), // SC to ... fine
    ]);
    expect(b.hart.x[R.a1]).toBe(0);
    expect(b.hart.x[R.a2]).toBe(1);
    expect(b.hart.x[R.a3]).toBe(0);
    expect(b.ram.read32(DATA)).toBe(0);
  });

  it('a trap between LR and SC breaks the reservation (hosted ecall round trip)', () => {
    const b = makeBoard(engine);
    loadWords(b, RAM_BASE, [
      ...li(R.s0, DATA),
      A.amo(LR, R.a0, R.s0, 0),
      A.ecall(),
      A.amo(SC, R.a1, R.s0, R.s0),
      A.ebreak(),
    ]);
    b.hart.hosted = true;
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    b.hart.pc += 4;
    expect(b.hart.run(100)).toBe(Exit.Ebreak);
    expect(b.hart.x[R.a1]).toBe(1);
  });

  it('an xRET between LR and SC breaks the reservation', () => {
    const b = makeBoard(engine);
    loadWords(b, RAM_BASE, [
      ...li(R.s0, DATA),
      A.amo(LR, R.a0, R.s0, 0),
      A.auipc(R.t0, 0),
      A.addi(R.t0, R.t0, 16), // the SC below
      A.csrrw(0, Csr.mepc, R.t0),
      A.mret(),
      A.amo(SC, R.a1, R.s0, R.s0),
      A.ebreak(),
    ]);
    b.hart.hosted = true;
    b.hart.mstatus = MS.MPP; // mret stays in M
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(100)).toBe(Exit.Ebreak);
    expect(b.hart.x[R.a1]).toBe(1);
    expect(b.ram.read32(DATA)).toBe(0);
  });

  const amos: Array<[string, number, (a: number, b: number) => number]> = [
    ['amoswap', 0x01, (_a, b) => b],
    ['amoadd', 0x00, (a, b) => (a + b) | 0],
    ['amoxor', 0x04, (a, b) => a ^ b],
    ['amoand', 0x0c, (a, b) => a & b],
    ['amoor', 0x08, (a, b) => a | b],
    ['amomin', 0x10, (a, b) => Math.min(a, b)],
    ['amomax', 0x14, (a, b) => Math.max(a, b)],
    ['amominu', 0x18, (a, b) => (a >>> 0 < b >>> 0 ? a : b)],
    ['amomaxu', 0x1c, (a, b) => (a >>> 0 > b >>> 0 ? a : b)],
  ];
  const pairs: Array<[number, number]> = [
    [5, 3],
    [-1, 1],
    [0x7fff_ffff, -0x8000_0000],
    [-7, -9],
    [0, 0],
  ];
  for (const [name, f5, ref] of amos) {
    it(`${name} returns the old value and stores the result`, () => {
      for (const [m, v] of pairs) {
        const b = runProgram(engine, [...li(R.s0, DATA), ...li(R.a1, v), A.amo(f5, R.a0, R.s0, R.a1)], (bd) =>
          bd.ram.write32(DATA, m),
        );
        expect(b.hart.x[R.a0]).toBe(m | 0);
        expect(b.ram.read32(DATA) | 0).toBe(ref(m, v) | 0);
      }
    });
  }

  it('misaligned LR raises load-misaligned, SC and AMOs store-misaligned', () => {
    for (const [insn, cause] of [
      [A.amo(LR, R.a0, R.s0, 0), 4],
      [A.amo(SC, R.a0, R.s0, R.a1), 6],
      [A.amo(0x00, R.a0, R.s0, R.a1), 6],
    ] as const) {
      const b = makeBoard(engine);
      loadWords(b, RAM_BASE, [...li(R.s0, DATA + 2), insn]);
      b.hart.hosted = true;
      b.hart.pc = RAM_BASE;
      expect(b.hart.run(10)).toBe(Exit.Misaligned);
      expect(b.hart.exitCause).toBe(cause);
      expect(b.hart.exitTval).toBe(DATA + 2);
      expect(b.hart.pc).toBe(RAM_BASE + 8);
    }
  });
});
