// `struct stat` as the kernel fills it for fstat (80) and newfstatat (79). libfutura's sys/stat.h
// mirrors this layout: the asm-generic `struct stat64` (64-bit fields, as on riscv32), 104 bytes,
// little-endian, 8-byte aligned:
//
//   struct stat {
//     unsigned long long st_dev;        //  0
//     unsigned long long st_ino;        //  8
//     unsigned int       st_mode;       // 16  (S_IFMT type bits | permissions)
//     unsigned int       st_nlink;      // 20
//     unsigned int       st_uid;        // 24  (always 0)
//     unsigned int       st_gid;        // 28  (always 0)
//     unsigned long long st_rdev;       // 32  (major << 8 | minor for devices)
//     unsigned long long __pad1;        // 40
//     long long          st_size;       // 48
//     int                st_blksize;    // 56  (4096)
//     int                __pad2;        // 60
//     long long          st_blocks;     // 64  (512-byte blocks)
//     int                st_atime;      // 72  (seconds on the virtual clock)
//     unsigned int       st_atime_nsec; // 76
//     int                st_mtime;      // 80
//     unsigned int       st_mtime_nsec; // 84
//     int                st_ctime;      // 88
//     unsigned int       st_ctime_nsec; // 92
//     unsigned int       __unused4;     // 96
//     unsigned int       __unused5;     // 100
//   };                                  // sizeof 104

import type { Vnode } from './vnode';

export const STAT_SIZE = 104;

export interface StatInfo {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  /** Milliseconds. */
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}

export function statOf(v: Vnode): StatInfo {
  const size = v.type === 'reg' ? v.size : v.type === 'fifo' ? (v.pipe?.available ?? 0) : 0;
  return {
    dev: v.dev,
    ino: v.ino,
    mode: v.fullMode,
    nlink: v.nlink,
    uid: 0,
    gid: 0,
    rdev: v.rdev,
    size,
    blksize: 4096,
    blocks: Math.ceil(size / 512),
    atimeMs: v.atime,
    mtimeMs: v.mtime,
    ctimeMs: v.ctime,
  };
}

function put64(dv: DataView, off: number, v: number): void {
  dv.setUint32(off, v >>> 0, true);
  dv.setUint32(off + 4, Math.floor(v / 0x1_0000_0000) >>> 0, true);
}

function putTime(dv: DataView, off: number, ms: number): void {
  dv.setInt32(off, Math.floor(ms / 1000), true);
  dv.setUint32(off + 4, (ms % 1000) * 1_000_000, true);
}

export function encodeStat(s: StatInfo): Uint8Array {
  const out = new Uint8Array(STAT_SIZE);
  const dv = new DataView(out.buffer);
  put64(dv, 0, s.dev);
  put64(dv, 8, s.ino);
  dv.setUint32(16, s.mode, true);
  dv.setUint32(20, s.nlink, true);
  dv.setUint32(24, s.uid, true);
  dv.setUint32(28, s.gid, true);
  put64(dv, 32, s.rdev);
  put64(dv, 48, s.size);
  dv.setInt32(56, s.blksize, true);
  put64(dv, 64, s.blocks);
  putTime(dv, 72, s.atimeMs);
  putTime(dv, 80, s.mtimeMs);
  putTime(dv, 88, s.ctimeMs);
  return out;
}
