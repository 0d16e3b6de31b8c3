// Per-task signal state (docs/signals.md): a handler, flags and mask per standard signal (1–31),
// the pending and blocked sets as bit masks (bit n = signal n), and each pending signal's sender.
// Signals 32–64 exist only for kill(): their action is always the default (terminate).

import { SIGCHLD, SIGKILL } from '../abi';

export const SIG_DFL = 0;
export const SIG_IGN = 1;
/** Standard signals 1…31 have actions; kill() accepts 0…64. */
export const NSIG_STD = 32;
export const SIG_MAX = 64;
export const SIGSTOP = 19;
export const SIGCONT = 18;
export const SIGURG = 23;
export const SIGWINCH = 28;

export const SA_SIGINFO = 0x4;
export const SA_RESTART = 0x1000_0000;
export const SA_NODEFER = 0x4000_0000;
export const SA_RESETHAND = 0x8000_0000;
export const SA_KNOWN = SA_SIGINFO | SA_RESTART | SA_NODEFER | SA_RESETHAND;

/** Signals that can be neither caught, ignored nor blocked. */
export const UNCATCHABLE = (1 << SIGKILL) | (1 << SIGSTOP);

/** True when the default action of `sig` is to do nothing (SIGCHLD, SIGCONT, SIGURG, SIGWINCH). */
export function ignoredByDefault(sig: number): boolean {
  return sig === SIGCHLD || sig === SIGCONT || sig === SIGURG || sig === SIGWINCH;
}

export class SignalState {
  // One backing store for the four tables (every fork makes a SignalState; separate typed arrays
  // would be four off-heap allocations).
  private readonly buf = new ArrayBuffer(4 * NSIG_STD * 4);
  /** sa_handler per signal: SIG_DFL, SIG_IGN or a user address. */
  readonly handler = new Uint32Array(this.buf, 0, NSIG_STD);
  readonly flags = new Uint32Array(this.buf, NSIG_STD * 4, NSIG_STD);
  /** sa_mask (signals 1–31) added to the blocked set while the handler runs. */
  readonly mask = new Uint32Array(this.buf, 2 * NSIG_STD * 4, NSIG_STD);
  /** Pid that sent each pending signal (0 = the kernel), for siginfo. */
  readonly sender = new Int32Array(this.buf, 3 * NSIG_STD * 4, NSIG_STD);
  pending = 0;
  blocked = 0;

  /** Pending signals that may be delivered now. */
  get deliverable(): number {
    return this.pending & ~this.blocked;
  }

  /** fork: actions and the blocked set are inherited, pending signals are not. */
  fork(): SignalState {
    const s = new SignalState();
    s.handler.set(this.handler);
    s.flags.set(this.flags);
    s.mask.set(this.mask);
    s.blocked = this.blocked;
    return s;
  }

  /** execve: caught signals go back to the default (the handlers are gone); ignored ones stay ignored. */
  exec(): void {
    for (let s = 1; s < NSIG_STD; s++) {
      if (this.handler[s] !== SIG_IGN) {
        this.handler[s] = SIG_DFL;
        this.flags[s] = 0;
        this.mask[s] = 0;
      }
    }
  }
}
