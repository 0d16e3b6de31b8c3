// Turns a snapshot event's `data` into the panels' LiveSnapshot. The session sends the kernel's
// inspect snapshot (core/kernel/inspect/snapshot.ts: tasks with threads and VMAs, runQueue,
// current, waitQueues by name, channels with holders and counters, timers); the panels' own shape
// is accepted too. Lenient by design: missing or malformed parts become empty lists, so a schema
// change degrades a panel instead of breaking the workbench.
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
import { fipcMessages, holders as channelHolders, remotePeers } from './fipc-adapter';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const str = (v: unknown, d = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d;
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRec) : []);

function task(r: Rec): TaskInfo {
  // The kernel's task: 'alive' or 'zombie', its state and priority those of its main thread.
  const main = list(r.threads)[0];
  const state = r.state === 'alive' && main ? str(main.state, 'unknown') : str(r.state, 'unknown');
  const parent =
    typeof r.parent === 'number' ? r.parent : typeof r.ppid === 'number' && r.ppid > 0 ? r.ppid : null;
  const out: TaskInfo = {
    pid: num(r.pid),
    name: str(r.name, '?'),
    state,
    priority: num(r.priority ?? main?.priority),
    cpu: num(r.cpu),
    parent,
  };
  if (typeof r.cpuMs === 'number') out.cpuMs = r.cpuMs;
  const tids = Array.isArray(r.tids) ? r.tids : list(r.threads).map((th) => th.tid);
  if (tids.length) out.tids = tids.filter((t): t is number => typeof t === 'number');
  return out;
}

/** The kernel's PROT_* bits (1 read, 2 write, 4 exec) as "rwx". */
const protString = (p: number): string => `${p & 1 ? 'r' : '-'}${p & 2 ? 'w' : '-'}${p & 4 ? 'x' : '-'}`;

function vma(r: Rec): VmaInfo {
  // The kernel counts protection in bits and residency in pages; the panels want text and bytes.
  const kernel = typeof r.prot === 'number';
  const out: VmaInfo = {
    start: num(r.start),
    end: num(r.end),
    prot: kernel ? protString(num(r.prot)) : str(r.prot, '---'),
    kind: str(r.kind, 'mmap'),
    resident: kernel ? num(r.resident) * 4096 : num(r.resident),
  };
  if (typeof r.name === 'string') out.name = r.name;
  return out;
}

function space(r: Rec): AddressSpace {
  return { pid: num(r.pid), vmas: list(r.vmas).map(vma) };
}

function waitQueue(r: Rec, i: number): WaitQueueInfo {
  // The kernel's queue: { name: 'console.read', tids }.
  const name = typeof r.name === 'string' ? r.name : null;
  const tids = Array.isArray(r.tids) ? r.tids.filter((t): t is number => typeof t === 'number') : [];
  return {
    id: str(r.id ?? name, String(i)),
    owner: str(r.owner ?? name?.split('.')[0], '?'),
    waiters: Array.isArray(r.waiters)
      ? list(r.waiters).map((w) => ({ tid: num(w.tid), reason: str(w.reason), since: num(w.since) }))
      : tids.map((tid) => ({ tid, reason: name ?? '', since: -1 })),
  };
}

function channel(r: Rec): ChannelInfo {
  // The kernel's channel names its holders (pid + rights bits: 1 send, 2 receive).
  const holders = list(r.holders);
  const ends = Array.isArray(r.endpoints) ? r.endpoints : holders.map((h) => h.pid);
  const counters = isRec(r.counters) ? r.counters : r;
  const rights = holders.length
    ? holders.map((h) => `${num(h.rights) & 1 ? 's' : '-'}${num(h.rights) & 2 ? 'r' : '-'}`).join(' ')
    : str(r.rights);
  return {
    id: num(r.id),
    endpoints: [str(ends[0], '?'), str(ends[1], '?')],
    rights,
    queued: num(r.queued ?? r.messages),
    queuedBytes: typeof r.used === 'number' ? r.used : null,
    sent: num(counters.sent),
    received: num(counters.received),
    dropped: num(counters.dropped ?? counters.drops),
    holders: channelHolders(holders),
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

function timer(r: Rec, i: number): TimerInfo {
  // The kernel's timer: { at, tid } for a sleeping thread, { at, timer } for a kernel timer.
  if (typeof r.at === 'number') {
    const sleeper = typeof r.tid === 'number';
    return {
      id: num(r.timer ?? r.tid, i),
      deadline: r.at,
      owner: sleeper ? `tid ${num(r.tid)}` : 'kernel',
      kind: sleeper ? 'sleep' : 'timer',
      ...(sleeper ? { tid: num(r.tid) } : {}),
    };
  }
  return {
    id: num(r.id),
    deadline: num(r.deadline),
    owner: str(r.owner, '?'),
    kind: str(r.kind),
    ...(typeof r.tid === 'number' ? { tid: r.tid } : {}),
  };
}

export function toLiveSnapshot(data: unknown): LiveSnapshot | null {
  if (!isRec(data)) return null;
  // The kernel's snapshot keeps each task's VMAs in the task and the scheduler at the top level.
  const tasks = list(data.tasks);
  const spaces = data.spaces ?? data.mm ?? tasks.filter((t) => Array.isArray(t.vmas));
  const sched =
    data.scheduler ??
    data.sched ??
    (Array.isArray(data.runQueue)
      ? {
          current: data.current,
          levels: data.runQueue,
          switches: isRec(data.counters) ? data.counters.contextSwitches : undefined,
        }
      : undefined);
  return {
    now: num(data.now ?? data.timeMs),
    tasks: tasks.map(task),
    spaces: list(spaces).map(space),
    waitQueues: list(data.waitQueues ?? data.waitqueues).map(waitQueue),
    channels: list(data.channels).map(channel),
    messages: fipcMessages(data.messages, new Map(tasks.map((t) => [num(t.pid), str(t.name, '?')]))),
    remote: remotePeers(data.remote),
    scheduler: scheduler(sched),
    timers: list(data.timers).map(timer),
  };
}
