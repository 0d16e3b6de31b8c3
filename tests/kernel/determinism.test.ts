// The kernel is deterministic: the same programs with the same console input, run twice on a fresh
// Board + Kernel, give byte-identical console output and identical inspect snapshots (counters,
// clock, instret, frames, tasks, channels).
import { describe, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { snapshot, type KernelSnapshot } from '../../core/kernel/inspect/snapshot';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';
import { runSysfuzz, sysfuzzElf } from './guestfuzz';

const GCC = ['riscv64-unknown-elf-gcc'];

const FORKPIPE = `#include "rt.h"
#define S(n, a, b, c) rt_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
int main(void) {
  char line[128], buf[128], msg[96];
  long n = rt_read(0, line, sizeof line - 1);
  if (n < 0) n = 0;
  line[n] = 0;
  int fds[2];
  if (S(59, fds, 0, 0) != 0) return 1;
  long ch = S(600, 1, 0, 0);
  long pid = S(220, 17, 0, 0);
  if (pid == 0) {
    struct { int sec, nsec; } ts = {0, 25000000};
    S(101, &ts, 0, 0);
    S(64, fds[1], line, n);
    rt_syscall(601, ch, 0x1000, (long)"ping", 5, 0, 0);
    rt_exit(3);
  }
  S(57, fds[1], 0, 0);
  long got = 0, r;
  while ((r = S(63, fds[0], buf + got, sizeof buf - 1 - got)) > 0) got += r;
  buf[got] = 0;
  long m = S(602, ch, msg, sizeof msg);
  unsigned int *h = (unsigned int *)msg;
  int status = 0;
  long w = rt_syscall(260, -1, (long)&status, 0, 0, 0, 0);
  printf("pipe %ld '%s' fipc %ld type %x len %u at %u ms from %u; child %d status %x; now %ld\\n", got,
         buf, m, h[0], h[1], h[2], h[4] == (unsigned int)pid, (int)(w == pid), status, S(400, 0, 0, 0));
  return 0;
}
`;

interface Run {
  out: string;
  snap: KernelSnapshot;
}

function runForkPipe(elf: Uint8Array, input: string): Run {
  const board = new Board({ ramSize: 16 << 20 });
  let out = '';
  const k = new Kernel(board, { onOutput: (b) => (out += new TextDecoder().decode(b)) });
  k.vfs.writeFile('/bin/main', elf, 0o755);
  const init = k.spawn('/bin/main', ['/bin/main']);
  if (isLoadFailure(init)) throw new Error(init.message);
  expect(k.run(1_000_000)).toBe('idle'); // blocked on the console
  k.console.feed(new TextEncoder().encode(input));
  expect(k.run(50_000_000)).toBe('exited');
  expect(k.exits.get(init.pid)).toBe(0);
  return { out, snap: snapshot(k) };
}

describe('determinism', () => {
  oracleIt('fork, pipe, nanosleep and FIPC with console input: identical output and snapshots', GCC, () => {
    const elf = new Uint8Array(
      readFileSync(buildWithGcc([{ name: 'determinism-forkpipe.c', text: FORKPIPE }])),
    );
    const a = runForkPipe(elf, 'hello there\n');
    const b = runForkPipe(elf, 'hello there\n');
    expect(a.out).toMatch(
      /^hello there\npipe 12 'hello there\n' fipc 37 type 1000 len 5 at \d+ ms from 1; child 1 status 300; now \d+\n$/,
    );
    expect(b.out).toBe(a.out);
    expect(b.snap).toEqual(a.snap);
    expect(a.snap.timeMs).toBeGreaterThanOrEqual(25);
    expect(a.snap.instret).toBeGreaterThan(0);
  });

  oracleIt('the guest syscall fuzzer with a small N: identical output and snapshots', GCC, () => {
    const elf = sysfuzzElf();
    const runs = [0, 1].map(() => {
      const r = runSysfuzz(elf, 5_000, 77, 200_000_000);
      expect(r.outcome).toBe('exited');
      return { out: r.out, snap: snapshot(r.kernel), log: r.kernel.log.join('\n') };
    });
    expect(runs[0]!.out).toMatch(/done 5000 calls, \d+ errors, \d+ forks\n$/);
    expect(runs[1]!.out).toBe(runs[0]!.out);
    expect(runs[1]!.snap).toEqual(runs[0]!.snap);
    expect(runs[1]!.log).toBe(runs[0]!.log);
  });
});
