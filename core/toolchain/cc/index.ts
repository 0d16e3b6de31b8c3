// futcc front end entry points: preprocess (-E) and compile to a typed AST. Pure: files come
// through a SourceProvider. Never throws on any input: every failure ends as diagnostics.

import { DiagnosticSink, TooManyErrors, type Diagnostic } from '../diag';
import type { TranslationUnit } from './ast';
import { tokensToText } from './pptext';
import { Preprocessor, type SourceProvider } from './preprocess';
import { State } from './state';
import type { Token } from './token';
import { parseTranslationUnit } from './toplevel';
import { isComplete } from './types';

export type { SourceProvider } from './preprocess';
export type { TranslationUnit } from './ast';

export interface CompileOptions {
  /** Path of the main file, as given to the provider. */
  path: string;
  provider: SourceProvider;
  /** Text of the main file (else read through the provider). */
  text?: string;
  /** -D: `NAME` or `NAME=value`. */
  defines?: string[];
  /** -U names. */
  undefines?: string[];
  /** -I directories. */
  includeDirs?: string[];
  /** -Wall (unused variables...). */
  wall?: boolean;
  /** -Werror. */
  werror?: boolean;
  /** -fmax-errors (default 100; 0 = unlimited). */
  maxErrors?: number;
  /** Assembler-with-cpp (for preprocessing .S files). */
  asm?: boolean;
  /** Fixed __DATE__/__TIME__. */
  now?: Date;
}

export interface CompileResult {
  ast: TranslationUnit | null;
  diagnostics: Diagnostic[];
  /** Files read (main file and every header), for incremental builds. */
  includes: string[];
  ok: boolean;
}

function sinkFor(opts: CompileOptions): DiagnosticSink {
  const sink = new DiagnosticSink(opts.maxErrors ?? 100);
  sink.werror = !!opts.werror;
  return sink;
}

function runPP(opts: CompileOptions, sink: DiagnosticSink): { tokens: Token[]; includes: string[] } {
  return new Preprocessor({
    provider: opts.provider,
    sink,
    includeDirs: opts.includeDirs,
    defines: opts.defines,
    undefines: opts.undefines,
    asm: opts.asm,
    now: opts.now,
  }).run(opts.path, opts.text);
}

function internalError(sink: DiagnosticSink, path: string, e: unknown): void {
  if (e instanceof TooManyErrors) return;
  const msg = e instanceof Error ? e.message : String(e);
  sink.error(path, 1, 1, `internal compiler error: ${msg}`);
}

/** `-E`: the preprocessed text (with line markers unless `noLineMarkers`). */
export function preprocessToText(opts: CompileOptions & { noLineMarkers?: boolean }): {
  text: string;
  diagnostics: Diagnostic[];
  includes: string[];
} {
  const sink = sinkFor(opts);
  try {
    const r = runPP(opts, sink);
    return {
      text: tokensToText(r.tokens, { noLineMarkers: opts.noLineMarkers }),
      diagnostics: sink.items,
      includes: r.includes,
    };
  } catch (e) {
    internalError(sink, opts.path, e);
    return { text: '', diagnostics: sink.items, includes: [] };
  }
}

export function compileToAst(opts: CompileOptions): CompileResult {
  const sink = sinkFor(opts);
  let includes: string[] = [];
  try {
    const pp = runPP(opts, sink);
    includes = pp.includes;
    const s = new State(pp.tokens, sink, { wall: opts.wall });
    parseTranslationUnit(s);
    for (const g of s.globals) {
      // Tentative definitions of incomplete arrays get one element (GCC warns).
      if (g.type.kind === 'array' && g.type.len === null && g.defined && !g.init) {
        sink.warning(g.loc.file, g.loc.line, g.loc.col, `array '${g.name}' assumed to have one element`);
        g.type = { ...g.type, len: 1 };
      } else if (g.defined && !isComplete(g.type) && !g.isFunction) {
        sink.error(g.loc.file, g.loc.line, g.loc.col, `storage size of '${g.name}' isn't known`);
      }
    }
    const ast: TranslationUnit = {
      functions: s.functions,
      globals: s.globals,
      strings: s.strings,
      toplevelAsm: s.toplevelAsm,
    };
    return { ast, diagnostics: sink.items, includes, ok: !sink.hasErrors() };
  } catch (e) {
    internalError(sink, opts.path, e);
    return { ast: null, diagnostics: sink.items, includes, ok: false };
  }
}
