import { describe, it, expect } from 'vitest';
import { PhysicalMemory, PAGE_SIZE } from '../../core/machine/memory';
import { FramePool } from '../../core/kernel/pmm';
import { FutMm } from '../../core/kernel/mm';
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  STACK_BOTTOM,
  STACK_GUARD,
  STACK_TOP,
} from '../../core/kernel/abi';
import { EACCES, EFAULT, EINVAL, ENAMETOOLONG, ENOMEM } from '../../core/kernel/errno';
import { sv32Walk } from './sv32walk';

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

function setup(ramMiB = 8, opts: { limitFrames?: number; mmapQuota?: number } = {}) {
  const mem = new PhysicalMemory(ramMiB * 1024 * 1024);
  const pool = new FramePool(mem, { reservedBytes: 64 * 1024, limitFrames: opts.limitFrames });
  const mm = FutMm.create(pool, { mmapQuota: opts.mmapQuota });
  if (typeof mm === 'number') throw new Error('create failed');
  return { mem, pool, mm };
}

const bytes = (...xs: number[]) => Uint8Array.from(xs);

describe('FutMm: kernel half and layout', () => {
  it('maps RAM 1:1 at 0x8000_0000 as supervisor-only megapages shared by every address space', () => {
    const { mem, pool, mm } = setup(8);
    const other = FutMm.create(pool) as FutMm;
    for (const va of [0x8000_0000, 0x8012_3456, 0x807f_fffc]) {
      expect(sv32Walk(mem, mm.satp, va, 'S', 'read')).toBe(va);
      expect(sv32Walk(mem, mm.satp, va, 'S', 'write')).toBe(va);
      expect(sv32Walk(mem, mm.satp, va, 'U', 'read')).toBe(-1);
      expect(sv32Walk(mem, mm.satp, va, 'S', 'exec')).toBe(-1);
    }
    for (let i = 512; i < 1024; i++) expect(mem.read32(mm.root + i * 4)).toBe(mem.read32(other.root + i * 4));
    expect(mm.kernelEntries.length).toBe(2);
    expect(mm.satp >>> 31).toBe(1);
    expect((mm.satp & 0x3fffff) * 4096).toBe(mm.root);
  });

  it('maps a 256 KiB RW stack under 0x7FFF_0000 with a guard page VMA below it', () => {
    const { mem, mm } = setup();
    expect(mm.mapStack()).toBe(0);
    const kinds = mm.vmas.all.map((v) => [v.kind, v.start, v.end]);
    expect(kinds).toContainEqual(['stack', STACK_BOTTOM, STACK_TOP]);
    expect(kinds).toContainEqual(['guard', STACK_GUARD, STACK_BOTTOM]);
    expect(STACK_TOP - STACK_BOTTOM).toBe(256 * 1024);
    for (let va = STACK_BOTTOM; va < STACK_TOP; va += PAGE_SIZE)
      expect(sv32Walk(mem, mm.satp, va, 'U', 'write')).toBeGreaterThan(0);
    expect(sv32Walk(mem, mm.satp, STACK_GUARD, 'U', 'read')).toBe(-1);
    expect(sv32Walk(mem, mm.satp, STACK_TOP, 'U', 'read')).toBe(-1);
    expect(mm.handleFault(STACK_GUARD + 100, 'write')).toBe('stack-overflow');
    expect(mm.handleFault(STACK_GUARD - 4, 'write')).toMatchObject({ kind: 'segv' });
    // A frame larger than the guard page put sp below it: the store there is a stack overflow too…
    expect(mm.handleFault(STACK_GUARD - 0x100, 'write', STACK_GUARD - 0x2000)).toBe('stack-overflow');
    expect(mm.handleFault(STACK_GUARD - 0x2000, 'read', STACK_GUARD - 0x1800)).toBe('stack-overflow');
    // …but not an address more than a page under sp, nor a wild sp far from the stack.
    expect(mm.handleFault(STACK_GUARD - 0x4000, 'write', STACK_GUARD - 0x2000)).toMatchObject({
      kind: 'segv',
    });
    expect(mm.handleFault(0x3000_0000, 'write', 0x3000_0000)).toMatchObject({ kind: 'segv' });
    expect(mm.handleFault(0x10, 'read', 0)).toMatchObject({ kind: 'segv' });
    // sp on a stack of the task's own below the guard (a mapping in between): not an overflow.
    const own = mm.mmap(STACK_GUARD - 0x1000, 0x1000, 3, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS);
    expect(own).toBe(STACK_GUARD - 0x1000);
    expect(mm.handleFault(STACK_GUARD - 0x3000, 'write', STACK_GUARD - 0x3000)).toMatchObject({
      kind: 'segv',
    });
    expect(mm.mapStack()).toBe(-EINVAL);
  });

  it('classifies faults: unmapped, kernel, permission, spurious', () => {
    const { mm } = setup();
    expect(mm.mapRegion(0x400000, 0x402000, PROT_READ | PROT_EXEC, 'text')).toBe(0);
    expect(mm.handleFault(0x10, 'read')).toEqual({ kind: 'segv', reason: 'unmapped address' });
    expect(mm.handleFault(0x8000_1000, 'read')).toMatchObject({ kind: 'segv', reason: 'kernel address' });
    const w = mm.handleFault(0x400010, 'write');
    expect(w).toMatchObject({ kind: 'segv', reason: 'write not permitted' });
    expect(typeof w === 'object' && w.vma?.kind).toBe('text');
    expect(mm.handleFault(0x400010, 'exec')).toBe('resolved');
    expect(mm.mapRegion(0x401000, 0x403000, RW, 'data')).toBe(-EINVAL);
  });
});

describe('FutMm: brk', () => {
  it('starts one unmapped page above the image, grows, clamps, shrinks and re-zeroes', () => {
    const { mem, pool, mm } = setup();
    mm.mapRegion(0x400000, 0x401800, RW, 'data');
    mm.setHeapBase(0x401800);
    expect(mm.brkStart).toBe(0x403000);
    expect(mm.brk(0)).toBe(0x403000);
    const used = pool.used;
    expect(mm.brk(0x403000 + 5000)).toBe(0x403000 + 5000);
    expect(pool.used).toBe(used + 2);
    expect(sv32Walk(mem, mm.satp, 0x402000, 'U', 'read')).toBe(-1); // the gap page
    expect(sv32Walk(mem, mm.satp, 0x404ffc, 'U', 'write')).toBeGreaterThan(0);
    expect(mm.copyOut(0x404000, bytes(1, 2, 3))).toBe(0);
    expect(mm.brk(0x100)).toBe(0x403000); // clamps to the start
    expect(pool.used).toBe(used);
    expect(sv32Walk(mem, mm.satp, 0x404000, 'U', 'read')).toBe(-1);
    expect(mm.brk(0x405000)).toBe(0x405000);
    expect(mm.copyIn(0x404000, 3)).toEqual(bytes(0, 0, 0));
    expect(mm.brk(0x4000_1000)).toBe(-ENOMEM);
    expect(mm.brk(0)).toBe(0x405000);
    expect(mm.vmas.all.filter((v) => v.kind === 'heap')).toEqual([
      expect.objectContaining({ start: 0x403000, end: 0x405000 }),
    ]);
  });

  it('fails with -ENOMEM (and changes nothing) when RAM runs out', () => {
    const { pool, mm } = setup(8, { limitFrames: 40 });
    mm.setHeapBase(0x400000);
    const before = pool.used - mm.tableFrames;
    expect(mm.brk(mm.brkStart + 100 * PAGE_SIZE)).toBe(-ENOMEM);
    expect(pool.used - mm.tableFrames).toBe(before); // only a level-0 table may remain
    expect(mm.brk(0)).toBe(mm.brkStart);
  });
});

describe('FutMm: mmap / munmap / mprotect', () => {
  it('places anonymous mappings at or above 0x4000_0000 and reuses holes', () => {
    const { mm } = setup();
    const a = mm.mmap(0, 3 * PAGE_SIZE, RW, ANON);
    const b = mm.mmap(0, PAGE_SIZE, RW, ANON);
    expect(a).toBe(0x4000_0000);
    expect(b).toBe(a + 3 * PAGE_SIZE);
    expect(mm.munmap(a, 2 * PAGE_SIZE)).toBe(0);
    expect(mm.mmap(0, PAGE_SIZE, RW, ANON)).toBe(a);
    expect(mm.mmap(0, 2 * PAGE_SIZE, RW, ANON)).toBe(b + PAGE_SIZE);
    expect(mm.mmapBytes).toBe(5 * PAGE_SIZE);
  });

  it('validates arguments', () => {
    const { mm } = setup();
    expect(mm.mmap(0, 0, RW, ANON)).toBe(-EINVAL);
    expect(mm.mmap(0, 10, RW, MAP_ANONYMOUS)).toBe(-EINVAL);
    expect(mm.mmap(0, 10, RW, MAP_ANONYMOUS | MAP_SHARED | MAP_PRIVATE)).toBe(-EINVAL);
    expect(mm.mmap(0, 10, 8, ANON)).toBe(-EINVAL);
    expect(mm.mmap(0, 10, RW, MAP_PRIVATE)).toBe(-EINVAL);
    expect(mm.mmap(0x4000_0001, 10, RW, ANON | MAP_FIXED)).toBe(-EINVAL);
    expect(mm.mmap(0x1000, 10, RW, ANON | MAP_FIXED)).toBe(-EINVAL);
    expect(mm.munmap(0x4000_0001, 10)).toBe(-EINVAL);
    expect(mm.munmap(0x4000_0000, 0)).toBe(-EINVAL);
    expect(mm.munmap(0x4000_0000, 10)).toBe(0); // nothing mapped there: fine
    expect(mm.mprotect(0x4000_0000, PAGE_SIZE, PROT_READ)).toBe(-ENOMEM);
  });

  it('enforces the per-task quota', () => {
    const { mm } = setup(8, { mmapQuota: 4 * PAGE_SIZE });
    const a = mm.mmap(0, 3 * PAGE_SIZE, RW, ANON);
    expect(a).toBeGreaterThan(0);
    expect(mm.mmap(0, 2 * PAGE_SIZE, RW, ANON)).toBe(-ENOMEM);
    expect(mm.mmap(a, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED)).toBe(a); // replaces 3 pages: still 4
    expect(mm.mmapBytes).toBe(4 * PAGE_SIZE);
    expect(mm.munmap(a, PAGE_SIZE)).toBe(0);
    expect(mm.mmap(0, PAGE_SIZE, RW, ANON)).toBe(a);
  });

  it('default quota is 256 MiB', () => {
    const { mm } = setup(8);
    expect(mm.mmapQuota).toBe(256 * 1024 * 1024);
    expect(mm.mmap(0, 257 * 1024 * 1024, RW, ANON)).toBe(-ENOMEM);
  });

  it('MAP_FIXED replaces existing pages with zeroed ones and splits VMAs', () => {
    const { mm } = setup();
    const a = mm.mmap(0, 4 * PAGE_SIZE, RW, ANON);
    mm.copyOut(a + PAGE_SIZE, bytes(9, 9));
    expect(mm.mmap(a + PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED)).toBe(a + PAGE_SIZE);
    expect(mm.copyIn(a + PAGE_SIZE, 2)).toEqual(bytes(0, 0));
    expect(mm.vmas.all.filter((v) => v.kind === 'mmap').map((v) => [v.start - a, v.end - a, v.prot])).toEqual(
      [
        [0, PAGE_SIZE, RW],
        [PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ],
        [2 * PAGE_SIZE, 4 * PAGE_SIZE, RW],
      ],
    );
  });

  it('munmap of a middle range splits the VMA; mprotect changes PTEs and coalesces back', () => {
    const { mem, mm } = setup();
    const a = mm.mmap(0, 6 * PAGE_SIZE, RW, ANON);
    expect(mm.munmap(a + 2 * PAGE_SIZE, PAGE_SIZE + 1)).toBe(0);
    const list = mm.vmas.all.filter((v) => v.kind === 'mmap').map((v) => [v.start - a, v.end - a]);
    expect(list).toEqual([
      [0, 2 * PAGE_SIZE],
      [4 * PAGE_SIZE, 6 * PAGE_SIZE],
    ]);
    expect(mm.mprotect(a, 2 * PAGE_SIZE, PROT_READ)).toBe(0);
    expect(sv32Walk(mem, mm.satp, a, 'U', 'write')).toBe(-1);
    expect(sv32Walk(mem, mm.satp, a, 'U', 'read')).toBeGreaterThan(0);
    expect(mm.copyOut(a, bytes(1))).toBe(-EFAULT);
    expect(mm.mprotect(a, 3 * PAGE_SIZE, PROT_READ)).toBe(-ENOMEM); // hole at +2
    expect(mm.mprotect(a + PAGE_SIZE, PAGE_SIZE, RW)).toBe(0);
    expect(mm.mprotect(a, PAGE_SIZE, RW)).toBe(0);
    expect(mm.vmas.all.filter((v) => v.kind === 'mmap').length).toBe(2);
    expect(mm.mprotect(a, PAGE_SIZE, 0)).toBe(0);
    expect(sv32Walk(mem, mm.satp, a, 'U', 'read')).toBe(-1);
    expect(mm.handleFault(a, 'read')).toMatchObject({ kind: 'segv', reason: 'read not permitted' });
    expect(mm.mprotect(a, PAGE_SIZE, PROT_READ | PROT_EXEC)).toBe(0);
    expect(sv32Walk(mem, mm.satp, a, 'U', 'exec')).toBeGreaterThan(0);
    mm.mapStack();
    expect(mm.mprotect(STACK_GUARD, PAGE_SIZE, RW)).toBe(-EACCES);
  });

  it('maps device memory (phys backing) without taking frames, shared across fork', () => {
    const { mem, pool, mm } = setup();
    const used = pool.used - mm.tableFrames;
    const a = mm.mmap(0, 2 * PAGE_SIZE, RW, MAP_SHARED, 0x5000_0000);
    expect(a).toBeGreaterThan(0);
    expect(sv32Walk(mem, mm.satp, a + PAGE_SIZE + 8, 'U', 'write')).toBe(0x5000_1008);
    const child = mm.fork() as FutMm;
    expect(sv32Walk(mem, child.satp, a + 8, 'U', 'write')).toBe(0x5000_0008);
    expect(mm.copyIn(a, 4)).toBe(-EFAULT); // not RAM: syscalls do not copy through device pages
    child.release();
    mm.munmap(a, 2 * PAGE_SIZE);
    expect(pool.used - mm.tableFrames).toBe(used);
  });
});

describe('FutMm: copy-on-write fork', () => {
  it('shares frames read-only, copies on the first write, and re-enables write for the last owner', () => {
    const { mem, pool, mm } = setup();
    const a = mm.mmap(0, 2 * PAGE_SIZE, RW, ANON);
    mm.copyOut(a, bytes(1, 2, 3));
    const child = mm.fork() as FutMm;
    const pa = sv32Walk(mem, mm.satp, a, 'U', 'read');
    expect(sv32Walk(mem, child.satp, a, 'U', 'read')).toBe(pa);
    expect(sv32Walk(mem, child.satp, a, 'U', 'write')).toBe(-1);
    expect(sv32Walk(mem, mm.satp, a, 'U', 'write')).toBe(-1);
    expect(pool.refCount(pa)).toBe(2);
    // The child writes (as the syscall layer would via copyOut): it gets its own copy.
    expect(child.copyOut(a + 1, bytes(42))).toBe(0);
    const cpa = sv32Walk(mem, child.satp, a, 'U', 'write');
    expect(cpa).toBeGreaterThan(0);
    expect(cpa).not.toBe(pa);
    expect(child.copyIn(a, 3)).toEqual(bytes(1, 42, 3));
    expect(mm.copyIn(a, 3)).toEqual(bytes(1, 2, 3));
    expect(pool.refCount(pa)).toBe(1);
    // The parent is now the only owner: a write fault just turns W back on, no copy.
    const used = pool.used;
    expect(mm.handleFault(a, 'write')).toBe('resolved');
    expect(sv32Walk(mem, mm.satp, a, 'U', 'write')).toBe(pa);
    expect(pool.used).toBe(used);
    child.release();
    mm.release();
    expect(pool.used).toBe(0);
    pool.checkInvariants();
  });

  it('MAP_SHARED anonymous pages stay shared and writable after fork', () => {
    const { mem, mm } = setup();
    const a = mm.mmap(0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS);
    const child = mm.fork() as FutMm;
    expect(child.copyOut(a, bytes(7))).toBe(0);
    expect(mm.copyIn(a, 1)).toEqual(bytes(7));
    expect(sv32Walk(mem, child.satp, a, 'U', 'write')).toBe(sv32Walk(mem, mm.satp, a, 'U', 'write'));
  });

  it('keeps brk/heap state and a read-only page stays read-only (COW) in the child', () => {
    const { mm } = setup();
    mm.mapRegion(0x400000, 0x401000, PROT_READ, 'text');
    mm.setHeapBase(0x401000);
    mm.brk(mm.brkStart + 10);
    const child = mm.fork() as FutMm;
    expect(child.brk(0)).toBe(mm.brk(0));
    expect(child.handleFault(0x400000, 'write')).toMatchObject({ kind: 'segv' });
    expect(child.mprotect(0x400000, PAGE_SIZE, RW)).toBe(0);
    expect(child.copyOut(0x400000, bytes(5))).toBe(0);
    expect(mm.copyIn(0x400000, 1)).toEqual(bytes(0));
  });

  it('fork under memory pressure fails cleanly with -ENOMEM', () => {
    const { pool, mm } = setup(8, { limitFrames: 30 });
    mm.mmap(0, 20 * PAGE_SIZE, RW, ANON);
    mm.mmap(0x1000_0000, PAGE_SIZE, RW, ANON | MAP_FIXED);
    mm.mmap(0x2000_0000, PAGE_SIZE, RW, ANON | MAP_FIXED);
    mm.mmap(0x3000_0000, PAGE_SIZE, RW, ANON | MAP_FIXED);
    const used = pool.used;
    expect(mm.fork()).toBe(-ENOMEM); // needs a root + 4 level-0 tables
    expect(pool.used).toBe(used);
    pool.checkInvariants();
  });

  it('retain/release: the last release frees everything', () => {
    const { pool, mm } = setup();
    mm.mapStack();
    mm.retain();
    mm.release();
    expect(pool.used).toBeGreaterThan(0);
    mm.release();
    expect(pool.used).toBe(0);
    expect(() => mm.release()).toThrow();
  });
});

describe('FutMm: user memory access', () => {
  it('copyIn/copyOut across page boundaries; -EFAULT for unmapped, kernel and read-only targets', () => {
    const { mm } = setup();
    const a = mm.mmap(0, 2 * PAGE_SIZE, RW, ANON);
    const data = Uint8Array.from({ length: 100 }, (_, i) => i + 1);
    expect(mm.copyOut(a + PAGE_SIZE - 50, data)).toBe(0);
    expect(mm.copyIn(a + PAGE_SIZE - 50, 100)).toEqual(data);
    expect(mm.copyIn(a + 2 * PAGE_SIZE - 1, 2)).toBe(-EFAULT);
    expect(mm.copyOut(a + 2 * PAGE_SIZE - 1, bytes(1, 2))).toBe(-EFAULT);
    expect(mm.copyIn(a + 2 * PAGE_SIZE - 1, 1)).toEqual(bytes(0)); // all-or-nothing: nothing written
    expect(mm.copyIn(0, 4)).toBe(-EFAULT);
    expect(mm.copyIn(0x8000_0000, 4)).toBe(-EFAULT);
    expect(mm.copyIn(0x7fff_fff0, 0x20)).toBe(-EFAULT);
    expect(mm.checkRange(a, 2 * PAGE_SIZE, true)).toBe(0);
    expect(mm.checkRange(a, 2 * PAGE_SIZE + 1, false)).toBe(-EFAULT);
    expect(mm.checkRange(a, -1, false)).toBe(-EFAULT);
    mm.mprotect(a, PAGE_SIZE, PROT_READ);
    expect(mm.checkRange(a, 1, true)).toBe(-EFAULT);
    expect(mm.checkRange(a, 1, false)).toBe(0);
  });

  it('readString finds the NUL across pages and reports overlong or unterminated strings', () => {
    const { mm } = setup();
    const a = mm.mmap(0, 2 * PAGE_SIZE, RW, ANON);
    const s = 'héllo/wörld';
    const enc = new TextEncoder().encode(s);
    mm.copyOut(a + PAGE_SIZE - 4, Uint8Array.from([...enc, 0]));
    expect(mm.readString(a + PAGE_SIZE - 4, 255)).toBe(s);
    expect(mm.readString(a + PAGE_SIZE - 4, 5)).toBe(-ENAMETOOLONG);
    mm.copyOut(a + 2 * PAGE_SIZE - 3, bytes(65, 66, 67));
    expect(mm.readString(a + 2 * PAGE_SIZE - 3, 100)).toBe(-EFAULT);
    expect(mm.readString(a, 10)).toBe('');
  });

  it('kernelWrite fills read-only text pages for the loader', () => {
    const { mm } = setup();
    mm.mapRegion(0x400000, 0x402000, PROT_READ | PROT_EXEC, 'text');
    expect(mm.kernelWrite(0x400ffe, bytes(1, 2, 3, 4))).toBe(0);
    expect(mm.copyIn(0x400ffe, 4)).toEqual(bytes(1, 2, 3, 4));
    expect(mm.kernelWrite(0x402000, bytes(1))).toBe(-EFAULT);
  });
});
