// The debugger through the session protocol, as the IDE drives it: boot a GCC-built (-g) program,
// a breakpoint on a source line stops the machine with a debug.stopped event, the stack, locals,
// registers, memory and disassembly are served, steps land on the expected lines, and resuming
// runs the program to its end.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import type { BuildProgress, BuildResult, Builder } from '../../core/host/session/builder';
import { Session } from '../../core/host/session/session';
import { inlineLink, type LinkFactory } from '../../core/host/worker/runner';
import type { RegisterSet, StackFrame, StopEvent, Variable } from '../../core/protocol/debug';
import type { SessionEvent } from '../../core/protocol/messages';
import { DirectClient } from '../host/session-support';
import { buildWithGcc } from '../support/gcc';
import { oracleIt, RV_GCC } from '../support/oracle';

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

/** Builds prog.c of the workspace with Debian's GCC (-O0 -g) as /sbin/init. */
class GccBuilder implements Builder {
  build(dir: string, onProgress: (p: BuildProgress) => void): Promise<BuildResult> {
    onProgress({ done: 0, total: 1, file: 'prog.c' });
    const elf = buildWithGcc([join(dir, 'prog.c')], { flags: ['-O0', '-g'] });
    onProgress({ done: 1, total: 1 });
    const data = new Uint8Array(readFileSync(elf));
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

describe.each([
  ['on this thread', inlineLink as LinkFactory | undefined],
  ['in a worker thread', undefined],
])('debugging through the session (%s)', (_name, link) => {
  oracleIt(
    'breakpoint on a line, stack, locals, registers, memory, disassembly, steps, continue',
    [RV_GCC],
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'futura-dbg-ws-'));
      writeFileSync(join(dir, 'prog.c'), PROGRAM);
      const s = new Session({
        dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')),
        builder: new GccBuilder(),
        ...(link ? { machineLink: link } : {}),
      });
      sessions.push(s);
      const c = new DirectClient(s);
      await c.call('workspace.open', { path: dir });
      await c.call('build.run', {});
      await expect(c.call('debug.registers', { pid: 1 })).rejects.toThrow(/machine is off/);
      // Breakpoints set before boot (from the editor's gutter) wait for their program and apply
      // before its first instruction.
      const bps = (await c.call('debug.setBreakpoints', {
        breakpoints: [{ file: 'prog.c', line: 3 }],
      })) as { verified: boolean }[];
      expect(bps[0]).toMatchObject({ verified: false });
      const from = c.events.length;
      await c.call('machine.boot', {});
      const hit = (await c.waitFor(stopped, 20_000, from)).stop;
      expect(hit).toMatchObject({ reason: 'breakpoint', pid: 1, function: 'square' });
      expect(hit.location?.line).toBe(3);
      expect((await c.call('machine.status', {})) as { state: string }).toMatchObject({ state: 'paused' });

      const frames = (await c.call('debug.stackTrace', { pid: 1 })) as StackFrame[];
      expect(frames.map((f) => [f.function, f.location?.line])).toEqual([
        ['square', 3],
        ['main', 9],
      ]);
      const locals = (await c.call('debug.locals', { pid: 1 })) as Variable[];
      expect(locals.find((v) => v.name === 'v')?.value).toBe('1');
      const mainLocals = (await c.call('debug.locals', { pid: 1, frame: 1 })) as Variable[];
      expect(mainLocals.map((v) => `${v.name}=${v.value}`)).toEqual(['total=0', 'i=1']);
      const regs = (await c.call('debug.registers', { pid: 1 })) as RegisterSet;
      expect(regs.pc).toBe(hit.pc);
      expect(regs.x[10]).toBe(1); // a0 = v
      const dis = (await c.call('debug.disassemble', { pid: 1, address: hit.pc, count: 3 })) as {
        address: number;
        location?: { line: number };
      }[];
      expect(dis[0]).toMatchObject({ address: hit.pc, location: { line: 3 } });
      const sp = regs.x[2]!;
      const mem = (await c.call('debug.memory', { pid: 1, address: sp, length: 16 })) as { hex: string };
      expect(mem.hex).toMatch(/^[0-9a-f]{32}$/);

      // Step over twice: line 4, then back in main at line 9 (the call's line, after the return).
      await c.call('debug.setBreakpoints', { breakpoints: [] });
      let at = c.events.length;
      await c.call('debug.step', { pid: 1, kind: 'over' });
      expect((await c.waitFor(stopped, 20_000, at)).stop).toMatchObject({
        reason: 'step',
        location: { line: 4 },
      });
      at = c.events.length;
      await c.call('debug.step', { pid: 1, kind: 'out' });
      const out = (await c.waitFor(stopped, 20_000, at)).stop;
      expect(out.function).toBe('main');
      expect(out.location?.line).toBe(9);

      // Continue to the end.
      at = c.events.length;
      await c.call('machine.resume', {});
      await c.waitFor((e) => e.event === 'machine.state' && e.state === 'halted', 20_000, at);
      const text = c.events
        .filter((e): e is { event: 'console.output'; data: string } => e.event === 'console.output')
        .map((e) => e.data)
        .join('');
      expect(text).toContain('total 14');
      await expect(c.call('debug.step', { pid: 1, kind: 'over' })).rejects.toThrow(/no live task with pid 1/);
    },
    60_000,
  );
});
