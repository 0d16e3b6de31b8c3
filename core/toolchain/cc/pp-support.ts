// Preprocessor support: computed builtin macros (__FILE__, __LINE__, __COUNTER__...), the
// directives assembler-with-cpp mode recognises, and a lexing cache for the shipped headers.

import { BUILTIN_HEADERS, SYSTEM_INCLUDE_DIR } from './headers';
import { lex } from './lex';
import type { Macro } from './macro';
import type { Token } from './token';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface BuiltinState {
  counter(): number;
  baseFile(t: Token): string;
  includeLevel(): number;
}

export function builtinMacros(now: Date, st: BuiltinState): Macro[] {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `"${MONTHS[now.getMonth()]} ${String(now.getDate()).padStart(2, ' ')} ${now.getFullYear()}"`;
  const time = `"${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}"`;
  const def = (name: string, fn: (t: Token) => Token): Macro => ({
    name,
    objlike: true,
    params: [],
    variadic: false,
    body: [],
    builtin: fn,
  });
  const num = (t: Token, v: number): Token => ({ ...t, kind: 'num', text: String(v), hide: null });
  const str = (t: Token, s: string): Token => ({
    ...t,
    kind: 'str',
    text: `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`,
    hide: null,
  });
  return [
    def('__FILE__', (t) => str(t, t.file)),
    def('__BASE_FILE__', (t) => str(t, st.baseFile(t))),
    def('__LINE__', (t) => num(t, t.line)),
    def('__COUNTER__', (t) => num(t, st.counter())),
    def('__INCLUDE_LEVEL__', (t) => num(t, st.includeLevel())),
    def('__DATE__', (t) => ({ ...t, kind: 'str', text: date, hide: null })),
    def('__TIME__', (t) => ({ ...t, kind: 'str', text: time, hide: null })),
  ];
}

export const ASM_DIRECTIVES = new Set([
  'define',
  'undef',
  'include',
  'include_next',
  'if',
  'ifdef',
  'ifndef',
  'elif',
  'else',
  'endif',
  'error',
  'warning',
  'line',
  'pragma',
]);

/** Lexing the shipped headers once: later runs get fresh copies (tokens are mutable). */
const lexCache = new Map<string, ReturnType<typeof lex>>();
export function lexCached(path: string, text: string, asm: boolean): ReturnType<typeof lex> {
  if (
    !path.startsWith(`${SYSTEM_INCLUDE_DIR}/`) ||
    BUILTIN_HEADERS[path.slice(SYSTEM_INCLUDE_DIR.length + 1)] !== text
  ) {
    return lex(text, path, { asm });
  }
  const key = `${asm ? 'S' : 'c'}:${path}`;
  let r = lexCache.get(key);
  if (!r) {
    r = lex(text, path, { asm });
    lexCache.set(key, r);
  }
  return { tokens: r.tokens.map((t) => ({ ...t })), problems: r.problems };
}

export function spell(toks: Token[]): string {
  return toks.map((t, i) => (i > 0 && t.space ? ' ' : '') + t.text).join('');
}
