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
  /**
   * The sender's and receiver's task names ('kernel' for pid 0). A task that has gone keeps the
   * name an earlier snapshot saw; null when none did (a task that lived between two snapshots).
   */
  srcName: string | null;
  dstName: string | null;
}

/** Names of tasks seen in earlier snapshots, per kernel (pids are never reused). */
const seenNames = new WeakMap<Kernel, Map<number, string>>();
const MAX_SEEN = 1024;

function nameOf(k: Kernel, seen: Map<number, string>, pid: number): string | null {
  if (pid === KERNEL_PID) return 'kernel';
  if (pid === NO_PID) return null;
  const name = k.tasks.get(pid)?.name;
  if (name === undefined) return seen.get(pid) ?? null;
  if (seen.get(pid) !== name) {
    seen.delete(pid); // re-inserted last: the oldest entries go first
    seen.set(pid, name);
    if (seen.size > MAX_SEEN) seen.delete(seen.keys().next().value!);
  }
  return name;
}

/** The newest `max` messages the kernel logged, with task names resolved now. */
export function messagesSnapshot(k: Kernel, max = SNAPSHOT_MESSAGES): MessageSnapshot[] {
  let seen = seenNames.get(k);
  if (!seen) seenNames.set(k, (seen = new Map()));
  const names = seen;
  return k.fipc.log.recent(max).map((m) => ({
    seq: m.seq,
    timeMs: m.timeMs,
    channel: m.channel,
    type: m.type,
    size: m.size,
    srcPid: m.srcPid,
    dstPid: m.dstPid,
    srcName: nameOf(k, names, m.srcPid),
    dstName: nameOf(k, names, m.dstPid),
  }));
}
