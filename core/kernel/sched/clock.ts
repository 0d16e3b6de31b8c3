// The virtual clock: time advances with retired instructions (instructionsPerMs of them make one
// millisecond), so a run with the same image and input is identical every time.

import { TICK_MS } from '../abi';

export class VirtualClock {
  readonly instructionsPerMs: number;
  private ms = 0;
  private carry = 0;

  constructor(instructionsPerMs = 10_000) {
    if (!(instructionsPerMs >= 1)) throw new Error('clock: instructionsPerMs must be ≥ 1');
    this.instructionsPerMs = Math.floor(instructionsPerMs);
  }

  /** Milliseconds since boot (an integer). */
  get nowMs(): number {
    return this.ms;
  }

  /** 100 Hz ticks since boot. */
  get ticks(): number {
    return Math.floor(this.ms / TICK_MS);
  }

  /** Accounts retired instructions; returns the whole milliseconds that elapsed. */
  retire(instructions: number): number {
    this.carry += instructions;
    const whole = Math.floor(this.carry / this.instructionsPerMs);
    this.carry -= whole * this.instructionsPerMs;
    this.ms += whole;
    return whole;
  }

  /** Instructions left before the clock reaches `ms` (0 if already there): the next slice budget. */
  instructionsUntil(ms: number): number {
    if (ms <= this.ms) return 0;
    return (ms - this.ms) * this.instructionsPerMs - this.carry;
  }

  /** Jumps forward when every task sleeps (an idle machine costs nothing). Never goes back. */
  jumpTo(ms: number): void {
    if (ms > this.ms) {
      this.ms = Math.ceil(ms);
      this.carry = 0;
    }
  }
}
