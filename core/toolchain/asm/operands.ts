// Operand parsing (registers, expressions, `imm(reg)` addresses) and matching of parsed operands
// against an instruction's operand letters (see opcodes.ts), producing the instruction word and at
// most one pending fixup for a symbolic immediate.
import { immI, immS, immU } from '../obj/fields';
import { csrNumber } from './csr';
import { AsmError } from './diag';
import { Cursor, parseExpr, type Expr, type ExprHooks } from './expr';
import type { Token } from './lexer';
import type { OpDef } from './opcodes';
import { fpReg, intReg, ROUNDING_MODES } from './regs';

export type Operand =
  | { k: 'reg'; n: number; t: Token }
  | { k: 'freg'; n: number; t: Token }
  | { k: 'expr'; e: Expr; t: Token }
  | { k: 'mem'; e: Expr | null; base: number; t: Token };

/** Pending immediate fields resolved after layout (constants) or turned into relocations. */
export type FixKind =
  | 'i12'
  | 's12'
  | 'u20'
  | 'sh5'
  | 'hi20'
  | 'lo12i'
  | 'lo12s'
  | 'pcrel_hi20'
  | 'pcrel_lo12i'
  | 'pcrel_lo12s'
  | 'call'
  | 'd8'
  | 'd16'
  | 'd32'
  | 'd64';

export interface PendingFix {
  kind: FixKind;
  expr: Expr;
  t: Token;
}

export interface Encoded {
  word: number;
  fix: PendingFix | null;
}

/** Splits the operand tokens at top-level commas and classifies each operand. */
export function parseOperands(c: Cursor, hooks: ExprHooks): Operand[] {
  const ops: Operand[] = [];
  if (c.atEnd()) return ops;
  while (true) {
    const start = c.i;
    let depth = 0;
    while (!c.atEnd()) {
      const t = c.peek();
      if (t.kind === 'punct' && t.text === '(') depth++;
      if (t.kind === 'punct' && t.text === ')') depth--;
      if (depth === 0 && t.kind === 'punct' && t.text === ',') break;
      c.next();
    }
    const group = c.toks.slice(start, c.i);
    const first = group[0];
    if (first === undefined) c.fail('missing operand');
    ops.push(classify(group, first, hooks));
    if (!c.eat(',')) break;
  }
  return ops;
}

function classify(group: Token[], first: Token, hooks: ExprHooks): Operand {
  if (group.length === 1 && first.kind === 'id') {
    const r = intReg(first.text);
    if (r !== undefined) return { k: 'reg', n: r, t: first };
    const f = fpReg(first.text);
    if (f !== undefined) return { k: 'freg', n: f, t: first };
  }
  const n = group.length;
  const last = group[n - 1];
  const reg = group[n - 2];
  const open = group[n - 3];
  if (
    n >= 3 &&
    last?.kind === 'punct' &&
    last.text === ')' &&
    open?.kind === 'punct' &&
    open.text === '(' &&
    reg?.kind === 'id' &&
    intReg(reg.text) !== undefined &&
    // `%hi(a0)` is a relocation of symbol a0, not an address based on register a0.
    !(n >= 5 && group[n - 5]!.text === '%' && group[n - 4]!.kind === 'id')
  ) {
    const base = intReg(reg.text) ?? 0;
    if (n === 3) return { k: 'mem', e: null, base, t: first };
    return { k: 'mem', e: subExpr(group.slice(0, n - 3), hooks), base, t: first };
  }
  return { k: 'expr', e: subExpr(group, hooks), t: first };
}

function subExpr(toks: Token[], hooks: ExprHooks): Expr {
  const last = toks[toks.length - 1] as Token;
  const c = new Cursor(
    [...toks, { kind: 'eol', text: '', value: 0, line: last.line, col: last.col + last.text.length }],
    0,
  );
  const e = parseExpr(c, hooks);
  if (!c.atEnd()) c.fail(`junk in operand: '${c.peek().text}'`);
  return e;
}

/** Constant evaluation at parse time (null when the value depends on layout or relocation). */
export type ConstEval = (e: Expr) => number | null;

const FIELD: Record<string, number> = { d: 7, s: 15, t: 20, D: 7, S: 15, T: 20, R: 27, Z: 15 };

/** Tries to encode `ops` with the operand letters of `def`; throws AsmError on a mismatch. */
export function encodeOp(def: OpDef, ops: Operand[], constEval: ConstEval, where: Token): Encoded {
  const letters = def.ops === '' ? [] : def.ops.split(',');
  let word = def.match;
  let fix: PendingFix | null = null;
  const optionalRm = letters[letters.length - 1] === 'm';
  if (ops.length !== letters.length && !(optionalRm && ops.length === letters.length - 1)) {
    throw new AsmError(
      `'${def.name}' expects ${letters.length} operand(s), got ${ops.length}`,
      where.line,
      where.col,
    );
  }
  const setFix = (f: PendingFix): void => {
    fix = f;
  };
  letters.forEach((L, i) => {
    const op = ops[i];
    if (op === undefined) {
      word |= (def.rmDefault ?? 7) << 12;
      return;
    }
    word = (word | encodeOne(L, op, constEval, setFix)) >>> 0;
  });
  return { word: word >>> 0, fix };
}

function bad(op: Operand, what: string): never {
  throw new AsmError(`expected ${what}`, op.t.line, op.t.col);
}

function constIn(op: Operand, e: Expr, v: number | null, lo: number, hi: number, what: string): number {
  if (v === null) bad(op, what);
  if (v < lo || v > hi)
    throw new AsmError(`${what} out of range: ${v} (allowed ${lo}..${hi})`, op.t.line, op.t.col);
  void e;
  return v;
}

function encodeOne(L: string, op: Operand, constEval: ConstEval, setFix: (f: PendingFix) => void): number {
  switch (L) {
    case 'd':
    case 's':
    case 't':
      if (op.k !== 'reg') bad(op, 'an integer register');
      return op.n << (FIELD[L] ?? 0);
    case 'D':
    case 'S':
    case 'T':
    case 'R':
      if (op.k !== 'freg') bad(op, 'a floating-point register');
      return op.n << (FIELD[L] ?? 0);
    case 'i':
      if (op.k !== 'expr') bad(op, 'an immediate');
      return immediate(op, op.e, 'i', constEval, setFix);
    case 'o':
    case 'O': {
      if (op.k !== 'mem') bad(op, 'an address imm(reg)');
      const field = op.e === null ? 0 : immediate(op, op.e, L === 'o' ? 'i' : 's', constEval, setFix);
      return field | (op.base << 15);
    }
    case 'A':
      if (op.k !== 'mem' || (op.e !== null && constEval(op.e) !== 0)) bad(op, 'an address (reg)');
      return op.base << 15;
    case 'u': {
      if (op.k !== 'expr') bad(op, 'an immediate');
      const e = op.e;
      if (e.k === 'mod') {
        if (e.mod === 'hi') setFix({ kind: 'hi20', expr: e.a, t: op.t });
        else if (e.mod === 'pcrel_hi') setFix({ kind: 'pcrel_hi20', expr: e.a, t: op.t });
        else bad(op, '%hi or %pcrel_hi');
        return 0;
      }
      const v = constEval(e);
      if (v === null) {
        setFix({ kind: 'u20', expr: e, t: op.t });
        return 0;
      }
      return immU(constIn(op, e, v, 0, 0xfffff, 'immediate'));
    }
    case '>': {
      if (op.k !== 'expr') bad(op, 'a shift amount');
      const v = constEval(op.e);
      if (v === null) {
        setFix({ kind: 'sh5', expr: op.e, t: op.t });
        return 0;
      }
      return constIn(op, op.e, v, 0, 31, 'shift amount') << 20;
    }
    case 'Z': {
      if (op.k !== 'expr') bad(op, 'a 5-bit immediate');
      return constIn(op, op.e, constEval(op.e), 0, 31, 'CSR immediate') << 15;
    }
    case 'm': {
      if (op.k !== 'expr' || op.e.k !== 'sym' || ROUNDING_MODES[op.e.name] === undefined)
        bad(op, 'a rounding mode');
      return (ROUNDING_MODES[op.e.name] ?? 7) << 12;
    }
    case 'c': {
      if (op.k !== 'expr') bad(op, 'a CSR');
      if (op.e.k === 'sym') {
        const n = csrNumber(op.e.name);
        if (n !== undefined) return n << 20;
      }
      return constIn(op, op.e, constEval(op.e), 0, 4095, 'CSR number') << 20;
    }
    case 'P':
    case 'Q': {
      if (op.k !== 'expr') bad(op, 'a fence set');
      let bits = 0;
      if (op.e.k === 'sym' && /^[iorw]+$/.test(op.e.name)) {
        for (const ch of op.e.name) bits |= { i: 8, o: 4, r: 2, w: 1 }[ch] ?? 0;
      } else if (op.e.k === 'num' && op.e.v === 0) {
        bits = 0;
      } else bad(op, 'a fence set (i, o, r, w)');
      return bits << (L === 'P' ? 24 : 20);
    }
  }
  throw new AsmError(`internal: operand letter ${L}`, op.t.line, op.t.col);
}

function immediate(
  op: Operand,
  e: Expr,
  fmt: 'i' | 's',
  constEval: ConstEval,
  setFix: (f: PendingFix) => void,
): number {
  if (e.k === 'mod') {
    if (e.mod === 'lo') setFix({ kind: fmt === 'i' ? 'lo12i' : 'lo12s', expr: e.a, t: op.t });
    else if (e.mod === 'pcrel_lo')
      setFix({ kind: fmt === 'i' ? 'pcrel_lo12i' : 'pcrel_lo12s', expr: e.a, t: op.t });
    else bad(op, '%lo or %pcrel_lo');
    return 0;
  }
  const v = constEval(e);
  if (v === null) {
    setFix({ kind: fmt === 'i' ? 'i12' : 's12', expr: e, t: op.t });
    return 0;
  }
  const n = constIn(op, e, v, -2048, 2047, 'immediate');
  return fmt === 'i' ? immI(n) : immS(n);
}
