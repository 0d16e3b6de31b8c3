export { FramePool, type FramePoolOptions, type FrameCounters } from './frames';
