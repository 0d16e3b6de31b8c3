// The software TLB's bookkeeping: a flush resets only the slots filled since the last one (all of
// them once more were filled than it logs), and saved entries of one address space come back only
// into the same context, without write entries for pages flagged since the save.
import { describe, expect, it } from 'vitest';
import type { Board } from '../../core/machine/board';
import { PRIV_U } from '../../core/machine/csr';
import { PF_CODE, TlbSnapshot } from '../../core/machine/mmu';
import { makeBoard, RAM_BASE } from './helpers';
import { PageTables, PTE } from './paging';

const URW = PTE.V | PTE.R | PTE.W | PTE.U | PTE.A | PTE.D;
const VA = 0x1000_0000;
/** Two runs of frames the test pages alternate between (room for 128 pages each). */
const FRAME_A = RAM_BASE + 0x10_0000;
const FRAME_B = RAM_BASE + 0x18_0000;

/** A board in U-mode on a table mapping `pages` pages at VA to FRAME_A (page i → frame page i). */
function setup(pages: number, root = RAM_BASE + 0x20_0000): { b: Board; pt: PageTables } {
  const b = makeBoard('interp');
  const pt = new PageTables(b, root);
  for (let i = 0; i < pages; i++) pt.map(VA + i * 4096, FRAME_A + i * 4096, URW);
  b.hart.priv = PRIV_U;
  b.hart.setSatp(pt.satp);
  return { b, pt };
}

/** Points page i at FRAME_B behind the TLB's back (no flush). */
function remap(b: Board, pt: PageTables, i: number): void {
  b.ram.write32(pt.pteAddr(VA + i * 4096), (((FRAME_B + i * 4096) >>> 12) << 10) | URW);
}

describe('software TLB', () => {
  it.each([3, 64, 65, 120])('a flush after %i filled pages drops every one of them', (pages) => {
    const { b, pt } = setup(pages);
    for (let i = 0; i < pages; i++) {
      b.ram.write32(FRAME_A + i * 4096, 100 + i);
      b.ram.write32(FRAME_B + i * 4096, 200 + i);
    }
    const m = b.hart.mmu;
    for (let i = 0; i < pages; i++) expect(m.lw(VA + i * 4096)).toBe(100 + i);
    for (let i = 0; i < pages; i++) remap(b, pt, i);
    // Still cached: the TLB serves the old frame until a flush.
    expect(m.lw(VA)).toBe(100);
    b.hart.flushTlb();
    for (let i = 0; i < pages; i++) expect(m.lw(VA + i * 4096)).toBe(200 + i);
  });

  it('restores saved entries into the same context, and only there', () => {
    const { b, pt } = setup(2);
    const m = b.hart.mmu;
    b.ram.write32(FRAME_A, 1);
    b.ram.write32(FRAME_B, 2);
    expect(m.lw(VA)).toBe(1);
    const snap = new TlbSnapshot();
    m.saveTlb(snap);
    expect(snap.n).toBeGreaterThan(0);

    remap(b, pt, 0);
    b.hart.flushTlb();
    // The snapshot still says FRAME_A: restoring it proves the entries came back (the kernel only
    // restores when the tables did not change; here they did, on purpose).
    expect(m.restoreTlb(snap)).toBe(true);
    expect(m.lw(VA)).toBe(1);

    // Not into a TLB that already has fills, nor into another address space or privilege.
    expect(m.restoreTlb(snap)).toBe(false);
    const other = new PageTables(b, RAM_BASE + 0x30_0000);
    b.hart.setSatp(other.satp);
    expect(m.restoreTlb(snap)).toBe(false);
    b.hart.setSatp(pt.satp);
    b.hart.priv = 1;
    b.hart.updateMode();
    expect(m.restoreTlb(snap)).toBe(false);
  });

  it('leaves out write entries of pages that became code after the save', () => {
    const { b } = setup(1);
    const m = b.hart.mmu;
    m.sw(VA, 5); // fills the write entry
    const snap = new TlbSnapshot();
    m.saveTlb(snap);
    b.hart.flushTlb();
    const page = (FRAME_A - RAM_BASE) >>> 12;
    m.protectPage(page, PF_CODE);
    const writes: number[] = [];
    m.onCodeWrite = (p) => writes.push(p);
    expect(m.restoreTlb(snap)).toBe(true);
    m.sw(VA, 6);
    expect(writes).toEqual([page]); // the store took the slow path and was seen
    expect(b.ram.read32(FRAME_A)).toBe(6);
  });

  it('a snapshot of more fills than it keeps is never restored', () => {
    const { b } = setup(70);
    const m = b.hart.mmu;
    for (let i = 0; i < 70; i++) m.lw(VA + i * 4096);
    const snap = new TlbSnapshot();
    m.saveTlb(snap);
    expect(snap.n).toBe(-1);
    b.hart.flushTlb();
    expect(m.restoreTlb(snap)).toBe(false);
  });
});
