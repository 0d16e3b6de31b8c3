export { SavedContext, type HartRegs } from './context';
export { Task, Thread, exitStatus, signalStatus, type TaskState, type ThreadState } from './task';
export { TaskTable, INIT_PID, type SpawnOptions, type Reaped } from './table';
export { Scheduler } from './scheduler';
export { ExitLog, EXIT_LOG_CAPACITY } from './exits';
