// The VFS: RamFS at '/', devfs at /dev, mounts, and the path-level operations the syscall layer
// calls (open, mkdir, unlink, rmdir, stat, chdir/getcwd, pipe). Every guest error is a -errno.

import { O_ACCMODE, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_TRUNC, O_WRONLY } from '../abi';
import { EACCES, EBUSY, EEXIST, EFBIG, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY } from '../errno';
import { DEV_NULL, DEV_ZERO, nullDriver, zeroDriver } from './devfs';
import { OpenFile, RAMFS_FILE_MAX, truncateTo, writeAt } from './file';
import { crossMount, parentOf, resolveParent, resolvePath } from './path';
import { Pipe } from './pipe';
import { statOf, type StatInfo } from './stat';
import { Vnode, type CharDriver, type VnodeType } from './vnode';

export interface VfsOptions {
  /** Milliseconds on the virtual clock, for timestamps. */
  now?: () => number;
  /** Makes a thread taken off a pipe/device wait queue ready. */
  wake?: (tid: number) => void;
}

export class Vfs {
  readonly root: Vnode;
  readonly devRoot: Vnode;
  readonly now: () => number;
  readonly wake: (tid: number) => void;
  private nextIno = 1;
  private nextDev = 1;

  constructor(opts: VfsOptions = {}) {
    this.now = opts.now ?? (() => 0);
    this.wake = opts.wake ?? (() => {});
    this.root = this.newFs();
    this.root.ref(); // the root is never released
    this.devRoot = this.newFs();
    const dev = this.mkdir('/dev', 0o755);
    if (dev < 0) throw new Error('vfs: cannot create /dev');
    this.mount('/dev', this.devRoot);
    this.addCharDevice('null', nullDriver, DEV_NULL);
    this.addCharDevice('zero', zeroDriver, DEV_ZERO);
  }

  /** A fresh, empty RamFS (its root directory), ready to mount. */
  newFs(): Vnode {
    return new Vnode(this.nextIno++, 'dir', this.nextDev++, 0o755, this.now());
  }

  /** Mounts fsRoot on the directory at path. */
  mount(path: string, fsRoot: Vnode, cwd: Vnode = this.root): number {
    const at = resolvePath(path, cwd, this.root);
    if (typeof at === 'number') return at;
    if (at.type !== 'dir') return -ENOTDIR;
    if (at === this.root || fsRoot.mountPoint || fsRoot === at) return -EBUSY;
    at.mounted = fsRoot;
    fsRoot.mountPoint = at;
    return 0;
  }

  /** Adds a character device node to /dev. */
  addCharDevice(name: string, driver: CharDriver, rdev: number): Vnode {
    const v = this.makeNode(this.devRoot, name, 'chr', 0o666);
    if (typeof v === 'number') throw new Error(`vfs: cannot add /dev/${name}`);
    v.driver = driver;
    v.rdev = rdev;
    return v;
  }

  resolve(path: string, cwd: Vnode = this.root): Vnode | number {
    return resolvePath(path, cwd, this.root);
  }

  /** openat semantics for one path (dirfd already turned into cwd by the caller). */
  open(path: string, flags: number, mode = 0o644, cwd: Vnode = this.root): OpenFile | number {
    const acc = flags & O_ACCMODE;
    if (acc === O_ACCMODE) return -EINVAL;
    let v: Vnode | number;
    if (flags & O_CREAT) {
      const p = resolveParent(path, cwd, this.root);
      if (typeof p === 'number') return p;
      const existing =
        p.name === '' || p.name === '.' || p.name === '..'
          ? this.resolve(path, cwd)
          : this.child(p.dir, p.name);
      if (typeof existing !== 'number') {
        if (flags & O_EXCL) return -EEXIST;
        v = existing;
      } else if (existing !== -ENOENT) return existing;
      else if (p.trailingSlash) return -EISDIR;
      else v = this.makeNode(p.dir, p.name, 'reg', mode);
    } else v = this.resolve(path, cwd);
    if (typeof v === 'number') return v;
    return this.openVnode(v, flags);
  }

  /** Opens a vnode the kernel already holds (devices at boot, pipes). */
  openVnode(v: Vnode, flags: number): OpenFile | number {
    const acc = flags & O_ACCMODE;
    if (flags & O_DIRECTORY && v.type !== 'dir') return -ENOTDIR;
    if (v.type === 'dir' && (acc !== O_RDONLY || flags & O_TRUNC)) return -EISDIR;
    if (v.readOnly && (acc !== O_RDONLY || flags & O_TRUNC)) return -EACCES;
    const f = new OpenFile(v, flags & ~(O_CREAT | O_EXCL | O_TRUNC), this.now);
    if (v.gen) f.content = v.gen(); // procfs: the text as of open, so reads of one open file agree
    if (v.type === 'reg' && flags & O_TRUNC && acc !== O_RDONLY) {
      truncateTo(v, 0);
      v.mtime = v.ctime = this.now();
    }
    if (v.type === 'chr' && v.driver?.open) {
      const r = v.driver.open(f);
      if (r < 0) {
        f.release();
        return r;
      }
    }
    return f;
  }

  mkdir(path: string, mode = 0o755, cwd: Vnode = this.root): number {
    const p = resolveParent(path, cwd, this.root);
    if (typeof p === 'number') return p;
    if (p.name === '' || p.name === '.' || p.name === '..') return -EEXIST;
    if (typeof this.child(p.dir, p.name) !== 'number') return -EEXIST;
    const v = this.makeNode(p.dir, p.name, 'dir', mode);
    return typeof v === 'number' ? v : 0;
  }

  unlink(path: string, cwd: Vnode = this.root): number {
    const p = resolveParent(path, cwd, this.root);
    if (typeof p === 'number') return p;
    if (p.name === '' || p.name === '.' || p.name === '..') return -EISDIR;
    if (p.dir.readOnly) return -EACCES;
    const v = p.dir.entries.get(p.name);
    if (!v) return -ENOENT;
    if (v.type === 'dir') return -EISDIR;
    if (p.trailingSlash) return -ENOTDIR;
    p.dir.entries.delete(p.name);
    p.dir.mtime = p.dir.ctime = this.now();
    v.nlink--;
    v.ctime = this.now();
    if (v.refs === 0 && v.type === 'reg') truncateTo(v, 0);
    return 0;
  }

  rmdir(path: string, cwd: Vnode = this.root): number {
    const p = resolveParent(path, cwd, this.root);
    if (typeof p === 'number') return p;
    if (p.name === '') return -EBUSY;
    if (p.name === '.') return -EINVAL;
    if (p.name === '..') return -ENOTEMPTY;
    if (p.dir.readOnly) return -EACCES;
    const v = p.dir.entries.get(p.name);
    if (!v) return -ENOENT;
    if (v.type !== 'dir') return -ENOTDIR;
    if (v.mounted) return -EBUSY;
    if (v.entries.size > 0) return -ENOTEMPTY;
    p.dir.entries.delete(p.name);
    p.dir.nlink--;
    p.dir.mtime = p.dir.ctime = this.now();
    v.nlink = 0;
    return 0;
  }

  stat(path: string, cwd: Vnode = this.root): StatInfo | number {
    const v = this.resolve(path, cwd);
    return typeof v === 'number' ? v : statOf(v);
  }

  /** The directory chdir() would switch to. */
  chdirTarget(path: string, cwd: Vnode = this.root): Vnode | number {
    const v = this.resolve(path, cwd);
    if (typeof v === 'number') return v;
    return v.type === 'dir' ? v : -ENOTDIR;
  }

  /** Absolute path of a directory (for getcwd); a removed directory yields -ENOENT. */
  getcwd(dir: Vnode): string | number {
    const names: string[] = [];
    let d = dir;
    while (d !== this.root) {
      while (d.mountPoint) d = d.mountPoint;
      if (d === this.root) break;
      if (!d.parent || d.nlink === 0) return -ENOENT;
      names.push(d.name);
      d = d.parent;
    }
    return '/' + names.reverse().join('/');
  }

  /** Best-effort absolute path of any vnode (for the views); unlinked nodes show '(deleted)'. */
  pathOf(v: Vnode): string {
    if (v.type === 'dir') {
      const p = this.getcwd(v);
      return typeof p === 'string' ? p : '(deleted)';
    }
    if (!v.parent || v.nlink === 0) return '(deleted)';
    const dir = this.getcwd(v.parent);
    if (typeof dir !== 'string') return '(deleted)';
    return (dir === '/' ? '' : dir) + '/' + v.name;
  }

  /** A new pipe: [read end, write end]. `flags` may carry O_NONBLOCK / O_CLOEXEC (the latter is the fd's). */
  pipe(flags = 0): [OpenFile, OpenFile] {
    const v = new Vnode(this.nextIno++, 'fifo', 0, 0o600, this.now());
    v.pipe = new Pipe(this.wake);
    const nb = flags & 0x800;
    return [
      new OpenFile(v, O_RDONLY | nb, this.now, 'read'),
      new OpenFile(v, O_WRONLY | nb, this.now, 'write'),
    ];
  }

  truncate(v: Vnode, size: number): number {
    if (v.type === 'dir') return -EISDIR;
    if (v.readOnly) return -EACCES;
    if (v.type !== 'reg') return -EINVAL;
    if (size < 0) return -EINVAL;
    if (size > RAMFS_FILE_MAX) return -EFBIG;
    truncateTo(v, size);
    v.mtime = v.ctime = this.now();
    return 0;
  }

  /** Creates or replaces a regular file with the given contents (the boot image, tests). Makes parents. */
  writeFile(path: string, data: Uint8Array, mode = 0o644): number {
    const parts = path.split('/').filter((c) => c);
    let prefix = '';
    for (const c of parts.slice(0, -1)) {
      prefix += '/' + c;
      const r = this.mkdir(prefix, 0o755);
      if (r < 0 && r !== -EEXIST) return r;
    }
    const f = this.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (typeof f === 'number') return f;
    writeAt(f.vnode, 0, data);
    f.release();
    return 0;
  }

  /** The contents of a regular file, or -errno. */
  readFile(path: string): Uint8Array | number {
    const v = this.resolve(path);
    if (typeof v === 'number') return v;
    if (v.type === 'dir') return -EISDIR;
    if (v.type !== 'reg') return -EINVAL;
    return v.data.slice(0, v.size);
  }

  /**
   * A read-only node for a synthetic filesystem (procfs): a generated file, or a directory. It is
   * linked under `dir` when `listed`; a dynamic directory's lookup returns unlisted ones.
   */
  syntheticNode(dir: Vnode, name: string, type: 'reg' | 'dir', listed: boolean): Vnode {
    const v = new Vnode(this.nextIno++, type, dir.dev, type === 'dir' ? 0o555 : 0o444, this.now());
    v.name = name;
    v.parent = dir;
    v.readOnly = true;
    if (listed) dir.entries.set(name, v);
    if (type === 'dir' && listed) dir.nlink++;
    return v;
  }

  /** The entry `name` of dir as a path walk would see it (mounts crossed), or -ENOENT. */
  private child(dir: Vnode, name: string): Vnode | number {
    const v = dir.entries.get(name) ?? dir.dynamic?.lookup(name);
    return v ? crossMount(v) : -ENOENT;
  }

  private makeNode(dir: Vnode, name: string, type: VnodeType, mode: number): Vnode | number {
    if (dir.type !== 'dir') return -ENOTDIR;
    if (dir.nlink === 0) return -ENOENT; // removed directory
    if (dir.entries.has(name)) return -EEXIST;
    if (dir.readOnly) return -EACCES;
    const v = new Vnode(this.nextIno++, type, dir.dev, mode, this.now());
    v.name = name;
    v.parent = dir;
    dir.entries.set(name, v);
    if (type === 'dir') dir.nlink++;
    dir.mtime = dir.ctime = this.now();
    return v;
  }

  /** '..' as path resolution sees it. */
  parentOf(dir: Vnode): Vnode {
    return parentOf(dir, this.root);
  }
}
