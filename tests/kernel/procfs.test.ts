// /proc: the files the shell's ps, mem and chan builtins read. Host-side checks run a hand-built
// yield-loop program (no toolchain needed); a GCC guest checks /proc/self and reading by syscalls.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { snapshot } from '../../core/kernel/inspect/snapshot';
import { isLoadFailure } from '../../core/kernel/loader';
import { O_CREAT, O_RDONLY, O_RDWR, O_WRONLY, SEEK_END } from '../../core/kernel/abi';
import { EACCES, ENOENT } from '../../core/kernel/errno';
import { dirEntries, type OpenFile } from '../../core/kernel/vfs';
import type { Task } from '../../core/kernel/task';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';
import { buildElf } from './elfbuild';

/** loop: li a7, 124 (sched_yield); ecall; j loop */
const YIELD_LOOP = new Uint8Array(new Uint32Array([0x07c00893, 0x00000073, 0xff9ff06f]).buffer);

function boot(n: number): { k: Kernel; tasks: Task[] } {
  const k = new Kernel(new Board({ ramSize: 16 << 20 }));
  k.vfs.writeFile('/bin/spin', buildElf([{ vaddr: 0x40_0000, data: YIELD_LOOP, flags: 5 }], 0x40_0000));
  const tasks: Task[] = [];
  for (let i = 0; i < n; i++) {
    const t = k.spawn('/bin/spin', ['spin'], [], tasks[0]);
    if (isLoadFailure(t)) throw new Error(t.message);
    tasks.push(t);
  }
  return { k, tasks };
}

function cat(k: Kernel, path: string): string {
  const f = k.vfs.open(path, O_RDONLY);
  if (typeof f === 'number') throw new Error(`${path}: ${f}`);
  const r = f.read(1 << 16);
  f.release();
  if (!(r instanceof Uint8Array)) throw new Error(`${path}: read ${String(r)}`);
  return new TextDecoder().decode(r);
}

describe('procfs', () => {
  it('/proc/tasks has one line per task (pid ppid state prio cputime_ms name) agreeing with inspect', () => {
    const { k, tasks } = boot(3);
    k.run(300_000);
    const lines = cat(k, '/proc/tasks').trimEnd().split('\n');
    const snap = snapshot(k);
    expect(lines).toEqual(
      snap.tasks.map((t) => `${t.pid} ${t.ppid} ${t.runState} ${t.priority} ${t.cpuMs} ${t.name}`),
    );
    expect(lines.map((l) => l.split(' ').slice(0, 2))).toEqual([
      ['1', '0'],
      ['2', '1'],
      ['3', '1'],
    ]);
    // Three spinners shared 300k instructions at 10k per ms: about 10 ms each, 30 in all.
    const cpu = lines.map((l) => Number(l.split(' ')[4]));
    expect(cpu.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(28);
    for (const c of cpu) expect(c).toBeGreaterThanOrEqual(8);
    expect(new Set(lines.map((l) => l.split(' ')[2]))).toEqual(new Set(['ready', 'running']));
    k.killTask(tasks[2]!, 9);
    expect(cat(k, '/proc/tasks')).toMatch(/^3 1 zombie 128 \d+ spin$/m);
  });

  it('/proc/<pid>/maps shows the user VMAs with perms, kind and resident pages', () => {
    const { k, tasks } = boot(1);
    const pid = tasks[0]!.pid;
    const mm = tasks[0]!.mm!;
    const heap = mm.brk(mm.brk(0) + 3 * 4096);
    expect(heap).toBeGreaterThan(0);
    const m = mm.mmap(0, 2 * 4096, 1, 0x22);
    const lines = cat(k, `/proc/${pid}/maps`).trimEnd().split('\n');
    expect(lines).toEqual([
      '00400000-00401000 r-xp text 1',
      expect.stringMatching(/^0040[0-9a-f]{4}-0040[0-9a-f]{4} rw-p heap 3$/),
      `${m.toString(16).padStart(8, '0')}-${(m + 8192).toString(16).padStart(8, '0')} r--p mmap 2`,
      '7ffaf000-7ffb0000 ---p guard 0',
      '7ffb0000-7fff0000 rw-p stack 64',
    ]);
    // Resident counts follow unmapping at once (inspect caches them per page-table version).
    expect(mm.munmap(m + 4096, 4096)).toBe(0);
    expect(cat(k, `/proc/${pid}/maps`)).toContain(
      `${m.toString(16).padStart(8, '0')}-${(m + 4096).toString(16).padStart(8, '0')} r--p mmap 1\n`,
    );
    expect(mm.mmap(m + 4096, 4096, 1, 0x32)).toBe(m + 4096);
    expect(cat(k, `/proc/${pid}/maps`)).toContain(
      `${m.toString(16).padStart(8, '0')}-${(m + 8192).toString(16).padStart(8, '0')} r--p mmap 2\n`,
    );
    expect(cat(k, `/proc/${pid}/status`)).toContain(`pid ${pid}\nppid 0\n`);
    expect(cat(k, `/proc/${pid}/status`)).toContain('resident_pages 70\n');
  });

  it('/proc/meminfo and /proc/channels follow the frame pool and FIPC', () => {
    const { k, tasks } = boot(2);
    const f = k.pool.counters();
    expect(cat(k, '/proc/meminfo')).toBe(
      `frames_total ${f.total}\nframes_free ${f.free}\nframes_used ${f.used}\n` +
        `frames_reserved ${f.reserved}\npage_size 4096\n`,
    );
    const [a, b] = tasks.map((t) => t.pid);
    const id = k.fipc.create(a!, 1, 512);
    expect(k.fipc.grant(a!, id, b!, 1)).toBe(0);
    expect(k.fipc.register(a!, 'echo', id)).toBe(0);
    expect(k.fipc.send(b!, id, 0x1000, new Uint8Array(10), 0)).toBe(0);
    expect(k.fipc.send(b!, id, 0x1000, new Uint8Array(6), 0)).toBe(0);
    const r = k.fipc.recv(a!, id, 100);
    expect(r).toBeInstanceOf(Uint8Array);
    expect(cat(k, '/proc/channels').split('\n')).toEqual([
      '1 0 0:srya 0 0 0 0 4096 open -',
      '2 0 0:srya 0 0 0 0 4096 open -',
      `${id} ${a} ${a}:sr-a,${b}:s--- 38 1 2 1 512 open echo`,
      '',
    ]);
  });

  it('is read-only, lists pids, and a reaped task disappears', () => {
    const { k, tasks } = boot(2);
    expect(k.vfs.open('/proc/tasks', O_WRONLY)).toBe(-EACCES);
    expect(k.vfs.open('/proc/tasks', O_RDWR)).toBe(-EACCES);
    expect(k.vfs.open('/proc/new', O_WRONLY | O_CREAT)).toBe(-EACCES);
    expect(k.vfs.mkdir('/proc/d')).toBe(-EACCES);
    expect(k.vfs.unlink('/proc/meminfo')).toBe(-EACCES);
    expect(k.vfs.rmdir('/proc/1')).toBe(-EACCES);
    expect(k.vfs.open('/proc/self/maps', O_RDONLY)).toBe(-ENOENT); // no caller outside a syscall
    expect(k.vfs.open('/proc/99/maps', O_RDONLY)).toBe(-ENOENT);
    expect(k.vfs.open('/proc/01/maps', O_RDONLY)).toBe(-ENOENT);
    const root = k.vfs.resolve('/proc');
    if (typeof root === 'number') throw new Error('no /proc');
    expect(dirEntries(root).map((e) => e.name)).toEqual([
      '.',
      '..',
      'tasks',
      'channels',
      'meminfo',
      '1',
      '2',
    ]);
    const pidDir = k.vfs.resolve('/proc/2');
    expect(pidDir).toBe(k.vfs.resolve('/proc/2')); // stable vnode (and inode number)
    // The text is taken at open: a file open across a change reads consistently.
    const f = k.vfs.open('/proc/tasks', O_RDONLY) as OpenFile;
    const size = f.lseek(0, SEEK_END);
    k.killTask(tasks[1]!, 9);
    k.tasks.wait(tasks[0]!, tasks[1]!.pid);
    f.lseek(0, 0);
    expect((f.read(1000) as Uint8Array).length).toBe(size);
    f.release();
    expect(cat(k, '/proc/tasks').trimEnd().split('\n')).toHaveLength(1);
    expect(k.vfs.open('/proc/2/maps', O_RDONLY)).toBe(-ENOENT);
    expect(dirEntries(root).map((e) => e.name)).toEqual(['.', '..', 'tasks', 'channels', 'meminfo', '1']);
  });

  oracleIt(
    'a guest reads /proc/self, /proc/tasks and lists /proc by syscalls',
    ['riscv64-unknown-elf-gcc'],
    () => {
      const src = `#include "rt.h"
    #define S(n, a, b, c) rt_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
    static char buf[8192];
    static void show(const char *p) {
      long fd = S(56, -100, p, 0);
      long n = fd < 0 ? fd : S(63, fd, buf, sizeof buf - 1);
      if (n < 0) { printf("%s: %ld\\n", p, n); return; }
      buf[n] = 0;
      printf("== %s\\n%s", p, buf);
      S(57, fd, 0, 0);
    }
    int main(void) {
      long pid = S(220, 17, 0, 0);
      if (pid == 0) { char c; rt_read(0, &c, 1); rt_exit(0); }
      S(124, 0, 0, 0); /* let the child block on the console first */
      show("/proc/self/status");
      show("/proc/tasks");
      printf("write: %ld\\n", S(56, -100, "/proc/self/maps", 1));
      printf("chdir: %ld\\n", S(49, "/proc/self", 0, 0));
      long n = S(17, buf, sizeof buf, 0);
      printf("cwd: %ld %s\\n", n, buf);
      long d = S(56, -100, "/proc", 0x10000);
      n = S(61, d, buf, sizeof buf);
      printf("names:");
      for (long o = 0; o < n;) { printf(" %s", buf + o + 19); o += *(unsigned short *)(buf + o + 16); }
      printf("\\n");
      show("maps");
      return 0;
    }`;
      const k = new Kernel(new Board({ ramSize: 16 << 20 }), {
        onOutput: (b) => (out += new TextDecoder().decode(b)),
      });
      let out = '';
      k.vfs.writeFile('/bin/ps', new Uint8Array(readFileSync(buildWithGcc([{ name: 'ps.c', text: src }]))));
      const init = k.spawn('/bin/ps', ['ps']);
      if (isLoadFailure(init)) throw new Error(init.message);
      expect(k.run(20_000_000)).toBe('idle');
      const text = out;
      expect(text).toMatch(/^== \/proc\/self\/status\nname ps\npid 1\nppid 0\nstate running\nprio 128\n/);
      expect(text).toMatch(/== \/proc\/tasks\n1 0 running 128 \d+ ps\n2 1 blocked 128 \d+ ps\nwrite: -13\n/);
      expect(text).toContain('chdir: 0\ncwd: 8 /proc/1\n');
      expect(text).toContain('names: . .. tasks channels meminfo self 1 2\n');
      const maps = text.split('== maps\n')[1]!;
      expect(maps).toMatch(/^00400000-004[0-9a-f]{5} r-xp text \d+\n/);
      expect(maps).toContain('7ffaf000-7ffb0000 ---p guard 0\n7ffb0000-7fff0000 rw-p stack 64\n');
    },
  );
});
