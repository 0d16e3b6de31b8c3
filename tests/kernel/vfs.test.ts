import { describe, it, expect } from 'vitest';
import {
  Vfs,
  FdTable,
  encodeStat,
  STAT_SIZE,
  S_IFCHR,
  S_IFDIR,
  S_IFREG,
  DT_DIR,
  DT_REG,
  DT_CHR,
} from '../../core/kernel/vfs';
import type { OpenFile } from '../../core/kernel/vfs';
import { isBlocked } from '../../core/kernel/sched';
import {
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
} from '../../core/kernel/abi';
import {
  EAGAIN,
  EBADF,
  EBUSY,
  EEXIST,
  EINVAL,
  EISDIR,
  EMFILE,
  ENAMETOOLONG,
  ENOENT,
  ENOTDIR,
  ENOTEMPTY,
  EPIPE,
  ESPIPE,
} from '../../core/kernel/errno';
import { makeRng } from './rng';

const FULL = process.env.FUTURA_FULL === '1';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | unknown) => new TextDecoder().decode(b as Uint8Array);

function open(vfs: Vfs, path: string, flags: number, cwd = vfs.root): OpenFile {
  const f = vfs.open(path, flags, 0o644, cwd);
  if (typeof f === 'number') throw new Error(`open ${path}: ${f}`);
  return f;
}

function readdir(f: OpenFile, buf = 4096): { name: string; type: number; ino: number; off: number }[] {
  const out: { name: string; type: number; ino: number; off: number }[] = [];
  for (;;) {
    const b = f.getdents(buf);
    if (typeof b === 'number') throw new Error(`getdents ${b}`);
    if (b.length === 0) return out;
    const dv = new DataView(b.buffer);
    for (let o = 0; o < b.length;) {
      const reclen = dv.getUint16(o + 16, true);
      expect(reclen % 8).toBe(0);
      const nameEnd = b.indexOf(0, o + 19);
      out.push({
        ino: dv.getUint32(o, true),
        off: dv.getUint32(o + 8, true),
        type: b[o + 18]!,
        name: dec(b.subarray(o + 19, nameEnd)),
      });
      expect(nameEnd).toBeLessThan(o + reclen);
      o += reclen;
    }
  }
}

describe('RamFS files', () => {
  it('creates, writes at offsets with growth, reads back; O_TRUNC, O_APPEND, O_EXCL', () => {
    const vfs = new Vfs();
    const f = open(vfs, '/a.txt', O_RDWR | O_CREAT);
    expect(f.write(enc('hello'))).toBe(5);
    expect(f.lseek(10, SEEK_SET)).toBe(10);
    expect(f.write(enc('X'))).toBe(1);
    expect(f.lseek(0, SEEK_SET)).toBe(0);
    expect(Array.from(f.read(100) as Uint8Array)).toEqual([...enc('hello'), 0, 0, 0, 0, 0, ...enc('X')]);
    expect((f.read(10) as Uint8Array).length).toBe(0);
    expect(f.lseek(-1, SEEK_END)).toBe(10);
    expect(f.lseek(-20, SEEK_CUR)).toBe(-EINVAL);
    expect(f.lseek(0, 7)).toBe(-EINVAL);
    expect(vfs.open('/a.txt', O_CREAT | O_EXCL | O_WRONLY)).toBe(-EEXIST);
    const g = open(vfs, '/a.txt', O_WRONLY | O_APPEND);
    g.write(enc('!'));
    f.lseek(0, SEEK_SET);
    g.write(enc('?'));
    expect(dec(vfs.readFile('/a.txt')).endsWith('X!?')).toBe(true);
    const t = open(vfs, '/a.txt', O_WRONLY | O_TRUNC);
    expect(vfs.stat('/a.txt')).toMatchObject({ size: 0, mode: S_IFREG | 0o644, nlink: 1 });
    expect(t.read(1)).toBe(-EBADF);
    expect(open(vfs, '/a.txt', O_RDONLY).write(enc('x'))).toBe(-EBADF);
    expect(vfs.open('/a.txt', 3)).toBe(-EINVAL);
  });

  it('random writes, reads and truncates agree with a byte-array model', () => {
    const rng = makeRng(21);
    const vfs = new Vfs();
    const f = open(vfs, '/m', O_RDWR | O_CREAT);
    let model = new Uint8Array(0);
    for (let i = 0; i < (FULL ? 20_000 : 2_000); i++) {
      const op = rng.int(3);
      const off = rng.int(6000);
      if (op === 0) {
        const data = Uint8Array.from({ length: rng.int(300) }, () => rng.int(256));
        f.lseek(off, SEEK_SET);
        expect(f.write(data)).toBe(data.length);
        if (off + data.length > model.length) {
          const m = new Uint8Array(off + data.length);
          m.set(model);
          model = m;
        }
        model.set(data, off);
      } else if (op === 1) {
        const n = rng.int(400);
        f.lseek(off, SEEK_SET);
        expect(f.read(n)).toEqual(model.slice(Math.min(off, model.length), Math.min(model.length, off + n)));
      } else {
        expect(vfs.truncate(f.vnode, off)).toBe(0);
        const m = new Uint8Array(off);
        m.set(model.subarray(0, Math.min(off, model.length)));
        model = m;
      }
      expect(f.vnode.size).toBe(model.length);
    }
  });

  it('an unlinked file stays readable through open descriptions until the last close', () => {
    const vfs = new Vfs();
    vfs.writeFile('/tmp/x', enc('data'));
    const f = open(vfs, '/tmp/x', O_RDONLY);
    expect(vfs.unlink('/tmp/x')).toBe(0);
    expect(vfs.resolve('/tmp/x')).toBe(-ENOENT);
    expect(dec(f.read(10))).toBe('data');
    expect(f.vnode.nlink).toBe(0);
    f.release();
    expect(f.vnode.size).toBe(0);
    expect(() => f.release()).toThrow();
  });
});

describe('RamFS directories and paths', () => {
  it('mkdir/rmdir/unlink errors per ABI.md', () => {
    const vfs = new Vfs();
    expect(vfs.mkdir('/d')).toBe(0);
    expect(vfs.mkdir('/d')).toBe(-EEXIST);
    expect(vfs.mkdir('/nope/d')).toBe(-ENOENT);
    vfs.writeFile('/d/f', enc('1'));
    expect(vfs.mkdir('/d/f/g')).toBe(-ENOTDIR);
    expect(vfs.rmdir('/d')).toBe(-ENOTEMPTY);
    expect(vfs.rmdir('/d/f')).toBe(-ENOTDIR);
    expect(vfs.unlink('/d')).toBe(-EISDIR);
    expect(vfs.unlink('/d/f/')).toBe(-ENOTDIR);
    expect(vfs.resolve('/d/f/')).toBe(-ENOTDIR);
    expect(vfs.unlink('/d/f')).toBe(0);
    expect(vfs.unlink('/d/f')).toBe(-ENOENT);
    expect(vfs.rmdir('/d/.')).toBe(-EINVAL);
    expect(vfs.rmdir('/')).toBe(-EBUSY);
    expect(vfs.rmdir('/dev')).toBe(-EBUSY);
    expect(vfs.rmdir('/d')).toBe(0);
    expect(vfs.resolve('/d')).toBe(-ENOENT);
    expect(vfs.mkdir('/' + 'n'.repeat(256))).toBe(-ENAMETOOLONG);
    expect(vfs.mkdir('/' + 'n'.repeat(255))).toBe(0);
    expect(vfs.resolve('/' + 'a/'.repeat(2048))).toBe(-ENAMETOOLONG);
    expect(vfs.resolve('')).toBe(-ENOENT);
  });

  it('open flags: O_DIRECTORY, EISDIR for writing a directory, O_CREAT on a directory path', () => {
    const vfs = new Vfs();
    vfs.mkdir('/d');
    vfs.writeFile('/f', enc(''));
    expect(vfs.open('/f', O_RDONLY | O_DIRECTORY)).toBe(-ENOTDIR);
    expect(vfs.open('/d', O_WRONLY)).toBe(-EISDIR);
    expect(vfs.open('/d', O_RDONLY | O_TRUNC)).toBe(-EISDIR);
    expect(vfs.open('/d/', O_WRONLY | O_CREAT)).toBe(-EISDIR);
    expect(vfs.open('/new/', O_WRONLY | O_CREAT)).toBe(-EISDIR);
    expect(vfs.open('/f/x', O_WRONLY | O_CREAT)).toBe(-ENOTDIR);
    const d = open(vfs, '/d', O_RDONLY | O_DIRECTORY);
    expect(d.read(1)).toBe(-EISDIR);
    expect(d.write(enc('x'))).toBe(-EBADF);
  });

  it('resolves ".", ".." (stopping at the root) and relative paths from a cwd; getcwd', () => {
    const vfs = new Vfs();
    vfs.mkdir('/a');
    vfs.mkdir('/a/b');
    const b = vfs.chdirTarget('/a/b');
    if (typeof b === 'number') throw new Error();
    expect(vfs.resolve('../..', b)).toBe(vfs.root);
    expect(vfs.resolve('../../../..', b)).toBe(vfs.root);
    expect(vfs.resolve('/../a/./b/../b', b)).toBe(b);
    expect(vfs.resolve('.', b)).toBe(b);
    vfs.writeFile('/a/b/c', enc('z'));
    expect(vfs.stat('c', b)).toMatchObject({ size: 1 });
    expect(vfs.getcwd(b)).toBe('/a/b');
    expect(vfs.getcwd(vfs.root)).toBe('/');
    expect(vfs.chdirTarget('/a/b/c')).toBe(-ENOTDIR);
    vfs.unlink('/a/b/c');
    vfs.rmdir('/a/b');
    expect(vfs.getcwd(b)).toBe(-ENOENT);
    expect(vfs.open('x', O_CREAT | O_WRONLY, 0o644, b)).toBe(-ENOENT);
  });

  it('mounts: entering the mount point switches to the mounted root; ".." crosses back', () => {
    const vfs = new Vfs();
    vfs.mkdir('/mnt');
    vfs.writeFile('/mnt/hidden', enc('under'));
    const fs = vfs.newFs();
    expect(vfs.mount('/mnt', fs)).toBe(0);
    expect(vfs.mount('/mnt', fs)).toBe(-EBUSY);
    expect(vfs.resolve('/mnt')).toBe(fs);
    expect(vfs.resolve('/mnt/hidden')).toBe(-ENOENT);
    vfs.writeFile('/mnt/inside', enc('over'));
    expect(dec(vfs.readFile('/mnt/inside'))).toBe('over');
    expect(vfs.resolve('/mnt/..')).toBe(vfs.root);
    expect(vfs.resolve('..', fs)).toBe(vfs.root);
    expect(vfs.stat('/mnt/inside')).toMatchObject({ dev: fs.dev });
    expect((vfs.stat('/mnt/inside') as { dev: number }).dev).not.toBe(vfs.root.dev);
    vfs.mkdir('/mnt/sub');
    const sub = vfs.resolve('/mnt/sub');
    if (typeof sub === 'number') throw new Error();
    expect(vfs.getcwd(sub)).toBe('/mnt/sub');
    expect(vfs.rmdir('/mnt')).toBe(-EBUSY);
  });

  it('getdents64: ".", "..", entries in creation order, d_off cookies, 8-byte records, small buffers', () => {
    const vfs = new Vfs();
    vfs.mkdir('/d');
    vfs.writeFile('/d/file', enc('x'));
    vfs.mkdir('/d/sub');
    vfs.writeFile('/d/' + 'long'.repeat(10), enc(''));
    const d = open(vfs, '/d', O_RDONLY | O_DIRECTORY);
    const all = readdir(d);
    expect(all.map((e) => [e.name, e.type])).toEqual([
      ['.', DT_DIR],
      ['..', DT_DIR],
      ['file', DT_REG],
      ['sub', DT_DIR],
      ['long'.repeat(10), DT_REG],
    ]);
    expect(all.map((e) => e.off)).toEqual([1, 2, 3, 4, 5]);
    expect(all[1]!.ino).toBe(vfs.root.ino);
    expect(all[3]!.ino).toBe((vfs.stat('/d/sub') as { ino: number }).ino);
    d.lseek(0, SEEK_SET);
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) sizes.push((d.getdents(24) as Uint8Array).length); // one record at a time…
    expect(sizes).toEqual([24, 24, 24, 24]);
    expect(d.getdents(24)).toBe(-EINVAL); // …until the long name needs 64
    expect((d.getdents(64) as Uint8Array).length).toBe(64);
    expect((d.getdents(64) as Uint8Array).length).toBe(0);
    const dev = open(vfs, '/dev', O_RDONLY);
    expect(
      readdir(dev)
        .filter((e) => e.type === DT_CHR)
        .map((e) => e.name),
    ).toEqual(['null', 'zero']);
    expect(open(vfs, '/d/file', O_RDONLY).getdents(100)).toBe(-ENOTDIR);
  });
});

describe('devfs', () => {
  it('/dev/null and /dev/zero; char devices refuse lseek with ESPIPE', () => {
    const vfs = new Vfs();
    const n = open(vfs, '/dev/null', O_RDWR);
    expect(n.write(enc('abc'))).toBe(3);
    expect((n.read(10) as Uint8Array).length).toBe(0);
    expect(n.lseek(0, SEEK_SET)).toBe(-ESPIPE);
    const z = open(vfs, '/dev/zero', O_RDONLY);
    expect(z.read(5)).toEqual(new Uint8Array(5));
    expect(vfs.stat('/dev/zero')).toMatchObject({ mode: S_IFCHR | 0o666, rdev: (1 << 8) | 5 });
    expect(vfs.stat('/dev')).toMatchObject({ mode: S_IFDIR | 0o755 });
  });

  it('drivers get open/close/ioctl hooks', () => {
    const vfs = new Vfs();
    const log: string[] = [];
    vfs.addCharDevice(
      'probe',
      {
        name: 'probe',
        read: () => new Uint8Array(0),
        write: (_f, d) => d.length,
        open: () => (log.push('open'), log.length > 2 ? -EBUSY : 0),
        close: () => void log.push('close'),
        ioctl: (_f, req, arg, user) => user.copyOut(arg, Uint8Array.of(req & 255)),
      },
      0x4242,
    );
    const f = open(vfs, '/dev/probe', O_RDWR);
    const written: number[] = [];
    expect(
      f.vnode.driver!.ioctl!(f, 0x4601, 0x1000, {
        copyIn: () => -14,
        copyOut: (va, b) => (written.push(va, b[0]!), 0),
      }),
    ).toBe(0);
    expect(written).toEqual([0x1000, 1]);
    f.release();
    expect(vfs.open('/dev/probe', O_RDONLY)).toBe(-EBUSY);
    expect(log).toEqual(['open', 'close', 'open', 'close']);
  });
});

describe('struct stat', () => {
  it('encodes the asm-generic stat64 layout (104 bytes)', () => {
    const b = encodeStat({
      dev: 2,
      ino: 0x1_0000_0007,
      mode: S_IFREG | 0o644,
      nlink: 1,
      uid: 0,
      gid: 0,
      rdev: 0x105,
      size: 5000,
      blksize: 4096,
      blocks: 10,
      atimeMs: 1500,
      mtimeMs: 2250,
      ctimeMs: 3000,
    });
    expect(b.length).toBe(STAT_SIZE);
    const dv = new DataView(b.buffer);
    expect([dv.getUint32(0, true), dv.getUint32(8, true), dv.getUint32(12, true)]).toEqual([2, 7, 1]);
    expect(dv.getUint32(16, true)).toBe(0o100644);
    expect(dv.getUint32(20, true)).toBe(1);
    expect(dv.getUint32(32, true)).toBe(0x105);
    expect(dv.getUint32(48, true)).toBe(5000);
    expect(dv.getInt32(56, true)).toBe(4096);
    expect(dv.getUint32(64, true)).toBe(10);
    expect([dv.getInt32(72, true), dv.getUint32(76, true)]).toEqual([1, 500_000_000]);
    expect([dv.getInt32(80, true), dv.getUint32(84, true)]).toEqual([2, 250_000_000]);
    expect(dv.getInt32(88, true)).toBe(3);
  });
});

describe('fd tables', () => {
  it('allocates the lowest free fd, dup/dup3, EMFILE at 256, cloexec', () => {
    const vfs = new Vfs();
    const t = new FdTable();
    const f = open(vfs, '/dev/null', O_RDWR);
    expect(t.install(f)).toBe(0);
    expect(t.dup(0)).toBe(1);
    expect(f.refs).toBe(2);
    expect(t.dup3(0, 10, O_CLOEXEC)).toBe(10);
    expect(t.dup3(0, 0, 0)).toBe(-EINVAL);
    expect(t.dup3(0, 11, 1)).toBe(-EINVAL);
    expect(t.dup3(5, 11, 0)).toBe(-EBADF);
    expect(t.dup3(0, 256, 0)).toBe(-EBADF);
    expect(t.close(1)).toBe(0);
    expect(t.close(1)).toBe(-EBADF);
    expect(t.dup(0)).toBe(1);
    for (let i = 0; i < 253; i++) expect(t.dup(0)).toBeGreaterThan(1);
    expect(t.dup(0)).toBe(-EMFILE);
    expect(f.refs).toBe(256);
    t.closeOnExec();
    expect(t.get(10)).toBeUndefined();
    expect(t.dup(0)).toBe(10);
    t.closeAll();
    expect(f.refs).toBe(0);
    expect(f.vnode.refs).toBe(0);
    expect(t.get(-1)).toBeUndefined();
  });

  it('fork shares open-file descriptions (offsets) with an extra reference each', () => {
    const vfs = new Vfs();
    vfs.writeFile('/f', enc('abcdef'));
    const t = new FdTable();
    t.install(open(vfs, '/f', O_RDONLY));
    const c = t.fork();
    expect(dec(c.get(0)!.read(2))).toBe('ab');
    expect(dec(t.get(0)!.read(2))).toBe('cd');
    expect(t.get(0)!.refs).toBe(2);
    c.closeAll();
    expect(t.get(0)!.refs).toBe(1);
  });
});

describe('pipes', () => {
  it('EOF without writers, EPIPE without readers, would-block and non-blocking, waking sleepers', () => {
    const woken: number[] = [];
    const vfs = new Vfs({ wake: (t) => woken.push(t) });
    const [r, w] = vfs.pipe();
    const blocked = r.read(10);
    expect(isBlocked(blocked)).toBe(true);
    if (isBlocked(blocked)) blocked.blocked.sleep(3);
    expect(w.write(enc('hi'))).toBe(2);
    expect(woken).toEqual([3]);
    expect(r.lseek(0, SEEK_SET)).toBe(-ESPIPE);
    expect(vfs.stat).toBeDefined();
    expect(dec(r.read(10))).toBe('hi');
    const big = new Uint8Array(70_000);
    expect(w.write(big)).toBe(65536);
    const wb = w.write(big);
    expect(isBlocked(wb)).toBe(true);
    if (isBlocked(wb)) wb.blocked.sleep(4);
    expect((r.read(100) as Uint8Array).length).toBe(100);
    expect(woken).toEqual([3, 4]);
    expect(w.write(big)).toBe(100);
    const w2 = w.retain();
    w.release();
    expect((r.read(1 << 20) as Uint8Array).length).toBe(65536);
    w2.release(); // last writer gone
    expect((r.read(10) as Uint8Array).length).toBe(0); // EOF
    const [r2, w3] = vfs.pipe(O_NONBLOCK);
    expect(r2.read(1)).toBe(-EAGAIN);
    r2.release();
    expect(w3.write(enc('x'))).toBe(-EPIPE);
    expect(r.write(enc('x'))).toBe(-EBADF);
    expect(w3.read(1)).toBe(-EBADF);
  });
});
