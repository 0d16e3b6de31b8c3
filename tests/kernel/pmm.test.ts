import { describe, it, expect } from 'vitest';
import { PhysicalMemory, PAGE_SIZE, RAM_BASE } from '../../core/machine/memory';
import { FramePool } from '../../core/kernel/pmm';
import { makeRng } from './rng';

const FULL = process.env.FUTURA_FULL === '1';

describe('pmm FramePool', () => {
  it('hands out distinct frames outside the reserved region, lowest first', () => {
    const mem = new PhysicalMemory(64 * PAGE_SIZE);
    const pool = new FramePool(mem, { reservedBytes: 5000 });
    expect(pool.reserved).toBe(2);
    expect(pool.total).toBe(62);
    const a = pool.alloc();
    const b = pool.alloc();
    expect(a).toBe(RAM_BASE + 2 * PAGE_SIZE);
    expect(b).toBe(RAM_BASE + 3 * PAGE_SIZE);
    expect(pool.counters()).toEqual({ total: 62, reserved: 2, free: 60, used: 2 });
    pool.checkInvariants();
  });

  it('returns -1 when exhausted and reuses freed frames', () => {
    const mem = new PhysicalMemory(8 * PAGE_SIZE);
    const pool = new FramePool(mem);
    const got: number[] = [];
    for (let i = 0; i < 8; i++) got.push(pool.alloc());
    expect(new Set(got).size).toBe(8);
    expect(pool.alloc()).toBe(-1);
    pool.unref(got[3]!);
    expect(pool.alloc()).toBe(got[3]);
    pool.checkInvariants();
  });

  it('zeroes frames from allocZeroed', () => {
    const mem = new PhysicalMemory(4 * PAGE_SIZE);
    const pool = new FramePool(mem);
    const a = pool.alloc();
    mem.fill(a, PAGE_SIZE, 0xab);
    pool.unref(a);
    const z = pool.allocZeroed();
    expect(z).toBe(a);
    expect(mem.readBytes(z, PAGE_SIZE).every((x) => x === 0)).toBe(true);
  });

  it('reference counts keep shared frames alive until the last unref', () => {
    const pool = new FramePool(new PhysicalMemory(4 * PAGE_SIZE));
    const a = pool.alloc();
    pool.ref(a);
    pool.ref(a);
    expect(pool.refCount(a)).toBe(3);
    expect(pool.unref(a)).toBe(2);
    expect(pool.unref(a)).toBe(1);
    expect(pool.free).toBe(3);
    expect(pool.unref(a)).toBe(0);
    expect(pool.free).toBe(4);
  });

  it('throws on kernel bugs: double free, reserved frame, misaligned address', () => {
    const mem = new PhysicalMemory(4 * PAGE_SIZE);
    const pool = new FramePool(mem, { reservedBytes: PAGE_SIZE });
    const a = pool.alloc();
    pool.unref(a);
    expect(() => pool.unref(a)).toThrow(/double free/);
    expect(() => pool.unref(RAM_BASE)).toThrow(/unmanaged/);
    expect(() => pool.unref(a + 4)).toThrow(/bad frame/);
    expect(() => pool.ref(a)).toThrow(/free frame/);
    expect(pool.manages(RAM_BASE)).toBe(false);
    expect(pool.manages(a)).toBe(true);
  });

  it('limitFrames caps the pool', () => {
    const pool = new FramePool(new PhysicalMemory(16 * PAGE_SIZE), { limitFrames: 3 });
    expect([pool.alloc(), pool.alloc(), pool.alloc(), pool.alloc()].at(-1)).toBe(-1);
    pool.checkInvariants();
  });

  it('random alloc/ref/unref sequences keep counters and invariants consistent', () => {
    const pool = new FramePool(new PhysicalMemory(128 * PAGE_SIZE), { reservedBytes: 8 * PAGE_SIZE });
    const rng = makeRng(7);
    const model = new Map<number, number>();
    const n = FULL ? 50_000 : 5_000;
    for (let i = 0; i < n; i++) {
      const r = rng.int(10);
      const keys = [...model.keys()];
      if (r < 4) {
        const pa = pool.alloc();
        if (model.size === pool.total) expect(pa).toBe(-1);
        else {
          expect(model.has(pa)).toBe(false);
          model.set(pa, 1);
        }
      } else if (r < 6 && keys.length) {
        const pa = keys[rng.int(keys.length)]!;
        pool.ref(pa);
        model.set(pa, model.get(pa)! + 1);
      } else if (keys.length) {
        const pa = keys[rng.int(keys.length)]!;
        const left = model.get(pa)! - 1;
        expect(pool.unref(pa)).toBe(left);
        if (left === 0) model.delete(pa);
        else model.set(pa, left);
      }
      expect(pool.used).toBe(model.size);
    }
    for (const [pa, c] of model) expect(pool.refCount(pa)).toBe(c);
    pool.checkInvariants();
  });
});
