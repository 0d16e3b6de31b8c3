import { describe, it, expect } from 'vitest';
import { lex } from '../../core/toolchain/cc/lex';
import { tokensToText } from '../../core/toolchain/cc/pptext';
import { oracleIt, RV_GCC } from '../support/oracle';
import { errorsOf, gccPP, pp } from './cc-support';

const respell = (s: string): string =>
  lex(s, 'x')
    .tokens.filter((t) => t.kind !== 'eof')
    .map((t) => t.text)
    .join(' ');

// C11 6.10.3.5 EXAMPLE 3, with the result text given by the standard.
const EX3 = `#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0,1
#define t(a) a
#define p() int
#define q(x) x
#define r(x,y) x ## y
#define str(x) # x
f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
g(x+(3,4)-w) | h 5) & m
(f)^m(m);
p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
char c[2][6] = { str(hello), str() };
`;
const EX3_RESULT = `f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1);
f(2 * (2+(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))^m(0,1);
int i[] = { 1, 23, 4, 5, };
char c[2][6] = { "hello", "" };`;

// EXAMPLE 4
const EX4 = `#define str(s) # s
#define xstr(s) str(s)
#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\
 x ## s, x ## t)
#define INCFILE(n) vers ## n
#define glue(a, b) a ## b
#define xglue(a, b) glue(a, b)
#define HIGHLOW "hello"
#define LOW LOW ", world"
debug(1, 2);
fputs(str(strncmp("abc\\0d", "abc", '\\4') // this goes away
 == 0) str(: @\\n), s);
xstr(INCFILE(2).h)
glue(HIGH, LOW);
xglue(HIGH, LOW)
`;
const EX4_RESULT = `printf("x" "1" "= %d, x" "2" "= %s", x1, x2);
fputs("strncmp(\\"abc\\\\0d\\", \\"abc\\", '\\\\4') == 0" ": @\\n", s);
"vers2.h"
"hello";
"hello" ", world"`;

// EXAMPLE 5 (placemarkers) and EXAMPLE 7 (variadic)
const EX5 = `#define t(x,y,z) x ## y ## z
int j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),
t(10,,), t(,11,), t(,,12), t(,,) };
`;
const EX5_RESULT = `int j[] = { 123, 45, 67, 89,
10, 11, 12, };`;
const EX7 = `#define debug(...) fprintf(stderr, __VA_ARGS__)
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test)?puts(#test):\\
printf(__VA_ARGS__))
debug("Flag");
debug("X = %d\\n", x);
showlist(The first, second, and third items.);
report(x>y, "x is %d but y is %d", x, y);
`;
const EX7_RESULT = `fprintf(stderr, "Flag");
fprintf(stderr, "X = %d\\n", x);
puts("The first, second, and third items.");
((x>y)?puts("x>y"): printf("x is %d but y is %d", x, y));`;

describe('preprocessor: the C11 standard examples (6.10.3.5)', () => {
  for (const [name, src, want] of [
    ['example 3', EX3, EX3_RESULT],
    ['example 4', EX4, EX4_RESULT],
    ['example 5', EX5, EX5_RESULT],
    ['example 7', EX7, EX7_RESULT],
  ] as const) {
    it(name, () => {
      const r = pp(src);
      expect(errorsOf(r.sink)).toEqual([]);
      expect(r.text).toBe(respell(want));
    });
    oracleIt(`${name} matches GCC -E -P`, [RV_GCC], () => {
      expect(pp(src).text).toBe(respell(gccPP(src)));
    });
  }
});

const CASES: Record<string, string> = {
  'nested and recursive': `#define foo foo
#define bar(x) x foo bar
#define AA BB
#define BB AA
foo bar(1) bar(bar(2)) AA BB
#define f(x) x+g
#define g(x) f(x)
f(1)(2)(3)
`,
  'va_opt and gnu comma': `#define F(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)
#define G(fmt, ...) g(fmt, ## __VA_ARGS__)
#define H(fmt, args...) h(fmt, ## args)
F(1) F(1, 2, 3) G("x") G("x", 1) H("y") H("y", 2, 3)
`,
  conditionals: `#define A 3
#if A > 2 && defined(A) && !defined B
yes1
#elif 1
no
#else
no
#endif
#if (-1 < 0u) || 0x10 != 16
no
#else
yes2
#endif
#ifdef A
#ifndef A
no
#elif A == 3
yes3
#endif
#endif
#if 1 ? 2 : (1/0)
yes4
#endif
#if 'a' == 97 && '\\377' == 255 && (0 || 18446744073709551615u == -1)
yes5
#endif
#if __riscv_xlen == 32 && __SIZEOF_POINTER__ == 4 && __CHAR_UNSIGNED__
yes6
#endif
`,
  'stringize spacing': `#define s(x) #x
#define xs(x) s(x)
s(  a   +  b  ) s("\\n" '\\'') s(a
b) xs(__LINE__) s(  )
`,
  'include paths and guards': `#include "inc/a.h"
#include "inc/a.h"
#include <sys.h>
A B SYS
`,
  'pasting builds operators and names': `#define cat(a,b) a##b
#define xcat(a,b) cat(a,b)
cat(x, y) cat(+, =) cat(<, <=) cat(1, e5) xcat(xcat(1, 2), 3) cat(L, 'a') cat(., 5)
`,
  'object macros with parens later': `#define f(x) [x]
#define g f
#define lp (
g(1) g (2) f lp 3)
f
(4)
`,
};
const FILES = {
  'inc/a.h': '#ifndef A_H\n#define A_H\n#include "b.h"\n#define A from_a\n#endif\n',
  'inc/b.h': '#pragma once\n#define B from_b\n',
  'sys/sys.h': '#define SYS from_sys\n',
};

describe('preprocessor: behaviour matches GCC', () => {
  for (const [name, src] of Object.entries(CASES)) {
    oracleIt(name, [RV_GCC], () => {
      const r = pp(src, FILES, { includeDirs: ['sys'] });
      expect(errorsOf(r.sink)).toEqual([]);
      expect(r.text).toBe(respell(gccPP(src, FILES, ['-Isys'])));
    });
  }
  it('conditionals select the right groups', () => {
    const r = pp(CASES.conditionals as string);
    expect(r.text).toBe('yes1 yes2 yes3 yes4 yes5 yes6');
    expect(pp('#if __ILP32__ && __futura__ && !__STDC_HOSTED__\nok\n#endif\n').text).toBe('ok');
  });
  it('include search: quoted relative to the includer, <> through -I then system', () => {
    const r = pp(CASES['include paths and guards'] as string, FILES, { includeDirs: ['sys'] });
    expect(r.text).toBe('from_a from_b from_sys');
  });
});

describe('preprocessor: locations and builtins', () => {
  it('tokens from a macro carry the use site; #line and #include set file/line', () => {
    const r = pp(
      '#define M(x) (x + \\\n y)\nint a;\n  M(1)\n#line 100 "other.c"\nz __LINE__ __FILE__\n#include "h.h"\nw\n',
      {
        'h.h': 'in_h __FILE__ __LINE__\n',
      },
    );
    const at = (text: string, n = 0): string => {
      const t = r.tokens.filter((x) => x.text === text)[n];
      return t ? `${t.file}:${t.line}:${t.col}` : 'missing';
    };
    expect(at('y')).toBe('main.c:4:3');
    expect(at('z')).toBe('other.c:100:1');
    expect(r.text).toContain('z 100 "other.c" in_h "h.h" 1 w');
    expect(at('in_h')).toBe('h.h:1:1');
    expect(at('w')).toBe('other.c:102:1');
  });
  it('__COUNTER__, __DATE__, __TIME__, predefined target macros, -D and -U', () => {
    const r = pp(
      '__COUNTER__ __COUNTER__ __DATE__ __TIME__ __riscv __riscv_flen __STDC_VERSION__ __STDC_HOSTED__ FOO BAR __futura__ __INT_MAX__ __SIZE_TYPE__',
      {},
      {
        defines: ['FOO=42', 'BAR', 'BAZ'],
        undefines: ['BAR'],
      },
    );
    expect(r.text).toBe('0 1 "Jan  5 2024" "01:02:03" 1 64 201112L 0 42 BAR 1 0x7fffffff unsigned int');
  });
  it('reports errors with positions', () => {
    const r = pp(
      '#if 1 +\n#endif\n#error stop here\n#define f(x) x\nf(1,2)\n#include "nope.h"\n#foo\n#if 1\n',
    );
    expect(errorsOf(r.sink)).toEqual([
      'main.c:1:2: error: #if with no expression',
      'main.c:3:2: error: #error stop here',
      'main.c:5:1: error: macro "f" passed 2 arguments, but takes just 1',
      'main.c:6:10: error: nope.h: No such file or directory',
      'main.c:7:2: error: invalid preprocessing directive #foo',
      'main.c:8:2: error: unterminated #if',
    ]);
  });
  it('skipped groups may contain garbage; unterminated args are reported', () => {
    const r = pp('#if 0\nit\'s "bad\n#else\nok\n#endif\n#define f(x) x\nf(1, \n');
    expect(r.text).toBe('ok');
    expect(errorsOf(r.sink)).toEqual(['main.c:7:1: error: unterminated argument list invoking macro "f"']);
  });
  it('-E text has line markers and keeps lines', () => {
    const r = pp('#include "h.h"\nint x;\n\nint y;\n', { 'h.h': 'int h;\n' });
    expect(tokensToText(r.tokens)).toBe('# 1 "h.h"\nint h;\n# 2 "main.c"\nint x;\n\nint y;\n');
    expect(tokensToText(r.tokens, { noLineMarkers: true })).toBe('int h;\nint x;\nint y;\n');
  });
  it('assembler-with-cpp keeps non-directive # lines and ignores quotes', () => {
    const r = pp("#define REG a0\n# a comment it's\n  li REG, 'x\n#if 0\n#endif\n", {}, { asm: true });
    expect(r.text).toBe("# a comment it ' s li a0 , ' x");
    expect(r.sink.errorCount).toBe(0);
  });
});

describe('preprocessToText (-E as a function)', () => {
  it('returns text, diagnostics and the files read', async () => {
    const { preprocessToText } = await import('../../core/toolchain/cc/index');
    const files: Record<string, string> = {
      'a.c': '#include "b.h"\nint x = B;\n#warning careful\n',
      'b.h': '#define B 7\n',
    };
    const r = preprocessToText({ path: 'a.c', provider: { read: (p) => files[p] }, noLineMarkers: true });
    expect(r.text).toBe('int x = 7;\n');
    expect(r.includes).toEqual(['a.c', 'b.h']);
    expect(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.severity}: ${d.message}`)).toEqual([
      '3:2: warning: #warning careful',
    ]);
  });
});

describe('__has_include', () => {
  it('finds quoted and system headers, and is itself "defined"', () => {
    const src =
      '#if defined(__has_include) && __has_include("inc/a.h") && __has_include(<stdint.h>) && !__has_include(<nope.h>)\nyes\n#endif\n#ifdef __has_include\nalso\n#endif\n';
    const r = pp(src, { 'inc/a.h': '' });
    expect(errorsOf(r.sink)).toEqual([]);
    expect(r.text).toBe('yes also');
  });
});
