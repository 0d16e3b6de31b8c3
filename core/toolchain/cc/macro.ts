// Macro definitions and the pure parts of replacement (C11 6.10.3): argument substitution,
// `#` stringizing, `##` pasting with placemarkers, GNU `, ## __VA_ARGS__` and `__VA_OPT__`.

import { lexOne } from './lex';
import type { Token } from './token';

export interface Macro {
  name: string;
  objlike: boolean;
  /** Named parameters; for a variadic macro the last one is the variadic name (`__VA_ARGS__`). */
  params: string[];
  variadic: boolean;
  body: Token[];
  /** Computed macros (__LINE__, __FILE__...): return the replacement for a use at `tok`. */
  builtin?: (tok: Token) => Token;
  defLoc?: Token;
}

export interface SubstContext {
  /** Fully macro-expands an argument in isolation (6.10.3.1). */
  expandArg(tokens: Token[]): Token[];
  /** Reports a problem at a token. */
  error(tok: Token, message: string): void;
}

const PLACEMARKER = '';

function placemarker(at: Token): Token {
  return { ...at, kind: 'other', text: PLACEMARKER, hide: null, space: false };
}

/** The spelling of a token sequence as a string literal (6.10.3.2). */
export function stringize(tokens: Token[], at: Token): Token {
  let s = '';
  tokens.forEach((t, i) => {
    if (t.text === PLACEMARKER && t.kind === 'other') return;
    if (i > 0 && t.space && s.length) s += ' ';
    s +=
      t.kind === 'str' || t.kind === 'char' || t.kind === 'bad'
        ? t.text.replace(/[\\"]/g, (c) => `\\${c}`)
        : t.text;
  });
  return { ...at, kind: 'str', text: `"${s}"`, hide: null, problem: undefined };
}

/** Pastes two tokens (6.10.3.3); on failure reports and returns both separately, as GCC does. */
function paste(lhs: Token, rhs: Token, ctx: SubstContext): Token[] {
  if (lhs.kind === 'other' && lhs.text === PLACEMARKER) return [rhs];
  if (rhs.kind === 'other' && rhs.text === PLACEMARKER) return [lhs];
  const t = lexOne(lhs.text + rhs.text, lhs);
  if (!t) {
    ctx.error(lhs, `pasting "${lhs.text}" and "${rhs.text}" does not give a valid preprocessing token`);
    return [lhs, { ...rhs, space: true }];
  }
  return [{ ...t, space: lhs.space, bol: lhs.bol, hide: lhs.hide }];
}

/** Substitutes arguments into the body (no rescanning here: the caller rescans the result). */
export function substitute(m: Macro, args: Token[][], ctx: SubstContext, body: Token[] = m.body): Token[] {
  const paramIndex = (t: Token | undefined): number =>
    t && t.kind === 'ident' && !m.objlike ? m.params.indexOf(t.text) : -1;
  const vaIndex = m.variadic ? m.params.length - 1 : -1;
  const expanded = new Map<number, Token[]>();
  const expandedArg = (k: number): Token[] => {
    let e = expanded.get(k);
    if (!e) {
      e = ctx.expandArg(args[k] ?? []);
      expanded.set(k, e);
    }
    return e;
  };
  const raw = (k: number): Token[] => (args[k] ?? []).map((t) => ({ ...t }));
  const vaPresent = vaIndex >= 0 && (args[vaIndex] ?? []).length > 0;
  const out: Token[] = [];

  for (let i = 0; i < body.length; i++) {
    const t = body[i] as Token;
    // __VA_OPT__(content): the content when the variable arguments are present, else nothing.
    if (m.variadic && t.kind === 'ident' && t.text === '__VA_OPT__' && body[i + 1]?.text === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < body.length; j++) {
        if (body[j]?.text === '(') depth++;
        else if (body[j]?.text === ')' && --depth === 0) break;
      }
      const inner = body.slice(i + 2, j);
      i = j;
      if (vaPresent) {
        const sub = substitute(m, args, ctx, inner);
        if (sub.length && t.space) sub[0] = { ...(sub[0] as Token), space: true };
        out.push(...sub);
      } else out.push(placemarker(t));
      continue;
    }
    if (t.text === '#' && t.kind === 'punct' && !m.objlike) {
      const k = paramIndex(body[i + 1]);
      if (k >= 0) {
        out.push({ ...stringize(args[k] ?? [], t), space: t.space });
        i++;
        continue;
      }
    }
    if (t.text === '##' && t.kind === 'punct' && out.length > 0 && i + 1 < body.length) {
      const next = body[i + 1] as Token;
      const k = paramIndex(next);
      i++;
      // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments are absent.
      if (k >= 0 && k === vaIndex && out[out.length - 1]?.text === ',') {
        if (!vaPresent) out.pop();
        else out.push(...raw(k));
        continue;
      }
      let rhs: Token[];
      if (k >= 0) rhs = raw(k);
      else if (next.text === '#' && !m.objlike && paramIndex(body[i + 1]) >= 0) {
        rhs = [stringize(args[paramIndex(body[i + 1])] ?? [], next)];
        i++;
      } else rhs = [{ ...next }];
      if (rhs.length === 0) continue;
      const lhs = out.pop() as Token;
      out.push(...paste(lhs, rhs[0] as Token, ctx), ...rhs.slice(1));
      continue;
    }
    const k = paramIndex(t);
    if (k >= 0) {
      const pasted = body[i + 1]?.text === '##' || body[i - 1]?.text === '##';
      const toks = pasted ? raw(k) : expandedArg(k).map((x) => ({ ...x }));
      if (toks.length === 0) {
        if (pasted) out.push(placemarker(t));
        continue;
      }
      toks[0] = { ...(toks[0] as Token), space: t.space };
      out.push(...toks);
      continue;
    }
    out.push({ ...t });
  }
  return out.filter((t) => !(t.kind === 'other' && t.text === PLACEMARKER));
}

/** Same definition (6.10.3p2): parameters and body spelling, including white-space separation. */
export function sameDefinition(a: Macro, b: Macro): boolean {
  if (a.objlike !== b.objlike || a.variadic !== b.variadic) return false;
  if (a.params.join(',') !== b.params.join(',') || a.body.length !== b.body.length) return false;
  return a.body.every((t, i) => {
    const u = b.body[i] as Token;
    return t.text === u.text && (i === 0 || t.space === u.space);
  });
}
