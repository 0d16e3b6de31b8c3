// -O1+: side-effect-free 32-bit integer/pointer expression trees (no calls, no assignments, no
// branches) are evaluated straight into a chosen register, with sub-expressions in a pool of free
// temporaries instead of the value stack. Register locals are used in place.

import type { Expr, Sym } from '../ast';
import { isUnsigned, sizeOf, type Type } from '../types';
import { vclass } from './abi';
import { binopImm, narrow } from './arith';
import { strLabel } from './data';
import { evalConst } from '../consteval';
import { fits12, type FuncGen } from './func';

const POOL = ['t0', 't1', 't2', 't3', 't4', 't5', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];

const isI = (t: Type): boolean => vclass(t) === 'i';
const local = (s: Sym): boolean => s.isLocal && s.storage !== 'static';

/** Registers needed to evaluate `e` (Sethi-Ullman), or Infinity if it is not a pure integer tree. */
export function need(g: FuncGen, e: Expr): number {
  if (!isI(e.type) && !(e.k === 'var' && (e.type.kind === 'array' || vclass(e.type) === 'm')))
    return Infinity;
  switch (e.k) {
    case 'int':
    case 'str':
      return 1;
    case 'var':
      if (e.sym.isFunction || e.sym.storage === 'enumconst') return Infinity;
      return e.sym.asmReg && !g.regs.has(e.sym) ? Infinity : 1;
    case 'binary':
    case 'compare': {
      if (!isI(e.lhs.type) || !isI(e.rhs.type)) return Infinity;
      return Math.max(need(g, e.lhs), (e.rhs.k === 'int' ? 1 : need(g, e.rhs)) + 1);
    }
    case 'ptrdiff':
      return Math.max(need(g, e.lhs), need(g, e.rhs) + 1);
    case 'cast':
    case 'neg':
    case 'bitnot':
    case 'not':
      if (!isI(e.expr.type) && e.expr.type.kind !== 'array' && e.expr.type.kind !== 'func') return Infinity;
      return need(g, e.expr);
    case 'deref':
      return e.type.volatile ? Infinity : need(g, e.expr);
    case 'member':
      return e.member.bitField || e.type.volatile ? Infinity : addrNeed(g, e.expr);
    case 'addr':
      return addrNeed(g, e.expr);
    default:
      return Infinity;
  }
}

function addrNeed(g: FuncGen, e: Expr): number {
  if (e.k === 'var') return g.regs.has(e.sym) || e.sym.isFunction ? Infinity : 1;
  if (e.k === 'deref') return need(g, e.expr);
  if (e.k === 'member') return addrNeed(g, e.expr);
  if (e.k === 'str') return 1;
  return Infinity;
}

export const pure = (g: FuncGen, e: Expr): boolean => g.opt > 0 && need(g, e) <= 8;

/** Whether `e` reads local `s`. */
export function mentions(e: Expr, s: Sym): boolean {
  if (e.k === 'var') return e.sym === s;
  for (const k of ['lhs', 'rhs', 'expr'] as const) {
    const sub = (e as Partial<Record<typeof k, Expr>>)[k];
    if (sub && mentions(sub, s)) return true;
  }
  return false;
}

/** The register local that `e` reads, seeing through casts that do not change the bits. */
export function regOf(g: FuncGen, e: Expr): string | null {
  let x = e;
  while (
    x.k === 'cast' &&
    isI(x.type) &&
    isI(x.expr.type) &&
    sizeOf(x.type) === 4 &&
    sizeOf(x.expr.type) === 4 &&
    x.type.kind !== 'bool'
  )
    x = x.expr;
  if (x.k === 'cast' && x.expr.k === 'var' && x.expr.type.kind === 'array') x = x.expr;
  // &global (an array's decay included) whose address is hoisted out of the loop.
  if (x.k === 'addr' && x.expr.k === 'var') return g.globAddr.get(x.expr.sym) ?? null;
  if (x.k === 'var') {
    const r = g.regs.get(x.sym);
    if (r) return r;
    // A global array or aggregate's value is its address: hoisted out of the loop (hoist.ts)?
    const agg = x.type.kind === 'array' || vclass(x.type) === 'm';
    return agg ? (g.globAddr.get(x.sym) ?? null) : null;
  }
  if (g.constRegs.size === 0) return null;
  const k = intConst(x);
  return k === null || k === 0 ? null : (g.constRegs.get(k) ?? null);
}

/** The value of a constant integer expression (as a 32-bit number), else null. */
export function intConst(e: Expr): number | null {
  if (e.k === 'int') return Number(BigInt.asIntN(32, e.value));
  if (!isI(e.type) || e.k === 'var') return null;
  const c = evalConst(e);
  return c?.kind === 'int' ? Number(BigInt.asIntN(32, c.value)) : null;
}

class Pool {
  private free: string[];
  constructor(busy: string[]) {
    this.free = POOL.filter((r) => !busy.includes(r));
  }
  take(): string {
    const r = this.free.shift();
    if (!r) throw new Error('register pool exhausted');
    return r;
  }
  give(r: string): void {
    this.free.unshift(r);
  }
}

const LOADS = (t: Type): string => {
  const size = sizeOf(t);
  const u = t.kind === 'ptr' || isUnsigned(t);
  return size === 1 ? (u ? 'lbu' : 'lb') : size === 2 ? (u ? 'lhu' : 'lh') : 'lw';
};

/** A register holding the value of pure `e`: a register local itself, `zero`, or `rd` after evaluating. */
export function operandReg(g: FuncGen, e: Expr, rd: string, busy: string[] = []): string {
  const r = regOf(g, e);
  if (r) return r;
  if (intConst(e) === 0) return 'zero';
  into(g, e, rd, new Pool([rd, ...busy]));
  return rd;
}

/** Evaluates pure `e` into `rd`. */
export function evalInto(g: FuncGen, e: Expr, rd: string, busy: string[] = []): void {
  into(g, e, rd, new Pool([rd, ...busy]));
}

const OPS: Record<string, [string, string]> = {
  '+': ['add', 'add'],
  '-': ['sub', 'sub'],
  '*': ['mul', 'mul'],
  '/': ['div', 'divu'],
  '%': ['rem', 'remu'],
  '&': ['and', 'and'],
  '|': ['or', 'or'],
  '^': ['xor', 'xor'],
  '<<': ['sll', 'sll'],
};

const isU = (t: Type): boolean => isUnsigned(t) || t.kind === 'ptr';

const COMMUTATIVE = new Set(['+', '*', '&', '|', '^']);

function into(g: FuncGen, e: Expr, rd: string, pool: Pool): void {
  if (e.k === 'binary' && COMMUTATIVE.has(e.op) && intConst(e.lhs) !== null && intConst(e.rhs) === null)
    // 3 * x → x * 3: the constant goes where the immediate and strength-reduced forms look.
    e = { ...e, lhs: e.rhs, rhs: e.lhs };
  const sub = (x: Expr): [string, () => void] => {
    const xr = regOf(g, x);
    if (xr) return [xr, () => {}];
    if (intConst(x) === 0) return ['zero', () => {}];
    const r = pool.take();
    into(g, x, r, pool);
    return [r, () => pool.give(r)];
  };
  const k = e.k === 'int' || e.k === 'var' ? null : intConst(e);
  if (k !== null) return g.emit(`li ${rd}, ${k}`);
  switch (e.k) {
    case 'int':
      g.emit(`li ${rd}, ${Number(BigInt.asIntN(32, e.value))}`);
      return;
    case 'str':
      g.emit(`la ${rd}, ${strLabel(e.str)}`);
      return;
    case 'var': {
      const reg = g.regs.get(e.sym);
      if (reg) return g.emit(`mv ${rd}, ${reg}`);
      const agg = e.type.kind === 'array' || vclass(e.type) === 'm';
      if (local(e.sym)) {
        if (agg) return g.addi(rd, 's0', g.slot(e.sym));
        return g.mem(LOADS(e.type), rd, g.slot(e.sym), 's0');
      }
      const at = g.globAddr.get(e.sym);
      if (at) return agg ? g.emit(`mv ${rd}, ${at}`) : g.emit(`${LOADS(e.type)} ${rd}, 0(${at})`);
      if (agg) return g.emit(`la ${rd}, ${e.sym.linkName}`);
      g.emit(`lui ${rd}, %hi(${e.sym.linkName})`, `${LOADS(e.type)} ${rd}, %lo(${e.sym.linkName})(${rd})`);
      return;
    }
    case 'binary': {
      const src = regOf(g, e.lhs) ?? rd;
      if (src === rd) into(g, e.lhs, rd, pool);
      const v = intConst(e.rhs);
      if (v !== null && binopImm(g, e.op, e.type, e.lhs.type, v, rd, src)) return narrow(g, e.type, rd);
      const [r, done] = sub(e.rhs);
      const ins =
        e.op === '>>'
          ? isU(e.lhs.type)
            ? 'srl'
            : 'sra'
          : (OPS[e.op] as [string, string])[isU(e.type) ? 1 : 0];
      g.emit(`${ins} ${rd}, ${src}, ${r}`);
      done();
      return narrow(g, e.type, rd);
    }
    case 'compare': {
      const src = regOf(g, e.lhs) ?? rd;
      if (src === rd) into(g, e.lhs, rd, pool);
      const [r, done] = sub(e.rhs);
      const slt = isU(e.opType) ? 'sltu' : 'slt';
      if (e.op === '==' || e.op === '!=')
        g.emit(`sub ${rd}, ${src}, ${r}`, `${e.op === '==' ? 'seqz' : 'snez'} ${rd}, ${rd}`);
      else if (e.op === '<') g.emit(`${slt} ${rd}, ${src}, ${r}`);
      else if (e.op === '>') g.emit(`${slt} ${rd}, ${r}, ${src}`);
      else if (e.op === '<=') g.emit(`${slt} ${rd}, ${r}, ${src}`, `xori ${rd}, ${rd}, 1`);
      else g.emit(`${slt} ${rd}, ${src}, ${r}`, `xori ${rd}, ${rd}, 1`);
      done();
      return;
    }
    case 'ptrdiff': {
      into(g, e.lhs, rd, pool);
      const [r, done] = sub(e.rhs);
      g.emit(`sub ${rd}, ${rd}, ${r}`);
      done();
      if (e.elemSize > 1 && (e.elemSize & (e.elemSize - 1)) === 0)
        g.emit(`srai ${rd}, ${rd}, ${Math.log2(e.elemSize)}`);
      else if (e.elemSize !== 1) {
        const t = pool.take();
        g.emit(`li ${t}, ${e.elemSize}`, `div ${rd}, ${rd}, ${t}`);
        pool.give(t);
      }
      return;
    }
    case 'cast':
      into(g, e.expr, rd, pool);
      if (isI(e.type)) narrow(g, e.type, rd);
      return;
    case 'neg':
    case 'bitnot':
      into(g, e.expr, rd, pool);
      g.emit(`${e.k === 'neg' ? 'neg' : 'not'} ${rd}, ${rd}`);
      return narrow(g, e.type, rd);
    case 'not':
      into(g, e.expr, rd, pool);
      g.emit(`seqz ${rd}, ${rd}`);
      return;
    case 'deref': {
      const [base, off] = addrInto(g, e, rd, pool, 0);
      if (e.type.kind === 'array' || e.type.kind === 'func' || vclass(e.type) === 'm')
        return g.addi(rd, base, off);
      return g.mem(LOADS(e.type), rd, off, base);
    }
    case 'member': {
      const [base, off] = addrInto(g, e.expr, rd, pool, e.member.offset);
      if (e.type.kind === 'array' || vclass(e.type) === 'm') return g.addi(rd, base, off);
      return g.mem(LOADS(e.type), rd, off, base);
    }
    case 'addr': {
      const [base, off] = addrInto(g, e.expr, rd, pool, 0);
      return g.addi(rd, base, off);
    }
    default:
      throw new Error(`regexpr: unexpected '${e.k}'`);
  }
}

/** Address of lvalue `e` as base register + offset (the base is s0 or `rd`). */
function addrInto(g: FuncGen, e: Expr, rd: string, pool: Pool, off: number): [string, number] {
  if (e.k === 'var') {
    if (local(e.sym)) return ['s0', g.slot(e.sym) + off];
    const at = g.globAddr.get(e.sym);
    if (at) return [at, off];
    g.emit(`la ${rd}, ${e.sym.linkName}`);
    return [rd, off];
  }
  if (e.k === 'member') return addrInto(g, e.expr, rd, pool, off + e.member.offset);
  if (e.k === 'str') {
    g.emit(`la ${rd}, ${strLabel(e.str)}`);
    return [rd, off];
  }
  let inner = (e as Expr & { k: 'deref' }).expr;
  if (inner.k === 'binary' && (inner.op === '+' || inner.op === '-') && inner.type.kind === 'ptr') {
    const c = intConst(inner.rhs);
    if (c !== null && fits12(off + (inner.op === '+' ? c : -c))) {
      off += inner.op === '+' ? c : -c;
      inner = inner.lhs;
    }
  }
  const ir = regOf(g, inner);
  if (ir) return [ir, off];
  into(g, inner, rd, pool);
  return [rd, off];
}

/** Whether lvalue `e` has an address computable without side effects (and not a register local). */
export function pureAddr(g: FuncGen, e: Expr): boolean {
  return g.opt > 0 && addrNeed(g, e) <= 8;
}

/** Address of pure lvalue `e` as [base register, offset] (base: s0, a register local, or `rd`). */
export function lvalueAddr(g: FuncGen, e: Expr, rd: string, busy: string[]): [string, number] {
  return addrInto(g, e, rd, new Pool([rd, ...busy]), 0);
}
