// Vnodes: one object per file, directory, character device or pipe, with a reference count held by
// open files and working directories. Directories keep their entries in insertion order (readdir
// order) and a parent link for '..' and getcwd; a directory with `mounted` set is a mount point.

import type { Blocked } from '../sched/waitq';
import type { OpenFile } from './file';
import type { Pipe } from './pipe';

export type VnodeType = 'reg' | 'dir' | 'chr' | 'fifo';

export const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

/** linux_dirent64 d_type values. */
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_REG = 8;

export const TYPE_BITS: Record<VnodeType, number> = {
  reg: S_IFREG,
  dir: S_IFDIR,
  chr: S_IFCHR,
  fifo: S_IFIFO,
};
export const DTYPE: Record<VnodeType, number> = { reg: DT_REG, dir: DT_DIR, chr: DT_CHR, fifo: DT_FIFO };

/** What a driver may do with the calling task's memory (FutMm implements it). */
export interface UserMemory {
  copyIn(va: number, len: number): Uint8Array | number;
  copyOut(va: number, bytes: Uint8Array): number;
}

/**
 * A directory whose entries are computed on demand (procfs: one per live task, and `self`). The
 * fixed entries still live in `entries`; these come after them.
 */
export interface DynamicDir {
  lookup(name: string): Vnode | undefined;
  /** Names in listing order. */
  names(): string[];
}

/** A character device driver behind a /dev node. Missing hooks mean "not supported". */
export interface CharDriver {
  readonly name: string;
  read(file: OpenFile, len: number): Uint8Array | number | Blocked;
  write(file: OpenFile, data: Uint8Array): number | Blocked;
  /** → result or -errno; absent → -ENOTTY. */
  ioctl?(file: OpenFile, req: number, arg: number, user: UserMemory): number;
  /** Physical address backing [offset, offset+len) for MAP_SHARED, or -errno; absent → -ENODEV. */
  mmap?(file: OpenFile, offset: number, len: number): number;
  open?(file: OpenFile): number;
  close?(file: OpenFile): void;
}

export class Vnode {
  readonly ino: number;
  readonly type: VnodeType;
  /** Filesystem id (st_dev). */
  readonly dev: number;
  /** Permission bits (the type bits come from `type`). */
  mode: number;
  nlink: number;
  refs = 0;
  name: string;
  parent: Vnode | null;
  atime: number;
  mtime: number;
  ctime: number;
  /** reg: contents (capacity may exceed size). */
  data: Uint8Array = new Uint8Array(0);
  size = 0;
  /** dir: name → child. */
  readonly entries = new Map<string, Vnode>();
  /** dir: the root of the filesystem mounted on this directory. */
  mounted: Vnode | null = null;
  /** dir: for a filesystem root, the directory it is mounted on. */
  mountPoint: Vnode | null = null;
  /** chr: the driver and its device number. */
  driver: CharDriver | null = null;
  rdev = 0;
  /** fifo: the pipe. */
  pipe: Pipe | null = null;
  /** reg: a generated file (procfs): its text is taken at open time, and writes are refused. */
  gen: (() => Uint8Array) | null = null;
  /** dir: entries computed on lookup (procfs). */
  dynamic: DynamicDir | null = null;
  /** Nothing may be created, removed, written or truncated here (procfs nodes). */
  readOnly = false;

  constructor(ino: number, type: VnodeType, dev: number, mode: number, now: number) {
    this.ino = ino;
    this.type = type;
    this.dev = dev;
    this.mode = mode & 0o7777;
    this.nlink = type === 'dir' ? 2 : 1;
    this.name = '';
    this.parent = null;
    this.atime = this.mtime = this.ctime = now;
  }

  get fullMode(): number {
    return TYPE_BITS[this.type] | this.mode;
  }

  ref(): this {
    this.refs++;
    return this;
  }

  unref(): void {
    if (this.refs <= 0) throw new Error(`vfs: unref of vnode ${this.ino} with no references`);
    this.refs--;
    // An unlinked regular file's contents go with its last reference.
    if (this.refs === 0 && this.nlink === 0 && this.type === 'reg') {
      this.data = new Uint8Array(0);
      this.size = 0;
    }
  }
}
