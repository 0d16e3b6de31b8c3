// The front end must never throw: random bytes, mutated valid programs and truncated files all
// end in diagnostics (or success), never an exception or an internal compiler error.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileToAst } from '../../core/toolchain/cc/index';
import { FIXTURES } from '../support/gcc';
import { FULL, memProvider, rng } from './cc-support';

const VALID = readFileSync(join(FIXTURES, 'cc', 'valid1.c'), 'utf8');
const TOTAL = FULL ? 10000 : 1000;
const PIECES = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  '*',
  '&',
  '#',
  '##',
  '"',
  "'",
  '\\',
  'int',
  'struct',
  'typedef',
  'static',
  '...',
  '0x',
  '1e',
  '=',
  '->',
  '.',
  'sizeof',
  '#define X(a) a##a\n',
  '#if\n',
  '#endif\n',
  '/*',
  '\n',
  'case',
  'goto',
  '?',
  ':',
  '_Generic(',
  '__builtin_va_arg(',
  'L"',
  '\\u',
  '(int)',
  '{.x=',
  '[3]=',
  '...',
];

/** Returns a failure description, or null when the case ended in diagnostics or success. */
function check(text: string, seed: number): string | null {
  let r;
  try {
    r = compileToAst({ path: 'fuzz.c', provider: memProvider({ 'fuzz.c': text }), text, maxErrors: 20 });
  } catch (e) {
    return `threw on case ${seed}: ${String(e)}\n--- input ---\n${text.slice(0, 2000)}`;
  }
  const ice = r.diagnostics.find((d) => d.message.startsWith('internal compiler error'));
  if (ice) return `ICE on case ${seed}: ${ice.message}\n--- input ---\n${text.slice(0, 2000)}`;
  if (r.ok !== !r.diagnostics.some((d) => d.severity === 'error'))
    return `inconsistent ok flag on case ${seed}`;
  return null;
}

describe('front-end fuzz (never throws)', () => {
  it(`${TOTAL} random, mutated and truncated inputs`, () => {
    const r = rng(20240601);
    const failures: string[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const mode = i % 4;
      let text: string;
      if (mode === 0) {
        // Random bytes (mostly printable, some control and non-ASCII).
        const n = Math.floor(r() * 400);
        text = Array.from({ length: n }, () =>
          String.fromCharCode(r() < 0.9 ? 32 + Math.floor(r() * 95) : Math.floor(r() * 256)),
        ).join('');
      } else if (mode === 1) {
        // Truncated valid program.
        text = VALID.slice(0, Math.floor(r() * VALID.length));
      } else {
        // Mutations: delete, duplicate or insert pieces of C.
        let t = VALID;
        const edits = 1 + Math.floor(r() * 6);
        for (let k = 0; k < edits; k++) {
          const at = Math.floor(r() * t.length);
          const op = r();
          if (op < 0.35) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 20));
          else if (op < 0.7)
            t = t.slice(0, at) + (PIECES[Math.floor(r() * PIECES.length)] as string) + t.slice(at);
          else {
            const from = Math.floor(r() * t.length);
            t = t.slice(0, at) + t.slice(from, from + Math.floor(r() * 40)) + t.slice(at);
          }
        }
        text = t;
      }
      const f = check(text, i);
      if (f) failures.push(f);
    }
    // Every failing case is listed (the first few in full) so one run finds them all.
    expect(failures.length, failures.slice(0, 3).join('\n\n')).toBe(0);
  });
  it('the unmutated program compiles cleanly', () => {
    const r = compileToAst({ path: 'v.c', provider: memProvider({ 'v.c': VALID }) });
    expect(r.diagnostics).toEqual([]);
  });
});
