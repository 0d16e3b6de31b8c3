// machine.kill, the IDE's Kill: a child spinning in cooperative mode starves its parent (blocked in
// wait4) for ever; killed from the session while the machine is paused, the parent reaps status 9
// and goes on serving the console. Unknown and ended pids are not-found; SIGKILL to init halts.
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { inlineLink } from '../../core/host/worker/runner';
import type { KillResult, MachineStatus, SessionEvent } from '../../core/protocol/messages';
import { DirectClient, openAsmSession } from './session-support';
import { SPIN_CHILD_ASM } from './spin-child';

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

async function booted(): Promise<DirectClient> {
  const { c } = await openAsmSession(SPIN_CHILD_ASM, sessions, inlineLink);
  await c.call('build.run', {});
  await c.call('machine.boot', {});
  await c.waitConsole('forked\r\n');
  return c;
}

describe('machine.kill', () => {
  it('kills a spinning task while paused; its parent reaps SIGKILL and the console works again', async () => {
    const c = await booted();
    // The child holds the hart: the parent never reads this line while the child lives.
    await c.call('console.input', { data: 'early\r' });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.consoleText()).not.toContain('got: ');

    await c.call('machine.pause', {});
    const mark = c.events.length;
    const r = (await c.call('machine.kill', { pid: 2 })) as KillResult;
    expect(r).toEqual({ pid: 2, name: 'init', signal: 9, ended: true });
    await c.waitConsole('[kernel] pid 2 (init) killed by signal 9: killed from the IDE', mark);
    expect(((await c.call('machine.status', {})) as MachineStatus).state).toBe('paused');

    // An ended task and an unknown pid: not-found.
    await expect(c.call('machine.kill', { pid: 2 })).rejects.toThrow(/^not-found: no live task has pid 2/);
    await expect(c.call('machine.kill', { pid: 77, signal: 15 })).rejects.toThrow(/^not-found/);
    await expect(c.call('machine.kill', { pid: 2, signal: 3 as 9 })).rejects.toThrow(/^bad-params/);

    await c.call('machine.resume', {});
    await c.waitConsole('reaped 09\r\n', mark);
    await c.waitConsole('got: early\r\n', mark);
    await c.call('console.input', { data: 'still here\r' });
    await c.waitConsole('got: still here\r\n', mark);
  });

  it('SIGTERM acts as kill(2) would; SIGKILL to init takes the guest down and halts the machine', async () => {
    const c = await booted();
    const r = (await c.call('machine.kill', { pid: 2, signal: 15 })) as KillResult;
    expect(r).toMatchObject({ pid: 2, signal: 15, ended: true }); // no handler: terminated
    await c.waitConsole('reaped 15\r\n');

    const halted = c.waitFor(
      (e: SessionEvent) => e.event === 'machine.state' && e.state === 'halted',
      10_000,
      c.events.length,
    );
    const k = (await c.call('machine.kill', { pid: 1 })) as KillResult;
    expect(k).toEqual({ pid: 1, name: 'init', signal: 9, ended: true });
    expect(await halted).toMatchObject({ reason: 'init killed by signal 9' });
    await expect(c.call('machine.kill', { pid: 1 })).rejects.toThrow(/^not-found/);
  });
});
