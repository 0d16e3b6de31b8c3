// Sv32 address translation with a software TLB, and every guest memory access of the hart.
// The TLB is direct-mapped by virtual page number with separate read / write / execute tables;
// each entry holds the page tag and the delta from virtual address to RAM offset, so a hit costs a
// compare and an add. Only RAM pages enter the TLB (MMIO always takes the slow path). A page of RAM
// is kept out of the write TLB while it holds translated code, an LR reservation or a watched
// address (HTIF tohost), so stores to it take the slow path and can react.
import { Cause, PRIV_M } from './csr';
import type { PhysicalBus, PhysicalMemory } from './memory';
import { Trap } from './trap';

export const Access = { Read: 0, Write: 1, Execute: 2 } as const;

export const TLB_SIZE = 1024;
const TLB_MASK = TLB_SIZE - 1;
/** Page flags that keep a RAM page out of the write TLB. */
export const PF_CODE = 1;
export const PF_RESV = 2;
export const PF_HOOK = 4;

const PAGE_FAULT = [Cause.LoadPage, Cause.StorePage, Cause.FetchPage];
const ACCESS_FAULT = [Cause.LoadAccess, Cause.StoreAccess, Cause.FetchAccess];
const WALK_PAGE_FAULT = -1;
const WALK_ACCESS_FAULT = -2;
/**
 * Fills remembered between flushes: a flush after fewer resets only those slots. A context switch
 * flushes twice or so and the thread in between touches a handful of pages, so this makes the
 * flush a few stores instead of three 4 KiB fills.
 */
const FILL_LOG = 64;

/**
 * TLB entries saved for one translation context (Mmu.saveTlb), so a kernel switching between
 * address spaces can put them back instead of walking the page tables again.
 */
export class TlbSnapshot {
  /** Saved slots, or -1 when there were too many to keep. */
  n = -1;
  /** The context they belong to: satp and the mode word (see Mmu.modeWord). */
  satp = 0;
  mode = 0;
  /** Per saved slot: index, rTag, rAdd, wTag, wAdd, xTag, xAdd. */
  readonly slots = new Int32Array(FILL_LOG * 7);
}

export class Mmu {
  readonly bus: PhysicalBus;
  readonly ram: PhysicalMemory;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly rTag = new Int32Array(TLB_SIZE).fill(-1);
  readonly rAdd = new Int32Array(TLB_SIZE);
  readonly wTag = new Int32Array(TLB_SIZE).fill(-1);
  readonly wAdd = new Int32Array(TLB_SIZE);
  readonly xTag = new Int32Array(TLB_SIZE).fill(-1);
  readonly xAdd = new Int32Array(TLB_SIZE);
  /** Per RAM page: PF_* flags. */
  readonly pageFlags: Uint8Array;
  private readonly ramBase: number;
  private readonly ramSize: number;

  /** satp (mode bit 31, root PPN in bits 21:0). */
  satp = 0;
  /** Effective privilege of loads/stores (MPRV applied) and of fetches. */
  dataPriv = PRIV_M;
  fetchPriv = PRIV_M;
  sum = false;
  mxr = false;
  /** Physical address of the LR reservation, or -1. */
  reservation = -1;
  /** TLB slots filled since the last flush (valid while fills <= FILL_LOG). */
  private readonly filled = new Int32Array(FILL_LOG);
  private fills = 0;

  /** A store hit a page holding translated code (RAM page index, RAM offset, width). */
  onCodeWrite: (page: number, offset: number, width: number) => void = () => {};
  /** A store hit a PF_HOOK page (RAM offset and width). */
  onHookWrite: (offset: number, width: number) => void = () => {};
  /** A store went to a device. */
  onMmioWrite: () => void = () => {};

  constructor(bus: PhysicalBus) {
    this.bus = bus;
    this.ram = bus.ram;
    this.u8 = this.ram.u8;
    this.u16 = this.ram.u16;
    this.i32 = this.ram.i32;
    this.ramBase = this.ram.base;
    this.ramSize = this.ram.size;
    this.pageFlags = new Uint8Array(this.ram.size >>> 12);
  }

  flush(): void {
    const n = this.fills;
    if (n === 0) return;
    this.fills = 0;
    if (n > FILL_LOG) {
      this.rTag.fill(-1);
      this.wTag.fill(-1);
      this.xTag.fill(-1);
      return;
    }
    // Only xlate fills the tables, so every valid entry sits in a logged slot.
    for (let k = 0; k < n; k++) {
      const i = this.filled[k]!;
      this.rTag[i] = -1;
      this.wTag[i] = -1;
      this.xTag[i] = -1;
    }
  }

  /** Updates the translation context; flushes the TLB when it changed. */
  setMode(satp: number, dataPriv: number, fetchPriv: number, sum: boolean, mxr: boolean): void {
    if (
      satp !== this.satp ||
      dataPriv !== this.dataPriv ||
      fetchPriv !== this.fetchPriv ||
      sum !== this.sum ||
      mxr !== this.mxr
    ) {
      this.satp = satp;
      this.dataPriv = dataPriv;
      this.fetchPriv = fetchPriv;
      this.sum = sum;
      this.mxr = mxr;
      this.flush();
    }
  }

  /** The privilege and permission bits translations depend on, as one number. */
  private modeWord(): number {
    return this.dataPriv | (this.fetchPriv << 2) | (this.sum ? 16 : 0) | (this.mxr ? 32 : 0);
  }

  /** Saves the entries filled since the last flush (snap.n = -1 when more than it keeps). */
  saveTlb(snap: TlbSnapshot): void {
    const n = this.fills;
    snap.satp = this.satp;
    snap.mode = this.modeWord();
    if (n > FILL_LOG) {
      snap.n = -1;
      return;
    }
    const out = snap.slots;
    for (let k = 0; k < n; k++) {
      const i = this.filled[k]!;
      const o = k * 7;
      out[o] = i;
      out[o + 1] = this.rTag[i]!;
      out[o + 2] = this.rAdd[i]!;
      out[o + 3] = this.wTag[i]!;
      out[o + 4] = this.wAdd[i]!;
      out[o + 5] = this.xTag[i]!;
      out[o + 6] = this.xAdd[i]!;
    }
    snap.n = n;
  }

  /**
   * Puts saved entries back into a TLB that is empty (just flushed) and in the same context; the
   * caller vouches that the page tables have not changed since the save. Write entries of pages
   * that have since been flagged (translated code, a reservation, a hook) stay out, as xlate
   * would leave them. False (and nothing done) when the snapshot does not apply.
   */
  restoreTlb(snap: TlbSnapshot): boolean {
    if (snap.n < 0 || this.fills !== 0 || snap.satp !== this.satp || snap.mode !== this.modeWord())
      return false;
    const src = snap.slots;
    for (let k = 0; k < snap.n; k++) {
      const o = k * 7;
      const i = src[o]!;
      this.rTag[i] = src[o + 1]!;
      this.rAdd[i] = src[o + 2]!;
      const wTag = src[o + 3]!;
      const wAdd = src[o + 4]!;
      if (wTag !== -1 && this.pageFlags[(((wTag << 12) + wAdd) | 0) >>> 12] === 0) {
        this.wTag[i] = wTag;
        this.wAdd[i] = wAdd;
      }
      this.xTag[i] = src[o + 5]!;
      this.xAdd[i] = src[o + 6]!;
      this.filled[k] = i;
    }
    this.fills = snap.n;
    return true;
  }

  /** Sets flags on a RAM page and drops any write-TLB entry that maps it. */
  protectPage(page: number, flag: number): void {
    this.pageFlags[page]! |= flag;
    for (let i = 0; i < TLB_SIZE; i++) {
      const tag = this.wTag[i]!;
      if (tag !== -1 && (((tag << 12) + this.wAdd[i]!) | 0) >>> 12 === page) this.wTag[i] = -1;
    }
  }

  unprotectPage(page: number, flag: number): void {
    this.pageFlags[page]! &= ~flag;
  }

  // ---- Fast paths (TLB hits on aligned accesses); everything else goes to the slow paths. ----

  lw(va: number): number {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    if (this.rTag[i] === vpn && (va & 3) === 0) return this.i32[((va + this.rAdd[i]!) | 0) >> 2]!;
    return this.loadSlow(va, 4) | 0;
  }
  lh(va: number): number {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    if (this.rTag[i] === vpn && (va & 1) === 0)
      return (this.u16[((va + this.rAdd[i]!) | 0) >> 1]! << 16) >> 16;
    return (this.loadSlow(va, 2) << 16) >> 16;
  }
  lhu(va: number): number {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    if (this.rTag[i] === vpn && (va & 1) === 0) return this.u16[((va + this.rAdd[i]!) | 0) >> 1]!;
    return this.loadSlow(va, 2);
  }
  lb(va: number): number {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    if (this.rTag[i] === vpn) return (this.u8[(va + this.rAdd[i]!) | 0]! << 24) >> 24;
    return (this.loadSlow(va, 1) << 24) >> 24;
  }
  lbu(va: number): number {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    if (this.rTag[i] === vpn) return this.u8[(va + this.rAdd[i]!) | 0]!;
    return this.loadSlow(va, 1);
  }
  sw(va: number, v: number): void {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    if (this.wTag[i] === vpn && (va & 3) === 0) this.i32[((va + this.wAdd[i]!) | 0) >> 2] = v;
    else this.storeSlow(va, 4, v);
  }
  sh(va: number, v: number): void {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    if (this.wTag[i] === vpn && (va & 1) === 0) this.u16[((va + this.wAdd[i]!) | 0) >> 1] = v;
    else this.storeSlow(va, 2, v);
  }
  sb(va: number, v: number): void {
    const vpn = va >>> 12;
    const i = vpn & TLB_MASK;
    if (this.wTag[i] === vpn) this.u8[(va + this.wAdd[i]!) | 0] = v;
    else this.storeSlow(va, 1, v);
  }

  /** Fetches the instruction at pc: a 16-bit compressed parcel or a full 32-bit word. */
  fetch(pc: number): number {
    const vpn = pc >>> 12;
    const i = vpn & TLB_MASK;
    if (this.xTag[i] !== vpn) this.fetchRamOffset(pc);
    const h = ((pc + this.xAdd[i]!) | 0) >>> 1;
    const lo = this.u16[h]!;
    if ((lo & 3) !== 3) return lo;
    if ((pc & 0xfff) !== 0xffe) return (lo | (this.u16[h + 1]! << 16)) >>> 0;
    // A 32-bit instruction straddling two pages: the upper half comes from the next page.
    const off2 = this.fetchRamOffset((pc + 2) >>> 0);
    return (lo | (this.u16[off2 >>> 1]! << 16)) >>> 0;
  }

  /** RAM offset of an executable address (fills the execute TLB); throws fetch faults. */
  fetchRamOffset(pc: number): number {
    const pa = this.xlate(pc >>> 0, Access.Execute);
    const off = pa - this.ramBase;
    if (off < 0 || off >= this.ramSize) throw new Trap(Cause.FetchAccess, pc >>> 0);
    return off;
  }

  // ---- Slow paths ----

  loadSlow(va: number, width: 1 | 2 | 4): number {
    va >>>= 0;
    if ((va & (width - 1)) !== 0) {
      // Misaligned: performed byte by byte (little-endian), each byte translated on its own, in
      // address order so a fault names the first faulting byte (as spike and QEMU do).
      let v = 0;
      for (let k = 0; k < width; k++) v += this.loadSlow((va + k) >>> 0, 1) * 2 ** (8 * k);
      return v >>> 0;
    }
    const pa = this.xlate(va, Access.Read);
    return this.loadPhys(pa, width, va);
  }

  loadPhys(pa: number, width: 1 | 2 | 4, va: number): number {
    const off = pa - this.ramBase;
    if (off >= 0 && off + width <= this.ramSize) {
      if (width === 4) return this.i32[off >> 2]! >>> 0;
      if (width === 2) return this.u16[off >> 1]!;
      return this.u8[off]!;
    }
    const d = pa < 0x1_0000_0000 ? this.bus.device(pa, width) : undefined;
    if (!d) throw new Trap(Cause.LoadAccess, va);
    return d.read(pa - d.base, width) >>> 0;
  }

  storeSlow(va: number, width: 1 | 2 | 4, v: number): void {
    va >>>= 0;
    if ((va & (width - 1)) !== 0) {
      // Misaligned: translate every byte first so a fault leaves memory untouched.
      const pas: number[] = [];
      for (let k = 0; k < width; k++) pas.push(this.xlate((va + k) >>> 0, Access.Write));
      for (let k = 0; k < width; k++) this.storePhys(pas[k]!, 1, (v >>> (8 * k)) & 0xff, (va + k) >>> 0);
      return;
    }
    this.storePhys(this.xlate(va, Access.Write), width, v, va);
  }

  storePhys(pa: number, width: 1 | 2 | 4, v: number, va: number): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off + width <= this.ramSize) {
      if (width === 4) this.i32[off >> 2] = v;
      else if (width === 2) this.u16[off >> 1] = v;
      else this.u8[off] = v;
      const page = off >>> 12;
      const flags = this.pageFlags[page]!;
      if (flags !== 0) this.afterWatchedStore(page, flags, off, width);
      return;
    }
    const d = pa < 0x1_0000_0000 ? this.bus.device(pa, width) : undefined;
    if (!d) throw new Trap(Cause.StoreAccess, va);
    d.write(pa - d.base, width, width === 4 ? v >>> 0 : v & (width === 2 ? 0xffff : 0xff));
    this.onMmioWrite();
  }

  private afterWatchedStore(page: number, flags: number, off: number, width: number): void {
    if (flags & PF_RESV) {
      const r = this.reservation - this.ramBase;
      if (off < r + 4 && r < off + width) this.clearReservation();
    }
    if (flags & PF_CODE) this.onCodeWrite(page, off, width);
    if (flags & PF_HOOK) this.onHookWrite(off, width);
  }

  setReservation(pa: number): void {
    this.clearReservation();
    const off = pa - this.ramBase;
    if (off < 0 || off >= this.ramSize) return;
    this.reservation = pa;
    this.protectPage(off >>> 12, PF_RESV);
  }

  clearReservation(): void {
    if (this.reservation === -1) return;
    this.unprotectPage((this.reservation - this.ramBase) >>> 12, PF_RESV);
    this.reservation = -1;
  }

  /** Translates va for an access (throws the matching fault) and fills the TLB for RAM pages. */
  xlate(va: number, access: number): number {
    const priv = access === Access.Execute ? this.fetchPriv : this.dataPriv;
    let pa = va;
    if (this.satp < 0 && priv !== PRIV_M) {
      pa = this.walk(va, access, priv, true, this.sum, this.mxr);
      if (pa === WALK_PAGE_FAULT) throw new Trap(PAGE_FAULT[access]!, va);
      if (pa === WALK_ACCESS_FAULT) throw new Trap(ACCESS_FAULT[access]!, va);
    }
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      const vpn = va >>> 12;
      const i = vpn & TLB_MASK;
      const add = ((off & ~0xfff) - (va & ~0xfff)) | 0;
      const n = this.fills;
      if (n < FILL_LOG) this.filled[n] = i;
      if (n <= FILL_LOG) this.fills = n + 1;
      if (access === Access.Read) {
        this.rTag[i] = vpn;
        this.rAdd[i] = add;
      } else if (access === Access.Write) {
        if (this.pageFlags[off >>> 12] === 0) {
          this.wTag[i] = vpn;
          this.wAdd[i] = add;
        }
      } else {
        this.xTag[i] = vpn;
        this.xAdd[i] = add;
      }
    }
    return pa;
  }

  /**
   * Walks the Sv32 page table. Returns the physical address (may exceed 32 bits), or
   * WALK_PAGE_FAULT / WALK_ACCESS_FAULT. With `update`, sets A (and D for writes) in the PTE.
   */
  walk(va: number, access: number, priv: number, update: boolean, sum: boolean, mxr: boolean): number {
    let ptAddr = (this.satp & 0x3f_ffff) * 4096 + (va >>> 22) * 4;
    let level = 1;
    let pte = 0;
    for (;;) {
      const off = ptAddr - this.ramBase;
      if (off < 0 || off + 4 > this.ramSize) return WALK_ACCESS_FAULT;
      pte = this.i32[off >> 2]!;
      if ((pte & 1) === 0 || (pte & 6) === 4) return WALK_PAGE_FAULT;
      if ((pte & 0xa) !== 0) break; // leaf: R or X set
      if (level === 0) return WALK_PAGE_FAULT;
      level = 0;
      ptAddr = (pte >>> 10) * 4096 + ((va >>> 12) & 0x3ff) * 4;
    }
    const user = (pte & 0x10) !== 0;
    if (priv === 0) {
      if (!user) return WALK_PAGE_FAULT;
    } else if (user && (access === Access.Execute || !sum)) {
      return WALK_PAGE_FAULT;
    }
    if (access === Access.Read) {
      if ((pte & 2) === 0 && !(mxr && (pte & 8) !== 0)) return WALK_PAGE_FAULT;
    } else if (access === Access.Write) {
      if ((pte & 4) === 0) return WALK_PAGE_FAULT;
    } else if ((pte & 8) === 0) {
      return WALK_PAGE_FAULT;
    }
    const ppn = pte >>> 10;
    if (level === 1 && (ppn & 0x3ff) !== 0) return WALK_PAGE_FAULT; // misaligned superpage
    const need = 0x40 | (access === Access.Write ? 0x80 : 0);
    if (update && (pte & need) !== need) {
      this.i32[(ptAddr - this.ramBase) >> 2] = pte | need;
    }
    return level === 1 ? (ppn >>> 10) * 0x40_0000 + (va & 0x3f_ffff) : ppn * 4096 + (va & 0xfff);
  }
}
