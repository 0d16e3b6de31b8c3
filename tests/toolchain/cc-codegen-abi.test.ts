// The psABI (ilp32d) seen from both sides: futcc objects call GCC objects and back (long long,
// double, FP-flattened structs, structs by value in registers and by reference, sret, more than 8
// arguments, variadic calls, callbacks), linked by our linker and run on our machine; plus
// aggregates, bit-fields, switch and the other statement forms against GCC.
import { describe, expect } from 'vitest';
import { oracleIt } from '../support/oracle';
import { buildWithGcc } from '../support/gcc';
import { expectSameAsGcc, gccObject, GCC_REF_FLAGS, runFutcc, runQemu, TOOLS } from './cc-codegen-support';

const API_H = `#include "rt.h"
typedef long long ll; typedef unsigned long long ull;
struct pt { double x, y; };
struct fi { float f; int i; };
struct if2 { int i; double d; };
struct big { int a[5]; };
struct s3 { char c[3]; };
struct s8 { short a; int b; };
struct ff { float a, b; };
struct one { double d; };
union un { int i; float f; };
ll lib_ll(ll a, ull b, int c, ll d);
double lib_d(double a, float b, int c, double d, ll e);
struct pt lib_pt(struct pt a, double k);
struct fi lib_fi(struct fi a, struct if2 b);
struct big lib_big(struct big b, int k);
struct s3 lib_s3(struct s3 a, struct s8 b);
struct ff lib_ff(struct ff a, struct one o, union un u);
double lib_many(int a, int b, int c, int d, int e, int f, int g, int h, int i, ll j, double k1, double k2, double k3, double k4, double k5, double k6, double k7, double k8, double k9, float k10, struct pt p, struct s8 q);
double lib_va(int n, ...);
int lib_cb(ll (*f)(ll, double, struct fi), int n);
ll main_cb(ll a, double b, struct fi c);
double main_va(const char *fmt, ...);
`;

const LIB_C = `#include "api.h"
ll lib_ll(ll a, ull b, int c, ll d) { return a * 3 - (ll)(b >> 7) + c - d / 5 + (ll)(b % 1000); }
double lib_d(double a, float b, int c, double d, ll e) { return a * b + c - d / 2 + (double)e; }
struct pt lib_pt(struct pt a, double k) { struct pt r = { a.x * k, a.y - k }; return r; }
struct fi lib_fi(struct fi a, struct if2 b) { struct fi r = { a.f + (float)b.d, a.i * b.i }; return r; }
struct big lib_big(struct big b, int k) { for (int i = 0; i < 5; i++) b.a[i] += k * i; return b; }
struct s3 lib_s3(struct s3 a, struct s8 b) { struct s3 r = { { a.c[2] + 1, a.c[1] + (char)b.a, a.c[0] + (char)b.b } }; return r; }
struct ff lib_ff(struct ff a, struct one o, union un u) { struct ff r = { a.b + (float)o.d, a.a + u.f }; return r; }
double lib_many(int a, int b, int c, int d, int e, int f, int g, int h, int i, ll j, double k1, double k2, double k3, double k4, double k5, double k6, double k7, double k8, double k9, float k10, struct pt p, struct s8 q) {
  return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + j * 10 + k1 + k2 * 2 + k3 * 3 + k4 * 4 + k5 * 5 + k6 * 6 + k7 * 7 + k8 * 8 + k9 * 9 + k10 * 10 + p.x * 11 + p.y * 12 + q.a * 13 + q.b * 14;
}
double lib_va(int n, ...) {
  va_list ap; va_start(ap, n); double s = 0;
  for (int i = 0; i < n; i++) { s = s * 2 + va_arg(ap, int); s += va_arg(ap, double); s += (double)va_arg(ap, ll); struct s8 q = va_arg(ap, struct s8); s += q.a - q.b; struct pt p = va_arg(ap, struct pt); s += p.x * p.y; }
  va_end(ap); return s;
}
int lib_cb(ll (*f)(ll, double, struct fi), int n) { ll s = 0; for (int i = 0; i < n; i++) { struct fi x = { i * 0.5f, i }; s += f(i * 1000000007ll, i / 4.0, x); } return (int)(s % 100000) + (int)main_va("x", 1.5, 2, 3ll, 4.25); }
`;

const MAIN_C = `#include "api.h"
static void pd(double d) { printf("%lld ", (ll)(d * 1000)); }
ll main_cb(ll a, double b, struct fi c) { return a / 3 + (ll)(b * 100) + c.i * (ll)c.f; }
double main_va(const char *fmt, ...) { va_list ap; va_start(ap, fmt); double a = va_arg(ap, double); int b = va_arg(ap, int); ll c = va_arg(ap, ll); double d = va_arg(ap, double); va_end(ap); return a + b + c + d + fmt[0]; }
int main(void) {
  printf("%lld\\n", lib_ll(-123456789012ll, 0xfedcba9876543210ull, 77, 99999999999ll));
  pd(lib_d(1.5, 2.25f, 3, 4.5, -7)); printf("\\n");
  struct pt p = lib_pt((struct pt){ 1.25, 2.5 }, 3); pd(p.x); pd(p.y);
  struct fi f = lib_fi((struct fi){ 1.5f, 6 }, (struct if2){ 7, 8.25 }); pd(f.f); printf("%d\\n", f.i);
  struct big b = lib_big((struct big){ { 1, 2, 3, 4, 5 } }, 10); for (int i = 0; i < 5; i++) printf("%d ", b.a[i]);
  struct s3 s = lib_s3((struct s3){ { 10, 20, 30 } }, (struct s8){ 5, 6 }); printf("%d %d %d\\n", s.c[0], s.c[1], s.c[2]);
  struct ff g = lib_ff((struct ff){ 1.5f, 2.5f }, (struct one){ 3.25 }, (union un){ .f = 0.5f }); pd(g.a); pd(g.b);
  pd(lib_many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5f, (struct pt){ 11.5, 12.5 }, (struct s8){ 13, 14 }));
  pd(lib_va(2, 1, 2.5, 3ll, (struct s8){ 4, 5 }, (struct pt){ 6, 7 }, 8, 9.5, 10ll, (struct s8){ 11, 12 }, (struct pt){ 13, 14 }));
  printf("\\n%d\\n", lib_cb(main_cb, 7));
  return 0;
}
`;

const AGGREGATES = `#include "rt.h"
typedef long long ll;
struct bf { unsigned a : 3; int b : 5; unsigned c : 12; signed char d : 4; unsigned e : 1; };
union u { int i; float f; char c[4]; };
struct s3 { char a, b, c; };
struct s6 { short x[3]; };
struct s12 { int a, b, c; };
struct mix { float f; char c; };
struct dd { double a; int b; };
union u flip(union u x) { x.i = ~x.i; return x; }
struct s3 r3(struct s3 s) { s.a += 1; s.c = s.a + s.b; return s; }
struct s6 r6(struct s6 s) { s.x[2] = s.x[0] * s.x[1]; return s; }
struct s12 r12(int k) { struct s12 s = { k, k * 2, k * 3 }; return s; }
struct mix rmix(struct mix m) { m.f += m.c; m.c--; return m; }
struct dd rdd(struct dd d, int k) { d.a *= k; d.b += k; return d; }
int ten(int a, int b, int c, int d, int e, int f, int g, int h, int i, int j) { return a - b + c - d + e - f + g - h + i * j; }
ll stk(int a, int b, int c, int d, int e, int f, int g, ll h, struct s12 s, struct s3 t, double x) { return a + b + c + d + e + f + g + h + s.a + s.c + t.c + (ll)x; }
int sw(int x) {
  switch (x) { case 0: return 10; case 1: return 11; case 2: case 3: return 12; case 5: x += 100; case 6: return x; case 7: break; default: return -1; }
  return 77;
}
int sparse(ll x) { switch (x) { case -1000000: return 1; case 3: return 2; case 0x100000000ll: return 3; case 99999: return 4; } return 0; }
static int counter(void) { static int n; return ++n; }
int main(void) {
  struct bf b = { 5, -3, 1000, -2, 1 };
  printf("%d %d %d %d %d\\n", b.a, b.b, b.c, b.d, b.e);
  b.a += 4; b.b -= 20; b.c *= 5; b.d++; b.e ^= 1; b.c <<= 1; --b.b;
  printf("%d %d %d %d %d %d\\n", b.a, b.b, b.c, b.d, b.e, b.a++ + b.d--);
  union u x = { .i = 0x12345678 }; union u y = flip(x); printf("%x %d\\n", y.i, y.c[0]);
  struct s3 t = r3((struct s3){ 1, 2, 3 }); printf("%d %d %d\\n", t.a, t.b, t.c);
  struct s6 s6 = r6((struct s6){ { 7, -8, 0 } }); printf("%d\\n", s6.x[2]);
  struct s12 s12 = r12(7); printf("%d %d %d\\n", s12.a, s12.b, s12.c);
  struct mix m = rmix((struct mix){ 1.5f, 'a' }); printf("%d %d\\n", (int)m.f, m.c);
  struct dd d = rdd((struct dd){ 2.5, 3 }, 4); printf("%d %d\\n", (int)d.a, d.b);
  printf("%d %lld\\n", ten(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), stk(1, 2, 3, 4, 5, 6, 7, 1ll << 40, s12, t, 2.75));
  for (int i = -1; i < 9; i++) printf("%d ", sw(i));
  printf("| %d %d %d %d %d\\n", sparse(-1000000), sparse(3), sparse(0x100000000ll), sparse(99999), sparse(4));
  int k = 0, acc = 0;
  loop: acc += k * k; if (++k < 10) goto loop;
  int arr[3][4]; for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) arr[i][j] = i * 10 + j;
  char str[] = "hello", str2[10] = "hi"; int *pa = &arr[1][2]; pa++; pa--; pa += 2; pa -= 1;
  printf("%d %d %s %s %d %d %d\\n", acc, arr[2][3], str, str2, (int)sizeof(str), *pa, (int)(pa - &arr[0][0]));
  int z = (acc, k, 42); int q = acc > 100 ? acc : -acc; double dq = acc > 1000 ? 1.5 : 2.5; ll lq = k ? 1ll << 40 : 3;
  printf("%d %d %d %lld %d %d %d\\n", z, q, (int)(dq * 2), lq, counter(), counter(), counter());
  _Bool bl = 256; _Bool bl2 = (ll)1 << 33; unsigned char uc = 300; signed char sc = 200; short sh = 40000;
  printf("%d %d %d %d %d\\n", bl, bl2, uc, sc, sh);
  struct s12 arrs[2] = { r12(1), r12(2) }; struct s12 cp = arrs[1]; cp.b = 99; arrs[0] = cp;
  printf("%d %d %d\\n", arrs[0].a, arrs[0].b, arrs[1].b);
  int *cl = (int[]){ 1, 2, 3 }; struct s12 *sp = &(struct s12){ 4, 5, 6 };
  printf("%d %d\\n", cl[2], sp->b);
  return sw(5);
}
`;

describe('futcc codegen: calling convention and aggregates', () => {
  oracleIt(
    'futcc and GCC objects call each other (both directions, -O0 and -O2)',
    TOOLS,
    () => {
      const gccLib = gccObject('lib.c', LIB_C, { 'api.h': API_H });
      const gccMain = gccObject('main.c', MAIN_C, { 'api.h': API_H });
      const ref = runQemu(buildWithGcc([gccMain.path, gccLib.path], { flags: GCC_REF_FLAGS }));
      expect(ref.out.split('\n').length).toBeGreaterThan(5);
      for (const opt of [0, 2] as const) {
        expect({
          opt,
          ...runFutcc({ 'api.h': API_H, 'main.c': MAIN_C }, opt, [gccLib]),
        }).toEqual({ opt, ...ref });
        expect({
          opt,
          ...runFutcc({ 'api.h': API_H, 'lib.c': LIB_C }, opt, [gccMain]),
        }).toEqual({ opt, ...ref });
      }
    },
    120_000,
  );
  oracleIt(
    'structs, unions, bit-fields, switch, goto and initialisers behave like GCC',
    TOOLS,
    () => {
      expectSameAsGcc(AGGREGATES);
    },
    60_000,
  );
  oracleIt(
    '64-bit bit-fields: reads, stores, op=, ++/-- and initialisers',
    TOOLS,
    () => {
      expectSameAsGcc(`#include "rt.h"
struct B { unsigned long long a : 40; long long b : 20; unsigned long long c : 4; long long d : 33; };
struct B g = { 0x12345678ffull, -5, 9, -4000000000ll };
int main(void) {
  struct B l = { 1, 2, 3, 4 };
  l.a = 0xffffffffffull; l.b -= 1000; l.c += 20; l.d = g.d * 2;
  g.a++; --g.b; g.c ^= 6; g.d >>= 3;
  long long t = l.b++ + (long long)g.a;
  printf("%llx %lld %llu %lld | %llx %lld %llu %lld | %lld\\n", (unsigned long long)l.a, (long long)l.b, (unsigned long long)l.c, (long long)l.d, (unsigned long long)g.a, (long long)g.b, (unsigned long long)g.c, (long long)g.d, t);
  return (int)(l.c + g.c);
}
`);
    },
    60_000,
  );
});
