// An Sv32 two-level page table living in emulated RAM: a root (level-1) frame whose upper half holds
// the kernel's direct-map megapages (identical, hence shared, in every address space) and level-0
// tables allocated on demand for the user half.

import { KERNEL_BASE } from '../abi';
import type { FramePool } from '../pmm';
import {
  MEGAPAGE,
  PTE_A,
  PTE_D,
  PTE_G,
  PTE_R,
  PTE_V,
  PTE_W,
  SATP_MODE_SV32,
  isLeaf,
  makePte,
  ptePa,
} from './pte';

const USER_L1_ENTRIES = 512; // VPN[1] 0..511 cover 0x0000_0000..0x7FFF_FFFF

/** The level-1 entries of the kernel half: supervisor-only RW megapages mapping RAM 1:1 from KERNEL_BASE. */
export function kernelMegapages(ramBase: number, ramSize: number): Uint32Array {
  if (ramBase % MEGAPAGE !== 0) throw new Error('mm: RAM base must be 4 MiB aligned for the direct map');
  const n = Math.ceil(ramSize / MEGAPAGE);
  if (n > 512) throw new Error('mm: RAM larger than the 2 GiB kernel half');
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++)
    out[i] = makePte(ramBase + i * MEGAPAGE, PTE_V | PTE_R | PTE_W | PTE_G | PTE_A | PTE_D);
  return out;
}

export class PageTable {
  readonly root: number;
  private readonly pool: FramePool;
  private tables = 0;
  /** Bumped on every PTE write, so observers (inspect) can cache what they derived from the table. */
  version = 0;

  private constructor(pool: FramePool, root: number) {
    this.pool = pool;
    this.root = root;
  }

  /** A fresh table with the kernel half installed, or null when no frame is free. */
  static create(pool: FramePool, kernel: Uint32Array): PageTable | null {
    const root = pool.allocZeroed();
    if (root === -1) return null;
    const pt = new PageTable(pool, root);
    const first = (KERNEL_BASE >>> 22) * 4;
    for (let i = 0; i < kernel.length; i++) pool.mem.write32(root + first + i * 4, kernel[i]!);
    return pt;
  }

  /** satp value selecting this table (Sv32, ASID in bits 30:22). */
  satp(asid = 0): number {
    return (SATP_MODE_SV32 | ((asid & 0x1ff) << 22) | Math.floor(this.root / 4096)) >>> 0;
  }

  /** Frames used by level-0 tables (the root not included). */
  get tableFrames(): number {
    return this.tables;
  }

  /** Physical address of the level-0 PTE for a user va: 0 if no table exists (create=false), -1 on OOM. */
  slot(va: number, create: boolean): number {
    const vpn1 = va >>> 22;
    if (vpn1 >= USER_L1_ENTRIES)
      throw new Error(`mm: user PTE requested for kernel address 0x${va.toString(16)}`);
    const l1 = this.root + vpn1 * 4;
    let e = this.pool.mem.read32(l1);
    if ((e & PTE_V) === 0) {
      if (!create) return 0;
      const t = this.pool.allocZeroed();
      if (t === -1) return -1;
      this.tables++;
      e = makePte(t, PTE_V);
      this.pool.mem.write32(l1, e);
    } else if (isLeaf(e)) throw new Error('mm: unexpected megapage in the user half');
    return ptePa(e) + ((va >>> 12) & 0x3ff) * 4;
  }

  /** The user PTE for va (0 when nothing is mapped). */
  get(va: number): number {
    const s = this.slot(va, false);
    return s === 0 ? 0 : this.pool.mem.read32(s);
  }

  /** Writes the PTE for va; false when a level-0 table was needed and RAM is exhausted. */
  set(va: number, pte: number): boolean {
    const s = this.slot(va, pte !== 0);
    if (s === -1) return false;
    if (s !== 0) this.pool.mem.write32(s, pte);
    this.version++;
    return true;
  }

  /**
   * fork's copy of the user PTEs in [start, end) (page-aligned) into `child`, one table lookup per
   * 4 MiB instead of per page. With `cowFlags` >= 0 each copied PTE is rebuilt with those flags in
   * both tables (a private page going copy-on-write); with `share` each frame gains a reference.
   * The child's level-0 tables are made only where a PTE is copied, as set() would. False when a
   * child table cannot be had (the pages copied so far keep their references).
   */
  forkRange(child: PageTable, start: number, end: number, cowFlags: number, share: boolean): boolean {
    const u32 = this.pool.mem.u32;
    const base = this.pool.mem.base;
    for (let va = start; va < end;) {
      const regionEnd = Math.min(end, (Math.floor(va / MEGAPAGE) + 1) * MEGAPAGE);
      const src = this.slot(va, false);
      if (src !== 0) {
        const from = (src - base) >>> 2;
        const pages = (regionEnd - va) / 4096;
        let to = -1;
        for (let i = 0; i < pages; i++) {
          let pte = u32[from + i]!;
          if (pte === 0) continue;
          if (to < 0) {
            const dst = child.slot(va, true);
            if (dst === -1) return false;
            to = (dst - base) >>> 2;
          }
          if (cowFlags >= 0) pte = makePte(ptePa(pte), cowFlags);
          u32[to + i] = pte;
          if (share) this.pool.ref(ptePa(pte));
          u32[from + i] = pte;
        }
        if (to >= 0) {
          this.version++;
          child.version++;
        }
      }
      va = regionEnd;
    }
    return true;
  }

  /**
   * Clears the user PTEs in [start, end) (page-aligned); with `owned` each frame loses a reference.
   * Returns how many PTEs were cleared.
   */
  clearRange(start: number, end: number, owned: boolean): number {
    const u32 = this.pool.mem.u32;
    const base = this.pool.mem.base;
    let cleared = 0;
    for (let va = start; va < end;) {
      const regionEnd = Math.min(end, (Math.floor(va / MEGAPAGE) + 1) * MEGAPAGE);
      const s = this.slot(va, false);
      if (s !== 0) {
        const from = (s - base) >>> 2;
        const pages = (regionEnd - va) / 4096;
        for (let i = 0; i < pages; i++) {
          const pte = u32[from + i]!;
          if (pte === 0) continue;
          if (owned) this.pool.unref(ptePa(pte));
          u32[from + i] = 0;
          cleared++;
        }
      }
      va = regionEnd;
    }
    this.version++;
    return cleared;
  }

  /** Pages with a non-zero PTE in [start, end) (page-aligned user range): one table lookup per 4 MiB. */
  countMapped(start: number, end: number): number {
    let n = 0;
    for (let va = start; va < end;) {
      const regionEnd = Math.min(end, (Math.floor(va / 0x40_0000) + 1) * 0x40_0000);
      const first = this.slot(va, false);
      if (first !== 0) {
        const pages = (regionEnd - va) / 4096;
        for (let i = 0; i < pages; i++) if (this.pool.mem.read32(first + i * 4) !== 0) n++;
      }
      va = regionEnd;
    }
    return n;
  }

  /** Frees the level-0 tables and the root. Leaf frames are the caller's business. */
  destroy(): void {
    const u32 = this.pool.mem.u32;
    const first = (this.root - this.pool.mem.base) >>> 2;
    for (let i = 0; i < USER_L1_ENTRIES; i++) {
      const e = u32[first + i]!;
      if (e & PTE_V) {
        this.pool.unref(ptePa(e));
        this.tables--;
      }
    }
    this.pool.unref(this.root);
  }
}
