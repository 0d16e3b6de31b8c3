// A sliding anti-replay window over 64-bit record counters (as in IPsec/WireGuard): a counter is
// accepted once, and only while it is within `size` of the highest counter seen.

export type ReplayVerdict = 'ok' | 'replay' | 'too-old';

export class ReplayWindow {
  private highest = -1;
  private readonly slots: Float64Array;

  constructor(readonly size = 1024) {
    this.slots = new Float64Array(size).fill(-1);
  }

  /** Checks a counter without recording it. */
  check(counter: number): ReplayVerdict {
    if (counter <= this.highest - this.size) return 'too-old';
    return this.slots[counter % this.size] === counter ? 'replay' : 'ok';
  }

  /** Records a counter that was authenticated. */
  accept(counter: number): void {
    this.slots[counter % this.size] = counter;
    if (counter > this.highest) this.highest = counter;
  }
}
