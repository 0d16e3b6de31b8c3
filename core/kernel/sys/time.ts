// time_millis, nanosleep and clock_gettime on the virtual clock.

import { CLOCK_MONOTONIC, CLOCK_REALTIME, SYS } from '../abi';
import { EFAULT, EINVAL } from '../errno';
import type { Handler } from './types';
import { u32 } from './types';

export const timeHandlers: [number, Handler][] = [
  [SYS.time_millis, (k) => k.clock.nowMs],
  [
    SYS.nanosleep,
    (k, th, a) => {
      const mm = th.task.mm!;
      const req = mm.copyIn(u32(a[0]!), 8);
      if (typeof req === 'number') return req;
      const dv = new DataView(req.buffer);
      const sec = dv.getInt32(0, true);
      const nsec = dv.getInt32(4, true);
      if (sec < 0 || nsec < 0 || nsec > 999_999_999) return -EINVAL;
      if (a[1] !== 0 && mm.checkRange(u32(a[1]!), 8, true) < 0) return -EFAULT;
      // Round up so a sleep never ends early. The remainder is 0 unless a caught signal cuts the
      // sleep short (boot/signal.ts then writes what is left and the call returns -EINTR).
      if (a[1] !== 0) mm.copyOut(u32(a[1]!), new Uint8Array(8));
      const ms = sec * 1000 + Math.ceil(nsec / 1_000_000);
      th.sleepEndMs = k.clock.nowMs + ms;
      th.sleepRemVa = u32(a[1]!);
      return { sleepUntil: th.sleepEndMs };
    },
  ],
  [
    SYS.clock_gettime,
    (k, th, a) => {
      if (a[0] !== CLOCK_REALTIME && a[0] !== CLOCK_MONOTONIC) return -EINVAL;
      const ms = k.clock.nowMs;
      const out = new Uint8Array(16);
      const dv = new DataView(out.buffer);
      dv.setUint32(0, Math.floor(ms / 1000), true);
      dv.setUint32(8, (ms % 1000) * 1_000_000, true);
      return th.task.mm!.copyOut(u32(a[1]!), out);
    },
  ],
];
