// Expressions of GNU as: parsing (with its precedence levels) and evaluation to a constant or a
// relocatable value `sym + n` (optionally `- sub`), plus the RISC-V %hi/%lo/%pcrel_* modifiers.
import { AsmError } from './diag';
import type { Token } from './lexer';

export type Modifier = 'hi' | 'lo' | 'pcrel_hi' | 'pcrel_lo';

export type Expr =
  | { k: 'num'; v: number; big?: bigint }
  | { k: 'sym'; name: string; line: number; col: number }
  | { k: 'un'; op: string; a: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'mod'; mod: Modifier; a: Expr };

/** A symbol as the evaluator sees it: its identity, and its section (null = undefined/external). */
export interface SymRef {
  name: string;
  section: string | null;
  /** Offset in its section (after layout); 0 for undefined symbols. */
  offset: number;
  weak: boolean;
  /** Defined in an executable section. */
  code: boolean;
}

/** Result of evaluation: `n` alone (absolute), or `sym + n`, or `sym - sub + n`. */
export interface Val {
  n: number;
  sym: SymRef | null;
  sub: SymRef | null;
}

/** Token cursor shared by the statement and expression parsers. */
export class Cursor {
  i = 0;
  constructor(
    readonly toks: Token[],
    start: number,
  ) {
    this.i = start;
  }
  peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)] as Token;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eol') this.i++;
    return t;
  }
  atEnd(): boolean {
    return this.peek().kind === 'eol';
  }
  isPunct(p: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === p;
  }
  eat(p: string): boolean {
    if (this.isPunct(p)) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(p: string, what = `'${p}'`): Token {
    const t = this.peek();
    if (!this.eat(p))
      throw new AsmError(`expected ${what}${t.kind === 'eol' ? '' : ` before '${t.text}'`}`, t.line, t.col);
    return t;
  }
  fail(msg: string, t = this.peek()): never {
    throw new AsmError(msg, t.line, t.col);
  }
}

export interface ExprHooks {
  /** Resolves `1f`/`1b` to the symbol name of that numeric label instance. */
  numRef(text: string, t: Token): string;
  /** Names a symbol standing for the current location `.`. */
  dot(): string;
}

const LEVELS: string[][] = [
  ['||', '&&'],
  ['+', '-', '==', '!=', '<', '>', '<=', '>='],
  ['|', '&', '^', '!'],
  ['*', '/', '%', '<<', '>>'],
];

export function parseExpr(c: Cursor, hooks: ExprHooks, level = 0): Expr {
  if (level >= LEVELS.length) return parseUnary(c, hooks);
  let a = parseExpr(c, hooks, level + 1);
  const ops = LEVELS[level] ?? [];
  while (true) {
    const t = c.peek();
    if (t.kind !== 'punct' || !ops.includes(t.text)) return a;
    // `%` followed by a modifier name is not modulo.
    if (t.text === '%' && c.peek(1).kind === 'id') return a;
    c.next();
    const b = parseExpr(c, hooks, level + 1);
    a = { k: 'bin', op: t.text, a, b };
  }
}

function parseUnary(c: Cursor, hooks: ExprHooks): Expr {
  const t = c.next();
  if (t.kind === 'punct') {
    if (t.text === '-' || t.text === '~' || t.text === '!' || t.text === '+') {
      return { k: 'un', op: t.text, a: parseUnary(c, hooks) };
    }
    if (t.text === '(') {
      const e = parseExpr(c, hooks);
      c.expect(')');
      return e;
    }
    if (t.text === '%') {
      const m = c.next();
      const mods: Record<string, Modifier> = {
        hi: 'hi',
        lo: 'lo',
        pcrel_hi: 'pcrel_hi',
        pcrel_lo: 'pcrel_lo',
      };
      const mod = mods[m.text];
      if (m.kind !== 'id' || mod === undefined) c.fail(`unsupported relocation modifier '%${m.text}'`, m);
      c.expect('(');
      const a = parseExpr(c, hooks);
      c.expect(')');
      return { k: 'mod', mod, a };
    }
  }
  if (t.kind === 'num')
    return t.big !== undefined ? { k: 'num', v: t.value, big: t.big } : { k: 'num', v: t.value };
  if (t.kind === 'numref') return { k: 'sym', name: hooks.numRef(t.text, t), line: t.line, col: t.col };
  if (t.kind === 'id') {
    if (t.text === '.') return { k: 'sym', name: hooks.dot(), line: t.line, col: t.col };
    return { k: 'sym', name: t.text, line: t.line, col: t.col };
  }
  throw new AsmError(
    t.kind === 'eol' ? 'missing expression' : `bad expression at '${t.text}'`,
    t.line,
    t.col,
  );
}

/** Does the expression use a modifier at its top? */
export function topModifier(e: Expr): { mod: Modifier; inner: Expr } | null {
  return e.k === 'mod' ? { mod: e.mod, inner: e.a } : null;
}

export function hasSymbol(e: Expr): boolean {
  switch (e.k) {
    case 'num':
      return false;
    case 'sym':
      return true;
    case 'un':
    case 'mod':
      return hasSymbol(e.a);
    case 'bin':
      return hasSymbol(e.a) || hasSymbol(e.b);
  }
}

export type Lookup = (name: string, line: number, col: number) => Val;

const abs = (n: number): Val => ({ n, sym: null, sub: null });

/** Evaluates an expression (without modifiers) to a constant or a relocatable value. */
export function evalExpr(e: Expr, lookup: Lookup, line: number, col: number, keepCode = false): Val {
  const simplify = (v: Val): Val => fold(v, keepCode);
  switch (e.k) {
    case 'num':
      return abs(e.v);
    case 'sym':
      return lookup(e.name, e.line, e.col);
    case 'mod':
      throw new AsmError(`%${e.mod} is not allowed here`, line, col);
    case 'un': {
      const a = evalExpr(e.a, lookup, line, col, keepCode);
      if (e.op === '+') return a;
      if (e.op === '-' && a.sym === null && a.sub === null) return abs(-a.n);
      if (e.op === '-' && a.sym !== null && a.sub === null) return { n: -a.n, sym: null, sub: a.sym };
      if (a.sym !== null || a.sub !== null)
        throw new AsmError(`operator '${e.op}' needs a constant`, line, col);
      return abs(e.op === '~' ? ~a.n : a.n === 0 ? 1 : 0);
    }
    case 'bin': {
      const a = evalExpr(e.a, lookup, line, col, keepCode);
      const b = evalExpr(e.b, lookup, line, col, keepCode);
      if (e.op === '+') {
        if (a.sym && b.sym) throw new AsmError('cannot add two symbols', line, col);
        if (a.sub && b.sub) throw new AsmError('cannot add two differences', line, col);
        return simplify({ n: a.n + b.n, sym: a.sym ?? b.sym, sub: a.sub ?? b.sub });
      }
      if (e.op === '-') {
        if (b.sub) {
          if (a.sub) throw new AsmError('expression too complex', line, col);
          return simplify({ n: a.n - b.n, sym: a.sym ?? b.sub, sub: b.sym ?? null });
        }
        if (b.sym) {
          if (a.sub) throw new AsmError('expression too complex', line, col);
          return simplify({ n: a.n - b.n, sym: a.sym, sub: b.sym });
        }
        return { n: a.n - b.n, sym: a.sym, sub: a.sub };
      }
      if (a.sym || a.sub || b.sym || b.sub) {
        throw new AsmError(`operator '${e.op}' needs constant operands`, line, col);
      }
      return abs(binop(e.op, a.n, b.n, line, col));
    }
  }
}

/** Folds `a - b` when both symbols are in the same section (a constant distance). */
function fold(v: Val, keepCode: boolean): Val {
  if (
    v.sym &&
    v.sub &&
    v.sym.section !== null &&
    v.sym.section === v.sub.section &&
    !(keepCode && v.sym.code)
  ) {
    return abs(v.n + v.sym.offset - v.sub.offset);
  }
  if (v.sub && !v.sym) {
    // `-b + ...` alone is not representable.
    return v;
  }
  return v;
}

function binop(op: string, a: number, b: number, line: number, col: number): number {
  switch (op) {
    case '*':
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) * BigInt(Math.trunc(b))));
    case '/':
    case '%':
      if (b === 0) throw new AsmError('division by zero', line, col);
      return op === '/' ? Math.trunc(a / b) : a % b;
    case '<<':
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) << BigInt(b & 63)));
    case '>>':
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) >> BigInt(b & 63)));
    case '&':
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) & BigInt(Math.trunc(b))));
    case '|':
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) | BigInt(Math.trunc(b))));
    case '^':
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) ^ BigInt(Math.trunc(b))));
    case '!':
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) | ~BigInt(Math.trunc(b))));
    case '==':
      return a === b ? -1 : 0;
    case '!=':
      return a !== b ? -1 : 0;
    case '<':
      return a < b ? -1 : 0;
    case '>':
      return a > b ? -1 : 0;
    case '<=':
      return a <= b ? -1 : 0;
    case '>=':
      return a >= b ? -1 : 0;
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0;
    case '||':
      return a !== 0 || b !== 0 ? 1 : 0;
  }
  throw new AsmError(`unknown operator '${op}'`, line, col);
}
