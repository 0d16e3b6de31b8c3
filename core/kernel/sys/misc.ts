// Miscellaneous calls: the diagnostic echo (ABI.md: out = in with each byte XOR 0x20, at most 4096).

import { SYS } from '../abi';
import { EFAULT } from '../errno';
import type { Handler } from './types';
import { u32 } from './types';

export const miscHandlers: [number, Handler][] = [
  [
    SYS.echo,
    (_k, th, a) => {
      const mm = th.task.mm!;
      const n = Math.min(u32(a[2]!), 4096);
      if (a[0] === 0 || a[1] === 0) return -EFAULT;
      const data = mm.copyIn(u32(a[0]!), n);
      if (typeof data === 'number') return data;
      for (let i = 0; i < n; i++) data[i] = data[i]! ^ 0x20;
      const r = mm.copyOut(u32(a[1]!), data);
      return r < 0 ? r : n;
    },
  ],
];
