// String literals (C11 6.4.5): adjacent-literal concatenation with encoding prefixes, escapes,
// and the array type of the result.

import type { Expr } from './ast';
import { decodeBody, splitPrefix, type Encoding } from './literals';
import type { State } from './state';
import type { Loc } from './token';
import { T, arrayOf, withQuals, type Type } from './types';

function elemType(p: Encoding): Type {
  if (p === 'L') return T.int; // wchar_t is int on ilp32d
  if (p === 'u') return T.ushort; // char16_t
  if (p === 'U') return T.uint; // char32_t
  return T.char;
}

/** Parses one or more adjacent string-literal tokens (or makes one from `fixed`, for __func__). */
export function stringLiteral(s: State, fixed?: string, at?: Loc): Expr {
  let units: number[] = [];
  let prefix: Encoding = '';
  let loc: Loc;
  if (fixed !== undefined) {
    loc = at as Loc;
    units = decodeBody(fixed.replace(/\\/g, '\\\\'), 8, () => undefined);
  } else {
    loc = s.peek();
    const parts: Array<{ prefix: Encoding; body: string; at: Loc }> = [];
    while (s.peek().kind === 'str') {
      const t = s.next();
      const { prefix: p, body } = splitPrefix(t.text);
      parts.push({ prefix: p, body, at: t });
      if (p !== '' && p !== 'u8') {
        if (prefix !== '' && prefix !== 'u8' && prefix !== p) {
          s.error(t, 'unsupported non-standard concatenation of string literals');
        } else prefix = p;
      } else if (p === 'u8' && prefix === '') prefix = 'u8';
    }
    const bits = prefix === '' || prefix === 'u8' ? 8 : prefix === 'u' ? 16 : 32;
    for (const part of parts) {
      units.push(
        ...decodeBody(part.body, bits, (m, sev) =>
          sev === 'error' ? s.error(part.at, m) : s.warn(part.at, m),
        ),
      );
    }
  }
  units.push(0);
  // __func__ is `static const char __func__[]` (6.4.2.2); literals are plain char arrays.
  const elem = fixed !== undefined ? withQuals(T.char, { const: true }) : elemType(prefix);
  const str = { units, elem, id: s.id() };
  s.strings.push(str);
  return { k: 'str', loc, type: arrayOf(elem, units.length), str };
}
