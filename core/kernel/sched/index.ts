export { Fifo } from './fifo';
export { WaitQueue, isBlocked, type Blocked } from './waitq';
export { RunQueue } from './runqueue';
export { TimerWheel, type AdvanceResult, type TimerSnapshot } from './timer';
export { VirtualClock } from './clock';
