import { describe, it, expect } from 'vitest';
import { lex } from '../../core/toolchain/cc/lex';
import { decodeBody, parseCharConst, parseFloatConst, parseIntConst } from '../../core/toolchain/cc/literals';
import { evalConst } from '../../core/toolchain/cc/consteval';
import { oracleIt, RV_GCC } from '../support/oracle';
import { compile, diagsOf, gccSyntax } from './cc-support';

const noComplaint = (m: string): void => {
  throw new Error(m);
};

describe('lexer', () => {
  it('splits all punctuators greedily, normalises digraphs, splices lines, skips comments', () => {
    const r = lex('a<<=b->c...d%:%:e<:1:>/* c */x//y\nz\\\nw ++ + +=', 'f.c');
    expect(r.tokens.map((t) => t.text)).toEqual([
      'a',
      '<<=',
      'b',
      '->',
      'c',
      '...',
      'd',
      '##',
      'e',
      '[',
      '1',
      ']',
      'x',
      'zw',
      '++',
      '+',
      '+=',
      '',
    ]);
    // A spliced identifier keeps the position of its first character.
    const z = r.tokens.find((t) => t.text === 'zw');
    expect([z?.line, z?.col, z?.bol]).toEqual([2, 1, true]);
    const pp = r.tokens.find((t) => t.text === '++');
    expect([pp?.line, pp?.col, pp?.space]).toEqual([3, 3, true]);
  });
  it('keeps pp-numbers whole and lexes literals with prefixes', () => {
    const r = lex(`0x1p-3f 1e+5 .5e-2L 12ULL u8"x" L'a' U"b" u'c' 'it''s'`, 'f.c');
    expect(r.tokens.slice(0, -1).map((t) => `${t.kind}:${t.text}`)).toEqual([
      'num:0x1p-3f',
      'num:1e+5',
      'num:.5e-2L',
      'num:12ULL',
      'str:u8"x"',
      "char:L'a'",
      'str:U"b"',
      "char:u'c'",
      "char:'it'",
      "char:'s'",
    ]);
  });
  it('reports an unterminated comment and marks unterminated literals', () => {
    const r = lex('x "abc\n/* never', 'f.c');
    expect(r.problems.map((p) => `${p.loc.line}:${p.loc.col}: ${p.message}`)).toEqual([
      '2:1: unterminated comment',
    ]);
    expect(r.tokens[1]?.kind).toBe('bad');
    expect(r.tokens[1]?.problem).toBe('missing terminating " character');
  });
});

const INT_CASES: Array<[string, bigint, string]> = [
  ['0', 0n, 'int'],
  ['2147483647', 2147483647n, 'int'],
  ['2147483648', 2147483648n, 'llong'],
  ['0x7fffffff', 0x7fffffffn, 'int'],
  ['0x80000000', 0x80000000n, 'uint'],
  ['0xffffffff', 0xffffffffn, 'uint'],
  ['0x100000000', 0x100000000n, 'llong'],
  ['4294967295', 4294967295n, 'llong'],
  ['4294967295u', 4294967295n, 'uint'],
  ['4294967296u', 4294967296n, 'ullong'],
  ['017', 15n, 'int'],
  ['0b1011', 11n, 'int'],
  ['10l', 10n, 'long'],
  ['0xffffffffL', 0xffffffffn, 'ulong'],
  ['10UL', 10n, 'ulong'],
  ['10lu', 10n, 'ulong'],
  ['10ll', 10n, 'llong'],
  ['0xffffffffffffffffll', 0xffffffffffffffffn, 'ullong'],
  ['9223372036854775807', 9223372036854775807n, 'llong'],
  ['0x8000000000000000', 0x8000000000000000n, 'ullong'],
  ['10ULL', 10n, 'ullong'],
  ['10llu', 10n, 'ullong'],
];
const GENERIC_NUM: Record<string, number> = { int: 1, uint: 2, long: 3, ulong: 4, llong: 5, ullong: 6 };
const GENERIC = (x: string): string =>
  `_Generic((${x}), int: 1, unsigned int: 2, long: 3, unsigned long: 4, long long: 5, unsigned long long: 6)`;

describe('integer constants (6.4.4.1)', () => {
  it('have the right value and type', () => {
    for (const [text, value, kind] of INT_CASES) {
      expect(parseIntConst(text, noComplaint), text).toEqual({ value, kind });
    }
  });
  it('reject bad suffixes and octal digits', () => {
    const msgs: string[] = [];
    parseIntConst('12lul', (m) => msgs.push(m));
    parseIntConst('08', (m) => msgs.push(m));
    parseIntConst('1lL', (m) => msgs.push(m));
    parseIntConst('18446744073709551616', (m) => msgs.push(m));
    expect(msgs).toEqual([
      'invalid suffix "lul" on integer constant',
      'invalid digit in octal constant',
      'invalid suffix "lL" on integer constant',
      'integer constant is too large for its type',
    ]);
  });
  it('futcc agrees with itself through _Generic in the compiler', () => {
    const src = INT_CASES.map(
      ([t, v, k]) => `_Static_assert(${GENERIC(t)} == ${GENERIC_NUM[k]} && ${t} == ${v}ULL, "${t}");`,
    ).join('\n');
    expect(diagsOf(compile(src)).filter((d) => !d.includes('so large'))).toEqual([]);
  });
  oracleIt('types and values match GCC', [RV_GCC], () => {
    const src = INT_CASES.map(
      ([t, v, k]) => `_Static_assert(${GENERIC(t)} == ${GENERIC_NUM[k]} && ${t} == ${v}ULL, "${t}");`,
    ).join('\n');
    expect(gccSyntax(src, ['-w'])).toBe('');
  });
});

describe('floating constants (6.4.4.2)', () => {
  it('decimal and hexadecimal, with suffixes', () => {
    expect(parseFloatConst('1.5')).toEqual({ value: 1.5, kind: 'double' });
    expect(parseFloatConst('.25e1')).toEqual({ value: 2.5, kind: 'double' });
    expect(parseFloatConst('1e-3f')).toEqual({ value: Math.fround(1e-3), kind: 'float' });
    expect(parseFloatConst('0x1p-2')).toEqual({ value: 0.25, kind: 'double' });
    expect(parseFloatConst('0x1.8p1')).toEqual({ value: 3, kind: 'double' });
    expect(parseFloatConst('0xA.8P0F')).toEqual({ value: 10.5, kind: 'float' });
    expect(parseFloatConst('0x1.fffffffffffff8p0')).toEqual({ value: 2, kind: 'double' }); // rounds to even
    expect(parseFloatConst('0x1p-1074')?.value).toBe(5e-324);
    expect(parseFloatConst('1.0L')?.kind).toBe('ldouble');
    expect(parseFloatConst('1.0x')).toBeNull();
    expect(parseFloatConst('0x1.0')).toBeNull();
  });
});

describe('character constants and strings (6.4.4.4, 6.4.5)', () => {
  it('values with plain char unsigned', () => {
    const v = (t: string): number => parseCharConst(t, noComplaint).value;
    expect(v("'a'")).toBe(97);
    expect(v("'\\n'")).toBe(10);
    expect(v("'\\377'")).toBe(255);
    expect(v("'\\xff'")).toBe(255);
    expect(v("'\\0'")).toBe(0);
    expect(v("'\\''")).toBe(39);
    expect(v("L'\\x12345678'")).toBe(0x12345678);
    expect(parseCharConst("u'\\u00e9'", noComplaint)).toEqual({ value: 0xe9, kind: 'ushort' });
    expect(parseCharConst("U'\\U0001F600'", noComplaint)).toEqual({ value: 0x1f600, kind: 'uint' });
    const w: string[] = [];
    expect(parseCharConst("'ab'", (m) => w.push(m)).value).toBe(0x6162);
    expect(w).toEqual(['multi-character character constant']);
  });
  it('string escapes, UTF-8 for narrow strings, UTF-16 for u""', () => {
    expect(decodeBody('a\\tb\\x41\\101\\u00e9\\?', 8, noComplaint)).toEqual([
      97, 9, 98, 0x41, 0o101, 0xc3, 0xa9, 63,
    ]);
    expect(decodeBody('\\U0001F600', 16, noComplaint)).toEqual([0xd83d, 0xde00]);
    expect(decodeBody('é', 32, noComplaint)).toEqual([0xe9]);
    const w: string[] = [];
    decodeBody('\\q\\x100', 8, (m) => w.push(m));
    expect(w).toEqual(["unknown escape sequence: '\\q'", 'hex escape sequence out of range']);
  });
  it('adjacent literals concatenate with prefixes, typed arrays', () => {
    const r = compile(
      'char a[] = "ab" "c";\nint w[] = L"x" "yz";\nunsigned short u[] = u"é";\nunsigned n = sizeof("a" "\\0b");\n',
    );
    expect(diagsOf(r)).toEqual([]);
    const g = (n: string) => r.ast?.globals.find((x) => x.name === n);
    expect(g('a')?.type).toMatchObject({ kind: 'array', len: 4 });
    expect(g('w')?.type).toMatchObject({ kind: 'array', len: 4 });
    expect(g('u')?.type).toMatchObject({ kind: 'array', len: 2 });
    const n = g('n')?.init?.items[0];
    expect(n && evalConst(n.expr)).toEqual({ kind: 'int', value: 4n });
    const bad = compile('int *p = L"a" u"b";\n');
    expect(diagsOf(bad)).toContain(
      'main.c:1:15: error: unsupported non-standard concatenation of string literals',
    );
  });
  oracleIt('char constant values match GCC', [RV_GCC], () => {
    const cs = [
      "'a'",
      "'\\377'",
      "'\\xff'",
      "'\\e'",
      "'ab'",
      "'abcd'",
      "L'\\xffffffff'",
      "u'\\xffff'",
      "U'\\U0010FFFF'",
      "'\\u00e9'",
    ];
    const src = cs
      .map(
        (c) =>
          `_Static_assert(${c} == ${parseCharConst(c, () => undefined).value}, "${c.replace(/\\/g, '\\\\')}");`,
      )
      .join('\n');
    expect(gccSyntax(src, ['-w'])).toBe('');
  });
});
