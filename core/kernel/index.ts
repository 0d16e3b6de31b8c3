// The Futura kernel's public face for the host, the views and tools.
export { Kernel, type KernelOptions, type RunOutcome } from './boot/kernel';
export {
  snapshot,
  SNAPSHOT_VERSION,
  type KernelSnapshot,
  type TaskSnapshot,
  type VmaSnapshot,
  type SnapshotOptions,
} from './inspect/snapshot';
export { TtyConsole, type TtyOptions } from './drivers/tty';
export { KernelCounters, type CounterSnapshot } from './boot/counters';
export { createProcessImage, isLoadFailure, type LoadFailure, type ProcessImage } from './loader';
export { FutMm } from './mm';
export { FramePool } from './pmm';
export { Vfs } from './vfs';
export { Fipc } from './ipc/fipc';
export { TaskTable, Scheduler } from './task';
export * as abi from './abi';
export * as errno from './errno';
