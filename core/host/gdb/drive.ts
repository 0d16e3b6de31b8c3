// The GDB target's run loop on a plain host (the CLI, tests): slices of the kernel with a turn of
// the event loop between them, so the debugger's ^C and console input are seen while the guest
// runs; when every task waits, it polls gently instead of spinning.
import type { Driver } from './kernel-target';

/** Kernel instructions per slice between checks for an interrupt. */
const CHUNK = 1_000_000;

const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const idlePause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

export interface LoopDriverOptions {
  /** Called before each slice (feeding console input). */
  beforeSlice?: () => void;
}

export function loopDriver(opts: LoopDriverOptions = {}): Driver {
  return async (slice, ctl) => {
    for (;;) {
      opts.beforeSlice?.();
      const r = slice(CHUNK);
      if (r.stop) return r.stop;
      if (r.outcome === 'idle') await idlePause();
      else await yieldToHost();
      if (ctl.interrupted()) return { kind: 'interrupt' };
    }
  };
}
