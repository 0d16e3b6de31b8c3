// Image → running kernel: a new board and Futura kernel, the image's folders and files in the
// RamFS, and its first program (/sbin/init unless told otherwise) started as pid 1. Lives in
// core/host because core/toolchain may not import core/kernel (the layer rules); it stays free
// of Node APIs so any host (CLI, session worker) can use it.
import { Board } from '../../machine/board';
import { Kernel, isLoadFailure, type KernelOptions } from '../../kernel';
import { SYS } from '../../kernel/abi';
import { errnoName } from '../../kernel/errno';
import { isBlocked } from '../../kernel/sched/waitq';
import type { Task } from '../../kernel/task';
import type { Image } from '../../toolchain/build/types';

export const DEFAULT_INIT = '/sbin/init';

export interface BootOptions {
  /** Guest path of the first program (default /sbin/init). */
  init?: string;
  /** Its arguments after argv[0]. */
  args?: readonly string[];
  env?: readonly string[];
  /** RAM in bytes (default 64 MiB). */
  ramSize?: number;
  kernel?: KernelOptions;
  /** The console's window size before init starts (docs/tty.md; default 80×24). */
  console?: { cols: number; rows: number };
}

export interface Booted {
  board: Board;
  kernel: Kernel;
  init: Task;
  /**
   * The program each task runs by pid, for tasks that were spawned or exec'd one (a forked child
   * that has not exec'd is absent), kept after the task is reaped: "the shell exited" means a
   * task that exec'd the shell ended, not a child the shell forked.
   */
  programs: Map<number, string>;
  /** System calls served so far. */
  syscalls: { count: number };
}

/** Boots an image; a string says why it could not (a RamFS entry or the first program failed). */
export function bootImage(image: Image, opts: BootOptions = {}): Booted | string {
  const board = new Board({ ramSize: opts.ramSize ?? 64 << 20 });
  const programs = new Map<number, string>();
  const syscalls = { count: 0 };
  const ko = opts.kernel ?? {};
  const kernel = new Kernel(board, {
    ...ko,
    onSyscall: (th, nr, args, r) => {
      if (!isBlocked(r)) syscalls.count++;
      if (nr === SYS.execve && r === 'noreturn') programs.set(th.task.pid, th.task.name);
      ko.onSyscall?.(th, nr, args, r);
    },
  });
  for (const d of image.dirs) {
    const r = kernel.vfs.mkdir(d, 0o755);
    if (r < 0 && errnoName(r) !== 'EEXIST') return `cannot create ${d} in the RamFS: ${errnoName(r)}`;
  }
  for (const f of image.files) {
    const r = kernel.vfs.writeFile(f.path, f.data, f.mode);
    if (r < 0) return `cannot create ${f.path} in the RamFS: ${errnoName(r)}`;
  }
  if (opts.console) kernel.setConsoleSize(opts.console.cols, opts.console.rows);
  const path = opts.init ?? DEFAULT_INIT;
  const init = kernel.spawn(path, [path, ...(opts.args ?? [])], opts.env ?? []);
  if (isLoadFailure(init)) return `cannot start ${path}: ${init.message}`;
  programs.set(init.pid, init.name);
  return { board, kernel, init, programs, syscalls };
}
