// The FIPC part of the inspect snapshot beyond the channel table: the newest messages from the
// kernel's log with their tasks named, and the remote peers with their channels. Only the newest
// few messages go in: the snapshot stream diffs lists keyed by `seq`, so a client that holds the
// previous snapshot receives just the messages sent since.
import type { Kernel } from '../boot/kernel';
import { KERNEL_PID } from '../ipc/fipc';
import { NO_PID, type LoggedMessage } from '../ipc/msglog';

/** Messages per snapshot: enough for a 30 Hz view of a busy guest, small enough to diff cheaply. */
export const SNAPSHOT_MESSAGES = 64;

export interface MessageSnapshot extends LoggedMessage {
  /** The sender's and receiver's task names ('kernel' for pid 0); null when the task is gone. */
  srcName: string | null;
  dstName: string | null;
}

function nameOf(k: Kernel, pid: number): string | null {
  if (pid === KERNEL_PID) return 'kernel';
  if (pid === NO_PID) return null;
  return k.tasks.get(pid)?.name ?? null;
}

/** The newest `max` messages the kernel logged, with task names resolved now. */
export function messagesSnapshot(k: Kernel, max = SNAPSHOT_MESSAGES): MessageSnapshot[] {
  return k.fipc.log.recent(max).map((m) => ({
    seq: m.seq,
    timeMs: m.timeMs,
    channel: m.channel,
    type: m.type,
    size: m.size,
    srcPid: m.srcPid,
    dstPid: m.dstPid,
    srcName: nameOf(k, m.srcPid),
    dstName: nameOf(k, m.dstPid),
  }));
}
