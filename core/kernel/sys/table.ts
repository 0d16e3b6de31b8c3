// The syscall table: number → handler. Unknown numbers are -ENOSYS.

import { fipcHandlers } from './fipc';
import { fsHandlers } from './fs';
import { memHandlers } from './mem';
import { miscHandlers } from './misc';
import { procHandlers } from './proc';
import { signalHandlers } from './signal';
import { timeHandlers } from './time';
import type { Handler } from './types';

export function syscallTable(): Map<number, Handler> {
  const t = new Map<number, Handler>();
  for (const [nr, h] of [
    ...procHandlers,
    ...signalHandlers,
    ...memHandlers,
    ...timeHandlers,
    ...fsHandlers,
    ...fipcHandlers,
    ...miscHandlers,
  ]) {
    if (t.has(nr)) throw new Error(`syscall ${nr} registered twice`);
    t.set(nr, h);
  }
  return t;
}
