// The kernel end to end: GCC-built programs (tests/fixtures/rt) booted from the RamFS and run by the
// trap loop on the real hart, and compared with qemu-riscv32 where Linux has the same calls.
import { describe, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';

const GCC = ['riscv64-unknown-elf-gcc'];
const SYS = `#include "rt.h"
#define S(n, a, b, c) rt_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
`;

const paths = new Map<Uint8Array, string>();
function program(name: string, body: string): Uint8Array {
  const path = buildWithGcc([{ name: `${name}.c`, text: SYS + body }]);
  const bytes = new Uint8Array(readFileSync(path));
  paths.set(bytes, path);
  return bytes;
}

function boot(
  files: Record<string, Uint8Array>,
  argv: string[] = ['/bin/main'],
  budget = 50_000_000,
  preemptive = false,
) {
  const board = new Board({ ramSize: 32 << 20 });
  let out = '';
  const k = new Kernel(board, { onOutput: (b) => (out += new TextDecoder().decode(b)), preemptive });
  for (const [p, b] of Object.entries(files)) k.vfs.writeFile(p, b, 0o755);
  const init = k.spawn(argv[0]!, argv);
  if (isLoadFailure(init)) throw new Error(init.message);
  const outcome = k.run(budget);
  return { k, out: () => out, outcome, status: k.exits.get(init.pid) };
}

describe('kernel trap loop with GCC programs', () => {
  oracleIt(
    'hello, argv and the exit status; identical output under qemu-riscv32',
    [...GCC, 'qemu-riscv32'],
    () => {
      const elf = program(
        'hello',
        `int main(int argc, char **argv) {
         printf("hello from %s with %d args\\n", argv[0], argc);
         char *b = (char *)S(214, 0, 0, 0);
         char *e = (char *)S(214, b + 100000, 0, 0);
         for (int i = 0; i < 100000; i++) b[i] = 1;
         printf("brk grew %d\\n", (int)(e - b));
         printf("bad write %ld\\n", S(64, 1, 16, 5));
         printf("bad fd %ld, unknown %ld\\n", S(64, 55, "x", 1), S(999, 0, 0, 0));
         return 5;
       }`,
      );
      const r = boot({ '/bin/main': elf }, ['/bin/main', 'x']);
      expect(r.outcome).toBe('exited');
      expect(r.status).toBe(5 << 8);
      const want =
        'hello from /bin/main with 2 args\nbrk grew 100000\nbad write -14\nbad fd -9, unknown -38\n';
      expect(r.out()).toBe(want);
      let qemuOut = '';
      try {
        qemuOut = execFileSync('qemu-riscv32', ['-0', '/bin/main', paths.get(elf)!, 'x'], {
          encoding: 'utf8',
        });
      } catch (e) {
        const err = e as { status: number; stdout: string };
        expect(err.status).toBe(5);
        qemuOut = err.stdout;
      }
      expect(qemuOut).toBe(want);
    },
  );

  oracleIt('fork, pipe, waitpid: the child writes, the parent reads and reaps', GCC, () => {
    const elf = program(
      'forkpipe',
      `int main(void) {
         int fds[2]; char buf[64];
         if (S(59, fds, 0, 0) != 0) return 1;
         long pid = S(220, 17, 0, 0);
         if (pid == 0) {
           S(57, fds[0], 0, 0);
           S(64, fds[1], "child says hi", 13);
           rt_exit(7);
         }
         S(57, fds[1], 0, 0);
         long n = 0, got;
         while ((got = S(63, fds[0], buf + n, sizeof buf - n)) > 0) n += got;
         int status = 0;
         long w = rt_syscall(260, -1, (long)&status, 0, 0, 0, 0);
         printf("read %ld '%s' pid %d status %x ppid-of-child %d\\n", n, buf, (int)(w == pid), status,
                (int)S(172, 0, 0, 0));
         printf("again %ld\\n", rt_syscall(260, -1, (long)&status, 0, 0, 0, 0));
         return 0;
       }`,
    );
    const r = boot({ '/bin/main': elf });
    expect(r.out()).toBe(`read 13 'child says hi' pid 1 status 700 ppid-of-child 1\nagain -10\n`);
    expect(r.status).toBe(0);
    expect(r.k.pool.used).toBe(0); // every frame came back
  });

  oracleIt('files: openat/write/lseek/read, mkdir, getdents64, fstat, chdir/getcwd, unlink', GCC, () => {
    const elf = program(
      'files',
      `struct d { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; };
       int main(void) {
         char buf[256];
         printf("mkdir %ld %ld\\n", S(34, -100, "/data", 0755), S(34, -100, "/data", 0755));
         long fd = rt_syscall(56, -100, (long)"/data/f.txt", 0x40 | 2, 0644, 0, 0);
         S(64, fd, "0123456789", 10);
         printf("lseek %ld\\n", S(62, fd, 3, 0));
         long n = S(63, fd, buf, 4); buf[n] = 0;
         printf("read %ld %s\\n", n, buf);
         unsigned int st[26];
         S(80, fd, st, 0);
         printf("mode %x size %u\\n", st[4], st[12]);
         S(57, fd, 0, 0);
         printf("chdir %ld\\n", S(49, "/data", 0, 0));
         printf("getcwd %ld %s\\n", S(17, buf, sizeof buf, 0), buf);
         long d = rt_syscall(56, -100, (long)".", 0x10000, 0, 0, 0);
         n = S(61, d, buf, sizeof buf);
         for (long o = 0; o < n; ) { struct d *e = (struct d *)(buf + o); printf("[%s %d]", e->name, e->type); o += e->reclen; }
         printf("\\nopen missing %ld, rmdir %ld, unlink %ld %ld\\n", rt_syscall(56, -100, (long)"nope", 0, 0, 0, 0),
                rt_syscall(35, -100, (long)"/data", 0x200, 0, 0, 0), rt_syscall(35, -100, (long)"f.txt", 0, 0, 0, 0),
                rt_syscall(35, -100, (long)"/data", 0x200, 0, 0, 0));
         return 0;
       }`,
    );
    const r = boot({ '/bin/main': elf });
    expect(r.out()).toBe(
      'mkdir 0 -17\nlseek 3\nread 4 3456\nmode 81a4 size 10\nchdir 0\ngetcwd 6 /data\n' +
        '[. 4][.. 4][f.txt 8]\nopen missing -2, rmdir -39, unlink 0 0\n',
    );
  });

  oracleIt('nanosleep and time_millis on the virtual clock; an idle machine jumps to the timer', GCC, () => {
    const elf = program(
      'sleep',
      `int main(void) {
         long t0 = S(400, 0, 0, 0);
         int req[2] = { 1, 250000000 };
         long r = S(101, req, 0, 0);
         long t1 = S(400, 0, 0, 0);
         int bad[2] = { 0, 1000000000 };
         printf("r=%ld slept=%ld bad=%ld\\n", r, t1 - t0, S(101, bad, 0, 0));
         return 0;
       }`,
    );
    const r = boot({ '/bin/main': elf });
    expect(r.out()).toBe('r=0 slept=1250 bad=-22\n');
    expect(r.k.clock.nowMs).toBeGreaterThanOrEqual(1250);
    expect(r.k.board.hart.instret).toBeLessThan(1_000_000); // the wait cost no instructions
  });

  oracleIt(
    'faults: a wild store is SIGSEGV, mprotect read-only then write too; mmap/munmap work',
    GCC,
    () => {
      const elf = program(
        'segv',
        `int main(void) {
         char *m = (char *)rt_syscall(222, 0, 8192, 3, 0x22, -1, 0);
         m[0] = 'a'; m[4096] = 'b';
         printf("mmap %d %c%c munmap %ld\\n", (long)m >= 0x40000000, m[0], m[4096], S(215, m + 4096, 4096, 0));
         if (S(220, 17, 0, 0) == 0) { *(volatile int *)0x10 = 1; return 0; }
         int st; rt_syscall(260, -1, (long)&st, 0, 0, 0, 0);
         printf("child status %d\\n", st);
         S(226, m, 4096, 1);
         m[1] = 'x';
         return 0;
       }`,
      );
      const r = boot({ '/bin/main': elf });
      expect(r.out()).toBe('mmap 1 ab munmap 0\nchild status 11\n');
      expect(r.status).toBe(11);
      expect(r.k.log.join('\n')).toMatch(
        /pid 2 \(main\) killed by signal 11: unmapped address, write at 0x10/,
      );
      expect(r.k.log.join('\n')).toMatch(/pid 1 \(main\) killed by signal 11: write not permitted/);
    },
  );

  oracleIt(
    'execve replaces the image, keeps the pid, passes argv/envp; failures return to the caller',
    GCC,
    () => {
      const second = program(
        'second',
        `int main(int argc, char **argv, char **envp) {
         printf("second pid %ld argv %s %s env %s\\n", S(172, 0, 0, 0), argv[0], argv[1], envp[0]);
         return 3;
       }`,
      );
      const first = program(
        'first',
        `int main(void) {
         char *argv[] = { "second", "arg", 0 }; char *envp[] = { "K=V", 0 };
         printf("first pid %ld; bad %ld %ld\\n", S(172, 0, 0, 0), S(221, "/nope", argv, envp), S(221, "/bin", argv, envp));
         S(221, "/bin/second", argv, envp);
         return 99;
       }`,
      );
      const r = boot({ '/bin/main': first, '/bin/second': second });
      expect(r.out()).toBe('first pid 1; bad -2 -13\nsecond pid 1 argv second arg env K=V\n');
      expect(r.status).toBe(3 << 8);
    },
  );

  oracleIt('FIPC between parent and child: create, send/recv with header, rights', GCC, () => {
    const elf = program(
      'fipc',
      `int main(void) {
         long ch = S(600, 1, 0, 0);
         if (S(220, 17, 0, 0) == 0) { rt_syscall(601, ch, 0x1234, (long)"ping", 4, 0, 0); rt_exit(0); }
         unsigned int buf[16];
         long n = S(602, ch, buf, sizeof buf);
         printf("ch %ld n %ld type %x len %u src %u payload %c%c small %ld\\n", ch, n, buf[0], buf[1], buf[4],
                ((char *)&buf[8])[0], ((char *)&buf[8])[3], S(602, ch, buf, 16));
         printf("metrics %ld\\n", rt_syscall(601, 1, 1, (long)"x", 1, 0, 0));
         return 0;
       }`,
    );
    const r = boot({ '/bin/main': elf });
    expect(r.out()).toBe('ch 3 n 36 type 1234 len 4 src 2 payload pg small -22\nmetrics -1\n');
  });

  oracleIt(
    'cooperative by default, sched_yield hands over; the preemptive mode slices at the tick',
    GCC,
    () => {
      const elf = program(
        'spin',
        `int main(int argc, char **argv) {
         int yield = argv[1][0] == 'y';
         if (S(220, 17, 0, 0) == 0) argv[1][1] = 'B'; else argv[1][1] = 'A';
         for (int i = 0; i < 3; i++) {
           for (volatile int j = 0; j < 100000; j++);
           printf("%c%d ", argv[1][1], i);
           if (yield) S(124, 0, 0, 0);
         }
         if (argv[1][1] == 'A') { int st; rt_syscall(260, -1, (long)&st, 0, 0, 0, 0); }
         return 0;
       }`,
      );
      const coop = boot({ '/bin/main': elf }, ['/bin/main', 'n.']);
      expect(coop.out()).toBe('A0 A1 A2 B0 B1 B2 ');
      const yielding = boot({ '/bin/main': elf }, ['/bin/main', 'y.']);
      expect(yielding.out()).toBe('A0 B0 A1 B1 A2 B2 ');
      const pre = boot({ '/bin/main': elf }, ['/bin/main', 'n.'], 50_000_000, true);
      expect(
        pre
          .out()
          .split(' ')
          .filter((x) => x)
          .sort(),
      ).toEqual(['A0', 'A1', 'A2', 'B0', 'B1', 'B2']);
      expect(pre.out()).not.toBe('A0 A1 A2 B0 B1 B2 ');
    },
  );

  oracleIt(
    'code read() into an executable mapping runs fresh (kernel writes drop stale translations)',
    GCC,
    () => {
      const elf = program(
        'jitload',
        `typedef long (*fn)(void);
       long load(const char *path, char *buf) {
         long fd = rt_syscall(56, -100, (long)path, 0, 0, 0, 0);
         long n = S(63, fd, buf, 64); S(57, fd, 0, 0); return n;
       }
       int main(void) {
         char *buf = (char *)rt_syscall(222, 0, 4096, 7, 0x22, -1, 0);
         long r1 = 0, r2 = 0;
         load("/code1", buf);
         for (int i = 0; i < 5000; i++) r1 += ((fn)buf)(); // hot: the JIT translates it
         load("/code2", buf);
         r2 = ((fn)buf)();
         printf("%ld %ld\\n", r1, r2);
         return 0;
       }`,
      );
      const word = (w: number[]) => new Uint8Array(new Uint32Array(w).buffer);
      const r = boot({
        '/bin/main': elf,
        '/code1': word([0x00b00513, 0x00008067]), // li a0, 11; ret
        '/code2': word([0x01600513, 0x00008067]), // li a0, 22; ret
      });
      expect(r.out()).toBe('55000 22\n');
    },
  );

  oracleIt('/dev/fb0: FBIOGET_INFO and a MAP_SHARED mapping of the framebuffer', GCC, () => {
    const elf = program(
      'fb',
      `int main(void) {
         unsigned int info[5];
         long fd = rt_syscall(56, -100, (long)"/dev/fb0", 2, 0, 0, 0);
         printf("ioctl %ld %u %u %u %u\\n", S(29, fd, 0x4601, info), info[0], info[1], info[2], info[3]);
         unsigned int *px = (unsigned int *)rt_syscall(222, 0, info[2] * info[1], 3, 1, fd, 0);
         px[0] = 0xff112233; px[info[1] * info[2] / 4 - 1] = 0xff445566;
         printf("lseek %ld bad ioctl %ld\\n", S(62, fd, 0, 0), S(29, fd, 1, 0));
         return 0;
       }`,
    );
    const r = boot({ '/bin/main': elf });
    expect(r.out()).toBe('ioctl 0 800 600 3200 32\nlseek -29 bad ioctl -25\n');
    const fb = r.k.board.fb;
    expect(fb.pixels[0]).toBe(0xff112233);
    expect(fb.pixels[800 * 600 - 1]).toBe(0xff445566);
  });
});
