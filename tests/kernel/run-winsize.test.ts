// `futura run`'s terminal size (docs/tty.md): runProgram gives the guest the host terminal's size
// before it runs and each resize after, waking an idle guest so its SIGWINCH handler runs; the CLI's
// watcher reads a terminal stream's columns/rows now and on its 'resize' events.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { terminalSize, watchTerminalSize } from '../../core/cli/terminal-size';
import { runProgram } from '../../core/cli/user-run';
import { buildWithGcc } from '../support/gcc';
import { oracleIt } from '../support/oracle';

const GCC = ['riscv64-unknown-elf-gcc'];

/** A stand-in for process.stdout: a terminal of a given size that can be resized. */
function fakeTerminal(isTTY: boolean, columns: number, rows: number) {
  const t = Object.assign(new EventEmitter(), { isTTY, columns, rows });
  const resize = (c: number, r: number): void => {
    t.columns = c;
    t.rows = r;
    t.emit('resize');
  };
  return { stream: t as unknown as NodeJS.WriteStream, resize, listeners: () => t.listenerCount('resize') };
}

describe('futura run and the terminal size', () => {
  oracleIt('the guest reads the size at start, and after a resize (SIGWINCH wakes it)', GCC, async () => {
    const elf = buildWithGcc([
      {
        name: 'winsz-run.c',
        text: `#include "rt.h"
        struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; };
        struct sigact { unsigned long handler, flags, mask[2]; };
        static volatile int winch;
        static void on_winch(int s) { winch = s; }
        static void show(const char *what) {
          struct winsize ws;
          long rc = rt_syscall(29, 0, 0x5413, (long)&ws, 0, 0, 0);
          printf("%s %ld %ux%u\\n", what, rc, ws.ws_col, ws.ws_row);
        }
        int main(void) {
          struct sigact a = {(unsigned long)on_winch, 0, {0, 0}};
          rt_syscall(134, 28, (long)&a, 0, 8, 0, 0);
          show("start");
          char c;
          long n = winch ? -4 : rt_read(0, &c, 1); /* a resize before the read: as if it cut the read short */
          printf("read %ld winch %d\\n", n, winch);
          show("now");
          return 0;
        }`,
      },
    ]);
    let out = '';
    let set: (cols: number, rows: number) => void = () => {};
    const done = runProgram(
      { program: new Uint8Array(readFileSync(elf)), path: '/bin/winsz', args: [] },
      {
        out: (b) => (out += new TextDecoder().decode(b)),
        err: () => {},
        input: () => {}, // input never ends: only the resize can wake the read
        resize: (s) => {
          set = s;
          s(90, 33);
        },
      },
    );
    for (let i = 0; i < 2000 && !out.includes('start'); i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20)); // the guest is now blocked in read (or about to be)
    set(120, 40);
    expect(await done).toBe(0);
    expect(out).toBe('start 0 90x33\nread -4 winch 28\nnow 0 120x40\n');
  });

  it('watchTerminalSize: the size now and on each resize, nothing for a pipe; stops on request', () => {
    const tty = fakeTerminal(true, 100, 30);
    const seen: string[] = [];
    const stop = watchTerminalSize((c, r) => seen.push(`${c}x${r}`), tty.stream);
    tty.resize(132, 43);
    stop();
    tty.resize(10, 10);
    expect(seen).toEqual(['100x30', '132x43']);
    expect(tty.listeners()).toBe(0);
    expect(terminalSize(tty.stream)).toEqual({ cols: 10, rows: 10 });

    const pipe = fakeTerminal(false, 0, 0);
    const none: string[] = [];
    watchTerminalSize((c, r) => none.push(`${c}x${r}`), pipe.stream)();
    expect(none).toEqual([]);
    expect(terminalSize(pipe.stream)).toBeNull();
  });
});
