// A task's file-descriptor table: up to 256 slots, lowest free number first, close-on-exec per fd,
// copied (sharing the open-file descriptions) on fork.

import { FD_MAX, O_CLOEXEC } from '../abi';
import { EBADF, EINVAL, EMFILE } from '../errno';
import type { OpenFile } from './file';

interface Slot {
  file: OpenFile;
  cloexec: boolean;
}

export class FdTable {
  private readonly slots: (Slot | undefined)[] = new Array<Slot | undefined>(FD_MAX);

  /** Installs a file (taking over one reference) at the lowest free fd ≥ min, or -EMFILE. */
  install(file: OpenFile, cloexec = false, min = 0): number {
    for (let fd = min; fd < FD_MAX; fd++) {
      if (!this.slots[fd]) {
        this.slots[fd] = { file, cloexec };
        return fd;
      }
    }
    return -EMFILE;
  }

  get(fd: number): OpenFile | undefined {
    return Number.isInteger(fd) && fd >= 0 && fd < FD_MAX ? this.slots[fd]?.file : undefined;
  }

  isCloexec(fd: number): boolean {
    return this.slots[fd]?.cloexec ?? false;
  }

  close(fd: number): number {
    const s = this.get(fd) ? this.slots[fd] : undefined;
    if (!s) return -EBADF;
    this.slots[fd] = undefined;
    s.file.release();
    return 0;
  }

  dup(fd: number): number {
    const f = this.get(fd);
    if (!f) return -EBADF;
    const n = this.install(f, false);
    if (n >= 0) f.retain();
    return n;
  }

  /** dup3(old, new, flags): new refers to old's file; -EINVAL when equal or flags other than O_CLOEXEC. */
  dup3(oldFd: number, newFd: number, flags: number): number {
    const f = this.get(oldFd);
    if (!f) return -EBADF;
    if (!Number.isInteger(newFd) || newFd < 0 || newFd >= FD_MAX) return -EBADF;
    if (oldFd === newFd || flags & ~O_CLOEXEC) return -EINVAL;
    f.retain();
    if (this.slots[newFd]) this.close(newFd);
    this.slots[newFd] = { file: f, cloexec: (flags & O_CLOEXEC) !== 0 };
    return newFd;
  }

  setCloexec(fd: number, on: boolean): number {
    const s = this.get(fd) ? this.slots[fd] : undefined;
    if (!s) return -EBADF;
    s.cloexec = on;
    return 0;
  }

  /** fork: same descriptions, one more reference each. */
  fork(): FdTable {
    const t = new FdTable();
    this.slots.forEach((s, fd) => {
      if (s) t.slots[fd] = { file: s.file.retain(), cloexec: s.cloexec };
    });
    return t;
  }

  /** execve: closes the close-on-exec descriptors. */
  closeOnExec(): void {
    this.slots.forEach((s, fd) => {
      if (s?.cloexec) this.close(fd);
    });
  }

  closeAll(): void {
    this.slots.forEach((s, fd) => {
      if (s) this.close(fd);
    });
  }

  /** Open fds in order (for the views and tests). */
  list(): { fd: number; file: OpenFile; cloexec: boolean }[] {
    const out: { fd: number; file: OpenFile; cloexec: boolean }[] = [];
    this.slots.forEach((s, fd) => {
      if (s) out.push({ fd, file: s.file, cloexec: s.cloexec });
    });
    return out;
  }
}
