// Kernel access to user memory for syscalls: walks the task's page tables in TS exactly as the MMU
// would for U-mode, faulting in missing pages and breaking copy-on-write through the fault handler.
// Every failure is -EFAULT (or -ENAMETOOLONG for an unterminated string); nothing throws.

import { KERNEL_BASE, PAGE_SIZE } from '../abi';
import { EFAULT, ENAMETOOLONG } from '../errno';
import type { PhysicalMemory } from '../../machine/memory';
import type { FaultAccess, FaultResult } from './futmm';
import { utf8Decode } from '../../util/utf8';
import { copyBytes } from '../bytes';

export interface UserSpace {
  translate(va: number, access: FaultAccess): number;
  handleFault(va: number, access: FaultAccess): FaultResult;
  readonly pool: { readonly mem: PhysicalMemory };
  readonly onKernelWrite?: ((paddr: number, len: number) => void) | undefined;
}

/** RAM offset of user byte va for `access`, resolving faults the VMAs allow; -1 when the access is invalid. */
function pageOffset(us: UserSpace, va: number, access: FaultAccess): number {
  let pa = us.translate(va, access);
  if (pa === -1) {
    if (us.handleFault(va, access) !== 'resolved') return -1;
    pa = us.translate(va, access);
    if (pa === -1) return -1;
  }
  const mem = us.pool.mem;
  // Device pages (e.g. the framebuffer) are not RAM; syscalls do not copy through them.
  return mem.contains(pa) ? mem.offset(pa) : -1;
}

function rangeOk(va: number, len: number): boolean {
  return Number.isInteger(va) && Number.isInteger(len) && len >= 0 && va >= 0 && va + len <= KERNEL_BASE;
}

/** 0 when [va, va+len) is accessible (for writing if `write`), else -EFAULT. Resolves COW for writes. */
export function checkRange(us: UserSpace, va: number, len: number, write: boolean): number {
  if (!rangeOk(va, len)) return -EFAULT;
  if (len === 0) return 0;
  const access: FaultAccess = write ? 'write' : 'read';
  for (let p = va - (va % PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
    if (pageOffset(us, Math.max(p, va), access) < 0) return -EFAULT;
  }
  return 0;
}

/**
 * RAM offset (in pool.mem.u8) of user byte va for `access`, faults resolved as a copy would; -EFAULT
 * when not allowed. Lets a syscall whose buffer lies within one page copy to or from it directly.
 */
export function userOffset(us: UserSpace, va: number, access: FaultAccess): number {
  if (!rangeOk(va, 1)) return -EFAULT;
  const off = pageOffset(us, va, access);
  return off < 0 ? -EFAULT : off;
}

/** A copy of user bytes [va, va+len), or -EFAULT. */
export function copyIn(us: UserSpace, va: number, len: number): Uint8Array | number {
  if (!rangeOk(va, len)) return -EFAULT;
  const out = new Uint8Array(len);
  const u8 = us.pool.mem.u8;
  let done = 0;
  while (done < len) {
    const a = va + done;
    const off = pageOffset(us, a, 'read');
    if (off < 0) return -EFAULT;
    const n = Math.min(len - done, PAGE_SIZE - (a % PAGE_SIZE));
    copyBytes(out, done, u8, off, n);
    done += n;
  }
  return out;
}

/** RAM offsets of the pages a copyOut touches, found in its checking pass (reused: no allocation). */
const pageOffsets: number[] = [];

/** Writes bytes to user memory at va: all or nothing (every page is checked first). 0 or -EFAULT. */
export function copyOut(us: UserSpace, va: number, bytes: Uint8Array): number {
  const len = bytes.length;
  if (!rangeOk(va, len)) return -EFAULT;
  // One translation per page: the checking pass keeps each page's RAM offset for the copy.
  let pages = 0;
  for (let a = va; a < va + len; a += PAGE_SIZE - (a % PAGE_SIZE)) {
    const off = pageOffset(us, a, 'write');
    if (off < 0) return -EFAULT;
    pageOffsets[pages++] = off;
  }
  const u8 = us.pool.mem.u8;
  let done = 0;
  for (let i = 0; i < pages; i++) {
    const off = pageOffsets[i]!;
    const n = Math.min(len - done, PAGE_SIZE - ((va + done) % PAGE_SIZE));
    copyBytes(u8, off, bytes, done, n);
    us.onKernelWrite?.(us.pool.mem.base + off, n);
    done += n;
  }
  return 0;
}

/** Raw bytes of a NUL-terminated user string (without the NUL), at most `max` bytes before it. */
export function readCString(us: UserSpace, va: number, max: number): Uint8Array | number {
  if (!rangeOk(va, 1)) return -EFAULT;
  const u8 = us.pool.mem.u8;
  const parts: Uint8Array[] = [];
  let total = 0;
  let a = va;
  while (a < KERNEL_BASE) {
    const off = pageOffset(us, a, 'read');
    if (off < 0) return -EFAULT;
    const n = PAGE_SIZE - (a % PAGE_SIZE);
    const chunk = u8.subarray(off, off + n);
    const z = chunk.indexOf(0);
    const take = z < 0 ? n : z;
    if (total + take > max) return -ENAMETOOLONG;
    parts.push(chunk.slice(0, take));
    total += take;
    if (z >= 0) {
      const out = new Uint8Array(total);
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    }
    a += n;
  }
  return -EFAULT;
}

/** A NUL-terminated user string decoded as UTF-8, or -EFAULT / -ENAMETOOLONG. */
export function readString(us: UserSpace, va: number, max: number): string | number {
  const b = readCString(us, va, max);
  return typeof b === 'number' ? b : utf8Decode(b);
}
