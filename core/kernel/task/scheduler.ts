// Thread states meet the run queue, wait queues and the timer wheel: the one place that moves a
// thread between ready, running, blocked and sleeping. The syscall layer calls block()/sleepUntil()
// and the subsystems' wake callbacks land in wake().

import { RunQueue } from '../sched/runqueue';
import { TimerWheel } from '../sched/timer';
import type { WaitQueue } from '../sched/waitq';
import type { Task, Thread } from './task';
import type { TaskTable } from './table';

export class Scheduler {
  readonly runq = new RunQueue();
  readonly timers = new TimerWheel();
  current: Thread | null = null;
  private lastMs = -1;
  private readonly table: TaskTable;

  constructor(table: TaskTable) {
    this.table = table;
  }

  /** Makes a thread runnable (at the tail of its priority level). */
  makeReady(th: Thread): void {
    if (th.state === 'zombie' || this.runq.has(th.tid)) return;
    th.state = 'ready';
    th.waitingOn = null;
    this.runq.enqueue(th.tid, th.priority);
  }

  /** A waker took `tid` off a wait queue (or a timer fired): it becomes ready. */
  wake(tid: number): void {
    const th = this.table.thread(tid);
    if (th && (th.state === 'blocked' || th.state === 'sleeping')) this.makeReady(th);
  }

  /** Puts a thread to sleep on a wait queue until woken. */
  block(th: Thread, q: WaitQueue): void {
    this.detach(th);
    th.state = 'blocked';
    th.waitingOn = q;
    q.sleep(th.tid);
  }

  /** Sleeps a thread until absolute virtual time `ms`. */
  sleepUntil(th: Thread, ms: number): void {
    this.detach(th);
    th.state = 'sleeping';
    this.timers.sleepUntil(th.tid, ms);
  }

  /** Picks the next thread to run (highest priority, FIFO) and marks it running; null when idle. */
  pick(): Thread | null {
    for (;;) {
      const tid = this.runq.dequeue();
      if (tid === undefined) return (this.current = null);
      const th = this.table.thread(tid);
      if (!th || th.state !== 'ready') continue;
      th.state = 'running';
      return (this.current = th);
    }
  }

  /** sched_yield / preemption: the running thread goes to the back of its level. */
  yield(th: Thread): void {
    if (th.state === 'running') this.makeReady(th);
  }

  /** A signal arrived: a blocked or sleeping thread is taken off its queue and made ready (→ EINTR). */
  interrupt(th: Thread): boolean {
    if (th.state !== 'blocked' && th.state !== 'sleeping') return false;
    this.detach(th);
    this.makeReady(th);
    return true;
  }

  /** Advances virtual time: sleepers due by `ms` become ready. Returns the 100 Hz ticks crossed. */
  advanceTo(ms: number): number {
    // Fast path for the trap loop: the same millisecond and nothing due costs no allocation.
    const due = this.timers.nextDeadline();
    if (ms === this.lastMs && (due === undefined || due > ms)) return 0;
    this.lastMs = ms;
    const r = this.timers.advanceTo(ms);
    for (const tid of r.woken) this.wake(tid);
    return r.ticks;
  }

  /** Ends a task: its threads leave every queue, it becomes a zombie, waiting parents become ready. */
  exitTask(task: Task, waitStatus: number): void {
    for (const th of task.threads) this.detach(th);
    for (const tid of this.table.exit(task, waitStatus)) this.wake(tid);
  }

  /** Takes a thread off every queue (exit, kill). */
  detach(th: Thread): void {
    this.runq.remove(th.tid);
    th.waitingOn?.remove(th.tid);
    th.waitingOn = null;
    this.timers.cancelSleep(th.tid);
    if (this.current === th) this.current = null;
  }
}
