// `-E` output: preprocessed text with GCC-style line markers (`# 12 "file.h"`).

import type { Token } from './token';

export interface PPTextOptions {
  /** -P: no line markers. */
  noLineMarkers?: boolean;
}

export function tokensToText(tokens: readonly Token[], opts: PPTextOptions = {}): string {
  const out: string[] = [];
  let file = '';
  let line = 0;
  let first = true;
  let prev: Token | undefined;
  for (const t of tokens) {
    if (t.kind === 'eof') break;
    if (t.file !== file || t.line < line || t.line > line + 8) {
      // New file or a big jump: emit a marker (or a newline in -P mode).
      if (!first) out.push('\n');
      if (!opts.noLineMarkers) out.push(`# ${t.line} "${t.file}"\n`);
      file = t.file;
      line = t.line;
      out.push(' '.repeat(Math.max(0, t.col - 1)));
    } else if (t.line > line) {
      out.push('\n'.repeat(opts.noLineMarkers ? 1 : t.line - line));
      line = t.line;
      out.push(' '.repeat(Math.max(0, t.col - 1)));
    } else if (t.bol && !first) {
      out.push('\n');
    } else if (!first && (t.space || (prev && wouldMerge(prev, t)))) {
      out.push(' ');
    }
    out.push(t.text);
    first = false;
    prev = t;
  }
  out.push('\n');
  return out.join('');
}

/** Adjacent tokens from macro expansion that would lex as one token must be kept apart. */
function wouldMerge(a: Token, b: Token): boolean {
  const word = (t: Token): boolean => t.kind === 'ident' || t.kind === 'num';
  if (word(a) && word(b)) return true;
  if (a.kind === 'num' && (b.text === '.' || b.text === '+' || b.text === '-')) return true;
  return (
    a.kind === 'punct' &&
    b.kind === 'punct' &&
    /^(\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&^|<>=!]=|->|##|\.\.)/.test(a.text + b.text)
  );
}
