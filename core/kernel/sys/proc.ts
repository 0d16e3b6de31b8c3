// Process calls: exit, exit_group, wait4, getpid, getppid, clone (fork), execve, sched_yield.

import { SIGCHLD, SYS, WNOHANG } from '../abi';
import { EFAULT, EINVAL } from '../errno';
import { exitStatus, type Thread } from '../task';
import type { Handler } from './types';
import { u32 } from './types';

const MAX_ARGS = 1024;

export const procHandlers: [number, Handler][] = [
  [SYS.exit, (k, th, a) => (k.exitTask(th.task, exitStatus(a[0]!)), 'noreturn')],
  [SYS.exit_group, (k, th, a) => (k.exitTask(th.task, exitStatus(a[0]!)), 'noreturn')],
  [
    SYS.wait4,
    (k, th, a) => {
      const [pid, statusPtr, options] = [a[0]!, u32(a[1]!), a[2]!];
      if (options & ~WNOHANG) return -EINVAL;
      const mm = th.task.mm!;
      if (statusPtr !== 0 && mm.checkRange(statusPtr, 4, true) < 0) return -EFAULT;
      const r = k.tasks.wait(th.task, pid);
      if (typeof r === 'number') {
        if (r === 0 && !(options & WNOHANG)) return { blocked: th.task.childWaiters };
        return r;
      }
      if (statusPtr !== 0)
        mm.copyOut(statusPtr, Uint8Array.from([r.status & 255, (r.status >> 8) & 255, 0, 0]));
      return r.pid;
    },
  ],
  [SYS.getpid, (_k, th) => th.task.pid],
  [SYS.getppid, (_k, th) => th.task.parent?.pid ?? 0],
  [
    SYS.clone,
    (k, th, a) => {
      // Only fork semantics: flags = SIGCHLD, no new stack.
      if (a[0] !== SIGCHLD || a[1] !== 0) return -EINVAL;
      return k.fork(th);
    },
  ],
  [
    SYS.execve,
    (k, th, a) => {
      const mm = th.task.mm!;
      const path = mm.readString(u32(a[0]!), 4095);
      if (typeof path === 'number') return path;
      const argv = readStringArray(th, u32(a[1]!));
      if (typeof argv === 'number') return argv;
      const envp = readStringArray(th, u32(a[2]!));
      if (typeof envp === 'number') return envp;
      return k.exec(th, path, argv, envp);
    },
  ],
  [SYS.sched_yield, () => 'yield'],
];

/** A NULL-terminated array of user string pointers (a NULL array pointer is an empty list). */
function readStringArray(th: Thread, va: number): string[] | number {
  const mm = th.task.mm!;
  const out: string[] = [];
  if (va === 0) return out;
  for (let i = 0; i < MAX_ARGS; i++) {
    const p = mm.copyIn(va + i * 4, 4);
    if (typeof p === 'number') return p;
    const ptr = (p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24)) >>> 0;
    if (ptr === 0) return out;
    const s = mm.readString(ptr, 65536);
    if (typeof s === 'number') return s;
    out.push(s);
  }
  return -EINVAL;
}
