import { describe, it, expect } from 'vitest';
import { PhysicalMemory } from '../../core/machine/memory';
import { Board } from '../../core/machine/board';
import { FramePool } from '../../core/kernel/pmm';
import { FutMm } from '../../core/kernel/mm';
import { Vfs } from '../../core/kernel/vfs';
import {
  Scheduler,
  TaskTable,
  exitStatus,
  signalStatus,
  SavedContext,
  type Task,
} from '../../core/kernel/task';
import { WaitQueue } from '../../core/kernel/sched';
import { MAP_ANONYMOUS, MAP_PRIVATE, O_RDWR, SIGKILL } from '../../core/kernel/abi';
import { ECHILD } from '../../core/kernel/errno';

function world() {
  const pool = new FramePool(new PhysicalMemory(8 << 20));
  const vfs = new Vfs();
  const table = new TaskTable();
  const sched = new Scheduler(table);
  const init = table.spawn({ name: 'init', mm: FutMm.create(pool) as FutMm, cwd: vfs.root });
  return { pool, vfs, table, sched, init };
}

describe('tasks: fork, exit, waitpid', () => {
  it('fork copies the address space (COW), fds and cwd; the child returns 0 in a0', () => {
    const { pool, vfs, table, init } = world();
    const a = init.mm!.mmap(0, 4096, 3, MAP_PRIVATE | MAP_ANONYMOUS);
    init.mm!.copyOut(a, Uint8Array.of(5));
    const f = vfs.open('/dev/null', O_RDWR);
    if (typeof f === 'number') throw new Error();
    init.fds.install(f);
    const th = init.mainThread!;
    th.ctx.x[10] = 1234;
    th.ctx.pc = 0x400100;
    const child = table.fork(init, th) as Task;
    expect(child.pid).toBe(2);
    expect(child.parent).toBe(init);
    expect(init.children.has(child)).toBe(true);
    expect(child.mainThread!.ctx.x[10]).toBe(0);
    expect(child.mainThread!.ctx.pc).toBe(0x400100);
    expect(child.mm!.copyIn(a, 1)).toEqual(Uint8Array.of(5));
    expect(child.mm!.pte(a) >>> 10).toBe(init.mm!.pte(a) >>> 10);
    expect(f.refs).toBe(2);
    expect(vfs.root.refs).toBe(3); // the root's own + init's cwd + the child's
    const used = pool.used;
    table.exit(child, exitStatus(3));
    expect(pool.used).toBeLessThan(used);
    expect(f.refs).toBe(1);
    expect(vfs.root.refs).toBe(2);
  });

  it('waitpid: any child or a given pid, 0 while running, statuses for exit and signal, ECHILD', () => {
    const { table, init } = world();
    expect(table.wait(init, -1)).toBe(-ECHILD);
    const c1 = table.fork(init, init.mainThread!) as Task;
    const c2 = table.fork(init, init.mainThread!) as Task;
    expect(table.wait(init, -1)).toBe(0);
    expect(table.wait(init, 99)).toBe(-ECHILD);
    table.exit(c2, signalStatus(SIGKILL));
    table.exit(c1, exitStatus(0x1ff));
    expect(table.wait(init, c1.pid)).toEqual({ pid: c1.pid, status: 0xff00 });
    expect(table.wait(init, 0)).toEqual({ pid: c2.pid, status: 9 });
    expect(table.get(c2.pid)).toBeUndefined();
    expect(table.wait(init, -1)).toBe(-ECHILD);
    expect(table.aliveCount).toBe(1);
  });

  it('exit wakes the parent’s waiters and hands orphans (even zombies) to init', () => {
    const { table, sched, init } = world();
    const mid = table.fork(init, init.mainThread!) as Task;
    const leaf = table.fork(mid, mid.mainThread!) as Task;
    const leaf2 = table.fork(mid, mid.mainThread!) as Task;
    sched.exitTask(leaf2, exitStatus(7));
    sched.block(init.mainThread!, init.childWaiters);
    sched.exitTask(mid, exitStatus(1));
    expect(init.mainThread!.state).toBe('ready');
    expect(leaf.parent).toBe(init);
    expect(leaf2.parent).toBe(init);
    expect(table.wait(init, mid.pid)).toEqual({ pid: mid.pid, status: 0x100 });
    expect(table.wait(init, -1)).toEqual({ pid: leaf2.pid, status: 0x700 });
    expect(table.wait(init, -1)).toBe(0); // leaf still runs
    expect(leaf.state).toBe('alive');
  });
});

describe('Scheduler', () => {
  it('runs by priority, FIFO within a level; yield rotates; block and wake', () => {
    const { table, sched, init } = world();
    const a = table.spawn({ name: 'a', mm: null, priority: 200 }).mainThread!;
    const b = table.spawn({ name: 'b', mm: null, priority: 128 }).mainThread!;
    const c = table.spawn({ name: 'c', mm: null, priority: 128 }).mainThread!;
    for (const t of [init.mainThread!, b, a, c]) sched.makeReady(t);
    expect(sched.pick()).toBe(a);
    const q = new WaitQueue('q');
    sched.block(a, q);
    expect(a.state).toBe('blocked');
    expect(sched.pick()).toBe(init.mainThread);
    sched.yield(init.mainThread!);
    expect(sched.pick()).toBe(b);
    for (const tid of q.wakeAll()) sched.wake(tid);
    expect(sched.pick()).toBe(a);
    expect(sched.pick()).toBe(c);
    expect(sched.pick()).toBe(init.mainThread);
    expect(sched.pick()).toBeNull();
  });

  it('sleepers wake at their virtual time; interrupt takes a thread off its queue or the wheel', () => {
    const { table, sched } = world();
    const a = table.spawn({ name: 'a', mm: null }).mainThread!;
    const b = table.spawn({ name: 'b', mm: null }).mainThread!;
    const c = table.spawn({ name: 'c', mm: null }).mainThread!;
    sched.sleepUntil(a, 30);
    sched.sleepUntil(b, 10);
    const q = new WaitQueue();
    sched.block(c, q);
    expect(sched.timers.nextDeadline()).toBe(10);
    expect(sched.advanceTo(15)).toBe(1);
    expect(sched.pick()).toBe(b);
    expect(sched.interrupt(c)).toBe(true);
    expect(q.size).toBe(0);
    expect(sched.interrupt(c)).toBe(false);
    expect(sched.interrupt(a)).toBe(true);
    expect(sched.timers.size).toBe(0);
    expect([sched.pick(), sched.pick()]).toEqual([c, a]);
  });
});

describe('SavedContext', () => {
  it('saves and restores the hart’s integer and FP registers, pc and FP CSR fields', () => {
    const h = new Board({ ramSize: 1 << 20, engine: 'interp' }).hart;
    for (let i = 0; i < 32; i++) h.x[i] = i * 0x1111;
    h.x[0] = 0;
    h.pc = 0x400123;
    h.fp.f64[3] = Math.PI;
    h.fp.u32[9] = 0xdeadbeef;
    h.fp.fflags = 5;
    h.fp.frm = 2;
    const ctx = new SavedContext();
    ctx.saveFrom(h);
    h.x.fill(0);
    h.fp.f64.fill(0);
    h.pc = 0;
    h.fp.fflags = h.fp.frm = 0;
    ctx.x[0] = 77; // x0 stays zero whatever is saved
    ctx.restoreTo(h);
    expect(h.x[0]).toBe(0);
    expect(h.x[31]).toBe(31 * 0x1111);
    expect(h.pc).toBe(0x400123);
    expect(h.fp.f64[3]).toBe(Math.PI);
    expect(h.fp.u32[9]).toBe(0xdeadbeef);
    expect([h.fp.fflags, h.fp.frm]).toEqual([5, 2]);
    const copy = new SavedContext();
    copy.copyFrom(ctx);
    expect(copy.f[9]).toBe(0xdeadbeef);
  });
});
