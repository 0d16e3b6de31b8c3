// Watchpoints without single-stepping: the watched page is write-hooked, so the guest runs free
// between hits (few kernel runs for many instructions), a store of the same value does not stop,
// and a store the kernel makes for the task (read() into the watched buffer) stops too.
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { Kernel } from '../../core/kernel';
import { Debugger, type StopEvent } from '../../core/host/debug/debugger';
import { ProgramInfo } from '../../core/host/debug/program-info';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';
import { kernelRunning } from './kernel-rig';

const SOURCE = `#include "rt.h"
volatile int spin_done;
volatile int same = 7;
char buf[8];
int main(void) {
  for (int i = 0; i < 200000; i++) same = 7;  /* stores that do not change it */
  spin_done = 1;
  int fds[2];
  rt_syscall(59, (long)fds, 0, 0, 0, 0, 0);   /* pipe2 */
  rt_write(fds[1], "hey", 3);
  rt_read(fds[0], buf, 3);                     /* the kernel fills buf */
  same = 8;
  return buf[0];
}
`;

function rig(): { dbg: Debugger; k: Kernel; pid: number; info: ProgramInfo; runs: () => number } {
  const elf = buildWithGcc([{ name: 'watch.c', text: SOURCE }], { flags: ['-O1', '-g'] });
  const bytes = new Uint8Array(readFileSync(elf));
  const info = ProgramInfo.fromElf(bytes);
  const { k, task: t } = kernelRunning(bytes, '/bin/prog', { onOutput: () => undefined });
  let runs = 0;
  const run = k.run.bind(k);
  k.run = (budget) => {
    runs++;
    return run(budget);
  };
  return { dbg: new Debugger(k, () => info), k, pid: t.pid, info, runs: () => runs };
}

function go(dbg: Debugger): StopEvent | null {
  for (let i = 0; i < 100; i++) {
    const r = dbg.run(1_000_000);
    if (r.stop) return r.stop;
    if (r.outcome === 'exited') return null;
  }
  throw new Error('no stop');
}

describe('hooked watchpoints', () => {
  oracleIt('let the guest run free and stop only when the value changes', [RV_GCC], () => {
    const r = rig();
    const same = r.info.data.get('same')!;
    r.dbg.setWatchpoints([{ pid: r.pid, address: same.addr, length: 4 }]);
    const instret = r.k.board.hart.instret;
    const stop = go(r.dbg)!;
    expect(stop.reason).toBe('watchpoint');
    expect(stop.detail).toBe(`0x${same.addr.toString(16)}: 0x7 -> 0x8`);
    expect(stop.function).toBe('main');
    const ran = r.k.board.hart.instret - instret;
    expect(ran).toBeGreaterThan(600_000); // the loop ran to its end
    // 200,000 hooked stores of the same value each end a kernel run, but nothing is single-stepped.
    expect(r.runs()).toBeLessThan(ran / 2);
    r.dbg.setWatchpoints([]);
    expect(go(r.dbg)).toBeNull();
  });

  oracleIt('stop on a store the kernel makes into the watched bytes', [RV_GCC], () => {
    const r = rig();
    const buf = r.info.data.get('buf')!;
    r.dbg.setWatchpoints([{ pid: r.pid, address: buf.addr, length: 4 }]);
    const stop = go(r.dbg)!;
    expect(stop.reason).toBe('watchpoint');
    // "hey" little-endian in the first four bytes (the fourth stays 0).
    expect(stop.detail).toBe(`0x${buf.addr.toString(16)}: 0x0 -> 0x796568`);
    expect(stop.function).toBe('rt_syscall'); // right after the ecall, the task not gone on
    expect(r.k.tasks.get(r.pid)?.state).toBe('alive');
    // Going on: the next change is the program's own store of 8 into `same`, unwatched; it exits.
    expect(go(r.dbg)).toBeNull();
    expect(r.k.exits.get(r.pid)).toBe('h'.charCodeAt(0) << 8);
  });
});
