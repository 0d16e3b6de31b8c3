// Misaligned loads and stores under Sv32: an access straddling two pages translates each page on
// its own; when one of them faults, tval is the first faulting byte in address order (as spike and
// QEMU report it), the destination register keeps its value and memory is left untouched, also for
// FSD whose second word straddles the boundary. On both engines, in hosted U-mode.
import { describe, expect, it } from 'vitest';
import type { Board } from '../../core/machine/board';
import { MS } from '../../core/machine/csr';
import { Access, Exit } from '../../core/machine/hart';
import { A, ENGINES, li, loadWords, makeBoard, R, RAM_BASE } from './helpers';
import { PageTables, PTE } from './paging';

const CODE_VA = 0x0040_0000;
const DATA_VA = 0x1000_0000;
/** Two physical pages that are not adjacent, so a straddling access must translate both. */
const PA_LO = RAM_BASE + 0x10_3000;
const PA_HI = RAM_BASE + 0x10_0000;
const URW = PTE.V | PTE.R | PTE.W | PTE.U | PTE.A | PTE.D;

describe.each(ENGINES)('misaligned accesses across pages (%s)', (engine) => {
  /** DATA_VA maps PA_LO; DATA_VA + 4 KiB maps PA_HI with `hiFlags` (0 = unmapped). */
  function setup(code: number[], hiFlags: number): Board {
    const b = makeBoard(engine);
    const pt = new PageTables(b, RAM_BASE + 0x20_0000);
    loadWords(b, RAM_BASE, [...code, A.ecall()]);
    pt.map(CODE_VA, RAM_BASE, PTE.V | PTE.R | PTE.X | PTE.U | PTE.A);
    pt.map(DATA_VA, PA_LO, URW);
    if (hiFlags) pt.map(DATA_VA + 0x1000, PA_HI, hiFlags);
    for (let i = 0; i < 8; i++) {
      b.ram.write8(PA_LO + 0xff8 + i, 0x10 + i);
      b.ram.write8(PA_HI + i, 0x20 + i);
    }
    b.hart.hosted = true;
    b.hart.priv = 0;
    b.hart.mstatus |= MS.FS;
    b.hart.setSatp(pt.satp);
    b.hart.pc = CODE_VA;
    return b;
  }

  /** The 8 bytes each side of the boundary, as a hex string (PA_LO's tail, then PA_HI's head). */
  function bytesAround(b: Board): string {
    const out: number[] = [];
    for (let i = 0; i < 8; i++) out.push(b.ram.read8(PA_LO + 0xff8 + i));
    for (let i = 0; i < 8; i++) out.push(b.ram.read8(PA_HI + i));
    return out.map((v) => v.toString(16).padStart(2, '0')).join('');
  }

  it('loads and stores across two mapped pages reach both physical pages', () => {
    const b = setup(
      [
        ...li(R.t0, DATA_VA + 0xffe),
        A.lw(R.a0, R.t0, 0),
        ...li(R.a1, 0x4433_2211),
        A.sw(R.a1, R.t0, -1), // bytes 0xffd..0x1000
        A.fld(1, R.t0, -2), // 0xffc..0x1003
      ],
      URW,
    );
    expect(b.hart.run(100)).toBe(Exit.Ecall);
    expect(b.hart.x[R.a0]! >>> 0).toBe(0x2120_1716);
    expect(bytesAround(b)).toBe('1011121314112233' + '4421222324252627');
    expect(b.hart.fp.u32[2]! >>> 0).toBe(0x3322_1114);
    expect(b.hart.fp.u32[3]! >>> 0).toBe(0x2322_2144);
  });

  it('a load whose upper bytes are unmapped faults at the page start and keeps rd', () => {
    const b = setup([...li(R.t0, DATA_VA + 0xffe), ...li(R.a0, 77), A.lw(R.a0, R.t0, 0)], 0);
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitCause).toBe(13);
    expect(b.hart.exitTval).toBe(DATA_VA + 0x1000);
    expect(b.hart.exitAccess).toBe(Access.Read);
    expect(b.hart.pc).toBe(CODE_VA + 16);
    expect(b.hart.instret).toBe(4);
    expect(b.hart.x[R.a0]).toBe(77);
  });

  it('a load whose lower bytes are unmapped faults at its own address', () => {
    const b = setup([...li(R.t0, DATA_VA - 2), A.lh(R.a0, R.t0, 0), A.lw(R.a0, R.t0, 0)], 0);
    expect(b.hart.run(100)).toBe(Exit.PageFault);
    expect(b.hart.exitTval).toBe(DATA_VA - 2);
    expect(b.hart.pc).toBe(CODE_VA + 8);
  });

  it('a store straddling into an unmapped or read-only page writes nothing', () => {
    for (const hi of [0, PTE.V | PTE.R | PTE.U | PTE.A]) {
      const b = setup([...li(R.t0, DATA_VA + 0xffd), ...li(R.a1, -1), A.sw(R.a1, R.t0, 0)], hi);
      const before = bytesAround(b);
      expect(b.hart.run(100)).toBe(Exit.PageFault);
      expect(b.hart.exitCause).toBe(15);
      expect(b.hart.exitTval).toBe(DATA_VA + 0x1000);
      expect(bytesAround(b)).toBe(before);
    }
  });

  it('FSD and FLD fault as one access wherever the boundary falls, memory and register untouched', () => {
    for (let off = 0xff9; off <= 0xfff; off++) {
      const b = setup([...li(R.t0, DATA_VA + off), A.fsd(2, R.t0, 0)], 0);
      b.hart.fp.u32[4] = 0xdead_beef;
      b.hart.fp.u32[5] = 0xcafe_f00d;
      const before = bytesAround(b);
      expect(b.hart.run(100), `fsd at +0x${off.toString(16)}`).toBe(Exit.PageFault);
      expect(b.hart.exitCause).toBe(15);
      expect(b.hart.exitTval).toBe(DATA_VA + 0x1000);
      expect(bytesAround(b), `fsd at +0x${off.toString(16)}`).toBe(before);

      const l = setup([...li(R.t0, DATA_VA + off), A.fld(2, R.t0, 0)], 0);
      l.hart.fp.u32[4] = 0x1234_5678;
      l.hart.fp.u32[5] = 0x9abc_def0;
      expect(l.hart.run(100), `fld at +0x${off.toString(16)}`).toBe(Exit.PageFault);
      expect(l.hart.exitCause).toBe(13);
      expect(l.hart.exitTval).toBe(DATA_VA + 0x1000);
      expect([l.hart.fp.u32[4], l.hart.fp.u32[5]]).toEqual([0x1234_5678, 0x9abc_def0]);
    }
  });
});
