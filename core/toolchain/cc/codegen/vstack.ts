// The value stack: intermediate values an expression keeps while it computes another operand.
// At -O0 every entry is an 8-byte slot pushed on the machine stack. At -O1+ an entry lives in a
// free callee-saved register instead (s-registers for integers and addresses, fs-registers for
// floating point), taken and given back in stack order; calls preserve those registers, so no
// entry ever needs saving around a call. Only when they run out does an entry go to memory.
// Functions with inline assembly keep the memory scheme (operands may be bound to s-registers).

import type { Stmt } from '../ast';
import type { VClass } from './abi';
import type { FuncGen } from './func';

export interface Entry {
  c: VClass;
  /** The registers holding the value ([lo, hi] for 64-bit integers), or null when in memory. */
  regs: string[] | null;
  /** FuncGen.depth right after the push (locates a memory entry relative to sp). */
  depthAfter: number;
}

function memPush(g: FuncGen, c: VClass): void {
  g.depth += 8;
  g.emit('addi sp, sp, -8');
  if (c === 'f') g.emit('fsw fa0, 0(sp)');
  else if (c === 'd') g.emit('fsd fa0, 0(sp)');
  else {
    g.emit('sw a0, 0(sp)');
    if (c === 'l') g.emit('sw a1, 4(sp)');
  }
}

function takeRegs(g: FuncGen, c: VClass): string[] | null {
  if (!g.vregs) return null;
  if (c === 'f' || c === 'd') {
    const r = g.sregs.take(true);
    return r ? [r] : null;
  }
  const lo = g.sregs.take();
  if (!lo) return null;
  if (c !== 'l') return [lo];
  const hi = g.sregs.take();
  if (hi) return [lo, hi];
  g.sregs.give(lo);
  return null;
}

/** Pushes the primary value of class `c`; `memory` forces a stack slot. */
export function pushValue(g: FuncGen, c: VClass, memory = false): void {
  if (c === 'v') return;
  const regs = memory ? null : takeRegs(g, c);
  if (!regs) memPush(g, c);
  else if (c === 'f') g.emit(`fmv.s ${regs[0]}, fa0`);
  else if (c === 'd') g.emit(`fmv.d ${regs[0]}, fa0`);
  else {
    g.emit(`mv ${regs[0]}, a0`);
    if (c === 'l') g.emit(`mv ${regs[1]}, a1`);
  }
  g.vstack.push({ c, regs, depthAfter: g.depth });
}

/** Copies entry `e` into `r` (and `hi`); `extra` bytes were allocated below the value stack. */
export function readEntry(g: FuncGen, e: Entry, r: string, hi = '', extra = 0): void {
  const { c, regs } = e;
  if (regs) {
    const mv = c === 'f' ? 'fmv.s' : c === 'd' ? 'fmv.d' : 'mv';
    if (r !== regs[0]) g.emit(`${mv} ${r}, ${regs[0]}`);
    if (c === 'l' && hi !== regs[1]) g.emit(`mv ${hi}, ${regs[1]}`);
    return;
  }
  const off = g.depth - e.depthAfter + extra;
  if (c === 'f') g.mem('flw', r, off, 'sp');
  else if (c === 'd') g.mem('fld', r, off, 'sp');
  else {
    g.mem('lw', r, off, 'sp');
    if (c === 'l') g.mem('lw', hi, off + 4, 'sp');
  }
}

/** Pops the top entry (of class `c`) into `r` (and `hi` for 64-bit integers). */
export function popValue(g: FuncGen, c: VClass, r: string, hi = ''): void {
  if (c === 'v') return;
  const e = g.vstack.pop();
  if (!e || e.c !== c) throw new Error('value stack out of balance');
  readEntry(g, e, r, hi);
  if (e.regs) for (const x of e.regs) g.sregs.give(x);
  else {
    g.emit('addi sp, sp, 8');
    g.depth -= 8;
  }
}

/** Drops the top `n` entries after their values were used in place (memory bytes released). */
export function dropEntries(g: FuncGen, n: number): number {
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const e = g.vstack.pop() as Entry;
    if (e.regs) for (const x of e.regs) g.sregs.give(x);
    else bytes += 8;
  }
  g.depth -= bytes;
  return bytes;
}

/** Whether a statement tree contains inline assembly. */
export function hasAsm(s: Stmt | null): boolean {
  if (!s) return false;
  switch (s.k) {
    case 'asm':
      return true;
    case 'block':
      return s.items.some(hasAsm);
    case 'if':
      return hasAsm(s.then) || hasAsm(s.else);
    case 'for':
      return hasAsm(s.init) || hasAsm(s.body);
    case 'while':
    case 'dowhile':
    case 'switch':
    case 'case':
    case 'label':
      return hasAsm(s.body);
    default:
      return false;
  }
}
