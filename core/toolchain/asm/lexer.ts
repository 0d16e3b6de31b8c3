// Tokenizer for GNU as syntax: comments (#, //, /* */), `;` and newlines end statements, strings
// with C escapes, numbers (dec/hex/bin/octal/char), identifiers with `.`/`$`, numeric label refs.
import { AsmError } from './diag';

export type TokKind = 'id' | 'num' | 'str' | 'punct' | 'eol' | 'numref';

export interface Token {
  kind: TokKind;
  /** Identifier text, punctuation, or the numeric label ref like `1f`. */
  text: string;
  /** Numeric value (num tokens). */
  value: number;
  /** Exact value of integer literals (for 64-bit data). */
  big?: bigint;
  /** Decoded bytes of a string literal. */
  bytes?: number[];
  line: number;
  col: number;
}

const PUNCT2 = ['<<', '>>', '&&', '||', '==', '!=', '<=', '>='];
const PUNCT1 = ',()+-*/%&|^~!:=<>@[]{}';

function isIdStart(c: string): boolean {
  return /[A-Za-z_.$]/.test(c);
}
function isIdChar(c: string): boolean {
  return /[A-Za-z0-9_.$]/.test(c);
}

/** Tokenizes a whole source; statements are separated by `eol` tokens. */
export function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  const push = (kind: TokKind, text: string, value: number, col: number, bytes?: number[]): void => {
    const t: Token = { kind, text, value, line, col };
    if (bytes) t.bytes = bytes;
    toks.push(t);
  };
  while (i < n) {
    const c = src[i] ?? '';
    const col = i - lineStart + 1;
    if (c === '\n') {
      push('eol', '\n', 0, col);
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ';') {
      push('eol', ';', 0, col);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const startLine = line;
      i += 2;
      while (i < n && !(src[i] === '*' && src[i + 1] === '/')) {
        if (src[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (i >= n) throw new AsmError('unterminated comment', startLine, col);
      i += 2;
      continue;
    }
    if (c === '"') {
      const r = readString(src, i + 1, line, col);
      push('str', src.slice(i, r.end), 0, col, r.bytes);
      i = r.end;
      continue;
    }
    if (c === "'") {
      // Character constant: 'a' or '\n' (the closing quote is optional in GNU as).
      let j = i + 1;
      let v: number;
      if (src[j] === '\\') {
        const r = readEscape(src, j + 1, line, col);
        v = r.value;
        j = r.end;
      } else {
        if (j >= n || src[j] === '\n') throw new AsmError('bad character constant', line, col);
        v = src.codePointAt(j) ?? 0;
        j += v > 0xffff ? 2 : 1;
      }
      if (src[j] === "'") j++;
      push('num', src.slice(i, j), v, col);
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < n && /[0-9A-Za-z_]/.test(src[j] ?? '')) j++;
      const text = src.slice(i, j);
      if (/^[0-9]+[fb]$/.test(text)) {
        push('numref', text, 0, col);
      } else {
        const value = parseNumber(text, line, col);
        push('num', text, value, col);
        (toks[toks.length - 1] as Token).big = BigInt.asIntN(64, toBig(text));
      }
      i = j;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdChar(src[j] ?? '')) j++;
      push('id', src.slice(i, j), 0, col);
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      push('punct', two, 0, col);
      i += 2;
      continue;
    }
    if (PUNCT1.includes(c)) {
      push('punct', c, 0, col);
      i++;
      continue;
    }
    throw new AsmError(`unexpected character '${c}'`, line, col);
  }
  toks.push({ kind: 'eol', text: '', value: 0, line, col: i - lineStart + 1 });
  return toks;
}

function toBig(text: string): bigint {
  const t = text.toLowerCase();
  return /^0[0-7]+$/.test(t) ? BigInt('0o' + t.slice(1)) : BigInt(t);
}

function parseNumber(text: string, line: number, col: number): number {
  let v: bigint;
  const t = text.toLowerCase();
  try {
    if (/^0x[0-9a-f]+$/.test(t)) v = BigInt(t);
    else if (/^0b[01]+$/.test(t)) v = BigInt(t);
    else if (/^0[0-7]+$/.test(t)) v = BigInt('0o' + t.slice(1));
    else if (/^[0-9]+$/.test(t)) v = BigInt(t);
    else throw new Error('bad');
  } catch {
    throw new AsmError(`bad number '${text}'`, line, col);
  }
  // Wider-than-64-bit literals wrap like `as` does; values above 2^53 lose low bits (RV32 rarely cares).
  return Number(BigInt.asIntN(64, v));
}

function readEscape(src: string, i: number, line: number, col: number): { value: number; end: number } {
  const c = src[i] ?? '';
  const simple: Record<string, number> = {
    n: 10,
    t: 9,
    r: 13,
    b: 8,
    f: 12,
    v: 11,
    a: 7,
    e: 27,
    '\\': 92,
    '"': 34,
    "'": 39,
  };
  if (c in simple) return { value: simple[c] ?? 0, end: i + 1 };
  if (/[0-7]/.test(c)) {
    let j = i;
    let v = 0;
    while (j < i + 3 && /[0-7]/.test(src[j] ?? '')) v = v * 8 + Number(src[j++]);
    return { value: v & 0xff, end: j };
  }
  if (c === 'x' || c === 'X') {
    let j = i + 1;
    let v = 0;
    while (/[0-9a-fA-F]/.test(src[j] ?? '')) v = ((v << 4) | parseInt(src[j++] ?? '0', 16)) & 0xff;
    if (j === i + 1) throw new AsmError('bad \\x escape', line, col);
    return { value: v, end: j };
  }
  if (c === '' || c === '\n') throw new AsmError('unterminated string', line, col);
  return { value: src.codePointAt(i) ?? 0, end: i + 1 };
}

function readString(src: string, i: number, line: number, col: number): { bytes: number[]; end: number } {
  const bytes: number[] = [];
  while (true) {
    const c = src[i];
    if (c === undefined || c === '\n') throw new AsmError('unterminated string', line, col);
    if (c === '"') return { bytes, end: i + 1 };
    if (c === '\\') {
      const r = readEscape(src, i + 1, line, col);
      bytes.push(r.value & 0xff);
      i = r.end;
      continue;
    }
    const cp = src.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
}
