// The task the user selected in Processes, as the other live views see it: its threads (run and
// wait queues name threads), the address space the Memory Map follows, and CPU shares derived
// from the kernel's cumulative CPU times. Pure, so the views' focus rules are unit-tested.
import type { AddressSpace, LiveSnapshot, TaskInfo } from '../live/types';

const NONE: ReadonlySet<number> = new Set();

/** The thread ids of task `pid` (a task without a thread list is its own single thread). */
export function tidsOf(live: LiveSnapshot | null, pid: number | null): ReadonlySet<number> {
  if (!live || pid === null) return NONE;
  const t = live.tasks.find((x) => x.pid === pid);
  if (!t) return NONE;
  return new Set(t.tids ?? [t.pid]);
}

/** Which task owns thread `tid`. */
export function taskOfTid(tasks: readonly TaskInfo[], tid: number): TaskInfo | undefined {
  return tasks.find((t) => (t.tids ?? [t.pid]).includes(tid));
}

/** The address space the Memory Map shows: the selected task's, else the first one. */
export function focusedSpace(live: LiveSnapshot | null, selected: number | null): AddressSpace | null {
  const spaces = live?.spaces ?? [];
  return spaces.find((s) => s.pid === selected) ?? spaces[0] ?? null;
}

/**
 * Fills each task's CPU share (0..1) from its CPU time's growth since `prev`, over the virtual
 * time between the two snapshots. Tasks without a CPU time keep the share the source gave; a
 * snapshot at the same instant (the machine paused) keeps the previous shares.
 */
export function withCpuShares(prev: LiveSnapshot | null, next: LiveSnapshot): LiveSnapshot {
  if (!prev || !next.tasks.some((t) => t.cpuMs !== undefined)) return next;
  const dt = next.now - prev.now;
  const before = new Map(prev.tasks.map((t) => [t.pid, t]));
  const tasks = next.tasks.map((t) => {
    const was = before.get(t.pid);
    if (t.cpuMs === undefined || was?.cpuMs === undefined) return t;
    const cpu = dt > 0 ? (t.cpuMs - was.cpuMs) / dt : was.cpu;
    return { ...t, cpu: Math.min(1, Math.max(0, cpu)) };
  });
  return { ...next, tasks };
}

/**
 * An idle guest sends no snapshots (nothing in them changes), so the last shares would stay on
 * screen: a counters sample with no instruction retired since the previous one zeroes the shares
 * derived from CPU times.
 */
export function withIdleShares(
  live: LiveSnapshot | null,
  before: Readonly<Record<string, number>> | undefined,
  after: Readonly<Record<string, number>>,
): LiveSnapshot | null {
  if (!live || !before || before.instructions === undefined) return live;
  if (after.instructions !== before.instructions) return live;
  if (!live.tasks.some((t) => t.cpuMs !== undefined && t.cpu !== 0)) return live;
  return { ...live, tasks: live.tasks.map((t) => (t.cpuMs !== undefined ? { ...t, cpu: 0 } : t)) };
}
