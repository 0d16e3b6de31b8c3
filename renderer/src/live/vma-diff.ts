// What changed in one task's memory map between two snapshots, and how long to show it. The
// Memory Map view highlights a VMA that appeared or grew (the heap after brk, a new mmap), keeps
// a removed one on screen struck through for a moment (munmap, an exec's old image), and marks
// resident counts that moved. Pure: time is a parameter, so the marks are unit-tested.
import type { VmaInfo } from './types';

export type VmaChange = 'new' | 'grown' | 'shrunk' | 'moved' | 'removed';

/** How long a change stays marked (the CSS fade runs over the same time). */
export const HIGHLIGHT_MS = 1500;

export interface VmaMatch {
  before: VmaInfo;
  after: VmaInfo;
  /** null when the range is the same. */
  change: 'grown' | 'shrunk' | 'moved' | null;
  /** Resident bytes after minus before. */
  resident: number;
}

export interface VmaDiff {
  added: VmaInfo[];
  removed: VmaInfo[];
  matched: VmaMatch[];
}

const size = (v: VmaInfo): number => v.end - v.start;
const sameVma = (a: VmaInfo, b: VmaInfo): boolean =>
  a.start === b.start &&
  a.end === b.end &&
  a.prot === b.prot &&
  a.kind === b.kind &&
  a.resident === b.resident &&
  a.name === b.name;

function classify(before: VmaInfo, after: VmaInfo): VmaMatch['change'] {
  if (before.start === after.start && before.end === after.end) return null;
  const d = size(after) - size(before);
  return d > 0 ? 'grown' : d < 0 ? 'shrunk' : 'moved';
}

/**
 * Pairs each VMA of `next` with the one it continues in `prev`. A VMA keeps its kind; the heap
 * grows at its end (same start), a stack grows down (same end), and anything else that still
 * overlaps its old range is taken as the same mapping resized. Each old VMA pairs at most once.
 */
export function diffVmas(prev: readonly VmaInfo[], next: readonly VmaInfo[]): VmaDiff {
  const pairOf = new Array<number>(next.length).fill(-1);
  const used = new Set<number>();
  const rules: ((a: VmaInfo, b: VmaInfo) => boolean)[] = [
    (a, b) => a.start === b.start,
    (a, b) => a.end === b.end,
    (a, b) => a.start < b.end && b.start < a.end,
  ];
  for (const same of rules) {
    next.forEach((n, i) => {
      if (pairOf[i] !== -1) return;
      const j = prev.findIndex((p, k) => !used.has(k) && p.kind === n.kind && same(p, n));
      if (j === -1) return;
      pairOf[i] = j;
      used.add(j);
    });
  }
  const out: VmaDiff = { added: [], removed: [], matched: [] };
  next.forEach((after, i) => {
    const before = prev[pairOf[i] ?? -1];
    if (!before) out.added.push(after);
    else
      out.matched.push({
        before,
        after,
        change: classify(before, after),
        resident: after.resident - before.resident,
      });
  });
  prev.forEach((v, k) => {
    if (!used.has(k)) out.removed.push(v);
  });
  return out;
}

export interface TrackedVma {
  /** Stable across snapshots while the VMA lives (its start may move): the row's key. */
  id: number;
  vma: VmaInfo;
  mark: { change: VmaChange; at: number } | null;
  residentMark: { delta: number; at: number } | null;
}

export interface VmaTrack {
  pid: number;
  nextId: number;
  vmas: TrackedVma[];
  /** Removed VMAs, shown until `at + hold`. */
  ghosts: { id: number; vma: VmaInfo; at: number }[];
}

const fresh = <T extends { at: number }>(m: T | null, now: number, hold: number): T | null =>
  m && now - m.at < hold ? m : null;

/**
 * The next track after a snapshot of task `pid` taken at host time `now` (ms). Switching to
 * another task starts afresh, with nothing marked: only changes within one task are news.
 * Returns `track` itself when nothing changed and no mark expired, so React can skip the render.
 */
export function trackVmas(
  track: VmaTrack | null,
  pid: number,
  vmas: readonly VmaInfo[],
  now: number,
  hold = HIGHLIGHT_MS,
): VmaTrack {
  if (!track || track.pid !== pid) {
    return {
      pid,
      nextId: vmas.length + 1,
      vmas: vmas.map((vma, i) => ({ id: i + 1, vma, mark: null, residentMark: null })),
      ghosts: [],
    };
  }
  const idOf = new Map(track.vmas.map((t) => [t.vma, t]));
  const d = diffVmas(
    track.vmas.map((t) => t.vma),
    vmas,
  );
  let nextId = track.nextId;
  let changed = d.added.length > 0 || d.removed.length > 0;
  const byAfter = new Map(d.matched.map((m) => [m.after, m]));
  const tracked: TrackedVma[] = vmas.map((vma) => {
    const m = byAfter.get(vma);
    const old = m ? idOf.get(m.before) : undefined;
    if (!m || !old) return { id: nextId++, vma, mark: { change: 'new', at: now }, residentMark: null };
    const mark = m.change ? { change: m.change, at: now } : fresh(old.mark, now, hold);
    const residentMark = m.resident ? { delta: m.resident, at: now } : fresh(old.residentMark, now, hold);
    // An unchanged VMA keeps its old object, so an unchanged map keeps its old track.
    const same = sameVma(old.vma, vma);
    if (!same || mark !== old.mark || residentMark !== old.residentMark) changed = true;
    return { id: old.id, vma: same ? old.vma : vma, mark, residentMark };
  });
  const ghosts = track.ghosts.filter((g) => now - g.at < hold);
  if (ghosts.length !== track.ghosts.length) changed = true;
  for (const v of d.removed) {
    const old = idOf.get(v);
    ghosts.push({ id: old?.id ?? nextId++, vma: v, at: now });
  }
  return changed ? { pid, nextId, vmas: tracked, ghosts } : track;
}

export interface VmaRow {
  id: number;
  vma: VmaInfo;
  change: VmaChange | null;
  /** Resident bytes gained (> 0) or lost (< 0) recently; 0 when unchanged. */
  resident: number;
}

/** The rows to show at host time `now`: live VMAs and recent ghosts, by address. */
export function vmaRows(track: VmaTrack | null, now: number, hold = HIGHLIGHT_MS): VmaRow[] {
  if (!track) return [];
  const rows: VmaRow[] = track.vmas.map((t) => ({
    id: t.id,
    vma: t.vma,
    change: fresh(t.mark, now, hold)?.change ?? null,
    resident: fresh(t.residentMark, now, hold)?.delta ?? 0,
  }));
  for (const g of track.ghosts) {
    if (now - g.at < hold) rows.push({ id: g.id, vma: g.vma, change: 'removed', resident: 0 });
  }
  // Stable: a ghost sorts after the live VMA that replaced it at the same address.
  return rows.sort((a, b) => a.vma.start - b.vma.start);
}

/** When the next mark or ghost still shown at `now` expires (host ms), or null if none is. */
export function nextExpiry(track: VmaTrack | null, now: number, hold = HIGHLIGHT_MS): number | null {
  if (!track) return null;
  const ends = [
    ...track.vmas.flatMap((t) => [t.mark?.at, t.residentMark?.at]),
    ...track.ghosts.map((g) => g.at),
  ]
    .filter((t): t is number => t !== undefined)
    .map((t) => t + hold)
    .filter((end) => end > now);
  return ends.length ? Math.min(...ends) : null;
}
