// The renderer's pure helpers: explorer tree, markers, shortcuts, rates, memory strip, adapter.
import { describe, expect, it } from 'vitest';
import { markersByFile, MarkerSeverity, sortProblems, toMarker } from '../../renderer/src/editor/markers';
import { toLiveSnapshot } from '../../renderer/src/live/adapter';
import { formatBytes, hex32, layoutStrip } from '../../renderer/src/live/memory-layout';
import { addSample, emptyHistory, latestMips, MAX_POINTS } from '../../renderer/src/live/rates';
import { buildTree, checkName, folderOf, joinPath } from '../../renderer/src/state/tree';
import { commandForKey } from '../../renderer/src/workbench/keys';
import { panelForCommand, PANELS } from '../../renderer/src/workbench/panel-registry';

const key = (
  k: string,
  mods: Partial<{ ctrl: boolean; shift: boolean; meta: boolean; alt: boolean }> = {},
) => ({
  key: k,
  ctrlKey: !!mods.ctrl,
  shiftKey: !!mods.shift,
  metaKey: !!mods.meta,
  altKey: !!mods.alt,
});

describe('explorer tree', () => {
  it('nests, sorts folders first and implies missing parents', () => {
    const t = buildTree([
      { path: 'z.c', kind: 'file', size: 1, mtimeMs: 0 },
      { path: 'hello/hello.c', kind: 'file', size: 1, mtimeMs: 0 },
      { path: 'lib/inc/sys.h', kind: 'file', size: 1, mtimeMs: 0 },
      { path: 'hello', kind: 'dir', size: 0, mtimeMs: 0 },
      { path: 'a.c', kind: 'file', size: 1, mtimeMs: 0 },
    ]);
    expect(t.map((n) => n.name)).toEqual(['hello', 'lib', 'a.c', 'z.c']);
    expect(t[1]!.children[0]!.path).toBe('lib/inc');
    expect(t[1]!.children[0]!.children[0]!.path).toBe('lib/inc/sys.h');
    expect(t[0]!.children.map((c) => c.path)).toEqual(['hello/hello.c']);
  });
  it('places new entries next to the selection and validates names', () => {
    expect(folderOf(null, null)).toBe('');
    expect(folderOf('hello/hello.c', 'file')).toBe('hello');
    expect(folderOf('hello', 'dir')).toBe('hello');
    expect(joinPath('hello', ' x.c ')).toBe('hello/x.c');
    expect(joinPath('', 'x.c')).toBe('x.c');
    expect(checkName('ok.c')).toBeNull();
    expect(checkName('')).not.toBeNull();
    expect(checkName('..')).not.toBeNull();
    expect(checkName('a/b')).not.toBeNull();
  });
});

describe('diagnostics as markers', () => {
  it('maps severities and positions, grouped by file', () => {
    const m = toMarker({ file: 'a.c', line: 3, col: 7, severity: 'error', message: 'x' });
    expect(m).toMatchObject({
      severity: MarkerSeverity.Error,
      startLineNumber: 3,
      startColumn: 7,
      endColumn: 8,
    });
    expect(toMarker({ file: 'a.c', line: 0, col: 0, severity: 'note', message: '' })).toMatchObject({
      severity: MarkerSeverity.Info,
      startLineNumber: 1,
      startColumn: 1,
    });
    const by = markersByFile([
      { file: 'a.c', line: 1, col: 1, severity: 'warning', message: 'w' },
      { file: 'b.c', line: 1, col: 1, severity: 'error', message: 'e' },
      { file: 'a.c', line: 2, col: 1, severity: 'error', message: 'e2' },
    ]);
    expect(by.get('a.c')?.map((x) => x.message)).toEqual(['w', 'e2']);
    expect(by.get('b.c')).toHaveLength(1);
  });
  it('sorts problems errors first, then by place', () => {
    const s = sortProblems([
      { file: 'b.c', line: 1, col: 1, severity: 'warning', message: '1' },
      { file: 'b.c', line: 2, col: 1, severity: 'error', message: '2' },
      { file: 'a.c', line: 9, col: 1, severity: 'error', message: '3' },
    ]);
    expect(s.map((d) => d.message)).toEqual(['3', '2', '1']);
  });
});

describe('shortcuts', () => {
  it('maps the documented keys', () => {
    expect(commandForKey(key('B', { ctrl: true, shift: true }))).toBe('build.build');
    expect(commandForKey(key('s', { ctrl: true }))).toBe('file.save');
    expect(commandForKey(key('s', { meta: true }))).toBe('file.save');
    expect(commandForKey(key('S', { ctrl: true, shift: true }))).toBe('file.saveAll');
    expect(commandForKey(key('F5'))).toBe('run.boot');
    expect(commandForKey(key('F6'))).toBe('run.pauseResume');
    expect(commandForKey(key('F10'))).toBe('run.step');
  });
  it('leaves ordinary typing and ^C alone', () => {
    expect(commandForKey(key('s'))).toBeNull();
    expect(commandForKey(key('c', { ctrl: true }))).toBeNull();
    expect(commandForKey(key('F5', { ctrl: true }))).toBeNull();
    expect(commandForKey(key('s', { ctrl: true, alt: true }))).toBeNull();
  });
  it('has a panel for every View command', () => {
    expect(panelForCommand('view.memory')).toBe('memory');
    expect(panelForCommand('build.build')).toBeNull();
    for (const p of PANELS)
      if (p.near) expect(PANELS.findIndex((q) => q.id === p.near)).toBeLessThan(PANELS.indexOf(p));
  });
});

describe('rates', () => {
  it('computes per-second rates from cumulative counters', () => {
    let h = addSample(emptyHistory(), 0, { instructions: 0, syscalls: 0, messages: 0 });
    expect(latestMips(h)).toBeNull();
    h = addSample(h, 500, { instructions: 10e6, syscalls: 50, messages: 5 });
    expect(h.values.instructions).toEqual([20]);
    expect(h.values.syscalls).toEqual([100]);
    expect(h.values.messages).toEqual([10]);
    expect(latestMips(h)).toBe(20);
  });
  it('restarts after a reset and keeps a bounded window', () => {
    let h = addSample(emptyHistory(), 0, { instructions: 0 });
    for (let i = 1; i <= MAX_POINTS + 20; i++) h = addSample(h, i * 100, { instructions: i * 1000 });
    expect(h.t).toHaveLength(MAX_POINTS);
    h = addSample(h, 1e6, { instructions: 5 });
    expect(h.t).toHaveLength(0);
  });
});

describe('memory strip', () => {
  it('orders VMAs, shows gaps, keeps tiny ones visible and fills the strip', () => {
    const segs = layoutStrip([
      { start: 0x40000000, end: 0x80000000, prot: 'rw-', kind: 'mmap', resident: 0 },
      { start: 0x10000, end: 0x11000, prot: 'r-x', kind: 'text', resident: 4096 },
      { start: 0x11000, end: 0x12000, prot: 'rw-', kind: 'data', resident: 4096 },
    ]);
    expect(segs.map((s) => s.kind)).toEqual(['vma', 'vma', 'gap', 'vma']);
    expect(segs[0]!.vma?.kind).toBe('text');
    const total = segs.reduce((a, s) => a + s.w, 0);
    expect(total).toBeCloseTo(1, 6);
    for (const s of segs) if (s.kind === 'vma') expect(s.w).toBeGreaterThan(0.005);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.x).toBeCloseTo(segs[i - 1]!.x + segs[i - 1]!.w, 9);
    expect(layoutStrip([])).toEqual([]);
  });
  it('formats addresses and sizes', () => {
    expect(hex32(0x10000)).toBe('0x00010000');
    expect(hex32(-1)).toBe('0xffffffff');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(4096)).toBe('4 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});

describe('snapshot adapter', () => {
  it('accepts a plausible snapshot and tolerates junk', () => {
    const s = toLiveSnapshot({
      now: 12,
      tasks: [{ pid: 2, name: 'sh', state: 'blocked', priority: 5, cpu: 0.1, parent: 1 }, 'junk'],
      spaces: [{ pid: 2, vmas: [{ start: 1, end: 2, prot: 'r--', kind: 'text', resident: 1 }] }],
      waitQueues: [{ id: 'tty', owner: 'console', waiters: [{ tid: 2, reason: 'read', since: 3 }] }],
      channels: [
        { id: 7, endpoints: [1, 2], rights: 'rw', queued: 1, counters: { sent: 3, received: 2, dropped: 0 } },
      ],
      scheduler: { current: 1, levels: [{ priority: 5, tids: [2, 'x'] }], switches: 9 },
      timers: [{ id: 1, deadline: 20, owner: 'sh', kind: 'sleep' }],
    });
    expect(s?.tasks).toEqual([{ pid: 2, name: 'sh', state: 'blocked', priority: 5, cpu: 0.1, parent: 1 }]);
    expect(s?.spaces[0]?.vmas[0]?.kind).toBe('text');
    expect(s?.waitQueues[0]?.waiters[0]).toEqual({ tid: 2, reason: 'read', since: 3 });
    expect(s?.channels[0]).toMatchObject({ endpoints: ['1', '2'], sent: 3, received: 2 });
    expect(s?.scheduler?.levels[0]?.tids).toEqual([2]);
    expect(s?.timers[0]?.deadline).toBe(20);
    // The kernel's shape: a sleeper keeps its thread id (the Timers view names and focuses by it).
    const k = toLiveSnapshot({
      timers: [
        { at: 30, tid: 4 },
        { at: 40, timer: 2 },
      ],
    });
    expect(k?.timers).toEqual([
      { id: 4, deadline: 30, owner: 'tid 4', kind: 'sleep', tid: 4 },
      { id: 2, deadline: 40, owner: 'kernel', kind: 'timer' },
    ]);
    expect(toLiveSnapshot(null)).toBeNull();
    expect(toLiveSnapshot({})).toMatchObject({ tasks: [], scheduler: null });
  });
});
