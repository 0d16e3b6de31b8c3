// futcc's assembler: GNU as syntax for RV32GC in, an ELF32 relocatable object out. Errors are
// collected as diagnostics with file:line:col; assembly continues with the next statement so an
// editor sees every error at once.
import { writeObject } from '../obj/writer';
import type { ObjectModel } from '../obj/types';
import { AsmError, type Diagnostic } from './diag';
import { directive, defineEqu, type DirectiveContext } from './directives';
import { Cursor, evalExpr, parseExpr, type Expr, type ExprHooks } from './expr';
import { InsnContext, instruction } from './instructions';
import { encode, layout } from './layout';
import { tokenize, type Token } from './lexer';
import { parseOperands } from './operands';
import { AsmState } from './state';

export interface AssembleOptions {
  /** File name used in diagnostics. */
  file?: string;
  /** Automatic compression (RVC) at the start; `.option norvc/rvc` changes it. Default true. */
  rvc?: boolean;
}

export interface AssembleResult {
  /** The object, or null when there were errors. */
  object: ObjectModel | null;
  diagnostics: Diagnostic[];
}

/** Assembles GNU as source into an object model. Never throws for bad input. */
export function assemble(source: string, opts: AssembleOptions = {}): AssembleResult {
  const file = opts.file ?? '<stdin>';
  const diagnostics: Diagnostic[] = [];
  const report = (e: AsmError): void =>
    void diagnostics.push({ file, line: e.line, col: e.col, severity: 'error', message: e.message });
  let toks: Token[];
  try {
    toks = tokenize(source);
  } catch (e) {
    if (!(e instanceof AsmError)) throw e;
    report(e);
    return { object: null, diagnostics };
  }
  const st = new AsmState(opts.rvc ?? true);
  st.evalWith = (e, line, col, depth) => evalExpr(e, (n, l, c) => st.value(n, l, c, depth), line, col);
  const hooks: ExprHooks = {
    numRef: (text, t) => st.numRef(text, t.line, t.col),
    dot: () => st.tempLabel('.L.'),
  };
  const constEval = (e: Expr): number | null => {
    const v = st.evalWith(e, st.line, st.col, 0);
    return v.sym || v.sub || Number.isNaN(v.n) ? null : v.n;
  };
  const dcx: DirectiveContext = { st, hooks, constEval };
  const icx = new InsnContext(st, constEval);
  const c = new Cursor(toks, 0);
  while (c.i < toks.length - 1 || !c.atEnd()) {
    try {
      statement(c, st, dcx, icx, hooks);
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      report(e);
      while (!c.atEnd()) c.next();
    }
    if (c.i >= toks.length - 1) break;
    c.i++; // the eol
  }
  for (const s of st.symbols.values()) {
    if (!s.defined && !s.common && s.key.startsWith('.L') && s.key.includes('\u0002')) {
      diagnostics.push({
        file,
        line: s.line,
        col: s.col,
        severity: 'error',
        message: `undefined local label '${displayName(s.key)}'`,
      });
    }
  }
  if (diagnostics.length > 0) return { object: null, diagnostics };
  try {
    st.laidOut = true;
    layout(st);
    return { object: encode(st), diagnostics };
  } catch (e) {
    if (!(e instanceof AsmError)) throw e;
    report(e);
    return { object: null, diagnostics };
  }
}

/** Assembles straight to ELF bytes. */
export function assembleToElf(
  source: string,
  opts: AssembleOptions = {},
): { elf: Uint8Array | null; diagnostics: Diagnostic[] } {
  const r = assemble(source, opts);
  return { elf: r.object ? writeObject(r.object) : null, diagnostics: r.diagnostics };
}

function displayName(key: string): string {
  const parts = key.split('\u0002');
  return parts.length === 2 ? (parts[0] ?? '').slice(2) : key;
}

function statement(c: Cursor, st: AsmState, dcx: DirectiveContext, icx: InsnContext, hooks: ExprHooks): void {
  // Labels (several may precede a statement).
  while (true) {
    const t = c.peek();
    st.line = t.line;
    st.col = t.col;
    if ((t.kind === 'id' || t.kind === 'num') && c.isPunct(':', 1)) {
      c.next();
      c.next();
      if (t.kind === 'num') {
        if (!/^[0-9]+$/.test(t.text)) c.fail(`bad local label '${t.text}'`, t);
        st.defineNumeric(String(Number(t.text)), t.line, t.col);
      } else st.defineLabel(t.text, t.line, t.col);
      continue;
    }
    if (t.kind === 'str' && c.isPunct(':', 1)) {
      c.next();
      c.next();
      st.defineLabel(t.text.slice(1, -1), t.line, t.col);
      continue;
    }
    break;
  }
  if (c.atEnd()) return;
  const t = c.next();
  if (t.kind !== 'id') c.fail(`expected an instruction or directive, found '${t.text}'`, t);
  if (c.eat('=')) {
    defineEqu(dcx, t.text, parseExpr(c, hooks), t);
    if (!c.atEnd()) c.fail(`junk at end of line: '${c.peek().text}'`);
    return;
  }
  const name = t.text.toLowerCase();
  if (name.startsWith('.') && !/^\.insn$/.test(name)) {
    directive(dcx, name, c, t);
    return;
  }
  const ops = parseOperands(c, hooks);
  if (!c.atEnd()) c.fail(`junk at end of line: '${c.peek().text}'`);
  instruction(icx, name, ops, t);
}
