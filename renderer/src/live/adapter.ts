// Turns a snapshot event's `data` (schema owned by core/kernel/inspect, not fixed yet) into the
// panels' LiveSnapshot. Lenient by design: missing or malformed parts become empty lists, so a
// schema change degrades a panel instead of breaking the workbench. Wiring the real schema later
// means editing only this file.
import type {
  AddressSpace,
  ChannelInfo,
  LiveSnapshot,
  SchedulerInfo,
  TaskInfo,
  TimerInfo,
  VmaInfo,
  WaitQueueInfo,
} from './types';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const str = (v: unknown, d = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d;
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRec) : []);

function task(r: Rec): TaskInfo {
  return {
    pid: num(r.pid),
    name: str(r.name, '?'),
    state: str(r.state, 'unknown'),
    priority: num(r.priority),
    cpu: num(r.cpu),
    parent: typeof r.parent === 'number' ? r.parent : null,
  };
}

function vma(r: Rec): VmaInfo {
  const out: VmaInfo = {
    start: num(r.start),
    end: num(r.end),
    prot: str(r.prot, '---'),
    kind: str(r.kind, 'mmap'),
    resident: num(r.resident),
  };
  if (typeof r.name === 'string') out.name = r.name;
  return out;
}

function space(r: Rec): AddressSpace {
  return { pid: num(r.pid), vmas: list(r.vmas).map(vma) };
}

function waitQueue(r: Rec, i: number): WaitQueueInfo {
  return {
    id: str(r.id, String(i)),
    owner: str(r.owner, '?'),
    waiters: list(r.waiters).map((w) => ({ tid: num(w.tid), reason: str(w.reason), since: num(w.since) })),
  };
}

function channel(r: Rec): ChannelInfo {
  const ends = Array.isArray(r.endpoints) ? r.endpoints : [];
  const counters = isRec(r.counters) ? r.counters : r;
  return {
    id: num(r.id),
    endpoints: [str(ends[0], '?'), str(ends[1], '?')],
    rights: str(r.rights),
    queued: num(r.queued),
    sent: num(counters.sent),
    received: num(counters.received),
    dropped: num(counters.dropped),
  };
}

function scheduler(v: unknown): SchedulerInfo | null {
  if (!isRec(v)) return null;
  return {
    current: typeof v.current === 'number' ? v.current : null,
    levels: list(v.levels ?? v.runQueue).map((l) => ({
      priority: num(l.priority),
      tids: Array.isArray(l.tids) ? l.tids.filter((t): t is number => typeof t === 'number') : [],
    })),
    switches: num(v.switches),
  };
}

function timer(r: Rec): TimerInfo {
  return { id: num(r.id), deadline: num(r.deadline), owner: str(r.owner, '?'), kind: str(r.kind) };
}

export function toLiveSnapshot(data: unknown): LiveSnapshot | null {
  if (!isRec(data)) return null;
  return {
    now: num(data.now),
    tasks: list(data.tasks).map(task),
    spaces: list(data.spaces ?? data.mm).map(space),
    waitQueues: list(data.waitQueues ?? data.waitqueues).map(waitQueue),
    channels: list(data.channels).map(channel),
    scheduler: scheduler(data.scheduler ?? data.sched),
    timers: list(data.timers).map(timer),
  };
}
