// brk, mmap, munmap, mprotect (ABI.md): thin wrappers over the task's FutMm; device mmap goes
// through the character driver's mmap hook.

import { MAP_ANONYMOUS, PAGE_SIZE, SYS } from '../abi';
import { EBADF, EINVAL, ENODEV } from '../errno';
import type { Handler } from './types';
import { u32 } from './types';

export const memHandlers: [number, Handler][] = [
  [SYS.brk, (_k, th, a) => th.task.mm!.brk(u32(a[0]!))],
  [
    SYS.mmap,
    (_k, th, a) => {
      const mm = th.task.mm!;
      const [addr, len, prot, flags, fd, off] = [u32(a[0]!), u32(a[1]!), a[2]!, a[3]!, a[4]!, u32(a[5]!)];
      if (flags & MAP_ANONYMOUS) return mm.mmap(addr, len, prot, flags);
      if (off % PAGE_SIZE !== 0) return -EINVAL;
      const f = th.task.fds.get(fd);
      if (!f) return -EBADF;
      const drv = f.vnode.type === 'chr' ? f.vnode.driver : null;
      if (!drv?.mmap) return -ENODEV;
      const pa = drv.mmap(f, off, len);
      if (pa < 0) return pa;
      return mm.mmap(addr, len, prot, flags, pa);
    },
  ],
  [SYS.munmap, (_k, th, a) => th.task.mm!.munmap(u32(a[0]!), u32(a[1]!))],
  [SYS.mprotect, (_k, th, a) => th.task.mm!.mprotect(u32(a[0]!), u32(a[1]!), a[2]!)],
];
