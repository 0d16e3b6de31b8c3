// FIPC syscalls 600–607 over the kernel's Fipc core.

import { FIPC_MAX_PAYLOAD, FIPC_RECV_MAX, PAGE_SIZE, SYS } from '../abi';
import { EINVAL, ESRCH } from '../errno';
import { isBlocked } from '../sched/waitq';
import { SERVICE_NAME_MAX } from '../ipc/fipc';
import type { Handler } from './types';
import { u32 } from './types';

/** True when [va, va+len) is non-empty and within one page (one translation covers it). */
function onePage(va: number, len: number): boolean {
  return len > 0 && (va % PAGE_SIZE) + len <= PAGE_SIZE;
}

export const fipcHandlers: [number, Handler][] = [
  [SYS.fipc_create, (k, th, a) => k.fipc.create(th.task.pid, a[0]!, u32(a[1]!))],
  [
    SYS.fipc_send,
    (k, th, a) => {
      const len = u32(a[3]!);
      if (len > FIPC_MAX_PAYLOAD) return -EINVAL;
      const mm = th.task.mm!;
      const va = u32(a[2]!);
      if (onePage(va, len)) {
        // The ring copies the payload straight from guest RAM (no copy-in buffer per message).
        const off = mm.userOffset(va, 'read');
        if (off < 0) return off;
        return k.fipc.sendFrom(th.task.pid, a[0]!, u32(a[1]!), mm.pool.mem.u8, off, len);
      }
      const data = mm.copyIn(va, len);
      if (typeof data === 'number') return data;
      return k.fipc.send(th.task.pid, a[0]!, u32(a[1]!), data);
    },
  ],
  [
    SYS.fipc_recv,
    (k, th, a) => {
      const mm = th.task.mm!;
      const len = u32(a[2]!);
      const va = u32(a[1]!);
      const span = Math.min(len, FIPC_RECV_MAX);
      if (onePage(va, span)) {
        // The whole buffer is one page (checked writable as checkRange would): the message goes
        // from the ring straight into it.
        const off = mm.userOffset(va, 'write');
        if (off < 0) return off;
        const mem = mm.pool.mem;
        const n = k.fipc.recvInto(th.task.pid, a[0]!, len, mem.u8, off);
        if (typeof n === 'number' && n > 0) mm.onKernelWrite?.(mem.base + off, n);
        return n;
      }
      const chk = mm.checkRange(va, span, true);
      if (chk < 0) return chk;
      const r = k.fipc.recv(th.task.pid, a[0]!, len);
      if (typeof r === 'number' || isBlocked(r)) return r;
      const w = mm.copyOut(va, r);
      return w < 0 ? w : r.length;
    },
  ],
  [SYS.fipc_close, (k, th, a) => k.fipc.close(th.task.pid, a[0]!)],
  [SYS.fipc_poll, (k, th, a) => k.fipc.poll(th.task.pid, a[0]!, a[1]!)],
  [
    SYS.fipc_connect,
    (k, th, a) => {
      const name = th.task.mm!.readString(u32(a[0]!), SERVICE_NAME_MAX);
      return typeof name === 'number' ? name : k.fipc.connect(th.task.pid, name);
    },
  ],
  [
    SYS.fipc_register,
    (k, th, a) => {
      const name = th.task.mm!.readString(u32(a[0]!), SERVICE_NAME_MAX);
      return typeof name === 'number' ? name : k.fipc.register(th.task.pid, name, a[1]!);
    },
  ],
  [
    SYS.fipc_grant,
    (k, th, a) => {
      const target = k.tasks.get(a[1]!);
      if (!target || target.state === 'zombie') return -ESRCH;
      return k.fipc.grant(th.task.pid, a[0]!, target.pid, a[2]!);
    },
  ],
];
