// The FIPC parts of toLiveSnapshot: channel holders, the kernel's recent messages (core/kernel/
// inspect/messages.ts: seq, timeMs, channel, type, size, srcPid/srcName, dstPid/dstName) and remote
// peers (core/kernel/ipc/remote/snapshot.ts). Lenient like the rest of the adapter: malformed
// entries are skipped, missing fields get neutral values.
import type { ChannelHolder, FipcMessageInfo, RemoteChannelInfo, RemotePeerInfo } from './fipc-types';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const optNum = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const optStr = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRec) : []);

/** The kernel's own pid, and its "no receiver" marker. */
const KERNEL_PID = 0;
const NO_PID = -1;

export function holders(v: unknown): ChannelHolder[] {
  return list(v)
    .filter((h) => typeof h.pid === 'number')
    .map((h) => ({ pid: num(h.pid), rights: num(h.rights) }));
}

/** "name (pid)" for a task; names come from the message, else from the task list. */
function label(pid: number | null, name: unknown, names: ReadonlyMap<number, string>): string {
  if (pid === null) return '—';
  if (pid === KERNEL_PID) return 'kernel';
  const n = optStr(name) ?? names.get(pid);
  return n ? `${n} (${pid})` : `pid ${pid}`;
}

/** Messages newest first (the kernel sends them oldest first). */
export function fipcMessages(v: unknown, names: ReadonlyMap<number, string>): FipcMessageInfo[] {
  const out: FipcMessageInfo[] = [];
  for (const m of list(v)) {
    if (typeof m.seq !== 'number') continue;
    const srcPid = num(m.srcPid ?? m.src, KERNEL_PID);
    const rawDst = optNum(m.dstPid ?? m.dst);
    const dstPid = rawDst === null || rawDst === NO_PID ? null : rawDst;
    out.push({
      seq: m.seq,
      time: num(m.timeMs ?? m.time),
      channel: num(m.channel),
      type: num(m.type),
      size: num(m.size),
      srcPid,
      dstPid,
      src: label(srcPid, m.srcName, names),
      dst: label(dstPid, m.dstName, names),
    });
  }
  return out.sort((a, b) => b.seq - a.seq);
}

function remoteChannel(c: Rec): RemoteChannelInfo {
  return {
    channelId: num(c.channelId ?? c.id),
    role: typeof c.role === 'string' ? c.role : 'binding',
    service: optStr(c.service),
    localChannel: optNum(c.localChannel),
    nextSeq: num(c.nextSeq),
    ackedSeq: num(c.ackedSeq),
    deliveredSeq: num(c.deliveredSeq),
    peerCredits: num(c.peerCredits),
    ownCredits: num(c.ownCredits),
    inFlight: num(c.inFlight),
    sent: num(c.sent),
    received: num(c.received),
    retransmits: num(c.retransmits),
    duplicates: num(c.duplicates),
    error: optStr(c.error),
  };
}

export function remotePeers(v: unknown): RemotePeerInfo[] {
  return list(v).map((p) => {
    const reasons: Record<string, number> = {};
    let drops = 0;
    if (isRec(p.drops)) {
      for (const [k, n] of Object.entries(p.drops)) {
        if (typeof n === 'number' && n > 0) {
          reasons[k] = n;
          drops += n;
        }
      }
    } else drops = num(p.drops);
    const refused = isRec(p.refused)
      ? Object.values(p.refused).reduce<number>((s, n) => s + num(n), 0)
      : num(p.refused);
    return {
      node: optStr(p.node) ?? '?',
      peer: optStr(p.peer) ?? '?',
      drops,
      dropReasons: reasons,
      crcErrors: num(p.crcErrors),
      refused,
      channels: list(p.channels).map(remoteChannel),
    };
  });
}
