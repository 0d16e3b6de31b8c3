// Statements: control flow, local initialisers, switch (compare chains or jump tables), return.

import type { Expr, Stmt, Sym } from '../ast';
import { isRecord, sizeOf } from '../types';
import { classifyReturn, vclass } from './abi';
import { genAsm } from './asm';
import { branchIf } from './cond';
import { scoped } from './debuginfo';
import { constTruth, hasEntry, liveItems, readsVolatile } from './dce';
import { deferPostIncs } from './defer';
import { hoistLoop } from './hoist';
import type { FuncGen } from './func';
import { storeBitField } from './lvalue';
import { fpEvalInto, pureF } from './fpexpr';
import { evalInto, mentions, pure } from './regexpr';

export function genStmt(g: FuncGen, s: Stmt): void {
  if (g.unit.debug && s.k !== 'block' && s.k !== 'null') g.unit.loc(g, s.loc);
  switch (s.k) {
    case 'block':
      return scoped(g, s, () => genBlock(g, s.items));
    case 'expr':
      return exprStmt(g, s.expr);
    case 'decl':
      if (s.sym.storage !== 'static') initLocal(g, s.sym);
      return;
    case 'null':
      return;
    case 'if': {
      const k = g.opt > 0 ? constTruth(s.cond) : null;
      // A constant condition: only the branch that can run (unless the other has labels).
      if (k !== null && !hasEntry(k ? s.else : s.then)) {
        const live = k ? s.then : s.else;
        return live ? genStmt(g, live) : undefined;
      }
      const els = g.newLabel();
      branchIf(g, s.cond, false, els);
      genStmt(g, s.then);
      if (s.else) {
        const done = g.newLabel();
        g.emit(`j ${done}`);
        g.label(els);
        genStmt(g, s.else);
        g.label(done);
      } else g.label(els);
      return;
    }
    case 'for':
      return scoped(g, s, () => loop(g, s));
    case 'while':
    case 'dowhile':
      return loop(g, s);
    case 'return':
      if (s.expr) genReturnValue(g, s.expr);
      g.emit(`j ${g.ret}`);
      return;
    case 'switch':
      return switchStmt(g, s);
    case 'case':
      g.label(g.switchLabels.get(s.id) as string);
      return genStmt(g, s.body);
    case 'break':
      g.emit(`j ${g.breaks[g.breaks.length - 1]}`);
      return;
    case 'continue':
      g.emit(`j ${g.conts[g.conts.length - 1]}`);
      return;
    case 'goto':
      g.emit(`j .L.${g.fnId}.label.${s.label}`);
      return;
    case 'label':
      g.label(`.L.${g.fnId}.label.${s.label}`);
      return genStmt(g, s.body);
    case 'asm':
      return genAsm(g, s);
  }
}

/** A block's statements (-O1+: those after a jump that no label makes reachable are dropped). */
function genBlock(g: FuncGen, items: Stmt[]): void {
  for (const x of g.opt > 0 ? liveItems(items) : items) genStmt(g, x);
}

/** -O1+: an expression statement without side effects (`x + 1;`, `(void)p;`) needs no code. */
function unusedPure(g: FuncGen, e: Expr): boolean {
  let x = e;
  while (x.k === 'cast' && x.type.kind === 'void') x = x.expr;
  if (readsVolatile(x)) return false;
  const c = vclass(x.type);
  if (c === 'i') return pure(g, x);
  return (c === 'f' || c === 'd') && pureF(g, x);
}

/** An expression evaluated for its side effects only (post-increments deferred to its end). */
function exprStmt(g: FuncGen, e: Expr): void {
  if (unusedPure(g, e)) return;
  const d = deferPostIncs(g, e);
  g.discard = true;
  g.expr(d ? d.expr : e);
  for (const inc of d?.after ?? []) {
    g.discard = true;
    g.expr(inc);
  }
}

/** Evaluates a return value into the psABI return registers (or the caller's buffer). */
function genReturnValue(g: FuncGen, e: Expr): void {
  g.expr(e);
  const t = g.f.sym.type.kind === 'func' ? g.f.sym.type.ret : e.type;
  if (!isRecord(t)) return;
  const parts = classifyReturn(t);
  if (parts === null) {
    g.emit(`lw t1, ${g.sretSlot}(s0)`);
    g.copy('t1', 'a0', sizeOf(t), t.info.align);
    g.emit('mv a0, t1');
    return;
  }
  g.emit('mv t0, a0');
  for (const p of parts) {
    const d = p.dest;
    if ('f' in d) g.emit(`${p.kind === 's' ? 'flw' : 'fld'} fa${d.f}, ${p.off}(t0)`);
    else if ('x' in d) {
      const ld = p.bytes === 1 ? 'lbu' : p.bytes === 2 ? 'lhu' : 'lw';
      // Aggregates shorter than a word: read whole bytes only (never past the object).
      if (p.kind === 'w' && p.bytes === 4 && sizeOf(t) - p.off < 4)
        loadPartial(g, `a${d.x}`, p.off, sizeOf(t) - p.off);
      else g.emit(`${ld} a${d.x}, ${p.off}(t0)`);
    }
  }
}

/** Assembles `n` (< 4) bytes at off(t0) into `reg`, little-endian. */
export function loadPartial(g: FuncGen, reg: string, off: number, n: number): void {
  g.emit(`lbu ${reg}, ${off}(t0)`);
  for (let i = 1; i < n; i++) {
    g.emit(`lbu t6, ${off + i}(t0)`);
    g.emit(`slli t6, t6, ${8 * i}`);
    g.emit(`or ${reg}, ${reg}, t6`);
  }
}

export function initLocal(g: FuncGen, sym: Sym): void {
  const init = sym.init;
  if (!init) return;
  const reg = g.regs.get(sym);
  if (reg) {
    const it = init.items[0];
    if (!it) {
      g.emit(reg.startsWith('f') ? `fcvt.d.w ${reg}, zero` : `li ${reg}, 0`);
      return;
    }
    const c = vclass(sym.type);
    if (c === 'i' && pure(g, it.expr) && !mentions(it.expr, sym)) return evalInto(g, it.expr, reg);
    if ((c === 'f' || c === 'd') && pureF(g, it.expr) && !mentions(it.expr, sym))
      return fpEvalInto(g, it.expr, reg);
    g.expr(it.expr);
    g.emit(c === 'f' ? `fmv.s ${reg}, fa0` : c === 'd' ? `fmv.d ${reg}, fa0` : `mv ${reg}, a0`);
    return;
  }
  const base = g.slot(sym);
  const size = sizeOf(sym.type);
  const whole = init.items.length === 1 && init.items[0]?.offset === 0 && sizeOf(init.items[0].type) === size;
  if (!whole) g.zero(base, size);
  for (const it of init.items) {
    if (it.expr.k === 'str' && it.type.kind === 'array') {
      const esz = sizeOf(it.type.base);
      const n = it.type.len ?? it.expr.str.units.length;
      const st = esz === 1 ? 'sb' : esz === 2 ? 'sh' : 'sw';
      it.expr.str.units.slice(0, n).forEach((u, k) => {
        if (u === 0 && !whole) return;
        g.emit(`li t1, ${u | 0}`);
        g.mem(st, 't1', base + it.offset + k * esz, 's0');
      });
      continue;
    }
    g.expr(it.expr);
    if (it.bitField) {
      g.addi('t1', 's0', base + it.offset);
      storeBitField(g, { name: null, type: it.type, offset: 0, bitField: it.bitField });
    } else if (isRecord(it.type)) {
      g.addi('t1', 's0', base + it.offset);
      g.copy('t1', 'a0', sizeOf(it.type), it.type.info.align);
    } else g.store(it.type, 's0', base + it.offset);
  }
}

function loop(g: FuncGen, s: Stmt & { k: 'while' | 'for' | 'dowhile' }): void {
  if (g.opt > 0 && s.k !== 'dowhile' && s.cond && constTruth(s.cond) === false && !hasEntry(s.body)) {
    // while (0) / for (init; 0; ...): only the initialisation runs.
    if (s.k === 'for' && s.init) genStmt(g, s.init);
    return;
  }
  const top = g.newLabel();
  const cont = g.newLabel();
  const brk = g.newLabel();
  if (s.k === 'for' && s.init) genStmt(g, s.init);
  const unhoist = hoistLoop(g, s);
  g.breaks.push(brk);
  g.conts.push(cont);
  if (g.opt > 0 && s.k !== 'dowhile') {
    // Rotated loop: test at the bottom, one branch per iteration.
    const test = g.newLabel();
    g.emit(`j ${test}`);
    g.label(top);
    genStmt(g, s.body);
    g.label(cont);
    if (s.k === 'for' && s.step) exprStmt(g, s.step);
    g.label(test);
    if (s.cond) branchIf(g, s.cond, true, top);
    else g.emit(`j ${top}`);
  } else {
    g.label(top);
    if (s.k !== 'dowhile' && s.cond) branchIf(g, s.cond, false, brk);
    genStmt(g, s.body);
    g.label(cont);
    if (s.k === 'for' && s.step) exprStmt(g, s.step);
    if (s.k === 'dowhile') branchIf(g, s.cond, true, top);
    else g.emit(`j ${top}`);
  }
  g.label(brk);
  unhoist();
  g.breaks.pop();
  g.conts.pop();
}

function switchStmt(g: FuncGen, s: Stmt & { k: 'switch' }): void {
  const brk = g.newLabel();
  g.expr(s.cond);
  const wide = vclass(s.cond.type) === 'l';
  let dflt = brk;
  const cases: Array<[bigint, string]> = [];
  for (const c of s.cases) {
    const l = g.newLabel();
    g.switchLabels.set(c.id, l);
    if (c.value === null) dflt = l;
    else cases.push([c.value, l]);
  }
  const vals = cases.map(([v]) => v);
  const min = vals.reduce((a, b) => (b < a ? b : a), vals[0] ?? 0n);
  const max = vals.reduce((a, b) => (b > a ? b : a), vals[0] ?? 0n);
  const span = Number(max - min) + 1;
  if (!wide && cases.length >= 4 && span <= cases.length * 3 && span <= 1024) {
    // Dense: bounds check then an indexed jump through a table in .rodata.
    const table = `${g.newLabel()}.table`;
    g.emit(`li t1, ${Number(BigInt.asIntN(32, min))}`);
    g.emit('sub a0, a0, t1');
    g.emit(`li t1, ${span}`);
    g.emit(`bgeu a0, t1, ${dflt}`);
    g.emit('slli a0, a0, 2');
    g.emit(`la t1, ${table}`);
    g.emit('add a0, a0, t1');
    g.emit('lw a0, 0(a0)');
    g.emit('jr a0');
    const byVal = new Map(cases.map(([v, l]) => [Number(v - min), l]));
    g.out.push('  .section .rodata', '  .p2align 2', `${table}:`);
    for (let i = 0; i < span; i++) g.emit(`.word ${byVal.get(i) ?? dflt}`);
    g.out.push('  .text');
  } else {
    for (const [v, l] of cases) {
      if (wide) {
        const skip = g.newLabel();
        g.emit(`li t1, ${Number(BigInt.asIntN(32, v))}`);
        g.emit(`bne a0, t1, ${skip}`);
        g.emit(`li t1, ${Number(BigInt.asIntN(32, v >> 32n))}`);
        g.emit(`beq a1, t1, ${l}`);
        g.label(skip);
      } else {
        g.emit(`li t1, ${Number(BigInt.asIntN(32, v))}`);
        g.emit(`beq a0, t1, ${l}`);
      }
    }
  }
  g.emit(`j ${dflt}`);
  g.breaks.push(brk);
  genStmt(g, s.body);
  g.breaks.pop();
  g.label(brk);
}
