// Guest input never crashes the kernel: every syscall with random (often hostile) arguments returns
// a result — never a throw — and frame accounting stays consistent.
import { describe, it, expect } from 'vitest';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { SYS } from '../../core/kernel/abi';
import { buildElf } from './elfbuild';
import { makeRng } from './rng';

const FULL = process.env.FUTURA_FULL === '1';
const loop = Uint8Array.from([0x6f, 0, 0, 0]); // j .

describe('syscall fuzz', () => {
  it('random arguments to every call return numbers or would-block results, never throw', () => {
    const board = new Board({ ramSize: 32 << 20, engine: 'interp' });
    const k = new Kernel(board);
    k.vfs.writeFile('/bin/p', buildElf([{ vaddr: 0x400000, data: loop, flags: 5 }], 0x400000));
    k.vfs.writeFile('/etc/motd', new TextEncoder().encode('hello'));
    const t = k.spawn('/bin/p', ['p']);
    if (isLoadFailure(t)) throw new Error(t.message);
    const th = t.mainThread!;
    const mm = t.mm!;
    // A page of plausible strings and pointers for the fuzzer to aim at.
    const buf = mm.mmap(0, 8192, 3, 0x22);
    mm.copyOut(buf, new TextEncoder().encode('/etc/motd\0/dev/null\0/tmp/x\0/\0..\0'));
    mm.copyOut(
      buf + 64,
      Uint8Array.from([buf & 255, (buf >> 8) & 255, (buf >> 16) & 255, buf >>> 24, 0, 0, 0, 0]),
    );
    const rng = makeRng(1234);
    const skip = new Set<number>([SYS.exit, SYS.exit_group, SYS.kill, SYS.execve, SYS.rt_sigreturn]);
    const nrs: number[] = Object.values(SYS).filter((n) => !skip.has(n));
    nrs.push(0, 500, 999, -1);
    const arg = (): number =>
      rng.pick([
        () => rng.int(8) - 1,
        () => rng.int(300),
        () => buf + rng.int(40),
        () => buf + 64,
        () => buf + 8192 - rng.int(8),
        () => 0x8000_0000 | 0,
        () => 0xffff_f000 | 0,
        () => -100,
        () => rng.int(0x7fff_ffff),
        () => 0x4000_0000,
      ])();
    let results = 0;
    for (let i = 0; i < (FULL ? 50_000 : 5_000); i++) {
      const nr = rng.pick(nrs);
      const args = [arg(), arg(), arg(), arg(), arg(), arg()];
      let r: unknown;
      expect(() => (r = k.dispatch(th, nr, args)), `syscall ${nr}(${args.join(', ')})`).not.toThrow();
      expect(typeof r === 'number' || (typeof r === 'object' && r !== null) || r === 'yield').toBe(true);
      if (typeof r === 'number') results++;
      if (t.state !== 'alive') break;
    }
    expect(results).toBeGreaterThan(100);
    k.pool.checkInvariants();
  });

  it('run() spends its budget on a busy task, advances the virtual clock, and stops when the host halts the hart', () => {
    const board = new Board({ ramSize: 8 << 20, engine: 'interp' });
    const k = new Kernel(board, { instructionsPerMs: 1000 });
    k.vfs.writeFile('/bin/p', buildElf([{ vaddr: 0x400000, data: loop, flags: 5 }], 0x400000));
    const t = k.spawn('/bin/p', ['p']);
    if (isLoadFailure(t)) throw new Error(t.message);
    expect(k.run(50_000)).toBe('budget');
    expect(board.hart.instret).toBe(50_000);
    expect(k.clock.nowMs).toBe(50);
    board.hart.halt();
    expect(k.run(50_000)).toBe('budget');
    expect(board.hart.instret).toBe(50_000);
  });
});
