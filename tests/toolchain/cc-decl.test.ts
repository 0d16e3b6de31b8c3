// Declarators, type names and expression types checked from inside C: _Static_assert with
// _Generic / sizeof. The same source must pass futcc and GCC (when installed).
import { describe, it, expect } from 'vitest';
import { oracleIt, RV_GCC } from '../support/oracle';
import { compile, diagsOf, gccSyntax } from './cc-support';

const SRC = `#include <stddef.h>
#include <stdarg.h>
#define IS(T, e) _Generic((e), T: 1, default: 0)
#define SA(c) _Static_assert(c, #c)
typedef int (*binop)(int, int);
typedef char row[3];
int add(int a, int b) { return a + b; }
int (*table[4])(int, int);
int (*pick(int k))(int, int) { return k ? add : 0; }
char *(*(*ptrs)[5])(void);
row grid[2];
struct S { int a; char b[7]; struct S *next; } s;
enum E { X = -1, Y } e;
unsigned char uc; signed char sc; char c; short sh; long l; unsigned long ul; long long ll; _Bool bo; float f; double d;
int *ip; const int *cip; void *vp;
SA(sizeof(table) == 16 && sizeof(ptrs) == 4 && sizeof(*ptrs) == 20 && sizeof(grid) == 6 && sizeof(row) == 3);
SA(IS(binop, table[0]) && IS(binop, pick(1)) && IS(char *(*)(void), (*ptrs)[2]));
SA(sizeof(s) == 16 && offsetof(struct S, next) == 12 && _Alignof(struct S) == 4);
SA(IS(int, uc + uc) && IS(int, c) == 0 && IS(char, c) && IS(unsigned, 1u + sh) && IS(long, l + sc));
SA(IS(unsigned long, ul + l) && IS(long long, ll + ul) && IS(double, f + d) && IS(float, f * 2));
SA(IS(int, bo + bo) && IS(int, e + 0) && IS(int, 'a') && IS(unsigned int, sizeof(int)) && IS(int, ip - ip));
SA(IS(const int *, 1 ? cip : ip) && IS(void *, 1 ? vp : ip) && IS(int *, 0 ? ip : 0));
SA(IS(int, c < uc) && IS(int, !ip) && IS(int, ip == 0) && IS(int, -sh) && IS(unsigned, ~1u));
SA(IS(long long, ll << 1) && IS(int, 1 << ll) && IS(unsigned char, uc = 5) && IS(double, d += 1));
SA(sizeof((struct S){0}) == 16 && sizeof((int[]){1, 2, 3}) == 12 && sizeof("abc") == 4 && sizeof(L"ab") == 12);
SA(IS(int *, (int *)vp) && IS(char, *"x") && IS(int, (0, 1)) && sizeof(va_list) == 4);
void fn(void) { SA(IS(char *, __func__ + 0) == 0 && IS(const char *, __func__ + 0) && sizeof(__func__) == 3); }
SA((-1 >> 1) == -1 && (0xffffffffu >> 31) == 1 && (-7 / 2) == -3 && (-7 % 2) == -1 && (int)2.9 == 2);
SA((unsigned char)300 == 44 && (signed char)200 == -56 && (_Bool)0.5 == 1 && (short)65535 == -1);
SA(sizeof(int[2][3]) == 24 && sizeof(int (*)[3]) == 4 && sizeof(double[2]) == 16 && _Alignof(long long) == 8);
enum { BIG = 0x7fffffff, NEG = -2 };
SA(IS(int, BIG) && NEG < 0 && Y == 0);
static int counts[] = { [9] = 1, 2 };
SA(sizeof counts == 44);
`;

describe('declarators and expression types from C', () => {
  it('futcc accepts every assertion', () => {
    expect(diagsOf(compile(SRC))).toEqual([]);
  });
  oracleIt('GCC accepts the same assertions', [RV_GCC], () => {
    expect(gccSyntax(SRC, ['-w'])).toBe('');
  });
  it('a failing assertion is reported', () => {
    expect(diagsOf(compile('_Static_assert(sizeof(long) == 8, "lp64");\n'))).toEqual([
      'main.c:1:1: error: static assertion failed: "lp64"',
    ]);
  });
});
