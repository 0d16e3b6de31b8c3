// Statements and function bodies (C11 6.8, 6.9.1): scopes, loops, switch with case checking,
// labels and goto, break/continue placement, and the "control reaches end" warning.

import type { Expr, Stmt, Sym } from './ast';
import { assignConv, promoted, rvalue, scalarCond } from './conv';
import { evalInt, wrapInt } from './consteval';
import { isTypeStart, type Declarator } from './decl';
import { parseExpr } from './expr';
import { SyntaxError_, type FuncCtx, type State } from './state';
import { asmStmt } from './asm';
import { parseLocalDecl } from './toplevel';
import type { Loc, Token } from './token';
import { isComplete, isInteger, isRecord, typeName, type FuncType } from './types';

export function parseFunctionBody(s: State, fn: Sym, d: Declarator): void {
  const type = fn.type as FuncType;
  if (!isComplete(type.ret) && type.ret.kind !== 'void') {
    s.error(d.loc, `return type is an incomplete type`);
  }
  const ctx: FuncCtx = {
    sym: fn,
    type,
    locals: [],
    labels: new Map(),
    gotos: [],
    switches: [],
    breakDepth: 0,
    continueDepth: 0,
  };
  s.func = ctx;
  s.enterScope();
  const params: Sym[] = [];
  (d.params ?? []).forEach((p, i) => {
    if (!p.name) {
      s.error(p.loc, `parameter name omitted`);
      return;
    }
    if (!isComplete(p.type)) s.error(p.loc, `parameter ${i + 1} ('${p.name}') has incomplete type`);
    const sym: Sym = {
      name: p.name,
      type: p.type,
      storage: 'auto',
      loc: p.loc,
      isLocal: true,
      isParam: true,
      isFunction: false,
      defined: true,
      linkName: p.name,
      id: s.id(),
    };
    if (s.lookupCurrent(p.name)) s.error(p.loc, `redefinition of parameter '${p.name}'`);
    s.declare(sym);
    params.push(sym);
  });
  const errorsBefore = s.sink.errorCount;
  const lb = s.expect('{');
  const items = blockItems(s);
  const rb = s.peek();
  s.expect('}');
  s.leaveScope();
  for (const g of ctx.gotos)
    if (!ctx.labels.has(g.label)) s.error(g.loc, `label '${g.label}' used but not defined`);
  const body: Stmt = { k: 'block', loc: lb, items };
  if (
    type.ret.kind !== 'void' &&
    fn.name !== 'main' &&
    s.sink.errorCount === errorsBefore &&
    fallsThrough(body)
  ) {
    s.warn(rb, 'control reaches end of non-void function');
  }
  s.functions.push({ sym: fn, params, body, locals: ctx.locals, loc: d.loc });
  s.func = null;
}

function blockItems(s: State): Stmt[] {
  const items: Stmt[] = [];
  while (!s.is('}') && !s.atEof() && !s.sink.full()) {
    const start = s.pos;
    try {
      if ((isTypeStart(s) && !(s.isIdent() && s.is(':', 1))) || s.is('_Static_assert'))
        items.push(...parseLocalDecl(s));
      else items.push(parseStmt(s));
    } catch (e) {
      if (!(e instanceof SyntaxError_)) throw e;
      s.recover();
      if (s.pos === start) s.next();
    }
  }
  return items;
}

function block(s: State): Stmt {
  const lb = s.expect('{');
  s.enterScope();
  const items = blockItems(s);
  s.leaveScope();
  s.expect('}');
  return { k: 'block', loc: lb, items };
}

/** A sub-statement gets its own scope (C99 6.8.4p3 / 6.8.5p5). */
function subStmt(s: State): Stmt {
  s.enterScope();
  try {
    return parseStmt(s);
  } finally {
    s.leaveScope();
  }
}

function cond(s: State): Expr {
  s.expect('(');
  const e = scalarCond(s, parseExpr(s));
  s.expect(')');
  return e;
}

function fn(s: State): FuncCtx {
  return s.func as FuncCtx;
}

export function parseStmt(s: State): Stmt {
  const t = s.peek();
  const w = t.kind === 'ident' ? s.sym() : t.kind === 'punct' ? t.text : '';
  switch (w) {
    case '{':
      return block(s);
    case ';':
      s.next();
      return { k: 'null', loc: t };
    case 'if': {
      s.next();
      const c = cond(s);
      const then = subStmt(s);
      const els = s.accept('else') ? subStmt(s) : null;
      return { k: 'if', loc: t, cond: c, then, else: els };
    }
    case 'while': {
      s.next();
      const c = cond(s);
      const body = loopBody(s);
      return { k: 'while', loc: t, cond: c, body };
    }
    case 'do': {
      s.next();
      const body = loopBody(s);
      s.expect('while');
      const c = cond(s);
      s.expect(';');
      return { k: 'dowhile', loc: t, cond: c, body };
    }
    case 'for':
      return forStmt(s, t);
    case 'switch':
      return switchStmt(s, t);
    case 'case':
    case 'default':
      return caseStmt(s, t);
    case 'break':
    case 'continue': {
      s.next();
      s.expect(';');
      const ctx = fn(s);
      if (w === 'break' && ctx.breakDepth === 0) s.error(t, 'break statement not within loop or switch');
      if (w === 'continue' && ctx.continueDepth === 0) s.error(t, 'continue statement not within a loop');
      return { k: w, loc: t };
    }
    case 'goto': {
      s.next();
      const name = s.next();
      if (name.kind !== 'ident') s.syntax(name, `expected identifier before '${name.text}'`);
      s.expect(';');
      fn(s).gotos.push({ label: name.text, loc: t });
      return { k: 'goto', loc: t, label: name.text };
    }
    case 'return':
      return returnStmt(s, t);
    case 'asm':
      return asmStmt(s, t);
    default:
      break;
  }
  if (s.isIdent() && s.is(':', 1)) {
    const name = s.next();
    s.next();
    const ctx = fn(s);
    const prev = ctx.labels.get(name.text);
    if (prev) {
      s.error(name, `duplicate label '${name.text}'`);
      s.note(prev, `previous definition of '${name.text}' was here`);
    } else ctx.labels.set(name.text, name);
    const body = s.is('}') ? ({ k: 'null', loc: name } as Stmt) : parseStmt(s);
    return { k: 'label', loc: name, label: name.text, body };
  }
  const e = parseExpr(s);
  s.expect(';');
  return { k: 'expr', loc: e.loc, expr: e };
}

function loopBody(s: State): Stmt {
  const ctx = fn(s);
  ctx.breakDepth++;
  ctx.continueDepth++;
  try {
    return subStmt(s);
  } finally {
    ctx.breakDepth--;
    ctx.continueDepth--;
  }
}

function forStmt(s: State, t: Token): Stmt {
  s.next();
  s.expect('(');
  s.enterScope();
  try {
    let init: Stmt | null = null;
    if (isTypeStart(s)) {
      const decls = parseLocalDecl(s);
      init = { k: 'block', loc: t, items: decls };
    } else if (!s.accept(';')) {
      const e = parseExpr(s);
      s.expect(';');
      init = { k: 'expr', loc: e.loc, expr: e };
    }
    const c = s.is(';') ? null : scalarCond(s, parseExpr(s));
    s.expect(';');
    const step = s.is(')') ? null : parseExpr(s);
    s.expect(')');
    const body = loopBody(s);
    return { k: 'for', loc: t, init, cond: c, step, body };
  } finally {
    s.leaveScope();
  }
}

function switchStmt(s: State, t: Token): Stmt {
  s.next();
  s.expect('(');
  const e0 = parseExpr(s);
  s.expect(')');
  let e = promoted(e0);
  if (!isInteger(e.type)) {
    s.error(e0.loc, 'switch quantity not an integer');
    e = { k: 'int', loc: e0.loc, type: e.type, value: 0n } as Expr;
  }
  const ctx = fn(s);
  const sw = {
    id: s.id(),
    cases: [] as Array<{ value: bigint | null; id: number; loc: Loc }>,
    condType: e.type,
  };
  ctx.switches.push(sw);
  ctx.breakDepth++;
  let body: Stmt;
  try {
    body = subStmt(s);
  } finally {
    ctx.breakDepth--;
    ctx.switches.pop();
  }
  return {
    k: 'switch',
    loc: t,
    cond: e,
    body,
    cases: sw.cases.map((c) => ({ value: c.value, id: c.id })),
    hasDefault: sw.cases.some((c) => c.value === null),
    id: sw.id,
  };
}

function caseStmt(s: State, t: Token): Stmt {
  s.next();
  const ctx = fn(s);
  const sw = ctx.switches[ctx.switches.length - 1];
  let value: bigint | null = null;
  if (t.text === 'case') {
    const e = parseExpr(s);
    const v = evalInt(e);
    if (v === null) s.error(e.loc, 'case label does not reduce to an integer constant');
    // Case values are converted to the promoted type of the controlling expression (6.8.4.2p5).
    value = sw ? wrapInt(v ?? 0n, sw.condType) : (v ?? 0n);
    if (s.accept('...')) {
      s.error(t, 'case ranges are not supported by futcc');
      parseExpr(s);
    }
  }
  s.expect(':');
  const id = s.id();
  if (!sw) {
    s.error(
      t,
      t.text === 'case'
        ? 'case label not within a switch statement'
        : "'default' label not within a switch statement",
    );
  } else {
    const dup = sw.cases.find((c) => c.value === value);
    if (dup) {
      s.error(t, value === null ? 'multiple default labels in one switch' : 'duplicate case value');
      s.note(dup.loc, value === null ? 'this is the first default label' : 'previously used here');
    } else sw.cases.push({ value, id, loc: t });
  }
  const body = s.is('}') ? ({ k: 'null', loc: t } as Stmt) : parseStmt(s);
  return { k: 'case', loc: t, value, id, switchId: sw?.id ?? 0, body };
}

function returnStmt(s: State, t: Token): Stmt {
  s.next();
  const ctx = fn(s);
  const ret = ctx.type.ret;
  if (s.accept(';')) {
    if (ret.kind !== 'void') s.warn(t, `'return' with no value, in function returning non-void`);
    return { k: 'return', loc: t, expr: null };
  }
  const e = parseExpr(s);
  s.expect(';');
  if (ret.kind === 'void') {
    if (rvalue(e).type.kind !== 'void') s.warn(e.loc, `'return' with a value, in function returning void`);
    return { k: 'return', loc: t, expr: e };
  }
  if (isRecord(ret) && !isComplete(ret)) s.error(t, `invalid use of undefined type '${typeName(ret)}'`);
  return { k: 'return', loc: t, expr: assignConv(s, e, ret, { kind: 'return' }, e.loc) };
}

// ---- reachability for -Wreturn-type ----

function hasBreak(st: Stmt): boolean {
  switch (st.k) {
    case 'break':
      return true;
    case 'block':
      return st.items.some(hasBreak);
    case 'if':
      return hasBreak(st.then) || (st.else ? hasBreak(st.else) : false);
    case 'label':
    case 'case':
      return hasBreak(st.body);
    default:
      return false; // breaks inside nested loops/switches do not leave this statement
  }
}

function isNoreturnCall(e: Expr): boolean {
  if (e.k !== 'call') return false;
  const c = e.callee;
  return c.k === 'addr' && c.expr.k === 'var' && !!c.expr.sym.noreturn;
}

const alwaysTrue = (e: Expr | null): boolean => e === null || (evalInt(e) ?? 0n) !== 0n;

/** Can control flow reach the end of `st`? (Conservative: true when unsure.) */
export function fallsThrough(st: Stmt): boolean {
  switch (st.k) {
    case 'return':
    case 'goto':
    case 'break':
    case 'continue':
      return false;
    case 'expr':
      return !isNoreturnCall(st.expr);
    case 'block': {
      const last = st.items[st.items.length - 1];
      return last === undefined ? true : fallsThrough(last);
    }
    case 'if':
      return st.else === null || fallsThrough(st.then) || fallsThrough(st.else);
    case 'while':
      return !(alwaysTrue(st.cond) && !hasBreak(st.body));
    case 'for':
      return !(alwaysTrue(st.cond) && !hasBreak(st.body));
    case 'dowhile':
      return (
        !(alwaysTrue(st.cond) && !hasBreak(st.body)) && (fallsThrough(st.body) || hasBreak(st.body) || true)
      );
    case 'switch':
      return !st.hasDefault || hasBreak(st.body) || fallsThrough(st.body);
    case 'label':
    case 'case':
      return fallsThrough(st.body);
    default:
      return true;
  }
}
