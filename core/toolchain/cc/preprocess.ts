// The preprocessor (C11 6.10): directives, conditional inclusion, macro replacement with hide sets
// (Prosser's algorithm), #include search, and GCC's predefined macros for rv32imafdc/ilp32d.

import type { DiagnosticSink } from '../diag';
import { BUILTIN_HEADERS, PREDEFINED, SYSTEM_INCLUDE_DIR } from './headers';
import { sameDefinition, substitute, type Macro } from './macro';
import { ASM_DIRECTIVES, builtinMacros, lexCached, spell } from './pp-support';
import { dirname, joinPath } from './paths';
import { evalPPExpr } from './ppexpr';
import { resolveDefined, resolveHasInclude, type IfContext } from './pp-if';
import { hideIntersect, hideUnion, hideWith, type Token } from './token';

/** How the compiler reads files: the CLI backs it with node:fs, tests with an in-memory map. */
export interface SourceProvider {
  read(path: string): string | undefined;
}

export interface PreprocessOptions {
  provider: SourceProvider;
  sink: DiagnosticSink;
  /** -I directories, searched in order before the system directory. */
  includeDirs?: string[];
  /** -D: `NAME`, `NAME=value`, or entries of a record. */
  defines?: string[] | Record<string, string>;
  /** -U names. */
  undefines?: string[];
  /** Assembler-with-cpp mode (.S files). */
  asm?: boolean;
  /** Fixed time for __DATE__/__TIME__ (reproducible builds); default: now. */
  now?: Date;
}

export interface PreprocessResult {
  tokens: Token[];
  /** Every file read (for dependency tracking / build caches). */
  includes: string[];
}

interface Frame {
  path: string;
  tokens: Token[];
  pos: number;
}

interface Cond {
  /** Some branch of this #if chain has been taken. */
  taken: boolean;
  sawElse: boolean;
  depth: number;
  tok: Token;
  name: string;
}

let predefinedCache: Map<string, Macro> | null = null;

const MAX_INCLUDE_DEPTH = 200;

export class Preprocessor {
  private macros = new Map<string, Macro>();
  private pending: Token[] = [];
  private frames: Frame[] = [];
  private conds: Cond[] = [];
  private once = new Set<string>();
  private counter = 0;
  private out: Token[] = [];
  private readonly includes: string[] = [];
  private readonly sink: DiagnosticSink;

  constructor(private readonly opts: PreprocessOptions) {
    this.sink = opts.sink;
    for (const m of builtinMacros(opts.now ?? new Date(), {
      counter: () => this.counter++,
      baseFile: (t) => this.includes[0] ?? t.file,
      includeLevel: () => Math.max(0, this.frames.length - 1),
    })) {
      this.macros.set(m.name, m);
    }
  }

  run(path: string, text?: string): PreprocessResult {
    // The predefined macros are the same for every run: process them once and share the table
    // (Macro objects are never mutated after definition).
    if (!predefinedCache) {
      this.runText('<built-in>', PREDEFINED);
      predefinedCache = new Map([...this.macros].filter(([, m]) => !m.builtin));
    } else for (const [k, m] of predefinedCache) this.macros.set(k, m);
    this.runText('<command-line>', this.commandLine());
    const src = text ?? this.opts.provider.read(path);
    if (src === undefined) {
      this.sink.error(path, 1, 1, `${path}: No such file or directory`);
    } else {
      this.includes.push(path);
      this.runText(path, src);
    }
    const last = this.out[this.out.length - 1];
    const eof: Token = {
      kind: 'eof',
      text: '',
      file: last?.file ?? path,
      line: last?.line ?? 1,
      col: last?.col ?? 1,
      bol: true,
      space: false,
      hide: null,
    };
    return { tokens: [...this.out, eof], includes: this.includes };
  }

  private commandLine(): string {
    // GCC defines __ASSEMBLER__ when preprocessing assembly, so headers shared with C can hide
    // their C declarations from .S files.
    const lines: string[] = this.opts.asm ? ['#define __ASSEMBLER__ 1'] : [];
    const d = this.opts.defines ?? [];
    const entries = Array.isArray(d)
      ? d.map((s) => {
          const i = s.indexOf('=');
          return i < 0 ? [s, '1'] : [s.slice(0, i), s.slice(i + 1)];
        })
      : Object.entries(d);
    for (const [k, v] of entries) lines.push(`#define ${k} ${v}`);
    for (const u of this.opts.undefines ?? []) lines.push(`#undef ${u}`);
    return lines.join('\n');
  }

  private runText(path: string, text: string): void {
    const keep = this.out;
    if (path.startsWith('<')) this.out = [];
    this.pushFile(path, text);
    this.loop();
    if (path.startsWith('<')) this.out = keep;
  }

  private pushFile(path: string, text: string): void {
    const r = lexCached(path, text, !!this.opts.asm);
    for (const p of r.problems) this.sink.error(p.loc.file, p.loc.line, p.loc.col, p.message);
    this.frames.push({ path, tokens: r.tokens, pos: 0 });
  }

  // ---- token reading ----

  private readRaw(): Token {
    const p = this.pending.pop();
    if (p) return p;
    const f = this.frames[this.frames.length - 1];
    if (!f) return { kind: 'eof', text: '', file: '', line: 0, col: 0, bol: true, space: false, hide: null };
    const t = f.tokens[f.pos] as Token;
    if (t.kind !== 'eof') f.pos++;
    return t;
  }

  /** The next raw token without consuming it (file tokens stay in their frame, so #if skipping is exact). */
  private peekRaw(): Token {
    const p = this.pending[this.pending.length - 1];
    if (p) return p;
    const f = this.frames[this.frames.length - 1];
    if (!f) return { kind: 'eof', text: '', file: '', line: 0, col: 0, bol: true, space: false, hide: null };
    return f.tokens[f.pos] as Token;
  }

  /** The rest of the current directive line. */
  private readLine(): Token[] {
    const toks: Token[] = [];
    for (;;) {
      const t = this.peekRaw();
      if (t.kind === 'eof' || t.bol) return toks;
      toks.push(this.readRaw());
    }
  }

  private loop(): void {
    const depth = this.frames.length;
    while (this.frames.length >= depth && !this.sink.full()) {
      const t = this.readRaw();
      if (t.kind === 'eof') {
        this.endFile();
        continue;
      }
      if (t.kind === 'punct' && t.text === '#' && t.bol && !t.expanded) {
        this.directive(t);
        continue;
      }
      if (t.kind === 'ident' && this.expand(t)) continue;
      if (t.kind === 'ident' && t.text === '_Pragma' && this.skipPragmaOperator()) continue;
      if (t.kind === 'bad') {
        if (this.opts.asm) this.warn(t, t.problem ?? 'stray token');
        else this.err(t, t.problem ?? 'stray token');
      }
      this.out.push(t);
    }
  }

  private endFile(): void {
    const depth = this.frames.length;
    while (this.conds.length && (this.conds[this.conds.length - 1] as Cond).depth === depth) {
      const c = this.conds.pop() as Cond;
      this.err(c.tok, `unterminated #${c.name}`);
    }
    this.frames.pop();
  }

  private skipPragmaOperator(): boolean {
    const a = this.readRaw();
    if (a.text !== '(') {
      this.pending.push(a);
      return false;
    }
    const s = this.readRaw();
    const b = this.readRaw();
    if (s.kind !== 'str' || b.text !== ')') {
      this.err(a, '_Pragma takes a parenthesized string literal');
      if (b.kind === 'eof') this.pending.push(b);
    }
    return true;
  }

  // ---- diagnostics ----

  private err(t: Token, message: string): void {
    this.sink.error(t.file, t.line, t.col, message, t.col + Math.max(1, t.text.length));
  }

  private warn(t: Token, message: string): void {
    this.sink.warning(t.file, t.line, t.col, message, t.col + Math.max(1, t.text.length));
  }

  // ---- macro expansion ----

  /** If `tok` names an enabled macro, pushes its replacement back for rescanning. */
  private expand(tok: Token): boolean {
    if (tok.noexpand) return false;
    const m = this.macros.get(tok.text);
    if (!m) return false;
    if (tok.hide?.has(tok.text)) {
      // Painted blue: this identifier can never be replaced again (6.10.3.4p2).
      tok.noexpand = true;
      return false;
    }
    if (m.builtin) {
      this.pending.push({ ...m.builtin(tok), space: tok.space, bol: tok.bol, expanded: true });
      return true;
    }
    let args: Token[][] = [];
    let hide: ReadonlySet<string>;
    if (m.objlike) {
      hide = hideWith(tok.hide, m.name);
    } else {
      const next = this.peekRaw();
      if (next.text !== '(' || next.kind !== 'punct') return false;
      this.readRaw();
      const r = this.readArgs(m, tok);
      if (!r) return true;
      args = r.args;
      hide = hideWith(hideIntersect(tok.hide, r.rparen.hide), m.name);
    }
    const body = substitute(m, args, {
      expandArg: (toks) => this.expandList(toks),
      error: (t, msg) => this.err(t, msg),
    });
    for (let i = 0; i < body.length; i++) {
      const t = body[i] as Token;
      t.hide = hideUnion(t.hide, hide);
      t.file = tok.file;
      t.line = tok.line;
      t.col = tok.col;
      t.expanded = true;
      t.bol = i === 0 ? tok.bol : false;
      if (i === 0) t.space = tok.space;
    }
    for (let i = body.length - 1; i >= 0; i--) this.pending.push(body[i] as Token);
    return true;
  }

  private readArgs(m: Macro, name: Token): { args: Token[][]; rparen: Token } | null {
    const args: Token[][] = [[]];
    let depth = 0;
    const named = m.variadic ? m.params.length - 1 : m.params.length;
    for (;;) {
      const t = this.readRaw();
      if (t.kind === 'eof') {
        this.err(name, `unterminated argument list invoking macro "${m.name}"`);
        this.pending.push(t);
        return null;
      }
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')') {
        if (depth === 0) {
          return this.checkArgs(m, name, args, named) ? { args, rparen: t } : null;
        }
        depth--;
      } else if (
        t.kind === 'punct' &&
        t.text === ',' &&
        depth === 0 &&
        !(m.variadic && args.length > named)
      ) {
        args.push([]);
        continue;
      }
      (args[args.length - 1] as Token[]).push({ ...t, bol: false, space: t.space || t.bol });
    }
  }

  private checkArgs(m: Macro, name: Token, args: Token[][], named: number): boolean {
    if (m.params.length === 0 && args.length === 1 && (args[0] as Token[]).length === 0) {
      args.length = 0;
      return true;
    }
    if (m.variadic) {
      if (args.length < named) {
        this.err(name, `macro "${m.name}" requires ${named + 1} arguments, but only ${args.length} given`);
        return false;
      }
      while (args.length < m.params.length) args.push([]);
      return true;
    }
    if (args.length < m.params.length) {
      this.err(
        name,
        `macro "${m.name}" requires ${m.params.length} arguments, but only ${args.length} given`,
      );
      return false;
    }
    if (args.length > m.params.length) {
      this.err(name, `macro "${m.name}" passed ${args.length} arguments, but takes just ${m.params.length}`);
      return false;
    }
    return true;
  }

  /** Fully expands a token list in isolation (macro arguments, directive operands). */
  expandList(toks: Token[]): Token[] {
    const savedPending = this.pending;
    const savedFrames = this.frames;
    const end: Token = {
      kind: 'eof',
      text: '',
      file: '',
      line: 0,
      col: 0,
      bol: true,
      space: false,
      hide: null,
    };
    this.pending = [end, ...toks.slice().reverse()];
    this.frames = [];
    const out: Token[] = [];
    for (;;) {
      const t = this.readRaw();
      if (t === end || t.kind === 'eof') break;
      if (t.kind === 'ident' && this.expand(t)) continue;
      out.push(t);
    }
    this.pending = savedPending;
    this.frames = savedFrames;
    return out;
  }

  // ---- directives ----

  private directive(hash: Token): void {
    const name = this.peekRaw();
    if (name.kind === 'eof' || name.bol) return; // the null directive
    this.readRaw();
    const line = this.readLine();
    if (this.opts.asm && !ASM_DIRECTIVES.has(name.text) && name.kind !== 'num') {
      // In assembler-with-cpp mode a `#` line that is no directive is an assembler comment.
      this.out.push(hash, name, ...line);
      return;
    }
    switch (name.text) {
      case 'define':
        return this.define(name, line);
      case 'undef':
        if (line[0]?.kind !== 'ident') return this.err(name, 'no macro name given in #undef directive');
        if (line.length > 1) this.warn(line[1] as Token, 'extra tokens at end of #undef directive');
        this.macros.delete((line[0] as Token).text);
        return;
      case 'include':
      case 'include_next':
        return this.include(name, line);
      case 'if':
        return this.openIf(name, this.evalIf(name, line));
      case 'ifdef':
      case 'ifndef': {
        const id = line[0];
        if (!id || id.kind !== 'ident') {
          this.err(name, `no macro name given in #${name.text} directive`);
          return this.openIf(name, false);
        }
        const def = this.isDefined(id.text);
        return this.openIf(name, name.text === 'ifdef' ? def : !def);
      }
      case 'elif':
      case 'else':
        return this.elseBranch(name, line);
      case 'endif': {
        const c = this.conds[this.conds.length - 1];
        if (!c || c.depth !== this.frames.length) return this.err(name, '#endif without #if');
        this.conds.pop();
        return;
      }
      case 'error':
        return this.err(name, `#error ${spell(line)}`.trimEnd());
      case 'warning':
        return this.warn(name, `#warning ${spell(line)}`.trimEnd());
      case 'line':
        return this.lineDirective(name, this.expandList(line));
      case 'pragma':
        if (line[0]?.text === 'once') this.once.add((this.frames[this.frames.length - 1] as Frame).path);
        return;
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        return;
      default:
        if (name.kind === 'num') return this.lineDirective(name, [name, ...line]);
        return this.err(name, `invalid preprocessing directive #${name.text}`);
    }
  }

  private define(at: Token, line: Token[]): void {
    const name = line[0];
    if (!name || name.kind !== 'ident') return this.err(at, 'macro names must be identifiers');
    if (name.text === 'defined') return this.err(name, '"defined" cannot be used as a macro name');
    const m: Macro = { name: name.text, objlike: true, params: [], variadic: false, body: [], defLoc: name };
    let i = 1;
    const lp = line[1];
    if (lp && lp.text === '(' && !lp.space) {
      m.objlike = false;
      i = 2;
      for (;;) {
        const t = line[i++];
        if (!t) return this.err(at, "missing ')' in macro parameter list");
        if (t.text === ')' && m.params.length === 0) break;
        if (t.text === '...') {
          m.variadic = true;
          m.params.push('__VA_ARGS__');
          if (line[i++]?.text !== ')') return this.err(t, "missing ')' in macro parameter list");
          break;
        }
        if (t.kind !== 'ident') return this.err(t, `expected parameter name, found "${t.text}"`);
        if (m.params.includes(t.text)) return this.err(t, `duplicate macro parameter "${t.text}"`);
        m.params.push(t.text);
        const sep = line[i++];
        if (sep?.text === '...') {
          m.variadic = true; // GNU named variadic parameter `args...`
          if (line[i++]?.text !== ')') return this.err(sep, "missing ')' in macro parameter list");
          break;
        }
        if (sep?.text === ')') break;
        if (sep?.text !== ',') return this.err(sep ?? t, "expected ',' or ')' in macro parameter list");
      }
    } else if (lp && !lp.space) this.warn(lp, 'missing whitespace after the macro name');
    m.body = line.slice(i).map((t, k) => ({ ...t, bol: false, space: k === 0 ? false : t.space }));
    const first = m.body[0];
    const last = m.body[m.body.length - 1];
    if (first?.text === '##' || (last?.text === '##' && last.kind === 'punct')) {
      return this.err(
        first?.text === '##' ? first : (last as Token),
        "'##' cannot appear at either end of a macro expansion",
      );
    }
    if (!m.objlike && !this.opts.asm) {
      for (let k = 0; k < m.body.length; k++) {
        const t = m.body[k] as Token;
        const nx = m.body[k + 1];
        if (
          t.text === '#' &&
          t.kind === 'punct' &&
          !(nx && nx.kind === 'ident' && (m.params.includes(nx.text) || nx.text === '__VA_OPT__'))
        ) {
          return this.err(t, "'#' is not followed by a macro parameter");
        }
      }
    }
    const old = this.macros.get(m.name);
    if (old?.builtin) this.warn(name, `redefining builtin macro "${m.name}"`);
    else if (old && !sameDefinition(old, m)) this.warn(name, `"${m.name}" redefined`);
    this.macros.set(m.name, m);
  }

  private include(at: Token, line: Token[]): void {
    let toks = line;
    if (toks[0]?.kind !== 'str' && toks[0]?.text !== '<') toks = this.expandList(line);
    const first = toks[0];
    let name: string;
    let quoted: boolean;
    if (first?.kind === 'str' && first.text.startsWith('"')) {
      name = first.text.slice(1, -1);
      quoted = true;
    } else if (first?.text === '<') {
      const close = toks.findIndex((t) => t.text === '>');
      if (close < 0) return this.err(at, 'missing terminating > character');
      name = toks
        .slice(1, close)
        .map((t, k) => (k > 0 && t.space ? ' ' : '') + t.text)
        .join('');
      quoted = false;
    } else return this.err(at, '#include expects "FILENAME" or <FILENAME>');
    if (!name) return this.err(at, 'empty filename in #include');
    if (this.frames.length >= MAX_INCLUDE_DEPTH)
      return this.err(
        at,
        `#include nested depth ${this.frames.length} exceeds maximum of ${MAX_INCLUDE_DEPTH}`,
      );
    const cur = (this.frames[this.frames.length - 1] as Frame).path;
    const dirs = [...(quoted ? [dirname(cur)] : []), ...(this.opts.includeDirs ?? []), SYSTEM_INCLUDE_DIR];
    for (const dir of name.startsWith('/') ? [''] : dirs) {
      const path = joinPath(dir, name);
      const text = this.readFile(path);
      if (text === undefined) continue;
      if (this.once.has(path)) return;
      if (!this.includes.includes(path)) this.includes.push(path);
      this.pushFile(path, text);
      return;
    }
    this.err(first as Token, `${name}: No such file or directory`);
  }

  private readFile(path: string): string | undefined {
    if (path.startsWith(`${SYSTEM_INCLUDE_DIR}/`)) {
      const b = BUILTIN_HEADERS[path.slice(SYSTEM_INCLUDE_DIR.length + 1)];
      if (b !== undefined) return b;
    }
    try {
      return this.opts.provider.read(path);
    } catch {
      return undefined;
    }
  }

  private readonly ifCtx: IfContext = {
    err: (t, m) => this.err(t, m),
    isDefined: (n) => this.isDefined(n),
    hasInclude: (n, q) => this.findInclude(n, q) !== null,
  };

  private evalIf(at: Token, line: Token[]): boolean {
    const resolved = resolveHasInclude(this.ifCtx, resolveDefined(this.ifCtx, line));
    const expanded = resolveDefined(this.ifCtx, this.expandList(resolved));
    const v = evalPPExpr(expanded, at, (t, msg) => this.err(t, msg));
    return v !== null && v !== 0n;
  }

  private findInclude(name: string, quoted: boolean): { path: string; text: string } | null {
    const cur = this.frames[this.frames.length - 1]?.path ?? '';
    const dirs = [...(quoted ? [dirname(cur)] : []), ...(this.opts.includeDirs ?? []), SYSTEM_INCLUDE_DIR];
    for (const dir of name.startsWith('/') ? [''] : dirs) {
      const path = joinPath(dir, name);
      const text = this.readFile(path);
      if (text !== undefined) return { path, text };
    }
    return null;
  }

  private isDefined(name: string): boolean {
    return this.macros.has(name) || name === '__has_include' || name === '__has_include_next';
  }

  private openIf(at: Token, value: boolean): void {
    this.conds.push({ taken: value, sawElse: false, depth: this.frames.length, tok: at, name: at.text });
    if (!value) this.skipGroup();
  }

  private elseBranch(at: Token, line: Token[]): void {
    const c = this.conds[this.conds.length - 1];
    if (!c || c.depth !== this.frames.length) return this.err(at, `#${at.text} without #if`);
    if (c.sawElse) return this.err(at, `#${at.text} after #else`);
    if (at.text === 'else') {
      c.sawElse = true;
      if (line.length) this.warn(line[0] as Token, 'extra tokens at end of #else directive');
    }
    if (c.taken) return this.skipGroup();
    const v = at.text === 'else' ? true : this.evalIf(at, line);
    c.taken = v;
    if (!v) this.skipGroup();
  }

  /** Skips a false group up to its #elif/#else/#endif, which is left to be read as a directive. */
  private skipGroup(): void {
    const f = this.frames[this.frames.length - 1];
    if (!f) return;
    this.pending.length = 0;
    let depth = 0;
    for (;;) {
      const t = f.tokens[f.pos] as Token;
      if (t.kind === 'eof') return;
      f.pos++;
      if (!(t.kind === 'punct' && t.text === '#' && t.bol)) continue;
      const d = f.tokens[f.pos] as Token;
      if (d.bol || d.kind !== 'ident') continue;
      if (d.text === 'if' || d.text === 'ifdef' || d.text === 'ifndef') depth++;
      else if (d.text === 'endif') {
        if (depth === 0) {
          f.pos--;
          return;
        }
        depth--;
      } else if ((d.text === 'elif' || d.text === 'else') && depth === 0) {
        f.pos--;
        return;
      }
    }
  }

  private lineDirective(at: Token, line: Token[]): void {
    const num = line[0];
    if (!num || num.kind !== 'num' || !/^[0-9]+$/.test(num.text)) {
      return this.err(num ?? at, `"${num?.text ?? ''}" after #line is not a positive integer`);
    }
    const file = line[1];
    if (file && file.kind !== 'str') return this.err(file, `invalid filename "${file.text}"`);
    const f = this.frames[this.frames.length - 1];
    if (!f) return;
    const newLine = Number(num.text);
    const newFile = file ? file.text.slice(1, -1) : undefined;
    // Renumber every token that follows (the directive's own line maps to newLine - 1).
    const delta = newLine - (at.line + 1);
    for (let i = f.pos; i < f.tokens.length; i++) {
      const t = f.tokens[i] as Token;
      t.line += delta;
      if (newFile !== undefined) t.file = newFile;
    }
  }

  // ---- builtin macros ----
}

/** Convenience: preprocesses one file. */
export function preprocess(path: string, opts: PreprocessOptions, text?: string): PreprocessResult {
  return new Preprocessor(opts).run(path, text);
}
