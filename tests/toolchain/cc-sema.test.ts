// Semantic checks: exact file:line:col and GCC's message text, several errors per run.
import { describe, it, expect } from 'vitest';
import { oracleIt, RV_GCC } from '../support/oracle';
import { compile, diagsOf, gccSyntax } from './cc-support';

const ERRORS1 = `int f(int a, int b);
struct S { int x; };
int g(void) {
  int y = undeclared_var + 1;
  struct S s;
  s.nope = 3;
  y.x = 1;
  f(1);
  f(1, 2, 3);
  const int c = 1;
  c = 2;
  5 = y;
  int *p = y;
  char *q = p;
  if (p == 3) {}
  break;
  goto missing;
  switch (y) { case 1: case 1: break; default: default: ; }
  int arr[2];
  arr = 0;
  return s;
}
int h(void) { }
int k(int x) { if (x) return 1; }
void v(void) { return 1; }
int dup;
float dup;
void m(void) { int unused; implicit_fn(3); }
`;

const ERRORS2 = `struct T;
struct T t1;
int a[-1];
int b[2] = {1, 2, 3};
struct Q { int x : 40; int y : -1; int z[]; int w; };
union V { int a[]; };
void f(void) {
  struct T *p;
  p->x = 1;
  int i = 1 % 2.0;
  int *q = &3;
  int r = *i;
  char c = "str";
  continue;
  register int reg;
  int *pr = &reg;
  int j = sizeof(struct T);
  ++3;
  i();
  float fl = 1.0; fl << 2;
  (void)q; (void)r; (void)c; (void)pr; (void)j;
}
typedef int T1;
typedef char T1;
enum E { A, B, A };
int g(void);
int g(void) { return 0; }
int g(void) { return 1; }
static int st;
int x = st + 1;
_Static_assert(1 == 2, "one is not two");
`;

describe('semantic errors: positions and GCC wording', () => {
  it('expressions, calls, lvalues, statements, returns, redeclarations', () => {
    expect(diagsOf(compile(ERRORS1, {}, { wall: true }))).toEqual([
      "main.c:4:11: error: 'undeclared_var' undeclared (first use in this function)",
      'main.c:4:11: note: each undeclared identifier is reported only once for each function it appears in',
      "main.c:6:4: error: 'struct S' has no member named 'nope'",
      "main.c:7:4: error: request for member 'x' in something not a structure or union",
      "main.c:8:3: error: too few arguments to function 'f'",
      'main.c:1:5: note: declared here',
      "main.c:9:3: error: too many arguments to function 'f'",
      'main.c:1:5: note: declared here',
      "main.c:11:5: error: assignment of read-only variable 'c'",
      'main.c:12:5: error: lvalue required as left operand of assignment',
      "main.c:13:12: warning: initialization of 'int *' from 'int' makes pointer from integer without a cast",
      "main.c:14:13: warning: initialization of 'char *' from incompatible pointer type 'int *'",
      'main.c:15:9: warning: comparison between pointer and integer',
      'main.c:16:3: error: break statement not within loop or switch',
      'main.c:18:24: error: duplicate case value',
      'main.c:18:16: note: previously used here',
      'main.c:18:48: error: multiple default labels in one switch',
      'main.c:18:39: note: this is the first default label',
      'main.c:20:7: error: assignment to expression with array type',
      "main.c:21:10: error: incompatible types when returning type 'struct S' but 'int' was expected",
      "main.c:14:9: warning: unused variable 'q'",
      "main.c:17:3: error: label 'missing' used but not defined",
      'main.c:23:15: warning: control reaches end of non-void function',
      'main.c:24:33: warning: control reaches end of non-void function',
      "main.c:25:23: warning: 'return' with a value, in function returning void",
      "main.c:27:7: error: conflicting types for 'dup'; have 'float'",
      "main.c:26:5: note: previous declaration of 'dup' with type 'int'",
      "main.c:28:28: warning: implicit declaration of function 'implicit_fn'",
      "main.c:28:20: warning: unused variable 'unused'",
    ]);
  });
  it('declarations, layout constraints, constants, redefinitions', () => {
    expect(diagsOf(compile(ERRORS2))).toEqual([
      "main.c:3:5: error: size of array 'a' is negative",
      'main.c:4:19: warning: excess elements in array initializer',
      "main.c:5:16: error: width of 'x' exceeds its type",
      "main.c:5:28: error: negative width in bit-field 'y'",
      'main.c:5:40: error: flexible array member not at end of struct',
      'main.c:6:15: error: flexible array member in union',
      "main.c:9:4: error: invalid use of undefined type 'struct T'",
      "main.c:10:13: error: invalid operands to binary % (have 'int' and 'double')",
      "main.c:11:12: error: lvalue required as unary '&' operand",
      "main.c:12:11: error: invalid type argument of unary '*' (have 'int')",
      "main.c:13:12: warning: initialization of 'char' from 'char *' makes integer from pointer without a cast",
      'main.c:14:3: error: continue statement not within a loop',
      "main.c:16:13: error: address of register variable 'reg' requested",
      "main.c:17:11: error: invalid application of 'sizeof' to incomplete type 'struct T'",
      'main.c:18:3: error: lvalue required as increment operand',
      "main.c:19:3: error: called object 'i' is not a function or function pointer",
      'main.c:10:7: note: declared here',
      "main.c:20:22: error: invalid operands to binary << (have 'float' and 'int')",
      "main.c:24:14: error: conflicting types for 'T1'; have 'char'",
      "main.c:23:13: note: previous declaration of 'T1' with type 'int'",
      "main.c:25:16: error: redeclaration of enumerator 'A'",
      "main.c:25:10: note: previous definition of 'A' with type 'int'",
      "main.c:28:5: error: redefinition of 'g'",
      "main.c:27:5: note: previous definition of 'g' with type 'int(void)'",
      'main.c:30:9: error: initializer element is not constant',
      'main.c:31:1: error: static assertion failed: "one is not two"',
      "main.c:2:10: error: storage size of 't1' isn't known",
    ]);
  });
  oracleIt('GCC rejects the same lines', [RV_GCC], () => {
    // Every line futcc reports an error on, GCC reports an error on too.
    for (const src of [ERRORS1, ERRORS2]) {
      const ours = new Set(
        diagsOf(compile(src))
          .filter((d) => d.includes(': error:'))
          .map((d) => d.split(':')[1]),
      );
      const gcc = new Set([...gccSyntax(src).matchAll(/main\.c:(\d+):\d+: error:/g)].map((m) => m[1]));
      expect([...ours].filter((l) => !gcc.has(l))).toEqual([]);
    }
  });
  it('locations survive #include and macros; syntax errors recover at ; and }', () => {
    const r = compile(
      '#include "h.h"\n#define BAD(x) (x + nothere)\nint f(void) {\n  int a = BAD(1);\n  int b = ;\n  return a b;\n}\nint g(void) { return 0 }\nvoid h(void) { int x = 1\n  int y; }\n',
      {
        'h.h': 'int h1;\nint h2 = &h1;\n',
      },
    );
    expect(diagsOf(r)).toEqual([
      "h.h:2:10: warning: initialization of 'int' from 'int *' makes integer from pointer without a cast",
      "main.c:4:11: error: 'nothere' undeclared (first use in this function)",
      'main.c:4:11: note: each undeclared identifier is reported only once for each function it appears in',
      "main.c:5:11: error: expected expression before ';' token",
      "main.c:6:11: error: expected ';' before 'b'",
      "main.c:8:23: error: expected ';' before '}' token",
      "main.c:10:3: error: expected ',' or ';' before 'int'",
    ]);
  });
  it('a function body after a conflicting non-function declaration is still checked', () => {
    expect(diagsOf(compile('int main;\nint main(void) { return x; }\n'))).toEqual([
      "main.c:2:5: error: 'main' redeclared as different kind of symbol",
      "main.c:1:5: note: previous declaration of 'main' with type 'int'",
      "main.c:2:25: error: 'x' undeclared (first use in this function)",
      'main.c:2:25: note: each undeclared identifier is reported only once for each function it appears in',
    ]);
  });
  it('long double and _Thread_local are refused clearly; VLAs too', () => {
    expect(
      diagsOf(compile('long double x;\n_Thread_local int t;\nvoid f(int n) { int v[n]; (void)v; }\n')),
    ).toEqual([
      'main.c:1:1: error: long double is not supported by futcc (ilp32d ABI: use double)',
      'main.c:2:1: error: _Thread_local is not supported by futcc (Futura has no thread-local storage)',
      'main.c:3:22: error: variable length arrays are not supported by futcc',
    ]);
  });
});

describe('warnings', () => {
  it('unused variables only with -Wall', () => {
    const src = 'int f(void) { int a; int b = 1; return b; }\n';
    expect(diagsOf(compile(src))).toEqual([]);
    expect(diagsOf(compile(src, {}, { wall: true }))).toEqual(["main.c:1:19: warning: unused variable 'a'"]);
  });
  it('incompatible pointers, qualifiers, pointer/integer comparisons, -Werror', () => {
    const src =
      'void g(int *p);\nvoid f(const int *c, long *l, char *s) {\n  g(c);\n  g(l);\n  int *x = s;\n  x = l;\n  if (s == 1) {}\n  if (s == 0) {}\n  (void)x;\n}\n';
    const w = [
      "main.c:3:5: warning: passing argument 1 of 'g' discards 'const' qualifier from pointer target type",
      "main.c:4:5: warning: passing argument 1 of 'g' from incompatible pointer type",
      "main.c:5:12: warning: initialization of 'int *' from incompatible pointer type 'char *'",
      "main.c:6:5: warning: assignment to 'int *' from incompatible pointer type 'long int *'",
      'main.c:7:9: warning: comparison between pointer and integer',
    ];
    expect(diagsOf(compile(src))).toEqual(w);
    const r = compile(src, {}, { werror: true });
    expect(r.ok).toBe(false);
    expect(diagsOf(r)).toEqual(w.map((d) => d.replace('warning', 'error')));
  });
  it('missing return: not for main, not after infinite loops or noreturn calls', () => {
    const src = `_Noreturn void die(void);
int a(int x) { while (1) { if (x) return 1; } }
int b(void) { for (;;) {} }
int c(int x) { if (x) return 1; else return 2; }
int d(void) { die(); }
int e(int x) { switch (x) { case 1: return 1; default: return 0; } }
int f(int x) { while (1) { if (x) break; } }
int main(void) { }
`;
    expect(diagsOf(compile(src))).toEqual(['main.c:7:44: warning: control reaches end of non-void function']);
  });
});
