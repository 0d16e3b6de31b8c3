// Debugger access to one task of a running kernel: its registers (on the hart while the task is
// loaded, else in its saved context) and its memory through its page table, read without
// faulting pages in and written like ptrace (text too; copy-on-write broken for writable pages).

import type { Kernel } from '../../kernel/boot/kernel';
import type { Thread } from '../../kernel/task';

/** Registers of a thread wherever they live right now. */
export interface RegView {
  readonly x: Int32Array;
  /** f0–f31 as raw 64-bit pairs (low word first). */
  readonly f: Uint32Array;
  getPc(): number;
  setPc(v: number): void;
  fflags: number;
  frm: number;
}

/** The thread whose registers are on the hart. Kernel keeps it private; the debugger needs it. */
function loadedThread(k: Kernel): Thread | null {
  return (k as unknown as { loaded: Thread | null }).loaded;
}

function hartView(k: Kernel): RegView {
  const h = k.board.hart;
  return {
    x: h.x,
    f: h.fp.u32,
    getPc: () => h.pc >>> 0,
    setPc: (v) => (h.pc = v >>> 0),
    get fflags() {
      return h.fp.fflags;
    },
    set fflags(v) {
      h.fp.fflags = v;
    },
    get frm() {
      return h.fp.frm;
    },
    set frm(v) {
      h.fp.frm = v;
    },
  };
}

function savedView(th: Thread): RegView {
  const c = th.ctx;
  return {
    x: c.x,
    f: c.f,
    getPc: () => c.pc >>> 0,
    setPc: (v) => (c.pc = v >>> 0),
    get fflags() {
      return c.fflags;
    },
    set fflags(v) {
      c.fflags = v;
    },
    get frm() {
      return c.frm;
    },
    set frm(v) {
      c.frm = v;
    },
  };
}

export class TaskAccess {
  constructor(
    readonly kernel: Kernel,
    readonly pid: number,
  ) {}

  /** The task's main thread while the task is alive. */
  thread(): Thread | null {
    const task = this.kernel.tasks.get(this.pid);
    if (!task || task.state !== 'alive') return null;
    return task.mainThread ?? null;
  }

  regs(): RegView | null {
    const th = this.thread();
    if (!th) return null;
    return loadedThread(this.kernel) === th ? hartView(this.kernel) : savedView(th);
  }

  pc(): number | null {
    return this.regs()?.getPc() ?? null;
  }

  /** Physical address of a user byte the debugger may read, without faulting pages in. */
  private physical(va: number): number {
    const mm = this.thread()?.task.mm;
    if (!mm) return -1;
    const pa = mm.translate(va, 'read');
    return pa !== -1 ? pa : mm.translate(va, 'exec');
  }

  /** Bytes at [addr, addr+len); a shorter result where the mapping ends; null if nothing is readable. */
  readMemory(addr: number, len: number): Uint8Array | null {
    const out = new Uint8Array(len);
    const ram = this.kernel.board.ram;
    for (let i = 0; i < len;) {
      const va = (addr + i) >>> 0;
      const pa = this.physical(va);
      if (pa < 0 || !ram.contains(pa)) return i === 0 ? null : out.subarray(0, i);
      const n = Math.min(len - i, 4096 - (va & 4095));
      const off = ram.offset(pa);
      out.set(ram.u8.subarray(off, off + n), i);
      i += n;
    }
    return out;
  }

  readU32(addr: number): number | null {
    const b = this.readMemory(addr, 4);
    if (!b || b.length < 4) return null;
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  writeMemory(addr: number, bytes: Uint8Array): boolean {
    const mm = this.thread()?.task.mm;
    if (!mm) return false;
    const ram = this.kernel.board.ram;
    for (let i = 0; i < bytes.length;) {
      const va = (addr + i) >>> 0;
      if (mm.translate(va, 'write') === -1) mm.handleFault(va, 'write');
      let pa = mm.translate(va, 'write');
      if (pa === -1) pa = this.physical(va);
      if (pa < 0 || !ram.contains(pa)) return false;
      const n = Math.min(bytes.length - i, 4096 - (va & 4095));
      ram.u8.set(bytes.subarray(i, i + n), ram.offset(pa));
      this.kernel.board.hart.invalidateCode(pa, n);
      i += n;
    }
    return true;
  }

  /** How the task ended, once it has: exit code or signal. */
  ending(): { code: number } | { signal: number } | null {
    if (this.thread()) return null;
    const status = this.kernel.exits.get(this.pid) ?? 0;
    const sig = status & 0x7f;
    return sig ? { signal: sig } : { code: (status >> 8) & 0xff };
  }
}
