// The session's WorkspaceBuilder: progress counts finished units, so the Build Output's last line
// reads [n/n] (it once added 1 to the build graph's already 1-based index and showed [n+1/n]).
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BuildProgress } from '../../core/host/session/builder';
import { WorkspaceBuilder } from '../../core/host/session/workspace-builder';

const MINI = fileURLToPath(new URL('../fixtures/build/mini', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Checks one build's progress: starts at 0/n, each step one more, ends at exactly n/n. */
function expectWholeProgress(events: BuildProgress[]): number {
  expect(events.length).toBeGreaterThan(1);
  const total = events[0]!.total;
  expect(events[0]).toEqual({ done: 0, total });
  expect(events.map((e) => e.total)).toEqual(events.map(() => total));
  expect(events.map((e) => e.done)).toEqual(events.map((_, i) => i));
  const last = events[events.length - 1]!;
  expect(`[${last.done}/${last.total}]`).toBe(`[${total}/${total}]`);
  return total;
}

describe('WorkspaceBuilder progress', () => {
  it('ends at [n/n] on a full build and on an incremental one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'futura-progress-'));
    dirs.push(dir);
    cpSync(MINI, dir, { recursive: true });
    const builder = new WorkspaceBuilder({ cacheDir: null });

    const full: BuildProgress[] = [];
    const r = await builder.build(dir, (p) => full.push(p));
    expect(r.ok).toBe(true);
    const total = expectWholeProgress(full);
    expect(full.filter((e) => e.file?.endsWith('.c')).length).toBeGreaterThan(1);

    // An edit recompiles one object; the graph still walks (and reports) every unit.
    const hello = join(dir, 'hello', 'hello.c');
    writeFileSync(hello, readFileSync(hello, 'utf8') + '\n/* edited */\n');
    const again: BuildProgress[] = [];
    expect((await builder.build(dir, (p) => again.push(p))).ok).toBe(true);
    expect(expectWholeProgress(again)).toBe(total);
  });
});
