// A DebugTarget for one task of a running Futura kernel: the task's registers (on the hart while it
// is loaded, else its saved context), its address space through its page table, and resumption by
// running the whole kernel (other tasks keep running) until the task hits a breakpoint or ends.

import type { Kernel } from '../../kernel/boot/kernel';
import type { Thread } from '../../kernel/task';
import type { DebugTarget, ResumeControl, StopReason } from './stub';
import { REG_F0, REG_FCSR, REG_FFLAGS, REG_FRM, REG_PC } from './target-xml';

/** Registers of a thread wherever they live right now. */
interface RegView {
  readonly x: Int32Array;
  readonly f: Uint32Array;
  getPc(): number;
  setPc(v: number): void;
  fflags: number;
  frm: number;
}

/** Kernel instructions between checks for an interrupt from the debugger. */
const CHUNK = 200_000;
/** Steps without progress (a blocked ecall) before a step reports anyway. */
const STEP_PATIENCE = 1_000_000;

const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** When every task waits (for console input, say), poll gently instead of spinning. */
const idlePause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** The thread whose registers are on the hart. Kernel keeps it private; the debugger needs it. */
function loadedThread(k: Kernel): Thread | null {
  return (k as unknown as { loaded: Thread | null }).loaded;
}

export class KernelDebugTarget implements DebugTarget {
  constructor(
    private readonly kernel: Kernel,
    readonly pid: number,
  ) {}

  private thread(): Thread | null {
    const task = this.kernel.tasks.get(this.pid);
    if (!task || task.state !== 'alive') return null;
    return task.mainThread ?? null;
  }

  private view(th: Thread): RegView {
    const h = this.kernel.board.hart;
    if (loadedThread(this.kernel) === th) {
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

  readRegister(n: number): bigint | null {
    const th = this.thread();
    if (!th) return null;
    const r = this.view(th);
    if (n >= 0 && n < 32) return BigInt(r.x[n]! >>> 0);
    if (n === REG_PC) return BigInt(r.getPc());
    if (n >= REG_F0 && n < REG_F0 + 32) {
      const i = n - REG_F0;
      return (BigInt(r.f[2 * i + 1]!) << 32n) | BigInt(r.f[2 * i]!);
    }
    if (n === REG_FFLAGS) return BigInt(r.fflags);
    if (n === REG_FRM) return BigInt(r.frm);
    if (n === REG_FCSR) return BigInt((r.frm << 5) | r.fflags);
    return null;
  }

  writeRegister(n: number, value: bigint): boolean {
    const th = this.thread();
    if (!th) return false;
    const r = this.view(th);
    const lo = Number(value & 0xffffffffn);
    if (n > 0 && n < 32) r.x[n] = lo | 0;
    else if (n === 0) return true;
    else if (n === REG_PC) r.setPc(lo);
    else if (n >= REG_F0 && n < REG_F0 + 32) {
      const i = n - REG_F0;
      r.f[2 * i] = lo;
      r.f[2 * i + 1] = Number((value >> 32n) & 0xffffffffn);
    } else if (n === REG_FFLAGS) r.fflags = lo & 0x1f;
    else if (n === REG_FRM) r.frm = lo & 7;
    else if (n === REG_FCSR) {
      r.fflags = lo & 0x1f;
      r.frm = (lo >> 5) & 7;
    } else return false;
    return true;
  }

  /** Physical address of a user byte the debugger may read, without faulting pages in. */
  private physical(va: number): number {
    const mm = this.thread()?.task.mm;
    if (!mm) return -1;
    const pa = mm.translate(va, 'read');
    return pa !== -1 ? pa : mm.translate(va, 'exec');
  }

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

  /** Writes like ptrace: text pages too; writable pages get their copy-on-write broken first. */
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

  private ended(): StopReason | null {
    if (this.thread()) return null;
    const status = this.kernel.exits.get(this.pid) ?? 0;
    const sig = status & 0x7f;
    return sig ? { kind: 'signalled', signal: sig } : { kind: 'exited', code: (status >> 8) & 0xff };
  }

  async resume(mode: 'step' | 'continue', ctl: ResumeControl): Promise<StopReason> {
    return mode === 'step' ? this.step(ctl) : this.continue(ctl);
  }

  private async step(ctl: ResumeControl): Promise<StopReason> {
    const th = this.thread();
    if (!th) return this.ended() ?? { kind: 'step' };
    const start = this.view(th).getPc();
    for (let n = 0; n < STEP_PATIENCE; n++) {
      const out = this.kernel.run(1);
      const end = this.ended();
      if (end) return end;
      if (this.view(th).getPc() !== start) return { kind: 'step' };
      if (out === 'idle' || n % 4096 === 4095) {
        await yieldToHost(); // let console input or an interrupt arrive
        if (ctl.interrupted()) return { kind: 'interrupt' };
      }
    }
    return { kind: 'step' };
  }

  private async continue(ctl: ResumeControl): Promise<StopReason> {
    let first = true;
    for (;;) {
      if (ctl.breakpoints.size === 0) {
        const out = this.kernel.run(CHUNK);
        const end = this.ended();
        if (end) return end;
        if (out === 'idle') await idlePause();
      } else {
        for (let i = 0; i < CHUNK / 100; i++) {
          const th = this.thread();
          if (!th) break;
          const runnable = th.state === 'running' || th.state === 'ready';
          if (!first && runnable && ctl.breakpoints.has(this.view(th).getPc())) return { kind: 'breakpoint' };
          first = false;
          if (this.kernel.run(1) === 'idle') {
            await idlePause();
            break;
          }
        }
        const end = this.ended();
        if (end) return end;
      }
      await yieldToHost();
      if (ctl.interrupted()) return { kind: 'interrupt' };
    }
  }

  kill(): void {
    this.kernel.killTask(this.pid, 9, 'killed by the debugger');
  }
}
