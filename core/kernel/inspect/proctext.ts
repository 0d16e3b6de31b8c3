// The text of /proc's files, rendered from the same snapshot pieces `inspect` returns, so the
// shell's ps/mem/chan and the IDE's views can never disagree. docs/procfs.md fixes these formats.

import type { ChannelSnapshot } from '../ipc/fipc';
import type { FrameCounters } from '../pmm';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../abi';
import { FIPC_RIGHT_ADMIN, FIPC_RIGHT_RECV, FIPC_RIGHT_SEND, FIPC_RIGHT_SYS } from '../abi';
import type { TaskSummary, VmaSnapshot } from './snapshot';

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** /proc/tasks: `pid ppid state prio cputime_ms name`, one line per task, by pid. */
export function formatTasks(tasks: readonly TaskSummary[]): string {
  let out = '';
  for (const t of tasks) out += `${t.pid} ${t.ppid} ${t.runState} ${t.priority} ${t.cpuMs} ${t.name}\n`;
  return out;
}

/** `rwxp`: read, write, execute, then s (shared) or p (private). */
export function permString(prot: number, shared: boolean): string {
  return (
    (prot & PROT_READ ? 'r' : '-') +
    (prot & PROT_WRITE ? 'w' : '-') +
    (prot & PROT_EXEC ? 'x' : '-') +
    (shared ? 's' : 'p')
  );
}

/** /proc/<pid>/maps: `start-end perms kind resident_pages`, user VMAs only (the kernel half is left out). */
export function formatMaps(vmas: readonly VmaSnapshot[]): string {
  let out = '';
  for (const v of vmas) {
    if (v.kind === 'kernel') continue;
    out += `${hex8(v.start)}-${hex8(v.end)} ${permString(v.prot, v.shared)} ${v.kind} ${v.resident}\n`;
  }
  return out;
}

/** FIPC rights as four letters: s SEND, r RECV, y SYS, a ADMIN ('-' when absent). */
export function rightsString(rights: number): string {
  return (
    (rights & FIPC_RIGHT_SEND ? 's' : '-') +
    (rights & FIPC_RIGHT_RECV ? 'r' : '-') +
    (rights & FIPC_RIGHT_SYS ? 'y' : '-') +
    (rights & FIPC_RIGHT_ADMIN ? 'a' : '-')
  );
}

/**
 * /proc/channels, one line per channel by id:
 * `id owner rights queued_bytes queued_msgs sent received size state services`.
 */
export function formatChannels(channels: readonly ChannelSnapshot[]): string {
  let out = '';
  for (const c of [...channels].sort((a, b) => a.id - b.id)) {
    const holders = [...c.holders].sort((a, b) => a.pid - b.pid);
    const rights = holders.length ? holders.map((h) => `${h.pid}:${rightsString(h.rights)}`).join(',') : '-';
    const services = c.services.length ? c.services.join(',') : '-';
    out +=
      `${c.id} ${c.creatorPid} ${rights} ${c.used} ${c.messages} ${c.counters.sent} ${c.counters.received} ` +
      `${c.size} ${c.closed ? 'closed' : 'open'} ${services}\n`;
  }
  return out;
}

/** /proc/meminfo: `key value` lines. */
export function formatMeminfo(f: FrameCounters): string {
  return (
    `frames_total ${f.total}\nframes_free ${f.free}\nframes_used ${f.used}\n` +
    `frames_reserved ${f.reserved}\npage_size ${PAGE_SIZE}\n`
  );
}

/** /proc/<pid>/status: `key value` lines about one task. */
export function formatStatus(t: TaskSummary, threads: number, residentPages: number): string {
  return (
    `name ${t.name}\npid ${t.pid}\nppid ${t.ppid}\nstate ${t.runState}\nprio ${t.priority}\n` +
    `cputime_ms ${t.cpuMs}\nthreads ${threads}\nresident_pages ${residentPages}\n`
  );
}
