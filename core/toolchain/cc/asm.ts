// GNU asm statements: `asm [volatile] ( template [: outputs [: inputs [: clobbers]]] );`
// Operands are checked (outputs must be modifiable lvalues with `=` or `+` constraints) and kept
// in GCC's numbering for the code generator.

import type { AsmOperand, Stmt } from './ast';
import { rvalue } from './conv';
import { checkModifiable, parseExpr } from './expr';
import type { State } from './state';
import { asmString } from './toplevel';
import type { Token } from './token';

function operands(s: State, output: boolean): AsmOperand[] {
  const out: AsmOperand[] = [];
  if (s.is(':') || s.is(')')) return out;
  do {
    let name: string | null = null;
    if (s.accept('[')) {
      const n = s.next();
      if (n.kind !== 'ident') s.syntax(n, `expected identifier before '${n.text}'`);
      name = n.text;
      s.expect(']');
    }
    const cTok = s.peek();
    const constraint = asmString(s);
    s.expect('(');
    const e = parseExpr(s);
    s.expect(')');
    const memory = /[mo]/.test(constraint);
    if (output) {
      if (!/^[=+]/.test(constraint)) s.error(cTok, `output operand constraint lacks '='`);
      checkModifiable(s, e, e.loc, 'assignment');
      out.push({ name, constraint, expr: e });
    } else out.push({ name, constraint, expr: memory ? e : rvalue(e) });
  } while (s.accept(','));
  return out;
}

export function asmStmt(s: State, kw: Token): Stmt {
  s.next();
  let volatile = false;
  while (s.is('volatile') || s.is('inline') || s.is('goto')) {
    const q = s.next();
    if (q.text === 'goto') s.error(q, "'asm goto' is not supported by futcc");
    volatile = true;
  }
  s.expect('(');
  const template = asmString(s);
  let outputs: AsmOperand[] = [];
  let inputs: AsmOperand[] = [];
  const clobbers: string[] = [];
  let basic = true;
  if (s.accept(':')) {
    basic = false;
    outputs = operands(s, true);
    if (s.accept(':')) {
      inputs = operands(s, false);
      if (s.accept(':')) {
        if (s.peek().kind === 'str') {
          do clobbers.push(asmString(s));
          while (s.accept(','));
        }
      }
    }
  }
  s.expect(')');
  s.expect(';');
  // An asm without outputs is implicitly volatile (GCC).
  return {
    k: 'asm',
    loc: kw,
    template,
    volatile: volatile || outputs.length === 0,
    outputs,
    inputs,
    clobbers,
    basic,
  };
}
