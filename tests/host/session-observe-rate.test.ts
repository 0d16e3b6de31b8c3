// Observation rates: the streams follow the rate the client chose, never exceed 30 Hz whatever
// asks for a sample (a burst of steps included), and the host thread stays responsive while the
// guest spins in its worker thread.
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../core/host/session/session';
import { inlineLink, type LinkFactory } from '../../core/host/worker/runner';
import type { MachineStatus, SessionEvent } from '../../core/protocol/messages';
import type { Json } from '../../core/protocol/snapshot-diff';
import { SnapshotReceiver } from '../../core/protocol/snapshot-stream';
import { DirectClient, FB_SPIN_ASM, SPIN_ASM, openAsmSession } from './session-support';

/** Two tasks (a fork) each sending a message on a shared channel, receiving one, and yielding. */
const PINGPONG_ASM = `
  .text
  .globl _start
_start:
  li a0, 1
  li a1, 0
  li a7, 600
  ecall
  mv s2, a0
  li a0, 17
  li a1, 0
  li a7, 220
  ecall
1:
  mv a0, s2
  li a1, 1
  la a2, msg
  li a3, 8
  li a7, 601
  ecall
  mv a0, s2
  la a1, buf
  li a2, 64
  li a7, 602
  ecall
  li a7, 124
  ecall
  j 1b
  .data
msg: .ascii "pingpong"
  .bss
buf: .space 64
`;

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

async function booted(source: string, link?: LinkFactory): Promise<{ c: DirectClient; s: Session }> {
  const { s, c } = await openAsmSession(source, sessions, link);
  expect(await c.call('build.run', {})).toMatchObject({ ok: true });
  await c.call('machine.boot', {});
  return { c, s };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const count = (events: SessionEvent[], kind: string): number => events.filter((e) => e.event === kind).length;

/** Events of a kind per second over `ms` of host time. */
async function ratePerSecond(c: DirectClient, kind: string, ms: number): Promise<number> {
  const mark = c.events.length;
  const t0 = performance.now();
  await sleep(ms);
  return (count(c.events.slice(mark), kind) * 1000) / (performance.now() - t0);
}

describe('Session observation rates', () => {
  it('sends counters and frames at the rate the client chose, at most 30 per second', async () => {
    const { c } = await booted(FB_SPIN_ASM, inlineLink);
    await c.call('observe.subscribe', { streams: ['counters', 'framebuffer'], hz: 4 });
    await sleep(100);
    const slow = await ratePerSecond(c, 'counters', 1500);
    expect(slow).toBeGreaterThan(1.5);
    expect(slow).toBeLessThanOrEqual(4.7);
    await c.call('observe.subscribe', { streams: ['counters', 'framebuffer'], hz: 30 });
    await sleep(100);
    const mark = c.events.length;
    const fast = await ratePerSecond(c, 'counters', 1500);
    const frames = (count(c.events.slice(mark), 'framebuffer') * 1000) / 1500;
    expect(fast).toBeGreaterThan(slow * 2);
    expect(fast).toBeLessThanOrEqual(31.5);
    // The guest draws all the time: a frame goes out with (almost) every sample, never more.
    expect(frames).toBeGreaterThan(slow);
    expect(frames).toBeLessThanOrEqual(31.5);
  });

  it('charts MIPS, system calls, messages and context switches per second', async () => {
    const { c } = await booted(PINGPONG_ASM, inlineLink);
    await c.call('observe.subscribe', { streams: ['counters'], hz: 10 });
    await sleep(600);
    const samples = c.events.filter((e) => e.event === 'counters');
    expect(samples.length).toBeGreaterThan(3);
    const last = samples[samples.length - 1]!;
    const { instructions, syscalls, messages, switches } = last.values;
    // Three calls a round (send, receive, yield), one of them a message, and a switch at each yield.
    expect(messages).toBeGreaterThan(100);
    expect(syscalls).toBeGreaterThanOrEqual(messages * 3);
    expect(syscalls).toBeLessThanOrEqual(messages * 3 + 10);
    expect(switches).toBeGreaterThan(messages / 2);
    expect(instructions).toBeGreaterThan(syscalls);
    const r = last.rates!;
    expect(r.mips).toBeGreaterThan(0);
    expect(r.messagesPerSec).toBeGreaterThan(0);
    expect(r.syscallsPerSec).toBeGreaterThanOrEqual(r.messagesPerSec! * 2.5);
    expect(r.switchesPerSec).toBeGreaterThan(0);
    // Totals only grow.
    for (let i = 1; i < samples.length; i++) {
      const a = samples[i - 1]!.values;
      const b = samples[i]!.values;
      for (const k of ['instructions', 'syscalls', 'messages', 'switches'])
        expect(b[k]).toBeGreaterThanOrEqual(a[k]!);
    }
  });

  it('keeps a burst of steps under 30 samples per second, and still shows where it stopped', async () => {
    const { c } = await booted(FB_SPIN_ASM, inlineLink);
    await c.call('observe.subscribe', { streams: ['snapshot', 'framebuffer'], hz: 1 });
    await c.call('machine.pause', {});
    await sleep(1100); // past the boot's samples and one tick of the 1 Hz timer
    const mark = c.events.length;
    const t0 = performance.now();
    let last: MachineStatus | null = null;
    for (let i = 0; i < 60; i++) {
      last = ((await c.call('machine.step', { instructions: 500 })) as { status: MachineStatus }).status;
    }
    const elapsed = performance.now() - t0;
    await sleep(100); // the sample deferred past the burst arrives
    const burst = c.events.slice(mark);
    const allowed = Math.floor(elapsed / (1000 / 30)) + 2;
    expect(count(burst, 'framebuffer')).toBeGreaterThan(0);
    expect(count(burst, 'framebuffer')).toBeLessThanOrEqual(allowed);
    expect(count(burst, 'snapshot')).toBeLessThanOrEqual(allowed);
    // The last sample (deferred past the burst) shows the machine as the last step left it.
    const rx = new SnapshotReceiver();
    let shown: Json | null = null;
    for (const e of c.events) if (e.event === 'snapshot') shown = rx.accept(e) ?? shown;
    expect(last?.state).toBe('paused');
    expect((shown as { instret: number } | null)?.instret).toBe(last?.instret);
  });

  it('stays responsive while the guest spins in its worker thread', async () => {
    const { c, s } = await booted(SPIN_ASM);
    expect(s.machine.runnerKind).toBe('worker');
    // This thread's timers fire on time while the guest never idles.
    const lags: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await sleep(5);
      lags.push(performance.now() - t0 - 5);
    }
    lags.sort((a, b) => a - b);
    expect(lags[lags.length >> 1]).toBeLessThan(25);
    const a = (await c.call('machine.status', {})) as MachineStatus;
    await sleep(100);
    const b = (await c.call('machine.status', {})) as MachineStatus;
    expect(b.state).toBe('running');
    expect(b.instret).toBeGreaterThan(a.instret);
  });
});
