// The translator: self-modifying code, exact pc/instret at faults inside translated code, budget
// exactness, and a GCC-built program giving the same output and instruction count as the
// interpreter (and the same output as qemu-riscv32).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Board } from '../../core/machine/board';
import { Exit } from '../../core/machine/hart';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, QEMU_USER, RV_GCC } from '../support/oracle';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE } from './helpers';
import { BENCH_C, loadUserElf, runUser } from './userprog';

describe.each(ENGINES)('translated code (%s)', (engine) => {
  it('a store that rewrites an instruction already run takes effect (fence.i and without)', () => {
    for (const fence of [true, false]) {
      const b = makeBoard(engine);
      const patched = A.addi(R.a0, R.a0, 100);
      const target = RAM_BASE + 0x20;
      // loop twice over "addi a0, a0, 1" at target, patching it to +100 after the first pass.
      loadWords(b, RAM_BASE, [
        ...li(R.s0, target), // 0
        ...li(R.s1, patched), // 8
        A.addi(R.a1, R.zero, 2), // 16
        A.nop(), // 20
        A.nop(), // 24
        A.nop(), // 28
        A.addi(R.a0, R.a0, 1), // 32 = target
        A.sw(R.s1, R.s0, 0), // 36
        fence ? A.fencei() : A.nop(), // 40
        A.addi(R.a1, R.a1, -1), // 44
        A.bne(R.a1, R.zero, -16), // 48 → 32
        A.ecall(),
      ]);
      b.hart.hosted = true;
      b.hart.pc = RAM_BASE;
      expect(b.hart.run(1000)).toBe(Exit.Ecall);
      expect(b.hart.x[R.a0]).toBe(101);
    }
  });

  it('a fault in the middle of a block leaves exact pc, instret and registers', () => {
    const b = makeBoard(engine);
    loadWords(b, RAM_BASE, [
      A.addi(R.a0, R.zero, 10), // 0
      A.addi(R.a1, R.zero, 0), // 4
      A.addi(R.a1, R.a1, 3), // 8: loop
      A.addi(R.a0, R.a0, -1), // 12
      A.bne(R.a0, R.zero, -8), // 16
      ...li(R.t0, 0x7000_0000), // 20, 24
      A.addi(R.a2, R.zero, 5), // 28
      A.lw(R.a3, R.t0, 0), // 32: access fault
      A.addi(R.a4, R.zero, 1),
    ]);
    b.hart.hosted = true;
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(1000)).toBe(Exit.AccessFault);
    expect(b.hart.pc).toBe(RAM_BASE + 32);
    expect(b.hart.instret).toBe(2 + 30 + 3);
    expect(b.hart.x[R.a1]).toBe(30);
    expect(b.hart.x[R.a2]).toBe(5);
    expect(b.hart.x[R.a4]).toBe(0);
    expect(b.hart.exitTval).toBe(0x7000_0000);
  });

  it('budgets are exact for every budget size inside a hot loop', () => {
    for (let budget = 1; budget < 40; budget++) {
      const b = makeBoard(engine);
      loadWords(b, RAM_BASE, [A.addi(R.a0, R.a0, 1), A.addi(R.a1, R.a1, 2), A.jal(0, -8)]);
      b.hart.pc = RAM_BASE;
      let total = 0;
      for (let k = 0; k < 5; k++) {
        expect(b.hart.run(budget)).toBe(Exit.Budget);
        total += budget;
        expect(b.hart.instret).toBe(total);
      }
      const iters = Math.floor(total / 3);
      const rest = total % 3;
      expect(b.hart.x[R.a0]).toBe(iters + (rest >= 1 ? 1 : 0));
      expect(b.hart.x[R.a1]).toBe(2 * (iters + (rest >= 2 ? 1 : 0)));
    }
  });
});

const FP_C = `
#include "rt.h"
int main(void) {
  double x = 0.5, acc = 0.0; float f = 1.25f;
  for (int i = 1; i < 3000; i++) {
    x = x * 1.0001 + 1.0 / (double)i;
    acc += x / (1.0 + (double)(i & 7));
    f = f * 0.999f + (float)(i % 13) * 0.5f;
    if (acc > 1e6) acc -= 1e6;
  }
  long long bits; double r = acc + (double)f;
  memcpy(&bits, &r, sizeof bits);
  printf("fp %d %d %d\\n", (int)(bits >> 32), (int)bits, (int)(f * 1000.0f));
  return 0;
}
`;

describe('translator and interpreter agree', () => {
  it('on a multi-block loop with an early exit, for every budget slicing', () => {
    const prog = [
      A.addi(R.a2, R.zero, 23), // 0
      A.addi(R.a0, R.a0, 1), // 4: loop head
      A.beq(R.a0, R.a2, 16), // 8: exit → 24
      A.addi(R.a1, R.a1, 2), // 12
      A.add(R.a3, R.a3, R.a1), // 16
      A.jal(0, -16), // 20 → 4
      A.ecall(), // 24
    ];
    for (let budget = 1; budget < 30; budget++) {
      const states = ENGINES.map((engine) => {
        const b = makeBoard(engine);
        loadWords(b, RAM_BASE, prog);
        b.hart.hosted = true;
        b.hart.pc = RAM_BASE;
        const exits: number[] = [];
        for (let k = 0; k < 200; k++) {
          const e = b.hart.run(budget);
          exits.push(e, b.hart.pc, b.hart.instret);
          if (e !== Exit.Budget) break;
        }
        return { exits, x: [...b.hart.x] };
      });
      expect(states[1]).toEqual(states[0]);
      expect(states[0]!.x[R.a3]).toBe(2 * ((22 * 23) / 2));
    }
  });
});

describe('calls and returns inside one region', () => {
  it('agree with the interpreter (nested calls, recursion, a changed return address) for every budget', () => {
    const prog = [
      A.addi(R.s0, R.zero, 6), // 0: outer count
      A.jal(R.ra, 28), // 4: call f (32)
      A.add(R.a1, R.a1, R.a0), // 8: return site
      A.addi(R.s0, R.s0, -1), // 12
      A.bne(R.s0, R.zero, -12), // 16 → 4
      A.jal(R.ra, 52), // 20: call skip (72)
      A.ecall(), // 24: skipped by `skip`
      A.ecall(), // 28: where `skip` returns
      // f (32): a0 = s0 + g(s0); g (48) recursive: a0 = n + g(n - 1), g(0) = 0
      A.addi(R.sp, R.sp, -16), // 32
      A.sw(R.ra, R.sp, 0), // 36
      A.addi(R.a2, R.s0, 0), // 40
      A.jal(R.ra, 8), // 44: call g (52)
      A.jal(0, 96), // 48: → 144 (epilogue of f)
      A.beq(R.a2, R.zero, 40), // 52: g; n == 0 → 92
      A.addi(R.sp, R.sp, -16), // 56
      A.sw(R.ra, R.sp, 0), // 60
      A.sw(R.a2, R.sp, 4), // 64
      A.addi(R.a2, R.a2, -1), // 68
      A.jal(R.ra, -20), // 72 → 52 (recursion)
      A.lw(R.a2, R.sp, 4), // 76
      A.lw(R.ra, R.sp, 0), // 80
      A.addi(R.sp, R.sp, 16), // 84
      A.jal(0, 12), // 88 → 100
      A.addi(R.a0, R.zero, 0), // 92: g(0) = 0
      A.jalr(0, R.ra, 0), // 96
      A.add(R.a0, R.a0, R.a2), // 100
      A.jalr(0, R.ra, 0), // 104
      A.nop(), // 108
      A.nop(), // 112
      A.nop(), // 116
      A.nop(), // 120
      A.nop(), // 124
      A.nop(), // 128
      A.nop(), // 132
      A.nop(), // 136
      A.nop(), // 140
      A.lw(R.ra, R.sp, 0), // 144: epilogue of f
      A.addi(R.sp, R.sp, 16), // 148
      A.add(R.a0, R.a0, R.s0), // 152
      A.jalr(0, R.ra, 0), // 156
    ];
    // `skip` at 72 would be inside g: place it after the program instead.
    prog[5] = A.jal(R.ra, 160 - 20); // 20: call skip (160)
    prog.push(A.addi(R.ra, R.ra, 4), A.jalr(0, R.ra, 0)); // 160: skip returns past the ecall at 24
    for (const budget of [1, 2, 3, 5, 7, 11, 13, 50, 1000]) {
      const states = ENGINES.map((engine) => {
        const b = makeBoard(engine);
        loadWords(b, RAM_BASE, prog);
        b.hart.hosted = true;
        b.hart.pc = RAM_BASE;
        b.hart.x[R.sp] = RAM_BASE + 0x10000;
        const exits: number[] = [];
        for (let k = 0; k < 2000; k++) {
          const e = b.hart.run(budget);
          exits.push(e, b.hart.pc, b.hart.instret);
          if (e !== Exit.Budget) break;
        }
        return { exits, x: [...b.hart.x] };
      });
      expect(states[1]).toEqual(states[0]);
      expect(states[0]!.exits.slice(-3, -1)).toEqual([Exit.Ecall, RAM_BASE + 28]);
      // sum over n = 1..6 of (n + n(n + 1) / 2)
      expect(states[0]!.x[R.a1]).toBe(21 + 56);
    }
  });
});

describe.each(ENGINES)('FP in translated code (%s)', (engine) => {
  it('FS = Off makes FP loads/stores/ops illegal at exactly that instruction', () => {
    const b = makeBoard(engine);
    loadWords(b, RAM_BASE, [
      ...li(R.s0, RAM_BASE + 0x800),
      A.addi(R.a0, R.zero, 3),
      A.fld(1, R.s0, 0),
      A.ecall(),
    ]);
    b.hart.hosted = true;
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(100)).toBe(Exit.Illegal);
    expect(b.hart.pc).toBe(RAM_BASE + 12);
    expect(b.hart.instret).toBe(3);
  });

  it('FLD/FSD at aligned and misaligned addresses move all 64 bits', () => {
    const b = makeBoard(engine);
    b.ram.write32(RAM_BASE + 0x800, 0x1122_3344);
    b.ram.write32(RAM_BASE + 0x804, 0x5566_7788);
    loadWords(b, RAM_BASE, [
      ...li(R.s0, RAM_BASE + 0x800),
      A.fld(1, R.s0, 0),
      A.fsd(1, R.s0, 0x13), // misaligned
      A.fld(2, R.s0, 0x13),
      A.fsd(2, R.s0, 0x20),
      A.flw(3, R.s0, 4),
      A.fsw(3, R.s0, 0x30),
      A.ecall(),
    ]);
    b.hart.hosted = true;
    b.hart.writeCsr(0x300, 1 << 13);
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.ram.read32(RAM_BASE + 0x820)).toBe(0x1122_3344);
    expect(b.ram.read32(RAM_BASE + 0x824)).toBe(0x5566_7788);
    expect(b.ram.read32(RAM_BASE + 0x830)).toBe(0x5566_7788);
    expect(b.hart.fp.u32[7]).toBe(0xffff_ffff);
  });
});

describe('a GCC-built program', () => {
  oracleIt(
    'with float and double arithmetic matches between engines and qemu-riscv32',
    [RV_GCC, QEMU_USER],
    () => {
      const elf = buildWithGcc([{ name: 'fp.c', text: FP_C }], { flags: ['-O2'] });
      const results = ENGINES.map((engine) => {
        const b = new Board({ engine, jitHotThreshold: 2 });
        loadUserElf(b, elf);
        return runUser(b, 50_000_000);
      });
      expect(results[0]!.stdout).toMatch(/^fp -?\d+ -?\d+ -?\d+\n$/);
      expect(results[1]!.stdout).toBe(results[0]!.stdout);
      expect(results[1]!.instret).toBe(results[0]!.instret);
      expect(execFileSync(QEMU_USER, [elf], { encoding: 'utf8' })).toBe(results[0]!.stdout);
    },
  );

  oracleIt('runs identically on both engines and matches qemu-riscv32', [RV_GCC, QEMU_USER], () => {
    const elf = buildWithGcc([{ name: 'bench.c', text: BENCH_C }], { flags: ['-O2', '-DROUNDS=1'] });
    const results = ENGINES.map((engine) => {
      const b = new Board({ engine, jitHotThreshold: 2 });
      loadUserElf(b, elf);
      return runUser(b, 200_000_000);
    });
    expect(results[0]!.exitCode).toBe(0);
    expect(results[0]!.stdout).toMatch(/^checksum \d+\n$/);
    expect(results[1]!.stdout).toBe(results[0]!.stdout);
    expect(results[1]!.instret).toBe(results[0]!.instret);
    const q = execFileSync(QEMU_USER, [elf], { encoding: 'utf8' });
    expect(q).toBe(results[0]!.stdout);
  });
});
