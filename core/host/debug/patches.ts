// Software breakpoints the way a debugger does them on real hardware: an ebreak written over the
// instruction (c.ebreak over a compressed one), the original kept to be shown in memory views
// and put back to step over it. Keyed by physical address, so tasks sharing a text frame after
// fork share the patch; the kernel hands back the ebreaks we claim (Kernel.onEbreak).
import type { Kernel } from '../../kernel/boot/kernel';
import type { Task } from '../../kernel/task';

const EBREAK = Uint8Array.of(0x73, 0x00, 0x10, 0x00);
const C_EBREAK = Uint8Array.of(0x02, 0x90);

interface Patch {
  pa: number;
  original: Uint8Array;
}

export class BreakpointPatches {
  private readonly patches = new Map<number, Patch>();

  constructor(private readonly kernel: Kernel) {}

  get size(): number {
    return this.patches.size;
  }

  private physical(task: Task, va: number): number {
    const mm = task.mm;
    if (!mm) return -1;
    const pa = mm.translate(va >>> 0, 'exec');
    return pa !== -1 && this.kernel.board.ram.contains(pa, 4) ? pa : -1;
  }

  private write(pa: number, bytes: Uint8Array): void {
    const ram = this.kernel.board.ram;
    ram.u8.set(bytes, ram.offset(pa));
    this.kernel.board.hart.invalidateCode(pa, bytes.length);
  }

  private bytesAt(pa: number, n: number): Uint8Array {
    const ram = this.kernel.board.ram;
    const off = ram.offset(pa);
    return ram.u8.slice(off, off + n);
  }

  /** Makes the patches exactly those of `want` (addresses by live task); new tasks get theirs. */
  sync(want: (task: Task) => readonly number[]): void {
    const wanted = new Set<number>();
    for (const task of this.kernel.tasks.all()) {
      if (task.state !== 'alive') continue;
      for (const va of want(task)) {
        const pa = this.physical(task, va);
        if (pa < 0) continue;
        wanted.add(pa);
        if (this.patches.has(pa)) continue;
        const lo = this.bytesAt(pa, 2);
        const compressed = (lo[0]! & 3) !== 3;
        const original = this.bytesAt(pa, compressed ? 2 : 4);
        this.patches.set(pa, { pa, original });
        this.write(pa, compressed ? C_EBREAK : EBREAK);
      }
    }
    for (const [pa, p] of this.patches) if (!wanted.has(pa)) this.restore(p);
  }

  private restore(p: Patch): void {
    this.patches.delete(p.pa);
    // A frame freed and reused since holds someone else's bytes now: leave those alone.
    const now = this.bytesAt(p.pa, p.original.length);
    const mine = p.original.length === 2 ? C_EBREAK : EBREAK;
    if (now.every((b, i) => b === mine[i])) this.write(p.pa, p.original);
  }

  removeAll(): void {
    for (const p of [...this.patches.values()]) this.restore(p);
  }

  /** True when the task's `va` holds one of our ebreaks. */
  isPatched(task: Task, va: number): boolean {
    const pa = this.physical(task, va);
    return pa >= 0 && this.patches.has(pa);
  }

  /** Runs `fn` with the original instruction at `va` back in place (to step over a breakpoint). */
  withOriginal<T>(task: Task, va: number, fn: () => T): T {
    const pa = this.physical(task, va);
    const p = pa >= 0 ? this.patches.get(pa) : undefined;
    if (!p) return fn();
    this.write(pa, p.original);
    try {
      return fn();
    } finally {
      if (this.patches.has(pa)) this.write(pa, p.original.length === 2 ? C_EBREAK : EBREAK);
    }
  }

  /** Memory as the program wrote it: our ebreaks replaced by the instructions they cover. */
  overlay(task: Task, address: number, bytes: Uint8Array): Uint8Array {
    if (this.patches.size === 0) return bytes;
    const out = bytes.slice();
    for (let i = 0; i < out.length; i += 2) {
      const pa = this.physical(task, address + i);
      const p = pa >= 0 ? this.patches.get(pa) : undefined;
      if (p) for (let k = 0; k < p.original.length && i + k < out.length; k++) out[i + k] = p.original[k]!;
    }
    return out;
  }
}
