// Virtual memory areas of a task: a sorted, non-overlapping list of [start, end) page ranges.

export type VmaKind = 'text' | 'data' | 'bss' | 'heap' | 'mmap' | 'stack' | 'guard' | 'kernel';

/** Where a VMA's pages come from: fresh zeroed frames, or fixed physical memory (device, e.g. fb0). */
export type VmaBacking = 'anon' | 'phys';

export interface Vma {
  start: number;
  end: number;
  /** PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4. */
  prot: number;
  kind: VmaKind;
  /** MAP_SHARED: fork shares the pages writable instead of copy-on-write. */
  shared: boolean;
  backing: VmaBacking;
  /** For 'phys' backing: the physical address that `start` maps to. */
  paddr: number;
}

export class VmaList {
  private list: Vma[] = [];

  get all(): readonly Vma[] {
    return this.list;
  }

  /** Index of the VMA containing va, or -1. */
  indexOf(va: number): number {
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.list[mid]!;
      if (va < v.start) hi = mid - 1;
      else if (va >= v.end) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  find(va: number): Vma | undefined {
    const i = this.indexOf(va);
    return i < 0 ? undefined : this.list[i];
  }

  /** True when no VMA intersects [start, end). */
  isFree(start: number, end: number): boolean {
    for (const v of this.list) if (v.start < end && start < v.end) return false;
    return true;
  }

  /** Inserts a VMA that must not overlap any other. */
  insert(v: Vma): void {
    if (v.start >= v.end || !this.isFree(v.start, v.end))
      throw new Error(`mm: bad VMA insert [0x${v.start.toString(16)}, 0x${v.end.toString(16)})`);
    let i = 0;
    while (i < this.list.length && this.list[i]!.start < v.start) i++;
    this.list.splice(i, 0, v);
  }

  /** Splits VMAs so that `at` is a boundary (no-op when it already is or lies outside every VMA). */
  splitAt(at: number): void {
    const i = this.indexOf(at);
    if (i < 0) return;
    const v = this.list[i]!;
    if (v.start === at) return;
    const right: Vma = { ...v, start: at, paddr: v.backing === 'phys' ? v.paddr + (at - v.start) : 0 };
    v.end = at;
    this.list.splice(i + 1, 0, right);
  }

  /** Removes and returns the VMAs inside [start, end), splitting the ones that straddle its edges. */
  carve(start: number, end: number): Vma[] {
    this.splitAt(start);
    this.splitAt(end);
    const out: Vma[] = [];
    this.list = this.list.filter((v) => {
      const inside = v.start >= start && v.end <= end;
      if (inside) out.push(v);
      return !inside;
    });
    return out;
  }

  /** The VMAs intersecting [start, end) after splitting at both edges (still in the list). */
  slice(start: number, end: number): Vma[] {
    this.splitAt(start);
    this.splitAt(end);
    return this.list.filter((v) => v.start >= start && v.end <= end);
  }

  /** Joins neighbours with identical attributes, so the list stays short and readable in the views. */
  coalesce(): void {
    const out: Vma[] = [];
    for (const v of this.list) {
      const p = out[out.length - 1];
      if (
        p &&
        p.end === v.start &&
        p.prot === v.prot &&
        p.kind === v.kind &&
        p.shared === v.shared &&
        p.backing === v.backing &&
        (v.backing !== 'phys' || p.paddr + (p.end - p.start) === v.paddr)
      )
        p.end = v.end;
      else out.push(v);
    }
    this.list = out;
  }

  clone(): VmaList {
    const c = new VmaList();
    c.list = this.list.map((v) => ({ ...v }));
    return c;
  }
}
