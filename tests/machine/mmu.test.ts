// Sv32 translation: every fault kind, A/D updates, U/SUM/MXR permissions, superpages, sfence.vma,
// MPRV and the host-side translate(), through hosted-mode exits on both engines.
import { describe, expect, it } from 'vitest';
import type { Board } from '../../core/machine/board';
import { Csr, MS } from '../../core/machine/csr';
import { Access, Exit } from '../../core/machine/hart';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE } from './helpers';
import { PageTables, PTE } from './paging';

const CODE_VA = 0x0040_0000;
const DATA_VA = 0x1000_0000;
const DATA_PA = RAM_BASE + 0x10_0000;
const URX = PTE.V | PTE.R | PTE.X | PTE.U;
const URW = PTE.V | PTE.R | PTE.W | PTE.U;

describe.each(ENGINES)('Sv32 MMU (%s)', (engine) => {
  /** Code at CODE_VA (user RX), data page at DATA_VA with `dataFlags`, run at `priv`. */
  function setup(code: number[], dataFlags: number, priv = 0): { b: Board; pt: PageTables } {
    const b = makeBoard(engine);
    const pt = new PageTables(b, RAM_BASE + 0x20_0000);
    loadWords(b, RAM_BASE, [...code, A.ecall()]);
    const codeFlags = priv === 0 ? URX : PTE.V | PTE.R | PTE.X;
    pt.map(CODE_VA, RAM_BASE, codeFlags | PTE.A);
    if (dataFlags) pt.map(DATA_VA, DATA_PA, dataFlags);
    b.hart.hosted = true;
    b.hart.priv = priv;
    b.hart.setSatp(pt.satp);
    b.hart.pc = CODE_VA;
    return { b, pt };
  }

  it('loads and stores through a mapping; A and D are set by hardware', () => {
    const { b, pt } = setup([...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 8)], URW);
    b.ram.write32(DATA_PA + 8, 1234);
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.hart.x[R.a0]).toBe(1234);
    expect(b.ram.read32(pt.pteAddr(DATA_VA)) & (PTE.A | PTE.D)).toBe(PTE.A);
    const s = setup([...li(R.t0, DATA_VA), A.sw(R.t0, R.t0, 4)], URW);
    expect(s.b.hart.run(100)).toBe(Exit.Ecall);
    expect(s.b.ram.read32(DATA_PA + 4)).toBe(DATA_VA);
    expect(s.b.ram.read32(s.pt.pteAddr(DATA_VA)) & (PTE.A | PTE.D)).toBe(PTE.A | PTE.D);
  });

  it('a fetch sets A, only a store sets D, a faulting access sets neither; superpage leaves too', () => {
    const b = makeBoard(engine);
    const pt = new PageTables(b, RAM_BASE + 0x20_0000);
    const RO_VA = DATA_VA + 0x1000;
    const SUPER_VA = 0x2000_0000;
    loadWords(b, RAM_BASE, [
      ...li(R.t0, DATA_VA),
      A.lw(R.a0, R.t0, 0),
      ...li(R.t1, SUPER_VA + 0x10_0000),
      A.sw(R.a0, R.t1, 0),
      ...li(R.t0, RO_VA),
      A.sb(R.a0, R.t0, 0),
    ]);
    pt.map(CODE_VA, RAM_BASE, URX);
    pt.map(DATA_VA, DATA_PA, URW);
    pt.map(RO_VA, DATA_PA + 0x1000, PTE.V | PTE.R | PTE.U);
    pt.mapSuper(SUPER_VA, RAM_BASE, URW);
    b.hart.hosted = true;
    b.hart.priv = 0;
    b.hart.setSatp(pt.satp);
    b.hart.pc = CODE_VA;
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(15);
    const ad = (va: number): number => b.ram.read32(pt.pteAddr(va)) & (PTE.A | PTE.D);
    expect(ad(CODE_VA)).toBe(PTE.A);
    expect(ad(DATA_VA)).toBe(PTE.A);
    expect(ad(RO_VA)).toBe(0);
    expect(b.ram.read32(pt.root + (SUPER_VA >>> 22) * 4) & (PTE.A | PTE.D)).toBe(PTE.A | PTE.D);
  });

  it('unmapped load, read-only store and non-executable fetch raise page faults with tval/access', () => {
    let { b } = setup([...li(R.t0, DATA_VA + 0x1234), A.lw(R.a0, R.t0, 0)], 0);
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(13);
    expect(b.hart.exitTval).toBe(DATA_VA + 0x1234);
    expect(b.hart.exitAccess).toBe(Access.Read);
    expect(b.hart.pc).toBe(CODE_VA + 8);
    expect(b.hart.instret).toBe(2);

    ({ b } = setup([...li(R.t0, DATA_VA), A.sb(R.t0, R.t0, 3)], PTE.V | PTE.R | PTE.U));
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(15);
    expect(b.hart.exitTval).toBe(DATA_VA + 3);
    expect(b.hart.exitAccess).toBe(Access.Write);

    ({ b } = setup([...li(R.t0, DATA_VA), A.jalr(0, R.t0, 0)], URW));
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(12);
    expect(b.hart.exitAccess).toBe(Access.Execute);
    expect(b.hart.pc).toBe(DATA_VA);
    expect(b.hart.exitTval).toBe(DATA_VA);
  });

  it('U bit: S cannot touch U pages without SUM, never executes them; U cannot touch S pages', () => {
    let { b } = setup([...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0)], URW, 1);
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(13);
    ({ b } = setup([...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0)], URW, 1));
    b.hart.writeCsr(Csr.sstatus, MS.SUM);
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.hart.exitCause).toBe(9);
    // S executing a U page faults even with SUM
    ({ b } = setup([...li(R.t0, DATA_VA), A.jalr(0, R.t0, 0)], URX | PTE.A, 1));
    b.hart.writeCsr(Csr.sstatus, MS.SUM);
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(12);
    // U loading an S page
    ({ b } = setup([...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0)], PTE.V | PTE.R | PTE.W));
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(13);
  });

  it('SUM also governs S-mode stores to U pages; MXR never makes a page writable', () => {
    let { b } = setup([...li(R.t0, DATA_VA), A.sw(R.t0, R.t0, 0)], URW, 1);
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(15);
    ({ b } = setup([...li(R.t0, DATA_VA), A.sw(R.t0, R.t0, 0)], URW, 1));
    b.hart.writeCsr(Csr.sstatus, MS.SUM);
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.ram.read32(DATA_PA)).toBe(DATA_VA);
    ({ b } = setup([...li(R.t0, DATA_VA), A.sw(R.t0, R.t0, 0)], PTE.V | PTE.X | PTE.U));
    b.hart.writeCsr(Csr.mstatus, MS.MXR);
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(15);
  });

  it('a fetch through a mapping to memory that does not exist is an instruction access fault', () => {
    const { b, pt } = setup([...li(R.t0, DATA_VA + 8), A.jalr(0, R.t0, 0)], 0);
    pt.map(DATA_VA, 0x7000_0000, URX | PTE.A);
    expect(b.hart.run(100)).toBe(Exit.AccessFault);
    expect(b.hart.exitCause).toBe(1);
    expect(b.hart.exitTval).toBe(DATA_VA + 8);
    expect(b.hart.exitAccess).toBe(Access.Execute);
    expect(b.hart.pc).toBe(DATA_VA + 8);
  });

  it('MXR makes execute-only pages readable', () => {
    let { b } = setup([...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0)], PTE.V | PTE.X | PTE.U);
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    ({ b } = setup([...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0)], PTE.V | PTE.X | PTE.U));
    b.ram.write32(DATA_PA, 77);
    b.hart.writeCsr(Csr.mstatus, MS.MXR);
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.hart.x[R.a0]).toBe(77);
  });

  it('W without R is reserved and faults; misaligned superpages fault; superpages map 4 MiB', () => {
    let { b } = setup([...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0)], PTE.V | PTE.W | PTE.U);
    expect(b.hart.run(100)).toBe(Exit.PageFault);

    const s = setup(
      [...li(R.t0, 0x2012_3454), A.lw(R.a0, R.t0, 0), ...li(R.t0, 0x3000_0000), A.lw(R.a1, R.t0, 0)],
      0,
    );
    s.pt.mapSuper(0x2000_0000, RAM_BASE, URW);
    s.pt.mapSuper(0x3000_0000, RAM_BASE + 0x1000, URW); // ppn[0] ≠ 0: misaligned
    s.b.ram.write32(RAM_BASE + 0x12_3454, 4242);
    expect(s.b.hart.run(100)).toBe(Exit.PageFault);
    expect(s.b.hart.x[R.a0]).toBe(4242);
    expect(s.b.hart.exitTval).toBe(0x3000_0000);
    b = s.b;
    expect(b.hart.translate(0x2012_3454, Access.Read)).toBe(RAM_BASE + 0x12_3454);
  });

  it('sfence.vma makes a changed PTE take effect', () => {
    // S-mode code: load, (host changes the PTE), sfence, load again.
    const { b, pt } = setup(
      [...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0), A.ebreak(), A.sfence(), A.lw(R.a1, R.t0, 0)],
      PTE.V | PTE.R | PTE.W,
      1,
    );
    b.ram.write32(DATA_PA, 1);
    b.ram.write32(DATA_PA + 0x1000, 2);
    expect(b.hart.run(100)).toBe(Exit.Ebreak);
    pt.map(DATA_VA, DATA_PA + 0x1000, PTE.V | PTE.R | PTE.W);
    b.hart.pc += 4;
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.hart.x[R.a0]).toBe(1);
    expect(b.hart.x[R.a1]).toBe(2);
  });

  it('sfence.vma is illegal in U and with TVM in S; satp writes with TVM trap', () => {
    let { b } = setup([A.sfence()], 0);
    expect(b.hart.run(10)).toBe(Exit.Illegal);
    ({ b } = setup([A.sfence()], 0, 1));
    b.hart.writeCsr(Csr.mstatus, MS.TVM);
    expect(b.hart.run(10)).toBe(Exit.Illegal);
    ({ b } = setup([A.csrrw(0, Csr.satp, 0)], 0, 1));
    b.hart.writeCsr(Csr.mstatus, MS.TVM);
    expect(b.hart.run(10)).toBe(Exit.Illegal);
  });

  it('translate() reports mappings without touching A/D', () => {
    const { b, pt } = setup([], PTE.V | PTE.R | PTE.U);
    expect(b.hart.translate(DATA_VA + 5, Access.Read)).toBe(DATA_PA + 5);
    expect(b.hart.translate(DATA_VA + 5, Access.Write)).toBe(-1);
    expect(b.hart.translate(DATA_VA + 5, Access.Read, 1)).toBe(-1); // S without SUM
    expect(b.hart.translate(DATA_VA + 5, Access.Read, 3)).toBe(DATA_VA + 5); // M: no translation
    expect(b.hart.translate(0x7000_0000, Access.Read)).toBe(-1);
    expect(b.ram.read32(pt.pteAddr(DATA_VA)) & PTE.A).toBe(0);
  });

  it('MPRV makes M-mode loads use MPP privilege and translation', () => {
    const b = makeBoard(engine);
    const pt = new PageTables(b, RAM_BASE + 0x20_0000);
    pt.map(DATA_VA, DATA_PA, URW);
    b.ram.write32(DATA_PA, 99);
    loadWords(b, RAM_BASE, [...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0), A.ecall()]);
    b.hart.hosted = true;
    b.hart.setSatp(pt.satp);
    b.hart.writeCsr(Csr.mstatus, MS.MPRV); // MPP = U
    b.hart.pc = RAM_BASE; // fetch is still untranslated M-mode
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.hart.x[R.a0]).toBe(99);
  });

  it('page tables or leaves outside RAM give access faults; jumping to unmapped physical memory too', () => {
    let { b, pt } = setup([...li(R.t0, DATA_VA), A.lw(R.a0, R.t0, 0)], 0);
    pt.map(DATA_VA, 0x7000_0000, URW); // no RAM and no device there
    expect(b.hart.run(100)).toBe(Exit.AccessFault);
    expect(b.hart.exitCause).toBe(5);
    ({ b, pt } = setup([...li(R.t0, DATA_VA), A.sw(R.a0, R.t0, 0)], 0));
    b.ram.write32(pt.root + (DATA_VA >>> 22) * 4, ((0x7000_0000 >>> 12) << 10) | PTE.V);
    expect(b.hart.run(100)).toBe(Exit.AccessFault);
    expect(b.hart.exitCause).toBe(7);
    const m = makeBoard(engine);
    loadWords(m, RAM_BASE, [A.jalr(0, R.zero, 0)]);
    m.hart.hosted = true;
    m.hart.pc = RAM_BASE;
    expect(m.hart.run(100)).toBe(Exit.AccessFault);
    expect(m.hart.exitCause).toBe(1);
    expect(m.hart.pc).toBe(0);
  });
});
