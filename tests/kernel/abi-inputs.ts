// Console input and host-side set-up for the ABI transcript programs that need them.
import type { Kernel } from '../../core/kernel/boot/kernel';

/** Console input, one entry each time every task is blocked (a function may act on the kernel first). */
export const INPUTS: Record<string, (string | ((k: Kernel) => string))[]> = {
  fipc: [
    (k) => {
      const r = k.fipc.setQuota(1, 3, 1, 2, 0); // pid 1 may send 2 more messages on channel 3
      if (r !== 0) throw new Error(`setQuota: ${r}`);
      return 'quota set\n';
    },
  ],
};

/** Runs after the program is loaded, before it starts. */
export const PREPARE: Record<string, ((k: Kernel) => void) | undefined> = {};
