// fut_pmm: the physical frame allocator. Frames are 4 KiB pages of RAM; a LIFO stack of free frame
// numbers gives O(1) alloc/free, and a per-frame reference count lets copy-on-write share frames
// between address spaces. The low `reserved` bytes of RAM belong to the kernel and are never handed out.

import { PAGE_SIZE, type PhysicalMemory } from '../../machine/memory';

export interface FramePoolOptions {
  /** Bytes at the start of RAM kept for the kernel (rounded up to whole frames). Default 0. */
  reservedBytes?: number;
  /** Allocate at most this many frames (for tests of out-of-memory paths). Default: all of RAM. */
  limitFrames?: number;
}

export interface FrameCounters {
  readonly total: number;
  readonly reserved: number;
  readonly free: number;
  readonly used: number;
}

export class FramePool {
  readonly mem: PhysicalMemory;
  /** Frames the allocator manages (RAM frames minus the reserved ones). */
  readonly total: number;
  readonly reserved: number;
  private readonly nFrames: number;
  private readonly refs: Uint32Array;
  private readonly stack: Int32Array;
  private top = 0;

  constructor(mem: PhysicalMemory, opts: FramePoolOptions = {}) {
    this.mem = mem;
    this.nFrames = mem.size / PAGE_SIZE;
    this.reserved = Math.min(this.nFrames, Math.ceil((opts.reservedBytes ?? 0) / PAGE_SIZE));
    const usable = this.nFrames - this.reserved;
    this.total = Math.min(usable, opts.limitFrames ?? usable);
    this.refs = new Uint32Array(this.nFrames);
    this.stack = new Int32Array(this.total);
    // Push highest first so the lowest frames are handed out first (deterministic, easy to read).
    for (let i = this.reserved + this.total - 1; i >= this.reserved; i--) this.stack[this.top++] = i;
    // Reserved frames are permanently referenced so a stray free of one is caught.
    for (let i = 0; i < this.reserved; i++) this.refs[i] = 1;
    // Frames beyond limitFrames are treated like reserved ones.
    for (let i = this.reserved + this.total; i < this.nFrames; i++) this.refs[i] = 1;
  }

  get free(): number {
    return this.top;
  }

  get used(): number {
    return this.total - this.top;
  }

  counters(): FrameCounters {
    return { total: this.total, reserved: this.reserved, free: this.free, used: this.used };
  }

  /** Allocates one frame (refcount 1) and returns its physical address, or -1 when RAM is exhausted. */
  alloc(): number {
    if (this.top === 0) return -1;
    const f = this.stack[--this.top]!;
    this.refs[f] = 1;
    return this.mem.base + f * PAGE_SIZE;
  }

  /** Like alloc, but the frame is filled with zeroes. */
  allocZeroed(): number {
    const pa = this.alloc();
    if (pa !== -1) this.mem.u8.fill(0, pa - this.mem.base, pa - this.mem.base + PAGE_SIZE);
    return pa;
  }

  /** Adds a reference to an allocated frame (sharing it, e.g. for copy-on-write). */
  ref(pa: number): void {
    const f = this.frameOf(pa);
    if (this.refs[f] === 0) throw new Error(`pmm: ref of free frame 0x${(pa >>> 0).toString(16)}`);
    this.refs[f]!++;
  }

  /** Drops a reference; the frame returns to the free stack when the count reaches 0. Returns the new count. */
  unref(pa: number): number {
    const f = this.frameOf(pa);
    if (f < this.reserved || f >= this.reserved + this.total)
      throw new Error(`pmm: free of unmanaged frame 0x${(pa >>> 0).toString(16)}`);
    const r = this.refs[f]!;
    if (r === 0) throw new Error(`pmm: double free of frame 0x${(pa >>> 0).toString(16)}`);
    this.refs[f] = r - 1;
    if (r === 1) this.stack[this.top++] = f;
    return r - 1;
  }

  refCount(pa: number): number {
    return this.refs[this.frameOf(pa)]!;
  }

  /** True when pa is a frame this pool manages (not reserved, inside RAM). */
  manages(pa: number): boolean {
    if (!this.mem.contains(pa)) return false;
    const f = Math.floor((pa - this.mem.base) / PAGE_SIZE);
    return f >= this.reserved && f < this.reserved + this.total;
  }

  /** Throws if the free stack and the reference counts disagree (a kernel bug). */
  checkInvariants(): void {
    const seen = new Uint8Array(this.nFrames);
    for (let i = 0; i < this.top; i++) {
      const f = this.stack[i]!;
      if (f < this.reserved || f >= this.reserved + this.total)
        throw new Error(`pmm: foreign frame ${f} on free stack`);
      if (seen[f]) throw new Error(`pmm: frame ${f} twice on free stack`);
      if (this.refs[f] !== 0) throw new Error(`pmm: free frame ${f} has refcount ${this.refs[f]}`);
      seen[f] = 1;
    }
    let used = 0;
    for (let f = this.reserved; f < this.reserved + this.total; f++) {
      if (!seen[f]) {
        if (this.refs[f] === 0) throw new Error(`pmm: frame ${f} lost (refcount 0, not free)`);
        used++;
      }
    }
    if (used !== this.used) throw new Error(`pmm: used ${this.used} but ${used} frames referenced`);
  }

  private frameOf(pa: number): number {
    const off = (pa >>> 0) - this.mem.base;
    if (off < 0 || off >= this.mem.size || off % PAGE_SIZE !== 0)
      throw new Error(`pmm: bad frame address 0x${(pa >>> 0).toString(16)}`);
    return off / PAGE_SIZE;
  }
}
