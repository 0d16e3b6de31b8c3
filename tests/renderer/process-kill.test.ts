// The Processes view's Kill (renderer/src/live/panels/ProcessesKill.ts, Processes.tsx) through the
// renderer's SessionClient to a real session: a runaway task killed on a paused machine, the
// outcome and a refusal shown; and when the view's Kill button is offered.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { inlineLink } from '../../core/host/worker/runner';
import type { SessionEvent } from '../../core/protocol/messages';
import { SessionClient } from '../../renderer/src/client/session-client';
import { KillControl, killButton, type KillState } from '../../renderer/src/live/panels/ProcessesKill';
import type { TaskInfo } from '../../renderer/src/live/types';
import { AsmBuilder, asmWorkspace } from '../host/session-support';
import { SPIN_CHILD_ASM } from '../host/spin-child';
import { ScriptedTransport, SessionTransport } from './fake-transport';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const task = (pid: number, name: string, state: string): TaskInfo => ({
  pid,
  name,
  state,
  priority: 128,
  cpu: 0,
  parent: pid === 1 ? null : 1,
});

describe('Processes: Kill', () => {
  it('kills the selected runaway task on a paused machine and shows what happened', async () => {
    const s = new Session({
      dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')),
      builder: new AsmBuilder(),
      machineLink: inlineLink,
    });
    cleanups.push(() => s.dispose());
    const client = new SessionClient(new SessionTransport(s));
    let consoleText = '';
    client.onEvent((e: SessionEvent) => {
      if (e.event === 'console.output') consoleText += e.data;
    });
    const control = new KillControl((method, params) => client.request(method, params));
    const seen: KillState[] = [];
    control.subscribe(() => seen.push(control.get()));

    await client.request('workspace.open', { path: asmWorkspace(SPIN_CHILD_ASM) });
    await client.request('build.run', {});
    await client.request('machine.boot', {});
    const until = async (text: string): Promise<void> => {
      for (let i = 0; i < 400 && !consoleText.includes(text); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(consoleText).toContain(text);
    };
    await until('forked');
    await client.request('machine.pause', {});

    await control.kill({ pid: 2, name: 'init' });
    expect(seen[0]).toEqual({ busy: true, message: 'sending SIGKILL to pid 2 (init)…', error: false });
    expect(control.get()).toEqual({ busy: false, message: 'pid 2 (init) killed by SIGKILL', error: false });

    await control.kill({ pid: 2, name: 'init' });
    expect(control.get()).toEqual({
      busy: false,
      message: 'cannot kill pid 2 (init): no live task has pid 2',
      error: true,
    });

    await client.request('machine.resume', {});
    await until('reaped 09');
  });

  it('a signal the task handles is reported as sent, not as a kill', async () => {
    const t = new ScriptedTransport();
    const client = new SessionClient(t);
    const control = new KillControl((method, params) => client.request(method, params));
    const pending = control.kill({ pid: 5, name: 'fsh' }, 15);
    expect(t.sent).toEqual([
      expect.objectContaining({ method: 'machine.kill', params: { pid: 5, signal: 15 } }),
    ]);
    await control.kill({ pid: 6, name: 'x' }); // busy: ignored, nothing sent
    expect(t.sent).toHaveLength(1);
    t.deliver({ id: t.sent[0]!.id, ok: true, result: { pid: 5, name: 'fsh', signal: 15, ended: false } });
    await pending;
    expect(control.get().message).toBe('SIGTERM sent to pid 5 (fsh) (still running: it handles the signal)');
  });

  it('the Kill button: for the selected live task only, not while a kill is on its way', () => {
    const idle: KillState = { busy: false, message: null, error: false };
    expect(killButton(task(2, 'spin', 'running'), idle)).toEqual({
      label: 'Kill 2',
      disabled: false,
      title: 'Send SIGKILL to pid 2 (spin)',
    });
    expect(killButton(task(1, 'init', 'blocked'), undefined).disabled).toBe(false);
    expect(killButton(task(3, 'gone', 'zombie'), idle)).toMatchObject({ label: 'Kill 3', disabled: true });
    expect(killButton(undefined, idle)).toMatchObject({ label: 'Kill', disabled: true });
    expect(killButton(task(2, 'spin', 'running'), { ...idle, busy: true }).disabled).toBe(true);
  });
});
