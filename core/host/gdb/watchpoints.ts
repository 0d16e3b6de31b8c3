// Write watchpoints for the GDB stub and the IDE's debugger. The watched bytes' physical pages are
// kept out of the MMU's write TLB (PF_HOOK), so each store to them takes the slow path and reaches
// Mmu.onHookWrite; a store by the watched task that overlaps a watched range halts the hart right
// after it retires (the kernel's run returns, the thread's pc on the next instruction), whether or
// not the value changed. Stores the kernel makes on a task's behalf (read() filling a buffer) do not
// go through the MMU: after each of the task's system calls the watched bytes are compared with a
// copy, and a difference halts the same way, right after the ecall. Nothing is protected, so
// nothing costs anything, while no watchpoint is set.
import type { Kernel } from '../../kernel/boot/kernel';
import type { FaultAccess, FaultResult, FutMm } from '../../kernel/mm';
import { PF_HOOK } from '../../machine/mmu';

interface Watch {
  pid: number;
  va: number;
  len: number;
  /** RAM offsets of the watched bytes' pages as last resolved: [ram offset of va's page, …]. */
  spans: { off: number; va: number; n: number }[];
  /** The watched bytes as last seen (what a kernel store is detected against), span by span. */
  copy: Uint8Array;
}

export interface WatchHit {
  pid: number;
  /** The watched address the store touched (inside the range GDB asked for). */
  address: number;
}

type FaultFn = (va: number, access: FaultAccess) => FaultResult;

export class WriteWatches {
  private readonly watches: Watch[] = [];
  /** Pages this class set PF_HOOK on (and may clear again). */
  private readonly protectedPages = new Set<number>();
  private prevHook: ((off: number, width: number) => void) | null = null;
  private prevSyscall: Kernel['onSyscallServed'] = null;
  /** Address spaces whose page faults re-resolve the watches (a COW copy moves a page). */
  private readonly wrapped = new Map<FutMm, FaultFn>();
  /** Set when a watched store halted the hart; taken by `take()`. */
  private hit: WatchHit | null = null;
  private resyncing = false;

  constructor(private readonly kernel: Kernel) {}

  get size(): number {
    return this.watches.length;
  }

  add(pid: number, va: number, len: number): boolean {
    if (len <= 0 || len > 4096) return false;
    const task = this.kernel.tasks.get(pid);
    if (!task || task.state !== 'alive' || !task.mm) return false;
    if (this.watches.some((w) => w.pid === pid && w.va === va >>> 0 && w.len === len)) return true;
    this.watches.push({ pid, va: va >>> 0, len, spans: [], copy: new Uint8Array(0) });
    this.sync();
    return true;
  }

  remove(pid: number | null, va: number, len: number): boolean {
    const i = this.watches.findIndex(
      (w) => (pid === null || w.pid === pid) && w.va === va >>> 0 && w.len === len,
    );
    if (i < 0) return false;
    this.watches.splice(i, 1);
    this.sync();
    return true;
  }

  clear(): void {
    this.watches.length = 0;
    this.sync();
  }

  /** The hit since the last call, if a watched store halted the hart (the halt is undone). */
  take(): WatchHit | null {
    const h = this.hit;
    if (h) {
      this.hit = null;
      this.kernel.board.hart.halted = false;
      for (const w of this.watches) this.snapshot(w);
    }
    return h;
  }

  /** Re-resolves every watch to the physical pages its task maps now, and protects exactly those. */
  sync(): void {
    if (this.resyncing) return; // a fault taken while resolving (COW broken here) is covered
    this.resyncing = true;
    try {
      this.resolve();
    } finally {
      this.resyncing = false;
    }
  }

  private resolve(): void {
    const mmu = this.kernel.board.hart.mmu;
    const ram = this.kernel.board.ram;
    const want = new Set<number>();
    const mms = new Set<FutMm>();
    for (const w of this.watches) {
      w.spans = [];
      const task = this.kernel.tasks.get(w.pid);
      const mm = task?.state === 'alive' ? task.mm : null;
      if (!mm) continue;
      mms.add(mm);
      for (let a = w.va; a < w.va + w.len;) {
        const n = Math.min(w.va + w.len - a, 4096 - (a & 4095));
        // A copy-on-write page is made private now, as a debugger's write would, so the store
        // the program makes lands on the frame that is watched.
        if (mm.translate(a, 'write') === -1 && mm.translate(a, 'read') !== -1) mm.handleFault(a, 'write');
        const pa = mm.translate(a, 'write');
        if (pa !== -1 && ram.contains(pa, n)) {
          const off = ram.offset(pa);
          w.spans.push({ off, va: a, n });
          want.add(off >>> 12);
        }
        a += n;
      }
      this.snapshot(w);
    }
    for (const page of want) {
      if (this.protectedPages.has(page)) continue;
      if ((mmu.pageFlags[page]! & PF_HOOK) !== 0) continue; // someone else's hook page: leave it theirs
      mmu.protectPage(page, PF_HOOK);
      this.protectedPages.add(page);
    }
    for (const page of this.protectedPages) {
      if (want.has(page)) continue;
      mmu.unprotectPage(page, PF_HOOK);
      this.protectedPages.delete(page);
    }
    this.hook(this.watches.length > 0);
    this.wrapFaults(mms);
  }

  private hook(on: boolean): void {
    const mmu = this.kernel.board.hart.mmu;
    if (on && !this.prevHook) {
      const prev = mmu.onHookWrite;
      this.prevHook = prev;
      mmu.onHookWrite = (off, width) => {
        prev(off, width);
        this.stored(off, width);
      };
      const prevSyscall = this.kernel.onSyscallServed;
      this.prevSyscall = prevSyscall;
      this.kernel.onSyscallServed = (th, nr) => {
        prevSyscall?.(th, nr);
        this.kernelStored(th.task.pid);
      };
    } else if (!on && this.prevHook) {
      mmu.onHookWrite = this.prevHook;
      this.prevHook = null;
      this.kernel.onSyscallServed = this.prevSyscall;
      this.prevSyscall = null;
    }
  }

  private snapshot(w: Watch): void {
    const u8 = this.kernel.board.ram.u8;
    const copy = new Uint8Array(w.spans.reduce((t, s) => t + s.n, 0));
    let at = 0;
    for (const s of w.spans) {
      copy.set(u8.subarray(s.off, s.off + s.n), at);
      at += s.n;
    }
    w.copy = copy;
  }

  /** After a system call of `pid`: the first watched byte the kernel changed, as a hit. */
  private kernelStored(pid: number): void {
    if (this.hit) return;
    const u8 = this.kernel.board.ram.u8;
    for (const w of this.watches) {
      if (w.pid !== pid) continue;
      let at = 0;
      for (const s of w.spans) {
        for (let i = 0; i < s.n; i++)
          if (u8[s.off + i] !== w.copy[at + i]) {
            this.hit = { pid, address: (s.va + i) >>> 0 };
            this.kernel.board.hart.halt();
            return;
          }
        at += s.n;
      }
    }
  }

  /** A page fault in a watched address space may map or copy a watched page: resolve again. */
  private wrapFaults(mms: Set<FutMm>): void {
    for (const [mm, orig] of this.wrapped) {
      if (mms.has(mm)) continue;
      mm.handleFault = orig;
      this.wrapped.delete(mm);
    }
    for (const mm of mms) {
      if (this.wrapped.has(mm)) continue;
      const orig = mm.handleFault;
      this.wrapped.set(mm, orig);
      mm.handleFault = (va, access) => {
        const r = orig.call(mm, va, access);
        if (r === 'resolved') this.sync();
        return r;
      };
    }
  }

  private stored(off: number, width: number): void {
    if (this.hit) return;
    const current = this.kernel.sched.current;
    const pid = current?.task.pid;
    for (const w of this.watches) {
      if (w.pid !== pid) continue;
      for (const s of w.spans) {
        if (off >= s.off + s.n || off + width <= s.off) continue;
        const first = Math.max(off, s.off);
        this.hit = { pid: w.pid, address: (s.va + (first - s.off)) >>> 0 };
        this.kernel.board.hart.halt(); // the kernel's run returns after this store
        return;
      }
    }
  }
}
