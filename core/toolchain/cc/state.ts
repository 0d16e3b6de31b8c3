// Parser state shared by the declaration, expression, statement and initializer parsers:
// the token cursor, diagnostics with recovery, scopes (ordinary identifiers, tags, labels).

import type { DiagnosticSink } from '../diag';
import type { FuncDef, StringLit, Sym } from './ast';
import type { Loc, Token } from './token';
import type { EnumInfo, RecordInfo, Type } from './types';

/** Thrown on a syntax error after it is reported; caught where the parser can resynchronise. */
export class SyntaxError_ extends Error {}

export type Tag =
  { kind: 'struct' | 'union'; info: RecordInfo } | { kind: 'enum'; info: EnumInfo; type: Type };

interface Scope {
  vars: Map<string, Sym>;
  tags: Map<string, Tag>;
}

export interface FuncCtx {
  sym: Sym;
  type: import('./types').FuncType;
  locals: Sym[];
  labels: Map<string, Loc>;
  gotos: Array<{ label: string; loc: Loc }>;
  /** Current switch (for case/default) and loop/switch depth for break/continue. */
  switches: Array<{
    id: number;
    cases: Array<{ value: bigint | null; id: number; loc: Loc }>;
    condType: Type;
  }>;
  breakDepth: number;
  continueDepth: number;
}

export const KEYWORDS = new Set([
  'auto',
  'break',
  'case',
  'char',
  'const',
  'continue',
  'default',
  'do',
  'double',
  'else',
  'enum',
  'extern',
  'float',
  'for',
  'goto',
  'if',
  'inline',
  'int',
  'long',
  'register',
  'restrict',
  'return',
  'short',
  'signed',
  'sizeof',
  'static',
  'struct',
  'switch',
  'typedef',
  'union',
  'unsigned',
  'void',
  'volatile',
  'while',
  '_Alignas',
  '_Alignof',
  '_Atomic',
  '_Bool',
  '_Complex',
  '_Generic',
  '_Imaginary',
  '_Noreturn',
  '_Static_assert',
  '_Thread_local',
  '__attribute__',
  '__asm__',
  '__asm',
  'asm',
  '__inline',
  '__inline__',
  '__restrict',
  '__restrict__',
  '__const',
  '__const__',
  '__volatile__',
  '__signed__',
  '__signed',
  '__extension__',
  '__typeof__',
  'typeof',
  '__alignof__',
  '__builtin_va_list',
]);

/** GNU alternate spellings, normalised when a token is classified. */
export const KEYWORD_ALIAS: Record<string, string> = {
  __inline: 'inline',
  __inline__: 'inline',
  __restrict: 'restrict',
  __restrict__: 'restrict',
  __const: 'const',
  __const__: 'const',
  __volatile__: 'volatile',
  __signed__: 'signed',
  __signed: 'signed',
  __alignof__: '_Alignof',
  __typeof__: 'typeof',
  __asm__: 'asm',
  __asm: 'asm',
};

/** GCC's wording for a token in "expected ... before X" messages. */
export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'num') return 'numeric constant';
  if (t.kind === 'str') return 'string constant';
  if (t.kind === 'char') return 'character constant';
  if (t.kind === 'punct') return `'${t.text}' token`;
  return `'${t.text}'`;
}

export interface ParseOptions {
  /** -Wall: enables unused-variable warnings (and other -Wall warnings). */
  wall?: boolean;
}

export class State {
  pos = 0;
  scopes: Scope[] = [{ vars: new Map(), tags: new Map() }];
  func: FuncCtx | null = null;
  globals: Sym[] = [];
  functions: FuncDef[] = [];
  strings: StringLit[] = [];
  notedUndeclared = false;
  toplevelAsm: string[] = [];
  private nextId = 1;
  private staticCounter = 0;

  constructor(
    readonly toks: Token[],
    readonly sink: DiagnosticSink,
    readonly opts: ParseOptions = {},
  ) {}

  id(): number {
    return this.nextId++;
  }

  staticName(name: string): string {
    return `${name}.${this.staticCounter++}`;
  }

  // ---- cursor ----

  peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }

  /** The token's text as a keyword/punctuator (aliases normalised), or '' for other kinds. */
  sym(k = 0): string {
    const t = this.peek(k);
    if (t.kind === 'punct') return t.text;
    if (t.kind === 'ident') return KEYWORD_ALIAS[t.text] ?? t.text;
    return '';
  }

  is(text: string, k = 0): boolean {
    return this.sym(k) === text && (this.peek(k).kind === 'punct' || KEYWORDS.has(this.peek(k).text));
  }

  accept(text: string): boolean {
    if (this.is(text)) {
      this.next();
      return true;
    }
    return false;
  }

  /** Consumes `text` or reports GCC's "expected X before Y" (`expected` overrides the X part). */
  expect(text: string, expected?: string): Token {
    if (this.is(text)) return this.next();
    const t = this.peek();
    const want = expected ?? `'${text}'`;
    if (t.kind === 'eof') this.syntax(t, `expected ${want} at end of input`);
    // Like GCC: on the same line, point just after the previous token.
    const prev = this.toks[this.pos - 1];
    const at =
      prev && prev.line === t.line && prev.file === t.file ? { ...t, col: prev.col + prev.text.length } : t;
    this.syntax(at, `expected ${want} before ${describeToken(t)}`);
  }

  atEof(): boolean {
    return this.peek().kind === 'eof';
  }

  isIdent(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && !KEYWORDS.has(t.text);
  }

  // ---- diagnostics ----

  error(at: Loc & { text?: string }, message: string): void {
    this.sink.error(at.file, at.line, at.col, message, at.text ? at.col + at.text.length : undefined);
  }

  warn(at: Loc & { text?: string }, message: string): void {
    this.sink.warning(at.file, at.line, at.col, message, at.text ? at.col + at.text.length : undefined);
  }

  note(at: Loc, message: string): void {
    this.sink.note(at.file, at.line, at.col, message);
  }

  syntax(at: Token, message: string): never {
    if (at.kind === 'bad') this.error(at, at.problem ?? message);
    else this.error(at, message);
    throw new SyntaxError_(message);
  }

  /** Skips to just after the next `;` at nesting depth 0, or to a `}` closing the current level. */
  recover(stopAtBrace = true): void {
    let depth = 0;
    while (!this.atEof()) {
      const t = this.peek();
      if (t.kind === 'punct') {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1);
        else if (t.text === '}') {
          if (depth === 0) {
            if (!stopAtBrace) this.next();
            return;
          }
          depth--;
          if (depth === 0 && !stopAtBrace) {
            this.next();
            return;
          }
        } else if (t.text === ';' && depth === 0) {
          this.next();
          return;
        }
      }
      this.next();
    }
  }

  // ---- scopes ----

  enterScope(): void {
    this.scopes.push({ vars: new Map(), tags: new Map() });
  }

  leaveScope(): void {
    const s = this.scopes.pop();
    if (s && this.opts.wall) {
      for (const v of s.vars.values()) {
        if (
          !v.used &&
          v.isLocal &&
          !v.isParam &&
          v.storage !== 'typedef' &&
          v.storage !== 'enumconst' &&
          !v.isFunction
        ) {
          this.warn(v.loc, `unused variable '${v.name}'`);
        }
      }
    }
  }

  get atFileScope(): boolean {
    return this.scopes.length === 1;
  }

  lookup(name: string): Sym | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = (this.scopes[i] as Scope).vars.get(name);
      if (s) return s;
    }
    return undefined;
  }

  lookupCurrent(name: string): Sym | undefined {
    return (this.scopes[this.scopes.length - 1] as Scope).vars.get(name);
  }

  declare(sym: Sym): void {
    (this.scopes[this.scopes.length - 1] as Scope).vars.set(sym.name, sym);
  }

  declareGlobal(sym: Sym): void {
    (this.scopes[0] as Scope).vars.set(sym.name, sym);
  }

  lookupTag(name: string): Tag | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = (this.scopes[i] as Scope).tags.get(name);
      if (s) return s;
    }
    return undefined;
  }

  lookupTagCurrent(name: string): Tag | undefined {
    return (this.scopes[this.scopes.length - 1] as Scope).tags.get(name);
  }

  declareTag(name: string, tag: Tag): void {
    (this.scopes[this.scopes.length - 1] as Scope).tags.set(name, tag);
  }

  isTypedefName(k = 0): boolean {
    const t = this.peek(k);
    if (t.kind !== 'ident' || KEYWORDS.has(t.text)) return false;
    return this.lookup(t.text)?.storage === 'typedef';
  }
}
