// The task table: pid/tid allocation, spawn, copy-on-write fork, exit into a zombie (children go to
// init, the parent's waiters are woken) and waitpid's reaping.

import { ECHILD, ENOMEM } from '../errno';
import type { FutMm } from '../mm';
import { FdTable, type Vnode } from '../vfs';
import type { SignalState } from './signals';
import { Task, Thread, type ThreadState } from './task';

export const INIT_PID = 1;

export interface SpawnOptions {
  name: string;
  mm: FutMm | null;
  parent?: Task | null;
  fds?: FdTable;
  /** The cwd vnode; the table takes a reference. */
  cwd?: Vnode | null;
  priority?: number;
  /** Signal state (fork passes the parent's copy; default: all default actions). */
  signals?: SignalState;
}

export interface Reaped {
  pid: number;
  status: number;
}

export class TaskTable {
  private readonly tasks = new Map<number, Task>();
  private readonly threads = new Map<number, Thread>();
  private nextId = 1;
  private alive = 0;

  /** Tasks that have not exited (zombies excluded). */
  get aliveCount(): number {
    return this.alive;
  }

  get(pid: number): Task | undefined {
    return this.tasks.get(pid);
  }

  thread(tid: number): Thread | undefined {
    return this.threads.get(tid);
  }

  all(): Task[] {
    return [...this.tasks.values()];
  }

  get size(): number {
    return this.tasks.size;
  }

  /** A new task with one thread (pid = tid of its main thread). */
  spawn(o: SpawnOptions): Task {
    const pid = this.nextId++;
    const parent = o.parent ?? null;
    const t = new Task(pid, o.name, parent, o.mm, o.fds ?? new FdTable(), o.cwd?.ref() ?? null, o.signals);
    parent?.children.add(t);
    this.tasks.set(pid, t);
    this.alive++;
    const th = new Thread(pid, t, o.priority);
    t.threads.push(th);
    this.threads.set(pid, th);
    return th.task;
  }

  /**
   * fork: a child with a COW copy of the address space, the fd table (shared descriptions), the cwd,
   * and a copy of `thread`'s context whose a0 is 0. The caller sets the parent's a0 to the child pid.
   */
  fork(parent: Task, thread: Thread): Task | number {
    let mm: FutMm | null = null;
    if (parent.mm) {
      const m = parent.mm.fork();
      if (typeof m === 'number') return -ENOMEM;
      mm = m;
    }
    const child = this.spawn({
      name: parent.name,
      mm,
      parent,
      fds: parent.fds.fork(),
      cwd: parent.cwd,
      priority: thread.priority,
      signals: parent.signals.fork(),
    });
    const ct = child.mainThread!;
    ct.ctx.copyFrom(thread.ctx);
    ct.ctx.x[10] = 0;
    return child;
  }

  /**
   * Ends a task: it becomes a zombie holding only its wait status; resources are released; children
   * are handed to init. Returns the thread ids to make ready (waiters of the parent, and of init if it
   * inherited zombies). Threads must already be off the run queue / wait queues (the scheduler's job).
   */
  exit(task: Task, waitStatus: number): number[] {
    if (task.state === 'zombie') return [];
    task.state = 'zombie';
    this.alive--;
    task.waitStatus = waitStatus;
    for (const th of task.threads) this.setState(th, 'zombie');
    task.mm?.release();
    task.mm = null;
    task.fds.closeAll();
    task.cwd?.unref();
    task.cwd = null;
    const wake: number[] = [];
    const init = this.tasks.get(INIT_PID);
    let initGotZombie = false;
    for (const c of task.children) {
      c.parent = init && init !== task ? init : null;
      c.parent?.children.add(c);
      if (c.parent && c.state === 'zombie') initGotZombie = true;
      if (!c.parent && c.state === 'zombie') this.remove(c); // nobody will ever reap it
    }
    task.children.clear();
    if (initGotZombie && init) wake.push(...init.childWaiters.wakeAll());
    if (task.parent) wake.push(...task.parent.childWaiters.wakeAll());
    else this.remove(task);
    return wake;
  }

  /**
   * waitpid's core: pid ≤ 0 means any child. A zombie is reaped and returned; 0 means children exist
   * but none has exited yet (block, or return 0 for WNOHANG); -ECHILD when there is no such child.
   */
  wait(parent: Task, pid: number): Reaped | number {
    let any = false;
    for (const c of parent.children) {
      if (pid > 0 && c.pid !== pid) continue;
      any = true;
      if (c.state === 'zombie') {
        parent.children.delete(c);
        this.remove(c);
        return { pid: c.pid, status: c.waitStatus };
      }
    }
    return any ? 0 : -ECHILD;
  }

  setState(th: Thread, s: ThreadState): void {
    th.state = s;
  }

  private remove(t: Task): void {
    this.tasks.delete(t.pid);
    for (const th of t.threads) this.threads.delete(th.tid);
  }
}
