// Plain, serialisable snapshots of the kernel for the live views: tasks with their threads, fds and
// memory maps, the run queue, timers, wait queues, FIPC channels and frame counters. Taking one
// only reads state: observation never changes guest behaviour.

import type { Kernel } from '../boot/kernel';
import type { ChannelSnapshot } from '../ipc/fipc';
import { remoteChannelsSnapshot, type RemotePeerSnapshot } from '../ipc/remote/snapshot';
import { messagesSnapshot, type MessageSnapshot } from './messages';
import type { CounterSnapshot } from '../boot/counters';
import type { FrameCounters } from '../pmm';
import type { TimerSnapshot } from '../sched/timer';
import type { Task, ThreadState } from '../task';
import type { FutMm, VmaKind } from '../mm';

export interface VmaSnapshot {
  start: number;
  end: number;
  prot: number;
  kind: VmaKind;
  shared: boolean;
  backing: 'anon' | 'phys';
  /** Pages with a frame behind them. */
  resident: number;
}

export interface FdSnapshot {
  fd: number;
  type: string;
  /** Path of the file (regular files, directories, devices), or 'pipe:[ino]'. */
  name: string;
  offset: number;
  flags: number;
  cloexec: boolean;
}

/** The one-line view of a task (also /proc/tasks). */
export interface TaskSummary {
  pid: number;
  ppid: number;
  name: string;
  state: 'alive' | 'zombie';
  /** The main thread's scheduler state ('zombie' once the task has exited). */
  runState: ThreadState;
  /** The main thread's priority (0…255). */
  priority: number;
  /** CPU time: guest instructions retired by the task, in virtual milliseconds. */
  cpuMs: number;
}

export interface TaskSnapshot extends TaskSummary {
  waitStatus: number | null;
  threads: { tid: number; state: string; priority: number; pc: number; waitingOn: string | null }[];
  cwd: string | null;
  fds: FdSnapshot[];
  vmas: VmaSnapshot[];
  brk: { start: number; current: number } | null;
  mmapBytes: number;
  satp: number;
}

/**
 * The snapshot's schema version: KernelSnapshot below is the schema, and this number changes when a
 * field is renamed, removed or changes meaning (added fields keep it), so a reader can refuse a
 * snapshot it does not understand.
 */
export const SNAPSHOT_VERSION = 1;

export interface KernelSnapshot {
  version: typeof SNAPSHOT_VERSION;
  timeMs: number;
  ticks: number;
  instret: number;
  frames: FrameCounters;
  tasks: TaskSnapshot[];
  current: number | null;
  runQueue: { priority: number; tids: number[] }[];
  timers: TimerSnapshot[];
  waitQueues: { name: string; tids: number[] }[];
  channels: ChannelSnapshot[];
  /** The newest FIPC messages, oldest first (the stream diffs them by seq: clients get new ones). */
  messages: MessageSnapshot[];
  /** Remote peers and their channels; [] on a node without remote links. */
  remote: RemotePeerSnapshot[];
  counters: CounterSnapshot;
}

export interface SnapshotOptions {
  /** Count resident pages per VMA (walks the page tables). Default true. */
  resident?: boolean;
}

export function snapshot(k: Kernel, opts: SnapshotOptions = {}): KernelSnapshot {
  const tasks = k.tasks.all().sort((a, b) => a.pid - b.pid);
  const queues = new Map<string, number[]>();
  const addQ = (q: { name: string; snapshot(): number[]; size: number }): void => {
    if (q.size > 0) queues.set(q.name, q.snapshot());
  };
  for (const t of tasks) {
    addQ(t.childWaiters);
    for (const th of t.threads) if (th.waitingOn) addQ(th.waitingOn);
  }
  addQ(k.console.readQ);
  return {
    version: SNAPSHOT_VERSION,
    timeMs: k.clock.nowMs,
    ticks: k.clock.ticks,
    instret: k.board.hart.instret,
    frames: k.pool.counters(),
    tasks: tasks.map((t) => taskSnapshot(k, t, opts.resident ?? true)),
    current: k.sched.current?.tid ?? null,
    runQueue: k.sched.runq.snapshot(),
    timers: k.sched.timers.snapshot(),
    waitQueues: [...queues].map(([name, tids]) => ({ name, tids })),
    channels: k.fipc.snapshot(),
    messages: messagesSnapshot(k),
    remote: remoteChannelsSnapshot(k),
    counters: k.counters.snapshot({ sent: k.fipc.messagesSent, received: k.fipc.messagesReceived }),
  };
}

export function taskSummary(k: Kernel, t: Task): TaskSummary {
  const main = t.mainThread;
  return {
    pid: t.pid,
    ppid: t.parent?.pid ?? 0,
    name: t.name,
    state: t.state,
    runState: t.state === 'zombie' ? 'zombie' : (main?.state ?? 'zombie'),
    priority: main?.priority ?? 0,
    cpuMs: Math.floor(t.cpuInstret / k.clock.instructionsPerMs),
  };
}

/**
 * Resident page counts per VMA, cached per address space until one of its PTEs changes: a busy
 * guest that is not mapping or unmapping costs no page-table reads at all.
 */
const residentCache = new WeakMap<FutMm, { version: number; vmas: number; counts: number[] }>();

function residentCounts(mm: FutMm): number[] {
  const all = mm.vmas.all;
  const hit = residentCache.get(mm);
  if (hit && hit.version === mm.mapVersion && hit.vmas === all.length) return hit.counts;
  const counts = all.map((v) => (v.kind === 'kernel' ? 0 : mm.residentPages(v.start, v.end)));
  residentCache.set(mm, { version: mm.mapVersion, vmas: all.length, counts });
  return counts;
}

/** A task's memory map (the kernel half included), lowest address first. */
export function vmaSnapshots(mm: FutMm | null, resident = true): VmaSnapshot[] {
  if (!mm) return [];
  const counts = resident ? residentCounts(mm) : null;
  return mm.vmas.all.map((v, i) => {
    const res = counts ? counts[i]! : 0;
    return {
      start: v.start,
      end: v.end,
      prot: v.prot,
      kind: v.kind,
      shared: v.shared,
      backing: v.backing,
      resident: res,
    };
  });
}

function taskSnapshot(k: Kernel, t: Task, resident: boolean): TaskSnapshot {
  const mm = t.mm;
  const cwd = t.cwd ? k.vfs.getcwd(t.cwd) : null;
  const sum = taskSummary(k, t);
  // Fields listed one by one: an object spread here made every snapshot ~10× slower in V8.
  return {
    pid: sum.pid,
    ppid: sum.ppid,
    name: sum.name,
    state: sum.state,
    runState: sum.runState,
    priority: sum.priority,
    cpuMs: sum.cpuMs,
    waitStatus: t.state === 'zombie' ? t.waitStatus : null,
    threads: t.threads.map((th) => ({
      tid: th.tid,
      state: th.state,
      priority: th.priority,
      pc: th.ctx.pc,
      waitingOn: th.waitingOn?.name ?? null,
    })),
    cwd: typeof cwd === 'string' ? cwd : null,
    fds: t.fds.list().map(({ fd, file, cloexec }) => {
      const v = file.vnode;
      const p = v.type === 'fifo' ? `pipe:[${v.ino}]` : k.vfs.pathOf(v);
      return { fd, type: v.type, name: p, offset: file.offset, flags: file.flags, cloexec };
    }),
    vmas: vmaSnapshots(mm, resident),
    brk: mm ? { start: mm.brkStart, current: mm.brkCurrent } : null,
    mmapBytes: mm?.mmapBytes ?? 0,
    satp: mm?.satp ?? 0,
  };
}
