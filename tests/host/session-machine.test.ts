// The Session's build, machine, console and observation methods, driven through the protocol's
// direct-call transport (raw messages into Session.handle), as the CLI and the UI's worker do.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { inlineLink, type LinkFactory } from '../../core/host/worker/runner';
import type { MachineStatus, SessionEvent } from '../../core/protocol/messages';
import type { Json } from '../../core/protocol/snapshot-diff';
import { SnapshotReceiver, type SnapshotEvent } from '../../core/protocol/snapshot-stream';
import type { StepResult } from '../../core/host/worker/protocol';
import {
  asmWorkspace,
  DirectClient,
  ECHO_ASM,
  FAULT_ASM,
  FB_ASM,
  FLOOD_ASM,
  SLEEP_ASM,
  SPIN_ASM,
  openAsmSession,
} from './session-support';

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

async function open(
  source: string,
  link?: LinkFactory,
): Promise<{ c: DirectClient; dir: string; s: Session }> {
  return openAsmSession(source, sessions, link);
}

const isState =
  (state: string) =>
  (e: SessionEvent): boolean =>
    e.event === 'machine.state' && e.state === state;

describe.each([
  ['on this thread', inlineLink as LinkFactory | undefined],
  ['in a worker thread', undefined],
])('Session machine (%s)', (_name, link) => {
  it('edit, build with an error, fix, boot, console round trip, exit', async () => {
    const { c, s } = await open(ECHO_ASM, link);
    // An edit that breaks the program: the build fails with a located diagnostic and no image.
    const broken = ECHO_ASM.replace('  mv s1, a0', '  mv s1, a0\n  frobnicate t0, t1');
    await c.call('file.save', { path: 'init.s', content: broken });
    const failed = (await c.call('build.run', {})) as { ok: boolean; diagnostics: unknown[] };
    expect(failed.ok).toBe(false);
    expect(failed.diagnostics).toContainEqual(
      expect.objectContaining({
        file: 'init.s',
        line: broken.split('\n').findIndex((l) => l.includes('frobnicate')) + 1,
        col: 3,
        severity: 'error',
      }),
    );
    expect(c.events).toContainEqual(expect.objectContaining({ event: 'build.finished', ok: false }));
    expect(c.events.some((e) => e.event === 'build.progress')).toBe(true);
    // Never built successfully: boot builds first, and says why there is nothing to boot.
    await expect(c.call('machine.boot', {})).rejects.toThrow(
      /failed: nothing to boot: the build failed with 1 error \(see Problems\)/,
    );

    // Fix it and boot: the prompt appears, a line typed comes back, `q` ends init.
    await c.call('file.save', { path: 'init.s', content: ECHO_ASM });
    expect(await c.call('build.run', {})).toMatchObject({ ok: true, diagnostics: [] });
    const booted = (await c.call('machine.boot', {})) as MachineStatus;
    expect(booted.state).toBe('running');
    expect(s.machine.runnerKind).toBe(link ? 'inline' : 'worker');
    await c.waitConsole('> ');
    await c.call('console.input', { data: 'héllo wörld\r' });
    await c.waitConsole('got: héllo wörld\r\n> ');
    await c.call('console.input', { data: 'q\r' });
    const halted = await c.waitFor(isState('halted'), 20_000, 0);
    expect(halted).toMatchObject({ reason: 'init exited with status 7' });
    expect(await c.call('machine.status', {})).toMatchObject({ state: 'halted' });

    // Booting again starts a fresh machine from the same image.
    const mark = c.events.length;
    await c.call('machine.boot', {});
    await c.waitConsole('> ', mark);
    expect(await c.call('machine.reset', {})).toMatchObject({ state: 'off', instret: 0 });

    // A failed build keeps the last good image: boot still starts the program that built.
    await c.call('file.save', { path: 'init.s', content: broken });
    expect(await c.call('build.run', {})).toMatchObject({ ok: false });
    const again = c.events.length;
    expect(await c.call('machine.boot', {})).toMatchObject({ state: 'running' });
    await c.waitConsole('> ', again);
    await c.call('console.input', { data: 'still good\r' });
    await c.waitConsole('got: still good\r\n', again);
  });

  it('boots a workspace that was never built by building it first', async () => {
    const { c } = await open(ECHO_ASM, link);
    const booted = (await c.call('machine.boot', {})) as MachineStatus;
    expect(booted.state).toBe('running');
    expect(c.events).toContainEqual(expect.objectContaining({ event: 'build.finished', ok: true }));
    await c.waitConsole('> ');
    await c.call('machine.reset', {});
  });

  it('pause stops the guest, step runs exactly n instructions, resume goes on', async () => {
    const { c } = await open(SPIN_ASM, link);
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    // The guest never idles: a pause is answered because the loop yields between slices.
    const paused = (await c.call('machine.pause', {})) as MachineStatus;
    expect(paused.state).toBe('paused');
    expect(((await c.call('machine.status', {})) as MachineStatus).instret).toBe(paused.instret);
    const one = (await c.call('machine.step', { instructions: 1 })) as StepResult;
    expect(one.executed).toBe(1);
    expect(one.status.instret).toBe(paused.instret + 1);
    const many = (await c.call('machine.step', { instructions: 12_345 })) as StepResult;
    expect(many.executed).toBe(12_345);
    expect(many.status).toMatchObject({ state: 'paused', instret: paused.instret + 12_346 });
    expect(await c.call('machine.resume', {})).toMatchObject({ state: 'running' });
    await c.waitFor((e) => e.event === 'machine.state', 100).catch(() => null);
    const later = (await c.call('machine.status', {})) as MachineStatus;
    expect(later.state).toBe('running');
    // Stepping a running machine pauses it first.
    const s2 = (await c.call('machine.step', { instructions: 10 })) as StepResult;
    expect(s2.status.state).toBe('paused');
    expect(s2.status.instret).toBeGreaterThan(many.status.instret);
  });
});

describe('Session machine observation', () => {
  it('streams a full snapshot, then diffs that rebuild the kernel state, and counters', async () => {
    const { c } = await open(SPIN_ASM, inlineLink);
    expect(await c.call('observe.subscribe', { streams: ['snapshot', 'counters'], hz: 30 })).toEqual({
      streams: ['snapshot', 'counters'],
      hz: 30,
    });
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    const rx = new SnapshotReceiver();
    const snaps: Json[] = [];
    const diffs = (): number => c.events.filter((e) => e.event === 'snapshot' && !e.full).length;
    while (diffs() < 5) await c.waitFor((e) => e.event === 'snapshot');
    for (const e of c.events) {
      if (e.event !== 'snapshot') continue;
      const s = rx.accept(JSON.parse(JSON.stringify(e)) as SnapshotEvent);
      expect(s).not.toBeNull(); // every diff applies to the snapshot before it
      snaps.push(s!);
    }
    const first = c.events.find((e) => e.event === 'snapshot');
    expect(first).toMatchObject({ full: true });
    const last = snaps[snaps.length - 1] as { tasks: { pid: number; name: string }[]; instret: number };
    expect(last.tasks).toEqual([expect.objectContaining({ pid: 1, name: 'init' })]);
    const instrets = snaps.map((s) => (s as { instret: number }).instret);
    expect(instrets).toEqual([...instrets].sort((a, b) => a - b));
    expect(instrets[instrets.length - 1]).toBeGreaterThan(instrets[0]!);
    // Counters: cumulative totals, and rates once two samples exist.
    const counters = c.events.filter((e) => e.event === 'counters');
    expect(counters.length).toBeGreaterThan(2);
    const lastC = counters[counters.length - 1]!;
    expect(lastC.values.instructions).toBeGreaterThan(0);
    expect(lastC.rates?.mips).toBeGreaterThan(0);
    // Paused, nothing changes: no snapshot events, though counters keep ticking.
    await c.call('machine.pause', {});
    await c.waitFor((e) => e.event === 'counters');
    const mark = c.events.length;
    await c.waitFor((e) => e.event === 'counters');
    await c.waitFor((e) => e.event === 'counters');
    expect(c.events.slice(mark).filter((e) => e.event === 'snapshot')).toEqual([]);
    // Unsubscribing from everything stops the streams.
    await c.call('observe.subscribe', { streams: [], hz: 1 });
    const quiet = c.events.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(c.events.slice(quiet).filter((e) => e.event === 'counters')).toEqual([]);
  });

  it('sends framebuffer frames only when the guest drew', async () => {
    const { c } = await open(FB_ASM, inlineLink);
    await c.call('observe.subscribe', { streams: ['framebuffer', 'counters'], hz: 30 });
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    const drawn = await c.waitFor(
      (e): e is Extract<SessionEvent, { event: 'framebuffer' }> =>
        e.event === 'framebuffer' && e.pixels[0] === 0xff,
    );
    expect(drawn.width).toBe(800);
    expect(drawn.pixels.length).toBe(800 * 600 * 4);
    // 0x00ff8040 drawn: RGBA bytes, opaque; the untouched pixel next to it is opaque black.
    expect([...drawn.pixels.subarray(0, 8)]).toEqual([0xff, 0x80, 0x40, 0xff, 0, 0, 0, 0xff]);
    const frames = (): number => c.events.filter((e) => e.event === 'framebuffer').length;
    const before = frames();
    for (let i = 0; i < 4; i++) await c.waitFor((e) => e.event === 'counters');
    expect(frames()).toBe(before); // the guest is blocked reading the console: nothing new to draw
  });

  it('keeps guest time on the wall clock in the real clock mode', async () => {
    const { c } = await open(SLEEP_ASM, inlineLink);
    await c.call('build.run', {});
    // Virtual: the sleep is jumped over at once.
    await c.call('machine.boot', {});
    await c.waitFor(isState('halted'), 20_000, 0);
    expect(c.consoleText()).toContain('woke');
    const virt = (await c.call('machine.status', {})) as MachineStatus;
    expect(virt.timeMs).toBeGreaterThanOrEqual(300);
    // Real: the guest wakes no earlier than 300 ms of host time after boot.
    expect(await c.call('machine.configure', { clock: 'real' })).toMatchObject({ config: { clock: 'real' } });
    const mark = c.events.length;
    const t0 = performance.now();
    await c.call('machine.boot', {});
    await c.waitFor(isState('halted'), 20_000, mark);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(c.consoleText(mark)).toContain('woke');
  });

  it('runs the guest at full speed in the real clock mode, its time following the wall clock', async () => {
    const { c } = await open(SPIN_ASM, inlineLink);
    await c.call('build.run', {});
    await c.call('machine.configure', { clock: 'real' });
    const t0 = performance.now();
    await c.call('machine.boot', {});
    await new Promise((r) => setTimeout(r, 400));
    const s = (await c.call('machine.pause', {})) as MachineStatus;
    const wall = performance.now() - t0;
    expect(s.timeMs).toBeGreaterThan(0);
    expect(s.timeMs).toBeLessThanOrEqual(wall + 20);
    // Not held to the virtual clock's 10,000 instructions per millisecond.
    expect(s.instret / s.timeMs).toBeGreaterThan(10_000);
    // Paused, guest time stands still; a step advances it by instructions only.
    await new Promise((r) => setTimeout(r, 100));
    const step = (await c.call('machine.step', { instructions: 1000 })) as StepResult;
    expect(step.status.timeMs - s.timeMs).toBeLessThanOrEqual(1);
  });

  it('applies RAM size at the next boot and preemption at once', async () => {
    const { c } = await open(ECHO_ASM, inlineLink);
    await c.call('build.run', {});
    await c.call('machine.configure', { ramMiB: 32, preempt: true });
    await c.call('observe.subscribe', { streams: ['snapshot'], hz: 30 });
    expect(await c.call('machine.boot', {})).toMatchObject({ config: { ramMiB: 32, preempt: true } });
    const snap = (await c.waitFor((e) => e.event === 'snapshot' && e.full, 20_000, 0)) as Extract<
      SnapshotEvent,
      { full: true }
    >;
    const frames = (snap.data as { frames: { total: number } }).frames.total;
    expect(frames * 4096).toBeLessThanOrEqual(32 << 20);
    expect(frames * 4096).toBeGreaterThan(28 << 20);
    expect(await c.call('machine.configure', { preempt: false })).toMatchObject({
      state: 'running',
      config: { preempt: false, ramMiB: 32 },
    });
    expect(await c.call('console.resize', { cols: 120, rows: 40 })).toMatchObject({
      console: { cols: 120, rows: 40 },
    });
  });
});

describe('Session console', () => {
  it('delivers a flood of output whole and in order, UTF-8 intact across chunks', async () => {
    const { c } = await open(FLOOD_ASM, inlineLink);
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    await c.waitFor(isState('halted'), 30_000, 0);
    const want = Array.from(
      { length: 2000 },
      (_, i) => `${String(i).padStart(4, '0')} é${'x'.repeat(56)}\r\n`,
    );
    expect(c.consoleText()).toBe(want.join(''));
  });
});

describe('Session machine faults', () => {
  it('reports a guest fault on the console and halts with the reason', async () => {
    const { c } = await open(FAULT_ASM, inlineLink);
    await c.call('build.run', {});
    await c.call('machine.boot', {});
    const halted = await c.waitFor(isState('halted'), 20_000, 0);
    expect(halted).toMatchObject({ reason: 'init killed by signal 11' });
    expect(c.consoleText()).toMatch(/\[kernel\] pid 1 \(init\) killed by signal 11/);
    // A halted machine can still be observed and reset, and booted again.
    expect(await c.call('machine.reset', {})).toMatchObject({ state: 'off' });
    expect(await c.call('machine.boot', {})).toMatchObject({ state: 'running' });
  });
});

describe('Session protocol errors', () => {
  it('answers malformed, unknown and out-of-state requests with error replies', async () => {
    const { c } = await open(ECHO_ASM, inlineLink);
    const codeOf = async (msg: unknown): Promise<string> => {
      const r = await c.raw(msg);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await codeOf('{"id":1,"method":"machine.boot"')).toBe('bad-message');
    expect(await codeOf({ id: 2, method: 'machine.explode', params: {} })).toBe('unknown-method');
    expect(await codeOf({ id: 3, method: 'machine.step', params: { instructions: 0 } })).toBe('bad-params');
    expect(await codeOf({ id: 4, method: 'observe.subscribe', params: { streams: ['fb'], hz: 10 } })).toBe(
      'bad-params',
    );
    expect(await codeOf({ id: 5, method: 'observe.subscribe', params: { streams: [], hz: 31 } })).toBe(
      'bad-params',
    );
    expect(await codeOf({ id: 6, method: 'machine.configure', params: { clock: 'sundial' } })).toBe(
      'bad-params',
    );
    expect(await codeOf({ id: 7, method: 'console.input', params: { data: 42 } })).toBe('bad-params');
    // Valid requests the machine cannot serve in its state.
    expect(await codeOf({ id: 8, method: 'machine.kill', params: { pid: 5 } })).toBe('failed');
    expect(await codeOf({ id: 9, method: 'console.input', params: { data: 'x' } })).toBe('failed');
    expect(await codeOf({ id: 10, method: 'machine.step', params: {} })).toBe('failed');
    expect(await codeOf({ id: 11, method: 'machine.status', params: {} })).toBe('ok');
  });

  it('says build and boot are unavailable in a session without a builder', async () => {
    const s = new Session({ dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')), machineLink: inlineLink });
    sessions.push(s);
    const c = new DirectClient(s);
    await c.call('workspace.open', { path: asmWorkspace(ECHO_ASM) });
    await expect(c.call('build.run', {})).rejects.toThrow(/^unknown-method/);
    await expect(c.call('machine.boot', {})).rejects.toThrow(/^unknown-method/);
  });

  it('runs builds one at a time, in order', async () => {
    const { c } = await open(ECHO_ASM, inlineLink);
    const results = await Promise.all([c.call('build.run', {}), c.call('build.run', { clean: true })]);
    expect(results).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    const kinds = c.events.filter((e) => e.event.startsWith('build.')).map((e) => e.event);
    expect(kinds).toEqual([
      'build.progress',
      'build.progress',
      'build.finished',
      'build.progress',
      'build.progress',
      'build.finished',
    ]);
  });
});
