// Preprocessing tokens (C11 6.4): what the lexer produces and the preprocessor consumes and emits.
// The parser classifies them further (keywords, constants) in ctoken.ts.

export type PPKind = 'ident' | 'num' | 'char' | 'str' | 'punct' | 'other' | 'bad' | 'eof';

/** A source position; for tokens produced by macro expansion it is the use site of the macro. */
export interface Loc {
  file: string;
  line: number;
  col: number;
}

export interface Token extends Loc {
  kind: PPKind;
  /** Spelling (digraphs normalised to their primary form). */
  text: string;
  /** First token on a logical line. */
  bol: boolean;
  /** Preceded by white space (for stringizing and -E output). */
  space: boolean;
  /** Macro names that must not expand this token again (the C standard's "hide set"). */
  hide: ReadonlySet<string> | null;
  /** Produced by macro expansion: never starts a directive. */
  expanded?: boolean;
  /** An identifier painted blue (seen while its macro was disabled): never expands again. */
  noexpand?: boolean;
  /** For 'bad' tokens: what is wrong (reported only when the token is actually used). */
  problem?: string;
}

export function makeToken(kind: PPKind, text: string, at: Loc, bol = false, space = false): Token {
  return { kind, text, file: at.file, line: at.line, col: at.col, bol, space, hide: null };
}

export function copyToken(t: Token): Token {
  return { ...t };
}

export function hideUnion(
  a: ReadonlySet<string> | null,
  b: ReadonlySet<string> | null,
): ReadonlySet<string> | null {
  if (!a || a.size === 0) return b;
  if (!b || b.size === 0) return a;
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}

export function hideIntersect(
  a: ReadonlySet<string> | null,
  b: ReadonlySet<string> | null,
): ReadonlySet<string> | null {
  if (!a || !b) return null;
  const s = new Set<string>();
  for (const x of a) if (b.has(x)) s.add(x);
  return s.size ? s : null;
}

export function hideWith(a: ReadonlySet<string> | null, name: string): ReadonlySet<string> {
  const s = new Set(a ?? []);
  s.add(name);
  return s;
}
