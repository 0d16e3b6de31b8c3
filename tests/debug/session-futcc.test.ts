// The IDE's debugging flow on a program futcc builds (-O1 -g, as the sample userland is): through
// the session protocol a line breakpoint stops the machine, and debug.locals serves the
// parameters and locals of the stopped frame and of its caller — register-resident at -O1.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildProgress, BuildResult, Builder } from '../../core/host/session/builder';
import { Session } from '../../core/host/session/session';
import { inlineLink } from '../../core/host/worker/runner';
import type { StackFrame, StopEvent, Variable } from '../../core/protocol/debug';
import type { SessionEvent } from '../../core/protocol/messages';
import { DirectClient } from '../host/session-support';
import { buildWithFutcc } from './futcc-support';

const PROGRAM = `#include "rt.h"
int square(int v) {
  int r = v * v;
  return r;
}
int main(void) {
  int total = 0;
  for (int i = 1; i <= 3; i++) {
    total += square(i);
  }
  printf("total %d\\n", total);
  return 0;
}
`;

/** Builds prog.c of the workspace with futcc -O1 -g as /sbin/init. */
class FutccBuilder implements Builder {
  build(dir: string, onProgress: (p: BuildProgress) => void): Promise<BuildResult> {
    onProgress({ done: 0, total: 1, file: 'prog.c' });
    const data = buildWithFutcc('prog.c', readFileSync(join(dir, 'prog.c'), 'utf8'), 1);
    onProgress({ done: 1, total: 1 });
    return Promise.resolve({
      ok: true,
      diagnostics: [],
      image: { dirs: ['/sbin'], files: [{ path: '/sbin/init', data, mode: 0o755 }] },
    });
  }
}

const sessions: Session[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

const stopped = (e: SessionEvent): e is { event: 'debug.stopped'; stop: StopEvent } =>
  e.event === 'debug.stopped';

describe('debugging a futcc -O1 -g program through the session', () => {
  it('stops at a line breakpoint and serves the locals of both frames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-dbg-futcc-'));
    writeFileSync(join(dir, 'prog.c'), PROGRAM);
    const s = new Session({
      dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')),
      builder: new FutccBuilder(),
      machineLink: inlineLink,
    });
    sessions.push(s);
    const c = new DirectClient(s);
    await c.call('workspace.open', { path: dir });
    await c.call('build.run', {});
    await c.call('debug.setBreakpoints', { breakpoints: [{ file: 'prog.c', line: 4, condition: 'v == 2' }] });
    const from = c.events.length;
    await c.call('machine.boot', {});
    const hit = (await c.waitFor(stopped, 20_000, from)).stop;
    expect(hit).toMatchObject({ reason: 'breakpoint', pid: 1, function: 'square', location: { line: 4 } });

    const frames = (await c.call('debug.stackTrace', { pid: 1 })) as StackFrame[];
    expect(frames.slice(0, 2).map((f) => [f.function, f.location?.line])).toEqual([
      ['square', 4],
      ['main', 9],
    ]);
    const locals = (await c.call('debug.locals', { pid: 1 })) as Variable[];
    expect(locals.map((v) => `${v.type} ${v.name}=${v.value}`)).toEqual(['int v=2', 'int r=4']);
    const mainLocals = (await c.call('debug.locals', { pid: 1, frame: 1 })) as Variable[];
    expect(mainLocals.map((v) => `${v.name}=${v.value}`)).toEqual(['total=1', 'i=2']);

    // Cleared while stopped on it: the breakpoint's ebreak goes away and the program runs on.
    await c.call('debug.setBreakpoints', { breakpoints: [] });
    const at = c.events.length;
    await c.call('machine.resume', {});
    await c.waitFor((e) => e.event === 'machine.state' && e.state === 'halted', 20_000, at);
    const text = c.events
      .filter((e): e is { event: 'console.output'; data: string } => e.event === 'console.output')
      .map((e) => e.data)
      .join('');
    expect(text).toContain('total 14');
  }, 60_000);
});
