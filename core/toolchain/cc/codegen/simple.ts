// Simple operands (-O1+): constants and plain variables are loaded straight into the registers
// where they are needed, without going through the primary registers and the value stack.

import type { Expr } from '../ast';
import { sizeOf } from '../types';
import { vclass } from './abi';
import type { FuncGen } from './func';

/** Whether `e` can be loaded by loadSimple (no side effects, no calls, no primary registers). */
export function isSimple(g: FuncGen, e: Expr): boolean {
  const c = vclass(e.type);
  if (c === 'm' || c === 'v' || e.type.kind === 'array') return false;
  if (e.k === 'int') return true;
  if (e.k === 'float') return true;
  if (e.k === 'var') return !e.sym.isFunction && (g.regs.has(e.sym) || !e.sym.asmReg);
  return false;
}

/** Loads a simple operand into r1 (r2: high word of a 64-bit value); false if not simple. */
export function loadSimple(g: FuncGen, e: Expr, r1: string, r2: string): boolean {
  if (!isSimple(g, e)) return false;
  const c = vclass(e.type);
  if (e.k === 'int') {
    g.emit(`li ${r1}, ${Number(BigInt.asIntN(32, e.value))}`);
    if (c === 'l') g.emit(`li ${r2}, ${Number(BigInt.asIntN(32, e.value >> 32n))}`);
    return true;
  }
  if (e.k === 'float') {
    if (c !== 'f' && c !== 'd') return false;
    const l = g.unit.fconst(e.value, c === 'f' ? 4 : 8);
    g.emit(`lui t6, %hi(${l})`, `${c === 'f' ? 'flw' : 'fld'} ${r1}, %lo(${l})(t6)`);
    return true;
  }
  if (e.k !== 'var') return false;
  const reg = g.regs.get(e.sym);
  if (reg) {
    g.emit(c === 'f' ? `fmv.s ${r1}, ${reg}` : c === 'd' ? `fmv.d ${r1}, ${reg}` : `mv ${r1}, ${reg}`);
    return true;
  }
  let base = 's0';
  let off = 0;
  if (e.sym.isLocal && e.sym.storage !== 'static') off = g.slot(e.sym);
  else if (g.globAddr.has(e.sym)) base = g.globAddr.get(e.sym) as string;
  else {
    g.emit(`lui t6, %hi(${e.sym.linkName})`, `addi t6, t6, %lo(${e.sym.linkName})`);
    base = 't6';
  }
  if (c === 'f') g.mem('flw', r1, off, base);
  else if (c === 'd') g.mem('fld', r1, off, base);
  else if (c === 'l') {
    g.mem('lw', r1, off, base);
    g.mem('lw', r2, off + 4, base);
  } else {
    const size = sizeOf(e.type);
    const u = e.type.kind === 'ptr' || ['bool', 'char', 'uchar', 'ushort'].includes(e.type.kind);
    g.mem(size === 1 ? (u ? 'lbu' : 'lb') : size === 2 ? (u ? 'lhu' : 'lh') : 'lw', r1, off, base);
  }
  return true;
}
