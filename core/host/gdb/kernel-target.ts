// A DebugTarget for one task of a running Futura kernel: the task's registers (on the hart while it
// is loaded, else its saved context), its address space through its page table, and resumption by
// running the whole kernel (other tasks keep running) until the task hits a breakpoint or ends.

import type { Kernel } from '../../kernel/boot/kernel';
import type { Thread } from '../../kernel/task';
import { TaskAccess } from '../debug/task-access';
import type { DebugTarget, ResumeControl, StopReason } from './stub';
import { REG_F0, REG_FCSR, REG_FFLAGS, REG_FRM, REG_PC } from './target-xml';

/** Kernel instructions between checks for an interrupt from the debugger. */
const CHUNK = 200_000;
/** Steps without progress (a blocked ecall) before a step reports anyway. */
const STEP_PATIENCE = 1_000_000;

const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** When every task waits (for console input, say), poll gently instead of spinning. */
const idlePause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

export class KernelDebugTarget implements DebugTarget {
  private readonly task: TaskAccess;

  constructor(kernel: Kernel, pid: number) {
    this.task = new TaskAccess(kernel, pid);
  }

  private get kernel(): Kernel {
    return this.task.kernel;
  }

  private thread(): Thread | null {
    return this.task.thread();
  }

  readRegister(n: number): bigint | null {
    const r = this.task.regs();
    if (!r) return null;
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
    const r = this.task.regs();
    if (!r) return false;
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

  readMemory(addr: number, len: number): Uint8Array | null {
    return this.task.readMemory(addr, len);
  }

  writeMemory(addr: number, bytes: Uint8Array): boolean {
    return this.task.writeMemory(addr, bytes);
  }

  private ended(): StopReason | null {
    const e = this.task.ending();
    if (!e) return null;
    return 'signal' in e ? { kind: 'signalled', signal: e.signal } : { kind: 'exited', code: e.code };
  }

  async resume(mode: 'step' | 'continue', ctl: ResumeControl): Promise<StopReason> {
    return mode === 'step' ? this.step(ctl) : this.continue(ctl);
  }

  private async step(ctl: ResumeControl): Promise<StopReason> {
    const th = this.thread();
    if (!th) return this.ended() ?? { kind: 'step' };
    const start = this.task.pc();
    for (let n = 0; n < STEP_PATIENCE; n++) {
      const out = this.kernel.run(1);
      const end = this.ended();
      if (end) return end;
      if (this.task.pc() !== start) return { kind: 'step' };
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
          if (!first && runnable && ctl.breakpoints.has(this.task.pc() ?? -1)) return { kind: 'breakpoint' };
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
    this.kernel.killTask(this.task.pid, 9, 'killed by the debugger');
  }
}
