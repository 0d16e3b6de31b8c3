// fut_mm: a reference-counted user address space. The VMAs say what the task may touch; the Sv32
// tables in emulated RAM say what the MMU sees. Every mapping is populated eagerly with zeroed frames
// (a page missing inside a VMA is still filled on fault, so lazy callers work too). Guest-caused errors
// come back as negative errno; only kernel bugs throw.

import {
  KERNEL_BASE,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  MMAP_BASE_MIN,
  MMAP_QUOTA_DEFAULT,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  STACK_BOTTOM,
  STACK_GUARD,
  STACK_TOP,
  USER_END,
  USER_MIN,
} from '../abi';
import { EACCES, EFAULT, EINVAL, ENOMEM } from '../errno';
import type { FramePool } from '../pmm';
import type { TlbSnapshot } from '../../machine/mmu';
import { PageTable, kernelMegapages } from './pagetable';
import { PTE_COW, PTE_R, PTE_V, PTE_W, PTE_X, ptePa, makePte, userPteFlags } from './pte';
import { VmaList, type Vma, type VmaKind } from './vma';
import { checkRange, copyIn, copyOut, readCString, readString, userOffset } from './uaccess';

export type FaultAccess = 'read' | 'write' | 'exec';
export type FaultResult = 'resolved' | 'stack-overflow' | { kind: 'segv'; vma?: Vma; reason: string };

export interface FutMmOptions {
  /** Per-task quota on mmap bytes (the capability set's limit). Default 256 MiB. */
  mmapQuota?: number;
  /** Highest break. Default MMAP_BASE_MIN (the heap grows up to the mmap base). */
  heapLimit?: number;
  asid?: number;
  /**
   * Called after the kernel writes guest memory behind the MMU (copyOut, loader, COW copies) with the
   * physical range, so the hart can drop translated code for it. Inherited by fork.
   */
  onKernelWrite?: (paddr: number, len: number) => void;
  /** Most anonymous frames this address space may map (brk, mmap, stack, faults). Default: no cap. */
  frameQuota?: number;
  /** Pool frames user allocations leave untouched (the kernel's page tables live on them). Default 0. */
  reserveFrames?: number;
}

const PAGE_MASK = PAGE_SIZE - 1;
/** How far below the guard page a stack frame that skipped it may have put sp (the largest frame). */
const SKIP_REACH = 16 << 20;
const alignUp = (x: number): number => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
const alignDown = (x: number): number => Math.floor(x / PAGE_SIZE) * PAGE_SIZE;

export class FutMm {
  readonly pool: FramePool;
  readonly vmas: VmaList;
  readonly mmapQuota: number;
  readonly asid: number;
  brkStart = USER_MIN + PAGE_SIZE;
  brkCurrent = USER_MIN + PAGE_SIZE;
  /** Page-aligned end of the heap's mapped pages. */
  heapMappedEnd = USER_MIN + PAGE_SIZE;
  heapLimit: number;
  /** Bytes of 'mmap' VMAs, charged against mmapQuota. */
  mmapBytes = 0;
  /** Anonymous frames mapped here (a COW-shared frame counts in every space that maps it). */
  resident = 0;
  readonly frameQuota: number;
  readonly reserveFrames: number;
  /** Bumped whenever a PTE loses a permission or a frame; the trap loop flushes the TLB when it moves. */
  generation = 0;
  /**
   * The hart's TLB entries for this space as the trap loop last switched away from it, valid while
   * `generation` still equals tlbGeneration (the loop puts them back instead of re-walking).
   */
  tlb: TlbSnapshot | null = null;
  tlbGeneration = -1;
  private readonly pt: PageTable;
  private readonly kernel: Uint32Array;
  private refs = 1;
  /** translate()'s one-entry cache: the PTE of page lastVpn as of table version lastVersion. */
  private lastVpn = -1;
  private lastPte = 0;
  private lastVersion = -1;
  readonly onKernelWrite: ((paddr: number, len: number) => void) | undefined;
  private readonly opts: FutMmOptions;

  private constructor(
    pool: FramePool,
    pt: PageTable,
    kernel: Uint32Array,
    vmas: VmaList,
    opts: FutMmOptions,
  ) {
    this.pool = pool;
    this.pt = pt;
    this.kernel = kernel;
    this.vmas = vmas;
    this.mmapQuota = opts.mmapQuota ?? MMAP_QUOTA_DEFAULT;
    this.heapLimit = opts.heapLimit ?? MMAP_BASE_MIN;
    this.asid = opts.asid ?? 0;
    this.onKernelWrite = opts.onKernelWrite;
    this.frameQuota = opts.frameQuota ?? Infinity;
    this.reserveFrames = opts.reserveFrames ?? 0;
    this.opts = opts;
  }

  /** A new empty address space (kernel half only), or -ENOMEM. */
  static create(pool: FramePool, opts: FutMmOptions = {}): FutMm | number {
    return FutMm.createWith(pool, opts, kernelMegapages(pool.mem.base, pool.mem.size));
  }

  /** create() with the kernel-half entries given (fork shares its parent's: they never change). */
  private static createWith(pool: FramePool, opts: FutMmOptions, kernel: Uint32Array): FutMm | number {
    const pt = PageTable.create(pool, kernel);
    if (!pt) return -ENOMEM;
    const vmas = new VmaList();
    vmas.insert({
      start: KERNEL_BASE,
      end: 0x1_0000_0000,
      prot: PROT_READ | PROT_WRITE,
      kind: 'kernel',
      shared: true,
      backing: 'phys',
      paddr: pool.mem.base,
    });
    return new FutMm(pool, pt, kernel, vmas, opts);
  }

  get satp(): number {
    return this.pt.satp(this.asid);
  }

  get root(): number {
    return this.pt.root;
  }

  get refCount(): number {
    return this.refs;
  }

  /** Frames this address space's page tables use (root + level-0 tables). */
  get tableFrames(): number {
    return this.pt.tableFrames + 1;
  }

  retain(): this {
    this.assertLive();
    this.refs++;
    return this;
  }

  /** Drops a reference; the last one frees every frame and page table. */
  release(): void {
    this.assertLive();
    if (--this.refs > 0) return;
    for (const v of this.vmas.all) if (v.kind !== 'kernel') this.dropPages(v, v.start, v.end);
    this.pt.destroy();
    this.generation++;
  }

  /** Changes whenever any PTE of this space is written (inspect caches resident counts on it). */
  get mapVersion(): number {
    return this.pt.version;
  }

  /** Pages of [start, end) with a frame (or device page) mapped. */
  residentPages(start: number, end: number): number {
    return this.pt.countMapped(start >>> 0, Math.min(end, KERNEL_BASE));
  }

  /** The raw Sv32 PTE of a user page (0 if none). */
  pte(va: number): number {
    return va >>> 0 >= KERNEL_BASE ? 0 : this.pt.get(va >>> 0);
  }

  // ---- building the image (loader) ----

  /** Maps [start, end) with zeroed frames as a new VMA. Fails with -EINVAL on overlap or bad range. */
  mapRegion(start: number, end: number, prot: number, kind: VmaKind): number {
    start = alignDown(start);
    end = alignUp(end);
    if (start < USER_MIN || end > USER_END || start >= end || !this.vmas.isFree(start, end)) return -EINVAL;
    return this.populate({ start, end, prot, kind, shared: false, backing: 'anon', paddr: 0 });
  }

  /** Seeds the heap one unmapped page above the image end (ABI.md). */
  setHeapBase(imageEnd: number): void {
    this.brkStart = alignUp(imageEnd) + PAGE_SIZE;
    this.brkCurrent = this.brkStart;
    this.heapMappedEnd = this.brkStart;
    if (this.heapLimit <= this.brkStart) this.heapLimit = this.brkStart + 16 * 1024 * 1024;
  }

  /** The 256 KiB stack below STACK_TOP plus its guard-page VMA. */
  mapStack(): number {
    if (!this.vmas.isFree(STACK_GUARD, STACK_TOP)) return -EINVAL;
    const r = this.populate({
      start: STACK_BOTTOM,
      end: STACK_TOP,
      prot: PROT_READ | PROT_WRITE,
      kind: 'stack',
      shared: false,
      backing: 'anon',
      paddr: 0,
    });
    if (r < 0) return r;
    this.vmas.insert({
      start: STACK_GUARD,
      end: STACK_BOTTOM,
      prot: 0,
      kind: 'guard',
      shared: false,
      backing: 'anon',
      paddr: 0,
    });
    return 0;
  }

  // ---- syscalls ----

  /** brk(addr): 0 queries; below the start clamps to it; past the limit -ENOMEM. */
  brk(addr: number): number {
    addr >>>= 0;
    if (addr === 0) return this.brkCurrent;
    if (addr < this.brkStart) addr = this.brkStart;
    if (addr > this.heapLimit) return -ENOMEM;
    const newEnd = alignUp(addr);
    const oldEnd = this.heapMappedEnd;
    if (newEnd > oldEnd) {
      if (!this.vmas.isFree(oldEnd, newEnd)) return -ENOMEM;
      const r = this.populate({
        start: oldEnd,
        end: newEnd,
        prot: PROT_READ | PROT_WRITE,
        kind: 'heap',
        shared: false,
        backing: 'anon',
        paddr: 0,
      });
      if (r < 0) return r;
    } else if (newEnd < oldEnd) {
      this.unmapRange(newEnd, oldEnd);
    }
    this.heapMappedEnd = newEnd;
    this.brkCurrent = addr;
    return addr;
  }

  /** mmap base: max(0x4000_0000, heap mapped end). */
  get mmapBase(): number {
    return Math.max(MMAP_BASE_MIN, this.heapMappedEnd);
  }

  /**
   * mmap(addr, len, prot, flags). Anonymous mappings, or device memory when `physAddr` is given
   * (the syscall layer resolves the fd to its driver). Returns the address or -errno.
   */
  mmap(addr: number, len: number, prot: number, flags: number, physAddr?: number): number {
    addr >>>= 0;
    len >>>= 0;
    if (len === 0 || prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) return -EINVAL;
    const type = flags & (MAP_SHARED | MAP_PRIVATE);
    if (type !== MAP_SHARED && type !== MAP_PRIVATE) return -EINVAL;
    if ((flags & MAP_ANONYMOUS) === 0 && physAddr === undefined) return -EINVAL;
    if (physAddr !== undefined && physAddr % PAGE_SIZE !== 0) return -EINVAL;
    len = alignUp(len);
    if (len > USER_END - USER_MIN) return -ENOMEM;
    let start: number;
    if (flags & MAP_FIXED) {
      if (addr & PAGE_MASK) return -EINVAL;
      if (addr < USER_MIN || addr + len > USER_END) return -EINVAL;
      if (this.mmapBytes - this.mmapBytesIn(addr, addr + len) + len > this.mmapQuota) return -ENOMEM;
      this.unmapRange(addr, addr + len);
      start = addr;
    } else {
      if (this.mmapBytes + len > this.mmapQuota) return -ENOMEM;
      const base = this.mmapBase;
      const hintOk = addr !== 0 && (addr & PAGE_MASK) === 0 && addr >= base && addr + len <= USER_END;
      start = hintOk && this.vmas.isFree(addr, addr + len) ? addr : this.findGap(base, len);
      if (start < 0) return -ENOMEM;
    }
    const r = this.populate({
      start,
      end: start + len,
      prot,
      kind: 'mmap',
      shared: type === MAP_SHARED,
      backing: physAddr === undefined ? 'anon' : 'phys',
      paddr: physAddr ?? 0,
    });
    if (r < 0) return r;
    this.mmapBytes += len;
    return start;
  }

  /** munmap(addr, len): any sub-range; VMAs are split. */
  munmap(addr: number, len: number): number {
    addr >>>= 0;
    len >>>= 0;
    if (addr & PAGE_MASK || len === 0) return -EINVAL;
    const end = addr + alignUp(len);
    if (end > USER_END) return -EINVAL;
    this.unmapRange(addr, end);
    return 0;
  }

  /** mprotect(addr, len, prot): the whole range must be mapped (-ENOMEM otherwise). */
  mprotect(addr: number, len: number, prot: number): number {
    addr >>>= 0;
    len >>>= 0;
    if (addr & PAGE_MASK || prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) return -EINVAL;
    if (len === 0) return 0;
    const end = addr + alignUp(len);
    if (end > USER_END || addr < USER_MIN) return -ENOMEM;
    for (let a = addr; a < end;) {
      const v = this.vmas.find(a);
      if (!v) return -ENOMEM;
      if (v.kind === 'guard') return -EACCES;
      a = v.end;
    }
    for (const v of this.vmas.slice(addr, end)) {
      v.prot = prot;
      for (let va = v.start; va < v.end; va += PAGE_SIZE) {
        const pte = this.pt.get(va);
        if (pte !== 0) this.pt.set(va, makePte(ptePa(pte), userPteFlags(prot, (pte & PTE_COW) !== 0)));
      }
    }
    this.vmas.coalesce();
    this.generation++;
    return 0;
  }

  /** Copy-on-write fork: a new address space sharing every frame; private pages become COW in both. */
  fork(): FutMm | number {
    this.assertLive();
    const made = FutMm.createWith(this.pool, { ...this.opts, heapLimit: this.heapLimit }, this.kernel);
    if (typeof made === 'number') return made;
    const child = made;
    child.brkStart = this.brkStart;
    child.brkCurrent = this.brkCurrent;
    child.heapMappedEnd = this.heapMappedEnd;
    child.mmapBytes = this.mmapBytes;
    for (const v of this.vmas.all) {
      if (v.kind === 'kernel') continue;
      child.vmas.insert({ ...v });
      const anon = v.backing === 'anon';
      const cowFlags = anon && !v.shared ? userPteFlags(v.prot, true) : -1;
      if (!this.pt.forkRange(child.pt, v.start, v.end, cowFlags, anon)) {
        child.release();
        return -ENOMEM;
      }
    }
    child.resident = this.resident;
    this.generation++;
    return child;
  }

  /**
   * Page-fault entry: resolves COW and missing pages inside VMAs, classifies everything else. With
   * the faulting thread's `sp`, a fault below the guard page counts as a stack overflow too when a
   * frame larger than the guard page moved sp past it (see skippedGuard).
   */
  handleFault(va: number, access: FaultAccess, sp?: number): FaultResult {
    va >>>= 0;
    if (va >= KERNEL_BASE) return { kind: 'segv', reason: 'kernel address' };
    const v = this.vmas.find(va);
    if (!v)
      return this.skippedGuard(va, sp) ? 'stack-overflow' : { kind: 'segv', reason: 'unmapped address' };
    if (v.kind === 'guard') return 'stack-overflow';
    const need = access === 'write' ? PROT_WRITE : access === 'exec' ? PROT_EXEC : PROT_READ;
    if ((v.prot & need) === 0) return { kind: 'segv', vma: v, reason: `${access} not permitted` };
    const page = alignDown(va);
    const pte = this.pt.get(page);
    if (pte === 0) {
      const anon = v.backing === 'anon';
      const why = anon ? this.cannotAllocate(1) : null;
      if (why) return { kind: 'segv', vma: v, reason: why };
      const pa = anon ? this.pool.allocZeroed() : v.paddr + (page - v.start);
      if (pa === -1) return { kind: 'segv', vma: v, reason: 'out of memory' };
      if (!this.pt.set(page, makePte(pa, userPteFlags(v.prot, false)))) {
        if (anon) this.pool.unref(pa);
        return { kind: 'segv', vma: v, reason: 'out of memory' };
      }
      if (anon) this.resident++;
      return 'resolved';
    }
    if (access === 'write' && pte & PTE_COW) {
      const pa = ptePa(pte);
      if (this.pool.refCount(pa) === 1) {
        this.pt.set(page, makePte(pa, userPteFlags(v.prot, false)));
      } else {
        const why = this.cannotAllocate(0);
        if (why) return { kind: 'segv', vma: v, reason: why };
        const copy = this.pool.alloc();
        if (copy === -1) return { kind: 'segv', vma: v, reason: 'out of memory' };
        const m = this.pool.mem;
        m.u8.copyWithin(m.offset(copy), m.offset(pa), m.offset(pa) + PAGE_SIZE);
        this.onKernelWrite?.(copy, PAGE_SIZE);
        this.pool.unref(pa);
        this.pt.set(page, makePte(copy, userPteFlags(v.prot, false)));
      }
      this.generation++;
      return 'resolved';
    }
    const bit = access === 'write' ? PTE_W : access === 'exec' ? PTE_X : PTE_R;
    if ((pte & PTE_V) === 0 || (pte & bit) === 0) {
      // The PTE disagrees with the VMA (should not happen): rebuild it from the VMA.
      this.pt.set(page, makePte(ptePa(pte), userPteFlags(v.prot, (pte & PTE_COW) !== 0)));
    }
    return 'resolved'; // spurious: a stale TLB entry
  }

  /** Physical address for a user va if the MMU would allow `access` from U-mode now, else -1. */
  translate(va: number, access: FaultAccess): number {
    va >>>= 0;
    if (va >= KERNEL_BASE) return -1;
    const bit = access === 'write' ? PTE_W : access === 'exec' ? PTE_X : PTE_R;
    const vpn = va >>> 12;
    // A system call's copies touch the same page or two again and again (a FIPC recv checks its
    // buffer, then copies out to it): the last page's PTE is kept while the table is unchanged.
    let pte: number;
    if (vpn === this.lastVpn && this.pt.version === this.lastVersion) pte = this.lastPte;
    else {
      pte = this.pt.get(va);
      this.lastVpn = vpn;
      this.lastPte = pte;
      this.lastVersion = this.pt.version;
    }
    if ((pte & PTE_V) === 0 || (pte & bit) === 0) return -1;
    return ptePa(pte) + (va & PAGE_MASK);
  }

  // ---- user memory access for syscalls (-EFAULT, never a throw) ----

  copyIn(va: number, len: number): Uint8Array | number {
    return copyIn(this, va, len);
  }

  /** Offset in pool.mem.u8 of user byte va for `access` (faults resolved), or -EFAULT. */
  userOffset(va: number, access: FaultAccess): number {
    return userOffset(this, va, access);
  }

  copyOut(va: number, bytes: Uint8Array): number {
    return copyOut(this, va, bytes);
  }

  readString(va: number, max: number): string | number {
    return readString(this, va, max);
  }

  readCString(va: number, max: number): Uint8Array | number {
    return readCString(this, va, max);
  }

  checkRange(va: number, len: number, write: boolean): number {
    return checkRange(this, va, len, write);
  }

  /** Kernel write ignoring protections (the loader filling text pages). 0 or -EFAULT. */
  kernelWrite(va: number, bytes: Uint8Array): number {
    const mem = this.pool.mem;
    for (let done = 0; done < bytes.length;) {
      const a = (va + done) >>> 0;
      if (a >= KERNEL_BASE || !this.vmas.find(a)) return -EFAULT;
      let pte = this.pt.get(alignDown(a));
      if (pte === 0 && this.handleFault(a, 'read') === 'resolved') pte = this.pt.get(alignDown(a));
      if (pte === 0 || !mem.contains(ptePa(pte))) return -EFAULT;
      // Never write through a frame another address space still shares.
      if (pte & PTE_COW && this.pool.refCount(ptePa(pte)) > 1) return -EFAULT;
      const n = Math.min(bytes.length - done, PAGE_SIZE - (a & PAGE_MASK));
      mem.u8.set(bytes.subarray(done, done + n), mem.offset(ptePa(pte) + (a & PAGE_MASK)));
      this.onKernelWrite?.(ptePa(pte) + (a & PAGE_MASK), n);
      done += n;
    }
    return 0;
  }

  // ---- internals ----

  /**
   * Why `more` new anonymous frames (plus one for a COW copy when 0) cannot be had: the space's quota
   * or the pool's kernel reserve (reasons start with "out of memory"); null when they can.
   */
  cannotAllocate(more: number): string | null {
    if (this.resident + more > this.frameQuota)
      return `out of memory: task quota of ${this.frameQuota} frames reached`;
    if (this.pool.free - Math.max(more, 1) < this.reserveFrames)
      return `out of memory: frame pool down to the kernel reserve (${this.pool.free} free)`;
    return null;
  }

  private populate(v: Vma): number {
    if (v.backing === 'anon' && this.cannotAllocate((v.end - v.start) / PAGE_SIZE)) return -ENOMEM;
    for (let va = v.start; va < v.end; va += PAGE_SIZE) {
      const pa = v.backing === 'phys' ? v.paddr + (va - v.start) : this.pool.allocZeroed();
      const ok = pa !== -1 && this.pt.set(va, makePte(pa, userPteFlags(v.prot, false)));
      if (!ok) {
        if (pa !== -1 && v.backing === 'anon') this.pool.unref(pa);
        this.dropPages(v, v.start, va);
        return -ENOMEM;
      }
      if (v.backing === 'anon') this.resident++;
    }
    this.vmas.insert(v);
    this.vmas.coalesce();
    return 0;
  }

  private unmapRange(start: number, end: number): void {
    for (const v of this.vmas.carve(start, end)) {
      if (v.kind === 'kernel') throw new Error('mm: attempt to unmap the kernel half');
      this.dropPages(v, v.start, v.end);
      if (v.kind === 'mmap') this.mmapBytes -= v.end - v.start;
    }
    this.generation++;
  }

  private dropPages(v: Vma, start: number, end: number): void {
    const anon = v.backing === 'anon';
    const cleared = this.pt.clearRange(start, end, anon);
    if (anon) this.resident -= cleared;
  }

  private mmapBytesIn(start: number, end: number): number {
    let n = 0;
    for (const v of this.vmas.all)
      if (v.kind === 'mmap') n += Math.max(0, Math.min(end, v.end) - Math.max(start, v.start));
    return n;
  }

  /**
   * A frame bigger than the guard page jumps over it: sp and the faulting address then both lie in
   * the unmapped gap right below the guard (nothing mapped between them and it, sp within
   * SKIP_REACH of it), the address at most a page under sp. A wild sp elsewhere, or a thread on a
   * stack of its own, is not this.
   */
  private skippedGuard(va: number, sp: number | undefined): boolean {
    if (sp === undefined || this.vmas.find(STACK_GUARD)?.kind !== 'guard') return false;
    sp >>>= 0;
    if (sp >= STACK_GUARD || sp < STACK_GUARD - SKIP_REACH) return false;
    if (va >= STACK_GUARD || va + PAGE_SIZE <= sp) return false;
    return this.vmas.isFree(alignDown(Math.min(sp, va)), STACK_GUARD);
  }

  private findGap(base: number, len: number): number {
    let cursor = alignUp(base);
    for (const v of this.vmas.all) {
      if (v.end <= cursor) continue;
      if (v.start >= cursor + len) break;
      cursor = v.end;
    }
    return cursor + len <= USER_END ? cursor : -1;
  }

  private assertLive(): void {
    if (this.refs <= 0) throw new Error('mm: use of a released address space');
  }

  /** The kernel-half level-1 entries this space shares with every other (for tests and views). */
  get kernelEntries(): Uint32Array {
    return this.kernel;
  }
}
