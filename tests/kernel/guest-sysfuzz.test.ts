// A GCC-built guest fuzzes the system calls from user code (tests/fixtures/kernel/sysfuzz.c): random
// numbers and hostile arguments, forks whose children exit at once. The kernel must never throw, the
// guest must run to its done line, and afterwards the frame pool must be consistent with no page
// leaked. 100,000 calls by default, 1,000,000 with FUTURA_FULL=1.
import { describe, expect, it } from 'vitest';
import { Vfs } from '../../core/kernel/vfs';
import { RAMFS_FILE_MAX } from '../../core/kernel/vfs/file';
import { EFBIG } from '../../core/kernel/errno';
import { oracleIt } from '../support/oracle';
import { runSysfuzz, sysfuzzElf } from './guestfuzz';

const FULL = process.env.FUTURA_FULL === '1';

describe('guest syscall fuzzer', () => {
  oracleIt(
    `${FULL ? '1,000,000' : '100,000'} random syscalls from guest code, three seeds: no host exception, done line, no leaked frame`,
    ['riscv64-unknown-elf-gcc'],
    () => {
      const calls = FULL ? 1_000_000 : 100_000;
      const elf = sysfuzzElf();
      for (const seed of [0x5eed, 2, 0xdecade]) {
        const r = runSysfuzz(elf, calls, seed, calls * 20_000);
        const done = /done (\d+) calls, (\d+) errors, (\d+) forks\n$/.exec(r.out);
        expect(done, `seed ${seed}: ${r.out.slice(-200)}`).not.toBeNull();
        expect(Number(done![1])).toBe(calls);
        expect(Number(done![2])).toBeLessThan(calls); // some calls succeed…
        expect(Number(done![3])).toBeGreaterThan(0); // …forks among them
        expect(r.outcome).toBe('exited');
        expect(r.status).toBe(0);
        expect(r.kernel.tasks.aliveCount).toBe(0);
        expect(() => r.kernel.pool.checkInvariants()).not.toThrow();
        expect(r.kernel.pool.used, `seed ${seed}: leaked frames`).toBe(r.usedBefore);
      }
    },
    FULL ? 600_000 : 180_000, // ~10 s alone; minutes when eight people share two cores
  );

  it('a write far out in a RamFS file fails with EFBIG instead of allocating gigabytes (found by the fuzzer)', () => {
    const vfs = new Vfs();
    const f = vfs.open('/big', 0x42);
    if (typeof f === 'number') throw new Error(`open: ${f}`);
    expect(f.lseek(0x6000_0400, 0)).toBe(0x6000_0400);
    expect(f.write(Uint8Array.of(1))).toBe(-EFBIG);
    expect(f.vnode.data.length).toBeLessThan(1 << 20);
    expect(f.lseek(RAMFS_FILE_MAX - 1, 0)).toBe(RAMFS_FILE_MAX - 1);
    expect(f.write(Uint8Array.of(1))).toBe(1);
    expect(f.write(Uint8Array.of(2))).toBe(-EFBIG);
    expect(f.vnode.size).toBe(RAMFS_FILE_MAX);
  });
});
