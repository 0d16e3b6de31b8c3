// -O1+ dead-code elimination at the level of whole functions: a `static` function that no
// emitted function and no static initializer refers to is not emitted (unused static and
// static inline helpers from headers). Units with inline assembly keep everything (a template
// may name any function).

import type { Expr, FuncDef, Stmt, Sym, TranslationUnit } from '../ast';
import { evalConst } from '../consteval';
import { hasAsm } from './vstack';
import { forEachOperand } from './walk';

/** Calls `see` for every symbol an expression mentions (compound literals' initializers too). */
export function exprSyms(e: Expr, see: (s: Sym) => void): void {
  const ex = (x: Expr): void => {
    switch (x.k) {
      case 'var':
        return see(x.sym);
      case 'compound':
        see(x.sym);
        return forEachOperand(x, ex);
      default:
        forEachOperand(x, ex);
    }
  };
  ex(e);
}

/** Calls `see` for the symbols of the code genStmt emits for `s` (its dead parts skipped alike). */
function stmtSyms(s: Stmt | null, see: (s: Sym) => void): void {
  if (!s) return;
  const e = (x: Expr | null): void => {
    if (x) exprSyms(x, see);
  };
  const st = (x: Stmt | null): void => stmtSyms(x, see);
  switch (s.k) {
    case 'block':
      return liveItems(s.items).forEach(st);
    case 'expr':
      return e(s.expr);
    case 'decl':
      for (const it of s.sym.init?.items ?? []) e(it.expr);
      return;
    case 'if': {
      const k = constTruth(s.cond);
      if (k !== null && !hasEntry(k ? s.else : s.then)) return st(k ? s.then : s.else);
      e(s.cond);
      st(s.then);
      return st(s.else);
    }
    case 'while':
    case 'for':
      if (s.cond && constTruth(s.cond) === false && !hasEntry(s.body))
        return s.k === 'for' ? st(s.init) : undefined;
      if (s.k === 'for') {
        st(s.init);
        e(s.step);
      }
      e(s.cond);
      return st(s.body);
    case 'dowhile':
    case 'switch':
      e(s.cond);
      return st(s.body);
    case 'return':
      return e(s.expr);
    case 'case':
    case 'label':
      return st(s.body);
    default:
  }
}

/** A block's statements without those after a jump that no label makes reachable again. */
export function liveItems(items: Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  let dead = false;
  for (const x of items) {
    if (dead && !hasEntry(x)) continue;
    out.push(x);
    dead = x.k === 'return' || x.k === 'break' || x.k === 'continue' || x.k === 'goto';
  }
  return out;
}

/** The functions worth emitting; null when every function must be kept. */
export function liveFunctions(tu: TranslationUnit): Set<FuncDef> | null {
  if (tu.toplevelAsm.length > 0 || tu.functions.some((f) => hasAsm(f.body))) return null;
  const byName = new Map(tu.functions.map((f) => [f.sym.linkName, f] as const));
  const live = new Set<FuncDef>();
  const work: FuncDef[] = [];
  const see = (s: Sym): void => {
    const f = s.isFunction ? byName.get(s.linkName) : undefined;
    if (f && !live.has(f)) {
      live.add(f);
      work.push(f);
    }
  };
  for (const f of tu.functions) if (f.sym.storage !== 'static') see(f.sym);
  for (const g of tu.globals) for (const it of g.init?.items ?? []) exprSyms(it.expr, see);
  for (let f = work.pop(); f; f = work.pop()) stmtSyms(f.body, see);
  return live;
}

/** Whether control can enter `s` other than from its start (a label or case label inside). */
export function hasEntry(s: Stmt | null): boolean {
  if (!s) return false;
  switch (s.k) {
    case 'label':
    case 'case':
      return true;
    case 'block':
      return s.items.some(hasEntry);
    case 'if':
      return hasEntry(s.then) || hasEntry(s.else);
    case 'for':
      return hasEntry(s.init) || hasEntry(s.body);
    case 'while':
    case 'dowhile':
    case 'switch':
      return hasEntry(s.body);
    default:
      return false;
  }
}

/** The truth of a constant condition, or null when it is not a compile-time integer constant. */
export function constTruth(e: Expr): boolean | null {
  const c = evalConst(e);
  if (c?.kind === 'int') return c.value !== 0n;
  if (c?.kind === 'float') return c.value !== 0;
  return null;
}

/** Whether evaluating `e` reads a volatile object (a side effect that must not be dropped). */
export function readsVolatile(e: Expr): boolean {
  let found = false;
  const ex = (x: Expr): void => {
    if (found) return;
    // Rvalue conversion drops qualifiers from the node's type: look at the object itself too.
    const obj =
      x.k === 'var'
        ? x.sym.type
        : x.k === 'deref' && x.expr.type.kind === 'ptr'
          ? x.expr.type.base
          : x.k === 'member'
            ? x.member.type.volatile
              ? x.member.type
              : x.expr.type
            : null;
    if ((x.k === 'var' || x.k === 'deref' || x.k === 'member') && (x.type.volatile || obj?.volatile)) {
      found = true;
      return;
    }
    for (const k of ['lhs', 'rhs', 'expr'] as const) {
      const sub = (x as Partial<Record<typeof k, Expr>>)[k];
      if (sub) ex(sub);
    }
  };
  ex(e);
  return found;
}
