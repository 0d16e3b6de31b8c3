// The preprocessing-token lexer (C11 5.1.1.2 phases 1-3): line splicing, comments, pp-tokens.
// It never fails: malformed input becomes 'bad' tokens whose problem is reported only if the token
// survives preprocessing (so skipped #if groups may contain anything, as in GCC).

import type { Loc, Token } from './token';

export interface LexOptions {
  /** Assembler-with-cpp mode: `'` does not start a character constant. */
  asm?: boolean;
}

export interface LexResult {
  tokens: Token[];
  /** Problems found outside tokens (unterminated comments). */
  problems: Array<{ loc: Loc; message: string }>;
}

// Longest first so that greedy matching works.
const PUNCTS = [
  '%:%:',
  '...',
  '<<=',
  '>>=',
  '->',
  '++',
  '--',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '*=',
  '/=',
  '%=',
  '+=',
  '-=',
  '&=',
  '^=',
  '|=',
  '##',
  '<:',
  ':>',
  '<%',
  '%>',
  '%:',
];
const DIGRAPH: Record<string, string> = {
  '<:': '[',
  ':>': ']',
  '<%': '{',
  '%>': '}',
  '%:': '#',
  '%:%:': '##',
};
const PUNCT_BY_CHAR = new Map<string, string[]>();
for (const p of PUNCTS) PUNCT_BY_CHAR.set(p[0] as string, [...(PUNCT_BY_CHAR.get(p[0] as string) ?? []), p]);
const SINGLE = '[](){}.&*+-~!/%<>^|?:;=,#';

function isIdStart(c: string): boolean {
  return (
    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$' || c.charCodeAt(0) >= 0x80
  );
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isIdChar(c: string): boolean {
  return isIdStart(c) || isDigit(c);
}

/** Removes backslash-newlines; returns the cleaned text and a map back to original offsets. */
function splice(text: string): { src: string; map: Int32Array | null } {
  if (!/\\[ \t]*(\r\n|\n|\r)/.test(text)) return { src: text, map: null };
  const out: string[] = [];
  const map: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      // GCC accepts trailing blanks between the backslash and the newline (with a warning).
      let j = i + 1;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '\n' || text[j] === '\r') {
        i = text[j] === '\r' && text[j + 1] === '\n' ? j + 2 : j + 1;
        continue;
      }
    }
    out.push(text[i] as string);
    map.push(i);
    i++;
  }
  map.push(text.length);
  return { src: out.join(''), map: Int32Array.from(map) };
}

export function lex(text: string, file: string, opts: LexOptions = {}): LexResult {
  const { src, map } = splice(text);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1);
  }
  const locOf = (off: number): Loc => {
    const o = map ? (map[off] ?? text.length) : off;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, col: o - (lineStarts[lo] as number) + 1 };
  };

  const tokens: Token[] = [];
  const problems: LexResult['problems'] = [];
  let bol = true;
  let space = false;
  let i = 0;
  const n = src.length;
  const push = (
    kind: Token['kind'],
    start: number,
    end: number,
    textOverride?: string,
    problem?: string,
  ): void => {
    const at = locOf(start);
    const t: Token = {
      kind,
      text: textOverride ?? src.slice(start, end),
      file: at.file,
      line: at.line,
      col: at.col,
      bol,
      space,
      hide: null,
    };
    if (problem) t.problem = problem;
    tokens.push(t);
    bol = false;
    space = false;
  };

  while (i < n) {
    const c = src[i] as string;
    if (c === '\n' || c === '\r') {
      bol = true;
      space = false;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v') {
      space = true;
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
      space = true;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) {
        problems.push({ loc: locOf(i), message: 'unterminated comment' });
        i = n;
        break;
      }
      i = end + 2;
      space = true;
      continue;
    }
    // pp-number
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n) {
        const d = src[j] as string;
        if ((d === '+' || d === '-') && /[eEpP]/.test(src[j - 1] as string)) j++;
        else if (isIdChar(d) || d === '.') j++;
        else break;
      }
      push('num', i, j);
      i = j;
      continue;
    }
    // string / char literals with optional encoding prefix
    const m =
      c === '"' || c === "'" || c === 'u' || c === 'U' || c === 'L'
        ? /^(u8|u|U|L)?(["'])/.exec(src.slice(i, i + 3))
        : null;
    if (m && !(opts.asm && m[2] === "'") && (m[1] !== 'u8' || m[2] === '"')) {
      const q = m[2] as string;
      let j = i + m[0].length;
      let ok = false;
      while (j < n) {
        const d = src[j];
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (d === '\n' || d === '\r') break;
        j++;
        if (d === q) {
          ok = true;
          break;
        }
      }
      if (j > n) j = n;
      if (ok) push(q === '"' ? 'str' : 'char', i, j);
      else push('bad', i, j, undefined, `missing terminating ${q} character`);
      i = j;
      continue;
    }
    if (isIdStart(c) || (c === '\\' && (src[i + 1] === 'u' || src[i + 1] === 'U'))) {
      let j = i;
      while (j < n) {
        if (isIdChar(src[j] as string)) j++;
        else if (src[j] === '\\' && src[j + 1] === 'u' && /^[0-9a-fA-F]{4}/.test(src.slice(j + 2, j + 6)))
          j += 6;
        else if (src[j] === '\\' && src[j + 1] === 'U' && /^[0-9a-fA-F]{8}/.test(src.slice(j + 2, j + 10)))
          j += 10;
        else break;
      }
      if (j > i) {
        push('ident', i, j);
        i = j;
        continue;
      }
    }
    let matched = false;
    for (const p of PUNCT_BY_CHAR.get(c) ?? []) {
      if (src.startsWith(p, i)) {
        push('punct', i, i + p.length, DIGRAPH[p] ?? p);
        i += p.length;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (SINGLE.includes(c)) {
      push('punct', i, i + 1);
      i++;
      continue;
    }
    // Stray characters (`@`, a lone backslash, `'` in assembler mode...) are 'other' pp-tokens.
    const cp = src.codePointAt(i) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    push('other', i, i + len);
    i += len;
  }
  const end: Token = { kind: 'eof', text: '', ...locOf(n), bol: true, space: false, hide: null };
  tokens.push(end);
  return { tokens, problems };
}

/** Lexes a string that must form exactly one token (for `##`); returns null otherwise. */
export function lexOne(text: string, at: Loc): Token | null {
  const r = lex(text, at.file);
  if (r.tokens.length !== 2 || r.problems.length) return null;
  const t = r.tokens[0] as Token;
  if (t.kind === 'bad' || t.space || t.col !== 1) return null;
  return { ...t, file: at.file, line: at.line, col: at.col };
}
