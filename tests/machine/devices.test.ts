// Board devices: UART output/input, CLINT registers, framebuffer damage, HTIF exit; hosted-mode
// exits for bad input (runaway loops, unmapped jumps).
import { describe, expect, it } from 'vitest';
import { Board } from '../../core/machine/board';
import { Exit } from '../../core/machine/hart';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE } from './helpers';

describe.each(ENGINES)('board devices (%s)', (engine) => {
  it('UART: THR output goes to onOutput; RBR reads queued input and LSR.DR reflects it', () => {
    const b = makeBoard(engine);
    const out: number[] = [];
    b.uart.onOutput = (c) => out.push(c);
    b.uart.pushInput(new Uint8Array([0x41, 0x42]));
    loadWords(b, RAM_BASE, [
      ...li(R.s0, 0x1000_0000),
      A.addi(R.t0, R.zero, 0x68),
      A.sb(R.t0, R.s0, 0),
      A.addi(R.t0, R.zero, 0x69),
      A.sb(R.t0, R.s0, 0),
      A.lbu(R.a0, R.s0, 5), // LSR: THRE|TEMT|DR
      A.lbu(R.a1, R.s0, 0),
      A.lbu(R.a2, R.s0, 0),
      A.lbu(R.a3, R.s0, 5), // no more input
      A.ecall(),
    ]);
    b.hart.hosted = true;
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(String.fromCharCode(...out)).toBe('hi');
    expect(b.hart.x[R.a0]).toBe(0x61);
    expect(b.hart.x[R.a1]).toBe(0x41);
    expect(b.hart.x[R.a2]).toBe(0x42);
    expect(b.hart.x[R.a3]).toBe(0x60);
  });

  it('CLINT: mtime follows retired instructions; mtimecmp halves are exact', () => {
    const b = makeBoard(engine, { instructionsPerTick: 10 });
    loadWords(b, RAM_BASE, [
      ...li(R.s0, 0x0200_0000),
      ...li(R.s1, 0xbff8),
      A.add(R.s1, R.s1, R.s0),
      A.lw(R.a0, R.s1, 0),
      ...Array<number>(40).fill(A.nop()),
      A.lw(R.a1, R.s1, 0),
      ...li(R.t0, 0x4000),
      A.add(R.t0, R.t0, R.s0),
      ...li(R.t1, 0x1234_5678),
      A.sw(R.t1, R.t0, 0),
      A.sw(R.s0, R.t0, 4),
      A.ecall(),
    ]);
    b.hart.hosted = true;
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(1000)).toBe(Exit.Ecall);
    expect(b.hart.x[R.a0]).toBe(0); // instret 5 → tick 0
    expect(b.hart.x[R.a1]).toBe(4); // instret 46 → tick 4
    expect(b.clint.mtimecmp).toBe(0x0200_0000 * 2 ** 32 + 0x1234_5678);
  });

  it('framebuffer: stores land in pixels and set damaged', () => {
    const b = makeBoard(engine);
    expect(b.fb.width * b.fb.height).toBe(800 * 600);
    expect(b.fb.pitch).toBe(3200);
    loadWords(b, RAM_BASE, [
      ...li(R.s0, 0x5000_0000 + 3200 + 8),
      ...li(R.t0, 0xff11_2233),
      A.sw(R.t0, R.s0, 0),
      A.lw(R.a0, R.s0, 0),
      A.ecall(),
    ]);
    b.hart.hosted = true;
    b.hart.pc = RAM_BASE;
    expect(b.fb.damaged).toBe(false);
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.fb.pixels[800 + 2]).toBe(0xff11_2233);
    expect(b.fb.damaged).toBe(true);
    expect(b.hart.x[R.a0]).toBe(0xff11_2233 | 0);
  });

  it('HTIF: the first non-zero store to tohost halts with exit code value >>> 1', () => {
    const b = new Board({ ramSize: 1 << 20, engine, jitHotThreshold: 0 });
    const tohost = RAM_BASE + 0x1000;
    b.setHtif(tohost);
    loadWords(b, RAM_BASE, [
      ...li(R.s0, tohost),
      A.sw(R.zero, R.s0, 0), // zero: ignored
      A.addi(R.a0, R.zero, 1 + 2 * 21),
      A.sw(R.a0, R.s0, 0),
      A.addi(R.a1, R.zero, 5), // not executed
    ]);
    b.hart.pc = RAM_BASE;
    expect(b.htifExitCode).toBe(null);
    expect(b.hart.run(1000)).toBe(Exit.Halt);
    expect(b.htifExitCode).toBe(21);
    expect(b.hart.x[R.a1]).toBe(0);
    expect(b.hart.run(10)).toBe(Exit.Halt);
  });

  it('a runaway loop ends with a Budget exit at exactly the budget', () => {
    const b = makeBoard(engine);
    loadWords(b, RAM_BASE, [A.addi(R.a0, R.a0, 1), A.jal(0, -4)]);
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(100_001)).toBe(Exit.Budget);
    expect(b.hart.instret).toBe(100_001);
    expect(b.hart.x[R.a0]).toBe(50_001);
    expect(b.hart.run(0)).toBe(Exit.Budget);
    expect(b.hart.instret).toBe(100_001);
  });

  it('bare mode: a trap storm (mtvec in unmapped memory) still ends with a Budget exit', () => {
    const b = makeBoard(engine);
    loadWords(b, RAM_BASE, [0xffff_ffff]);
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(1000)).toBe(Exit.Budget);
    expect(b.hart.readCsr(0x342)).toBe(1); // fetch access fault at mtvec = 0
  });

  it('hosted: Interrupt exit when the timer fires and is enabled', () => {
    const b = makeBoard(engine, { instructionsPerTick: 1 });
    loadWords(b, RAM_BASE, [A.addi(R.a0, R.a0, 1), A.jal(0, -4)]);
    b.hart.hosted = true;
    b.hart.priv = 0;
    b.hart.pc = RAM_BASE;
    b.hart.writeCsr(0x304, 1 << 7);
    b.clint.setTimecmp(1000);
    expect(b.hart.run(1_000_000)).toBe(Exit.Interrupt);
    expect(b.hart.exitCause).toBe(0x8000_0007);
    expect(b.hart.instret).toBe(1000);
  });
});
