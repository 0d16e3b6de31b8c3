// Signal calls (docs/signals.md): kill, rt_sigaction, rt_sigprocmask, rt_sigreturn, setpgid,
// getpgid. User sigsets are Linux's: 8 bytes, signal n at bit n-1; only signals 1–31 have actions.

import { SYS } from '../abi';
import { EINVAL, EPERM, ESRCH } from '../errno';
import type { Task } from '../task';
import { NSIG_STD, SIG_DFL, SIG_IGN, SIG_MAX, UNCATCHABLE, ignoredByDefault } from '../task/signals';
import type { Handler } from './types';
import { u32 } from './types';
import type { Kernel } from '../boot/kernel';

const SIGSET_SIZE = 8;
const SIGACTION_SIZE = 16;
const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;

/** User sigset (low word) → the kernel's mask (bit n = signal n), signals 1–31. */
const fromUser = (lo: number): number => (lo << 1) & ~1;
const toUser = (mask: number): number => (mask >>> 1) >>> 0;

function word(bytes: Uint8Array, off: number): number {
  return (bytes[off]! | (bytes[off + 1]! << 8) | (bytes[off + 2]! << 16) | (bytes[off + 3]! << 24)) >>> 0;
}

function words(...w: number[]): Uint8Array {
  return new Uint8Array(new Uint32Array(w).buffer);
}

/** The tasks kill(pid) addresses: one pid, the caller's group (0), everyone but init and the caller (-1), or group -pid. */
function killTargets(k: Kernel, caller: Task, pid: number): Task[] {
  const alive = k.tasks.all().filter((t) => t.state === 'alive');
  if (pid > 0) return alive.filter((t) => t.pid === pid);
  if (pid === 0) return alive.filter((t) => t.pgid === caller.pgid);
  if (pid === -1) return alive.filter((t) => t.pid !== 1 && t !== caller);
  return alive.filter((t) => t.pgid === -pid);
}

export const signalHandlers: [number, Handler][] = [
  [
    SYS.kill,
    (k, th, a) => {
      const [pid, sig] = [a[0]!, a[1]!];
      if (sig < 0 || sig > SIG_MAX) return -EINVAL;
      const targets = killTargets(k, th.task, pid);
      if (targets.length === 0) return -ESRCH;
      for (const t of targets) k.signal(t, sig, th.task.pid);
      return th.task.state === 'zombie' ? 'noreturn' : 0;
    },
  ],
  [
    SYS.rt_sigaction,
    (_k, th, a) => {
      const [sig, actVa, oldVa, size] = [a[0]!, u32(a[1]!), u32(a[2]!), u32(a[3]!)];
      if (size !== SIGSET_SIZE || sig < 1 || sig >= NSIG_STD) return -EINVAL;
      const mm = th.task.mm!;
      const st = th.task.signals;
      let act: Uint8Array | null = null;
      if (actVa !== 0) {
        if ((1 << sig) & UNCATCHABLE) return -EINVAL;
        const r = mm.copyIn(actVa, SIGACTION_SIZE);
        if (typeof r === 'number') return r;
        act = r;
      }
      if (oldVa !== 0) {
        const r = mm.copyOut(oldVa, words(st.handler[sig]!, st.flags[sig]!, toUser(st.mask[sig]!), 0));
        if (r < 0) return r;
      }
      if (act) {
        const handler = word(act, 0);
        st.handler[sig] = handler;
        st.flags[sig] = word(act, 4);
        st.mask[sig] = fromUser(word(act, 8)) & ~UNCATCHABLE;
        // Ignoring a signal discards it if pending (POSIX).
        if (handler === SIG_IGN || (handler === SIG_DFL && ignoredByDefault(sig))) st.pending &= ~(1 << sig);
      }
      return 0;
    },
  ],
  [
    SYS.rt_sigprocmask,
    (_k, th, a) => {
      const [how, setVa, oldVa, size] = [a[0]!, u32(a[1]!), u32(a[2]!), u32(a[3]!)];
      if (size !== SIGSET_SIZE) return -EINVAL;
      const mm = th.task.mm!;
      const st = th.task.signals;
      let set: number | null = null;
      if (setVa !== 0) {
        if (how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) return -EINVAL;
        const r = mm.copyIn(setVa, SIGSET_SIZE);
        if (typeof r === 'number') return r;
        set = fromUser(word(r, 0));
      }
      if (oldVa !== 0) {
        const r = mm.copyOut(oldVa, words(toUser(st.blocked), 0));
        if (r < 0) return r;
      }
      if (set !== null) {
        const b = how === SIG_BLOCK ? st.blocked | set : how === SIG_UNBLOCK ? st.blocked & ~set : set;
        st.blocked = b & ~UNCATCHABLE;
      }
      return 0; // newly unblocked pending signals are delivered before the task runs on
    },
  ],
  [SYS.rt_sigreturn, (k, th) => k.returnFromSignal(th)],
  [
    SYS.setpgid,
    (k, th, a) => {
      const pid = a[0]! === 0 ? th.task.pid : a[0]!;
      const pgid = a[1]! === 0 ? pid : a[1]!;
      if (pgid < 0) return -EINVAL;
      const t = k.tasks.get(pid);
      if (!t || t.state !== 'alive' || (t !== th.task && t.parent !== th.task)) return -ESRCH;
      if (pgid !== pid && !k.tasks.all().some((o) => o.state === 'alive' && o.pgid === pgid)) return -EPERM;
      t.pgid = pgid;
      return 0;
    },
  ],
  [
    SYS.getpgid,
    (k, th, a) => {
      const t = a[0]! === 0 ? th.task : k.tasks.get(a[0]!);
      if (!t || t.state !== 'alive') return -ESRCH;
      return t.pgid;
    },
  ],
];
