// Signals (docs/signals.md) from GCC-built guests: handlers and rt_sigreturn, masks, EINTR and
// SA_RESTART, SIGCHLD, process groups and ^C; and the fault reports that name the VMA.
import { describe, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { oracleIt } from '../support/oracle';
import { buildWithGcc, FIXTURES } from '../support/gcc';

const GCC = ['riscv64-unknown-elf-gcc'];
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function boot(elf: string, argv = ['/bin/main']) {
  let out = '';
  const k = new Kernel(new Board({ ramSize: 16 << 20 }), {
    onOutput: (b) => (out += new TextDecoder().decode(b)),
  });
  k.vfs.writeFile('/bin/main', new Uint8Array(readFileSync(elf)), 0o755);
  const init = k.spawn('/bin/main', argv);
  if (isLoadFailure(init)) throw new Error(init.message);
  return { k, init, out: () => out };
}

const inline = (name: string, body: string): string =>
  buildWithGcc([
    {
      name,
      text: `#include "rt.h"
      #define S(n, a, b, c) rt_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
      ${body}`,
    },
  ]);

describe('signals', () => {
  oracleIt('handlers, masks, EINTR, SA_RESTART, SIGCHLD, nanosleep and process groups', GCC, () => {
    const r = boot(buildWithGcc([join(FIXTURES, 'kernel', 'signals.c')]));
    expect(r.k.run(200_000_000)).toBe('idle');
    r.k.console.feed(enc('x\n'));
    expect(r.k.run(200_000_000)).toBe('exited');
    expect(r.out()).toBe(
      [
        'sigaction usr1 0',
        'kill self 0',
        'got usr1 1 from 1 code 0, 0 3',
        'query 0 same 1',
        'einval -22 -22 -22 -22',
        'efault -14 -14',
        'kill errors -3 -22',
        'block 0',
        'pending, got 1',
        'unblock old 200',
        'after unblock got 2',
        'ignored term 0',
        'child by term 15',
        'sigchld 1 status 300',
        'child read -4 got int 1',
        'parent waits',
        "x\nchild restarted read 1 'x' got int 2",
        'child status 0',
        'sleep -4 rem about 4s 1',
        'setpgid 0 getpgid 1 1',
        'setpgid errors -1 -3',
        'kill group 0',
        'group statuses 15 15',
        'bare rt_sigreturn 11',
        'done',
        '',
      ].join('\n'),
    );
    expect(r.k.exits.get(r.init.pid)).toBe(0);
    expect(r.k.pool.used).toBe(0);
  });

  oracleIt('^C goes to the console’s foreground group; a shell that ignores SIGINT survives', GCC, () => {
    const elf = inline(
      'sh.c',
      `struct sigact { unsigned long handler, flags, mask[2]; };
      int main(void) {
        struct sigact ign = {1, 0, {0, 0}};
        rt_syscall(134, 2, (long)&ign, 0, 8, 0, 0);          /* the shell ignores ^C */
        long c = S(220, 17, 0, 0);
        if (c == 0) {
          struct sigact dfl = {0, 0, {0, 0}};
          rt_syscall(134, 2, (long)&dfl, 0, 8, 0, 0);        /* the job takes the default */
          S(154, 0, 0, 0);
          for (;;) S(124, 0, 0, 0);
        }
        S(124, 0, 0, 0);
        int pg = c;
        printf("tiocspgrp %ld\\n", S(29, 0, 0x5410, &pg));
        int got = 0;
        printf("tiocgpgrp %ld %d\\n", S(29, 0, 0x540f, &got), got == c);
        pg = 4321;
        printf("bad group %ld\\n", S(29, 0, 0x5410, &pg));
        int st = 0;
        rt_syscall(260, c, (long)&st, 0, 0, 0, 0);
        printf("job status %d\\n", st);
        char ch;
        printf("read %ld\\n", rt_read(0, &ch, 1));
        return 0;
      }`,
    );
    const r = boot(elf);
    expect(r.k.run(1_000_000)).toBe('budget'); // the job spins
    expect(r.out()).toBe('tiocspgrp 0\ntiocgpgrp 0 1\nbad group -3\n');
    r.k.console.feed(Uint8Array.of(3));
    expect(r.k.run(5_000_000)).toBe('idle'); // job gone; the shell reads
    expect(r.out()).toContain('^C\njob status 2\n');
    r.k.console.feed(Uint8Array.of(3)); // no foreground group left: the newest holder, the shell, ignores it
    r.k.console.feed(enc('q\n'));
    expect(r.k.run(5_000_000)).toBe('exited');
    expect(r.out()).toMatch(/read 1\n$/);
    expect(r.k.exits.get(r.init.pid)).toBe(0);
  });

  oracleIt('fault reports name the address, the access and the VMA, or a stack overflow', GCC, () => {
    const elf = inline(
      'faults.c',
      `int deep(volatile int *p, int n) { volatile int pad[64]; pad[0] = n; return deep(pad, n + 1) + p[0]; }
      /* one frame larger than the whole stack: sp lands below the guard page */
      __attribute__((noinline)) int huge(void) { volatile char big[300 * 1024]; big[0] = 1; return big[0]; }
      int main(int argc, char **argv) {
        if (argv[1][0] == 't') *(volatile int *)main = 1;
        if (argv[1][0] == 'u') return *(volatile int *)0x30000000;
        if (argv[1][0] == 'k') return *(volatile int *)0x80001000;
        if (argv[1][0] == 'b') return huge();
        int x = 0;
        return deep(&x, 0);
      }`,
    );
    const cases: [string, RegExp][] = [
      [
        't',
        /killed by signal 11: write not permitted, write at 0x4[0-9a-f]+ \(pc 0x4[0-9a-f]+\) in the text VMA 00400000-004[0-9a-f]{5} r-xp$/,
      ],
      [
        'u',
        /killed by signal 11: unmapped address, read at 0x30000000 \(pc 0x[0-9a-f]+\), outside every VMA$/,
      ],
      ['k', /killed by signal 11: kernel address, read at 0x80001000 \(pc 0x[0-9a-f]+\) in the kernel half$/],
      [
        's',
        /killed by signal 11: stack overflow: write at 0x7ffaf[0-9a-f]{3} \(pc 0x[0-9a-f]+\) in the guard page below the stack \(guard VMA 7ffaf000-7ffb0000 ---p\)$/,
      ],
      [
        'b',
        /killed by signal 11: stack overflow: write at 0x7ffa[0-9a-f]{4} \(pc 0x[0-9a-f]+\) below the stack's guard page \(a stack frame larger than a page skipped it\)$/,
      ],
    ];
    for (const [arg, re] of cases) {
      const r = boot(elf, ['/bin/main', arg]);
      expect(r.k.run(50_000_000)).toBe('exited');
      expect(r.k.exits.get(r.init.pid)).toBe(11);
      expect(r.k.log.join('\n')).toMatch(re);
    }
  });
});
