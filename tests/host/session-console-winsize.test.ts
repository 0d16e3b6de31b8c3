// console.resize reaches the guest (docs/tty.md): the size a session has when it boots is what the
// guest's first TIOCGWINSZ reads, and a resize of the running machine is read on the next call.
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { inlineLink } from '../../core/host/worker/runner';
import type { MachineStatus } from '../../core/protocol/messages';
import { openAsmSession } from './session-support';

/** For each line read from the console: ioctl(0, TIOCGWINSZ) and prints "CCCxRRR\n" (cols x rows). */
const WINSIZE_ASM = `
  .text
  .globl _start
_start:
loop:
  li a0, 0
  la a1, buf
  li a2, 200
  li a7, 63
  ecall
  blez a0, done
  li a0, 0
  li a1, 0x5413
  la a2, ws
  li a7, 29
  ecall
  la t0, ws
  lhu a0, 2(t0)
  la a1, out
  call put3
  la t0, ws
  lhu a0, 0(t0)
  la a1, out
  addi a1, a1, 4
  call put3
  li a0, 1
  la a1, out
  li a2, 8
  li a7, 64
  ecall
  j loop
done:
  li a0, 0
  li a7, 93
  ecall
put3:
  li t2, 10
  rem t1, a0, t2
  addi t1, t1, 48
  sb t1, 2(a1)
  div a0, a0, t2
  rem t1, a0, t2
  addi t1, t1, 48
  sb t1, 1(a1)
  div a0, a0, t2
  rem t1, a0, t2
  addi t1, t1, 48
  sb t1, 0(a1)
  ret
  .data
out: .ascii "000x000\\n"
  .bss
ws: .space 8
buf: .space 256
`;

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

describe('console.resize reaches the guest', () => {
  it('TIOCGWINSZ reads the size set before the boot, then the size of each resize', async () => {
    const { c } = await openAsmSession(WINSIZE_ASM, sessions, inlineLink);
    await c.call('build.run', {});
    await c.call('console.resize', { cols: 100, rows: 30 });
    await c.call('machine.boot', {});
    let mark = c.events.length;
    await c.call('console.input', { data: '\r' });
    await c.waitConsole('100x030\r\n', mark);

    const st = (await c.call('console.resize', { cols: 132, rows: 43 })) as MachineStatus;
    expect(st.console).toEqual({ cols: 132, rows: 43 });
    mark = c.events.length;
    await c.call('console.input', { data: '\r' });
    await c.waitConsole('132x043\r\n', mark);

    // Resized while paused: read as soon as the guest runs again.
    await c.call('machine.pause', {});
    await c.call('console.resize', { cols: 7, rows: 999 });
    mark = c.events.length;
    await c.call('console.input', { data: '\r' });
    await c.call('machine.resume', {});
    await c.waitConsole('007x999\r\n', mark);
    expect(c.consoleText()).not.toContain('000x000');
  });
});
