// Limits that contain runaway guests (issue 4): the task limit stops a fork bomb with -EAGAIN, the
// per-task frame quota and the kernel's frame reserve turn allocation loops into -ENOMEM, a page
// fault that cannot be served kills only the faulting task, and killTask ends a task blocked on the
// console or sleeping. After each the machine keeps running and every frame comes back.
import { describe, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel, type KernelOptions } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';

const GCC = ['riscv64-unknown-elf-gcc'];
const SYS = `#include "rt.h"
#define S(n, a, b, c) rt_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define FORK() S(220, 17, 0, 0)
static void nap(long s, long ns) { long t[2] = { s, ns }; S(101, t, 0, 0); }
`;

function program(name: string, body: string): Uint8Array {
  return new Uint8Array(readFileSync(buildWithGcc([{ name: `${name}.c`, text: SYS + body }])));
}

const HELLO = `int main(void) { printf("still alive\\n"); return 3; }`;

function machine(ramMiB: number, opts: KernelOptions = {}) {
  const board = new Board({ ramSize: ramMiB << 20 });
  let out = '';
  const k = new Kernel(board, { ...opts, onOutput: (b) => (out += new TextDecoder().decode(b)) });
  const start = (path: string, bytes: Uint8Array) => {
    k.vfs.writeFile(path, bytes, 0o755);
    const t = k.spawn(path, [path]);
    if (isLoadFailure(t)) throw new Error(t.message);
    return t;
  };
  return { k, start, out: () => out };
}

/** Runs a fresh program on a kernel that has just survived something, and checks nothing leaked. */
function stillWorks(m: ReturnType<typeof machine>): void {
  const before = m.out().length;
  const t = m.start('/bin/hello', program('limits-hello', HELLO));
  expect(m.k.run(10_000_000)).toBe('exited');
  expect(m.k.exits.get(t.pid)).toBe(3 << 8);
  expect(m.out().slice(before)).toBe('still alive\n');
  expect(m.k.tasks.size).toBe(0);
  expect(m.k.pool.used).toBe(0);
  m.k.pool.checkInvariants();
}

describe('limits on runaway guests', () => {
  oracleIt('a fork bomb hits the task limit, gets -EAGAIN, gives up; the machine runs on', GCC, () => {
    // Every task forks in a loop without waiting (up to 2^10 tasks); the first refused fork makes it
    // give up. Everyone sleeps a little first so the bomb really piles up at the limit.
    const bomb = program(
      'forkbomb',
      `int main(void) {
         for (int i = 0; i < 10; i++) {
           long pid = FORK();
           if (pid < 0) {
             printf("gave up %ld\\n", pid);
             break;
           }
         }
         nap(0, 500000000);
         return 0;
       }`,
    );
    let peak = 0;
    const m = machine(32, { onSyscall: () => (peak = Math.max(peak, m.k.tasks.aliveCount)) });
    m.start('/bin/bomb', bomb);
    expect(m.k.run(200_000_000)).toBe('exited');
    expect(peak).toBe(256);
    const gaveUp = m
      .out()
      .split('\n')
      .filter((l) => l === 'gave up -11');
    expect(gaveUp.length).toBeGreaterThan(0);
    expect(
      m
        .out()
        .split('\n')
        .filter((l) => l && l !== 'gave up -11'),
    ).toEqual([]);
    const refusals = m.k.log.filter((l) =>
      /fork refused, task limit of 256 reached \(EAGAIN\); later refusals are not reported$/.test(l),
    );
    expect(refusals.length).toBe(gaveUp.length);
    stillWorks(m);
  });

  const ALLOC = `int main(void) {
      char *b = (char *)S(214, 0, 0, 0);
      long n = 0, r;
      for (;;) {  /* brk grows by 64 KiB and every page is touched, until it fails */
        r = S(214, b + (n + 1) * 65536, 0, 0);
        if (r != (long)(b + (n + 1) * 65536)) break;
        for (long i = 0; i < 65536; i += 4096) b[n * 65536 + i] = 1;
        n++;
      }
      printf("brk %ld after %ld KiB\\n", r, n * 64);
      long m = 0;
      for (;;) {  /* then mmap 64 KiB at a time */
        r = rt_syscall(222, 0, 65536, 3, 0x22, -1, 0);
        if (r < 0 && r > -4096) break;
        for (long i = 0; i < 65536; i += 4096) ((char *)r)[i] = 1;
        m++;
      }
      printf("mmap %ld after %ld KiB\\n", r, m * 64);
      return 0;
    }`;

  oracleIt('an allocation loop stops at the per-task quota with -ENOMEM', GCC, () => {
    const m = machine(32, { taskFrameQuota: 256 });
    const t = m.start('/bin/alloc', program('alloc-loop', ALLOC));
    expect(m.k.run(100_000_000)).toBe('exited');
    expect(m.k.exits.get(t.pid)).toBe(0);
    const [brk, mmap] = m.out().trim().split('\n');
    expect(brk).toMatch(/^brk -12 after \d+ KiB$/);
    expect(mmap).toMatch(/^mmap -12 after \d+ KiB$/);
    const kib = Number(/after (\d+)/.exec(brk!)![1]) + Number(/after (\d+)/.exec(mmap!)![1]);
    expect(kib).toBeGreaterThan(256 * 4 - 400); // most of the 1 MiB quota (the stack and image use the rest)
    expect(kib).toBeLessThanOrEqual(256 * 4);
    expect(m.k.log).toEqual([
      expect.stringMatching(
        /^pid 1 \(alloc\): brk of 65536 bytes refused, out of memory: task quota of 256 frames reached \(ENOMEM\); later refusals are not reported$/,
      ),
    ]);
    stillWorks(m);
  });

  oracleIt('a task that retries at a limit forever is reported once per limit, not once per try', GCC, () => {
    const elf = program(
      'retry-loop',
      `int main(void) {
         long forks = 0, refused = 0, maps = 0, mapRefused = 0;
         for (int i = 0; i < 500; i++) {
           long pid = FORK();
           if (pid == 0) { nap(100, 0); return 0; }
           if (pid > 0) forks++; else if (pid == -11) refused++;
         }
         for (int i = 0; i < 500; i++) {
           long r = rt_syscall(222, 0, 65536, 3, 0x22, -1, 0);
           if (r > 0) maps++; else if (r == -12) mapRefused++;
         }
         printf("forks %ld refused %ld maps %ld refused %ld\\n", forks, refused, maps, mapRefused);
         return 0;
       }`,
    );
    const m = machine(32, { maxTasks: 4, taskFrameQuota: 200 });
    m.start('/bin/retry', elf);
    expect(m.k.run(100_000_000)).toBe('exited'); // the children's naps end on the idle clock
    const [, forks, refused, maps, mapRefused] = /forks (\d+) refused (\d+) maps (\d+) refused (\d+)/
      .exec(m.out())!
      .map(Number);
    expect([forks, refused]).toEqual([3, 497]);
    expect(maps! + mapRefused!).toBe(500);
    expect(mapRefused).toBeGreaterThan(400);
    expect(m.k.log).toEqual([
      'pid 1 (retry): fork refused, task limit of 4 reached (EAGAIN); later refusals are not reported',
      expect.stringMatching(
        /^pid 1 \(retry\): mmap of 65536 bytes refused, out of memory: task quota of 200 frames reached \(ENOMEM\); later refusals are not reported$/,
      ),
    ]);
    stillWorks(m);
  });

  oracleIt('an allocation loop on a small machine stops at the kernel reserve with -ENOMEM', GCC, () => {
    const m = machine(8);
    let lowest = Infinity;
    m.k.pool.checkInvariants();
    const t = m.start('/bin/alloc', program('alloc-loop', ALLOC));
    while (m.k.run(100_000) === 'budget') lowest = Math.min(lowest, m.k.pool.free);
    expect(m.k.exits.get(t.pid)).toBe(0);
    expect(m.out()).toMatch(/^brk -12 after \d+ KiB\nmmap -12 after \d+ KiB\n$/);
    expect(lowest).toBeGreaterThanOrEqual(64); // the reserve was never touched by the guest
    stillWorks(m);
  });

  oracleIt('a page fault that cannot be served kills only the faulting task, with a report', GCC, () => {
    // The parent fills memory up to the reserve, gives 16 pages back, forks; the child's copy-on-write
    // stores then need frames the pool no longer has.
    const elf = program(
      'cow-oom',
      `int main(void) {
         char *b = (char *)S(214, 0, 0, 0);
         long n = 0;
         while (S(214, b + (n + 1) * 4096, 0, 0) == (long)(b + (n + 1) * 4096)) b[n++ * 4096] = 1;
         n -= 16;
         S(214, b + n * 4096, 0, 0);
         long pid = FORK();
         if (pid == 0) {
           for (long i = 0; i < n; i++) b[i * 4096] = 2;
           printf("child survived\\n");
           return 0;
         }
         int st = 0;
         long w = rt_syscall(260, -1, (long)&st, 0, 0, 0, 0);
         printf("pid %ld status %d, parent still sees %d\\n", w - pid, st, b[0]);
         return 0;
       }`,
    );
    const m = machine(8);
    const t = m.start('/bin/cow', elf);
    expect(m.k.run(100_000_000)).toBe('exited');
    expect(m.out()).toBe('pid 0 status 9, parent still sees 1\n');
    expect(m.k.exits.get(t.pid)).toBe(0);
    expect(m.k.log.join('\n')).toMatch(
      /pid 2 \(cow\) killed by signal 9: out of memory: frame pool down to the kernel reserve \(\d+ free\); page fault \(write\) at 0x[0-9a-f]+ \(pc 0x[0-9a-f]+\) cannot be served/,
    );
    stillWorks(m);
  });

  oracleIt(
    'killTask ends tasks blocked on the console, sleeping or spinning; the parent reaps them',
    GCC,
    () => {
      const elf = program(
        'victims',
        `int main(void) {
         long a = FORK();
         if (a == 0) { char c; long r = rt_read(0, &c, 1); printf("read returned %ld\\n", r); return 1; }
         long b = FORK();
         if (b == 0) { nap(1000, 0); printf("woke up\\n"); return 2; }
         long c = FORK();
         if (c == 0) { for (volatile int i = 0;; i++) {} }
         int st; long w;
         while ((w = rt_syscall(260, -1, (long)&st, 0, 0, 0, 0)) > 0)
           printf("reaped %c status %d\\n", w == a ? 'a' : w == b ? 'b' : w == c ? 'c' : '?', st);
         printf("wait %ld\\n", w);
         return 0;
       }`,
      );
      const m = machine(32);
      const init = m.start('/bin/victims', elf);
      expect(m.k.run(1_000_000)).toBe('budget');
      const [a, b, c] = [2, 3, 4].map((pid) => m.k.tasks.get(pid)!.mainThread!);
      expect(a!.state).toBe('blocked');
      expect(a!.waitingOn).toBe(m.k.console.readQ);
      expect(b!.state).toBe('sleeping');
      expect(['ready', 'running']).toContain(c!.state);
      expect(m.k.sched.timers.nextDeadline()).toBeDefined();
      expect(m.k.killTask(2, 9)).toBe(true);
      expect(m.k.killTask(3, 15)).toBe(true);
      expect(m.k.killTask(4, 9)).toBe(true);
      expect(m.k.killTask(4, 9)).toBe(false); // already dead
      expect(m.k.killTask(99, 9)).toBe(false);
      expect(m.k.console.readQ.size).toBe(0);
      expect(m.k.sched.timers.nextDeadline()).toBeUndefined();
      expect(m.k.run(10_000_000)).toBe('exited');
      expect(m.out()).toBe('reaped a status 9\nreaped b status 15\nreaped c status 9\nwait -10\n');
      expect(m.k.exits.get(init.pid)).toBe(0);
      expect(m.k.log).toEqual([
        'pid 2 (victims) killed by signal 9',
        'pid 3 (victims) killed by signal 15',
        'pid 4 (victims) killed by signal 9',
      ]);
      stillWorks(m);
    },
  );
});
