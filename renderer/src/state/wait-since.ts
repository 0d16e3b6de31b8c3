// "Waiting since" for queues whose source does not date its waiters (the kernel's snapshot lists
// tids only): a wait is dated by the first snapshot it appeared in, so it is right to within one
// snapshot interval, and it restarts when the thread leaves the queue and comes back.
import type { LiveSnapshot } from '../live/types';

export function withWaitSince(prev: LiveSnapshot | null, next: LiveSnapshot): LiveSnapshot {
  if (!next.waitQueues.some((q) => q.waiters.some((w) => w.since < 0))) return next;
  const seen = new Map<string, number>();
  for (const q of prev?.waitQueues ?? []) for (const w of q.waiters) seen.set(`${q.id}\n${w.tid}`, w.since);
  // A machine that went back in time was reset: nothing it waited on before still waits.
  const continues = prev !== null && next.now >= prev.now;
  return {
    ...next,
    waitQueues: next.waitQueues.map((q) => ({
      ...q,
      waiters: q.waiters.map((w) => {
        if (w.since >= 0) return w;
        const was = continues ? seen.get(`${q.id}\n${w.tid}`) : undefined;
        return { ...w, since: was !== undefined && was >= 0 ? was : next.now };
      }),
    })),
  };
}
