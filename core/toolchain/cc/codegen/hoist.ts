// -O1+ loop-invariant hoisting: before a loop, the addresses of the global objects it uses, the
// integer constants it compares against or multiplies by, and its floating-point constants are
// loaded once into free callee-saved registers (which calls preserve), and the expression code
// uses those registers instead of `la`, `li` and constant-pool loads in every iteration.
// Skipped for loops that can be entered other than from the top (labels, foreign case labels)
// or that contain inline assembly (which may clobber any register).

import type { Expr, Stmt, Sym } from '../ast';
import { evalConst } from '../consteval';
import { vclass } from './abi';
import { fconstKey } from './fpexpr';
import { fits12, type FuncGen } from './func';
import { forEachOperand } from './walk';

type Loop = Stmt & { k: 'while' | 'for' | 'dowhile' };

/** Integer registers left for the value stack after hoisting. */
const KEEP_FREE = 1;

interface Wants {
  globals: Map<Sym, number>;
  ints: Map<number, number>;
  floats: Map<string, { s: 's' | 'd'; value: number; n: number }>;
  ok: boolean;
}

const isGlobalObject = (s: Sym): boolean =>
  !(s.isLocal && s.storage !== 'static') && !s.isFunction && s.storage !== 'enumconst' && !s.asmReg;

function constInt(e: Expr): number | null {
  if (vclass(e.type) !== 'i' || e.k === 'var') return null;
  const c = evalConst(e);
  return c?.kind === 'int' ? Number(BigInt.asIntN(32, c.value)) : null;
}

const pow2 = (v: number | null): boolean =>
  v !== null && v !== -0x80000000 && (Math.abs(v) & (Math.abs(v) - 1)) === 0;

function scan(loop: Loop): Wants {
  const w: Wants = { globals: new Map(), ints: new Map(), floats: new Map(), ok: true };
  const switches = new Set<number>();
  const cases: number[] = [];
  // Uses in nested loops weigh more, so the hottest values get the registers first.
  let weight = 1;
  const bump = <K>(m: Map<K, number>, k: K): void => void m.set(k, (m.get(k) ?? 0) + weight);
  const wantInt = (x: Expr, always: boolean): void => {
    const v = constInt(x);
    if (v !== null && v !== 0 && (always || !fits12(v))) bump(w.ints, v);
  };
  const ex = (e: Expr | null | undefined): void => {
    if (!e) return;
    const c = vclass(e.type);
    if ((c === 'f' || c === 'd') && e.k !== 'var') {
      const k = e.k === 'float' ? { kind: 'float' as const, value: e.value } : evalConst(e);
      if (k?.kind === 'float') {
        const s = c === 'f' ? 's' : 'd';
        const key = fconstKey(s, k.value);
        const f = w.floats.get(key) ?? { s, value: k.value, n: 0 };
        f.n += weight;
        w.floats.set(key, f);
        return;
      }
    }
    switch (e.k) {
      case 'var':
        if (isGlobalObject(e.sym)) bump(w.globals, e.sym);
        return;
      case 'compare':
        wantInt(e.lhs, true);
        wantInt(e.rhs, true);
        break;
      case 'assign':
        // A constant stored in the loop needs a register (zero has one).
        wantInt(e.rhs, true);
        break;
      case 'binary':
      case 'opassign':
        // Multiplication and division by ±2^k become shifts (strength.ts): no register needed.
        wantInt(e.rhs, (e.op === '*' || e.op === '/' || e.op === '%') && !pow2(constInt(e.rhs)));
        break;
      case 'compound':
        w.ok = false;
        return;
      default:
    }
    forEachOperand(e, ex);
  };
  const st = (s: Stmt | null): void => {
    if (!s) return;
    switch (s.k) {
      case 'block':
        return s.items.forEach(st);
      case 'expr':
        return ex(s.expr);
      case 'decl':
        for (const it of s.sym.init?.items ?? []) ex(it.expr);
        return;
      case 'if':
        ex(s.cond);
        st(s.then);
        return st(s.else);
      case 'while':
      case 'dowhile':
      case 'for':
        if (s.k === 'for') st(s.init);
        weight *= 8;
        if (s.cond?.k === 'incdec' && !s.cond.prefix) bump(w.ints, s.cond.delta);
        ex(s.cond);
        if (s.k === 'for') ex(s.step);
        st(s.body);
        weight /= 8;
        return;
      case 'return':
        return ex(s.expr);
      case 'switch':
        switches.add(s.id);
        ex(s.cond);
        return st(s.body);
      case 'case':
        cases.push(s.switchId);
        return st(s.body);
      case 'label':
      case 'asm':
        w.ok = false;
        return;
      default:
    }
  };
  // while (n--) compares n with what zero became (cond.ts).
  if (loop.cond?.k === 'incdec' && !loop.cond.prefix) bump(w.ints, loop.cond.delta);
  if (loop.k === 'for') {
    ex(loop.cond);
    ex(loop.step);
  } else ex(loop.cond);
  st(loop.body);
  if (cases.some((id) => !switches.has(id))) w.ok = false;
  return w;
}

/** Hoists what `loop` can use from registers; returns the undo to run after the loop. */
export function hoistLoop(g: FuncGen, loop: Loop): () => void {
  if (g.opt === 0) return () => {};
  const w = scan(loop);
  if (!w.ok) return () => {};
  const undo: Array<() => void> = [];
  const byUse = <K>(m: Map<K, number>): K[] => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  for (const sym of byUse(w.globals)) {
    if (g.globAddr.has(sym) || g.sregs.free() <= KEEP_FREE) continue;
    const r = g.sregs.take() as string;
    g.emit(`la ${r}, ${sym.linkName}`);
    g.globAddr.set(sym, r);
    undo.push(() => {
      g.globAddr.delete(sym);
      g.sregs.give(r);
    });
  }
  for (const v of byUse(w.ints)) {
    if (g.constRegs.has(v) || g.sregs.free() <= KEEP_FREE) continue;
    const r = g.sregs.take() as string;
    g.emit(`li ${r}, ${v}`);
    g.constRegs.set(v, r);
    undo.push(() => {
      g.constRegs.delete(v);
      g.sregs.give(r);
    });
  }
  for (const [key, f] of [...w.floats.entries()].sort((a, b) => b[1].n - a[1].n)) {
    if (g.fconstRegs.has(key) || g.sregs.free(true) <= 1) continue;
    const r = g.sregs.take(true) as string;
    const l = g.unit.fconst(f.value, f.s === 's' ? 4 : 8);
    g.emit(`lui t6, %hi(${l})`, `${f.s === 's' ? 'flw' : 'fld'} ${r}, %lo(${l})(t6)`);
    g.fconstRegs.set(key, r);
    undo.push(() => {
      g.fconstRegs.delete(key);
      g.sregs.give(r);
    });
  }
  return () => {
    for (const u of undo.reverse()) u();
  };
}
