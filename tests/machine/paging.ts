// Builds Sv32 page tables in a board's RAM from the host side, for MMU tests.
import type { Board } from '../../core/machine/board';

export const PTE = { V: 1, R: 2, W: 4, X: 8, U: 16, G: 32, A: 64, D: 128 } as const;

export class PageTables {
  readonly root: number;
  private next: number;

  /** Tables are allocated from `pool` (physical, page-aligned) upwards. */
  constructor(
    private readonly board: Board,
    pool: number,
  ) {
    this.root = pool;
    this.next = pool + 4096;
    board.ram.fill(pool, 4096);
  }

  get satp(): number {
    return (0x8000_0000 | (this.root >>> 12)) >>> 0;
  }

  private alloc(): number {
    const p = this.next;
    this.next += 4096;
    this.board.ram.fill(p, 4096);
    return p;
  }

  /** Maps a 4 KiB page. */
  map(va: number, pa: number, flags: number): void {
    const ram = this.board.ram;
    const l1 = this.root + (va >>> 22) * 4;
    let e = ram.read32(l1);
    if ((e & PTE.V) === 0) {
      const t = this.alloc();
      e = ((t >>> 12) << 10) | PTE.V;
      ram.write32(l1, e);
    }
    const l0 = (e >>> 10) * 4096 + ((va >>> 12) & 0x3ff) * 4;
    ram.write32(l0, ((Math.floor(pa / 4096) << 10) | flags) >>> 0);
  }

  /** Maps a 4 MiB superpage (level-1 leaf). */
  mapSuper(va: number, pa: number, flags: number): void {
    this.board.ram.write32(this.root + (va >>> 22) * 4, ((Math.floor(pa / 4096) << 10) | flags) >>> 0);
  }

  /** Physical address of the level-0 PTE for va (assumes it exists). */
  pteAddr(va: number): number {
    const e = this.board.ram.read32(this.root + (va >>> 22) * 4);
    return (e >>> 10) * 4096 + ((va >>> 12) & 0x3ff) * 4;
  }
}
