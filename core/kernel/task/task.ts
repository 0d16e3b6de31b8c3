// Tasks (processes) and threads. A task owns an address space, an fd table, a cwd and its children;
// a thread is what the scheduler runs: a saved context, a state and a priority.

import { PRIO_DEFAULT } from '../abi';
import type { FutMm } from '../mm';
import { WaitQueue } from '../sched/waitq';
import type { FdTable, Vnode } from '../vfs';
import { SavedContext } from './context';
import { SignalState } from './signals';

export type ThreadState = 'ready' | 'running' | 'blocked' | 'sleeping' | 'zombie';
export type TaskState = 'alive' | 'zombie';

export class Thread {
  readonly tid: number;
  readonly task: Task;
  state: ThreadState = 'ready';
  priority: number;
  readonly ctx = new SavedContext();
  /** The wait queue this thread sleeps on while blocked (so a signal can take it off). */
  waitingOn: WaitQueue | null = null;
  /** While in nanosleep: when it ends and where the remaining time goes if a signal cuts it short. */
  sleepEndMs = 0;
  /** Blocked in a system call that runs again (from the saved context) when the thread is woken. */
  retry = false;
  sleepRemVa = 0;

  constructor(tid: number, task: Task, priority = PRIO_DEFAULT) {
    this.tid = tid;
    this.task = task;
    this.priority = priority;
  }
}

export class Task {
  readonly pid: number;
  parent: Task | null;
  readonly children = new Set<Task>();
  name: string;
  mm: FutMm | null;
  fds: FdTable;
  cwd: Vnode | null;
  state: TaskState = 'alive';
  /** Wait status once a zombie: (code & 0xff) << 8, or the signal number & 0x7f. */
  waitStatus = 0;
  /** Threads of this task blocked in waitpid. */
  readonly childWaiters: WaitQueue;
  readonly threads: Thread[] = [];
  /** Handlers, masks and pending signals (docs/signals.md). */
  signals: SignalState;
  /** Process group (kill(0 or -pgid), ^C to the console's foreground group). */
  pgid: number;
  /** Guest instructions this task has retired (its CPU time on the virtual clock). */
  cpuInstret = 0;

  constructor(
    pid: number,
    name: string,
    parent: Task | null,
    mm: FutMm | null,
    fds: FdTable,
    cwd: Vnode | null,
    signals: SignalState = new SignalState(),
  ) {
    this.pid = pid;
    this.signals = signals;
    this.name = name;
    this.parent = parent;
    this.mm = mm;
    this.fds = fds;
    this.cwd = cwd;
    this.pgid = parent?.pgid ?? pid;
    this.childWaiters = new WaitQueue(`pid${pid}.child_waiters`);
  }

  get mainThread(): Thread | undefined {
    return this.threads[0];
  }
}

/** waitpid status of a normal exit. */
export function exitStatus(code: number): number {
  return (code & 0xff) << 8;
}

/** waitpid status of a death by signal. */
export function signalStatus(sig: number): number {
  return sig & 0x7f;
}
