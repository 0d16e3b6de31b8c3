// CSRs, traps, delegation, mret/sret, interrupts from the CLINT, counters and FS gating (bare mode).
import { describe, expect, it } from 'vitest';
import { Csr, MS } from '../../core/machine/csr';
import { Exit } from '../../core/machine/hart';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE } from './helpers';

const HANDLER = RAM_BASE + 0x400;
const SHANDLER = RAM_BASE + 0x600;
const UCODE = RAM_BASE + 0x800;
const MIDDLE = RAM_BASE + 0xa00;

describe.each(ENGINES)('traps and CSRs (%s)', (engine) => {
  function boot(words: number[], cfg = {}) {
    const b = makeBoard(engine, cfg);
    loadWords(b, RAM_BASE, words);
    b.hart.pc = RAM_BASE;
    return b;
  }

  it('ecall from M vectors to mtvec; the handler returns past it with mret', () => {
    const b = boot([
      ...li(R.t0, HANDLER),
      A.csrrw(0, Csr.mtvec, R.t0),
      A.ecall(),
      A.addi(R.a1, R.zero, 7),
      A.ebreak(),
    ]);
    // handler: a0 = mcause, a2 = mepc; mepc += 4; mret
    loadWords(b, HANDLER, [
      A.csrrs(R.a0, Csr.mcause, 0),
      A.csrrs(R.a2, Csr.mepc, 0),
      A.addi(R.t1, R.a2, 4),
      A.csrrw(0, Csr.mepc, R.t1),
      A.mret(),
    ]);
    b.hart.run(10); // 9 instructions + the trap (traps count toward the budget)
    expect(b.hart.x[R.a0]).toBe(11);
    expect(b.hart.x[R.a2]! >>> 0).toBe(RAM_BASE + 12);
    expect(b.hart.x[R.a1]).toBe(7);
    expect(b.hart.priv).toBe(3);
    // The ebreak now traps to the handler too (mcause 3, mtval = pc).
    b.hart.run(2);
    expect(b.hart.x[R.a0]).toBe(3);
    expect(b.hart.readCsr(Csr.mtval)).toBe(RAM_BASE + 20);
  });

  it('U-mode ecall is delegated to S by medeleg; sret returns to U; illegal insn tval holds the bits', () => {
    const b = boot([
      ...li(R.t0, HANDLER),
      A.csrrw(0, Csr.mtvec, R.t0),
      ...li(R.t0, SHANDLER),
      A.csrrw(0, Csr.stvec, R.t0),
      A.addi(R.t0, R.zero, 1 << 8),
      A.csrrw(0, Csr.medeleg, R.t0), // delegate ecall-from-U only
      ...li(R.t0, UCODE),
      A.csrrw(0, Csr.mepc, R.t0),
      // mstatus.MPP = U (0): clear MPP bits
      ...li(R.t0, MS.MPP),
      A.csrrc(0, Csr.mstatus, R.t0),
      A.mret(),
    ]);
    loadWords(b, UCODE, [A.addi(R.a0, R.zero, 1), A.ecall(), A.addi(R.a1, R.zero, 2), 0xffff_ffff]);
    // S handler: s2 = scause, s3 = sstatus, sepc += 4, sret
    loadWords(b, SHANDLER, [
      A.csrrs(R.s2, Csr.scause, 0),
      A.csrrs(R.s3, Csr.sstatus, 0),
      A.csrrs(R.t1, Csr.sepc, 0),
      A.addi(R.t1, R.t1, 4),
      A.csrrw(0, Csr.sepc, R.t1),
      A.sret(),
    ]);
    // M handler (illegal instruction from U, not delegated): s4 = mcause, s5 = mtval, s6 = MPP
    loadWords(b, HANDLER, [
      A.csrrs(R.s4, Csr.mcause, 0),
      A.csrrs(R.s5, Csr.mtval, 0),
      A.csrrs(R.s6, Csr.mstatus, 0),
      A.jal(0, 0),
    ]);
    b.hart.run(200);
    const x = b.hart.x;
    expect(x[R.a0]).toBe(1);
    expect(x[R.s2]).toBe(8);
    expect(x[R.s3]! & MS.SPP).toBe(0);
    expect(x[R.a1]).toBe(2);
    expect(x[R.s4]).toBe(2);
    expect(x[R.s5]).toBe(-1);
    expect((x[R.s6]! >>> 11) & 3).toBe(0);
    expect(b.hart.priv).toBe(3);
  });

  it('traps taken in M are never delegated', () => {
    const b = boot([
      ...li(R.t0, HANDLER),
      A.csrrw(0, Csr.mtvec, R.t0),
      ...li(R.t0, SHANDLER),
      A.csrrw(0, Csr.stvec, R.t0),
      ...li(R.t0, 0xb3ff),
      A.csrrw(0, Csr.medeleg, R.t0),
      A.csrrs(R.a3, Csr.medeleg, 0),
      A.ebreak(),
    ]);
    loadWords(b, HANDLER, [A.addi(R.a0, R.zero, 1), A.jal(0, 0)]);
    loadWords(b, SHANDLER, [A.addi(R.a0, R.zero, 2), A.jal(0, 0)]);
    b.hart.run(100);
    expect(b.hart.x[R.a0]).toBe(1);
    expect(b.hart.x[R.a3]).toBe(0xb3ff);
  });

  it('a CLINT timer interrupt arrives at the exact tick and vectors (mtvec mode 1)', () => {
    // One tick per instruction; mtimecmp = 50.
    const b = boot(
      [
        ...li(R.t0, HANDLER | 1),
        A.csrrw(0, Csr.mtvec, R.t0),
        ...li(R.t0, 0x0200_4000),
        A.addi(R.t1, R.zero, 50),
        A.sw(R.t1, R.t0, 0),
        A.sw(R.zero, R.t0, 4),
        A.addi(R.t1, R.zero, 1 << 7),
        A.csrrs(0, Csr.mie, R.t1),
        A.csrrsi(0, Csr.mstatus, MS.MIE),
        // count loop
        A.addi(R.a0, R.a0, 1),
        A.jal(0, -4),
      ],
      { instructionsPerTick: 1 },
    );
    // vectored: interrupt 7 enters at HANDLER + 28
    loadWords(b, HANDLER + 28, [
      A.csrrs(R.a1, Csr.mcause, 0),
      A.csrrs(R.a2, Csr.mepc, 0),
      A.csrrs(R.a3, Csr.mstatus, 0),
      A.ebreak(),
    ]);
    loadWords(b, HANDLER, [A.jal(0, 0)]);
    b.hart.run(200);
    expect(b.hart.x[R.a1]! >>> 0).toBe(0x8000_0007);
    // Taken when mtime (= instret) reaches 50: 11 setup instructions, then loop iterations.
    expect(b.hart.readCsr(Csr.mcause)).toBe(3); // the ebreak afterwards landed in HANDLER
    const loopInsns = 50 - 11;
    expect(b.hart.x[R.a0]).toBe(Math.ceil(loopInsns / 2));
    expect(b.hart.x[R.a3]! & MS.MIE).toBe(0);
    expect(b.hart.x[R.a3]! & MS.MPIE).toBe(MS.MPIE);
  });

  it('msip raises a software interrupt; wfi skips virtual time to the timer', () => {
    const b = boot([
      ...li(R.t0, HANDLER),
      A.csrrw(0, Csr.mtvec, R.t0),
      A.addi(R.t1, R.zero, 1 << 3),
      A.csrrs(0, Csr.mie, R.t1),
      A.csrrsi(0, Csr.mstatus, MS.MIE),
      ...li(R.t0, 0x0200_0000),
      A.addi(R.t1, R.zero, 1),
      A.sw(R.t1, R.t0, 0), // msip = 1 → interrupt right after this store
      A.addi(R.a5, R.zero, 9), // not reached before the handler
    ]);
    loadWords(b, HANDLER, [A.csrrs(R.a1, Csr.mcause, 0), A.sw(R.zero, R.t0, 0), A.ebreak()]);
    b.hart.run(13);
    expect(b.hart.x[R.a1]! >>> 0).toBe(0x8000_0003);
    expect(b.hart.x[R.a5]).toBe(0);
    expect(b.clint.msip).toBe(0);

    const c = boot([
      ...li(R.t0, HANDLER),
      A.csrrw(0, Csr.mtvec, R.t0),
      ...li(R.t0, 0x0200_4000),
      ...li(R.t1, 1_000_000),
      A.sw(R.t1, R.t0, 0),
      A.sw(R.zero, R.t0, 4),
      A.addi(R.t1, R.zero, 1 << 7),
      A.csrrs(0, Csr.mie, R.t1),
      A.csrrsi(0, Csr.mstatus, MS.MIE),
      A.wfi(),
      A.jal(0, 0),
    ]);
    loadWords(c, HANDLER, [A.csrrs(R.a1, Csr.mcause, 0), A.jal(0, 0)]);
    c.hart.run(30);
    expect(c.hart.x[R.a1]! >>> 0).toBe(0x8000_0007);
    expect(c.clint.mtime).toBeGreaterThanOrEqual(1_000_000);
    expect(c.hart.instret).toBeLessThan(30);
  });

  it('wfi with nothing to wait for returns Exit.Wfi', () => {
    const b = boot([A.wfi(), A.addi(R.a0, R.zero, 1)]);
    expect(b.hart.run(100)).toBe(Exit.Wfi);
    expect(b.hart.pc).toBe(RAM_BASE + 4);
    expect(b.hart.run(1)).toBe(Exit.Budget);
    expect(b.hart.x[R.a0]).toBe(1);
  });

  it('mstatus.FS gates FP instructions; FP loads set FS=Dirty and SD', () => {
    const b = boot([A.flw(1, R.zero, 0)]);
    b.hart.hosted = true;
    expect(b.hart.run(10)).toBe(Exit.Illegal);
    b.hart.writeCsr(Csr.mstatus, 1 << 13); // FS = Initial
    b.ram.write32(RAM_BASE + 0x100, 0x3f80_0000);
    loadWords(b, RAM_BASE, [...li(R.t0, RAM_BASE + 0x100), A.flw(1, R.t0, 0), A.fsd(1, R.t0, 8), A.ecall()]);
    b.hart.pc = RAM_BASE;
    expect(b.hart.run(10)).toBe(Exit.Ecall);
    expect(b.hart.fp.u32[2]).toBe(0x3f80_0000);
    expect(b.hart.fp.u32[3]).toBe(0xffff_ffff); // NaN-boxed
    expect(b.ram.read32(RAM_BASE + 0x108)).toBe(0x3f80_0000);
    expect(b.ram.read32(RAM_BASE + 0x10c)).toBe(0xffff_ffff);
    const ms = b.hart.readCsr(Csr.mstatus);
    expect((ms >>> 13) & 3).toBe(3);
    expect(ms >>> 31).toBe(1);
    // fcsr composes frm and fflags
    b.hart.writeCsr(Csr.fcsr, 0xff);
    expect(b.hart.readCsr(Csr.frm)).toBe(7);
    expect(b.hart.readCsr(Csr.fflags)).toBe(0x1f);
  });

  it('CSR privilege and read-only checks; counters; misa and mhartid', () => {
    const b = boot([
      A.csrrs(R.a0, Csr.misa, 0),
      A.csrrs(R.a1, Csr.mhartid, 0),
      A.csrrs(R.a2, Csr.instret, 0),
      A.csrrs(R.a3, Csr.cycle, 0),
      ...li(R.t0, 1000),
      A.csrrw(0, Csr.minstret, R.t0),
      A.csrrs(R.a4, Csr.minstret, 0),
      A.csrrw(0, Csr.mhartid, R.t0), // read-only: illegal
    ]);
    b.hart.hosted = true;
    expect(b.hart.run(100)).toBe(Exit.Illegal);
    const x = b.hart.x;
    expect(x[R.a0]! >>> 0).toBe(0x4014_112d);
    expect(x[R.a1]).toBe(0);
    expect(x[R.a2]).toBe(2);
    expect(x[R.a3]).toBe(3);
    expect(x[R.a4]).toBe(1001); // the csrrw retired, then one more instruction
    expect(b.hart.exitTval).toBe(A.csrrw(0, Csr.mhartid, R.t0));

    // From U-mode: mstatus is illegal; cycle allowed while mcounteren/scounteren allow it.
    const u = boot([A.csrrs(R.a0, Csr.cycle, 0), A.csrrs(R.a1, Csr.mstatus, 0)]);
    u.hart.hosted = true;
    u.hart.priv = 0;
    expect(u.hart.run(10)).toBe(Exit.Illegal);
    expect(u.hart.pc).toBe(RAM_BASE + 4);
    u.hart.writeCsr(Csr.scounteren, 0);
    u.hart.pc = RAM_BASE;
    expect(u.hart.run(10)).toBe(Exit.Illegal);
    expect(u.hart.pc).toBe(RAM_BASE);
  });

  it('mret to U clears MPRV and sets MPP to U; sstatus is a view of mstatus', () => {
    const b = makeBoard(engine);
    const h = b.hart;
    h.writeCsr(Csr.mstatus, MS.MPRV | MS.SUM | (1 << 11) | MS.MPIE);
    expect(h.readCsr(Csr.sstatus)).toBe(MS.SUM);
    h.writeCsr(Csr.sstatus, MS.SIE | MS.MXR);
    expect(h.readCsr(Csr.mstatus) & (MS.SIE | MS.MXR | MS.SUM)).toBe(MS.SIE | MS.MXR);
    h.writeCsr(Csr.mepc, UCODE + 1); // bit 0 is cleared
    loadWords(b, RAM_BASE, [A.mret()]);
    loadWords(b, UCODE, [A.nop()]);
    h.pc = RAM_BASE;
    h.run(1);
    expect(h.priv).toBe(1);
    expect(h.pc).toBe(UCODE);
    const ms = h.readCsr(Csr.mstatus);
    expect(ms & MS.MPRV).toBe(0);
    expect((ms >>> 11) & 3).toBe(0);
    expect(ms & MS.MIE).toBe(MS.MIE);
    // sie/sip are views restricted by mideleg
    h.writeCsr(Csr.mie, 0xaaa);
    expect(h.readCsr(Csr.sie)).toBe(0);
    h.writeCsr(Csr.mideleg, 0x222);
    expect(h.readCsr(Csr.sie)).toBe(0x222);
    h.writeCsr(Csr.sip, 0x2);
    expect(h.readCsr(Csr.mip) & 0x2).toBe(0x2);
  });

  it('S-mode software interrupt delegated through mideleg goes to stvec', () => {
    const b = boot([
      ...li(R.t0, SHANDLER),
      A.csrrw(0, Csr.stvec, R.t0),
      A.addi(R.t0, R.zero, 0x2),
      A.csrrw(0, Csr.mideleg, R.t0),
      A.csrrs(0, Csr.mie, R.t0),
      ...li(R.t0, MIDDLE),
      A.csrrw(0, Csr.mepc, R.t0),
      ...li(R.t0, MS.MPP),
      A.csrrc(0, Csr.mstatus, R.t0),
      ...li(R.t0, 1 << 11), // MPP = S
      A.csrrs(0, Csr.mstatus, R.t0),
      A.mret(),
    ]);
    // In S with SIE=0: not taken until sstatus.SIE is set.
    loadWords(b, MIDDLE, [
      A.addi(R.t1, R.zero, 2),
      A.csrrs(0, Csr.sip, R.t1),
      A.addi(R.a0, R.zero, 5),
      A.csrrsi(0, Csr.sstatus, 2),
      A.addi(R.a1, R.zero, 6),
    ]);
    loadWords(b, SHANDLER, [A.csrrs(R.a2, Csr.scause, 0), A.jal(0, 0)]);
    b.hart.run(100);
    expect(b.hart.x[R.a0]).toBe(5);
    expect(b.hart.x[R.a1]).toBe(0);
    expect(b.hart.x[R.a2]! >>> 0).toBe(0x8000_0001);
    expect(b.hart.priv).toBe(1);
  });
});
