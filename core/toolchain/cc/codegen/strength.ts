// -O1+ strength reduction of 32-bit multiplication, division and remainder by constants:
//  - x * 2^k → slli; x * (2^k ± 1) → shift and add/sub; x * -1 → neg; x * 0 → 0
//  - unsigned x / 2^k → srli; unsigned x % 2^k → andi (or a shift pair for wide masks)
//  - signed x / ±2^k → arithmetic shift after adding 2^k - 1 to negative dividends (C rounds
//    toward zero, a plain shift rounds down); signed x % 2^k → ((x + bias) & (2^k - 1)) - bias
// t6 (the address scratch register) holds the intermediate value.

import { fits12, type FuncGen } from './func';

const log2 = (v: number): number => (v > 0 && (v & (v - 1)) === 0 ? Math.log2(v) : -1);

/** Emits r = src op v when a cheaper sequence than mul/div/rem exists; false otherwise. */
export function reduceStrength(
  g: FuncGen,
  op: string,
  unsigned: boolean,
  v: number,
  r: string,
  src: string,
): boolean {
  const mv = (): void => {
    if (r !== src) g.emit(`mv ${r}, ${src}`);
  };
  const done = (...lines: string[]): true => {
    if (lines.length) g.emit(...lines);
    else mv();
    return true;
  };
  if (op === '*') {
    if (v === 0) return done(`li ${r}, 0`);
    if (v === 1) return done();
    if (v === -1) return done(`neg ${r}, ${src}`);
    const k = log2(v);
    if (k > 0) return done(`slli ${r}, ${src}, ${k}`);
    const nk = v === -0x80000000 ? 31 : log2(-v);
    if (nk > 0) return done(`slli ${r}, ${src}, ${nk}`, `neg ${r}, ${r}`);
    // A constant already in a register (hoisted out of a loop) makes mul one instruction.
    if (g.constRegs.has(v)) return false;
    const up = log2(v - 1);
    if (up > 0) return done(`slli t6, ${src}, ${up}`, `add ${r}, t6, ${src}`);
    const down = log2(v + 1);
    if (down > 1) return done(`slli t6, ${src}, ${down}`, `sub ${r}, t6, ${src}`);
    return false;
  }
  if (op !== '/' && op !== '%') return false;
  if (unsigned) {
    const k = log2(v >>> 0);
    if (k < 0) return false;
    if (op === '/') {
      if (k === 0) mv();
      else g.emit(`srli ${r}, ${src}, ${k}`);
    } else if (k === 0) g.emit(`li ${r}, 0`);
    else if (fits12((2 ** k - 1) | 0)) g.emit(`andi ${r}, ${src}, ${2 ** k - 1}`);
    else g.emit(`slli ${r}, ${src}, ${32 - k}`, `srli ${r}, ${r}, ${32 - k}`);
    return true;
  }
  if (v === -0x80000000) return false;
  const k = log2(Math.abs(v));
  if (k < 0) return false;
  if (k === 0) {
    if (op === '%') g.emit(`li ${r}, 0`);
    else if (v === 1) mv();
    else g.emit(`neg ${r}, ${src}`);
    return true;
  }
  // t6 = 2^k - 1 when src < 0, else 0.
  if (k === 1) g.emit(`srli t6, ${src}, 31`);
  else g.emit(`srai t6, ${src}, 31`, `srli t6, t6, ${32 - k}`);
  if (op === '/') {
    g.emit(`add ${r}, ${src}, t6`, `srai ${r}, ${r}, ${k}`);
    if (v < 0) g.emit(`neg ${r}, ${r}`);
    return true;
  }
  g.emit(`add ${r}, ${src}, t6`);
  if (fits12(2 ** k - 1)) g.emit(`andi ${r}, ${r}, ${2 ** k - 1}`);
  else g.emit(`slli ${r}, ${r}, ${32 - k}`, `srli ${r}, ${r}, ${32 - k}`);
  g.emit(`sub ${r}, ${r}, t6`);
  return true;
}
