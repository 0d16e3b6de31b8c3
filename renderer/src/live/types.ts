// What each live panel shows. The kernel's snapshot schema is not fixed yet; these interfaces are
// the panels' contract, and live/adapter.ts turns whatever the session sends into them.
import type { ChannelHolder, FipcMessageInfo, RemotePeerInfo } from './fipc-types';

export type TaskState = 'running' | 'ready' | 'blocked' | 'sleeping' | 'zombie' | string;

export interface TaskInfo {
  pid: number;
  name: string;
  state: TaskState;
  priority: number;
  /** Share of the CPU over the last interval, 0..1. */
  cpu: number;
  parent: number | null;
  /** CPU time used, in virtual milliseconds, when the source counts it. */
  cpuMs?: number;
  /** The task's thread ids (run queues and wait queues name threads, not tasks). */
  tids?: number[];
}

export type VmaKind = 'text' | 'data' | 'bss' | 'heap' | 'stack' | 'mmap' | 'shared' | 'device' | string;

export interface VmaInfo {
  start: number;
  end: number;
  /** e.g. "r-x", "rw-". */
  prot: string;
  kind: VmaKind;
  /** Resident bytes. */
  resident: number;
  name?: string;
}

export interface AddressSpace {
  pid: number;
  vmas: VmaInfo[];
}

export interface Waiter {
  tid: number;
  reason: string;
  /** Virtual milliseconds since boot at which it started waiting; -1 when the source does not
   * say (the kernel's queues list tids only: the Studio then dates a wait by when it first saw it). */
  since: number;
}

export interface WaitQueueInfo {
  id: string;
  owner: string;
  waiters: Waiter[];
}

export interface ChannelInfo {
  id: number;
  /** Task ids (or names) of the two endpoints. */
  endpoints: [string, string];
  rights: string;
  queued: number;
  /** Bytes in the channel's ring (headers included), when the session says. */
  queuedBytes: number | null;
  sent: number;
  received: number;
  dropped: number;
  /** Every task holding rights on it (for the FIPC graph). */
  holders: ChannelHolder[];
}

export interface RunQueueLevel {
  priority: number;
  tids: number[];
}

export interface SchedulerInfo {
  current: number | null;
  levels: RunQueueLevel[];
  switches: number;
}

export interface TimerInfo {
  id: number;
  /** Virtual milliseconds at which it fires. */
  deadline: number;
  owner: string;
  kind: string;
  /** The sleeping thread, for a sleeper's timer. */
  tid?: number;
}

export interface LiveSnapshot {
  /** Virtual milliseconds since boot. */
  now: number;
  tasks: TaskInfo[];
  spaces: AddressSpace[];
  waitQueues: WaitQueueInfo[];
  channels: ChannelInfo[];
  /** The kernel's recent FIPC messages, newest first; remote peers (empty without remote links). */
  messages: FipcMessageInfo[];
  remote: RemotePeerInfo[];
  scheduler: SchedulerInfo | null;
  timers: TimerInfo[];
}

export interface FramebufferFrame {
  width: number;
  height: number;
  /** RGBA, width*height*4 bytes. */
  pixels: Uint8Array;
}
