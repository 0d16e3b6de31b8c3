// brk, mmap, munmap, mprotect (ABI.md): thin wrappers over the task's FutMm; device mmap goes
// through the character driver's mmap hook.

import { MAP_ANONYMOUS, PAGE_SIZE, SYS } from '../abi';
import { EBADF, EINVAL, ENODEV, ENOMEM } from '../errno';
import type { Kernel } from '../boot/kernel';
import type { Thread } from '../task';
import type { Handler } from './types';
import { u32 } from './types';

const pagesOf = (bytes: number): number => Math.ceil(bytes / PAGE_SIZE);

/**
 * An -ENOMEM that a limit caused (the task's frame quota, the kernel's frame reserve, the mmap
 * quota) goes into the kernel's log once per task, so an allocation loop ends with a clear report.
 * Nothing changed on failure, so the check after the call sees the state the call saw.
 */
function limited(k: Kernel, th: Thread, call: 'brk' | 'mmap', bytes: number, r: number): number {
  if (r !== -ENOMEM || bytes <= 0) return r;
  const mm = th.task.mm!;
  let why = mm.cannotAllocate(pagesOf(bytes));
  if (!why && call === 'mmap' && mm.mmapBytes + bytes > mm.mmapQuota)
    why = `mmap quota of ${mm.mmapQuota} bytes reached (${mm.mmapBytes} mapped)`;
  if (why) k.noteOnce(th.task, 'memory', `${call} of ${bytes} bytes refused, ${why} (ENOMEM)`);
  return r;
}

export const memHandlers: [number, Handler][] = [
  [
    SYS.brk,
    (k, th, a) => {
      const mm = th.task.mm!;
      const addr = u32(a[0]!);
      const r = mm.brk(addr);
      // Past the heap limit is the layout's answer, not a memory limit: not reported.
      return addr > mm.heapLimit ? r : limited(k, th, 'brk', pagesOf(addr) * PAGE_SIZE - mm.heapMappedEnd, r);
    },
  ],
  [
    SYS.mmap,
    (k, th, a) => {
      const mm = th.task.mm!;
      const [addr, len, prot, flags, fd, off] = [u32(a[0]!), u32(a[1]!), a[2]!, a[3]!, a[4]!, u32(a[5]!)];
      if (flags & MAP_ANONYMOUS)
        return limited(k, th, 'mmap', pagesOf(len) * PAGE_SIZE, mm.mmap(addr, len, prot, flags));
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
