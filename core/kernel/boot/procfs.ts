// /proc: a read-only filesystem whose files are rendered when opened from the kernel's live state
// (the same snapshot pieces `inspect` uses). Fixed files: tasks, channels, meminfo. One directory
// per task (<pid>/maps, <pid>/status) appears and goes with the task; `self` is the caller's.
// docs/procfs.md documents every format.

import type { Kernel } from './kernel';
import { utf8Encode } from '../../util/utf8';
import { taskSummary, vmaSnapshots } from '../inspect/snapshot';
import { formatChannels, formatMaps, formatMeminfo, formatStatus, formatTasks } from '../inspect/proctext';
import type { Task } from '../task';
import type { Vnode } from '../vfs';

const PID_NAME = /^[1-9][0-9]{0,9}$/;

export function mountProcfs(k: Kernel): void {
  const vfs = k.vfs;
  if (vfs.mkdir('/proc', 0o555) < 0) throw new Error('procfs: cannot create /proc');
  const root = vfs.newFs();
  root.mode = 0o555;
  root.readOnly = true;
  if (vfs.mount('/proc', root) < 0) throw new Error('procfs: cannot mount /proc');

  const file = (dir: Vnode, name: string, listed: boolean, text: () => string): Vnode => {
    const v = vfs.syntheticNode(dir, name, 'reg', listed);
    v.gen = () => utf8Encode(text());
    return v;
  };
  const byPid = (): Task[] => k.tasks.all().sort((a, b) => a.pid - b.pid);
  file(root, 'tasks', true, () => formatTasks(byPid().map((t) => taskSummary(k, t))));
  file(root, 'channels', true, () => formatChannels(k.fipc.snapshot()));
  file(root, 'meminfo', true, () => formatMeminfo(k.pool.counters()));

  // Task directories are made on first lookup and kept while the pid exists, so their inode
  // numbers are stable; a stale one (pid reaped) is dropped on the next lookup or listing.
  const dirs = new Map<number, Vnode>();
  const dirFor = (pid: number): Vnode | undefined => {
    const live = k.tasks.get(pid);
    if (!live) {
      dirs.delete(pid);
      return undefined;
    }
    let d = dirs.get(pid);
    if (d) return d;
    d = vfs.syntheticNode(root, String(pid), 'dir', false);
    const task = (): Task | undefined => {
      const t = k.tasks.get(pid);
      return t === live ? t : undefined;
    };
    file(d, 'maps', true, () => formatMaps(vmaSnapshots(task()?.mm ?? null)));
    file(d, 'status', true, () => {
      const t = task();
      if (!t) return '';
      const vmas = vmaSnapshots(t.mm);
      return formatStatus(
        taskSummary(k, t),
        t.threads.length,
        vmas.reduce((n, v) => n + v.resident, 0),
      );
    });
    dirs.set(pid, d);
    return d;
  };
  root.dynamic = {
    lookup: (name) => {
      if (name === 'self') {
        const t = k.caller?.task;
        return t ? dirFor(t.pid) : undefined;
      }
      return PID_NAME.test(name) ? dirFor(Number(name)) : undefined;
    },
    names: () => {
      for (const pid of [...dirs.keys()]) if (!k.tasks.get(pid)) dirs.delete(pid);
      const pids = byPid().map((t) => String(t.pid));
      return k.caller ? ['self', ...pids] : pids;
    },
  };
}
