// What the FIPC message log shows: the newest messages first, optionally one channel's, capped;
// types in hex and virtual times in seconds.
import type { FipcMessageInfo } from './fipc-types';

/** Rows shown at most (the kernel sends its newest 64 per snapshot). */
export const MAX_LOG_ROWS = 64;

export const hexType = (t: number): string => `0x${(t >>> 0).toString(16).padStart(4, '0')}`;
export const formatTime = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

/** The rows to show: `messages` are newest first already (the adapter sorts them). */
export function logRows(
  messages: readonly FipcMessageInfo[],
  channel: number | null,
  max = MAX_LOG_ROWS,
): FipcMessageInfo[] {
  const out: FipcMessageInfo[] = [];
  for (const m of messages) {
    if (out.length >= max) break;
    if (channel === null || m.channel === channel) out.push(m);
  }
  return out;
}
