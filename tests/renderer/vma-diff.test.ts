// The Memory Map's change tracking: which VMA continues which between snapshots, what is marked,
// and for how long.
import { describe, expect, it } from 'vitest';
import type { VmaInfo } from '../../renderer/src/live/types';
import {
  diffVmas,
  HIGHLIGHT_MS,
  nextExpiry,
  trackVmas,
  vmaRows,
  type VmaTrack,
} from '../../renderer/src/live/vma-diff';

const vma = (start: number, end: number, kind: string, resident = 0, prot = 'rw-'): VmaInfo => ({
  start,
  end,
  prot,
  kind,
  resident,
});

const TEXT = vma(0x10000, 0x14000, 'text', 16384, 'r-x');
const HEAP = vma(0x15000, 0x20000, 'heap', 8192);
const MMAP = vma(0x40000000, 0x40100000, 'mmap', 4096);
const GUARD = vma(0x7fefe000, 0x7feff000, 'guard', 0, '---');
const STACK = vma(0x7feff000, 0x80000000, 'stack', 8192);
const BASE = [TEXT, HEAP, MMAP, GUARD, STACK];

/** The rows' changes by kind, as the view would show them at `now`. */
const changes = (t: VmaTrack, now: number): Record<string, string | null> =>
  Object.fromEntries(vmaRows(t, now).map((r) => [`${r.vma.kind}@${r.vma.start.toString(16)}`, r.change]));

describe('diffVmas', () => {
  it('pairs a heap grown at its end and a stack grown down, and finds removed and added VMAs', () => {
    const grownHeap = { ...HEAP, end: 0x30000 };
    const grownStack = { ...STACK, start: 0x7fefe000 };
    const lib = vma(0x50000000, 0x50010000, 'mmap');
    const d = diffVmas(BASE, [TEXT, grownHeap, lib, grownStack]);
    expect(d.added).toEqual([lib]);
    expect(d.removed).toEqual([MMAP, GUARD]);
    const byKind = Object.fromEntries(d.matched.map((m) => [m.after.kind, m]));
    expect(byKind.heap).toMatchObject({ before: HEAP, after: grownHeap, change: 'grown' });
    expect(byKind.stack).toMatchObject({ before: STACK, change: 'grown' });
    expect(byKind.text).toMatchObject({ change: null, resident: 0 });
  });

  it('tells shrunk and moved ranges apart and reports resident deltas', () => {
    const shrunk = { ...HEAP, end: 0x18000 };
    const faulted = { ...STACK, resident: STACK.resident + 4096 };
    const d = diffVmas([HEAP, STACK], [shrunk, faulted]);
    expect(d.matched.map((m) => [m.change, m.resident])).toEqual([
      ['shrunk', 0],
      [null, 4096],
    ]);
    // Same size, overlapping, same kind: the mapping moved.
    const m = diffVmas([vma(0x1000, 0x3000, 'mmap')], [vma(0x2000, 0x4000, 'mmap')]);
    expect(m.matched[0]?.change).toBe('moved');
  });

  it('does not pair VMAs of different kinds, nor one old VMA twice', () => {
    const d = diffVmas([HEAP], [vma(HEAP.start, HEAP.end, 'mmap')]);
    expect(d.added).toHaveLength(1);
    expect(d.removed).toEqual([HEAP]);
    // Two new heaps overlapping one old: only the one starting where it did continues it.
    const a = vma(HEAP.start, HEAP.start + 0x1000, 'heap');
    const b = vma(HEAP.start + 0x1000, HEAP.end, 'heap');
    const split = diffVmas([HEAP], [b, a]);
    expect(split.matched.map((x) => x.after)).toEqual([a]);
    expect(split.added).toEqual([b]);
  });
});

describe('trackVmas', () => {
  it('marks nothing for the first snapshot of a task, nor after switching tasks', () => {
    const t0 = trackVmas(null, 3, BASE, 1000);
    expect(vmaRows(t0, 1000).every((r) => r.change === null && r.resident === 0)).toBe(true);
    const other = trackVmas(t0, 4, [TEXT], 1100);
    expect(other.pid).toBe(4);
    expect(vmaRows(other, 1100).map((r) => r.change)).toEqual([null]);
  });

  it('highlights a grown heap, a new mapping and a removed one, until the marks expire', () => {
    const t0 = trackVmas(null, 3, BASE, 1000);
    const grown = { ...HEAP, end: 0x30000, resident: HEAP.resident + 8192 };
    const fresh = vma(0x50000000, 0x50001000, 'mmap');
    const t1 = trackVmas(t0, 3, [TEXT, grown, fresh, GUARD, STACK], 2000);
    expect(changes(t1, 2000)).toEqual({
      'text@10000': null,
      'heap@15000': 'grown',
      'mmap@40000000': 'removed',
      'mmap@50000000': 'new',
      'guard@7fefe000': null,
      'stack@7feff000': null,
    });
    const heapRow = vmaRows(t1, 2000).find((r) => r.vma.kind === 'heap');
    expect(heapRow?.resident).toBe(8192);
    // The heap row keeps its identity (the table's key) across the change.
    const id = (t: VmaTrack, kind: string) => t.vmas.find((v) => v.vma.kind === kind)?.id;
    expect(id(t1, 'heap')).toBe(id(t0, 'heap'));
    expect(id(t1, 'mmap')).not.toBe(id(t0, 'mmap'));

    // Still marked just before the hold ends, gone after; the ghost disappears too.
    expect(changes(t1, 2000 + HIGHLIGHT_MS - 1)['heap@15000']).toBe('grown');
    expect(nextExpiry(t1, 2000)).toBe(2000 + HIGHLIGHT_MS);
    const later = 2000 + HIGHLIGHT_MS;
    expect(Object.values(changes(t1, later))).toEqual([null, null, null, null, null]);
    expect(nextExpiry(t1, later)).toBeNull();
  });

  it('keeps a mark across snapshots that change nothing, and renews it on the next growth', () => {
    const t0 = trackVmas(null, 3, [HEAP], 0);
    const g1 = { ...HEAP, end: HEAP.end + 0x1000 };
    const t1 = trackVmas(t0, 3, [g1], 100);
    const t2 = trackVmas(t1, 3, [{ ...g1 }], 200);
    expect(vmaRows(t2, 1500).map((r) => r.change)).toEqual(['grown']);
    expect(vmaRows(t2, 1600).map((r) => r.change)).toEqual([null]);
    const g2 = { ...g1, end: g1.end + 0x1000 };
    const t3 = trackVmas(t2, 3, [g2], 1550);
    expect(vmaRows(t3, 3000).map((r) => r.change)).toEqual(['grown']);
  });

  it('returns the same track when nothing changed and nothing expired', () => {
    const t0 = trackVmas(null, 3, BASE, 0);
    const copy = BASE.map((v) => ({ ...v }));
    expect(trackVmas(t0, 3, copy, 50)).toBe(t0);
    const t1 = trackVmas(t0, 3, [TEXT, { ...HEAP, end: 0x21000 }, MMAP, GUARD, STACK], 100);
    expect(t1).not.toBe(t0);
    // While a mark is fresh an unchanged snapshot changes nothing; once it expires, it does.
    expect(trackVmas(t1, 3, [...t1.vmas.map((v) => ({ ...v.vma }))], 200)).toBe(t1);
    const t2 = trackVmas(t1, 3, [...t1.vmas.map((v) => ({ ...v.vma }))], 100 + HIGHLIGHT_MS);
    expect(t2).not.toBe(t1);
    expect(t2.vmas.every((v) => v.mark === null)).toBe(true);
  });

  it('sorts ghosts among the live rows by address', () => {
    const t0 = trackVmas(null, 1, [TEXT, MMAP, STACK], 0);
    const t1 = trackVmas(t0, 1, [TEXT, STACK], 10);
    expect(vmaRows(t1, 10).map((r) => [r.vma.kind, r.change])).toEqual([
      ['text', null],
      ['mmap', 'removed'],
      ['stack', null],
    ]);
    expect(vmaRows(null, 0)).toEqual([]);
  });
});
