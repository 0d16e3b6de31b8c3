// File calls over the VFS and the task's fd table. User buffers are checked before anything can
// block, so a bad pointer is -EFAULT even when no data is pending.

import { AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, O_CLOEXEC, O_NONBLOCK, PATH_MAX, SIGPIPE, SYS } from '../abi';
import { EBADF, EINVAL, ENOTDIR, ENOTTY, EPIPE, ERANGE } from '../errno';
import { isBlocked } from '../sched/waitq';
import type { Thread } from '../task';
import { encodeStat, statOf, type Vnode } from '../vfs';
import { utf8Encode } from '../../util/utf8';
import type { Handler, SysResult } from './types';
import { u32 } from './types';
import type { Kernel } from '../boot/kernel';

/** Largest transfer per read/write call (the rest is the program's next call). */
const IO_MAX = 1 << 20;

/** The directory a *at() call starts from, plus the path (or an errno). */
function at(th: Thread, dirfd: number, pathPtr: number): { base: Vnode; path: string } | number {
  const path = th.task.mm!.readString(pathPtr, PATH_MAX - 1);
  if (typeof path === 'number') return path;
  if (path.startsWith('/') || dirfd === AT_FDCWD) return { base: th.task.cwd!, path };
  const f = th.task.fds.get(dirfd);
  if (!f) return -EBADF;
  if (f.vnode.type !== 'dir') return -ENOTDIR;
  return { base: f.vnode, path };
}

function writeResult(k: Kernel, th: Thread, r: number | { blocked: unknown }): SysResult {
  if (r === -EPIPE) {
    k.signal(th.task, SIGPIPE, th.task.pid); // terminates unless caught or ignored
    if (th.task.state === 'zombie') return 'noreturn';
  }
  return r as SysResult;
}

export const fsHandlers: [number, Handler][] = [
  [
    SYS.read,
    (_k, th, a) => {
      const f = th.task.fds.get(a[0]!);
      if (!f) return -EBADF;
      const len = Math.min(u32(a[2]!), IO_MAX);
      const mm = th.task.mm!;
      const chk = mm.checkRange(u32(a[1]!), len, true);
      if (chk < 0) return chk;
      const r = f.read(len);
      if (typeof r === 'number' || isBlocked(r)) return r;
      const w = mm.copyOut(u32(a[1]!), r);
      return w < 0 ? w : r.length;
    },
  ],
  [
    SYS.write,
    (k, th, a) => {
      const f = th.task.fds.get(a[0]!);
      if (!f) return -EBADF;
      const data = th.task.mm!.copyIn(u32(a[1]!), Math.min(u32(a[2]!), IO_MAX));
      if (typeof data === 'number') return data;
      return writeResult(k, th, f.write(data));
    },
  ],
  [
    SYS.openat,
    (k, th, a) => {
      const p = at(th, a[0]!, u32(a[1]!));
      if (typeof p === 'number') return p;
      const f = k.vfs.open(p.path, a[2]!, a[3]! & 0o7777, p.base);
      if (typeof f === 'number') return f;
      const fd = th.task.fds.install(f, (a[2]! & O_CLOEXEC) !== 0);
      if (fd < 0) f.release();
      return fd;
    },
  ],
  [SYS.close, (_k, th, a) => th.task.fds.close(a[0]!)],
  [
    SYS.lseek,
    (_k, th, a) => {
      const f = th.task.fds.get(a[0]!);
      return f ? f.lseek(a[1]!, a[2]!) : -EBADF;
    },
  ],
  [
    SYS.getdents64,
    (_k, th, a) => {
      const f = th.task.fds.get(a[0]!);
      if (!f) return -EBADF;
      const mm = th.task.mm!;
      const len = Math.min(u32(a[2]!), IO_MAX);
      const chk = mm.checkRange(u32(a[1]!), len, true);
      if (chk < 0) return chk;
      const r = f.getdents(len);
      if (typeof r === 'number') return r;
      const w = mm.copyOut(u32(a[1]!), r);
      return w < 0 ? w : r.length;
    },
  ],
  [
    SYS.mkdirat,
    (k, th, a) => {
      const p = at(th, a[0]!, u32(a[1]!));
      return typeof p === 'number' ? p : k.vfs.mkdir(p.path, a[2]! & 0o7777, p.base);
    },
  ],
  [
    SYS.unlinkat,
    (k, th, a) => {
      if (a[2]! & ~AT_REMOVEDIR) return -EINVAL;
      const p = at(th, a[0]!, u32(a[1]!));
      if (typeof p === 'number') return p;
      return a[2]! & AT_REMOVEDIR ? k.vfs.rmdir(p.path, p.base) : k.vfs.unlink(p.path, p.base);
    },
  ],
  [
    SYS.fstat,
    (_k, th, a) => {
      const f = th.task.fds.get(a[0]!);
      if (!f) return -EBADF;
      return th.task.mm!.copyOut(u32(a[1]!), encodeStat(statOf(f.vnode)));
    },
  ],
  [
    SYS.newfstatat,
    (k, th, a) => {
      const mm = th.task.mm!;
      if (a[3]! & ~AT_EMPTY_PATH) return -EINVAL;
      if (a[3]! & AT_EMPTY_PATH) {
        const path = mm.readString(u32(a[1]!), PATH_MAX - 1);
        if (path === '') {
          const f = a[0] === AT_FDCWD ? null : th.task.fds.get(a[0]!);
          const v = a[0] === AT_FDCWD ? th.task.cwd! : f?.vnode;
          if (!v) return -EBADF;
          return mm.copyOut(u32(a[2]!), encodeStat(statOf(v)));
        }
      }
      const p = at(th, a[0]!, u32(a[1]!));
      if (typeof p === 'number') return p;
      const v = k.vfs.resolve(p.path, p.base);
      if (typeof v === 'number') return v;
      return mm.copyOut(u32(a[2]!), encodeStat(statOf(v)));
    },
  ],
  [
    SYS.ioctl,
    (_k, th, a) => {
      const f = th.task.fds.get(a[0]!);
      if (!f) return -EBADF;
      const drv = f.vnode.type === 'chr' ? f.vnode.driver : null;
      if (!drv?.ioctl) return -ENOTTY;
      return drv.ioctl(f, u32(a[1]!), u32(a[2]!), th.task.mm!);
    },
  ],
  [SYS.dup, (_k, th, a) => th.task.fds.dup(a[0]!)],
  [SYS.dup3, (_k, th, a) => th.task.fds.dup3(a[0]!, a[1]!, a[2]!)],
  [
    SYS.pipe2,
    (k, th, a) => {
      const flags = a[1]!;
      if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
      const mm = th.task.mm!;
      const chk = mm.checkRange(u32(a[0]!), 8, true);
      if (chk < 0) return chk;
      const [r, w] = k.vfs.pipe(flags);
      const cloexec = (flags & O_CLOEXEC) !== 0;
      const rfd = th.task.fds.install(r, cloexec);
      const wfd = rfd < 0 ? rfd : th.task.fds.install(w, cloexec);
      if (wfd < 0) {
        if (rfd >= 0) th.task.fds.close(rfd);
        else r.release();
        w.release();
        return wfd;
      }
      const out = new Uint8Array(new Int32Array([rfd, wfd]).buffer);
      return mm.copyOut(u32(a[0]!), out);
    },
  ],
  [
    SYS.chdir,
    (k, th, a) => {
      const path = th.task.mm!.readString(u32(a[0]!), PATH_MAX - 1);
      if (typeof path === 'number') return path;
      const d = k.vfs.chdirTarget(path, th.task.cwd!);
      if (typeof d === 'number') return d;
      d.ref();
      th.task.cwd?.unref();
      th.task.cwd = d;
      return 0;
    },
  ],
  [
    SYS.getcwd,
    (k, th, a) => {
      const p = k.vfs.getcwd(th.task.cwd!);
      if (typeof p === 'number') return p;
      const bytes = utf8Encode(p + '\0');
      if (bytes.length > u32(a[1]!)) return -ERANGE;
      const r = th.task.mm!.copyOut(u32(a[0]!), bytes);
      return r < 0 ? r : bytes.length;
    },
  ],
];
