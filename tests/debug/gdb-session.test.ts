// The IDE's GDB stub through the session protocol: machine.gdb switches it on (the answer says
// the port bound), a boot then waits paused for a debugger, and a raw remote-protocol client reads
// the stop, the registers and the threads, stops at a breakpoint, steps, stops on a write
// watchpoint, is interrupted by the IDE's pause, detaches (the machine runs on), and the switch
// turns the stub off again. gdb.status events say waiting / connected along the way.
import { connect, createServer, type AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { inlineLink, type LinkFactory } from '../../core/host/worker/runner';
import type { GdbStubStatus } from '../../core/protocol/gdb';
import type { SessionEvent } from '../../core/protocol/messages';
import { AsmBuilder, asmWorkspace, DirectClient } from '../host/session-support';
import { rspClient } from './gdb-support';

/** Counts in s0 and stores the count to `counter` (a write watchpoint's target), forever. */
const COUNTER_ASM = `
  .option norvc
  .text
  .globl _start
_start:
  li s0, 0
loop:
  addi s0, s0, 1
  la t0, counter
  sw s0, 0(t0)
  j loop
  .data
counter: .word 0
`;

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

const gdbStatus =
  (pred: (s: GdbStubStatus) => boolean) =>
  (e: SessionEvent): boolean =>
    e.event === 'gdb.status' && pred(e.status);

/** A register from a `g` reply: 32-bit little-endian hex at slot n. */
function reg(g: string, n: number): number {
  const hex = g.slice(n * 8, n * 8 + 8);
  return parseInt(hex.match(/../g)!.reverse().join(''), 16);
}

describe.each([
  ['on this thread', inlineLink as LinkFactory | undefined],
  ['in a worker thread', undefined],
])('the IDE GDB stub (%s)', (_name, link) => {
  it('switches on, holds the boot for gdb, serves RSP, detaches, switches off', async () => {
    const s = new Session({
      dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')),
      builder: new AsmBuilder(),
      ...(link ? { machineLink: link } : {}),
    });
    sessions.push(s);
    const c = new DirectClient(s);
    await c.call('workspace.open', { path: asmWorkspace(COUNTER_ASM) });
    expect(((await c.call('build.run', {})) as { ok: boolean }).ok).toBe(true);

    // A port someone else holds: the switch fails and says why.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    await expect(c.call('machine.gdb', { enabled: true, port: taken })).rejects.toThrow(/EADDRINUSE/);
    squatter.close();

    const on = (await c.call('machine.gdb', { enabled: true, port: 0 })) as GdbStubStatus;
    expect(on.enabled).toBe(true);
    expect(on.port).toBeGreaterThan(0);
    expect(on.message).toBe(`waiting for gdb on 127.0.0.1:${on.port}`);
    await c.waitFor(
      gdbStatus((st) => st.port === on.port && !st.connected),
      20_000,
      0,
    );

    // The boot waits, paused, before init's first instruction.
    const booted = (await c.call('machine.boot', {})) as { state: string; reason?: string };
    expect(booted.state).toBe('paused');
    expect(booted.reason).toBe(`waiting for gdb on 127.0.0.1:${on.port}`);

    const from = c.events.length;
    const g = await rspClient(on.port!);
    try {
      expect(await g.ask('?')).toBe('T05thread:1;');
      await c.waitFor(
        gdbStatus((st) => st.connected && /^gdb connected from 127\.0\.0\.1:/.test(st.message)),
        20_000,
        from,
      );
      const regs = await g.ask('g');
      expect(reg(regs, 32)).toBe(0x400000); // pc at the entry
      expect(reg(regs, 2)).toBeGreaterThan(0x7f000000); // a user stack
      expect(await g.ask('qfThreadInfo')).toBe('m1');
      expect(await g.ask('qC')).toBe('QC1');

      // A software breakpoint at `loop` (an ebreak patch): continue stops there.
      expect(await g.ask('Z0,400004,4')).toBe('OK');
      expect(await g.ask('c')).toBe('T05thread:1;swbreak:;');
      expect(reg(await g.ask('g'), 32)).toBe(0x400004);
      // Memory reads show the original instruction, not the patch: addi s0, s0, 1.
      expect(await g.ask('m400004,4')).toBe('13041400');
      expect(await g.ask('z0,400004,4')).toBe('OK');

      // Three steps (addi, auipc, addi): t0 holds &counter.
      for (let i = 0; i < 3; i++) expect(await g.ask('vCont;s:1')).toBe('T05thread:1;');
      const counter = reg(await g.ask('g'), 5);
      expect(counter).toBeGreaterThanOrEqual(0x400000);

      // A write watchpoint on counter: the store stops the machine, pc on the next instruction.
      expect(await g.ask(`Z2,${counter.toString(16)},4`)).toBe('OK');
      expect(await g.ask('c')).toBe(`T05thread:1;watch:${counter.toString(16)};`);
      const afterStore = reg(await g.ask('g'), 32);
      expect(afterStore).toBe(0x400014);
      expect(await g.ask(`m${counter.toString(16)},4`)).toBe('01000000');
      // Unchanged values still stop: write the same count back and rerun the store.
      expect(await g.ask(`P20=${'10004000'}`)).toBe('OK'); // pc = 0x400010 (the sw)
      expect(await g.ask('c')).toBe(`T05thread:1;watch:${counter.toString(16)};`);
      expect(await g.ask(`m${counter.toString(16)},4`)).toBe('01000000');
      expect(await g.ask(`z2,${counter.toString(16)},4`)).toBe('OK');

      // The IDE's pause interrupts a machine GDB lets run.
      g.send('c');
      await c.waitFor((e) => e.event === 'machine.state' && e.state === 'running', 20_000, c.events.length);
      await c.call('machine.pause', {});
      expect(await g.next()).toBe('T02thread:1;');
      // While GDB holds the machine, the IDE's resume is refused.
      await expect(c.call('machine.resume', {})).rejects.toThrow(/gdb holds the machine/);
      await expect(c.call('machine.step', {})).rejects.toThrow(/gdb holds the machine/);
      await expect(c.call('debug.step', { pid: 1, kind: 'instruction' })).rejects.toThrow(
        /gdb holds the machine/,
      );

      // Detach: the machine runs on, the stub waits for the next debugger.
      const beforeDetach = c.events.length;
      expect(await g.ask('D')).toBe('OK');
      await c.waitFor(
        gdbStatus((st) => !st.connected && st.enabled),
        20_000,
        beforeDetach,
      );
      const st = (await c.call('machine.status', {})) as { state: string; instret: number };
      expect(st.state).toBe('running');
    } finally {
      g.close();
    }

    const off = (await c.call('machine.gdb', { enabled: false })) as GdbStubStatus;
    expect(off).toEqual({ enabled: false, port: null, connected: false, message: 'off' });
    const refused = await new Promise<boolean>((resolve) => {
      const sock = connect(on.port!, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(false);
      });
      sock.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  }, 60_000);

  it("gdb's kill powers the machine off; the stub waits for the next boot's debugger", async () => {
    const s = new Session({
      dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')),
      builder: new AsmBuilder(),
      ...(link ? { machineLink: link } : {}),
    });
    sessions.push(s);
    const c = new DirectClient(s);
    await c.call('workspace.open', { path: asmWorkspace(COUNTER_ASM) });
    await c.call('build.run', {});
    const on = (await c.call('machine.gdb', { enabled: true, port: 0 })) as GdbStubStatus;
    await c.call('machine.boot', {});
    const g = await rspClient(on.port!);
    try {
      expect(await g.ask('?')).toBe('T05thread:1;');
      const from = c.events.length;
      expect(await g.ask('vKill;1')).toBe('OK');
      await c.waitFor((e) => e.event === 'machine.state' && e.state === 'off', 20_000, from);
      await c.waitFor(
        gdbStatus((st) => st.enabled && !st.connected),
        20_000,
        from,
      );
    } finally {
      g.close();
    }
    // The next boot waits for a debugger again, and one can connect.
    expect(((await c.call('machine.boot', {})) as { state: string }).state).toBe('paused');
    const again = await rspClient(on.port!);
    try {
      expect(reg(await again.ask('g'), 32)).toBe(0x400000);
    } finally {
      again.close();
    }
  }, 60_000);
});
