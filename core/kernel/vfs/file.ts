// Open-file descriptions: what an fd points at (shared by dup and fork): vnode, offset, flags.

import {
  O_ACCMODE,
  O_APPEND,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
} from '../abi';
import { EBADF, EFBIG, EINVAL, EISDIR, ENOTDIR, ESPIPE } from '../errno';
import type { Blocked } from '../sched/waitq';
import { encodeDirents, type DirEntry } from './dirent';
import { DTYPE, type Vnode } from './vnode';

const MAX_FILE = 0x7fff_ffff;
/** The most a RamFS file can hold: its bytes live in host memory, so a write past this (say after an
 * lseek to 1.5 GiB) fails with -EFBIG instead of making the host allocate and zero gigabytes. */
export const RAMFS_FILE_MAX = 16 << 20;

export class OpenFile {
  readonly vnode: Vnode;
  flags: number;
  offset = 0;
  refs = 1;
  /** A generated (procfs) file's text, taken when it was opened; reads and SEEK_END use it. */
  content: Uint8Array | null = null;
  /** For pipes: which end this is. */
  readonly pipeEnd: 'read' | 'write' | null;
  private readonly now: () => number;

  constructor(vnode: Vnode, flags: number, now: () => number, pipeEnd: 'read' | 'write' | null = null) {
    this.vnode = vnode.ref();
    this.flags = flags;
    this.now = now;
    this.pipeEnd = pipeEnd;
    if (pipeEnd === 'read') vnode.pipe!.readers++;
    if (pipeEnd === 'write') vnode.pipe!.writers++;
  }

  get readable(): boolean {
    const a = this.flags & O_ACCMODE;
    return a === O_RDONLY || a === O_RDWR;
  }

  get writable(): boolean {
    const a = this.flags & O_ACCMODE;
    return a === O_WRONLY || a === O_RDWR;
  }

  get nonblocking(): boolean {
    return (this.flags & O_NONBLOCK) !== 0;
  }

  retain(): this {
    if (this.refs <= 0) throw new Error('vfs: retain of a closed file');
    this.refs++;
    return this;
  }

  /** Drops a reference; the last one closes the pipe end / device and releases the vnode. */
  release(): void {
    if (this.refs <= 0) throw new Error('vfs: release of a closed file');
    if (--this.refs > 0) return;
    const v = this.vnode;
    if (this.pipeEnd) v.pipe!.closeEnd(this.pipeEnd === 'read');
    if (v.type === 'chr') v.driver?.close?.(this);
    v.unref();
  }

  read(len: number): Uint8Array | number | Blocked {
    if (!this.readable) return -EBADF;
    if (len < 0) return -EINVAL;
    const v = this.vnode;
    switch (v.type) {
      case 'dir':
        return -EISDIR;
      case 'chr':
        return v.driver!.read(this, len);
      case 'fifo':
        return v.pipe!.read(len, this.nonblocking);
      case 'reg': {
        const data = this.content ?? v.data;
        const size = this.content?.length ?? v.size;
        const start = Math.min(this.offset, size);
        const end = Math.min(size, start + len);
        this.offset = end;
        v.atime = this.now();
        return data.slice(start, end);
      }
    }
  }

  write(data: Uint8Array): number | Blocked {
    if (!this.writable) return -EBADF;
    const v = this.vnode;
    switch (v.type) {
      case 'dir':
        return -EISDIR;
      case 'chr':
        return v.driver!.write(this, data);
      case 'fifo':
        return v.pipe!.write(data, this.nonblocking);
      case 'reg': {
        if (this.flags & O_APPEND) this.offset = v.size;
        const end = this.offset + data.length;
        if (end > MAX_FILE) return -EINVAL;
        if (end > RAMFS_FILE_MAX) return -EFBIG;
        writeAt(v, this.offset, data);
        this.offset = end;
        v.mtime = v.ctime = this.now();
        return data.length;
      }
    }
  }

  lseek(off: number, whence: number): number {
    const v = this.vnode;
    if (v.type === 'chr' || v.type === 'fifo') return -ESPIPE;
    let base: number;
    if (whence === SEEK_SET) base = 0;
    else if (whence === SEEK_CUR) base = this.offset;
    else if (whence === SEEK_END) base = v.type === 'reg' ? (this.content?.length ?? v.size) : 0;
    else return -EINVAL;
    const pos = base + off;
    if (pos < 0 || pos > MAX_FILE) return -EINVAL;
    this.offset = pos;
    return pos;
  }

  /** getdents64 into a buffer of bufLen bytes; the offset is the entry cookie. */
  getdents(bufLen: number): Uint8Array | number {
    const v = this.vnode;
    if (v.type !== 'dir') return -ENOTDIR;
    if (!this.readable) return -EBADF;
    const r = encodeDirents(dirEntries(v), this.offset, bufLen);
    if (typeof r === 'number') return r;
    this.offset = r.next;
    return r.bytes;
  }
}

/** '.', '..', then the entries in creation order. */
export function dirEntries(dir: Vnode): DirEntry[] {
  const parent = dir.mountPoint ? (dir.mountPoint.parent ?? dir.mountPoint) : (dir.parent ?? dir);
  const out: DirEntry[] = [
    { ino: dir.ino, type: DTYPE.dir, name: '.' },
    { ino: parent.ino, type: DTYPE.dir, name: '..' },
  ];
  for (const [name, child] of dir.entries) {
    const shown = child.mounted ?? child;
    out.push({ ino: shown.ino, type: DTYPE[shown.type], name });
  }
  for (const name of dir.dynamic?.names() ?? []) {
    const v = dir.dynamic!.lookup(name);
    if (v) out.push({ ino: v.ino, type: DTYPE[v.type], name });
  }
  return out;
}

/** Writes into a regular file, growing its buffer geometrically (the gap reads as zeroes). */
export function writeAt(v: Vnode, off: number, data: Uint8Array): void {
  const end = off + data.length;
  if (end > v.data.length) {
    const grown = new Uint8Array(Math.max(end, v.data.length * 2, 64));
    grown.set(v.data.subarray(0, v.size));
    v.data = grown;
  }
  if (off > v.size) v.data.fill(0, v.size, off);
  v.data.set(data, off);
  if (end > v.size) v.size = end;
}

/** truncate(): shrinking drops bytes, growing adds zeroes. */
export function truncateTo(v: Vnode, size: number): void {
  if (size < v.size) {
    v.data.fill(0, size, v.size);
    v.size = size;
  } else if (size > v.size) writeAt(v, size, new Uint8Array(0));
}
