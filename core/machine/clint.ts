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
  /** 64-bit compare value as two exact halves (reset: all ones, "never"). */
  private cmpLo = 0xffff_ffff;
  private cmpHi = 0xffff_ffff;
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

  /** mtimecmp as a number (inexact above 2^53, which only matters for "never"). */
  get mtimecmp(): number {
    return this.cmpHi * TWO32 + this.cmpLo;
  }

  setTimecmp(v: number): void {
    const n = Math.max(0, Math.floor(v));
    this.cmpLo = (n % TWO32) >>> 0;
    this.cmpHi = Math.min(Math.floor(n / TWO32), 0xffff_ffff) >>> 0;
    this.onChange();
  }

  get timerPending(): boolean {
    return this.mtime >= this.mtimecmp;
  }

  /** The retired-instruction count at which mtime reaches mtimecmp (Infinity if never). */
  timerDeadline(): number {
    if (this.cmpHi >= 0x20_0000) return Infinity;
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
    if (off === MTIMECMP) return this.cmpLo;
    if (off === MTIMECMP + 4) return this.cmpHi;
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
    } else if (aligned === MTIMECMP) {
      this.cmpLo = v;
      this.onChange();
    } else if (aligned === MTIMECMP + 4) {
      this.cmpHi = v;
      this.onChange();
    } else if (aligned === MTIME || aligned === MTIME + 4) {
      this.mtime = withHalf(this.mtime, aligned !== MTIME, v);
    }
  }
}

function half(v: number, high: boolean): number {
  return high ? Math.floor(v / TWO32) >>> 0 : (v % TWO32) >>> 0;
}

function withHalf(old: number, high: boolean, v: number): number {
  return high ? v * TWO32 + (old % TWO32) : Math.floor(old / TWO32) * TWO32 + v;
}
