// A kernel on a 16 MiB board running one program as its first task: what the debugger and GDB
// stub tests start from.
import { Kernel, isLoadFailure, type KernelOptions } from '../../core/kernel';
import type { Task } from '../../core/kernel/task';
import { Board } from '../../core/machine/board';

/** Boots `bytes` installed at `path` (argv[0] the same); throws when it does not load. */
export function kernelRunning(
  bytes: Uint8Array,
  path = '/bin/prog',
  opts: KernelOptions = {},
): { k: Kernel; task: Task } {
  const k = new Kernel(new Board({ ramSize: 16 << 20 }), opts);
  k.vfs.writeFile(path, bytes, 0o755);
  const t = k.spawn(path, [path]);
  if (isLoadFailure(t)) throw new Error(t.message);
  return { k, task: t };
}
