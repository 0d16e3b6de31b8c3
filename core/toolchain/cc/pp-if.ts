// #if operand rewriting: `defined X`, `defined(X)` and `__has_include(...)` become 0 or 1
// before macro expansion and evaluation.

import type { Token } from './token';

export interface IfContext {
  err(t: Token, message: string): void;
  isDefined(name: string): boolean;
  hasInclude(name: string, quoted: boolean): boolean;
}

/** Replaces `defined X` / `defined(X)` by 1 or 0. */
export function resolveDefined(c: IfContext, line: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < line.length; i++) {
    const t = line[i] as Token;
    if (t.kind !== 'ident' || t.text !== 'defined') {
      out.push(t);
      continue;
    }
    let id = line[i + 1];
    let skip = 1;
    if (id?.text === '(') {
      id = line[i + 2];
      skip = 3;
      if (line[i + 3]?.text !== ')') {
        c.err(t, 'missing \')\' after "defined"');
        skip = 2;
      }
    }
    if (!id || id.kind !== 'ident') {
      c.err(t, 'operator "defined" requires an identifier');
      out.push({ ...t, kind: 'num', text: '0' });
      continue;
    }
    out.push({ ...t, kind: 'num', text: c.isDefined(id.text) ? '1' : '0' });
    i += skip;
  }
  return out;
}

/** Replaces `__has_include("f")` / `__has_include(<f>)` by 1 or 0 (GCC extension, C23). */
export function resolveHasInclude(c: IfContext, line: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < line.length; i++) {
    const t = line[i] as Token;
    if (t.kind !== 'ident' || (t.text !== '__has_include' && t.text !== '__has_include_next')) {
      out.push(t);
      continue;
    }
    const close = line.findIndex((x, k) => k > i && x.text === ')');
    if (line[i + 1]?.text !== '(' || close < 0) {
      c.err(t, `missing '(' before "${t.text}" operand`);
      out.push({ ...t, kind: 'num', text: '0' });
      continue;
    }
    const inner = line.slice(i + 2, close);
    const first = inner[0];
    let found = false;
    if (first?.kind === 'str') found = c.hasInclude(first.text.slice(1, -1), true);
    else if (first?.text === '<') {
      const name = inner
        .slice(1, -1)
        .map((x, k) => (k > 0 && x.space ? ' ' : '') + x.text)
        .join('');
      found = c.hasInclude(name, false);
    } else c.err(t, `operator "${t.text}" requires a header-name`);
    out.push({ ...t, kind: 'num', text: found ? '1' : '0' });
    i = close;
  }
  return out;
}
