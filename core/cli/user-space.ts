// The address space of the user-mode runner: physical frames handed out from the board's RAM
// and Sv32 page tables written into RAM for the hart's MMU to walk, plus copies in and out of
// user memory that fail cleanly (null) on unmapped addresses.
import type { Board } from '../machine/board';

export const PAGE = 4096;
const PTE_V = 0x01;
const PTE_R = 0x02;
const PTE_W = 0x04;
const PTE_X = 0x08;
const PTE_U = 0x10;
const PTE_A = 0x40;
const PTE_D = 0x80;

/** Page permissions, as ELF segment flags (PF_X 1, PF_W 2, PF_R 4). */
export const Perm = { X: 1, W: 2, R: 4 } as const;

export class OutOfMemoryError extends Error {
  constructor() {
    super('the user-mode runner ran out of physical memory');
    this.name = 'OutOfMemoryError';
  }
}

export class UserSpace {
  private readonly board: Board;
  private nextFrame: number;
  /** Physical address of the root page table. */
  readonly root: number;

  constructor(board: Board) {
    this.board = board;
    this.nextFrame = board.ram.base;
    this.root = this.allocFrame();
  }

  /** satp value selecting this address space (Sv32, ASID 0). */
  get satp(): number {
    return (0x8000_0000 | (this.root >>> 12)) >>> 0;
  }

  /** A zeroed physical frame. */
  allocFrame(): number {
    const ram = this.board.ram;
    if (this.nextFrame + PAGE > ram.base + ram.size) throw new OutOfMemoryError();
    const pa = this.nextFrame;
    this.nextFrame += PAGE;
    ram.fill(pa, PAGE, 0);
    return pa;
  }

  private pteAddr(va: number, create: boolean): number {
    const ram = this.board.ram;
    const l1 = this.root + ((va >>> 22) << 2);
    let pte = ram.read32(l1);
    if ((pte & PTE_V) === 0) {
      if (!create) return -1;
      const table = this.allocFrame();
      pte = ((table >>> 12) << 10) | PTE_V;
      ram.write32(l1, pte);
    }
    const table = (pte >>> 10) * PAGE;
    return table + (((va >>> 12) & 0x3ff) << 2);
  }

  /** Physical address of the page holding va, or -1 when unmapped. */
  lookup(va: number): number {
    const a = this.pteAddr(va >>> 0, false);
    if (a < 0) return -1;
    const pte = this.board.ram.read32(a);
    if ((pte & PTE_V) === 0) return -1;
    return (pte >>> 10) * PAGE + ((va >>> 0) % PAGE);
  }

  /** Maps the page of va (if not mapped yet) with at least `perm`; returns its physical base. */
  mapPage(va: number, perm: number): number {
    const ram = this.board.ram;
    const a = this.pteAddr(va >>> 0, true);
    let pte = ram.read32(a);
    // Sv32 reserves W without R: a writable page is also readable.
    let bits = PTE_V | PTE_U | PTE_A | PTE_D;
    if (perm & (Perm.R | Perm.W)) bits |= PTE_R;
    if (perm & Perm.W) bits |= PTE_W;
    if (perm & Perm.X) bits |= PTE_X;
    if ((pte & PTE_V) === 0) {
      const frame = this.allocFrame();
      pte = ((frame >>> 12) << 10) | bits;
    } else {
      pte |= bits;
    }
    ram.write32(a, pte >>> 0);
    this.board.hart.flushTlb();
    return (pte >>> 10) * PAGE;
  }

  /** Maps [va, va+len) and copies `data` to its start (the rest stays zero). */
  mapRegion(va: number, len: number, perm: number, data: Uint8Array = new Uint8Array(0)): void {
    const end = va + len;
    for (let page = va - (va % PAGE); page < end; page += PAGE) this.mapPage(page, perm);
    if (!this.write(va, data)) throw new Error('mapRegion: copy failed');
  }

  /** Copies bytes into user memory; false if any page is unmapped. */
  write(va: number, data: Uint8Array): boolean {
    const ram = this.board.ram;
    let done = 0;
    while (done < data.length) {
      const pa = this.lookup(va + done);
      if (pa < 0) return false;
      const n = Math.min(PAGE - ((va + done) % PAGE), data.length - done);
      ram.writeBytes(pa, data.subarray(done, done + n));
      this.board.hart.invalidateCode(pa, n);
      done += n;
    }
    return true;
  }

  /** Copies bytes out of user memory; null if any page is unmapped. */
  read(va: number, len: number): Uint8Array | null {
    if (va < 0 || len < 0 || va + len > 0x1_0000_0000) return null;
    // Check every page before allocating: a hostile length must not cost a huge buffer.
    for (let page = va - (va % PAGE); page < va + len; page += PAGE) if (this.lookup(page) < 0) return null;
    const ram = this.board.ram;
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const pa = this.lookup(va + done);
      if (pa < 0) return null;
      const n = Math.min(PAGE - ((va + done) % PAGE), len - done);
      out.set(ram.readBytes(pa, n), done);
      done += n;
    }
    return out;
  }
}
