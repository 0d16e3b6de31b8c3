// Calls per the psABI (ilp32d): arguments are evaluated and pushed left to right, then moved to
// a0-a7 / fa0-fa7 / the outgoing stack area as abi.ts lays them out; aggregates larger than
// 2×XLEN go by reference to a copy; aggregate results come back in registers or via sret.

import type { Expr } from '../ast';
import { alignOf, isRecord, isUnsigned, sizeOf, type Type } from '../types';
import { classifyReturn, layoutCall, vclass, type CallLayout, type Part } from './abi';
import { genBuiltin } from './builtins';
import type { FuncGen } from './func';
import { fpEvalInto, pureF } from './fpexpr';
import { evalInto, need } from './regexpr';
import { loadPartial } from './stmt';
import { dropEntries, readEntry, type Entry } from './vstack';

function intLoad(t: Type | undefined, bytes: number): string {
  const u = !t || isUnsigned(t) || t.kind === 'ptr';
  return bytes === 1 ? (u ? 'lbu' : 'lb') : bytes === 2 ? (u ? 'lhu' : 'lh') : 'lw';
}

/**
 * -O1+: when every argument is a pure scalar going to one register, evaluate each straight into
 * its argument register (no value stack), the registers already filled kept out of the pools.
 */
function directArgs(g: FuncGen, e: Expr & { k: 'call' }, lay: CallLayout, target: string): boolean {
  if (g.opt === 0 || lay.stackBytes > 0) return false;
  const dests: string[] = [];
  for (const [i, a] of e.args.entries()) {
    const parts = (lay.args[i] as { parts: Part[] }).parts;
    const d = parts[0]?.dest;
    const c = vclass(a.type);
    if (parts.length !== 1 || !d) return false;
    if (c === 'i' && 'x' in d && need(g, a) <= 6) dests.push(`a${d.x}`);
    else if ((c === 'f' || c === 'd') && 'f' in d && pureF(g, a)) dests.push(`fa${d.f}`);
    else return false;
  }
  // FP arguments first: their integer sub-expressions may use any integer temporary.
  e.args.forEach((a, i) => {
    const rd = dests[i] as string;
    if (rd.startsWith('f')) fpEvalInto(g, a, rd, dests);
  });
  e.args.forEach((a, i) => {
    const rd = dests[i] as string;
    if (!rd.startsWith('f')) evalInto(g, a, rd, dests);
  });
  const pad = (16 - (g.depth % 16)) % 16;
  if (pad) g.emit(`addi sp, sp, -${pad}`);
  const ret = e.funcType.ret;
  const retParts = classifyReturn(ret);
  const retTmp = isRecord(ret) ? g.temp(sizeOf(ret), alignOf(ret)) : 0;
  if (retParts === null) g.addi('a0', 's0', retTmp);
  g.emit(`call ${target}`);
  if (pad) g.emit(`addi sp, sp, ${pad}`);
  if (isRecord(ret)) storeResult(g, retParts, retTmp);
  return true;
}

function storeResult(g: FuncGen, retParts: Part[] | null, retTmp: number): void {
  for (const p of retParts ?? []) {
    const d = p.dest;
    const off = retTmp + p.off;
    if ('f' in d) g.mem(p.kind === 's' ? 'fsw' : 'fsd', `fa${d.f}`, off, 's0');
    else if ('x' in d) g.mem(p.bytes === 1 ? 'sb' : p.bytes === 2 ? 'sh' : 'sw', `a${d.x}`, off, 's0');
  }
  g.addi('a0', 's0', retTmp);
}

export function genCall(g: FuncGen, e: Expr & { k: 'call' }): void {
  const c = e.callee;
  const direct = c.k === 'addr' && c.expr.k === 'var' && c.expr.sym.isFunction ? c.expr.sym : null;
  if (direct?.builtin && genBuiltin(g, e, direct.name)) return;
  const ft = e.funcType;
  const nNamed = ft.noProto ? e.args.length : ft.params.length;
  const lay = layoutCall(
    ft.ret,
    e.args.map((a) => a.type),
    nNamed,
  );
  if (
    direct &&
    directArgs(g, e, lay, direct.builtin ? direct.name.replace(/^__builtin_/, '') : direct.linkName)
  )
    return;
  if (!direct) {
    g.expr(c);
    g.push('i');
  }
  e.args.forEach((a, i) => {
    g.expr(a);
    const ac = lay.args[i] as { byRef: boolean; parts: Part[] };
    if (isRecord(a.type) && ac.byRef) {
      const tmp = g.temp(sizeOf(a.type), alignOf(a.type));
      g.addi('t1', 's0', tmp);
      g.copy('t1', 'a0', sizeOf(a.type), alignOf(a.type));
      g.emit('mv a0, t1');
    }
    const c = vclass(a.type);
    // A floating-point value going (partly) to integer registers or the stack is read back
    // word by word: keep it in memory.
    const split = (c === 'f' || c === 'd') && ac.parts.some((p) => !('f' in p.dest));
    g.push(c === 'v' ? 'i' : c, split);
  });
  const n = e.args.length;
  const entries = g.vstack.slice(g.vstack.length - n - (direct ? 0 : 1));
  const pad = (16 - ((g.depth + lay.stackBytes) % 16)) % 16;
  const base = lay.stackBytes + pad;
  if (base) g.emit(`addi sp, sp, -${base}`);
  e.args.forEach((a, i) => {
    const entry = entries[i + (direct ? 0 : 1)] as Entry;
    const ac = lay.args[i] as { byRef: boolean; parts: Part[] };
    const memOff = g.depth - entry.depthAfter + base;
    let src = 'sp';
    let off0 = memOff;
    if (isRecord(a.type) && !ac.byRef) {
      readEntry(g, entry, 't0', '', base);
      src = 't0';
      off0 = 0;
    }
    const inReg = entry.regs !== null && src === 'sp';
    const partial = isRecord(a.type) && !ac.byRef && alignOf(a.type) < 4;
    for (const p of ac.parts) {
      const d = p.dest;
      const off = off0 + p.off;
      // A value held in a register: its words are regs[0] (and regs[1] for 64-bit integers).
      const word = inReg ? (entry.regs as string[])[p.off / 4] : undefined;
      if ('f' in d) {
        if (word) g.emit(`fmv.${p.kind === 's' ? 's' : 'd'} fa${d.f}, ${word}`);
        else g.mem(p.kind === 's' ? 'flw' : 'fld', `fa${d.f}`, off, src);
      } else if ('x' in d) {
        if (word) g.emit(`mv a${d.x}, ${word}`);
        else if (partial && sizeOf(a.type) - p.off < 4)
          loadPartial(g, `a${d.x}`, p.off, sizeOf(a.type) - p.off);
        else g.mem(intLoad(p.ftype, p.bytes), `a${d.x}`, off, src);
      } else if (word) g.mem('sw', word, d.stack, 'sp');
      else {
        if (partial && sizeOf(a.type) - p.off < 4) loadPartial(g, 't1', p.off, sizeOf(a.type) - p.off);
        else g.mem('lw', 't1', off, src);
        g.mem('sw', 't1', d.stack, 'sp');
      }
    }
  });
  if (!direct) readEntry(g, entries[0] as Entry, 't2', '', base);
  const ret = ft.ret;
  const retParts = classifyReturn(ret);
  const retTmp = isRecord(ret) ? g.temp(sizeOf(ret), alignOf(ret)) : 0;
  if (retParts === null) g.addi('a0', 's0', retTmp);
  const target = direct?.builtin ? direct.name.replace(/^__builtin_/, '') : direct?.linkName;
  g.emit(direct ? `call ${target}` : 'jalr t2');
  const drop = base + dropEntries(g, n + (direct ? 0 : 1));
  if (drop) g.addi('sp', 'sp', drop);
  if (isRecord(ret)) storeResult(g, retParts, retTmp);
}
