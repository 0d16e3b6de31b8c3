// The console's window size (docs/tty.md) from GCC-built guests: TIOCGWINSZ reads what the host set
// with Kernel.setConsoleSize, -ENOTTY on a pipe, -EFAULT on a bad pointer, TIOCSWINSZ sets it, and a
// change sends SIGWINCH to the console's foreground (caught: a blocked read ends with -EINTR;
// default: ignored, the task lives on).
import { describe, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';

const GCC = ['riscv64-unknown-elf-gcc'];
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function boot(name: string, body: string) {
  const elf = buildWithGcc([
    {
      name,
      text: `#include "rt.h"
      #define S(n, a, b, c) rt_syscall(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
      struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; };
      struct sigact { unsigned long handler, flags, mask[2]; };
      ${body}`,
    },
  ]);
  let out = '';
  const k = new Kernel(new Board({ ramSize: 16 << 20 }), {
    onOutput: (b) => (out += new TextDecoder().decode(b)),
  });
  k.vfs.writeFile('/bin/main', new Uint8Array(readFileSync(elf)), 0o755);
  const init = k.spawn('/bin/main', ['/bin/main']);
  if (isLoadFailure(init)) throw new Error(init.message);
  return { k, init, out: () => out };
}

describe('console window size', () => {
  oracleIt('TIOCGWINSZ, ENOTTY, EFAULT, TIOCSWINSZ and a caught SIGWINCH', GCC, () => {
    const r = boot(
      'winsz.c',
      `static volatile int winch;
      static void on_winch(int s) { winch += s; }
      static void show(const char *what) {
        struct winsize ws = {0, 0, 0, 0};
        long rc = S(29, 1, 0x5413, &ws);
        printf("%s %ld %u %u %u %u\\n", what, rc, ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel);
      }
      int main(void) {
        show("start");
        int p[2];
        S(59, p, 0, 0);
        struct winsize ws;
        printf("pipe %ld\\n", S(29, p[0], 0x5413, &ws));
        printf("bad %ld %ld\\n", S(29, 0, 0x5413, 0x10), S(29, 0, 0x5414, 0x80001000));
        struct sigact a = {(unsigned long)on_winch, 0, {0, 0}};
        rt_syscall(134, 28, (long)&a, 0, 8, 0, 0);
        char c;
        long n = rt_read(0, &c, 1);
        printf("read %ld winch %d\\n", n, winch);
        show("host");
        struct winsize mine = {10, 50, 400, 300};
        printf("set %ld winch %d\\n", S(29, 1, 0x5414, &mine), winch);
        show("guest");
        printf("same %ld winch %d\\n", S(29, 1, 0x5414, &mine), winch);
        return 0;
      }`,
    );
    expect(r.k.run(50_000_000)).toBe('idle'); // blocked in read
    r.k.setConsoleSize(132, 43);
    expect(r.k.run(50_000_000)).toBe('exited');
    expect(r.out()).toBe(
      [
        'start 0 24 80 0 0',
        'pipe -25',
        'bad -14 -14',
        'read -4 winch 28',
        'host 0 43 132 0 0',
        // The guest's own TIOCSWINSZ signals the foreground too (Linux does the same)…
        'set 0 winch 56',
        'guest 0 10 50 400 300',
        // …but only when the size changes.
        'same 0 winch 56',
        '',
      ].join('\n'),
    );
    expect(r.k.exits.get(r.init.pid)).toBe(0);
    expect(r.k.console.winsize).toEqual({ rows: 10, cols: 50, xpixel: 400, ypixel: 300 });
  });

  oracleIt("SIGWINCH's default action is to ignore it: the task reads on", GCC, () => {
    const r = boot(
      'winsz-dfl.c',
      `int main(void) {
        char buf[8];
        long n = rt_read(0, buf, sizeof buf);
        struct winsize ws;
        S(29, 0, 0x5413, &ws);
        printf("read %ld cols %u rows %u\\n", n, ws.ws_col, ws.ws_row);
        return 3;
      }`,
    );
    expect(r.k.run(50_000_000)).toBe('idle');
    r.k.setConsoleSize(100, 30);
    expect(r.k.run(50_000_000)).toBe('idle'); // still blocked: the signal was ignored, no EINTR
    r.k.console.feed(enc('ok\n'));
    expect(r.k.run(50_000_000)).toBe('exited');
    expect(r.out()).toBe('ok\nread 3 cols 100 rows 30\n');
    expect(r.k.exits.get(r.init.pid)).toBe(3 << 8);
  });
});
