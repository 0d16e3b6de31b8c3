// Character-device drivers that need nothing from the machine: /dev/null and /dev/zero.
// (The console TTY and the framebuffer drivers live with their devices.)

import type { CharDriver } from './vnode';

export const nullDriver: CharDriver = {
  name: 'null',
  read: () => new Uint8Array(0),
  write: (_f, data) => data.length,
};

export const zeroDriver: CharDriver = {
  name: 'zero',
  read: (_f, len) => new Uint8Array(Math.min(len, 1 << 20)),
  write: (_f, data) => data.length,
};

/** Linux device numbers (major << 8 | minor) for the standard nodes. */
export const DEV_NULL = (1 << 8) | 3;
export const DEV_ZERO = (1 << 8) | 5;
export const DEV_CONSOLE = (5 << 8) | 1;
export const DEV_FB0 = (29 << 8) | 0;
