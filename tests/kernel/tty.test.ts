import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { TtyConsole } from '../../core/kernel/drivers/tty';
import { isBlocked } from '../../core/kernel/sched';
import { Board } from '../../core/machine/board';
import { Kernel } from '../../core/kernel/boot/kernel';
import { isLoadFailure } from '../../core/kernel/loader';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: unknown) => new TextDecoder().decode(b as Uint8Array);

function tty(onlcr = false) {
  let echoed = '';
  const woken: number[] = [];
  let interrupts = 0;
  const t = new TtyConsole({
    out: (b) => (echoed += dec(b)),
    wake: (tid) => woken.push(tid),
    onInterrupt: () => interrupts++,
    onlcr,
  });
  return { t, echoed: () => echoed, woken, interrupts: () => interrupts };
}

describe('TTY line discipline', () => {
  it('canonical: nothing until newline, one line per read, echo', () => {
    const c = tty();
    const r = c.t.read(null, 100);
    expect(isBlocked(r)).toBe(true);
    if (isBlocked(r)) r.blocked.sleep(7);
    c.t.feed(enc('ab'));
    expect(c.woken).toEqual([]);
    c.t.feed(enc('c\rsecond\n'));
    expect(c.woken).toEqual([7]);
    expect(dec(c.t.read(null, 2))).toBe('ab');
    expect(dec(c.t.read(null, 100))).toBe('c\n');
    expect(dec(c.t.read(null, 100))).toBe('second\n');
    expect(c.echoed()).toBe('abc\nsecond\n');
  });

  it('backspace/DEL erase a character (UTF-8 aware), ^U the line', () => {
    const c = tty();
    c.t.feed(enc('helo\x7f\x7flo wörld'));
    c.t.feed(Uint8Array.of(0x08, 0x08, 0x08));
    c.t.feed(enc('\x15fresh\x7f\x08\n'));
    expect(dec(c.t.read(null, 100))).toBe('fre\n');
    c.t.feed(enc('ö\x7fo\n'));
    expect(dec(c.t.read(null, 100))).toBe('o\n');
    expect(c.echoed().startsWith('helo\b \b\b \blo wörld\b \b\b \b\b \b')).toBe(true);
  });

  it('^D: EOF on an empty line, hands over a partial line otherwise; ^C discards and interrupts', () => {
    const c = tty();
    c.t.feed(enc('part\x04'));
    expect(dec(c.t.read(null, 100))).toBe('part');
    c.t.feed(Uint8Array.of(4));
    expect((c.t.read(null, 100) as Uint8Array).length).toBe(0);
    expect(isBlocked(c.t.read(null, 100))).toBe(true);
    c.t.feed(enc('junk\x03'));
    expect(c.interrupts()).toBe(1);
    expect(c.echoed().endsWith('junk^C\n')).toBe(true);
    c.t.feed(enc('ok\n'));
    expect(dec(c.t.read(null, 100))).toBe('ok\n');
    c.t.endOfInput();
    expect((c.t.read(null, 100) as Uint8Array).length).toBe(0);
  });

  it('raw mode passes bytes through; ONLCR on output', () => {
    const c = tty(true);
    c.t.canonical = false;
    c.t.echo = false;
    c.t.feed(enc('x\x7fy'));
    expect(dec(c.t.read(null, 2))).toBe('x\x7f');
    expect(dec(c.t.read(null, 5))).toBe('y');
    c.t.write(null, enc('a\nb'));
    expect(c.echoed()).toBe('a\r\nb');
  });
});

describe('console in the kernel', () => {
  oracleIt(
    'a program reads lines from the console; ^C kills the foreground task with SIGINT',
    ['riscv64-unknown-elf-gcc'],
    () => {
      const src = `#include "rt.h"
      int main(void) {
        char buf[64]; long n;
        while ((n = rt_read(0, buf, sizeof buf - 1)) > 0) { buf[n] = 0; printf("got %ld: %s", n, buf); }
        return 0;
      }`;
      const board = new Board({ ramSize: 16 << 20 });
      let out = '';
      const k = new Kernel(board, { onOutput: (b) => (out += dec(b)) });
      k.vfs.writeFile('/bin/cat', new Uint8Array(readFileSync(buildWithGcc([{ name: 'cat.c', text: src }]))));
      const t = k.spawn('/bin/cat', ['cat']);
      if (isLoadFailure(t)) throw new Error(t.message);
      expect(k.run(5_000_000)).toBe('idle');
      k.console.feed(enc('hi\n'));
      expect(k.run(5_000_000)).toBe('idle');
      expect(out).toBe('hi\ngot 3: hi\n');
      k.console.feed(enc('par\x03'));
      expect(k.run(5_000_000)).toBe('exited');
      expect(k.exits.get(t.pid)).toBe(2);
      expect(k.log.join()).toMatch(/killed by signal 2: \^C/);
    },
  );
});
