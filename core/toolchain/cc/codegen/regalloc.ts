// -O1+: picks the scalar locals (and parameters) that live in callee-saved registers for the
// whole function: int-class values in s1-s11, float/double in fs0-fs11. A local qualifies when its
// address is never taken (no &x, no va_* or asm memory use, no register-asm binding); the most
// used ones (loop bodies weigh more) get registers first.

import type { Expr, FuncDef, Stmt, Sym } from '../ast';
import { vclass } from './abi';
import { forEachOperand } from './walk';

const INT_REGS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11'];
const FP_REGS = ['fs0', 'fs1', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11'];

export function chooseRegisters(f: FuncDef): Map<Sym, string> {
  const uses = new Map<Sym, number>();
  const taken = new Set<Sym>();
  let weight = 1;
  const takeAddr = (e: Expr): void => {
    let x = e;
    while (x.k === 'member' || x.k === 'comma') x = x.k === 'member' ? x.expr : x.rhs;
    if (x.k === 'var') taken.add(x.sym);
  };
  const ex = (e: Expr | null | undefined): void => {
    if (!e) return;
    switch (e.k) {
      case 'var':
        uses.set(e.sym, (uses.get(e.sym) ?? 0) + weight);
        return;
      case 'addr':
        takeAddr(e.expr);
        return ex(e.expr);
      case 'va_start':
      case 'va_arg':
      case 'va_end':
        takeAddr(e.ap);
        return ex(e.ap);
      case 'va_copy':
        takeAddr(e.dst);
        takeAddr(e.src);
        return;
      default:
        forEachOperand(e, ex);
    }
  };
  // Scopes: the path of block/loop ids from the function body down to each local's declaration.
  const scopeOf = new Map<Sym, number[]>();
  const path: number[] = [];
  let scopes = 0;
  const inScope = (f: () => void): void => {
    path.push(scopes++);
    f();
    path.pop();
  };
  const st = (s: Stmt | null): void => {
    if (!s) return;
    switch (s.k) {
      case 'block':
        return inScope(() => s.items.forEach(st));
      case 'expr':
        return ex(s.expr);
      case 'decl':
        scopeOf.set(s.sym, [...path]);
        for (const it of s.sym.init?.items ?? []) ex(it.expr);
        return;
      case 'if':
        ex(s.cond);
        st(s.then);
        return st(s.else);
      case 'while':
      case 'dowhile':
      case 'for':
        return inScope(() => {
          weight *= 8;
          if (s.k === 'for') {
            // The init's declarations live through the whole loop (not in a scope of their own).
            if (s.init?.k === 'block') s.init.items.forEach(st);
            else st(s.init);
            ex(s.step);
          }
          ex(s.cond);
          st(s.body);
          weight /= 8;
        });
      case 'return':
        return ex(s.expr);
      case 'switch':
        ex(s.cond);
        return st(s.body);
      case 'case':
      case 'label':
        return st(s.body);
      case 'asm':
        for (const o of [...s.outputs, ...s.inputs]) {
          takeAddr(o.expr);
          ex(o.expr);
        }
        return;
      default:
    }
  };
  st(f.body);
  const out = new Map<Sym, string>();
  const cands = [...f.params, ...f.locals].filter((s) => {
    const c = vclass(s.type);
    return (
      s.type.kind !== 'array' &&
      !taken.has(s) &&
      !s.asmReg &&
      !s.type.volatile &&
      s.storage !== 'static' &&
      (c === 'i' || c === 'f' || c === 'd')
    );
  });
  cands.sort((a, b) => (uses.get(b) ?? 0) - (uses.get(a) ?? 0));
  // Locals of disjoint scopes (sibling blocks) are never live at once: they may share a register.
  // Parameters and locals declared outside any statement (compound literals) span the function.
  const overlap = (a: Sym, b: Sym): boolean => {
    const pa = scopeOf.get(a) ?? [];
    const pb = scopeOf.get(b) ?? [];
    const n = Math.min(pa.length, pb.length);
    for (let i = 0; i < n; i++) if (pa[i] !== pb[i]) return false;
    return true;
  };
  for (const s of cands) {
    if (!uses.get(s)) continue;
    const pool = vclass(s.type) === 'i' ? INT_REGS : FP_REGS;
    const busy = new Set([...out.entries()].filter(([o]) => overlap(o, s)).map(([, r]) => r));
    const r = pool.find((x) => !busy.has(x));
    if (r) out.set(s, r);
  }
  return out;
}

/**
 * The callee-saved registers left over after chooseRegisters, handed out with a stack discipline
 * for values that must survive calls: loop-invariant addresses and constants hoisted out of
 * loops, and the value stack's entries (see FuncGen.push). Every register ever handed out is
 * saved and restored by the prologue and epilogue.
 */
export class CalleeSaved {
  private freeInt: string[];
  private freeFp: string[];
  readonly used = new Set<string>();

  constructor(taken: Iterable<string>) {
    const busy = new Set(taken);
    this.freeInt = INT_REGS.filter((r) => !busy.has(r));
    this.freeFp = FP_REGS.filter((r) => !busy.has(r));
  }

  /** A free integer (or FP) callee-saved register, or null when none is left. */
  take(fp = false): string | null {
    const r = (fp ? this.freeFp : this.freeInt).shift();
    if (!r) return null;
    this.used.add(r);
    return r;
  }

  give(r: string): void {
    const list = r.startsWith('f') ? this.freeFp : this.freeInt;
    const all = r.startsWith('f') ? FP_REGS : INT_REGS;
    list.push(r);
    list.sort((a, b) => all.indexOf(a) - all.indexOf(b));
  }

  /** How many integer (or FP) registers are free. */
  free(fp = false): number {
    return (fp ? this.freeFp : this.freeInt).length;
  }
}
