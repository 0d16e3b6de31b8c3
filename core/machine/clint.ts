// CLINT (core-local interruptor) at 0x0200_0000: msip +0, mtimecmp +0x4000, mtime +0xBFF8 (both
// 64-bit). mtime is virtual: it advances by one tick every `instructionsPerTick` retired
// instructions, so runs are reproducible. A store that changes timer state calls `onChange` so the
// hart re-evaluates its interrupt deadline.
import type { MmioDevice } from './memory';

export const CLINT_BASE = 0x0200_0000;
export const CLINT_SIZE = 0x1_0000;
const MSIP = 0x0;
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;
const TWO32 = 0x1_0000_0000;

export class Clint implements MmioDevice {
  readonly name = 'clint';
  readonly base = CLINT_BASE;
  readonly size = CLINT_SIZE;
  /** Retired instructions per mtime tick (≥ 1). */
  readonly instructionsPerTick: number;
  /** Software interrupt pending (msip bit 0). */
  msip = 0;
  /** 64-bit compare value, kept as a JS number (exact up to 2^53). */
  mtimecmp = Number.MAX_SAFE_INTEGER;
  /** mtime = offset + floor(retired / instructionsPerTick). */
  private offset = 0;
  /** The retired-instruction clock the timer follows (the hart installs it). */
  clock: () => number = () => 0;
  /** Called after a guest or host change to msip/mtimecmp/mtime. */
  onChange: () => void = () => {};

  constructor(instructionsPerTick = 100) {
    if (!(instructionsPerTick >= 1)) throw new RangeError('instructionsPerTick must be ≥ 1');
    this.instructionsPerTick = Math.floor(instructionsPerTick);
  }

  get mtime(): number {
    return this.offset + Math.floor(this.clock() / this.instructionsPerTick);
  }
  set mtime(v: number) {
    this.offset = v - Math.floor(this.clock() / this.instructionsPerTick);
    this.onChange();
  }

  /** Moves virtual time forward (used when the hart idles in wfi). */
  advance(ticks: number): void {
    this.offset += ticks;
    this.onChange();
  }

  setTimecmp(v: number): void {
    this.mtimecmp = v;
    this.onChange();
  }

  get timerPending(): boolean {
    return this.mtime >= this.mtimecmp;
  }

  /** The retired-instruction count at which mtime reaches mtimecmp (Infinity if never). */
  timerDeadline(): number {
    if (this.mtimecmp >= Number.MAX_SAFE_INTEGER) return Infinity;
    return (this.mtimecmp - this.offset) * this.instructionsPerTick;
  }

  read(off: number, width: 1 | 2 | 4): number {
    const word = this.readWord(off & ~3);
    if (width === 4) return word >>> 0;
    const shift = (off & 3) * 8;
    return (word >>> shift) & (width === 1 ? 0xff : 0xffff);
  }

  private readWord(off: number): number {
    if (off === MSIP) return this.msip;
    if (off === MTIMECMP || off === MTIMECMP + 4) return half(this.mtimecmp, off !== MTIMECMP);
    if (off === MTIME || off === MTIME + 4) return half(this.mtime, off !== MTIME);
    return 0;
  }

  write(off: number, width: 1 | 2 | 4, value: number): void {
    const aligned = off & ~3;
    let v = value >>> 0;
    if (width !== 4) {
      const shift = (off & 3) * 8;
      const mask = (width === 1 ? 0xff : 0xffff) << shift;
      v = ((this.readWord(aligned) & ~mask) | ((v << shift) & mask)) >>> 0;
    }
    if (aligned === MSIP) {
      this.msip = v & 1;
      this.onChange();
    } else if (aligned === MTIMECMP || aligned === MTIMECMP + 4) {
      this.setTimecmp(withHalf(this.mtimecmp, aligned !== MTIMECMP, v));
    } else if (aligned === MTIME || aligned === MTIME + 4) {
      this.mtime = withHalf(this.mtime, aligned !== MTIME, v);
    }
  }
}

function half(v: number, high: boolean): number {
  const n = Math.min(v, Number.MAX_SAFE_INTEGER);
  // Values at the JS limit read as all-ones so guests see "never".
  if (n >= Number.MAX_SAFE_INTEGER) return 0xffff_ffff;
  return high ? Math.floor(n / TWO32) >>> 0 : (n % TWO32) >>> 0;
}

function withHalf(old: number, high: boolean, v: number): number {
  const o = Math.min(old, Number.MAX_SAFE_INTEGER);
  const hi = o >= Number.MAX_SAFE_INTEGER ? 0xffff_ffff : Math.floor(o / TWO32);
  const lo = o >= Number.MAX_SAFE_INTEGER ? 0xffff_ffff : o % TWO32;
  const n = high ? v * TWO32 + lo : hi * TWO32 + v;
  // Above 2^53 we cannot count; treat as "never fires".
  return n >= Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n;
}
