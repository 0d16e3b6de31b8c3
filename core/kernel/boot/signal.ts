// Signals (docs/signals.md): sending (default action, ignore, or mark pending and interrupt a
// blocked call), delivery on the way back to user mode (a frame on the user stack, the handler
// called with ra = SIGRETURN_VA), and rt_sigreturn (the frame restored). Faults are not signals
// here: they end the task with a report (kernel.ts).

import { SIGKILL } from '../abi';
import { EINTR } from '../errno';
import type { Kernel } from './kernel';
import type { Task, Thread } from '../task';
import {
  NSIG_STD,
  SA_RESETHAND,
  SA_RESTART,
  SA_NODEFER,
  SIG_DFL,
  SIG_IGN,
  UNCATCHABLE,
  ignoredByDefault,
} from '../task/signals';

/**
 * A handler returns here: an address in the supervisor-only kernel half, so the jump faults and the
 * trap loop turns the fault into rt_sigreturn (no trampoline in user memory is needed).
 */
export const SIGRETURN_VA = 0xffff_f000;
export const FRAME_MAGIC = 0x4647_4953; // 'SIGF'
export const FRAME_SIZE = 544;
const SIGINFO_OFF = 416;
const SI_USER = 0;
const SI_KERNEL = 0x80;

/**
 * Sends `sig` to a task from pid `from` (0 = the kernel). The default action happens at once
 * (terminate, or nothing); a caught signal becomes pending and a blocked call is cut short.
 */
export function sendSignal(k: Kernel, task: Task, sig: number, from: number, why?: string): void {
  if (task.state !== 'alive' || sig === 0) return;
  const st = task.signals;
  const std = sig < NSIG_STD;
  const handler = std ? st.handler[sig]! : SIG_DFL;
  const bit = std ? 1 << sig : 0;
  if (sig === SIGKILL || !std) {
    k.killTask(task, sig, why);
    return;
  }
  if (handler === SIG_IGN || (handler === SIG_DFL && ignoredByDefault(sig))) return;
  if (handler === SIG_DFL && (st.blocked & bit) === 0) {
    k.killTask(task, sig, why);
    return;
  }
  st.pending |= bit;
  st.sender[sig] = from;
  if (st.blocked & bit) return;
  for (const th of task.threads) interruptCall(k, th, (st.flags[sig]! & SA_RESTART) !== 0);
}

/** A blocked call ends with -EINTR (or runs again after the handler with SA_RESTART); a sleep with -EINTR. */
function interruptCall(k: Kernel, th: Thread, restart: boolean): void {
  const was = th.state;
  if (!k.sched.interrupt(th)) return;
  const ctx = th.ctx;
  if (was === 'blocked') {
    if (restart) return; // pc is still on the ecall: the call runs again
    th.retry = false;
    ctx.x[10] = -EINTR;
    ctx.pc = (ctx.pc + 4) >>> 0;
  } else if (was === 'sleeping') {
    ctx.x[10] = -EINTR; // nanosleep already moved past its ecall
    if (th.sleepRemVa !== 0) {
      const left = Math.max(0, th.sleepEndMs - k.clock.nowMs);
      const rem = new Uint8Array(8);
      const dv = new DataView(rem.buffer);
      dv.setInt32(0, Math.floor(left / 1000), true);
      dv.setInt32(4, (left % 1000) * 1_000_000, true);
      th.task.mm?.copyOut(th.sleepRemVa, rem);
    }
  }
  th.sleepRemVa = 0;
}

/**
 * Delivers the lowest deliverable pending signal to a thread whose context is saved (not on the
 * hart): a default action, or a frame on its stack and a jump to the handler.
 */
export function deliverSignal(k: Kernel, th: Thread): void {
  const task = th.task;
  const st = task.signals;
  const ready = st.deliverable;
  if (ready === 0) return;
  const sig = 31 - Math.clz32(ready & -ready);
  const bit = 1 << sig;
  st.pending &= ~bit;
  const handler = st.handler[sig]!;
  if (handler === SIG_IGN || (handler === SIG_DFL && ignoredByDefault(sig))) return;
  if (handler === SIG_DFL) {
    k.killTask(task, sig);
    return;
  }
  const ctx = th.ctx;
  const mm = task.mm!;
  const sp = ((ctx.x[2]! >>> 0) - FRAME_SIZE) & ~15;
  const frame = new Uint8Array(FRAME_SIZE);
  const dv = new DataView(frame.buffer);
  dv.setUint32(0, FRAME_MAGIC, true);
  dv.setUint32(4, sig, true);
  dv.setUint32(8, st.blocked >>> 0, true);
  dv.setUint32(12, ctx.pc >>> 0, true);
  for (let i = 0; i < 32; i++) dv.setInt32(16 + i * 4, ctx.x[i]!, true);
  for (let i = 0; i < 64; i++) dv.setUint32(144 + i * 4, ctx.f[i]!, true);
  dv.setUint32(400, ((ctx.frm & 7) << 5) | (ctx.fflags & 31), true);
  const from = st.sender[sig]!;
  dv.setInt32(SIGINFO_OFF, sig, true);
  dv.setInt32(SIGINFO_OFF + 8, from === 0 ? SI_KERNEL : SI_USER, true);
  dv.setInt32(SIGINFO_OFF + 12, from, true);
  if (sp < 0 || mm.copyOut(sp >>> 0, frame) < 0) {
    k.killTask(
      task,
      11,
      `cannot deliver signal ${sig}: no room for its frame below sp 0x${(ctx.x[2]! >>> 0).toString(16)}`,
    );
    return;
  }
  const flags = st.flags[sig]!;
  if ((flags & SA_NODEFER) === 0) st.blocked |= bit;
  st.blocked = (st.blocked | st.mask[sig]!) & ~UNCATCHABLE;
  if (flags & SA_RESETHAND) {
    st.handler[sig] = SIG_DFL;
    st.flags[sig] = 0;
  }
  th.retry = false; // a restarted call re-executes its ecall after rt_sigreturn
  ctx.x[1] = SIGRETURN_VA | 0;
  ctx.x[2] = sp | 0;
  ctx.x[10] = sig;
  ctx.x[11] = (sp + SIGINFO_OFF) | 0;
  ctx.x[12] = sp | 0;
  ctx.pc = handler;
}

/** rt_sigreturn: restores the context saved in the frame at sp. False when it is not a valid frame. */
export function sigreturn(th: Thread): boolean {
  const ctx = th.ctx;
  const sp = ctx.x[2]! >>> 0;
  const bytes = th.task.mm?.copyIn(sp, FRAME_SIZE);
  if (bytes === undefined || typeof bytes === 'number') return false;
  const dv = new DataView(bytes.buffer);
  if (dv.getUint32(0, true) !== FRAME_MAGIC) return false;
  th.task.signals.blocked = dv.getUint32(8, true) & ~UNCATCHABLE & ~1;
  ctx.pc = dv.getUint32(12, true);
  for (let i = 1; i < 32; i++) ctx.x[i] = dv.getInt32(16 + i * 4, true);
  for (let i = 0; i < 64; i++) ctx.f[i] = dv.getUint32(144 + i * 4, true);
  const fcsr = dv.getUint32(400, true);
  ctx.frm = (fcsr >> 5) & 7;
  ctx.fflags = fcsr & 31;
  return true;
}
