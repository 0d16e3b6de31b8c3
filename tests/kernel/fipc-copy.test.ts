// fipc_send/fipc_recv move bytes between guest memory and the channel ring directly when the user
// buffer lies within one page, and through a copy when it crosses pages: both must deliver the same
// message, and a bad buffer must fail with -EFAULT before anything is queued or taken.
import { describe, it, expect } from 'vitest';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { decodeHeader } from '../../core/kernel/ipc/message';
import { FIPC_NONBLOCKING, PAGE_SIZE, SYS } from '../../core/kernel/abi';
import { EAGAIN, EFAULT } from '../../core/kernel/errno';
import { buildElf } from './elfbuild';

const loop = Uint8Array.from([0x6f, 0, 0, 0]); // j .

function setup() {
  const board = new Board({ ramSize: 8 << 20, engine: 'interp' });
  const k = new Kernel(board);
  k.vfs.writeFile('/bin/p', buildElf([{ vaddr: 0x400000, data: loop, flags: 5 }], 0x400000));
  const t = k.spawn('/bin/p', ['p']);
  if (isLoadFailure(t)) throw new Error(t.message);
  const th = t.mainThread!;
  const mm = t.mm!;
  const call = (nr: number, ...a: number[]) => k.dispatch(th, nr, [...a, 0, 0, 0, 0, 0, 0].slice(0, 6));
  return { k, t, mm, call };
}

const bytes = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 7 + 1) & 255);

describe('FIPC syscalls copy user buffers within a page and across pages alike', () => {
  it('every payload and buffer position around a page boundary round-trips', () => {
    const { t, mm, call } = setup();
    const buf = mm.mmap(0, 4 * PAGE_SIZE, 3, 0x22); // two pages to send from, two to receive into
    const src = buf + PAGE_SIZE;
    const dst = buf + 3 * PAGE_SIZE;
    const ch = call(SYS.fipc_create, FIPC_NONBLOCKING, 0) as number;
    expect(ch).toBeGreaterThanOrEqual(3);
    let seed = 0;
    for (const len of [1, 4, 31, 64, 65, 200]) {
      for (const back of [0, 1, 3, 32, len, len + 40, 300]) {
        seed++;
        const from = src - back; // crosses the boundary when 0 < back < len
        const into = dst - back; // the receive buffer crosses it when 0 < back < its size
        const p = bytes(len, seed);
        expect(mm.copyOut(from, p)).toBe(0);
        expect(call(SYS.fipc_send, ch, 0x5000 + seed, from, len)).toBe(0);
        const size = 32 + len + 8;
        expect(mm.copyOut(into, new Uint8Array(size).fill(0xee))).toBe(0);
        expect(call(SYS.fipc_recv, ch, into, size)).toBe(32 + len);
        const got = mm.copyIn(into, size);
        if (typeof got === 'number') throw new Error(`copyIn ${got}`);
        expect(decodeHeader(got)).toMatchObject({
          type: 0x5000 + seed,
          length: len,
          srcPid: t.pid,
          dstPid: 0,
        });
        expect(got.subarray(32, 32 + len)).toEqual(p);
        expect(got.subarray(32 + len)).toEqual(new Uint8Array(8).fill(0xee)); // nothing past the message
      }
    }
  });

  it('a bad buffer is -EFAULT whether it fits a page or not; the message is neither queued nor taken', () => {
    const { k, mm, call } = setup();
    const ro = mm.mmap(0, PAGE_SIZE, 1, 0x22);
    const buf = mm.mmap(0, 3 * PAGE_SIZE, 3, 0x22);
    expect(mm.munmap(buf + 2 * PAGE_SIZE, PAGE_SIZE)).toBe(0); // a hole right after the buffer
    const ch = call(SYS.fipc_create, FIPC_NONBLOCKING, 0) as number;
    const unmapped = 0x7000_0000;
    expect(call(SYS.fipc_send, ch, 1, unmapped, 4)).toBe(-EFAULT);
    expect(call(SYS.fipc_send, ch, 1, buf + 2 * PAGE_SIZE - 2, PAGE_SIZE)).toBe(-EFAULT);
    expect(k.fipc.channel(ch)!.messages).toBe(0);
    expect(call(SYS.fipc_send, ch, 1, buf, 4)).toBe(0);
    expect(call(SYS.fipc_recv, ch, ro, 64)).toBe(-EFAULT);
    expect(call(SYS.fipc_recv, ch, unmapped, 64)).toBe(-EFAULT);
    expect(call(SYS.fipc_recv, ch, buf + 2 * PAGE_SIZE - 8, 64)).toBe(-EFAULT);
    expect(k.fipc.channel(ch)!.messages).toBe(1);
    expect(call(SYS.fipc_recv, ch, buf, 64)).toBe(36);
    expect(call(SYS.fipc_recv, ch, buf, 64)).toBe(-EAGAIN);
  });
});
